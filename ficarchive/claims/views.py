"""Claim pages: the archivist's list of imported creators, and the landing page of a claim link.

Thin views over `claims.actions`. A wrong token is a 404 page, a used or expired one a 400 page
that says what to do; the archivist's pages are 403 for everyone else (`can_invite_claims`).
No page ever shows a mail address beyond its masked form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ficarchive.accounts.permissions import can_invite_claims
from ficarchive.archive.models import Creator
from ficarchive.archive.views import paginate

from . import actions
from .models import ClaimInvitation


def _error(request: HttpRequest, status: int, heading: str, message: str) -> HttpResponse:
    return render(
        request, "claims/done.html", {"heading": heading, "message": message}, status=status
    )


def archivists_only(view: Callable) -> Callable:
    """Log in first, then archivists only (`can_invite_claims`); others get a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("claims:creators"))
        if not can_invite_claims(request.user):
            return _error(
                request, 403, "Not allowed", "Only archivists can see and send claim invitations."
            )
        return view(request, *args, **kwargs)

    return wrapped


@archivists_only
def creators(request: HttpRequest) -> HttpResponse:
    page = paginate(request, actions.claimable_creators())
    rows = [actions.claim_row(creator) for creator in page.object_list]
    return render(request, "claims/creators.html", {"page": page, "rows": rows})


@require_POST
@archivists_only
def invite(request: HttpRequest, creator_id: int) -> HttpResponse:
    creator = get_object_or_404(Creator, pk=creator_id)
    back = reverse("claims:creators")
    try:
        invitation = actions.invite_to_claim(creator, by=request.user)
    except PermissionDenied as exc:
        return _error(request, 403, "Not allowed", str(exc))
    except ValidationError as exc:
        return _error(request, 400, "Cannot invite", " ".join(exc.messages))
    invitation.refresh_from_db(fields=["sent_at"])
    name = creator.pseuds.order_by("id").first() or creator
    if not invitation.token:
        messages.info(
            request,
            f"{name} was already invited on {invitation.created_at:%Y-%m-%d}; nothing new was "
            f"mailed. A new invitation can be sent after "
            f"{invitation.created_at + actions.RESEND_AFTER:%Y-%m-%d}.",
        )
    elif invitation.sent_at is None:
        messages.error(
            request,
            f"The invitation to {name} could not be mailed; check the archive's mail settings "
            "(FICARCHIVE_EMAIL) and invite again.",
        )
    else:
        messages.success(request, f"Invitation mailed to {name}.")
    return redirect(back)


def _invitation(token: str) -> ClaimInvitation:
    try:
        return actions.invitation_for_token(token)
    except ClaimInvitation.DoesNotExist:
        raise Http404(
            "This claim link is not known. Check that the whole link from the mail was copied, "
            "or ask the archive's archivists for a new invitation."
        ) from None


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return _error(request, 400, "This claim link cannot be used", reason)


def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The page the mailed link opens: the works, and the two choices."""
    invitation = _invitation(token)
    reason = actions.refusal(invitation)
    if reason:
        return _unusable(request, reason)
    creator = invitation.creator
    context = {
        "invitation": invitation,
        "token": token,
        "names": [pseud.name for pseud in creator.pseuds.order_by("id")],
        "works": [
            (work, [actions.source_line(source) for source in work.sources.all()])
            for work in actions.creator_works(creator)
        ],
    }
    return render(request, "claims/claim.html", context)


@require_POST
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("claims:claim", args=[token]))
    try:
        creator = actions.accept_claim(invitation, request.user)
    except actions.InvitationUnusable as exc:
        return _unusable(request, str(exc))
    count = actions.creator_works(creator).count()
    messages.success(
        request, f"Claimed: {count} work{'s' if count != 1 else ''} are now linked to your account."
    )
    return redirect("accounts:profile", request.user.get_username())


@require_POST
def remove(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    try:
        actions.remove_my_works(invitation, request.user)
    except actions.InvitationUnusable as exc:
        return _unusable(request, str(exc))
    hidden = actions.creator_works(invitation.creator).count()
    return render(
        request,
        "claims/done.html",
        {
            "heading": "Your works are removed",
            "message": f"{hidden} work{'s' if hidden != 1 else ''} are hidden from the archive: "
            "from every list, feed and search. To bring them back, write to the archive's "
            "archivists.",
        },
    )
