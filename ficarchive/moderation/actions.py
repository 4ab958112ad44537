"""Moderation: readers report; archivists work the queue, hide and restore.

Works, chapters and comments are hidden, never lost: the hidden thing keeps its kudos, comments
and place, its creators see it with the reason, everyone else stops seeing it. Each action checks
its right in `accounts.permissions`, runs in one transaction and writes the audit log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts import permissions
from ficarchive.archive.hiding import MAX_REASON_CHARS, hide_works
from ficarchive.archive.models import Chapter, Work
from ficarchive.community.actions import recount_works
from ficarchive.community.models import Comment
from ficarchive.search.indexing import enqueue

from .audit import label_of, record
from .models import Report, ReportNote

log = logging.getLogger(__name__)

MAX_DETAILS_CHARS = 4000
CLOSED = (Report.Status.RESOLVED, Report.Status.DISMISSED)


def _text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say why; the creator is shown the reason.")
    return reason[:MAX_REASON_CHARS]


# --- Reports ------------------------------------------------------------------------------------


def file_report(
    target, *, reason: str, details: str = "", reporter=None, email: str = ""
) -> Report:
    """A reader's report on a work, chapter, comment or user; guests leave an address to answer.

    A logged-in reader is answered at their account's address, so none is stored for them. A
    second open report by the same account on the same thing is refused: it is already queued.
    """
    if reason not in Report.Reason.values:
        raise ValidationError("Choose a reason from the list.")
    kind = target._meta.model_name
    if kind not in Report.Kind.values:
        raise ValidationError("Only works, chapters, comments and users can be reported.")
    signed_in = reporter is not None and reporter.is_authenticated
    email = "" if signed_in else (email or "").strip()
    if not signed_in:
        if not email:
            raise ValidationError(
                "Give an email address, so the archivists can tell you the outcome."
            )
        validate_email(email)
    fields = {"kind": kind, kind: target}
    if (
        signed_in
        and Report.objects.filter(
            reporter=reporter, status__in=("new", "in_progress"), **fields
        ).exists()
    ):
        raise ValidationError(
            "You have already reported this; the archivists will tell you the outcome."
        )
    with transaction.atomic():
        return Report.objects.create(
            **fields,
            target_label=label_of(target),
            reason=reason,
            details=_text(details, MAX_DETAILS_CHARS),
            reporter=reporter if signed_in else None,
            reporter_email=email,
        )


def _require_moderator(user) -> None:
    if not permissions.can_moderate(user):
        raise PermissionDenied("Only archivists handle reports.")


def take_report(report: Report, *, by) -> Report:
    """An archivist takes a report: it is in progress, and theirs."""
    _require_moderator(by)
    if not report.is_open:
        raise ValidationError("This report is closed; reopen it first.")
    with transaction.atomic():
        report.status, report.assignee = Report.Status.IN_PROGRESS, by
        report.save(update_fields=["status", "assignee"])
        record(by, "took report", report)
    return report


def note_report(report: Report, *, by, text: str) -> ReportNote:
    """A note for the other archivists; the reporter never sees it."""
    _require_moderator(by)
    text = _text(text, MAX_DETAILS_CHARS)
    if not text:
        raise ValidationError("Write the note first.")
    return ReportNote.objects.create(report=report, author=by, text=text)


def close_report(report: Report, *, by, status: str, outcome: str) -> Report:
    """Resolve or dismiss a report and tell the reporter the outcome, by mail."""
    _require_moderator(by)
    if status not in CLOSED:
        raise ValidationError("A report is closed as resolved or dismissed.")
    outcome = _text(outcome, MAX_DETAILS_CHARS)
    if not outcome:
        raise ValidationError("Write the outcome: the reporter is sent it.")
    with transaction.atomic():
        report.status, report.outcome, report.closed_at = status, outcome, timezone.now()
        report.assignee = report.assignee or by
        report.save(update_fields=["status", "outcome", "closed_at", "assignee"])
        record(by, f"{report.get_status_display().lower()} report", report, outcome)
        transaction.on_commit(lambda: _mail_outcome(report.pk), robust=True)
    return report


def reopen_report(report: Report, *, by) -> Report:
    _require_moderator(by)
    with transaction.atomic():
        report.status, report.closed_at = Report.Status.IN_PROGRESS, None
        report.save(update_fields=["status", "closed_at"])
        record(by, "reopened report", report)
    return report


def _mail_outcome(report_id: int) -> None:
    report = Report.objects.select_related("reporter").get(pk=report_id)
    address = report.reporter.email if report.reporter else report.reporter_email
    if not address:
        return
    body = (
        f"You reported {report.target_label} ({report.get_reason_display().lower()}) on "
        f"{report.created_at:%Y-%m-%d}. The archivists have {report.get_status_display().lower()} "
        f"your report:\n\n{report.outcome}\n\n{settings.SITE_URL}{reverse('archive:home')}\n"
    )
    try:
        send_mail(f"[ficarchive] Your report: {report.get_status_display()}", body, None, [address])
    except Exception:  # the queue shows it as not mailed; closing again retries
        log.exception("mailing the outcome of report %s failed", report_id)
        return
    Report.objects.filter(pk=report_id).update(outcome_mailed=True)


def open_reports():
    return Report.objects.filter(status__in=("new", "in_progress")).select_related("assignee")


# --- Hiding and restoring ------------------------------------------------------------------------


def hide(target, *, by, reason: str):
    """Hide a work, chapter or comment with a reason its creators are shown."""
    if not permissions.can_hide(by, target):
        raise PermissionDenied("Only archivists, and creators on their own works, can hide this.")
    if target.hidden_at is not None:
        raise ValidationError("This is already hidden.")
    reason = _reason(reason)
    with transaction.atomic():
        if isinstance(target, Work):
            hide_works([target], reason=reason)
        else:
            type(target).objects.filter(pk=target.pk).update(
                hidden_at=timezone.now(), hidden_reason=reason
            )
            _after_change(target)
        record(by, "hid", target, reason)
    target.refresh_from_db(fields=["hidden_at", "hidden_reason"])
    return target


def restore(target, *, by):
    """Show a hidden work, chapter or comment again."""
    if not permissions.can_restore(by, target):
        raise PermissionDenied("Only archivists can restore this.")
    if target.hidden_at is None:
        raise ValidationError("This is not hidden.")
    with transaction.atomic():
        manager = Work.all_objects if isinstance(target, Work) else type(target).objects
        manager.filter(pk=target.pk).update(hidden_at=None, hidden_reason="")
        if isinstance(target, Work):
            enqueue([target.pk])
        else:
            _after_change(target)
        record(by, "restored", target)
    target.refresh_from_db(fields=["hidden_at", "hidden_reason"])
    return target


def _after_change(target) -> None:
    """A chapter's words leave (or rejoin) the search index; a comment leaves the count."""
    if isinstance(target, Chapter):
        enqueue([target.work_id])
    else:
        recount_works([target.work_id])


# --- Looking targets up -------------------------------------------------------------------------

TARGETS = {
    "work": lambda pk: Work.all_objects.get(pk=pk),
    "chapter": lambda pk: Chapter.objects.select_related("work").get(pk=pk),
    "comment": lambda pk: Comment.objects.select_related("work", "user").get(pk=pk),
    "user": lambda pk: get_user_model().objects.get(pk=pk, is_active=True),
}


def find_target(kind: str, pk: int):
    """The work, chapter, comment or user of a URL; LookupError when there is none."""
    try:
        return TARGETS[kind](pk)
    except (KeyError, Work.DoesNotExist, Chapter.DoesNotExist, Comment.DoesNotExist,
            get_user_model().DoesNotExist, OverflowError, ValueError):  # fmt: skip
        raise LookupError(f"There is no {kind} {pk}.") from None
