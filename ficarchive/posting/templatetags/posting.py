"""The work page's tools for its creators (edit, chapters, delete) and its series line."""

from __future__ import annotations

from django import template

from ficarchive.accounts.permissions import can_delete_work, can_edit_work

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
