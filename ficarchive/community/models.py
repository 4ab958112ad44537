"""Readers' responses to works: kudos, comments, bookmarks, subscriptions, the inbox, history.

Changes go through `community.actions`, which also keeps the counts on `Work` (kudos, public
bookmarks, comments, hits) that the blurbs show and the search sorts by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ficarchive.archive.models import Chapter, Creator, Work

User = settings.AUTH_USER_MODEL


class Kudos(models.Model):
    """One per account, or one per guest (by browser session and by hashed address)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="kudos")
    session_key = models.CharField(max_length=64, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, help_text="Never the address.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["work", "address_hash"])]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"


class Comment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    address_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text="A guest's; never the address.",
    )
    body_html = models.TextField()
    deleted = models.BooleanField(
        default=False, help_text="Deleted with replies under it: kept as a placeholder."
    )
    # Hidden by a moderator or the work's creator: seen only by its author, the work's creators
    # and archivists, with the reason (moderation.actions).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True, default="", db_default="")
    # Held for moderation (spam signs, or the work's creator approves every comment): seen like
    # a hidden comment until a moderator approves it.
    held_reason = models.CharField(max_length=200, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return bool(self.held_reason)

    @property
    def author_name(self) -> str:
        if self.user_id:
            return self.user.username
        return self.guest_name or "(deleted account)"


class Bookmark(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="bookmarks")
    note_html = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="The bookmarker's own tags.")
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="bookmark_once_per_user")
        ]

    def __str__(self) -> str:
        return f"bookmark of {self.work_id} by {self.user_id}"


class Subscription(models.Model):
    """To a work (its new chapters) or to a creator (their new works and chapters)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="subscriptions")
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    creator = models.ForeignKey(
        Creator, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, creator__isnull=True)
                | Q(work__isnull=True, creator__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="subscription_work"
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(creator__isnull=False),
                name="subscription_creator",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription of {self.user_id}"


class Notification(models.Model):
    """An inbox item: a new chapter or work from a subscription, a comment or a reply."""

    class Kind(models.TextChoices):
        CHAPTER = "chapter", "New chapter"
        WORK = "work", "New work"
        COMMENT = "comment", "Comment on your work"
        REPLY = "reply", "Reply to your comment"
        INVITE = "invite", "Invitation to co-create"
        GIFT = "gift", "A work given to you"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class Reading(models.Model):
    """A user's reading history of one work, and whether they marked it for later."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="readings")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    last_read_at = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    later = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_read_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="reading_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"


class Block(models.Model):
    """`blocker` takes no comments, kudos or co-creator invitations from `blocked` on their
    works, and no longer sees `blocked`'s comments."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """`muter` no longer sees `muted`'s works and comments; `muted` is not told."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"
