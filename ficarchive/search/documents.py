"""A work as the search engines see it: its texts, canonical tag ids, numbers and sort keys.

Built in batches straight from the database (a few queries per batch, whatever its size), so
`reindex` streams 100,000 works without holding them all in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ficarchive.archive.models import Chapter, Creatorship, Work, WorkTag

EPOCH = dt.date(1970, 1, 1)
_ARTICLES = ("the ", "a ", "an ")


def html_text(html: str) -> str:
    return HTMLParser(html).text(separator=" ").strip() if html else ""


def sortable(text: str) -> str:
    """Lower case without a leading article, as a library shelves titles ("The Gift" under G)."""
    text = " ".join(text.lower().split())
    for article in _ARTICLES:
        if text.startswith(article) and len(text) > len(article):
            return text[len(article) :]
    return text


def days(date: dt.date | None) -> int:
    """Days since 1970 (the engines keep unsigned numbers); 0 for unknown, so an older date
    counts as the first day."""
    return max(1, (date - EPOCH).days) if date else 0


@dataclass
class WorkDocument:
    id: int
    title: str
    summary: str  # the work's summary
    notes: str  # work and chapter notes, chapter titles, summaries and epigraphs
    body: str  # the chapters' text
    creators: list[str]
    tags: dict[str, list[int]] = field(default_factory=dict)  # type -> canonical tag ids
    tag_names: dict[str, list[str]] = field(default_factory=dict)  # type -> names (+ synonyms)
    suggested: dict[str, list[int]] = field(default_factory=dict)  # pending analysis tags
    language: str = ""
    pov: str = ""
    tense: str = ""
    complete: bool | None = None
    restricted: bool = False  # for logged-in users only: never found by anonymous searches
    words: int = 0
    published: int = 0  # days since 1970-01-01, 0 when unknown
    updated: int = 0
    kudos: int = 0
    hits: int = 0
    bookmarks: int = 0
    comments: int = 0

    @property
    def fandom_count(self) -> int:
        return len(self.tags.get("fandom", ()))

    @property
    def title_key(self) -> str:
        return sortable(self.title)

    @property
    def creator_key(self) -> str:
        return sortable(self.creators[0]) if self.creators else "\uffff"  # anonymous last


def documents(work_ids: Iterable[int], batch: int = 200) -> Iterator[WorkDocument]:
    """Documents for the works that exist among `work_ids` (deleted ones are simply absent)."""
    ids = list(work_ids)
    for start in range(0, len(ids), batch):
        yield from _batch(ids[start : start + batch])


def _batch(ids: list[int]) -> list[WorkDocument]:
    works = {w.pk: w for w in Work.objects.filter(pk__in=ids)}
    creators: dict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        Creatorship.objects.filter(work_id__in=works)
        .order_by("work_id", "position")
        .values_list("work_id", "pseud__name")
    ):
        creators[work_id].append(name)
    tag_rows = (
        WorkTag.objects.filter(work_id__in=works)
        .exclude(status=WorkTag.Status.REJECTED)
        .order_by("work_id", "position", "id")
        .values_list(
            "work_id", "status", "tag_id", "tag__type", "tag__name", "tag__merger_id",
            "tag__merger__name",
        )
    )  # fmt: skip
    tags: dict[int, list[tuple]] = defaultdict(list)
    for row in tag_rows:
        tags[row[0]].append(row[1:])
    texts: dict[int, list[str]] = defaultdict(list)
    notes: dict[int, list[str]] = defaultdict(list)
    for work_id, title, epigraph, summary, chapter_notes, end_notes, body in (
        Chapter.objects.visible()
        .filter(work_id__in=works)
        .order_by("work_id", "position")
        .values_list(
            "work_id", "title", "epigraph_html", "summary_html", "notes_html", "end_notes_html",
            "body_text",
        )
    ):  # fmt: skip
        texts[work_id].append(body)
        notes[work_id].extend(
            [title, *(html_text(h) for h in (epigraph, summary, chapter_notes, end_notes))]
        )
    docs = []
    for work_id in ids:
        work = works.get(work_id)
        if work is None:
            continue
        doc = WorkDocument(
            id=work.pk,
            title=work.title,
            summary=html_text(work.summary_html),
            notes=" \n".join(
                t
                for t in [html_text(work.notes_html), html_text(work.end_notes_html)]
                + notes[work_id]
                if t
            ),  # fmt: skip
            body="\n\n".join(texts[work_id]),
            creators=creators[work_id],
            language=work.language,
            pov=work.pov,
            tense=work.tense,
            complete=work.complete,
            restricted=work.restricted,
            words=work.word_count,
            published=days(work.published),
            updated=days(work.updated or work.published),
            kudos=work.kudos_count,
            hits=work.hits_count,
            bookmarks=work.bookmarks_count,
            comments=work.comments_count,
        )
        for status, tag_id, tag_type, name, merger_id, merger_name in tags[work_id]:
            target = doc.tags if status == WorkTag.Status.ACCEPTED else doc.suggested
            canonical = merger_id or tag_id
            if canonical not in target.setdefault(tag_type, []):
                target[tag_type].append(canonical)
            if status == WorkTag.Status.ACCEPTED:
                names = doc.tag_names.setdefault(tag_type, [])
                names.extend(n for n in (name, merger_name) if n and n not in names)
        docs.append(doc)
    return docs
