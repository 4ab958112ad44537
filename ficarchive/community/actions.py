"""The write path for responses: kudos, comments, bookmarks, subscriptions, inbox, history.

Each action checks permissions, runs in one transaction and keeps the work's counts (which the
search sorts by) in step: the counts are recounted from the rows and the work is queued for
the search index in the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.models import Profile
from ficarchive.accounts.permissions import (
    UNCONFIRMED,
    can_delete_comment,
    can_moderate_comments,
    can_post,
    owns_work,
)
from ficarchive.archive.models import Chapter, Creator, Work
from ficarchive.archive.sanitize import render_posted
from ficarchive.moderation.audit import record
from ficarchive.search.indexing import enqueue

from . import blocking, spam
from .models import Bookmark, Comment, Kudos, Notification, Reading, Subscription

log = logging.getLogger("ficarchive.community")

MAX_COMMENT_CHARS = 10_000
MAX_NOTE_CHARS = 5_000
MAX_BOOKMARK_TAGS = 30
HIT_WINDOW_SECONDS = 24 * 3600  # a visitor's hits on one work count once a day


def _count(model, condition: Q | None = None):
    return Coalesce(
        Subquery(
            model.objects.filter(condition or Q(), work=OuterRef("pk"))
            .order_by()
            .values("work")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def recount_works(work_ids) -> None:
    """Kudos, public bookmarks and comments of these works counted again, and reindexed."""
    ids = [i for i in set(work_ids) if i]
    if not ids:
        return
    Work.all_objects.filter(pk__in=ids).update(
        kudos_count=_count(Kudos),
        bookmarks_count=_count(Bookmark, Q(private=False)),
        comments_count=_count(Comment, Q(deleted=False, hidden_at__isnull=True, held_reason="")),
    )
    enqueue(ids)  # .update() sends no signals: queue the works for the search index here


# --- Kudos --------------------------------------------------------------------------------------


def address_hash(address: str) -> str:
    """A guest's address, hashed with the secret key: enough to refuse a second kudos."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def give_kudos(work: Work, *, user=None, session_key: str = "", address: str = "") -> bool:
    """Leave kudos; False when this account (or this guest's session or address) already did.

    A work's own creators cannot leave kudos on it (PermissionDenied), as on AO3.
    """
    if user is not None and owns_work(user, work):
        raise PermissionDenied("You can't leave kudos on your own work.")
    blocking.require_not_blocked(user, work, "leave kudos")
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            if Kudos.objects.filter(work=work, user=user).exists():
                return False
            try:
                with transaction.atomic():
                    Kudos.objects.create(work=work, user=user)
            except IntegrityError:
                return False
        else:
            hashed = address_hash(address) if address else ""
            guest = Q(work=work, user__isnull=True) & (
                (Q(session_key=session_key) if session_key else Q(pk__in=[]))
                | (Q(address_hash=hashed) if hashed else Q(pk__in=[]))
            )
            if Kudos.objects.filter(guest).exists():
                return False
            Kudos.objects.create(work=work, session_key=session_key, address_hash=hashed)
        recount_works([work.pk])
    return True


def kudos_givers(work: Work) -> tuple[list[str], int]:
    """The names of accounts that left kudos (newest first, up to 50) and the number of guests."""
    if not work.kudos_count:
        return [], 0
    names = list(
        Kudos.objects.filter(work=work, user__isnull=False)
        .order_by("-created_at")
        .values_list("user__username", flat=True)[:50]
    )
    if len(names) < 50:
        guests = max(0, work.kudos_count - len(names))
    else:
        guests = Kudos.objects.filter(work=work, user__isnull=True).count()
    return names, guests


# --- Comments -----------------------------------------------------------------------------------


