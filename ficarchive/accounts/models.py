"""What the archive keeps about a user beyond Django's auth user: a profile text and the
reader's preferences (how work pages show; `accounts.preferences` gives visitors the defaults).

Roles: every user reads and writes; archivists (`is_staff`) import, wrangle tags, review
suggestions and moderate; admins are superusers. A user's email address is private: no page
renders it (it is only for password resets and notifications).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    about_html = models.TextField(blank=True, help_text="Sanitised HTML shown on the profile.")
    inbox_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="The last visit to the inbox: newer items are new."
    )
    awaiting_confirmation = models.BooleanField(
        default=False,
        help_text="Signed up and not yet confirmed the email address: may not post or comment.",
    )

    # Reading preferences. Defaults are the visitors' (`accounts.preferences.VISITOR`).
    hide_warnings = models.BooleanField(
        default=False, help_text="Fold archive warnings away on work pages (click to show)."
    )
    hide_freeforms = models.BooleanField(
        default=False, help_text="Fold additional tags away on work pages (click to show)."
    )
    view_entire_work = models.BooleanField(
        default=True, help_text="Open works whole; otherwise chapter by chapter."
    )
    show_suggestions = models.BooleanField(
        default=True,
        help_text="Show the analysis's tag suggestions on works one may review.",
    )
    adult_content_prompt = models.BooleanField(
        default=True, help_text="Ask before showing works that could have adult content."
    )
    posting_markup = models.CharField(
        max_length=10,
        blank=True,
        help_text="The text format the user last posted in (html or markdown); the posting "
        "forms start with it. Empty: never posted, rich text.",
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"


class InvitationRequest(models.Model):
    """A visitor's place in the invitation queue (`FICARCHIVE_SIGNUP=invite`)."""

    email = models.EmailField(unique=True, help_text="Private: only the invitation goes to it.")
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"invitation request {self.pk}"


class Invitation(models.Model):
    """A sign-up link for one address; the database keeps only its token's hash."""

    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitation",
    )  # fmt: skip

    def __str__(self) -> str:
        return f"invitation {self.pk}"
