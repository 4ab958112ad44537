"""A reader's preferences for work pages: an account's, from its profile, or the visitors'.

Reading them never writes (a user without a profile row reads the defaults); changes go through
`accounts.actions.update_preferences`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .models import Profile


@dataclass(frozen=True)
class ReadingPreferences:
    hide_warnings: bool = False
    hide_freeforms: bool = False
    view_entire_work: bool = True
    show_suggestions: bool = True
    adult_content_prompt: bool = True


VISITOR = ReadingPreferences()  # visitors, and accounts until they choose
NAMES = tuple(f.name for f in fields(ReadingPreferences))


def preferences_of(user) -> ReadingPreferences:
    """The user's preferences; the visitors' for anyone logged out or without a profile."""
    if not user.is_authenticated:
        return VISITOR
    row = Profile.objects.filter(user=user).values(*NAMES).first()
    return ReadingPreferences(**row) if row else VISITOR
