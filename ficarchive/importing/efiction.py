"""Storing an eFiction archive: each planned story a work, with its series, reviews and contacts.

The reading and planning are pure (`ficarchive.rescue.efiction`); this module stores what the
plan says through the one write path (`ingest.prepare`, `actions.store_works`). Each story is
one transaction with its extras — its place in a series, its reviews as comments, its
coauthors' private contacts — so a broken story costs only itself and never leaves half a work.

`plan` and `apply` are the two steps, as the browser import runs them (`importing.rescue`);
`run` is the whole command (`ficarchive import-efiction DUMP --stories DIR [--data DIR]
[--plan FILE] [--apply FILE]`): with `plan_out` it only writes the plan; otherwise it imports
and returns the plan with each work's outcome filled in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ficarchive.archive import ingest
from ficarchive.archive.actions import ImportResult, store_works
from ficarchive.archive.models import Contact, Creatorship, Series, SeriesWork, Source, Work
from ficarchive.community.actions import recount_works
from ficarchive.community.models import Comment
from ficarchive.rescue.efiction import (
    EfictionArchive,
    author_contacts,
    build_work,
    check_plan,
    key_id,
    plan_efiction,
    read_dump,
    story_blocks,
)
from ficarchive.rescue.plan import Plan, PlanError, PlannedWork
from ficarchive.text.errors import StoryError

log = logging.getLogger("ficarchive.import")

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Review:
    position: int  # the chapter (1..n) the review is attached to
    name: str
    body_html: str
    created_at: dt.datetime | None


@dataclass(slots=True)
class SeriesPart:
    key: int  # the site's series id
    title: str
    summary_html: str
    position: int


@dataclass(slots=True)
class Extras:
    """What an eFiction story brings besides the work itself."""

    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # (pen name, kind, value)
    reviews: list[Review] = field(default_factory=list)
    series: list[SeriesPart] = field(default_factory=list)


# --- The command -------------------------------------------------------------------------------


def run(
    dump: Path | str,
    stories: Path | str,
    data: Path | str | None = None,
    plan_out: Path | str | None = None,
    plan_in: Path | str | None = None,
    *,
    analyse: bool = True,
    progress: Progress | None = None,
) -> Plan:
    """Plan (with `plan_out`: write it and stop) or import an eFiction archive; the plan back.

    With `plan_in`, the archivist's edited plan is applied instead of a fresh one.
    """
    archive = read_dump(dump)
    if plan_in is not None:
        plan = Plan.from_json(Path(plan_in).read_text(encoding="utf-8"), name=str(plan_in))
        if plan.kind != "efiction":
            raise PlanError(
                f"{plan_in} is a plan for a {plan.kind!r} import; give a plan written by "
                "import-efiction --plan"
            )
        check_plan(plan, archive)
    else:
        plan = plan_efiction(archive, stories, data)
    _place(plan, dump, stories)
    if plan_out is not None:
        Path(plan_out).write_text(plan.to_json(), encoding="utf-8")
        return plan
    return import_efiction(
        plan, archive, stories_dir=stories, data_dir=data, analyse=analyse, progress=progress
    )


def plan(dump: Path | str, stories: Path | str, data: Path | str | None = None) -> Plan:
    """A fresh plan for the dump and its chapter files (as `--plan` writes it); writes nothing."""
    return _place(plan_efiction(read_dump(dump), stories, data), dump, stories)


def apply(plan: Plan, *, analyse: bool = True, progress: Progress | None = None) -> Plan:
    """Import a plan from `plan` (edited or not): the dump it names, checked against the plan."""
    archive = read_dump(_dump_of(plan))
    check_plan(plan, archive)
    return import_efiction(plan, archive, analyse=analyse, progress=progress)


def _place(plan: Plan, dump: Path | str, stories: Path | str) -> Plan:
    """Where the plan's material is: chapter files under `root`, the dump in `extra["dump"]`."""
    plan.root = str(stories)
    plan.extra["dump"] = str(dump)
    return plan


def _dump_of(plan: Plan) -> str:
    dump = plan.extra.get("dump")
    if not isinstance(dump, str) or not dump:
        raise PlanError(
            'the plan does not say which dump it was made from (extra "dump"); plan again '
            "with import-efiction --plan and edit that plan"
        )
    return dump


def import_efiction(
    plan: Plan,
    archive: EfictionArchive,
    *,
    stories_dir: Path | str | None = None,
    data_dir: Path | str | None = None,
    analyse: bool = True,
    progress: Progress | None = None,
) -> Plan:
    """Store every work the plan imports, one transaction each; outcomes set on the plan."""
    stories_dir = Path(stories_dir if stories_dir is not None else plan.root)
    data = data_dir if data_dir is not None else plan.extra.get("data")
    data_dir = Path(data) if data else None
    places = _series_places(plan, archive)
    series_ids: dict[int, int] = {}  # the site's series id -> the stored Series
    todo = [w for w in plan.works if w.action == "import"]
    for work in plan.works:
        if work.action == "skip":
            work.outcome = "skipped"
        elif work.action == "update":
            work.outcome = (
                "not done: eFiction stories are imported, not updated; use import --update"
            )
    for done, work in enumerate(todo, start=1):
        work.outcome = _import_one(
            work, plan, archive, stories_dir, data_dir, places, series_ids, analyse
        )
        if progress is not None:
            progress(done, len(todo))
    return plan