def add_comment(
    chapter: Chapter,
    text: str,
    *,
    user=None,
    guest_name: str = "",
    markup: str = "html",
    parent: Comment | None = None,
    address: str = "",
) -> Comment:
    """Comment on a chapter, or reply to a comment on the same work.

    Guests comment only when FICARCHIVE_GUEST_COMMENTS is on and the work takes them, and must
    give a name. A comment with spam's signs, or on a work whose creators approve each one,
    is held until a moderator approves it (`approve_comment`); `address` (a guest's, hashed
    here) tells one guest's repeated comments apart.
    """
    signed_in = user is not None and user.is_authenticated
    work = chapter.work
    if not signed_in:
        if not settings.GUEST_COMMENTS:
            raise PermissionDenied("Log in to comment: this archive takes no guest comments.")
        if work.comments_from_users_only:
            raise PermissionDenied("Only readers with an account may comment on this work.")
        guest_name = " ".join(guest_name.split())[:100]
        if not guest_name:
            raise ValidationError("Give a name to comment as a guest.")
    elif not can_post(user):
        raise PermissionDenied(UNCONFIRMED)
    else:
        blocking.require_not_blocked(user, work, "comment on it")
        if parent is not None and blocking.blocks(parent.user, user):
            raise PermissionDenied("This commenter has blocked you: you cannot reply to them.")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(f"Comments are at most {MAX_COMMENT_CHARS:,} characters.")
    body = render_posted(text, markup)
    if not body.strip():
        raise ValidationError("The comment is empty.")
    if parent is not None and (parent.work_id != chapter.work_id or parent.deleted):
        raise ValidationError("You can only reply to a comment on this work.")
    with transaction.atomic():
        comment = Comment.objects.create(
            work_id=chapter.work_id,
            chapter=chapter,
            parent=parent,
            user=user if signed_in else None,
            guest_name="" if signed_in else guest_name,
            body_html=body,
            address_hash=address_hash(address) if address and not signed_in else "",
            held_reason=_hold_reason(work, body, user if signed_in else None, address),
        )
        recount_works([chapter.work_id])
        notified = set()
        if parent is not None and parent.user_id and parent.user_id != comment.user_id:
            _notify(parent.user, Notification.Kind.REPLY, work, chapter=chapter, comment=comment)
            notified.add(parent.user_id)
        for owner in _owners(work):
            if owner.pk != comment.user_id and owner.pk not in notified:
                _notify(owner, Notification.Kind.COMMENT, work, chapter=chapter, comment=comment)
    return comment


def _hold_reason(work: Work, body: str, user, address: str) -> str:
    if work.moderate_comments and not (user is not None and owns_work(user, work)):
        return "the work's creators approve each comment"
    since = timezone.now() - timedelta(days=1)
    if user is not None:
        mine = Comment.objects.filter(user=user, created_at__gte=since)
    elif address:
        mine = Comment.objects.filter(
            user__isnull=True, address_hash=address_hash(address), created_at__gte=since
        )
    else:
        mine = Comment.objects.none()
    return spam.hold_reason(body, mine.values_list("body_html", flat=True)[:50])


def approve_comment(user, comment: Comment) -> Comment:
    """A held comment appears for everyone: by the work's creators or an archivist."""
    if not can_moderate_comments(user, comment.work):
        raise PermissionDenied("Only the work's creators and archivists approve comments.")
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(held_reason="")
        recount_works([comment.work_id])
        record(user, "approved", comment)
    comment.held_reason = ""
    return comment


def edit_comment(user, comment: Comment, text: str, markup: str = "html") -> Comment:
    if not user.is_authenticated or comment.user_id != user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    if comment.deleted:
        raise ValidationError("This comment was deleted.")
    body = render_posted(text[:MAX_COMMENT_CHARS], markup)
    if not body.strip():
        raise ValidationError("The comment is empty; delete it instead.")
    with transaction.atomic():
        comment.body_html = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body_html", "edited_at"])
    return comment


def delete_comment(user, comment: Comment) -> None:
    """Delete; a comment with replies stays as a "deleted" placeholder so the thread holds."""
    if not can_delete_comment(user, comment):
        raise PermissionDenied(
            "Only the comment's author, the work's creators and archivists can delete it."
        )
    with transaction.atomic():
        if comment.user_id != user.pk:  # a moderator's deletion, not its author's
            record(user, "deleted", comment)
        if comment.replies.exists():
            comment.deleted = True
            comment.body_html = ""
            comment.save(update_fields=["deleted", "body_html"])
        else:
            parent = comment.parent
            comment.delete()
            # A placeholder whose last reply went is no longer needed.
            while parent is not None and parent.deleted and not parent.replies.exists():
                grand = parent.parent
                parent.delete()
                parent = grand
        recount_works([comment.work_id])


