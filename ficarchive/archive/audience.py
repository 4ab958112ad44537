"""Who may read a work: the one place that decides what an anonymous visitor may see.

A creator may post a work for logged-in users only (`Work.restricted`, the Archive of Our Own's
"only show to registered users"). An anonymous visitor never finds such a work: not in a list,
on a tag or creator page, in search, a feed, OPDS, the API or a download; its own address shows
a "log in to read" page instead. Lists get this through `WorkQuerySet.readable_by` (and
`blurb_queryset(viewer=...)`, which treats a missing viewer as anonymous, so a list that forgets
to say who is looking shows less, never more); search through `Criteria.restricted`, filled by
`sees_restricted`. Views and the API ask through `accounts.permissions`, like every other
check. Hidden works are another matter (`permissions.can_open`).
"""

from __future__ import annotations


class _AllReaders:
    """A viewer standing for "any reader": a work's own page finds a restricted work with it,
    then decides with `can_read` whether to show it or ask the visitor to log in."""

    is_authenticated = True


ALL_READERS = _AllReaders()


def sees_restricted(user) -> bool:
    """Logged-in users read works restricted to logged-in users; anonymous visitors do not."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_read(user, work) -> bool:
    """Whether this person may read the work's text (it is not restricted, or they are logged in)."""
    return not work.restricted or sees_restricted(user)
