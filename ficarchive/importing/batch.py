"""Import many files: worker processes parse and analyse, this process stores in batches.

`import_files` stores files as they are, one work each: the example works and the benchmarks
use it. `ficarchive import` plans first (`importing.folder`) and shares this module's worker
pool and `store_batch`. A batch that fails is stored again work by work, so one bad file costs
only itself.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys
import threading
from pathlib import Path

from ficarchive.rescue.pages import folder_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def story_files(paths: list[str | Path]) -> list[Path]:
    """The files to import: given files as they are, folders recursively without dotfiles."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(path / rel for rel in folder_files(path))
        else:
            files.append(path)
    return files


@contextlib.contextmanager
def progress_bar(enabled: bool, label: str = ""):
    """A `progress(done, total)` callback drawing a bar on stderr (stdout stays for the report)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = [
        TextColumn(label, style="dim"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(
        *columns, console=Console(stderr=True), disable=not enabled, transient=True
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


IMPORT_BATCH_WORKS = 100  # works per storing transaction
IMPORT_BATCH_BYTES = 8_000_000  # ... or fewer, when they are long


def full(batch: list[tuple]) -> bool:
    """A batch of (item, PreparedWork) big enough to store now."""
    return len(batch) >= IMPORT_BATCH_WORKS or sum(p.size for _, p in batch) >= IMPORT_BATCH_BYTES


def import_files(
    paths: list[Path], *, progress: bool = True, analyse: bool = True, workers: int | None = None
) -> dict[str, list]:
    """Import files, each atomically; returns {"imported", "duplicate", "failed"}.

    With `analyse`, each work's cast and suggested tags (pending review) are stored with it.

    Worker processes (`workers`, default one per core) read, parse and analyse; this process
    stores the prepared works in batches, one transaction each. "imported" and "duplicate"
    hold (path, work) pairs, "failed" holds (path, reason). One file's failure, even an
    unexpected one, never stops the others: a batch that fails is stored again work by work.
    Ctrl-C stops after the current batch is rolled back; the first file not stored is in
    `outcome["interrupted"]`.
    """
    from django.conf import settings

    from ficarchive.archive import ingest
    from ficarchive.search import indexing

    outcome: dict[str, list] = {"imported": [], "duplicate": [], "failed": []}
    prepare = functools.partial(
        ingest.prepare_file, analysis=analyse, max_bytes=settings.MAX_IMPORT_BYTES
    )

    def stored(path: Path, result) -> None:
        outcome[result.status].append((path, result.work))

    def failed(path: Path, reason: str) -> None:
        outcome["failed"].append((path, reason))

    batch: list[tuple[Path, ingest.PreparedWork]] = []
    # The search index is written once at the end, not after every batch; the queue keeps the
    # works until then, so an interrupted import is indexed by the next search or drain.
    with (
        indexing.deferred(),
        progress_bar(progress) as bar,
        prepared_in_order(paths, prepare, workers) as results,
    ):
        try:
            for done, (path, result) in enumerate(results, start=1):
                if isinstance(result, ingest.Failure):
                    failed(path, result.reason)
                else:
                    batch.append((path, result))
                    if full(batch):
                        store_batch(batch, stored, failed)
                        batch = []
                bar(done, len(paths))
            store_batch(batch, stored, failed)
        except KeyboardInterrupt:
            done_paths = {p for key in ("imported", "duplicate", "failed") for p, _ in outcome[key]}
            outcome["interrupted"] = [next(p for p in paths if p not in done_paths)]
    return outcome


@contextlib.contextmanager
def prepared_in_order(paths: list, prepare, workers: int | None):
    """(item, prepare(item)) in the order of `paths`, from a pool of processes when it pays.

    Never more than a few batches are prepared ahead of the storing, so memory stays flat
    however many files there are.
    """
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < 4:
        yield ((path, prepare(path)) for path in paths)
        return
    ahead = threading.BoundedSemaphore(IMPORT_BATCH_WORKS * 3)

    def fed():
        for path in paths:
            ahead.acquire()
            yield path

    def results(pool):
        for path, result in zip(paths, pool.imap(prepare, fed(), chunksize=2)):
            ahead.release()
            yield path, result

    # Fork: the workers need no Django (ingest is pure); they never touch the parent's database.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield results(pool)


def store_batch(batch: list[tuple], stored, failed) -> None:
    """Store a batch of (item, PreparedWork) in one transaction; if that fails, each work on
    its own, so only the bad ones fail. `stored(item, StoreResult)` and `failed(item, reason)`
    record what became of each item."""
    from ficarchive.archive import actions, ingest

    if not batch:
        return
    try:
        results = actions.store_works([prepared for _, prepared in batch])
    except Exception as exc:
        if len(batch) > 1:
            for one in batch:
                store_batch([one], stored, failed)
        else:
            item, prepared = batch[0]
            failed(item, ingest.Failure.unexpected(Path(prepared.filename), exc).reason)
        return
    for (item, _), result in zip(batch, results):
        stored(item, result)


def load_examples() -> int:
    """Import the bundled example works into an empty archive; returns how many were imported."""
    from ficarchive.archive.models import Work

    if Work.all_objects.exists():
        return 0
    outcome = import_files(sorted(EXAMPLES.glob("*.*")), progress=False)
    for path, reason in outcome["failed"]:
        print(f"warning: example {path.name} failed: {reason}", file=sys.stderr)
    return len(outcome["imported"])
