"""The work page's tools for its creators (edit, chapters, delete) and its series line."""

from __future__ import annotations

from django import template

from ficarchive.accounts.permissions import can_delete_work, can_edit_work
from ficarchive.posting.actions import gifts_of

register = template.Library()


@register.inclusion_tag("posting/_owner_tools.html", takes_context=True)
def work_tools(context, work, chapters, full):
    user = context["request"].user
    editable = can_edit_work(user, work)
    return {
        "work": work,
        "chapter": chapters[0] if chapters and not full else None,
        "can_edit": editable,
        "can_delete": can_delete_work(user, work),
        "series_parts": list(work.series_parts.select_related("series")),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("posting/_gift_line.html", takes_context=True)
def gift_line(context, work):
    """The work page's "for X, Y" (gifts not refused); the recipient may refuse theirs here."""
    user = context["request"].user
    gifts = gifts_of(work)
    return {
        "gifts": gifts,
        "mine": next(
            (g for g in gifts if user.is_authenticated and g.recipient_id == user.pk), None
        ),
        "csrf_token": context.get("csrf_token"),
    }
