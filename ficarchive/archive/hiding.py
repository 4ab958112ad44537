"""Hiding and restoring works (who may: `accounts.permissions`).

A hidden work is kept with its chapters, kudos and comments, but `Work.objects` (the default
manager) leaves it out, so it is gone from every list, tag page, feed, the API and the search
index. Its creators and archivists can still open it, with the reason shown. Claims ("remove my
works") and moderation both hide through here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ficarchive.search.indexing import enqueue

from .models import Work

REMOVED_BY_CREATOR = "removed at the creator's request"
MAX_REASON_CHARS = 500


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say why the work is hidden; its creators are shown the reason.")
    return reason[:MAX_REASON_CHARS]


def hide_works(works: Iterable[Work], *, reason: str) -> int:
    """Hide these works with one reason; returns how many were newly hidden.

    No permission check: `moderation.actions.hide` checks a person's right, a claim its token. Works
    already hidden keep their first date and reason.
    """
    reason = _reason(reason)
    ids = [work.pk for work in works]
    with transaction.atomic():
        fresh = list(
            Work.all_objects.filter(pk__in=ids, hidden_at__isnull=True).values_list("pk", flat=True)
        )
        Work.all_objects.filter(pk__in=fresh).update(hidden_at=timezone.now(), hidden_reason=reason)
        enqueue(fresh)  # .update() sends no signals; the index drops works it no longer sees
    return len(fresh)