def comment_thread(comments, shown=lambda comment: True) -> list[tuple[Comment, int]]:
    """(comment, depth) in reading order: each comment followed by its replies, oldest first.

    A comment the viewer does not see (`shown` is False: hidden, held, or by someone they
    blocked or muted) is left out with its replies.
    """
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    ids = {c.pk for c in comments}
    roots = [c for c in comments if c.parent_id is None or c.parent_id not in ids]
    out: list[tuple[Comment, int]] = []

    def walk(comment: Comment, depth: int) -> None:
        if not shown(comment):
            return
        out.append((comment, depth))
        for reply in children.get(comment.pk, []):
            walk(reply, depth + 1)

    for root in roots:
        walk(root, 0)
    return out


# --- Bookmarks ----------------------------------------------------------------------------------


def _bookmark_tags(raw: str) -> list[str]:
    tags = []
    for part in raw.split(","):
        name = " ".join(part.split())[:100]
        if name and name.casefold() not in {t.casefold() for t in tags}:
            tags.append(name)
    if len(tags) > MAX_BOOKMARK_TAGS:
        raise ValidationError(f"A bookmark takes at most {MAX_BOOKMARK_TAGS} tags.")
    return tags


def save_bookmark(
    user, work: Work, *, note: str = "", markup: str = "html", tags: str = "", private=False
) -> Bookmark:
    """Bookmark a work (or change the user's bookmark of it): a note, own tags, public or not."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to bookmark.")
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(f"Bookmark notes are at most {MAX_NOTE_CHARS:,} characters.")
    values = {"note_html": render_posted(note, markup), "tags": _bookmark_tags(tags)}
    with transaction.atomic():
        bookmark, _ = Bookmark.objects.update_or_create(
            user=user, work=work, defaults={**values, "private": bool(private)}
        )
        recount_works([work.pk])
    return bookmark


def delete_bookmark(user, bookmark: Bookmark) -> None:
    if not user.is_authenticated or bookmark.user_id != user.pk:
        raise PermissionDenied("You can only delete your own bookmarks.")
    with transaction.atomic():
        bookmark.delete()
        recount_works([bookmark.work_id])


def visible_bookmarks(owner, viewer):
    """A user's bookmarks as `viewer` may see them: private ones only for their owner."""
    bookmarks = Bookmark.objects.filter(user=owner).select_related("work")
    if viewer != owner:
        bookmarks = bookmarks.filter(private=False)
    return bookmarks


# --- Subscriptions and the inbox ----------------------------------------------------------------


def subscribe(user, *, work: Work | None = None, creator: Creator | None = None) -> Subscription:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to subscribe.")
    if (work is None) == (creator is None):
        raise ValueError("subscribe to a work or to a creator")
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(user=user, work=work, creator=creator)
    return subscription


def unsubscribe(user, *, work: Work | None = None, creator: Creator | None = None) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to manage subscriptions.")
    with transaction.atomic():
        Subscription.objects.filter(user=user, work=work, creator=creator).delete()


def _owners(work: Work):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(creators__pseuds__works=work).distinct()


def _subscribers(work: Work):
    from django.contrib.auth import get_user_model

    creators = Creator.objects.filter(pseuds__works=work)
    return (
        get_user_model()
        .objects.filter(
            Q(subscriptions__work=work) | Q(subscriptions__creator__in=creators), is_active=True
        )
        .distinct()
    )


def _notify(user, kind: str, work: Work, *, chapter=None, comment=None) -> Notification:
    item = Notification.objects.create(
        user=user, kind=kind, work=work, chapter=chapter, comment=comment
    )
    if settings.NOTIFY_BY_EMAIL and user.email:
        transaction.on_commit(lambda: _mail(item.pk), robust=True)
    return item


