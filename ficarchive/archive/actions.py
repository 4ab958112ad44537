"""The one write path: every change to works, chapters, creators and tags happens here.

Each action runs in one transaction, so a failure leaves nothing behind. Views and the CLI
call these; they never write models directly.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from ficarchive.accounts.permissions import can_review_suggestions
from ficarchive.analysis.analyse import analyse_work
from ficarchive.analysis.model import Analysis
from ficarchive.analysis.tagging import listed_cast, suggested_tags, tag_key
from ficarchive.rescue import similarity
from ficarchive.search.indexing import enqueue
from ficarchive.text.model import Block, ParsedWork, TagType
from ficarchive.text.model import Chapter as ParsedChapter
from ficarchive.text.model import Tag as ParsedTag

from . import ingest
from .ingest import PreparedWork
from .models import (
    Chapter,
    Contact,
    Creator,
    Creatorship,
    Pseud,
    SignatureBand,
    Source,
    Tag,
    Work,
    WorkSignature,
    WorkTag,
    unique_slugs,
)

CAST_SIZE = 12  # characters kept for the cast list on the work page


@dataclass(frozen=True)
class ImportResult:
    status: str  # "imported" or "duplicate"
    work: Work


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _pseud(name: str) -> Pseud:
    """The pseud of that name, or a new creator with it (imported names are matched by name)."""
    return _pseuds([name])[name[:200]]


def _pseuds(names: list[str]) -> dict[str, Pseud]:
    """The pseuds of these names (the oldest of each name), new creators for the unknown ones."""
    names = list(dict.fromkeys(name[:200] for name in names))
    found: dict[str, Pseud] = {}
    for pseud in Pseud.objects.filter(name__in=names).order_by("-id"):
        found[pseud.name] = pseud  # the oldest comes last and wins
    missing = [name for name in names if name not in found]
    if missing:
        creators = Creator.objects.bulk_create([Creator() for _ in missing])
        new = Pseud.objects.bulk_create(
            Pseud(creator=creator, name=name, slug=slug)
            for creator, name, slug in zip(creators, missing, unique_slugs(Pseud, missing))
        )
        found.update((pseud.name, pseud) for pseud in new)
    return found


def _tag(tag_type: str, name: str) -> Tag:
    return _tags([(tag_type, name)])[(tag_type, name[:300])]


def _tags(wanted: list[tuple[str, str]]) -> dict[tuple[str, str], Tag]:
    """The tags of these (type, name) pairs, the new ones created."""
    ids = _tag_ids(wanted)
    rows = Tag.objects.in_bulk(set(ids.values()))
    return {key: rows[pk] for key, pk in ids.items()}


def _tag_ids(wanted: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The ids of the tags of these (type, name) pairs, the new ones created: a query or two per
    type, and no model instances for the ones that exist (a batch of imports names thousands)."""
    by_type: dict[str, list[str]] = {}
    for tag_type, name in dict.fromkeys((str(t), n[:300]) for t, n in wanted):
        by_type.setdefault(tag_type, []).append(name)
    found: dict[tuple[str, str], int] = {}
    for tag_type, names in by_type.items():
        rows = Tag.objects.filter(type=tag_type, name__in=names).values_list("name", "pk")
        found.update(((tag_type, name), pk) for name, pk in rows)
        missing = [name for name in names if (tag_type, name) not in found]
        if missing:
            slugs = unique_slugs(Tag, missing, type=tag_type)
            for tag in Tag.objects.bulk_create(
                Tag(type=tag_type, name=name, slug=slug) for name, slug in zip(missing, slugs)
            ):
                found[tag_type, tag.name] = tag.pk
    return found


def import_work(
    parsed: ParsedWork, *, raw: bytes, filename: str = "", url: str = "", analyse: bool = True
) -> ImportResult:
    """Store a parsed work with its creators, tags, chapters and source, or find it already here.

    With `analyse`, the analysis's cast, narration and suggested tags (pending review) are
    stored in the same transaction as the work. Many files at once: `ingest.prepare` them (in
    worker processes) and `store_works` them in batches, as `ficarchive import` does.
    """
    prepared = ingest.prepare(parsed, raw=raw, filename=filename, url=url, analysis=analyse)
    return store_works([prepared])[0]


