"""Importing a folder: story files or a saved site, planned first, then stored work by work.

`ficarchive import PATH...` and the browser's file and site uploads come here:

- `plan_folder(paths)` is the plan of what an import would do: `rescue.site.plan_site` reads
  the material (which files are stories, which pages are chapters of one work, the site's
  boilerplate), then each planned work is built and checked against the archive
  (`importing.versions`: a duplicate is skipped, a newer version updates the stored work, a
  near-duplicate is listed for the archivist). Nothing is written.
- `apply_plan(plan)` stores exactly what a plan (perhaps edited by the archivist) says.
- `run(paths)` is both in one pass, each work built once: what a plain `import` does.

Building a work (reading its chapter files, parsing, analysing) is pure and runs in worker
processes; this process checks versions and stores imports in batches, one transaction each.
A batch that fails is stored again work by work, so a bad work costs only itself.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from ficarchive.archive import actions, ingest
from ficarchive.rescue import similarity
from ficarchive.rescue.plan import Plan, PlanError, PlannedWork
from ficarchive.rescue.site import build_work, plan_site
from ficarchive.text import StoryError

from . import versions
from .batch import full, prepared_in_order, store_batch, story_files

Progress = Callable[[int, int], None]
FOLDER_KINDS = ("files", "site")


class Interrupted(Exception):
    """Ctrl-C during an import: the batch being stored was rolled back; the plan says what is done."""

    def __init__(self, plan: Plan):
        super().__init__("interrupted")
        self.plan = plan


# --- The plan ------------------------------------------------------------------------------------


def material(paths: Iterable[str | Path]) -> tuple[Path, list[str] | None]:
    """The folder a plan's sources are relative to, and the files in it to plan (None: all).

    One folder is planned whole; a file, or several paths, are planned as the files given
    (folders among them in full) relative to the folder they share.
    """
    paths = [Path(p).absolute() for p in paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0], None
    root = Path(os.path.commonpath([p if p.is_dir() else p.parent for p in paths]))
    return root, [found.relative_to(root).as_posix() for found in story_files(paths)]


def site_plan(paths: Iterable[str | Path], *, workers: int | None = None) -> Plan:
    """The site planner's plan for the paths: what is a story, how pages form works. Reads only."""
    from django.conf import settings

    root, files = material(paths)
    return plan_site(root, files=files, max_bytes=settings.MAX_IMPORT_BYTES, workers=workers)


