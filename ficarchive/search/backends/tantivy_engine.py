"""The embedded engine: a tantivy index in the data directory (the default; see bench/search.py).

Texts are tokenised with tantivy's English stemmer (`en_stem`: lower case, Snowball stems, no
stop words), the same analysis as the PostgreSQL backend. Filters, sorts and facet counts run
on fast fields. Sort keys carry the work id in their low bits, so equal values break ties by id
exactly as `ORDER BY value, id` does and every backend pages through the same order.

One writer at a time may hold an index (tantivy's lock file): `apply` waits a little for it and
otherwise raises `IndexBusy`, leaving the changes queued for the next drain.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tantivy

from ficarchive.search.backends import IndexBusy
from ficarchive.search.criteria import FACET_TYPES, SUGGESTED_TYPES, Criteria, Results
from ficarchive.search.documents import WorkDocument, days
from ficarchive.search.query import Clause

SCHEMA_VERSION = "5"  # 5: `restricted`
TEXT_FIELDS = ("title", "summary", "notes", "body", "creator", "tags")
BOOSTS = {"title": 4.0, "creator": 3.0, "tags": 2.0, "summary": 2.0, "notes": 1.0, "body": 1.0}
# Field queries (`fandom:buffy`) search these text fields.
FIELD_TEXT = {
    "creator": "creator",
    "title": "title",
    "summary": "summary",
    "tag": "tags",
    **{t: f"{t}_name" for t in FACET_TYPES},
}
SORT_FIELDS = {
    "updated": "updated_key",
    "published": "published_key",
    "title": "title_key",
    "creator": "creator_key",
    "words": "words_key",
    "kudos": "kudos_key",
    "hits": "hits_key",
    "bookmarks": "bookmarks_key",
    "comments": "comments_key",
}
ID_BITS = 32  # work ids below 4 billion; the value goes above them


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="en_stem")
    for tag_type in FACET_TYPES:
        sb.add_unsigned_field(tag_type, indexed=True, fast=True)  # canonical tag ids
        sb.add_text_field(f"{tag_type}_name", tokenizer_name="en_stem")
    for tag_type in SUGGESTED_TYPES:
        sb.add_unsigned_field(f"suggested_{tag_type}", indexed=True, fast=True)
    # Every tag id again in one field, to filter by: a tag page's query is then one term, not
    # seven (0.2 ms instead of 3 ms at 100,000 works; the per-type fields give the facets).
    sb.add_unsigned_field("tag", indexed=True)
    sb.add_unsigned_field("suggested_tag", indexed=True)
    for name in ("language", "pov", "tense", "complete", "restricted"):
        sb.add_text_field(name, tokenizer_name="raw")
    for name in ("words", "published", "updated", "fandom_count"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    for key in SORT_FIELDS.values():
        if key in ("title_key", "creator_key"):
            sb.add_text_field(key, tokenizer_name="raw", fast=True)
        else:
            sb.add_unsigned_field(key, fast=True)
    return sb.build()


def _complete(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def _document(doc: WorkDocument) -> tantivy.Document:
    d = tantivy.Document()
    d.add_unsigned("id", doc.id)
    d.add_text("title", doc.title)
    d.add_text("summary", doc.summary)
    d.add_text("notes", doc.notes)
    d.add_text("body", doc.body)
    d.add_text("creator", " \n".join(doc.creators))
    d.add_text("tags", " \n".join(n for names in doc.tag_names.values() for n in names))
    for tag_type, ids in doc.tags.items():
        for tag_id in ids:
            d.add_unsigned(tag_type, tag_id)
            d.add_unsigned("tag", tag_id)
    for tag_type, names in doc.tag_names.items():
        d.add_text(f"{tag_type}_name", " \n".join(names))
    for tag_type, ids in doc.suggested.items():
        if tag_type in SUGGESTED_TYPES:
            for tag_id in ids:
                d.add_unsigned(f"suggested_{tag_type}", tag_id)
                d.add_unsigned("suggested_tag", tag_id)
    for name in ("language", "pov", "tense"):
        d.add_text(name, getattr(doc, name) or "-")
    d.add_text("complete", _complete(doc.complete))
    d.add_text("restricted", "yes" if doc.restricted else "no")
    for name in ("words", "published", "updated"):
        d.add_unsigned(name, getattr(doc, name))
    d.add_unsigned("fandom_count", doc.fandom_count)
    for name in ("updated", "published", "words", "kudos", "hits", "bookmarks", "comments"):
        d.add_unsigned(f"{name}_key", (getattr(doc, name) << ID_BITS) | doc.id)
    d.add_text("title_key", f"{doc.title_key}\x00{doc.id:010d}")
    d.add_text("creator_key", f"{doc.creator_key}\x00{doc.id:010d}")
    return d


# Facet fields, costliest first (at 100,000 works: freeform 1.7 ms, character 1.3, relationship
# 0.7, fandom 0.6, the others less), so that every other one makes two even halves.
_COSTLIEST = ("freeform", "character", "relationship", "fandom")
_FACET_ORDER = [*_COSTLIEST, *(t for t in FACET_TYPES if t not in _COSTLIEST)]
_FACET_THREADS = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="facets")


def _facet_fields(c: Criteria) -> list[str]:
    fields = list(_FACET_ORDER)
    if c.suggested:
        fields += [f"suggested_{t}" for t in _FACET_ORDER if t in SUGGESTED_TYPES]
    return fields


def _aggregate(searcher, query: tantivy.Query, fields: list[str], size: int) -> dict:
    if not fields:
        return {}
    return searcher.aggregate(query, {f: {"terms": {"field": f, "size": size}} for f in fields})


def _merge_facets(buckets: dict, size: int) -> dict[str, list[tuple[int, int]]]:
    """The top `size` (tag id, count) of each type, suggestions counted with accepted tags."""
    facets: dict[str, dict[int, int]] = {t: {} for t in FACET_TYPES}
    for f, result in buckets.items():
        tag_type = f.removeprefix("suggested_")
        for bucket in result.get("buckets", []):
            key = int(bucket["key"])
            facets[tag_type][key] = facets[tag_type].get(key, 0) + bucket["doc_count"]
    return {
        t: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        for t, counts in facets.items()
    }


class TantivyBackend:
    name = "tantivy"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.schema = _schema()
        self.index = self._open()

    def _open(self) -> tantivy.Index:
        """Open the index, or make an empty one when it is missing or from another schema.

        A fresh index is empty: `needs_rebuild` tells the caller to queue every work.
        """
        marker = self.path / "ficarchive-schema"
        self.needs_rebuild = False
        if self.path.exists() and (
            not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION
        ):
            shutil.rmtree(self.path)
        if not self.path.exists():
            self.path.mkdir(parents=True)
            marker.write_text(SCHEMA_VERSION)
            self.needs_rebuild = True
        return tantivy.Index(self.schema, path=str(self.path), reuse=True)

    # --- writing --------------------------------------------------------------------------------

    def _writer(self, bulk: bool, wait: float) -> tantivy.IndexWriter:
        deadline = time.monotonic() + wait
        while True:
            try:
                if bulk:
                    return self.index.writer(heap_size=400_000_000, num_threads=2)
                return self.index.writer(heap_size=30_000_000, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise IndexBusy(str(exc)) from exc
                time.sleep(0.05)

    def apply(
        self,
        upserts: Iterable[WorkDocument],
        deletes: Iterable[int] = (),
        *,
        bulk: bool = False,
        clear: bool = False,
        wait: float = 5.0,
    ) -> int:
        """Replace the given works' documents, remove `deletes`, commit; returns documents added."""
        docs = list(upserts)
        stale = [] if clear else [*deletes, *(doc.id for doc in docs)]
        with self._lock:
            writer = self._writer(bulk, wait)
            try:
                if clear:
                    writer.delete_all_documents()
                if stale:
                    # By query: tantivy's delete-by-term makes a signed term for an int, which
                    # never matches this unsigned field.
                    writer.delete_documents_by_query(
                        tantivy.Query.term_set_query(self.schema, "id", stale)
                    )
                for doc in docs:
                    writer.add_document(_document(doc))
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            self.index.reload()
            return len(docs)

    # --- searching ------------------------------------------------------------------------------

    def _clause(self, clause: Clause) -> tantivy.Query:
        text = " ".join(clause.text.replace("\\", " ").replace('"', " ").split())
        if clause.field is None:
            return self.index.parse_query(f'"{text}"', list(TEXT_FIELDS), field_boosts=BOOSTS)
        words = self.index.parse_query(f'"{text}"', [FIELD_TEXT[clause.field]])
        if not clause.tags:
            return words
        # A field naming a tag: its words, or the tag, its synonyms and subtags (search.tags).
        Occur = tantivy.Occur
        return tantivy.Query.boolean_query(
            [(Occur.Should, words), (Occur.Should, self._tags("tag", list(clause.tags)))]
        )

    def _tags(self, field: str, ids: list[int]) -> tantivy.Query:
        # One id: a term query. A tag page's top 20 at 100,000 works takes 0.12 ms with it and
        # 0.8 ms with a term set of one id.
        if len(ids) == 1:
            return tantivy.Query.term_query(self.schema, field, ids[0])
        return tantivy.Query.term_set_query(self.schema, field, ids)

    def _tag_any(self, tag_ids: list[int], suggested: bool) -> tantivy.Query:
        """Works carrying any of the tags, of whatever type (and suggested, if asked)."""
        if not suggested:
            return self._tags("tag", tag_ids)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self._tags(f, tag_ids)) for f in ("tag", "suggested_tag")]
        )

    def _range(self, field: str, low: int | None, high: int | None) -> tantivy.Query:
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Unsigned, low, high)

    def compile(self, c: Criteria) -> tantivy.Query:
        Occur, Query = tantivy.Occur, tantivy.Query
        must: list[tantivy.Query] = []
        must_not: list[tantivy.Query] = []
        for group in c.query.groups:
            parts = [self._clause(clause) for clause in group]
            must.append(
                parts[0]
                if len(parts) == 1
                else Query.boolean_query([(Occur.Should, p) for p in parts])
            )
        must_not.extend(self._clause(clause) for clause in c.query.excluded)
        for tag_id in c.include:
            must.append(self._tag_any([tag_id], c.suggested))
        for group in c.any_of:
            if group:
                must.append(self._tag_any(group, c.suggested))
        if c.exclude:
            must_not.append(self._tag_any(c.exclude, False))
        if c.complete is not None:
            must.append(Query.term_query(self.schema, "complete", _complete(c.complete)))
        if not c.restricted:
            must_not.append(Query.term_query(self.schema, "restricted", "yes"))
        if c.words_min is not None or c.words_max is not None:
            must.append(self._range("words", c.words_min, c.words_max))
        if c.date_from or c.date_to:
            low = days(c.date_from) if c.date_from else 1
            high = days(c.date_to) if c.date_to else None
            must.append(self._range(c.date_field, low, high))
        for name in ("language", "pov", "tense"):
            value = getattr(c, name)
            if value:
                must.append(Query.term_query(self.schema, name, value))
        if c.crossover is True:
            must.append(self._range("fandom_count", 2, None))
        elif c.crossover is False:
            must.append(self._range("fandom_count", None, 1))
        if not must:
            must.append(Query.all_query())
        return Query.boolean_query(
            [(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not]
        )

    def search(self, c: Criteria) -> Results:
        self.index.reload()
        searcher = self.index.searcher()
        query = self.compile(c)
        # Facet counts are most of a filtered search's time, and tantivy releases the GIL while
        # it aggregates: half of them are counted in another thread meanwhile (bench/search.py:
        # a tag page's facets at 100,000 works, p95 7 ms in one thread, 3.7 ms in two).
        if c.facets:
            fields = _facet_fields(c)
            size = c.facet_size + (5 if c.suggested else 0)  # suggestions are merged in below
            other = _FACET_THREADS.submit(_aggregate, searcher, query, fields[::2], size)
        sort = c.effective_sort
        if sort == "relevance":
            found = searcher.search(query, c.limit, count=True, offset=c.offset)
        else:
            descending = c.effective_descending
            order = tantivy.Order.Desc if descending else tantivy.Order.Asc
            found = searcher.search(
                query, c.limit, count=True, order_by_field=SORT_FIELDS[sort], offset=c.offset,
                order=order,
            )  # fmt: skip
        addresses = [address for _, address in found.hits]
        ids = searcher.fast_field_values("id", addresses) if addresses else []
        results = Results(ids=list(ids), total=found.count)
        if c.facets:
            buckets = _aggregate(searcher, query, fields[1::2], size) | other.result()
            results.facets = _merge_facets(buckets, c.facet_size)
        return results

    def count(self) -> int:
        self.index.reload()
        return self.index.searcher().num_docs
