"""The number of open reports, for archivists' header on every page (one query, for them only)."""

from __future__ import annotations

from ficarchive.accounts.permissions import can_moderate

from .models import Report


def open_reports(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not can_moderate(user):
        return {}
    return {"open_reports": Report.objects.filter(status=Report.Status.NEW).count()}
