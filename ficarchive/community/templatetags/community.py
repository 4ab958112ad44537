"""The responses block under a work: kudos, bookmark, subscribe, later, and the comments."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery

from ficarchive.accounts.permissions import can_moderate_comments
from ficarchive.archive.models import Work
from ficarchive.community import blocking
from ficarchive.community.actions import comment_thread, kudos_givers
from ficarchive.community.models import Bookmark, Comment, Reading, Subscription

register = template.Library()


@register.inclusion_tag("community/_responses.html", takes_context=True)
def work_responses(context, work, chapters, full):
    """Everything under a work, in a fixed handful of queries (none for a visitor on an
    untouched work)."""
    request = context["request"]
    user = request.user
    comments = []
    if work.comments_count or user.is_authenticated:  # their own held comment may be there
        comments = Comment.objects.filter(work=work).select_related("user", "chapter")
        if not full and chapters:
            comments = comments.filter(chapter=chapters[0])
        comments = list(comments)
    moderator = bool(comments) and can_moderate_comments(user, work)
    signed_in = user.is_authenticated

    def mine(comment) -> bool:
        return signed_in and comment.user_id == user.pk

    unseen = blocking.unseen_users(user) if comments else set()

    def shown(comment) -> bool:
        if comment.user_id in unseen:
            return False
        held = comment.hidden_at is not None or comment.held_reason
        return not held or moderator or mine(comment)

    thread = [
        {
            "comment": comment,
            "depth": min(depth, 6),
            "can_delete": moderator or mine(comment),
            "can_edit": mine(comment),
            "can_hide": moderator,
        }
        for comment, depth in comment_thread(comments, shown)
    ]
    target = chapters[-1] if chapters else work.chapters.last()
    names, guests = kudos_givers(work)
    state = {}
    if signed_in:
        mine = Q(user=user, work=OuterRef("pk"))
        state = (
            Work.objects.filter(pk=work.pk)
            .annotate(
                bookmark=Subquery(Bookmark.objects.filter(mine).values("pk")[:1]),
                subscribed=Exists(Subscription.objects.filter(mine)),
                later=Exists(Reading.objects.filter(mine, later=True)),
            )
            .values("bookmark", "subscribed", "later")
            .first()
        ) or {}
    return {
        "request": request,
        "user": user,
        "work": work,
        "full": full,
        "thread": thread,
        "target": target,
        "kudos_names": names,
        "kudos_guests": guests,
        "can_comment": signed_in or (settings.GUEST_COMMENTS and not work.comments_from_users_only),
        "csrf_token": context.get("csrf_token"),
        **state,
    }


@register.inclusion_tag("community/_creator_subscription.html", takes_context=True)
def creator_subscription(context, pseud):
    """Subscribe/unsubscribe to a creator (all their pseuds), for their page."""
    user = context["request"].user
    subscribed = (
        user.is_authenticated
        and Subscription.objects.filter(user=user, creator_id=pseud.creator_id).exists()
    )
    return {
        "user": user,
        "pseud": pseud,
        "subscribed": subscribed,
        "csrf_token": context.get("csrf_token"),
    }