def _import_one(
    work: PlannedWork,
    plan: Plan,
    archive: EfictionArchive,
    stories_dir: Path,
    data_dir: Path | None,
    places: dict[str, list[SeriesPart]],
    series_ids: dict[int, int],
    analyse: bool,
) -> str:
    """The outcome of importing one planned story: "imported #12", "duplicate of #3", "failed: …"."""
    try:
        parsed = build_work(work, archive, stories_dir, plan.tag_mappings, data_dir)
        raw = _source_bytes(work, parsed)
        prepared = ingest.prepare(
            parsed,
            raw=raw,
            filename=parsed.source.filename,
            url=parsed.source.url,
            analysis=analyse,
        )
        extras = Extras(
            contacts=_coauthor_contacts(
                work, archive, parsed.creators[0].name if parsed.creators else ""
            ),
            reviews=_reviews(work, parsed, archive),
            series=places.get(work.key, []),
        )
        result = store_efiction_work(prepared, extras, series_ids)
    except StoryError as exc:
        return f"failed: {exc}"
    except Exception as exc:
        log.exception("importing %s failed", work.key)
        return f"failed: unexpected error ({type(exc).__name__}: {exc}); please report it"
    if result.status == "imported":
        return f"imported #{result.work.pk}"
    return f"duplicate of #{result.work.pk}"


def _source_bytes(work: PlannedWork, parsed) -> bytes:
    """What the Source's hash is of: the story's key and text, so a second run finds it again."""
    text = "\n\n".join(chapter.text for chapter in parsed.chapters)
    return f"{work.key}\n{text}".encode()


def _coauthor_contacts(
    work: PlannedWork, archive: EfictionArchive, first: str
) -> list[tuple[str, str, str]]:
    """The coauthors' contacts; the first author's go with the work (`ParsedWork.contacts`)."""
    story = archive.stories[key_id(work.key)]
    return [
        (name, contact.kind, contact.value)
        for name, contacts in author_contacts(story, archive).items()
        if name != first
        for contact in contacts
    ]


def _reviews(work: PlannedWork, parsed, archive: EfictionArchive) -> list[Review]:
    """The story's reviews, each on the chapter it reviewed (else the first), oldest first."""
    positions = {
        key_id(work.chapters[chapter.number - 1].source): position
        for position, chapter in enumerate(parsed.chapters, start=1)
    }
    sid = key_id(work.key)
    reviews = []
    for review in archive.reviews:
        if review.sid != sid:
            continue
        body = ingest.html_of(story_blocks(review.text))
        if not body.strip():
            continue  # a rating without words
        reviews.append(
            Review(
                position=positions.get(review.chapid, 1),
                name=review.reviewer[:100],
                body_html=body,
                created_at=_aware(review.date),
            )
        )
    return sorted(reviews, key=lambda r: (r.created_at is None, r.created_at or dt.datetime.min))


def _aware(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _series_places(plan: Plan, archive: EfictionArchive) -> dict[str, list[SeriesPart]]:
    """Each work's series and position, from the plan's `extra["series"]` (the archivist's)."""
    places: dict[str, list[SeriesPart]] = {}
    for entry in plan.extra.get("series", []):
        site = archive.series.get(entry.get("id"))
        summary = ingest.html_of(story_blocks(site.summary)) if site is not None else ""
        for position, key in enumerate(entry.get("works", []), start=1):
            places.setdefault(key, []).append(
                SeriesPart(entry.get("id"), str(entry.get("title", "")), summary, position)
            )
    return places


# --- The write: one story and its extras, in one transaction -----------------------------------


def store_efiction_work(
    prepared: ingest.PreparedWork, extras: Extras, series_ids: dict[int, int]
) -> ImportResult:
    """Store one eFiction story with its contacts, series place and reviews, all or nothing.

    `series_ids` maps the site's series ids to the series stored so far in this import; a new
    series is created for the first of its works and the map updated.
    """
    with transaction.atomic():
        result = store_works([prepared])[0]
        if result.status != "imported":
            return result
        work = result.work
        _store_contacts(work, extras.contacts)
        created = _store_series(work, extras.series, series_ids)
        _store_reviews(work, extras.reviews)
    series_ids.update(created)  # only once the transaction has committed
    return result


def _store_contacts(work: Work, contacts: list[tuple[str, str, str]]) -> None:
    if not contacts:
        return
    pseuds = {
        c.pseud.name: c.pseud for c in Creatorship.objects.filter(work=work).select_related("pseud")
    }
    source = Source.objects.filter(work=work).first()
    for name, kind, value in contacts:
        pseud = pseuds.get(name[:200])
        if pseud is not None:
            Contact.objects.get_or_create(
                pseud=pseud, kind=kind, value=value[:500], defaults={"source": source}
            )


def _store_series(
    work: Work, parts: list[SeriesPart], series_ids: dict[int, int]
) -> dict[int, int]:
    created = {}
    for part in parts:
        series = Series.objects.filter(pk=series_ids.get(part.key)).first()
        if series is None:
            series = Series.objects.create(title=part.title[:500], summary_html=part.summary_html)
            created[part.key] = series.pk
        SeriesWork.objects.create(series=series, work=work, position=part.position)
    return created


def _store_reviews(work: Work, reviews: list[Review]) -> None:
    if not reviews:
        return
    chapters = {chapter.position: chapter for chapter in work.chapters.all()}
    comments = Comment.objects.bulk_create(
        Comment(
            work=work,
            chapter=chapters.get(review.position) or chapters[min(chapters)],
            guest_name=review.name,
            body_html=review.body_html,
        )
        for review in reviews
    )
    for comment, review in zip(comments, reviews):
        if review.created_at is not None:  # auto_now_add set "now" on create: the review's date
            Comment.objects.filter(pk=comment.pk).update(created_at=review.created_at)
    recount_works([work.pk])
