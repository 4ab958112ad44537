"""Who may do what: every permission check of the archive, in one place.

Roles: anyone reads; a logged-in user writes, comments and bookmarks; a work's creators are the
users owning one of its pseuds; archivists (`is_staff`) import, wrangle tags, review suggestions
and moderate; admins are superusers. Views, templates, the API and the actions all ask here, so a
rule changes in one line. The functions only read; the actions raise `PermissionDenied` on a no.
"""

from __future__ import annotations

from contextvars import ContextVar

# Works for logged-in users only: `archive.audience` holds that rule (the models' querysets use
# it, below this module); everyone else asks it through here.
from ficarchive.archive.audience import can_read as can_read
from ficarchive.archive.audience import sees_restricted as sees_restricted
from ficarchive.archive.models import Creatorship, Work

from .models import Profile


def is_archivist(user) -> bool:
    """Archivists (staff) import, wrangle, moderate and assign imported creators to users."""
    return bool(user.is_authenticated and user.is_staff)


# While a page is read (GET or HEAD), answers of `owns_work` are kept for the request: a work
# page asks it for its tools, chapters, comments and buttons. Writes always ask the database.
reading_memo: ContextVar[dict | None] = ContextVar("ficarchive_permissions", default=None)


def owns_work(user, work: Work) -> bool:
    """True when one of the work's creators is this user (whatever pseud they used)."""
    if not user.is_authenticated:
        return False
    memo = reading_memo.get()
    key = ("owns", user.pk, work.pk)
    if memo is not None and key in memo:
        return memo[key]
    owner = Creatorship.objects.filter(work=work, pseud__creator__user=user).exists()
    if memo is not None:
        memo[key] = owner
    return owner


def can_post(user) -> bool:
    """Post works and chapters, comment under a name: logged in, and an address confirmed when
    the account came from the sign-up form (`accounts.signup`)."""
    if not user.is_authenticated:
        return False
    return not Profile.objects.filter(user=user, awaiting_confirmation=True).exists()


UNCONFIRMED = "Confirm your email address first: open the link we mailed you (your profile page can send it again)."


# --- Works ---------------------------------------------------------------------------------------


def can_edit_work(user, work: Work) -> bool:
    """Only the work's creators rewrite it; archivists hide or delete, never edit."""
    return owns_work(user, work)


def can_delete_work(user, work: Work) -> bool:
    return owns_work(user, work) or is_archivist(user)


def can_see_hidden(user, work: Work) -> bool:
    """Its creators (to know why and fix it) and archivists (to review it) see a hidden work."""
    return is_archivist(user) or owns_work(user, work)


def can_open(user, work: Work) -> bool:
    """Anyone opens a visible work; a hidden one only those `can_see_hidden` lets in."""
    return not work.is_hidden or can_see_hidden(user, work)


def readable_chapters(user, work: Work):
    """The work's chapters this person reads: hidden ones too for those who see hidden things."""
    chapters = work.chapters.all()
    return chapters if can_see_hidden(user, work) else chapters.visible()


def _work_of(target) -> Work:
    return target if isinstance(target, Work) else target.work


def can_hide(user, target) -> bool:
    """A work or chapter: archivists, and creators their own. A comment: `can_moderate_comments`."""
    if target._meta.model_name == "comment":
        return can_moderate_comments(user, target.work)
    return is_archivist(user) or owns_work(user, _work_of(target))


def can_restore(user, target) -> bool:
    """Works and chapters: archivists only, so what moderation hid does not come back on its own.

    Comments: whoever may hide them, since a work's creators keep its comment threads.
    """
    if target._meta.model_name == "comment":
        return can_moderate_comments(user, target.work)
    return is_archivist(user)


def can_review_suggestions(user, work: Work) -> bool:
    """The work's creators and archivists see, accept and reject what the analysis suggested;
    never other readers.

    A suggestion is the machine's guess, not the creator's word: shown to everyone it would read
    as the work's tag (a wrong relationship or a spoiler character) before anyone checked it.
    """
    return is_archivist(user) or owns_work(user, work)


def can_search_suggestions(user) -> bool:
    """Counting suggestions as tags in a search (its facets name them) spans everyone's works:
    archivists only, as a creator sees the suggestions of their own works alone."""
    return is_archivist(user)


SEARCH_SUGGESTIONS_REFUSED = (
    "Counting machine-suggested tags is for archivists (they are unreviewed guesses), so this "
    "search counts the works' own tags only."
)


# --- Comments ------------------------------------------------------------------------------------


def can_delete_comment(user, comment) -> bool:
    """The comment's author, the work's creators and archivists may delete it."""
    if not user.is_authenticated:
        return False
    return comment.user_id == user.pk or is_archivist(user) or owns_work(user, comment.work)


def can_moderate_comments(user, work: Work) -> bool:
    """Hide or restore comments on a work: archivists on any, creators on their own works."""
    return is_archivist(user) or owns_work(user, work)


def can_see_hidden_comment(user, comment) -> bool:
    """A hidden comment stays visible to its author (with the reason) and the work's moderators."""
    if not user.is_authenticated:
        return False
    return comment.user_id == user.pk or can_moderate_comments(user, comment.work)


# --- Archive-wide roles --------------------------------------------------------------------------


def can_moderate(user) -> bool:
    """The reports queue, hiding anyone's work or chapter, restoring, and the audit log."""
    return is_archivist(user)


def can_import(user) -> bool:
    return is_archivist(user)


def can_wrangle(user) -> bool:
    return is_archivist(user)


def can_invite_claims(user) -> bool:
    """Only archivists invite imported creators to claim their works."""
    return is_archivist(user)


def can_invite_users(user) -> bool:
    return is_archivist(user)


def can_assign_creators(user) -> bool:
    return is_archivist(user)