def store_works(prepared: list[PreparedWork]) -> list[ImportResult]:
    """Store prepared works in one transaction, in bulk; one ImportResult each, in order.

    A work whose bytes or content (`fingerprint`) are already stored, or earlier in the same
    list, is not stored again: its result is "duplicate" with the work found. Anything going
    wrong rolls the whole list back; callers that want one work's failure to cost only that
    work retry the works one by one (see `importing.batch.import_files`).
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _store_batch(prepared)
        except IntegrityError:
            # A concurrent import (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers)
            # stored the same work, or a tag or pseud these share: look again, retry once.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _stored(prepared: list[PreparedWork]) -> dict[str, Work]:
    """The works already stored from these bytes (by sha256) or with this content (fingerprint)."""
    sources = Source.objects.filter(sha256__in=[p.sha256 for p in prepared])
    stored = {source.sha256: source.work for source in sources.select_related("work")}
    stored.update(
        (work.content_hash, work)
        for work in Work.all_objects.filter(content_hash__in=[p.fingerprint for p in prepared])
    )
    return stored


def _store_batch(prepared: list[PreparedWork]) -> list[ImportResult]:
    results: list[ImportResult | None] = [None] * len(prepared)
    stored = _stored(prepared)
    earlier: dict[str, int] = {}  # sha256 or fingerprint -> index of the work stored for it
    fresh: list[int] = []
    duplicates_of: dict[int, int] = {}
    for i, p in enumerate(prepared):
        found = stored.get(p.sha256) or stored.get(p.fingerprint)
        if found is not None:
            results[i] = ImportResult("duplicate", found)
        elif p.sha256 in earlier or p.fingerprint in earlier:
            duplicates_of[i] = earlier.get(p.sha256, earlier.get(p.fingerprint))
        else:
            earlier[p.sha256] = earlier[p.fingerprint] = i
            fresh.append(i)
    if not fresh:
        return results  # type: ignore[return-value]

    works = Work.objects.bulk_create(_work_row(prepared[i]) for i in fresh)
    for i, work in zip(fresh, works):
        results[i] = ImportResult("imported", work)
    for i, first in duplicates_of.items():
        results[i] = ImportResult("duplicate", results[first].work)
    pairs = [(prepared[i], work) for i, work in zip(fresh, works)]

    sources = Source.objects.bulk_create(
        Source(
            work=work, filename=p.filename, url=p.url, format=p.format, encoding=p.encoding,
            site=p.site, sha256=p.sha256, size=p.size, warnings=p.warnings,
        )
        for p, work in pairs
    )  # fmt: skip
    pseuds = _pseuds([name for p, _ in pairs for name in p.creators])
    _insert_rows(
        Creatorship,
        ("work_id", "pseud_id", "position"),
        (
            (work.pk, pseuds[name].pk, position)
            for p, work in pairs
            for position, name in enumerate(p.creators)
        ),
    )
    contacts = {}
    for (p, _), source in zip(pairs, sources):
        pseud = pseuds[p.creators[0]] if p.creators else None
        for kind, value in p.contacts:
            contacts.setdefault((pseud.pk if pseud else None, kind, value), (pseud, source))
    known = {
        (c.pseud_id, c.kind, c.value)
        for c in Contact.objects.filter(
            pseud__in=[pseud for pseud, _ in contacts.values() if pseud is not None]
        )
    }
    Contact.objects.bulk_create(
        Contact(pseud=pseud, kind=kind, value=value, source=source)
        for (pseud_id, kind, value), (pseud, source) in contacts.items()
        if (pseud_id, kind, value) not in known
    )
    tags = _tag_ids([pair for p, _ in pairs for pair in p.tags])
    IMPORTED, ACCEPTED = WorkTag.Source.IMPORTED.value, WorkTag.Status.ACCEPTED.value
    carried: dict[int, list[tuple[int, int]]] = {}  # work id -> (tag id, position)
    for p, work in pairs:
        rows = carried[work.pk] = []
        seen: set[int] = set()
        for position, key in enumerate(p.tags):
            if tags[key] not in seen:
                seen.add(tags[key])
                rows.append((tags[key], position))
    _insert_rows(
        WorkTag,
        ("work_id", "tag_id", "source", "status", "position"),
        (
            (work_id, tag_id, IMPORTED, ACCEPTED, position)
            for work_id, rows in carried.items()
            for tag_id, position in rows
        ),
    )
    # Positions are 1..n in reading order whatever the source numbered (two "Chapter 1"s, a
    # prologue numbered 0): URLs and prev/next navigation rely on them.
    _insert_rows(
        Chapter,
        ("work_id", "position", "title", "epigraph_html", "summary_html", "notes_html",
         "end_notes_html", "body_html", "body_text", "word_count", "fingerprint"),
        (
            (work.pk, position, c.title, c.epigraph_html, c.summary_html, c.notes_html,
             c.end_notes_html, c.body_html, c.body_text, c.word_count, c.fingerprint)
            for p, work in pairs
            for position, c in enumerate(p.chapters, start=1)
        ),
    )  # fmt: skip
    _store_signatures([(work, p.minhash, p.shingles) for p, work in pairs])
    _suggest([(work, p.analysis, carried[work.pk]) for p, work in pairs if p.analysis is not None])
    # bulk_create sends no signals: queue the new works for the search index here.
    enqueue([work.pk for work in works])
    return results  # type: ignore[return-value]


def _insert_rows(model: type[models.Model], columns: tuple[str, ...], rows) -> None:
    """Insert plain rows in one `executemany`: the parts of a work that nothing reads back.

    `bulk_create` builds a model instance per row, which costs more than the insert itself
    when a batch of works brings thousands of tag links and chapters.
    """
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(name).column) for name in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def _work_row(p: PreparedWork) -> Work:
    return Work(
        title=p.title,
        title_missing=p.title_missing,
        summary_html=p.summary_html,
        notes_html=p.notes_html,
        end_notes_html=p.end_notes_html,
        rating=p.rating,
        language=p.language,
        complete=p.complete,
        expected_chapters=p.expected_chapters,
        word_count=p.word_count,
        chapter_count=len(p.chapters),
        published=_date(p.published),
        updated=_date(p.updated) or _date(p.published),
        content_hash=p.fingerprint,
        **(_analysis_fields(p.analysis) if p.analysis is not None else {}),
    )


# --- Signatures and new versions ---------------------------------------------------------------


def sign_works(works: list[tuple[Work, list[str]]]) -> None:
    """Store each (work, chapter texts)'s signature, computed here: for works whose text
    changed in place or was stored before signatures existed."""
    signed = []
    for work, texts in works:
        sig, size = similarity.sketch(similarity.story_text(texts))
        signed.append((work, similarity.to_bytes(sig), size))
    _store_signatures(signed)


def _store_signatures(works: list[tuple[Work, bytes, int]]) -> None:
    """The near-duplicate signature and LSH band keys of each (work, signature, shingles),
    replacing any the work had: what `importing.versions` looks works alike up by."""
    if not works:
        return
    ids = [work.pk for work, _, _ in works]
    WorkSignature.objects.filter(work_id__in=ids).delete()
    SignatureBand.objects.filter(work_id__in=ids).delete()
    rows, bands = [], []
    for work, minhash, size in works:
        rows.append(
            WorkSignature(work_id=work.pk, minhash=minhash, shingles=size, scheme=similarity.SCHEME)
        )
        bands.extend((work.pk, key) for key in similarity.band_keys(similarity.from_bytes(minhash)))
    WorkSignature.objects.bulk_create(rows)
    _insert_rows(SignatureBand, ("work_id", "key"), bands)


@dataclass(frozen=True)
class UpdateResult:
    """What `update_work_from` did to a work: every chapter is in one of the lists or counted."""

    work: Work
    added: list[Chapter]  # new in this version, subscribers told
    changed: list[Chapter]  # text changed, updated in place (same id: comments stay)
    unchanged: int
    missing: list[Chapter]  # stored, not in the new version: kept, never deleted
    source: Source | None  # the new version's source; None when these bytes were recorded
    notified: int  # notifications sent about the added chapters

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.source)

    def summary(self) -> str:
        """One line for the import report."""
        parts = [
            f"{len(self.added)} chapter(s) added",
            f"{len(self.changed)} changed",
            f"{self.unchanged} unchanged",
        ]
        line = f"work #{self.work.pk}: " + ", ".join(parts)
        if self.missing:
            kept = ", ".join(
                f"{c.position} {c.title!r}" if c.title else str(c.position) for c in self.missing
            )
            line += f"; kept chapter(s) the new version lacks: {kept}"
        if self.notified:
            line += f"; {self.notified} subscriber notification(s)"
        return line


_CHAPTER_METADATA = ("title", "epigraph_html", "summary_html", "notes_html", "end_notes_html")
_CHAPTER_TEXT = ("body_html", "body_text", "word_count")


def update_work_from(work: Work, prepared: PreparedWork) -> UpdateResult:
    """Make a stored work the newer version `prepared` is, in place, in one transaction.

    The work keeps its id, URLs, kudos, comments and bookmarks. Stored chapters are matched to
    the new ones (`rescue.similarity.align_chapters`, by position as a last resort, as the
    caller says this is the same work): a changed chapter is updated in place (its id and
    comments stay), a new one is inserted where the new version has it and its subscribers
    are told, and one the new version lacks is kept and reported, never deleted. Metadata the
    new version gives replaces the stored (nothing is emptied); its creators and tags are
    added to the work's; the new source, counts, fingerprints, signature and search index
    follow. Raises ValueError when the new version is already another work.
    """
    from ficarchive.community.actions import notify_new_chapter

    with transaction.atomic():
        work = Work.all_objects.select_for_update().get(pk=work.pk)
        source = _version_source(work, prepared)
        old = list(work.chapters.order_by("position"))
        alignment = similarity.align_chapters(
            [c.body_text for c in old], [c.body_text for c in prepared.chapters], by_position=True
        )
        changed = _update_matched_chapters(old, prepared, alignment)
        added = _insert_new_chapters(work, prepared, alignment, old)
        _refresh_work(work, prepared, touched=bool(added or changed))
        _add_version_creators_and_tags(work, prepared, source)
        if prepared.analysis is not None:
            WorkTag.objects.filter(
                work=work, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
            ).delete()
            _store_analysis(work, prepared.analysis)
        sign_works(
            [(work, list(work.chapters.order_by("position").values_list("body_text", flat=True)))]
        )
        enqueue([work.pk])
        notified = sum(notify_new_chapter(work, chapter) for chapter in added)
    missing = [old[i] for i in alignment.missing]
    return UpdateResult(
        work=work,
        added=added,
        changed=changed,
        unchanged=len(alignment.same),
        missing=missing,
        source=source,
        notified=notified,
    )


def _version_source(work: Work, p: PreparedWork) -> Source | None:
    """The new version's Source row (None when these bytes are already this work's)."""
    other = Work.objects.filter(content_hash=p.fingerprint).exclude(pk=work.pk).first()
    if other is not None:
        raise ValueError(
            f"the new version has the same text as work #{other.pk} ({other.title!r}), not "
            f"#{work.pk}; update that work instead, or delete one of the two first"
        )
    known = Source.objects.filter(sha256=p.sha256).first()
    if known is not None:
        if known.work_id != work.pk:
            raise ValueError(
                f"{p.filename or 'this file'} was imported as work #{known.work_id}, not "
                f"#{work.pk}; update that work instead"
            )
        return None
    return Source.objects.create(
        work=work, filename=p.filename, url=p.url, format=p.format, encoding=p.encoding,
        site=p.site, sha256=p.sha256, size=p.size, warnings=p.warnings,
    )  # fmt: skip


def _update_matched_chapters(old: list[Chapter], p: PreparedWork, alignment) -> list[Chapter]:
    """Stored chapters take the new version's text when it changed, and the chapter metadata
    it gives (a title, notes); returns the changed ones."""
    changed = []
    for match in alignment.matches:
        chapter, new = old[match.old], p.chapters[match.new]
        fields = [
            name
            for name in _CHAPTER_METADATA
            if getattr(new, name) and getattr(new, name) != getattr(chapter, name)
        ]
        if match.kind == "changed":
            fields += _CHAPTER_TEXT
            chapter.fingerprint = new.fingerprint
            fields.append("fingerprint")
            changed.append(chapter)
        elif not chapter.fingerprint:  # stored before fingerprints existed
            chapter.fingerprint = similarity.text_fingerprint(chapter.body_text)
            fields.append("fingerprint")
        for name in fields:
            if name != "fingerprint":
                setattr(chapter, name, getattr(new, name))
        if fields:
            chapter.save(update_fields=fields)
    return changed


def _insert_new_chapters(
    work: Work, p: PreparedWork, alignment, old: list[Chapter]
) -> list[Chapter]:
    """Create the chapters only the new version has, then number all in the merged order."""
    offset = len(old) + len(p.chapters) + 1000  # clear of every position in use meanwhile
    added = {
        j: Chapter.objects.create(
            work=work,
            position=offset + j + 1,
            fingerprint=p.chapters[j].fingerprint,
            **{name: getattr(p.chapters[j], name) for name in _CHAPTER_METADATA + _CHAPTER_TEXT},
        )
        for j in alignment.added
    }
    order = [old[i] if kind == "old" else added[i] for kind, i in alignment.order()]
    if [c.position for c in order] != list(range(1, len(order) + 1)):
        # Two passes, so no two chapters share a position in between (a unique constraint).
        for k, chapter in enumerate(order, start=1):
            chapter.position = offset * 2 + k
        Chapter.objects.bulk_update(order, ["position"])
        for k, chapter in enumerate(order, start=1):
            chapter.position = k
        Chapter.objects.bulk_update(order, ["position"])
    return [added[j] for j in sorted(added)]


def _refresh_work(work: Work, p: PreparedWork, *, touched: bool) -> None:
    """The work's metadata from the new version where it gives some, and its totals."""
    given = {
        "title": p.title if not p.title_missing else "",
        "summary_html": p.summary_html,
        "notes_html": p.notes_html,
        "end_notes_html": p.end_notes_html,
        "rating": p.rating,
        "language": p.language,
    }
    for name, value in given.items():
        if value:
            setattr(work, name, value)
    if not p.title_missing:
        work.title_missing = False
    if p.complete is not None:
        work.complete = p.complete
    if p.expected_chapters is not None:
        work.expected_chapters = p.expected_chapters
    work.published = work.published or _date(p.published)
    work.updated = _date(p.updated) or (timezone.localdate() if touched else work.updated)
    counts = list(work.chapters.values_list("word_count", flat=True))
    work.chapter_count, work.word_count = len(counts), sum(counts)
    work.content_hash = p.fingerprint
    work.save()


