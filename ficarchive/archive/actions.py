"""The one write path: every change to works, chapters, creators and tags happens here.

Each action runs in one transaction, so a failure leaves nothing behind. Views and the CLI
call these; they never write models directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ficarchive.text.errors import NoStoryText
from ficarchive.text.fingerprint import content_hash
from ficarchive.text.model import ParsedWork, TagType
from ficarchive.text.model import Tag as ParsedTag
from ficarchive.text.render import blocks_to_html

from .models import (
    Chapter,
    Contact,
    Creator,
    Creatorship,
    Pseud,
    Source,
    Tag,
    Work,
    WorkTag,
    unique_slug,
)
from .sanitize import clean_html


@dataclass(frozen=True)
class ImportResult:
    status: str  # "imported" or "duplicate"
    work: Work


def _html(blocks) -> str:
    return clean_html(blocks_to_html(blocks)) if blocks else ""


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _pseud(name: str) -> Pseud:
    """The pseud of that name, or a new creator with it (imported names are matched by name)."""
    existing = Pseud.objects.filter(name=name).order_by("id").first()
    if existing:
        return existing
    creator = Creator.objects.create()
    return Pseud.objects.create(creator=creator, name=name, slug=unique_slug(Pseud, name))


def _tag(tag_type: str, name: str) -> Tag:
    name = name[:300]
    tag = Tag.objects.filter(type=tag_type, name=name).first()
    if tag:
        return tag
    return Tag.objects.create(type=tag_type, name=name, slug=unique_slug(Tag, name, type=tag_type))


def _tags_with_rating(parsed: ParsedWork) -> list[ParsedTag]:
    """The parsed tags, with the rating as a tag too (as on AO3) when a reader set only `rating`."""
    tags = list(parsed.tags)
    if parsed.rating and ParsedTag(TagType.RATING, parsed.rating) not in tags:
        tags.insert(0, ParsedTag(TagType.RATING, parsed.rating))
    return tags


def find_duplicate(parsed: ParsedWork, raw: bytes) -> Work | None:
    sha = hashlib.sha256(raw).hexdigest()
    source = Source.objects.filter(sha256=sha).select_related("work").first()
    if source:
        return source.work
    return Work.objects.filter(content_hash=content_hash(parsed)).first()


def import_work(
    parsed: ParsedWork, *, raw: bytes, filename: str = "", url: str = ""
) -> ImportResult:
    """Store a parsed work with its creators, tags, chapters and source, or find it already here."""
    if not parsed.chapters:
        raise NoStoryText("the file has no chapter text, so there is nothing to store")
    for attempt in (1, 2):
        duplicate = find_duplicate(parsed, raw)
        if duplicate:
            return ImportResult("duplicate", duplicate)
        try:
            with transaction.atomic():
                work = _create_work(parsed, raw=raw, filename=filename, url=url)
            return ImportResult("imported", work)
        except IntegrityError:
            # A concurrent import (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers)
            # stored the same work, or a tag or pseud this one shares: look again, retry once.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create_work(parsed: ParsedWork, *, raw: bytes, filename: str, url: str) -> Work:
    work = Work.objects.create(
        title=parsed.title[:500],
        title_missing=parsed.title_missing,
        summary_html=_html(parsed.summary),
        notes_html=_html(parsed.notes),
        end_notes_html=_html(parsed.end_notes),
        rating=parsed.rating or "",
        language=parsed.language,
        complete=parsed.complete,
        expected_chapters=parsed.expected_chapters,
        word_count=parsed.word_count,
        chapter_count=len(parsed.chapters),
        published=_date(parsed.published),
        updated=_date(parsed.updated) or _date(parsed.published),
        content_hash=content_hash(parsed),
    )
    source = Source.objects.create(
        work=work,
        filename=(filename or parsed.source.filename)[:500],
        url=(url or parsed.source.url)[:1000],
        format=parsed.source.format,
        encoding=parsed.source.encoding,
        site=parsed.source.site,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        warnings=list(parsed.warnings),
    )
    pseuds = [_pseud(creator.name[:200]) for creator in parsed.creators]
    for position, pseud in enumerate(dict.fromkeys(pseuds)):
        Creatorship.objects.create(work=work, pseud=pseud, position=position)
    for contact in parsed.contacts:
        Contact.objects.get_or_create(
            pseud=pseuds[0] if pseuds else None,
            kind=contact.kind,
            value=contact.value[:500],
            defaults={"source": source},
        )
    seen: set[int] = set()
    for position, tag in enumerate(_tags_with_rating(parsed)):
        row = _tag(str(tag.type), tag.name)
        if row.pk not in seen:
            seen.add(row.pk)
            WorkTag.objects.create(
                work=work, tag=row, source=WorkTag.Source.IMPORTED, position=position
            )
    # Positions are 1..n in reading order whatever the source numbered (two "Chapter 1"s, a
    # prologue numbered 0): URLs and prev/next navigation rely on them.
    Chapter.objects.bulk_create(
        Chapter(
            work=work,
            position=position,
            title=chapter.title[:500],
            epigraph_html=_html(chapter.epigraph),
            summary_html=_html(chapter.summary),
            notes_html=_html(chapter.notes),
            end_notes_html=_html(chapter.end_notes),
            body_html=_html(chapter.blocks),
            body_text=chapter.text,
            word_count=chapter.word_count,
        )
        for position, chapter in enumerate(parsed.chapters, start=1)
    )
    return work