def plan_folder(
    paths: Iterable[str | Path] | str | Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The plan for a folder, site or files, with duplicates and newer versions marked."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    plan = site_plan(paths, workers=workers)
    first_with: dict[str, str] = {}  # content fingerprint -> the first planned work with it
    # The planned works' signatures, for near-duplicates within the plan.
    alike = similarity.SketchIndex()
    todo = [w for w in plan.works if w.action in ("import", "update")]
    for done, (planned, built) in enumerate(_built(plan, todo, False, workers), start=1):
        if isinstance(built, str):
            planned.action, planned.reason = "skip", f"cannot be read: {built}"
        else:
            _annotate(planned, built, first_with, alike)
        if progress is not None:
            progress(done, len(todo))
    return plan


def _annotate(
    planned: PlannedWork,
    prepared: ingest.PreparedWork,
    first_with: dict[str, str] | None,
    alike: similarity.SketchIndex | None = None,
) -> None:
    """Mark a planned work a duplicate, newer version or near-duplicate of a stored work, or
    (with `first_with`) the same story as a work earlier in the same plan, or (with `alike`)
    like one: listed for the archivist, never skipped."""
    versions.annotate_plan_work(
        planned, prepared, source_url=prepared.url, filename=prepared.filename
    )
    if first_with is None:
        return  # storing as it goes: store_works finds the copy of a work just stored
    earlier = first_with.setdefault(prepared.fingerprint, planned.key)
    if planned.action == "import" and earlier != planned.key:
        planned.action, planned.reason = "skip", f"the same story as {earlier}"
    elif alike is not None:
        sig = similarity.from_bytes(prepared.minhash)  # computed in the worker
        planned.resembles = alike.resembled(planned.key, sig)


def read_plan(path: str | Path) -> Plan:
    """An edited plan file for a folder import; PlanError names what is wrong with it."""
    plan = Plan.from_json(Path(path).read_text(encoding="utf-8"), name=str(path))
    if plan.kind not in FOLDER_KINDS:
        raise PlanError(
            f"{path} is a plan for a {plan.kind!r} import; apply it with the command that wrote "
            "it (import-efiction --apply)"
        )
    if not Path(plan.root).is_dir():
        raise PlanError(f"{path}: root {plan.root!r} is not a folder here; set it to the site's")
    return plan


# --- Storing ---------------------------------------------------------------------------------------


def apply_plan(
    plan: Plan,
    *,
    analyse: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Plan:
    """Store what the plan says: its imports and updates; each work's outcome set on the plan."""
    return _store_plan(plan, analyse=analyse, check=False, progress=progress, workers=workers)


def run(
    paths: Iterable[str | Path] | str | Path,
    *,
    analyse: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Plan:
    """Plan and import in one pass: duplicates skipped, newer versions updated in place."""
    plan = site_plan([paths] if isinstance(paths, (str, Path)) else paths, workers=workers)
    return _store_plan(plan, analyse=analyse, check=True, progress=progress, workers=workers)


def _chosen(plan: Plan) -> list[PlannedWork]:
    for work in plan.works:
        if work.action == "skip" and not work.outcome:
            work.outcome = "skipped"
    return [w for w in plan.works if w.action in ("import", "update")]


def _store_plan(
    plan: Plan, *, analyse: bool, check: bool, progress: Progress | None, workers: int | None
) -> Plan:
    """Build each chosen work, check it against the archive when `check`, store it.

    Imports are stored in batches; an update flushes the batch first, so the archive changes
    in the plan's order. Ctrl-C rolls back the batch in hand and raises `Interrupted`.
    """
    from ficarchive.search import indexing

    chosen = _chosen(plan)
    batch: list[tuple[PlannedWork, ingest.PreparedWork]] = []
    with indexing.deferred():
        try:
            for done, (planned, built) in enumerate(
                _built(plan, chosen, analyse, workers), start=1
            ):
                if isinstance(built, str):
                    planned.outcome = f"failed: {built}"
                else:
                    if check:
                        _annotate(planned, built, None)
                    if planned.action == "skip":
                        planned.outcome = "skipped"
                    elif planned.action == "update":
                        _store_batch(batch)
                        batch = []
                        planned.outcome = _update(planned, built)
                    else:
                        batch.append((planned, built))
                        if full(batch):
                            _store_batch(batch)
                            batch = []
                if progress is not None:
                    progress(done, len(chosen))
            _store_batch(batch)
        except KeyboardInterrupt:
            for planned, _ in batch:
                planned.outcome = ""
            for planned in chosen:
                planned.outcome = planned.outcome or "not done: the import was interrupted"
            raise Interrupted(plan) from None
    return plan


def _store_batch(batch: list[tuple[PlannedWork, ingest.PreparedWork]]) -> None:
    """Store imports in one transaction (work by work when that fails); outcomes on the plan."""
    store_batch(batch, _record_stored, _record_failed)


def _record_stored(planned: PlannedWork, result) -> None:
    if result.status == "imported":
        planned.outcome = f"imported #{result.work.pk}"
    else:
        planned.outcome = f"already present as #{result.work.pk}"
        planned.duplicate_of = result.work.pk


def _record_failed(planned: PlannedWork, reason: str) -> None:
    planned.outcome = f"failed: {reason}"


def _update(planned: PlannedWork, prepared: ingest.PreparedWork) -> str:
    from ficarchive.archive.models import Work

    work = Work.all_objects.filter(pk=planned.update_of).first()
    if work is None:
        return f"failed: work #{planned.update_of} to update is not in the archive"
    try:
        result = actions.update_work_from(work, prepared)
    except ValueError as exc:
        return f"failed: {exc}"
    except Exception as exc:
        return f"failed: {ingest.Failure.unexpected(Path(prepared.filename), exc).reason}"
    return f"updated {result.summary()}"


# --- Building works (pure: runs in worker processes) --------------------------------------------


def _built(plan: Plan, works: list[PlannedWork], analyse: bool, workers: int | None):
    """(planned work, PreparedWork or the reason it cannot be built), in the plan's order."""
    build = functools.partial(
        prepare_planned, root=Path(plan.root), boilerplate=plan.boilerplate, analyse=analyse
    )
    with prepared_in_order(works, build, workers) as results:
        yield from results


def prepare_planned(
    planned: PlannedWork, *, root: Path, boilerplate: list[str], analyse: bool
) -> ingest.PreparedWork | str:
    """One planned work built from its files and prepared to store, or why it cannot be.

    The source bytes are the chapter files' (one file: exactly its bytes, so importing a file
    again is recognised as the same bytes, however it was imported before).
    """
    outside = [c.source for c in planned.chapters if not inside(root, c.source)]
    if outside:
        return f"the chapter source {outside[0]!r} is not a file in {root.name or root}"
    try:
        parsed = build_work(planned, root, boilerplate)
        raw = b"".join((root / chapter.source).read_bytes() for chapter in planned.chapters)
        name = Path(planned.chapters[0].source).name
        return ingest.prepare(parsed, raw=raw, filename=name, analysis=analyse)
    except StoryError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read a chapter file ({exc.strerror or exc})"
    except Exception as exc:
        return ingest.Failure.unexpected(root / planned.key, exc).reason


_TALLIES = ("imported", "already present", "failed", "updated")  # outcomes start with these


def summary(plan: Plan) -> str:
    """The line a folder import ends with: how many works imported, already present, failed."""
    counts = dict.fromkeys(_TALLIES, 0)
    for work in plan.works:
        tally = next((t for t in _TALLIES if work.outcome.startswith(t)), None)
        if tally is None and work.action == "skip" and work.duplicate_of is not None:
            tally = "already present"
        if tally is not None:
            counts[tally] += 1
    counts["failed"] += sum(1 for s in plan.skipped if s.kind == "unreadable")
    line = ", ".join(f"{name} {n}" for name, n in counts.items())
    return f"{line}; {len(plan.skipped)} file(s) skipped as not stories or unreadable"


def inside(root: Path, source: str) -> bool:
    """Whether a plan's chapter source names a path under its root as written: an edited plan
    may not climb out (`../`, an absolute path). Symbolic links the archivist put in the folder
    are theirs to follow (an upload's are never unpacked)."""
    if not source.strip() or PurePosixPath(source).is_absolute() or "\\" in source:
        return False
    normal = posixpath.normpath(source)
    return normal not in (".", "..") and not normal.startswith("../")
