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

from ficarchive.rescue.plan import Plan, PlannedChapter, PlannedWork, SkippedFile

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
    root = Path(plan.root).resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or path == root:
        raise RescueError(f"the source {source!r} is not a file of this upload")
    return path


# --- story files -------------------------------------------------------------------------------


def _plan_files(root: Path) -> Plan:
    """One work per story file; files that cannot be a work, and duplicates, are skipped."""
    from django.conf import settings

    from ficarchive.archive import ingest
    from ficarchive.archive.models import Source, Work
    from ficarchive.importing.batch import story_files

    plan = Plan(kind="files", root=str(root))
    first_with: dict[str, str] = {}  # fingerprint -> key of the first work with that content
    for path in story_files([root]):
        key = path.relative_to(root).as_posix()
        prepared = ingest.prepare_file(path, analysis=False, max_bytes=settings.MAX_IMPORT_BYTES)
        if isinstance(prepared, ingest.Failure):
            plan.skipped.append(SkippedFile(key, "not a story", prepared.reason))
            continue
        work = PlannedWork(
            key=key,
            title=prepared.title,
            chapters=[PlannedChapter(key)],
            creators=list(prepared.creators),
            metadata={
                "words": prepared.word_count,
                "chapters in the file": len(prepared.chapters),
                "format": prepared.format,
            },
        )
        stored = (
            Source.objects.filter(sha256=prepared.sha256).values_list("work_id", flat=True).first()
            or Work.objects.filter(content_hash=prepared.fingerprint)
            .values_list("id", flat=True)
            .first()
        )
        if stored:
            work.action, work.duplicate_of = "skip", stored
            work.reason = f"already in the archive as #{stored}"
        elif prepared.fingerprint in first_with:
            work.action = "skip"
            work.reason = f"the same story as {first_with[prepared.fingerprint]}"
        else:
            first_with[prepared.fingerprint] = key
        plan.works.append(work)
    if not plan.works:
        plan.notes.append("no file of this upload could be read as a story")
    return plan


def _apply_files(plan: Plan, *, analyse: bool = True, progress: Progress | None = None) -> Plan:
    """Import each planned file on its own, so one bad file costs only itself."""
    from ficarchive.search import indexing

    progress = progress or _no_progress
    chosen = [w for w in plan.works if w.action != "skip"]
    for work in plan.works:
        if work.action == "skip":
            work.outcome = "skipped"
    progress(0, len(chosen))
    with indexing.deferred():
        for done, work in enumerate(chosen, 1):
            work.outcome = _import_file_work(plan, work, analyse)
            progress(done, len(chosen))
    return plan


def _no_progress(done: int, total: int) -> None:
    pass


def _import_file_work(plan: Plan, work: PlannedWork, analyse: bool) -> str:
    """'imported #ID', 'duplicate of #ID' or 'failed: reason' for one planned file."""
    from django.conf import settings

    from ficarchive.archive import actions, ingest

    if work.action == "update":
        return "failed: updating a stored work from a file is not supported in this import yet"
    if len(work.chapters) != 1:
        return "failed: a story file is one work; give one chapter source per work"
    try:
        path = source_path(plan, work.chapters[0].source)
    except RescueError as exc:
        return f"failed: {exc}"
    prepared = ingest.prepare_file(path, analysis=analyse, max_bytes=settings.MAX_IMPORT_BYTES)
    if isinstance(prepared, ingest.Failure):
        return f"failed: {prepared.reason}"
    _apply_edits(work, prepared)
    try:
        [result] = actions.store_works([prepared])
    except Exception as exc:
        return f"failed: {ingest.Failure.unexpected(path, exc).reason}"
    if result.status == "duplicate":
        return f"duplicate of #{result.work.pk}"
    return f"imported #{result.work.pk}"


def _apply_edits(work: PlannedWork, prepared) -> None:
    """The archivist's edits to the plan win over what the file says (title, creators)."""
    title = work.title.strip()
    if title and title != prepared.title:
        prepared.title, prepared.title_missing = title[:300], False
    creators = [name.strip() for name in work.creators if name.strip()]
    if creators and creators != list(prepared.creators):
        prepared.creators = creators


# --- an eFiction dump and its stories folder -----------------------------------------------------

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


def _not_yet(kind: str):
    def refuse(*_args, **_kwargs):
        # The site importer is written in parallel; the merge wires it here.
        raise RescueError(
            f"{kind} uploads cannot be planned from the browser yet; import them with "
            "`ficarchive import SITE_DIR`"
        )

    return refuse


# An applier is called as applier(plan, progress=progress) and fills in each work's outcome.
PLANNERS: dict[str, Callable[[Path], Plan]] = {
    # the lead replaces these with importing.folder (plan_folder, apply_plan)
    "files": _plan_files,
    "site": _not_yet("site"),
    "efiction": _plan_efiction,
}
APPLIERS: dict[str, Callable[..., Plan]] = {
    # the lead replaces these with importing.folder (plan_folder, apply_plan)
    "files": _apply_files,
    "site": _not_yet("site"),
    "efiction": _apply_efiction,
}
