"""The background tasks of a browser import: unpack and plan, then apply with progress.

Tasks run on the django-tasks queue (settings.TASKS: the database backend, so SQLite and
PostgreSQL alike), in a worker thread of `ficarchive serve` or in `ficarchive worker`
processes (`importing.worker`). Each task takes the job id only and first moves the job into its
running state with a conditional update, so a task delivered twice does its work once. Any
failure marks the job failed with a message for the archivist; a traceback goes to the server
log (and the task's result), never to the page.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django_tasks import task

from ficarchive.rescue.efiction_dump import DumpError
from ficarchive.rescue.plan import Plan, PlanError
from ficarchive.text.errors import StoryError

from . import actions, rescue, uploads
from .models import ImportJob

log = logging.getLogger("ficarchive.import")
Status = ImportJob.Status
# Failures with a message written for the archivist; anything else is a bug, logged in full.
EXPECTED_ERRORS = (uploads.UploadError, rescue.RescueError, PlanError, DumpError, StoryError)
PROGRESS_EVERY = 0.5  # seconds between progress writes (the last one is always written)


def limits() -> uploads.Limits:
    return uploads.Limits(
        upload_bytes=settings.MAX_UPLOAD_BYTES,
        unpacked_bytes=settings.MAX_UNPACKED_BYTES,
        unpacked_files=settings.MAX_UNPACKED_FILES,
    )


def queue_planning(job: ImportJob) -> None:
    result = plan_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def queue_applying(job: ImportJob) -> None:
    result = apply_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def plan_import(job_id: int) -> str:
    """Unpack the upload and make its plan; the job then waits for the archivist's review."""
    job = actions.claim(job_id, (Status.UPLOADED, Status.PLANNING), Status.PLANNING)
    if job is None:
        return "not waiting to be planned"
    with _failing_job(job_id, "planning"):
        material = unpack(job)
        try:
            plan = rescue.make_plan(job.directory, job.kind)
        except BaseException:
            shutil.rmtree(material, ignore_errors=True)  # the upload stays, for a later try
            raise
        actions.record_plan(job, plan)
    return "planned"


@task()
def apply_import(job_id: int) -> str:
    """Store what the reviewed plan says, recording progress; the job ends with its report."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.APPLYING).first()
    if job is None:
        return "not waiting to be applied"
    with _failing_job(job_id, "importing"):
        plan = Plan.from_json(job.plan_json, name=f"the plan of import #{job_id}")
        plan.root = str(rescue.material_dir(job.directory))
        plan = rescue.apply_plan(plan, ProgressRecorder(job_id))
        actions.record_outcome(job, plan)
    return "done"


class _failing_job:
    """Mark the job failed when the block raises: the expected with their message, bugs logged."""

    def __init__(self, job_id: int, step: str):
        self.job_id, self.step = job_id, step

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, EXPECTED_ERRORS):
            actions.record_failure(self.job_id, f"{self.step} failed: {exc}")
            return True  # handled: the task itself succeeded in saying why
        log.error("import #%s: %s failed", self.job_id, self.step, exc_info=(kind, exc, tb))
        actions.record_failure(
            self.job_id,
            f"{self.step} failed with an unexpected error ({type(exc).__name__}); the server "
            "log has the details. Please report it.",
        )
        return False  # re-raised: the task's result keeps the traceback


class ProgressRecorder:
    """progress(done, total) for rescue.apply_plan, written at most every PROGRESS_EVERY s."""

    def __init__(self, job_id: int, clock: Callable[[], float] = time.monotonic):
        self.job_id, self.clock, self.last = job_id, clock, float("-inf")

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done >= total or now - self.last >= PROGRESS_EVERY:
            actions.record_progress(self.job_id, done, total)
            self.last = now


# --- unpacking ---------------------------------------------------------------------------------


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _unpack_story(source: Path, material: Path, limit: uploads.Limits) -> None:
    if source.suffix.lower() == ".zip":
        folder = material / source.stem
        if folder.exists():  # a story file uploaded beside it has the zip's name
            folder = material / source.name
        uploads.unpack_zip(source, folder, limit)
    else:
        _link_or_copy(source, material / source.name)


def _unpack_site(source: Path, material: Path, limit: uploads.Limits) -> None:
    uploads.unpack_zip(source, material, limit)


def _unpack_dump(source: Path, material: Path, limit: uploads.Limits) -> None:
    if source.suffix.lower() == ".gz":
        uploads.gunzip(source, material / "dump.sql", limit)
    else:
        _link_or_copy(source, material / "dump.sql")


def _unpack_stories(source: Path, material: Path, limit: uploads.Limits) -> None:
    uploads.unpack_zip(source, material / "stories", limit)


UNPACKERS = {  # role of an uploaded file (actions.ROLES) -> how it goes into material/
    "story": _unpack_story,
    "site": _unpack_site,
    "dump": _unpack_dump,
    "stories": _unpack_stories,
}


def unpack(job: ImportJob) -> Path:
    """The job's `material/` folder made afresh from its `upload/` (a retried task starts clean)."""
    material = rescue.material_dir(job.directory)
    shutil.rmtree(material, ignore_errors=True)
    material.mkdir(parents=True, mode=0o700)
    limit = limits()
    try:
        for role, unpack_one in UNPACKERS.items():
            folder = job.directory / actions.UPLOAD / role
            for source in sorted(folder.iterdir()) if folder.is_dir() else ():
                unpack_one(source, material, limit)
    except BaseException:
        shutil.rmtree(material, ignore_errors=True)
        raise
    return material
