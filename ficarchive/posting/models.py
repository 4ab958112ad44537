"""Drafts: a new work saved before posting. Only its owner ever sees it.

A draft is the posting form's data, not a `Work`: the reading site, tag pages and search hold
only posted works, so a draft can never leak into them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    title = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, help_text="The posting form's fields, as submitted.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title or "Untitled draft"


class CoCreatorInvitation(models.Model):
    """A work's creator asked another user's pseud to be credited too; shown once they accept."""

    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="invitations")
    pseud = models.ForeignKey("archive.Pseud", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="cocreator_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pseud} invited to {self.work_id}"


class Gift(models.Model):
    """A work given to someone (AO3's gifts): a user here, told in their inbox, or just a name.

    A user recipient may refuse the gift: it is kept, refused, so the work no longer says "for"
    them, their profile no longer lists it, and editing the work does not give it again.
    """

    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="gifts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gifts_received",
    )
    recipient_name = models.CharField(
        max_length=100, help_text="A free-text recipient, or the user's name when given."
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="gift_unique_user",
            ),
            models.UniqueConstraint(
                fields=["work", "recipient_name"],
                condition=models.Q(recipient__isnull=True),
                name="gift_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} for {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.recipient.get_username() if self.recipient_id else self.recipient_name

    @property
    def refused(self) -> bool:
        return self.refused_at is not None
