"""The number of new inbox items, for the header on every page (one query when logged in)."""

from __future__ import annotations


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .actions import unread_count

    return {"inbox_unread": unread_count(user)}
