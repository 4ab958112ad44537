"""A claim invitation: one mailed link that lets an imported creator claim or remove their works.

Only a hash of the link's token is stored, so the table cannot be used to claim anything; the
mailed address stays in `archive.Contact` and is never copied here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ficarchive.archive.models import Contact, Creator


class ClaimInvitation(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Claimed"
        REMOVED = "removed", "Works removed at the creator's request"
        SUPERSEDED = "superseded", "Replaced by a newer invitation"

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="claim_invitations")
    contact = models.ForeignKey(
        Contact, null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The private address the invitation was mailed to.",
    )  # fmt: skip
    token_hash = models.CharField(max_length=64, unique=True, help_text="sha256 of the token.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the mail went out.")
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    # The raw token, set only on the instance `invite_to_claim` has just created (never stored).
    token = ""

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["creator", "-created_at"])]

    def __str__(self) -> str:
        return f"claim invitation {self.pk} for {self.creator}"  # never the address

    def is_open(self, now=None) -> bool:
        """Not used, not replaced and not expired: the link still works."""
        return not self.outcome and self.expires_at > (now or timezone.now())
