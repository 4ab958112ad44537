"""Who may see the analysis's unreviewed tag suggestions on a work.

One function, to move into `accounts/permissions.py` once that module exists.
"""

from __future__ import annotations

from .actions import is_archivist, owns_work


def can_see_suggestions(user, work) -> bool:
    """The work's creators and archivists, who review them; never other readers.

    A suggestion is the machine's guess, not the creator's word: shown to everyone it would read
    as the work's tag (a wrong relationship or a spoiler character) before anyone checked it.
    """
    return is_archivist(user) or owns_work(user, work)


def can_search_suggestions(user) -> bool:
    """Counting suggestions as tags in a search (its facets name them) spans everyone's works:
    archivists only, as a creator sees the suggestions of their own works alone."""
    return is_archivist(user)


SEARCH_REFUSED = (
    "Counting machine-suggested tags is for archivists (they are unreviewed guesses), so this "
    "search counts the works' own tags only."
)
