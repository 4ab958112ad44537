"""Everything an import does before the database: parse, analyse, render — in worker processes.

`prepare` turns a parsed work into a `PreparedWork`: plain data with the HTML already rendered
and sanitised, the texts, word counts and fingerprints computed, and the analysis run. It
touches no database and imports no Django model, so `ficarchive import` runs it in a pool of
processes while the main process only stores (`actions.store_works`) — the storing is the one
part a single SQLite writer has to do alone.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ficarchive.analysis.analyse import analyse_work
from ficarchive.analysis.model import Analysis
from ficarchive.rescue import similarity
from ficarchive.text import StoryError, parse_story
from ficarchive.text.errors import NoStoryText
from ficarchive.text.fingerprint import content_hash
from ficarchive.text.model import ParsedWork, TagType, count_words
from ficarchive.text.model import Tag as ParsedTag
from ficarchive.text.render import blocks_to_html

from .sanitize import clean_html

log = logging.getLogger("ficarchive.analysis")
import_log = logging.getLogger("ficarchive.import")


@dataclass(slots=True)
class PreparedChapter:
    title: str
    epigraph_html: str
    summary_html: str
    notes_html: str
    end_notes_html: str
    body_html: str
    body_text: str
    word_count: int
    fingerprint: str  # rescue.similarity.text_fingerprint of body_text: its words, any layout


@dataclass(slots=True)
class PreparedWork:
    """A work ready to store: every field the archive keeps, computed outside the transaction."""

    title: str
    title_missing: bool
    summary_html: str
    notes_html: str
    end_notes_html: str
    rating: str
    language: str
    complete: bool | None
    expected_chapters: int | None
    published: str | None
    updated: str | None
    fingerprint: str  # content_hash: the same story in other bytes is a duplicate
    creators: list[str]
    contacts: list[tuple[str, str]]  # (kind, value): private, never shown
    tags: list[tuple[str, str]]  # (type, name) in the work's order, the rating first
    chapters: list[PreparedChapter]
    filename: str
    url: str
    format: str
    encoding: str
    site: str
    sha256: str  # of the source bytes
    size: int
    warnings: list[str] = field(default_factory=list)
    analysis: Analysis | None = None
    # The work's MinHash signature (rescue.similarity.sketch, as bytes) and its distinct
    # shingles: computed here, in the worker, for the versions check and the stored signature.
    minhash: bytes = b""
    shingles: int = 0

    @property
    def word_count(self) -> int:
        return sum(chapter.word_count for chapter in self.chapters)


@dataclass(frozen=True, slots=True)
class Failure:
    path: Path
    reason: str

    @classmethod
    def unexpected(cls, path: Path, exc: Exception) -> Failure:
        """A bug, not a bad file: logged with its traceback (call it in the `except`)."""
        import_log.exception("importing %s failed", path)
        return cls(path, f"unexpected error ({type(exc).__name__}: {exc}); please report it")


def html_of(blocks) -> str:
    """Blocks as the archive stores them: rendered, then through the one allow-list."""
    return clean_html(blocks_to_html(blocks)) if blocks else ""


def _tags_with_rating(parsed: ParsedWork) -> list[tuple[str, str]]:
    """The parsed tags, with the rating as a tag too (as on AO3) when a reader set only `rating`."""
    tags = list(parsed.tags)
    if parsed.rating and ParsedTag(TagType.RATING, parsed.rating) not in tags:
        tags.insert(0, ParsedTag(TagType.RATING, parsed.rating))
    return list(dict.fromkeys((str(tag.type), tag.name[:300]) for tag in tags))


def analyse(parsed: ParsedWork, name: str) -> Analysis | None:
    """The analysis of a work, or None when it fails.

    The analysis only makes suggestions, so a bug in it must not cost a reader the story: the
    work is stored without them (and `ficarchive analyse` can try again later).
    """
    try:
        return analyse_work(parsed)
    except Exception:
        log.exception("analysing %s failed; storing it without suggestions", name or "a work")
        return None


def prepare(
    parsed: ParsedWork, *, raw: bytes, filename: str = "", url: str = "", analysis: bool = True
) -> PreparedWork:
    """The work as the archive stores it. Raises NoStoryText when there is no chapter text."""
    if not parsed.chapters:
        raise NoStoryText("the file has no chapter text, so there is nothing to store")
    chapters = []
    for chapter in parsed.chapters:
        text = chapter.text
        chapters.append(
            PreparedChapter(
                title=chapter.title[:500],
                epigraph_html=html_of(chapter.epigraph),
                summary_html=html_of(chapter.summary),
                notes_html=html_of(chapter.notes),
                end_notes_html=html_of(chapter.end_notes),
                body_html=html_of(chapter.blocks),
                body_text=text,
                word_count=count_words(text),
                fingerprint=similarity.text_fingerprint(text),
            )
        )
    sig, shingles = similarity.sketch(similarity.story_text(c.body_text for c in chapters))
    name = filename or parsed.source.filename
    return PreparedWork(
        title=parsed.title[:500],
        title_missing=parsed.title_missing,
        summary_html=html_of(parsed.summary),
        notes_html=html_of(parsed.notes),
        end_notes_html=html_of(parsed.end_notes),
        rating=parsed.rating or "",
        language=parsed.language,
        complete=parsed.complete,
        expected_chapters=parsed.expected_chapters,
        published=parsed.published,
        updated=parsed.updated,
        fingerprint=content_hash(parsed),
        creators=list(dict.fromkeys(creator.name[:200] for creator in parsed.creators)),
        contacts=[(contact.kind, contact.value[:500]) for contact in parsed.contacts],
        tags=_tags_with_rating(parsed),
        chapters=chapters,
        filename=name[:500],
        url=(url or parsed.source.url)[:1000],
        format=parsed.source.format,
        encoding=parsed.source.encoding,
        site=parsed.source.site,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        warnings=list(parsed.warnings),
        analysis=analyse(parsed, name) if analysis else None,
        minhash=similarity.to_bytes(sig),
        shingles=shingles,
    )


def prepare_file(path: Path, *, analysis: bool, max_bytes: int) -> PreparedWork | Failure:
    """Read, parse and prepare one file; a Failure (never an exception) says why it cannot be.

    Runs in a worker process: a bug in one file is reported for that file and the import goes on.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Failure(
                path,
                f"file is {size / 1024 / 1024:.1f} MB, over the {max_bytes / 1024 / 1024:g} MB "
                "import cap (FICARCHIVE_MAX_FILE_MB)",
            )
        raw = path.read_bytes()
        return prepare(parse_story(raw, path.name), raw=raw, filename=path.name, analysis=analysis)
    except StoryError as exc:
        return Failure(path, str(exc))
    except OSError as exc:
        return Failure(path, f"cannot read the file ({exc.strerror})")
    except Exception as exc:
        return Failure.unexpected(path, exc)
