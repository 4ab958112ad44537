"""One function builds the sample work the download tests share: every field a writer writes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ficarchive.text.model import SCENE_BREAK, Block, Chapter, Creator, ParsedWork, Tag, TagType

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def sample_work(chapters: int = 3) -> ParsedWork:
    """A multi-chapter work with tags, notes, an epigraph, verse, scene breaks and awkward text."""
    work = ParsedWork(
        title='Salt & Lanterns: a "tale" <of> the sea',
        creators=[Creator("Mara Quill"), Creator("Ōtsuki Ren")],
        summary=[Block(html="A keeper, a storm, and a <em>very</em> stubborn lamp.")],
        notes=[Block(html="For the prompt &amp; the people who asked.")],
        end_notes=[Block(html="Thank you for reading.")],
        rating="Teen And Up Audiences",
        tags=[
            Tag(TagType.RATING, "Teen And Up Audiences"),
            Tag(TagType.WARNING, "No Archive Warnings Apply"),
            Tag(TagType.CATEGORY, "F/F"),
            Tag(TagType.FANDOM, "Original Work"),
            Tag(TagType.RELATIONSHIP, "Ada/Bea"),
            Tag(TagType.CHARACTER, "Ada"),
            Tag(TagType.CHARACTER, "Bea"),
            Tag(TagType.FREEFORM, "Lighthouses & Storms"),
        ],
        language="en",
        complete=False,
        expected_chapters=chapters + 1,
        published="2019-01-01",
        updated="2019-03-05",
    )
    for n in range(1, chapters + 1):
        work.chapters.append(
            Chapter(
                number=n,
                title="" if n == 2 else f"The Storm, part {n}",
                epigraph=[Block(kind="verse", html="Light, light,<br>against the night")]
                if n == 1
                else [],
                notes=[Block(html=f"Notes for chapter {n}.")] if n == 1 else [],
                end_notes=[Block(html="More soon.")] if n == 3 else [],
                blocks=[
                    Block(html=f"Ada climbed the stairs of tower {n}, the wind at the glass."),
                    Block(html="“Who’s there?” she said — <em>nobody</em> answered."),
                    SCENE_BREAK,
                    Block(kind="verse", html="The lamp, the lamp,<br>it will not go out"),
                    Block(html="By morning the lamp was still burning &amp; nobody knew why."),
                ],
            )
        )
    return work


def epubcheck(path: Path) -> str:
    """epubcheck's report on an EPUB; skips the test, saying why, when epubcheck is absent."""
    java = shutil.which("java")
    if java is None or not EPUBCHECK_JAR.exists():
        pytest.skip(
            "epubcheck is not installed (apt-get install epubcheck; CI installs it): "
            "EPUB validity not checked"
        )
    result = subprocess.run(
        # A quick-starting JVM: each check is a fresh start, and starting is most of its time.
        [
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(EPUBCHECK_JAR),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout + result.stderr
