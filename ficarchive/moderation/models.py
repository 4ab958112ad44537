"""Moderation records: readers' reports with the archivists' handling, and the audit log.

A report keeps a label of what it was about, so it still reads right after the work, chapter,
comment or user is deleted (the links then go null). Reporters' addresses are private: only
the outcome mail uses them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ficarchive.archive.models import Chapter, Work
from ficarchive.community.models import Comment

User = settings.AUTH_USER_MODEL


class Report(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", "Work"
        CHAPTER = "chapter", "Chapter"
        COMMENT = "comment", "Comment"
        USER = "user", "User"

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or commercial content"
        HARASSMENT = "harassment", "Harassment or threats"
        HATE = "hate", "Hateful content"
        PERSONAL = "personal", "Someone's personal information"
        PLAGIARISM = "plagiarism", "Plagiarism or copyright"
        MISTAGGED = "mistagged", "Wrong rating or missing warnings"
        ILLEGAL = "illegal", "Illegal content"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_about"
    )
    target_label = models.CharField(max_length=300, help_text="What was reported, as it read.")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(blank=True)
    reporter = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_filed"
    )
    reporter_email = models.EmailField(blank=True, help_text="Private: for the outcome only.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_assigned"
    )
    outcome = models.TextField(blank=True, help_text="The message the reporter was sent.")
    outcome_mailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"report {self.pk}: {self.get_reason_display()} ({self.target_label})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.IN_PROGRESS)

    @property
    def target(self):
        """The reported object while it exists, else None."""
        return {"work": self.work, "chapter": self.chapter, "comment": self.comment}.get(
            self.kind, self.user
        )


class ReportNote(models.Model):
    """An archivist's note on a report: for the other archivists, never shown to the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on report {self.report_id}"


class AuditEntry(models.Model):
    """One archivist action: who, what, on what, when and why. Written by `moderation.audit`."""

    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Kept if the account goes.")
    action = models.CharField(max_length=60)
    target_kind = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField(null=True)
    target_label = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_label}"
