"""The responses block under a work: kudos, bookmark, subscribe, later, and the comments."""

from __future__ import annotations

from django import template
from django.conf import settings

from ficarchive.accounts.actions import owns_work
from ficarchive.community.actions import can_moderate_comment, comment_thread, kudos_givers
from ficarchive.community.forms import CommentForm
from ficarchive.community.models import Bookmark, Comment, Reading, Subscription

register = template.Library()


@register.inclusion_tag("community/_responses.html", takes_context=True)
def work_responses(context, work, chapters, full):
    request = context["request"]
    user = request.user
    comments = Comment.objects.filter(work=work).select_related("user", "chapter")
    if not full and chapters:
        comments = comments.filter(chapter=chapters[0])
    comments = list(comments)
    thread = [
        (
            c,
            min(depth, 6),
            can_moderate_comment(user, c),
            user.is_authenticated and c.user_id == user.pk,
        )
        for c, depth in comment_thread(comments)
    ]
    target = chapters[-1] if chapters else work.chapters.last()
    names, guests = kudos_givers(work)
    state = {}
    if user.is_authenticated:
        state = {
            "bookmark": Bookmark.objects.filter(user=user, work=work).first(),
            "subscribed": Subscription.objects.filter(user=user, work=work).exists(),
            "later": Reading.objects.filter(user=user, work=work, later=True).exists(),
        }
    return {
        "request": request,
        "user": user,
        "work": work,
        "full": full,
        "thread": thread,
        "target": target,
        "kudos_names": names,
        "kudos_guests": guests,
        "can_comment": user.is_authenticated or settings.GUEST_COMMENTS,
        "form": CommentForm(initial={"chapter": target.pk if target else None}),
        "is_owner": owns_work(user, work),
        "csrf_token": context.get("csrf_token"),
        **state,
    }
