"""Import many files: worker processes parse and analyse, this process stores in batches.

`import_files` is what `ficarchive import`, the example works and the benchmarks use. Each file
is imported atomically; a batch that fails is stored again work by work, so one bad file costs
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

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def story_files(paths: list[str | Path]) -> list[Path]:
    """The files to import: given files as they are, folders recursively without dotfiles."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
        else:
            files.append(path)
    return files


IMPORT_BATCH_WORKS = 100  # works per storing transaction
IMPORT_BATCH_BYTES = 8_000_000  # ... or fewer, when they are long


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
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from ficarchive.archive import ingest
    from ficarchive.search import indexing

    outcome: dict[str, list] = {"imported": [], "duplicate": [], "failed": []}
    columns = [
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", style="dim"),
    ]
    console = Console(stderr=True)  # stdout stays clean for the summary
    prepare = functools.partial(
        ingest.prepare_file, analysis=analyse, max_bytes=settings.MAX_IMPORT_BYTES
    )
    batch: list[tuple[Path, ingest.PreparedWork]] = []
    # The search index is written once at the end, not after every batch; the queue keeps the
    # works until then, so an interrupted import is indexed by the next search or drain.
    with (
        indexing.deferred(),
        Progress(*columns, console=console, disable=not progress, transient=True) as bar,
        _prepared(paths, prepare, workers) as results,
    ):
        task = bar.add_task("", total=len(paths))
        try:
            for path, result in results:
                bar.update(task, description=path.name[:60])
                if isinstance(result, ingest.Failure):
                    outcome["failed"].append((path, result.reason))
                else:
                    batch.append((path, result))
                    if (
                        len(batch) >= IMPORT_BATCH_WORKS
                        or sum(p.size for _, p in batch) >= IMPORT_BATCH_BYTES
                    ):
                        _store(batch, outcome)
                        batch = []
                bar.advance(task)
            _store(batch, outcome)
        except KeyboardInterrupt:
            done = {path for key in ("imported", "duplicate", "failed") for path, _ in outcome[key]}
            outcome["interrupted"] = [next(p for p in paths if p not in done)]
    return outcome


@contextlib.contextmanager
def _prepared(paths: list[Path], prepare, workers: int | None):
    """(path, PreparedWork or Failure) in the order of `paths`, from a pool when it pays.

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


def _store(batch: list[tuple[Path, object]], outcome: dict[str, list]) -> None:
    """Store a batch in one transaction; if that fails, each work on its own, so only bad ones fail."""
    from ficarchive.archive import actions, ingest

    if not batch:
        return
    try:
        results = actions.store_works([prepared for _, prepared in batch])
    except Exception as exc:
        if len(batch) > 1:
            for one in batch:
                _store([one], outcome)
        else:
            failure = ingest.Failure.unexpected(batch[0][0], exc)
            outcome["failed"].append((failure.path, failure.reason))
        return
    for (path, _), result in zip(batch, results):
        outcome[result.status].append((path, result.work))


def load_examples() -> int:
    """Import the bundled example works into an empty archive; returns how many were imported."""
    from ficarchive.archive.models import Work

    if Work.all_objects.exists():
        return 0
    outcome = import_files(sorted(EXAMPLES.glob("*.*")), progress=False)
    for path, reason in outcome["failed"]:
        print(f"warning: example {path.name} failed: {reason}", file=sys.stderr)
    return len(outcome["imported"])
