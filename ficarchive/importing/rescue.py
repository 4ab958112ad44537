"""The one seam between browser imports (`importing.jobs`) and the importers: plan, then apply.

`make_plan(job_dir, kind)` reads the material of an upload and returns a `rescue.plan.Plan`
without writing to the archive; `apply_plan(plan, progress)` stores what the plan says and
returns it with each work's `outcome` filled in. The job's folder is laid out by
`importing.actions.create_upload_job` and `importing.jobs`:

    job_dir/upload/     the files as uploaded (names made safe)
    job_dir/material/   what the planner reads, zips unpacked:
        files:    the story files (a zip among them unpacked into a folder of its name)
        site:     the saved site, as it was zipped
        efiction: dump.sql (decompressed when it came as .sql.gz) and stories/ (the stories zip)

Plan sources are relative to `plan.root`, which is `job_dir/material` when applying.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ficarchive.rescue.plan import Plan

MATERIAL = "material"
Progress = Callable[[int, int], None]


class RescueError(ValueError):
    """The material cannot be planned or applied; the message says what to do about it."""


def material_dir(job_dir: Path) -> Path:
    return job_dir / MATERIAL


def make_plan(job_dir: Path, kind: str) -> Plan:
    """The plan for the material in `job_dir`; reads the archive (duplicates), writes nothing."""
    planner = PLANNERS.get(kind)
    if planner is None:
        raise RescueError(
            f"there is no importer for {kind!r} uploads; choose {', '.join(PLANNERS)}"
        )
    return planner(material_dir(job_dir))


def apply_plan(plan: Plan, progress: Progress) -> Plan:
    """Store what the plan says, calling `progress(done, total)` after each work; outcomes filled."""
    applier = APPLIERS.get(plan.kind)
    if applier is None:
        raise RescueError(f"there is no importer for {plan.kind!r} plans")
    return applier(plan, progress=progress)


def source_path(plan: Plan, source: str) -> Path:
    """The file a chapter source names, which must be inside the plan's root (no '..')."""
    from ficarchive.importing.folder import inside

    if not inside(Path(plan.root), source):
        raise RescueError(f"the source {source!r} is not a file of this upload")
    return (Path(plan.root) / source).resolve()


# --- story files and saved sites ---------------------------------------------------------------


def _plan_folder(root: Path) -> Plan:
    """The plan `ficarchive import --plan` would write for the uploaded files or site."""
    from ficarchive.importing import folder

    # One process: the worker runs in a thread of the web server, where forking is unsafe.
    return folder.plan_folder(root, workers=1)


def _apply_folder(plan: Plan, *, analyse: bool = True, progress: Progress | None = None) -> Plan:
    from ficarchive.importing import folder

    return folder.apply_plan(plan, analyse=analyse, progress=progress, workers=1)


# --- eFiction -----------------------------------------------------------------------------------

DUMP, STORIES = "dump.sql", "stories"  # in material/, as jobs.unpack lays them out


def _plan_efiction(root: Path) -> Plan:
    """The plan `import-efiction --plan` would write for the uploaded dump and stories folder."""
    from ficarchive.importing import efiction

    return _material_names(efiction.plan(root / DUMP, root / STORIES))


def _apply_efiction(plan: Plan, *, analyse: bool = True, progress: Progress | None = None) -> Plan:
    """Import the plan from this job's dump and stories folder, whatever an edited plan names."""
    from ficarchive.importing import efiction

    root = Path(plan.root)  # the job's material/ (jobs.apply_import sets it)
    plan.root = str(root / STORIES)
    plan.extra.update(dump=str(root / DUMP), stories=str(root / STORIES), data=None)
    return _material_names(efiction.apply(plan, analyse=analyse, progress=progress))


def _material_names(plan: Plan) -> Plan:
    """Names inside the upload in the plan the archivist downloads, not the server's paths."""
    plan.extra.update(dump=DUMP, stories=STORIES, data=None)
    return plan


# An applier is called as applier(plan, progress=progress) and fills in each work's outcome.
PLANNERS: dict[str, Callable[[Path], Plan]] = {
    "files": _plan_folder,
    "site": _plan_folder,
    "efiction": _plan_efiction,
}
APPLIERS: dict[str, Callable[..., Plan]] = {
    "files": _apply_folder,
    "site": _apply_folder,
    "efiction": _apply_efiction,
}
