"""Keeping the search index in step with the database.

Every change to a work queues its id (`enqueue`, called by the signals in `signals.py`) in the
same transaction as the change. After the commit the queue is drained into the engine, so a
saved work is searchable at once; a crash between the two leaves the rows queued, and the next
drain (any search runs one first when rows are waiting) repairs the index. `reindex` rebuilds
the whole index from the database. Each indexed work's blurb is rendered at the same time
(`search.models.Blurb`), so result pages read it instead of rendering it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from ficarchive.archive.blurbs import render_blurbs
from ficarchive.archive.models import Work
from ficarchive.search.backends import IndexBusy
from ficarchive.search.documents import documents
from ficarchive.search.models import Blurb, IndexQueue

log = logging.getLogger("ficarchive.search")

DRAIN_BATCH = 2000  # queue rows per engine commit
_backends: dict[tuple[str, str], object] = {}
_state = threading.local()
_drain_lock = threading.Lock()


def backend():
    """The configured engine (FICARCHIVE_SEARCH), one per process and index location."""
    name = settings.SEARCH_BACKEND
    key = (name, str(settings.SEARCH_INDEX_DIR) if name == "tantivy" else "")
    if key not in _backends:
        if name == "tantivy":
            from ficarchive.search.backends.tantivy_engine import TantivyBackend

            _backends[key] = TantivyBackend(settings.SEARCH_INDEX_DIR)
        elif name == "postgres":
            from ficarchive.search.backends.postgres import PostgresBackend

            _backends[key] = PostgresBackend()
        else:
            raise ValueError(f"unknown search backend {name!r}; use tantivy or postgres")
    return _backends[key]


def enqueue(work_ids: Iterable[int]) -> None:
    """Queue works for indexing, in the caller's transaction; they are indexed after it commits."""
    rows = [IndexQueue(work_id=work_id) for work_id in dict.fromkeys(work_ids) if work_id]
    if not rows:
        return
    IndexQueue.objects.bulk_create(rows)
    if not getattr(_state, "deferred", 0):
        transaction.on_commit(_drain_after_commit, robust=True)


def _drain_after_commit() -> None:
    try:
        drain()
    except Exception:  # the change itself is saved; the queued rows retry on the next drain
        log.exception("indexing after a save failed; the works stay queued")


@contextmanager
def deferred():
    """Queue changes without indexing each commit, then index them all at the end (bulk import)."""
    _state.deferred = getattr(_state, "deferred", 0) + 1
    try:
        yield
    finally:
        _state.deferred -= 1
        if not _state.deferred:
            drain(bulk=True)


def pending() -> int:
    return IndexQueue.objects.count()


def drain(*, bulk: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Index every queued work (or remove it, when deleted); returns the number of works indexed.

    Rows are deleted only up to the last one read, and only after the engine committed: a work
    changed again meanwhile has a newer row and is indexed again by the next drain.
    """
    engine = backend()

    done = 0
    with _drain_lock:
        while True:
            rows = list(
                IndexQueue.objects.order_by("id").values_list("id", "work_id")[:DRAIN_BATCH]
            )
            if not rows:
                return done
            last = rows[-1][0]
            ids = list(dict.fromkeys(work_id for _, work_id in rows))
            docs = list(documents(ids))
            gone = set(ids) - {doc.id for doc in docs}
            try:
                done += engine.apply(docs, gone, bulk=bulk)
            except IndexBusy:
                log.info(
                    "the search index is busy in another process; %d works stay queued", len(ids)
                )
                return done
            with transaction.atomic():  # rendered once the engine took them, not for a busy one
                _store_blurbs(render_blurbs(ids))
                IndexQueue.objects.filter(id__lte=last).delete()
            if progress:
                progress(len(ids))


def reindex(progress: Callable[[int], None] | None = None, batch: int = 2000) -> int:
    """Rebuild the index from the database; returns the number of works indexed."""
    engine = backend()
    last_queued = IndexQueue.objects.aggregate(m=Max("id"))["m"]
    ids = list(Work.objects.order_by("id").values_list("id", flat=True))
    done = 0
    if not ids:
        engine.apply([], clear=True, bulk=True)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        done += engine.apply(documents(chunk), clear=start == 0, bulk=True)
        _store_blurbs(render_blurbs(chunk))
        if progress:
            progress(len(chunk))
    if last_queued is not None:
        IndexQueue.objects.filter(id__lte=last_queued).delete()
    engine.needs_rebuild = False
    return done


def _store_blurbs(blurbs: dict[int, str]) -> None:
    """Insert or replace these works' blurbs (a deleted work's went with it: CASCADE)."""
    Blurb.objects.bulk_create(
        [Blurb(work_id=pk, html=html) for pk, html in blurbs.items()],
        update_conflicts=True,
        unique_fields=["work"],
        update_fields=["html"],
        batch_size=500,
    )


def ready():
    """The engine, repaired first: rebuilt when new or of an old schema, queued works indexed."""
    engine = backend()
    if engine.needs_rebuild:
        log.info("building the search index from the database")
        reindex()
    elif IndexQueue.objects.exists():
        drain()
    return engine
