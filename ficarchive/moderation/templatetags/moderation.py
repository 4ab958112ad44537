"""The work page's report link and hide/restore buttons, for whoever may use them."""

from __future__ import annotations

from django import template

from ficarchive.accounts.permissions import can_hide, can_restore, owns_work

register = template.Library()


@register.inclusion_tag("moderation/_work_tools.html", takes_context=True)
def moderation_tools(context, work, chapters, full):
    user = context["request"].user
    chapter = chapters[0] if chapters and not full and work.chapter_count > 1 else None

    def control(target) -> bool:
        return can_restore(user, target) if target.hidden_at else can_hide(user, target)

    return {
        "work": work,
        "chapter": chapter,
        "can_report": not owns_work(user, work),
        "work_control": control(work),
        "chapter_control": chapter is not None and control(chapter),
        "csrf_token": context.get("csrf_token"),
    }
