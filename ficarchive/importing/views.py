"""Browser imports for archivists: upload, follow the background job, review and apply its plan.

Thin views over `importing.actions`; the request keeps the files and queues a task, it never
reads the stories. One page per job shows what its state calls for: progress while a task runs,
the plan to review (download, upload an edited one, apply), the report when done, the reason
when it failed.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ficarchive.accounts.permissions import can_import
from ficarchive.archive.views import _error_page
from ficarchive.rescue.plan import Plan, PlanError

from . import actions
from .forms import PlanUploadForm, UploadForm
from .models import ImportJob

JOBS_PER_PAGE = 50


def archivist_required(view):
    """Visitors log in first; signed-in readers who are not archivists get a 403 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_import(request.user):
            return _error_page(request, 403, "Only archivists can import into the archive.", "")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _error_page(request, 403, str(exc), "")

    return wrapped


@require_GET
@archivist_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by")[:JOBS_PER_PAGE]
    return render(request, "importing/job_list.html", {"jobs": jobs})


@archivist_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.create_upload_job(
                request.user, form.cleaned_data["kind"], form.cleaned_data["uploads"]
            )
        except actions.UploadError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Uploaded {job.label}; the plan is being made.")
            return redirect(job)
    status = 400 if request.method == "POST" else 200
    return render(request, "importing/upload.html", {"form": form}, status=status)


def _plan_of(job: ImportJob) -> Plan | None:
    if not job.plan_json:
        return None
    try:
        return Plan.from_json(job.plan_json)
    except PlanError:
        return None


@require_GET
@archivist_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    plan = _plan_of(job)
    return render(
        request,
        "importing/job.html",
        {
            "job": job,
            "plan": plan,
            "counts": plan.counts() if plan else {},
            "plan_form": PlanUploadForm() if job.status == ImportJob.Status.PLANNED else None,
        },
    )


def status_of(job: ImportJob) -> dict:
    """What the progress page polls for (also the JSON status URL's body)."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "active": job.is_active,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "error": job.error,
        "url": job.get_absolute_url(),
    }


@require_GET
@archivist_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    response = JsonResponse(status_of(job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@archivist_required
def plan_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if not job.plan_json:
        return _error_page(request, 400, "This import has no plan yet.", job.get_absolute_url())
    response = HttpResponse(job.plan_json, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-plan.json"'
    return response


@require_POST
@archivist_required
def plan_upload(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    form = PlanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.replace_plan(request.user, job, form.cleaned_data["plan"])
        except PlanError as exc:
            messages.error(request, f"The edited plan was not taken: {exc}")
        else:
            messages.success(request, "The edited plan replaces the proposed one.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(job)


@require_POST
@archivist_required
def apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if actions.start_applying(request.user, job):
        messages.success(request, "Importing; this page follows the progress.")
    else:
        messages.error(request, f"This import cannot be applied now: it is {job.status}.")
    return redirect(job)


@require_POST
@archivist_required
def delete(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.is_active:
        messages.error(request, "A running import cannot be deleted; wait until it ends.")
        return redirect(job)
    actions.delete_job(request.user, job)
    messages.success(request, f"Import #{job_id} and its uploaded files are deleted.")
    return redirect(reverse("importing:jobs"))