def _mail(notification_id: int) -> None:
    item = (
        Notification.objects.select_related("user", "work", "chapter")
        .filter(pk=notification_id)
        .first()
    )
    if item is None:
        return
    target = item.chapter.get_absolute_url() if item.chapter else item.work.get_absolute_url()
    subject = f"[ficarchive] {item.get_kind_display()}: {item.work.title}"[:200]
    body = (
        f"{item.get_kind_display()} on “{item.work.title}”.\n\nRead it: {settings.SITE_URL}{target}\n"
        f"Your inbox: {settings.SITE_URL}{reverse('community:inbox')}\n"
    )
    try:
        send_mail(subject, body, None, [item.user.email])
    except Exception:  # the inbox has it anyway; a mail server down must not lose the post
        log.exception("mailing notification %s failed", notification_id)


def notify_new_chapter(work: Work, chapter: Chapter, *, author=None) -> int:
    """Tell the work's and its creators' subscribers about a new chapter; returns how many."""
    count = 0
    for user in _subscribers(work):
        if author is None or user.pk != author.pk:
            _notify(user, Notification.Kind.CHAPTER, work, chapter=chapter)
            count += 1
    return count


def notify_new_work(work: Work, *, author=None) -> int:
    from django.contrib.auth import get_user_model

    creators = Creator.objects.filter(pseuds__works=work)
    users = get_user_model().objects.filter(subscriptions__creator__in=creators).distinct()
    count = 0
    for user in users:
        if author is None or user.pk != author.pk:
            _notify(user, Notification.Kind.WORK, work)
            count += 1
    return count


def notify_invitation(user, work: Work) -> Notification:
    return _notify(user, Notification.Kind.INVITE, work)


def notify_gift(user, work: Work) -> Notification:
    """Tell a user a work was given to them (they may refuse it from their profile)."""
    return _notify(user, Notification.Kind.GIFT, work)


def unread_count(user) -> int:
    """Inbox items newer than the last visit to the inbox, in one query."""
    return (
        Notification.objects.filter(user=user)
        .filter(
            Q(user__profile__isnull=True)
            | Q(user__profile__inbox_seen_at__isnull=True)
            | Q(created_at__gt=F("user__profile__inbox_seen_at"))
        )
        .count()
    )


def open_inbox(user, limit: int = 100) -> tuple[list[Notification], object]:
    """The latest items and when the inbox was last seen (newer items are new); marks it seen."""
    profile, _ = Profile.objects.get_or_create(user=user)
    seen = profile.inbox_seen_at
    items = list(
        Notification.objects.filter(user=user).select_related(
            "work", "chapter", "comment", "comment__user"
        )[:limit]
    )
    with transaction.atomic():
        profile.inbox_seen_at = timezone.now()
        profile.save(update_fields=["inbox_seen_at"])
    return items, seen


# --- Hits and reading history -------------------------------------------------------------------


def record_visit(request, work: Work) -> None:
    """Count a hit once per visitor and day, and update a logged-in reader's history.

    Visitors are told apart by account, else by hashed address, in the cache (no session is
    created for a guest who only reads). A hit queues the work for the index, so the hits sort
    follows.
    """
    user = request.user
    visitor = f"u{user.pk}" if user.is_authenticated else address_hash(_address(request))
    if cache.add(f"hit:{work.pk}:{visitor}", 1, HIT_WINDOW_SECONDS):
        # No transaction of its own: were the queue row lost, only the hits sort would lag
        # until the work's next change.
        Work.objects.filter(pk=work.pk).update(hits_count=F("hits_count") + 1)
        enqueue([work.pk])
    if user.is_authenticated:
        now = timezone.now()
        updated = Reading.objects.filter(user=user, work=work).update(
            visits=F("visits") + 1, last_read_at=now
        )
        if not updated:
            # Requests run in autocommit: a lost race with another tab only loses this visit.
            with contextlib.suppress(IntegrityError):
                Reading.objects.create(user=user, work=work, visits=1, last_read_at=now)


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def mark_for_later(user, work: Work, later: bool = True) -> Reading:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to mark works for later.")
    with transaction.atomic():
        reading, _ = Reading.objects.get_or_create(user=user, work=work)
        reading.later = later
        reading.save(update_fields=["later"])
    return reading


def forget_reading(user, work: Work) -> None:
    with transaction.atomic():
        Reading.objects.filter(user=user, work=work).delete()
