"""Blocking and muting other users, and what each one changes.

Blocking protects a creator: the blocked user leaves no comment, reply or kudos on the blocker's
works, sends them no co-creator invitation, and their comments are gone from the blocker's view.
Muting is for reading in peace: the muted user's works and comments disappear for the muter
(as on the Archive of Our Own, from the pages they read; the muted user is not told).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ficarchive.archive.models import Creatorship, Work

from .models import Block, Mute


def _other(user, other) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to block or mute.")
    if other.pk == user.pk:
        raise ValidationError("You cannot block or mute yourself.")


def block(user, other) -> Block:
    _other(user, other)
    with transaction.atomic():
        return Block.objects.get_or_create(blocker=user, blocked=other)[0]


def unblock(user, other) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()


def mute(user, other) -> Mute:
    _other(user, other)
    with transaction.atomic():
        return Mute.objects.get_or_create(muter=user, muted=other)[0]


def unmute(user, other) -> None:
    Mute.objects.filter(muter=user, muted=other).delete()


def blocked_by_creators(user, work: Work) -> bool:
    """Whether one of the work's creators blocked this user."""
    if user is None or not user.is_authenticated:
        return False
    owners = Creatorship.objects.filter(work=work).values("pseud__creator__user")
    return Block.objects.filter(blocker__in=owners, blocked=user).exists()


def blocks(blocker, user) -> bool:
    if blocker is None or user is None or not user.is_authenticated:
        return False
    return Block.objects.filter(blocker=blocker, blocked=user).exists()


def require_not_blocked(user, work: Work, what: str) -> None:
    if blocked_by_creators(user, work):
        raise PermissionDenied(f"The creator of this work has blocked you: you cannot {what}.")


def unseen_users(viewer) -> set[int]:
    """The users whose comments this reader does not see: those they blocked or muted."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    return set(Block.objects.filter(blocker=viewer).values_list("blocked", flat=True)) | set(
        Mute.objects.filter(muter=viewer).values_list("muted", flat=True)
    )


def muted_work_ids(viewer, work_ids) -> set[int]:
    """Of these works, those with a creator the reader muted (one query)."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    muted = Mute.objects.filter(muter=viewer).values("muted")
    return set(
        Creatorship.objects.filter(
            work_id__in=list(work_ids), pseud__creator__user__in=muted
        ).values_list("work_id", flat=True)
    )
