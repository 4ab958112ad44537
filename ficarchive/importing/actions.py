"""The write path of browser imports: jobs created, moved along their states, edited, deleted.

Views and the background tasks (`importing.jobs`) call these; each is one transaction, and a
state change is a conditional update, so a second click or a task delivered twice does nothing.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ficarchive.accounts.permissions import can_import
from ficarchive.rescue.plan import Plan, PlanError

from . import uploads
from .models import ImportJob
from .rescue import RescueError, material_dir, source_path

Status = ImportJob.Status
UploadError = uploads.UploadError
UPLOAD = "upload"  # the job folder's subfolder of files as sent
ROLES = ("story", "site", "dump", "stories")  # what an uploaded file is to the importer
_REFERENCE = re.compile(r"^[a-z][a-z0-9+.-]+:")  # efiction:chapter:12, not a file path


@dataclass(frozen=True, slots=True)
class UploadedFile:
    role: str  # one of ROLES
    name: str  # as the browser sent it
    file: BinaryIO
    size: int


def _require_archivist(user) -> None:
    if not can_import(user):
        raise PermissionDenied("Only archivists can import into the archive.")


def _label(files: list[UploadedFile]) -> str:
    names = [f.name for f in files]
    if len(names) > 3:
        return f"{names[0]}, {names[1]} and {len(names) - 2} more files"
    return " + ".join(names)[:300]


def create_upload_job(user, kind: str, files: list[UploadedFile]) -> ImportJob:
    """A new job with its files kept in its folder, then queued for planning.

    Nothing is read beyond what the form already checked: planning is the background task's.
    If the files cannot be kept (a full disk), nothing is left behind and UploadError says so.
    """
    from . import jobs

    _require_archivist(user)
    if kind not in ImportJob.Kind.values:
        raise UploadError(f"unknown kind of upload {kind!r}")
    # Not in a transaction: copying a large upload must not hold the database's write lock.
    job = ImportJob.objects.create(
        created_by=user, kind=kind, label=_label(files), upload_bytes=sum(f.size for f in files)
    )
    shutil.rmtree(job.directory, ignore_errors=True)  # left by an archive whose database was reset
    try:
        _keep_files(job, files)
    except OSError as exc:
        shutil.rmtree(job.directory, ignore_errors=True)
        job.delete()
        raise UploadError(
            f"the upload could not be stored ({exc.strerror or exc}); free some space in the "
            "data directory and upload again"
        ) from None
    jobs.queue_planning(job)
    return job


def _keep_files(job: ImportJob, files: list[UploadedFile]) -> None:
    taken: dict[str, set[str]] = {}
    for upload in files:
        if upload.role not in ROLES:
            raise ValueError(f"unknown upload role {upload.role!r}")
        folder = job.directory / UPLOAD / upload.role
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = uploads.safe_filename(upload.name, taken.setdefault(upload.role, set()))
        uploads.copy_upload(upload.file, folder / name)


def claim(job_id: int, expected: tuple[str, ...], new_status: str) -> ImportJob | None:
    """Move the job into `new_status` if it is in one of `expected`; None when it is not."""
    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job_id, status__in=expected).update(
            status=new_status, error=""
        )
        return ImportJob.objects.get(pk=job_id) if moved else None


def record_progress(job_id: int, done: int, total: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress_done=done, progress_total=total)


def _store_plan(job: ImportJob, plan: Plan, status: str) -> ImportJob:
    plan.root = job.label  # shown in the report; the job's folder is the root when applying
    job.plan_json = plan.to_json()
    job.report = plan.report()
    job.status = status
    fields = ["plan_json", "report", "status", "updated_at"]
    if status == Status.PLANNED:  # what Apply will do; the applying task counts it off
        counts = plan.counts()
        job.progress_done, job.progress_total = 0, counts["import"] + counts["update"]
        fields += ["progress_done", "progress_total"]
    else:
        job.refresh_from_db(fields=["progress_done", "progress_total"])
    job.save(update_fields=fields)
    return job


@transaction.atomic
def record_plan(job: ImportJob, plan: Plan) -> ImportJob:
    """The planning task's result: the job waits for the archivist to review and apply it."""
    return _store_plan(job, plan, Status.PLANNED)


@transaction.atomic
def record_outcome(job: ImportJob, plan: Plan) -> ImportJob:
    """The applying task's result: the plan with outcomes, and its report."""
    return _store_plan(job, plan, Status.DONE)


def record_failure(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(status=Status.FAILED, error=message[:5000])


def start_applying(user, job: ImportJob) -> bool:
    """Queue the reviewed plan for importing; False when the job is not waiting for it."""
    from . import jobs

    _require_archivist(user)
    claimed = claim(job.pk, (Status.PLANNED,), Status.APPLYING)
    if claimed is None:
        return False
    record_progress(job.pk, 0, claimed.progress_total)
    jobs.queue_applying(claimed)
    return True


def replace_plan(user, job: ImportJob, text: str) -> ImportJob:
    """The archivist's edited plan instead of the proposed one; PlanError says what is wrong.

    Its root is this job's folder whatever the file says, and every source must be a file of
    this upload, so an edited plan cannot reach other files on the server.
    """
    _require_archivist(user)
    if job.status != Status.PLANNED:
        raise PlanError("only a planned import waiting for review can take an edited plan")
    plan = Plan.from_json(text, name="the uploaded plan")
    if plan.kind != job.kind:
        raise PlanError(
            f"the uploaded plan is for a {plan.kind!r} import; this one is {job.kind!r}"
        )
    plan.root = str(material_dir(job.directory))
    for work in plan.works:
        for chapter in work.chapters:
            if _REFERENCE.match(chapter.source):
                continue
            try:
                path = source_path(plan, chapter.source)
            except RescueError as exc:
                raise PlanError(f"the uploaded plan: work {work.key!r}: {exc}") from None
            if not path.is_file():
                raise PlanError(
                    f"the uploaded plan: work {work.key!r}: {chapter.source!r} is not a file of "
                    "this upload; sources are paths as in the downloaded plan"
                )
    with transaction.atomic():
        return _store_plan(job, plan, Status.PLANNED)


def delete_job(user, job: ImportJob) -> None:
    """Forget a job and delete its files (the works it imported stay)."""
    _require_archivist(user)
    if job.is_active:
        raise PermissionDenied("A job that is running cannot be deleted; wait until it ends.")
    directory = job.directory
    job.delete()
    shutil.rmtree(directory, ignore_errors=True)