def _add_version_creators_and_tags(work: Work, p: PreparedWork, source: Source | None) -> None:
    """The new version's creators, contacts and imported tags the work lacks (none removed)."""
    pseuds = _pseuds(p.creators)
    have = set(work.creatorships.values_list("pseud_id", flat=True))
    position = max(work.creatorships.values_list("position", flat=True), default=-1) + 1
    for name in p.creators:
        if pseuds[name].pk not in have:
            Creatorship.objects.create(work=work, pseud=pseuds[name], position=position)
            have.add(pseuds[name].pk)
            position += 1
    first = pseuds[p.creators[0]] if p.creators else None
    for kind, value in p.contacts:
        Contact.objects.get_or_create(
            pseud=first, kind=kind, value=value, defaults={"source": source}
        )
    tags = _tag_ids(p.tags)
    carried = set(work.work_tags.values_list("tag_id", flat=True))
    position = max(work.work_tags.values_list("position", flat=True), default=-1) + 1
    for key in p.tags:
        if tags[key] not in carried:
            WorkTag.objects.create(
                work=work, tag_id=tags[key], source=WorkTag.Source.IMPORTED, position=position
            )
            carried.add(tags[key])
            position += 1


# --- Analysis: the cast, narration and suggested tags -------------------------------------------


def _suggest_tags(work: Work, analysis: Analysis) -> list[WorkTag]:
    """Add the analysis's tag suggestions to `work` as pending WorkTags.

    The work's own tags win: nothing is suggested that the work already carries, from its
    creator, its import or an earlier review, under that name, a synonym of it, or its
    canonical tag; existing WorkTags are never changed.
    """
    _suggest([(work, analysis, list(work.work_tags.values_list("tag_id", "position")))])
    return list(
        WorkTag.objects.filter(
            work=work, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
        ).order_by("position")
    )


