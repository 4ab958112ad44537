"""What the archive keeps about a user beyond Django's auth user: a profile text.

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
    posting_markup = models.CharField(
        max_length=10,
        blank=True,
        help_text="The text format the user last posted in (html or markdown); the posting "
        "forms start with it. Empty: never posted, rich text.",
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"
