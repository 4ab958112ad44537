"""An import from the browser: the upload, its plan, the run's progress and its report."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ImportJob(models.Model):
    """One upload by an archivist, planned then applied by background tasks (`importing.jobs`).

    uploaded -> planning -> planned -> applying -> done; any step can end in failed. The files
    live in `IMPORT_JOBS_DIR/<id>/` (`upload/` as sent, `material/` unpacked), never served.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded, waiting to be planned"
        PLANNING = "planning", "Planning"
        PLANNED = "planned", "Planned, waiting for review"
        APPLYING = "applying", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        FILES = "files", "Story files"
        SITE = "site", "A saved website (zip)"
        EFICTION = "efiction", "An eFiction archive (database dump and stories zip)"

    ACTIVE = (Status.UPLOADED, Status.PLANNING, Status.APPLYING)  # a task is queued or running

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    label = models.CharField(max_length=300)  # what was uploaded: "site.zip", "3 files"
    upload_bytes = models.BigIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    plan_json = models.TextField(blank=True)  # rescue.plan.Plan.to_json(); outcomes after the run
    report = models.TextField(blank=True)  # Plan.report() of the plan, then of the run
    error = models.TextField(blank=True)  # why it failed, for the archivist (no traceback)
    task_id = models.CharField(max_length=64, blank=True)  # the queued task's result id

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.kind}, {self.status})"

    def get_absolute_url(self) -> str:
        return reverse("importing:job", args=[self.pk])

    @property
    def directory(self) -> Path:
        return Path(settings.IMPORT_JOBS_DIR) / str(self.pk)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