def _cast(analysis: Analysis) -> list[dict]:
    """The cast the work page lists (`tagging.listed_cast`), as the work stores it."""
    return [
        {
            "name": c.name,
            "tag": c.tag,
            "mentions": c.mentions,
            "gender": c.gender,
            "narrator": c.narrator,
            "dialogue_share": c.dialogue_share,
        }
        for c in listed_cast(analysis)[:CAST_SIZE]
    ]


def _analysis_fields(analysis: Analysis) -> dict:
    """Narration, cast and reading time as the work stores them (see Work.cast)."""
    attributed = sum(c.dialogue_share for c in analysis.characters) + analysis.unnamed_share
    unattributed = round(max(0.0, 1.0 - attributed), 3) if analysis.dialogue_share else 0.0
    return {
        "pov": analysis.pov if analysis.pov in Work.Pov.values else "",
        "tense": analysis.tense if analysis.tense in Work.Tense.values else "",
        "dialogue_share": analysis.dialogue_share,
        "analysis": {
            "characters": _cast(analysis),
            "unnamed_share": analysis.unnamed_share,
            "unattributed_share": unattributed,
            "reading_minutes": analysis.reading_minutes,
        },
    }


def _suggest(batch: list[tuple[Work, Analysis, list[tuple[int, int]]]]) -> None:
    """The analysis's suggestions for each work, given the (tag id, position) of the tags it
    carries: a few queries for a whole batch of works (see `_suggest_tags` for the rules)."""
    if not batch:
        return
    Row = tuple[int, str, str]  # (id, type, name) of a tag
    merger_of: dict[int, int | None] = {}
    known: dict[int, Row] = {}

    def learn(ids: set[int]) -> None:
        """Fetch these tags and their canonical tags into `known` and `merger_of`."""
        rows = Tag.objects.filter(pk__in=ids - known.keys()).values_list(
            "pk", "type", "name", "merger_id"
        )
        for pk, tag_type, name, merger in rows:
            known[pk], merger_of[pk] = (pk, tag_type, name), merger
        mergers = {m for m in merger_of.values() if m} - known.keys()
        if mergers:
            learn(mergers)

    learn({tag_id for _, _, carried in batch for tag_id, _ in carried})
    wanted = {
        (str(t), " ".join(name.split())[:300])
        for _, analysis, _ in batch
        for t, name, _ in suggested_tags(analysis)
    }
    found: dict[tuple[str, str], int] = {}
    for tag_type in {t for t, _ in wanted}:
        names = [name for t, name in wanted if t == tag_type]
        exact = Tag.objects.filter(type=tag_type, name__in=names).values_list("name", "pk")
        found.update(((tag_type, name), pk) for name, pk in exact)
        missing = {name.lower(): name for name in names if (tag_type, name) not in found}
        if missing:  # the same name in another case, the oldest first (as name__iexact)
            other = (
                Tag.objects.annotate(lower=Lower("name"))
                .filter(type=tag_type, lower__in=list(missing))
                .order_by("-id")
                .values_list("lower", "pk")
            )
            found.update(((tag_type, missing[lower]), pk) for lower, pk in other)
    found.update(_tag_ids([key for key in wanted if key not in found]))
    learn(set(found.values()))

    new_rows = []
    for work, analysis, carried in batch:
        taken_ids: set[int] = set()
        taken_keys: set[tuple[str, str]] = set()
        for tag_id, _ in carried:
            for pk in (tag_id, merger_of[tag_id]):
                if pk:
                    _, tag_type, name = known[pk]
                    taken_ids.add(pk)
                    taken_keys.add((tag_type, tag_key(tag_type, name)))
        position = max((p for _, p in carried), default=0) + 1
        for tag_type, name, confidence in suggested_tags(analysis):
            key = (str(tag_type), tag_key(tag_type, name))
            if key in taken_keys:
                continue
            tag_id = found[str(tag_type), " ".join(name.split())[:300]]
            pk, real_type, real_name = known[merger_of[tag_id] or tag_id]
            if pk in taken_ids:
                continue
            taken_ids.add(pk)
            taken_keys.update({key, (real_type, tag_key(real_type, real_name))})
            confidence = round(min(max(confidence, 0.0), 1.0), 4)
            new_rows.append((work.pk, pk, WorkTag.Source.ANALYSIS.value,
                             WorkTag.Status.PENDING.value, confidence, position))  # fmt: skip
            position += 1
    _insert_rows(
        WorkTag, ("work_id", "tag_id", "source", "status", "confidence", "position"), new_rows
    )


def _store_analysis(work: Work, analysis: Analysis) -> list[WorkTag]:
    """The analysis's fields on a stored work, then its suggested tags."""
    fields = _analysis_fields(analysis)
    for name, value in fields.items():
        setattr(work, name, value)
    work.save(update_fields=[*fields, "modified_at"])
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


def review_suggestion(work_tag: WorkTag, user, accept: bool) -> WorkTag:
    """Accept (the tag then counts publicly) or reject (hidden) a tag the analysis suggested.

    Either decision can be changed later by another review. Raises PermissionDenied for anyone
    but the work's creators and archivists, ValueError for a tag not suggested by the analysis.
    """
    if not can_review_suggestions(user, work_tag.work):
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
