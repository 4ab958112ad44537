"""What the API writes: a posted work, an added chapter. Each runs in one transaction.

A posted work goes through the archive's own write path (`archive.actions.import_work`) as a
work built from the request, so it is stored, sanitised and indexed exactly as an imported one;
its creator is the token owner's pseud. Chapter bodies are read by the importer's own readers
(plain text: blank lines make paragraphs, `* * *` a scene break; or Markdown).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from ficarchive.archive import actions as archive_actions
from ficarchive.archive.models import Chapter, Creator, Creatorship, Pseud, Work, unique_slug
from ficarchive.archive.sanitize import clean_html
from ficarchive.text.markdown import read_markdown_blocks
from ficarchive.text.model import Block, ParsedWork, SourceInfo, TagType, blocks_text
from ficarchive.text.model import Chapter as ParsedChapter
from ficarchive.text.plaintext import read_text_blocks
from ficarchive.text.render import blocks_to_html
from ficarchive.text.structure import mark_scene_breaks


class Conflict(Exception):
    """The request would store something already here (the same work posted twice)."""

    def __init__(self, message: str, work: Work):
        super().__init__(message)
        self.work = work


@dataclass
class ChapterInput:
    text: str
    title: str = ""
    format: str = "text"  # "text" or "markdown"


def read_blocks(text: str, markup: str) -> list[Block]:
    """A body typed by a person, as the importer's blocks (escaped, then sanitised on storage)."""
    text = text.replace("\r\n", "\n")
    if markup == "markdown":
        blocks, _title = read_markdown_blocks(text)
    else:
        blocks, _notes = read_text_blocks(text)
    return mark_scene_breaks(blocks)


def _html(blocks: list[Block]) -> str:
    return clean_html(blocks_to_html(blocks)) if blocks else ""


def own_pseud(user) -> Pseud:
    """The user's first pseud; a new creator with the user name for a user who has none."""
    pseud = Pseud.objects.filter(creator__user=user).order_by("id").first()
    if pseud is None:
        creator = Creator.objects.create(user=user)
        pseud = Pseud.objects.create(
            creator=creator, name=user.get_username(), slug=unique_slug(Pseud, user.get_username())
        )
    return pseud


def owns_work(user, work: Work) -> bool:
    """The work's creators (a creator linked to the user) and archivists (staff) may change it."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Creator.objects.filter(user=user, pseuds__works=work).exists()


def post_work(
    user,
    *,
    title: str,
    chapters: list[ChapterInput],
    summary: str = "",
    notes: str = "",
    rating: str = "",
    language: str = "",
    complete: bool | None = None,
    tags: dict[str, list[str]] | None = None,
) -> Work:
    """Store a new work by `user`. Raises ValueError for empty text, Conflict for a work posted
    twice."""
    parsed = ParsedWork(
        title=" ".join(title.split()),
        summary=read_blocks(summary, "text") if summary.strip() else [],
        notes=read_blocks(notes, "text") if notes.strip() else [],
        rating=rating or None,
        language=language.strip().lower(),
        complete=complete,
        published=dt.date.today().isoformat(),
        source=SourceInfo(format="api", encoding="utf-8", filename=""),
    )
    for tag_type, names in (tags or {}).items():
        for name in names:
            parsed.add_tag(TagType(tag_type), name)
    for number, chapter in enumerate(chapters, start=1):
        blocks = read_blocks(chapter.text, chapter.format)
        if not blocks_text(blocks).strip():
            raise ValueError(f"chapter {number} has no text")
        parsed.chapters.append(
            ParsedChapter(number=number, title=" ".join(chapter.title.split()), blocks=blocks)
        )
    if not parsed.title:
        raise ValueError("the title is empty")
    if not parsed.chapters:
        raise ValueError("a work needs at least one chapter")
    # The request itself is the work's source: the same request twice is the same work.
    raw = json.dumps(
        {"user": user.pk, "title": parsed.title, "chapters": [c.text for c in parsed.chapters]},
        sort_keys=True,
    ).encode()
    with transaction.atomic():
        pseud = own_pseud(user)
        result = archive_actions.import_work(parsed, raw=raw, analyse=False)
        if result.status == "duplicate":
            raise Conflict("this work is already in the archive", result.work)
        Creatorship.objects.create(work=result.work, pseud=pseud, position=0)
    return result.work


def add_chapter(user, work: Work, chapter: ChapterInput) -> Chapter:
    """Append a chapter to `work`; only its creators and archivists may. Updates the counts."""
    if not owns_work(user, work):
        raise PermissionDenied("Only the work's creators and the archivists can add chapters.")
    blocks = read_blocks(chapter.text, chapter.format)
    text = blocks_text(blocks)
    if not text.strip():
        raise ValueError("the chapter has no text")
    parsed = ParsedChapter(number=0, title=" ".join(chapter.title.split())[:500], blocks=blocks)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        position = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + 1
        row = Chapter.objects.create(
            work=work,
            position=position,
            title=parsed.title,
            body_html=_html(blocks),
            body_text=text,
            word_count=parsed.word_count,
        )
        # content_hash stays: it names the text first stored, so re-importing that file is
        # still recognised as this work.
        work.chapter_count = position
        work.word_count = sum(c.word_count for c in work.chapters.all())
        work.updated = dt.date.today()
        if work.expected_chapters and work.expected_chapters < position:
            work.expected_chapters = position
        work.save()
    return row
