"""The one write path: every change to works, chapters, creators and tags happens here.

Each action runs in one transaction, so a failure leaves nothing behind. Views and the CLI
call these; they never write models directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from ficarchive.analysis.analyse import analyse_work
from ficarchive.analysis.model import Analysis
from ficarchive.analysis.tagging import character_tag
from ficarchive.text.errors import NoStoryText
from ficarchive.text.fingerprint import content_hash
from ficarchive.text.model import Block, ParsedWork, TagType
from ficarchive.text.model import Chapter as ParsedChapter
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

log = logging.getLogger("ficarchive.analysis")

# Machine suggestions a reviewer has to read, per work: the strongest few of each kind, and
# nothing the analysis itself is unsure of.
SUGGESTION_CAPS = {TagType.FANDOM: 3, TagType.RELATIONSHIP: 5, TagType.CHARACTER: 10}
MIN_SUGGESTION_CONFIDENCE = 0.25
MIN_CHARACTER_MENTIONS = 2  # one mention is too little evidence for a character tag
CAST_SIZE = 12  # characters kept for the cast list on the work page


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
    return _tags([(tag_type, name)])[(tag_type, name[:300])]


def _tags(wanted: list[tuple[str, str]]) -> dict[tuple[str, str], Tag]:
    """The tags of these (type, name) pairs, created when new; one query when they all exist."""
    keys = list(dict.fromkeys((str(t), n[:300]) for t, n in wanted))
    found = {
        (tag.type, tag.name): tag
        for tag in Tag.objects.filter(name__in={name for _, name in keys})
        if (tag.type, tag.name) in keys
    }
    for tag_type, name in keys:
        if (tag_type, name) not in found:
            found[tag_type, name] = Tag.objects.create(
                type=tag_type, name=name, slug=unique_slug(Tag, name, type=tag_type)
            )
    return found


def _tags_with_rating(parsed: ParsedWork) -> list[ParsedTag]:
    """The parsed tags, with the rating as a tag too (as on AO3) when a reader set only `rating`."""
    tags = list(parsed.tags)
    if parsed.rating and ParsedTag(TagType.RATING, parsed.rating) not in tags:
        tags.insert(0, ParsedTag(TagType.RATING, parsed.rating))
    return tags


def find_duplicate(parsed: ParsedWork, raw: bytes, fingerprint: str | None = None) -> Work | None:
    """The work already stored from these bytes, or with the same content (`content_hash`)."""
    sha = hashlib.sha256(raw).hexdigest()
    source = Source.objects.filter(sha256=sha).select_related("work").first()
    if source:
        return source.work
    return Work.objects.filter(content_hash=fingerprint or content_hash(parsed)).first()


def import_work(
    parsed: ParsedWork, *, raw: bytes, filename: str = "", url: str = "", analyse: bool = True
) -> ImportResult:
    """Store a parsed work with its creators, tags, chapters and source, or find it already here.

    With `analyse`, the analysis's cast, narration and suggested tags (pending review) are
    stored in the same transaction as the work.
    """
    if not parsed.chapters:
        raise NoStoryText("the file has no chapter text, so there is nothing to store")
    analysis: Analysis | None = None
    fingerprint = content_hash(parsed)
    for attempt in (1, 2):
        duplicate = find_duplicate(parsed, raw, fingerprint)
        if duplicate:
            return ImportResult("duplicate", duplicate)
        if analyse and analysis is None:
            # Outside the transaction: analysis is the slow part and must not hold the write lock.
            analysis = _analyse(parsed, filename or parsed.source.filename)
        try:
            with transaction.atomic():
                work = _create_work(
                    parsed, raw=raw, filename=filename, url=url, fingerprint=fingerprint
                )
                if analysis is not None:
                    _store_analysis(work, analysis)
            return ImportResult("imported", work)
        except IntegrityError:
            # A concurrent import (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers)
            # stored the same work, or a tag or pseud this one shares: look again, retry once.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create_work(
    parsed: ParsedWork, *, raw: bytes, filename: str, url: str, fingerprint: str
) -> Work:
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
        content_hash=fingerprint,
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
    parsed_tags = [(str(tag.type), tag.name[:300]) for tag in _tags_with_rating(parsed)]
    rows = _tags(parsed_tags)
    seen: set[int] = set()
    work_tags = []
    for position, key in enumerate(parsed_tags):
        if rows[key].pk not in seen:
            seen.add(rows[key].pk)
            work_tags.append(
                WorkTag(work=work, tag=rows[key], source=WorkTag.Source.IMPORTED, position=position)
            )
    # In bulk (no signals): the work's own save above queued it for the search index.
    WorkTag.objects.bulk_create(work_tags)
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


# --- Analysis: the cast, narration and suggested tags -------------------------------------------


def _analyse(parsed: ParsedWork, name: str) -> Analysis | None:
    """The analysis of a work, or None when it fails.

    The analysis only makes suggestions, so a bug in it must not cost a reader the story: the
    work is stored without them (and `ficarchive analyse` can try again later).
    """
    try:
        return analyse_work(parsed)
    except Exception:
        log.exception("analysing %s failed; storing it without suggestions", name or "a work")
        return None


_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)\s*$")  # "Spike (Buffy the Vampire Slayer)"


def _tag_key(tag_type: str, name: str) -> str:
    """A tag name in the form two tags that mean the same thing share.

    Case and spacing never matter. A character is the same without AO3's disambiguator, so a
    creator's "Spike" blocks the suggestion "Spike (Buffy the Vampire Slayer)"; a relationship
    is the same in any order ("Spike/Buffy Summers" = "Buffy Summers/Spike").
    """

    def person(text: str) -> str:
        return " ".join(_DISAMBIGUATOR.sub("", text).casefold().split())

    if tag_type == TagType.CHARACTER:
        return person(name)
    if tag_type == TagType.RELATIONSHIP:
        for separator in ("/", "&"):
            if separator in name:
                return separator.join(sorted(person(part) for part in name.split(separator)))
    return " ".join(name.casefold().split())


def _candidates(analysis: Analysis) -> list[tuple[str, str, float]]:
    """(type, name, confidence) of the tags worth suggesting, strongest first within each type."""

    def strongest(items: list[dict], key: str, cap: int) -> list[tuple[str, float]]:
        found = [
            (item[key], float(item.get("confidence") or 0))
            for item in items
            if str(item.get(key) or "").strip()
            and float(item.get("confidence") or 0) >= MIN_SUGGESTION_CONFIDENCE
        ]
        return sorted(found, key=lambda pair: -pair[1])[:cap]

    out = [
        (TagType.FANDOM, name, confidence)
        for name, confidence in strongest(analysis.fandoms, "name", SUGGESTION_CAPS[TagType.FANDOM])
    ]
    out += [
        (TagType.RELATIONSHIP, name, confidence)
        for name, confidence in strongest(
            analysis.relationships, "tag", SUGGESTION_CAPS[TagType.RELATIONSHIP]
        )
    ]
    named = [
        c
        for c in analysis.characters
        if c.mentions >= MIN_CHARACTER_MENTIONS and not (c.narrator and c.name == "narrator")
    ]
    named.sort(key=lambda c: -c.mentions)
    for c in named[: SUGGESTION_CAPS[TagType.CHARACTER]]:
        # The analysis gives characters no confidence of their own: evidence grows with each
        # mention and never reaches certainty (2 mentions 40%, 10 mentions 77%).
        confidence = round(c.mentions / (c.mentions + 3), 2)
        out.append((TagType.CHARACTER, character_tag(c), confidence))
    return out


def _suggestion_tag(tag_type: str, name: str) -> Tag:
    """The tag a suggestion names: an existing one (any case) resolved to its canonical tag."""
    name = " ".join(name.split())[:300]
    tag = (
        Tag.objects.filter(type=tag_type, name=name).first()
        or Tag.objects.filter(type=tag_type, name__iexact=name).order_by("id").first()
        or _tag(tag_type, name)
    )
    return tag.merger or tag


def _suggest_tags(work: Work, analysis: Analysis) -> list[WorkTag]:
    """Add the analysis's tag suggestions to `work` as pending WorkTags.

    The work's own tags win: nothing is suggested that the work already carries, from its
    creator, its import or an earlier review, under that name, a synonym of it, or its
    canonical tag; existing WorkTags are never changed.
    """
    taken_ids: set[int] = set()
    taken_keys: set[tuple[str, str]] = set()
    for work_tag in WorkTag.objects.filter(work=work).select_related("tag__merger"):
        for tag in (work_tag.tag, work_tag.tag.merger):
            if tag is not None:
                taken_ids.add(tag.pk)
                taken_keys.add((tag.type, _tag_key(tag.type, tag.name)))
    position = (WorkTag.objects.filter(work=work).aggregate(m=Max("position"))["m"] or 0) + 1
    created = []
    for tag_type, name, confidence in _candidates(analysis):
        key = (str(tag_type), _tag_key(tag_type, name))
        if key in taken_keys:
            continue
        tag = _suggestion_tag(str(tag_type), name)
        if tag.pk in taken_ids:
            continue
        taken_ids.add(tag.pk)
        taken_keys.update({key, (tag.type, _tag_key(tag.type, tag.name))})
        created.append(
            WorkTag.objects.create(
                work=work,
                tag=tag,
                source=WorkTag.Source.ANALYSIS,
                status=WorkTag.Status.PENDING,
                confidence=round(min(max(confidence, 0.0), 1.0), 4),
                position=position,
            )
        )
        position += 1
    return created


def _cast(analysis: Analysis) -> list[dict]:
    """The characters worth listing: a narrator, anyone who speaks, anyone named twice."""
    cast = [
        c
        for c in analysis.characters
        if c.narrator or c.dialogue_share > 0 or c.mentions >= MIN_CHARACTER_MENTIONS
    ]
    cast.sort(key=lambda c: (not c.narrator, -c.mentions, -c.dialogue_share))
    return [
        {
            "name": c.name,
            "tag": c.tag,
            "mentions": c.mentions,
            "gender": c.gender,
            "narrator": c.narrator,
            "dialogue_share": c.dialogue_share,
        }
        for c in cast[:CAST_SIZE]
    ]


def _store_analysis(work: Work, analysis: Analysis) -> list[WorkTag]:
    """Narration, cast and reading time on the work, then the suggested tags (see Work.cast)."""
    attributed = sum(c.dialogue_share for c in analysis.characters)
    unattributed = round(max(0.0, 1.0 - attributed), 3) if analysis.dialogue_share else 0.0
    work.pov = analysis.pov if analysis.pov in Work.Pov.values else ""
    work.tense = analysis.tense if analysis.tense in Work.Tense.values else ""
    work.dialogue_share = analysis.dialogue_share
    work.analysis = {
        "characters": _cast(analysis),
        "unattributed_share": unattributed,
        "reading_minutes": analysis.reading_minutes,
    }
    work.save(update_fields=["pov", "tense", "dialogue_share", "analysis", "modified_at"])
    return _suggest_tags(work, analysis)


def parsed_from_stored(work: Work) -> ParsedWork:
    """A ParsedWork rebuilt from what the archive stored, enough for the analysis to read.

    Chapter bodies come back as plain-text paragraphs (`Chapter.body_text` keeps blank lines
    between blocks and `* * *` for scene breaks); tags are the work's own, not suggestions.
    """
    tags = [
        ParsedTag(TagType(wt.tag.type), wt.tag.name)
        for wt in work.work_tags.select_related("tag").exclude(source=WorkTag.Source.ANALYSIS)
    ]
    chapters = [
        ParsedChapter(
            number=chapter.position,
            title=chapter.title,
            blocks=[
                Block(kind="break") if part.strip() == "* * *" else Block(html=html.escape(part))
                for part in chapter.body_text.split("\n\n")
                if part.strip()
            ],
        )
        for chapter in work.chapters.all()
    ]
    return ParsedWork(
        title=work.title, tags=tags, language=work.language, rating=work.rating, chapters=chapters
    )


def reanalyse_work(work: Work) -> list[WorkTag]:
    """Run the analysis again on a stored work; returns the pending suggestions it now has.

    Pending suggestions are replaced; accepted and rejected ones are people's decisions and
    stay (a rejected tag is not suggested again). The creator's tags are never touched.
    """
    analysis = analyse_work(parsed_from_stored(work))  # outside the transaction: the slow part
    with transaction.atomic():
        WorkTag.objects.filter(
            work=work, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
        ).delete()
        return _store_analysis(work, analysis)


# --- Review of suggestions ----------------------------------------------------------------------


def can_review(user, work: Work) -> bool:
    """Archivists (staff) and the users who own one of the work's creators review its suggestions."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Creator.objects.filter(user=user, pseuds__works=work).exists()


def review_suggestion(work_tag: WorkTag, user, accept: bool) -> WorkTag:
    """Accept (the tag then counts publicly) or reject (hidden) a tag the analysis suggested.

    Either decision can be changed later by another review. Raises PermissionDenied for anyone
    but the work's creators and archivists, ValueError for a tag not suggested by the analysis.
    """
    if not can_review(user, work_tag.work):
        raise PermissionDenied(
            "Only the work's creators and the archivists can review its suggested tags."
        )
    if work_tag.source != WorkTag.Source.ANALYSIS:
        raise ValueError(
            "only tags suggested by the analysis are reviewed; this one is the work's own"
        )
    work_tag.status = WorkTag.Status.ACCEPTED if accept else WorkTag.Status.REJECTED
    with transaction.atomic():
        work_tag.save(update_fields=["status"])
    return work_tag
