"""Moderation pages: the report form for everyone; the queue, a report and the audit log for
archivists; the hide and restore buttons. Thin: a form, an action, a page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.permissions import (
    can_moderate,
    can_open,
    can_see_hidden,
    can_see_hidden_comment,
)
from ficarchive.archive.views import _error_page, paginate

from . import actions
from .forms import CloseForm, NoteForm, ReasonForm, ReportForm
from .models import AuditEntry, Report


def archivists_only(view: Callable) -> Callable:
    """Log in first, then archivists only; others get a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            return _error_page(request, 403, "Only archivists handle reports.", "")
        return view(request, *args, **kwargs)

    return wrapped


def _page_of(target) -> str:
    """Where a target is read: the work, the chapter, the comment in its thread, the profile."""
    kind = target._meta.model_name
    if kind == "comment":
        return f"{target.work.get_absolute_url()}#comment-{target.pk}"
    if kind == "user":
        return reverse("accounts:profile", args=[target.get_username()])
    return target.get_absolute_url()


def _target(request: HttpRequest, kind: str, pk: int):
    """The thing of the URL, if this person may see it; a 404 page otherwise."""
    try:
        target = actions.find_target(kind, pk)
    except LookupError as error:
        raise Http404(str(error)) from None
    user = request.user
    work = target if kind == "work" else getattr(target, "work", None)
    hidden = getattr(target, "hidden_at", None) is not None
    if work is not None and not can_open(user, work):
        raise Http404(f"There is no {kind} {pk}.")
    if hidden and kind == "chapter" and not can_see_hidden(user, work):
        raise Http404(f"There is no {kind} {pk}.")
    if hidden and kind == "comment" and not can_see_hidden_comment(user, target):
        raise Http404(f"There is no {kind} {pk}.")
    return target


def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Anyone reports a work, chapter, comment or user; guests leave an address for the answer."""
    target = _target(request, kind, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.file_report(
                target,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                reporter=request.user,
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request, "moderation/report_sent.html", {"back": _page_of(target)}, status=201
            )
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "label": actions.label_of(target), "back": _page_of(target), "kind": kind},
        status=400 if form.errors else 200,
    )


@archivists_only
def queue(request: HttpRequest) -> HttpResponse:
    """The reports, open ones first by default; `?status=` shows one status."""
    status = request.GET.get("status", "open")
    reports = Report.objects.select_related("assignee", "reporter")
    if status == "open":
        reports = actions.open_reports()
    elif status in Report.Status.values:
        reports = reports.filter(status=status)
    else:
        raise Http404("Choose a status from the list.")
    counts = dict(Report.objects.values_list("status").annotate(n=Count("pk")).order_by())
    tabs = [("open", "Open", counts.get("new", 0) + counts.get("in_progress", 0))] + [
        (value, label, counts.get(value, 0)) for value, label in Report.Status.choices
    ]
    return render(
        request,
        "moderation/queue.html",
        {"page": paginate(request, reports), "status": status, "tabs": tabs},
    )


def _report(report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("assignee", "reporter", "work", "chapter__work", "comment"),
        pk=report_id,
    )


@archivists_only
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(report_id)
    return render(request, "moderation/report.html", _detail_context(report))


def _detail_context(report: Report, **forms) -> dict:
    target = report.target
    return {
        "report": report,
        "target": target,
        "target_url": _page_of(target) if target is not None else "",
        "notes": report.notes.select_related("author"),
        "note_form": forms.get("note") or NoteForm(),
        "close_form": forms.get("close") or CloseForm(initial={"status": "resolved"}),
    }


@require_POST
@archivists_only
def handle_report(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    """take, note, close or reopen a report; a bad form shows the report again with its errors."""
    report = _report(report_id)
    forms = {}
    try:
        if step == "take":
            actions.take_report(report, by=request.user)
        elif step == "reopen":
            actions.reopen_report(report, by=request.user)
        elif step == "note":
            forms["note"] = form = NoteForm(request.POST)
            if form.is_valid():
                actions.note_report(report, by=request.user, text=form.cleaned_data["text"])
                forms.clear()
        elif step == "close":
            forms["close"] = form = CloseForm(request.POST)
            if form.is_valid():
                actions.close_report(report, by=request.user, **form.cleaned_data)
                messages.success(request, "Report closed; the reporter is told the outcome.")
                forms.clear()
        else:
            raise Http404("No such step.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if forms:
        return render(
            request, "moderation/report.html", _detail_context(report, **forms), status=400
        )
    return redirect("moderation:report_detail", report.pk)


@archivists_only
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.all()
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor_name=actor[:150])
    return render(
        request, "moderation/audit.html", {"page": paginate(request, entries), "actor": actor}
    )


def _back(request: HttpRequest, target) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return _page_of(target)


def _change(request: HttpRequest, kind: str, pk: int, change: Callable[..., object], done: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target = _target(request, kind, pk)
    try:
        change(target)
    except PermissionDenied as error:
        return _error_page(request, 403, str(error), _page_of(target))
    except ValidationError as error:
        return _error_page(request, 400, " ".join(error.messages), _page_of(target))
    messages.success(request, done)
    return redirect(_back(request, target))


@require_POST
def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Hide with a reason; only its creators and archivists still see it."""
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _change(
        request, kind, pk,
        lambda target: actions.hide(target, by=request.user, reason=reason),
        f"The {kind} is hidden from readers; it leaves search as the index catches up.",
    )  # fmt: skip


@require_POST
def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _change(
        request, kind, pk,
        lambda target: actions.restore(target, by=request.user),
        f"The {kind} is shown to readers again.",
    )  # fmt: skip
