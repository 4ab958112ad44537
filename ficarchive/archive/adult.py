"""The adult-content question: Mature, Explicit and unrated works ask before they show.

As on the Archive of Our Own, proceeding once is remembered in the browser session for every
work. Readers with an account can turn the question off (`adult_content_prompt`); a work's own
creators are never asked about it (they wrote it). Archivists are asked like any reader: they
turn it off in their preferences like anyone else.
"""

from __future__ import annotations

from django.http import HttpRequest

from ficarchive.accounts.permissions import owns_work
from ficarchive.accounts.preferences import ReadingPreferences

from .models import Work

SAFE_RATINGS = frozenset({"General Audiences", "Teen And Up Audiences"})
SESSION_KEY = "adult_content_ok"


def could_be_adult(work: Work) -> bool:
    """Mature and Explicit works, and those with no rating or "Not Rated" (anything may be in them)."""
    return work.rating not in SAFE_RATINGS


def must_ask(request: HttpRequest, work: Work, preferences: ReadingPreferences) -> bool:
    """True when the work page should ask before showing this work to this reader."""
    if not could_be_adult(work) or not preferences.adult_content_prompt:
        return False
    if request.session.get(SESSION_KEY):
        return False
    return not owns_work(request.user, work)


def remember_consent(request: HttpRequest) -> None:
    """The reader proceeded: no more questions in this browser session."""
    request.session[SESSION_KEY] = True
