"""Joining the archive: the sign-up modes, the invitation queue, and confirming an address.

`FICARCHIVE_SIGNUP` is `open` (anyone signs up), `invite` (visitors queue for an invitation an
archivist sends; the link signs up that one address) or `closed` (accounts come from the admin).
With `FICARCHIVE_CONFIRM_EMAIL` an account made by signing up may not post or comment until its
owner opens the link mailed to them: a bot's throwaway address gets it nowhere.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .actions import create_account, profile_of
from .models import Invitation, InvitationRequest, Profile
from .permissions import can_invite_users
from .secret_tokens import new_token, token_hash

log = logging.getLogger(__name__)

INVITATION_DAYS = 14
CONFIRM_DAYS = 7
_CONFIRM_SALT = "ficarchive.accounts.confirm-email"


def mode() -> str:
    return settings.SIGNUP


def _invitation(token: str) -> Invitation:
    invitation = Invitation.objects.filter(
        token_hash=token_hash(token or ""), used_by__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if invitation is None:
        raise ValidationError(
            "This invitation link is not valid: it was used already or it expired. "
            "Ask for a new one."
        )
    return invitation


def check_invitation(token: str) -> Invitation:
    """The unused invitation of a link, or a ValidationError saying why it cannot be used."""
    return _invitation(token)


def sign_up(username: str, email: str, password: str, *, invitation: str = ""):
    """A new account by the public form, as the sign-up mode allows.

    In `invite` mode the invitation's token is spent by this account (its address is the one
    invited, so it needs no confirming); otherwise the address waits for confirmation.
    """
    if mode() == "closed":
        raise PermissionDenied("Sign-up is closed on this archive.")
    with transaction.atomic():
        invited = None
        if mode() == "invite":
            invited = Invitation.objects.select_for_update().get(pk=_invitation(invitation).pk)
            email = invited.email
        user = create_account(username, email, password)
        waiting = settings.CONFIRM_EMAIL and invited is None
        Profile.objects.filter(user=user).update(awaiting_confirmation=waiting)
        if invited is not None:
            invited.used_by = user
            invited.save(update_fields=["used_by"])
        if waiting:
            transaction.on_commit(lambda: mail_confirmation(user), robust=True)
    return user


# --- Confirming the address ---------------------------------------------------------------------


def confirmation_token(user) -> str:
    """A signed, dated token for this account and address: a changed address voids it."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_CONFIRM_SALT, compress=True)


def mail_confirmation(user) -> bool:
    link = settings.SITE_URL + reverse("accounts:confirm", args=[confirmation_token(user)])
    body = (
        f"Welcome to the archive, {user.get_username()}.\n\nOpen this link within {CONFIRM_DAYS} "
        f"days to confirm your address; then you can post and comment:\n{link}\n\n"
        "If you did not sign up, ignore this mail.\n"
    )
    try:
        send_mail("[ficarchive] Confirm your email address", body, None, [user.email])
    except Exception:  # the account page offers to send it again
        log.exception("mailing the confirmation of user %s failed", user.pk)
        return False
    return True


def confirm_email(token: str):
    """The account the token confirms, now free to post; ValidationError for a bad or old link."""
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=dt.timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise ValidationError("This confirmation link expired; log in to get a new one.") from None
    except signing.BadSignature:
        raise ValidationError("This confirmation link is not valid.") from None
    user = get_user_model().objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ValidationError("This confirmation link is for an address no account has now.")
    Profile.objects.filter(user=user).update(awaiting_confirmation=False)
    return user


def awaiting_confirmation(user) -> bool:
    return bool(user.is_authenticated and profile_of(user).awaiting_confirmation)


# --- The invitation queue -----------------------------------------------------------------------


def request_invitation(email: str) -> InvitationRequest:
    """Join the queue; an address already in it keeps its place."""
    if mode() != "invite":
        raise ValidationError("This archive has no invitation queue.")
    email = email.strip()
    try:
        with transaction.atomic():
            return InvitationRequest.objects.create(email=email)
    except IntegrityError:
        return InvitationRequest.objects.get(email=email)


def invite(by, emails: list[str]) -> list[Invitation]:
    """An archivist mails sign-up links to these addresses (queued or not)."""
    if not can_invite_users(by):
        raise PermissionDenied("Only archivists send invitations.")
    made = []
    with transaction.atomic():
        for email in dict.fromkeys(e.strip() for e in emails if e.strip()):
            token = new_token()
            made.append(
                Invitation.objects.create(
                    email=email,
                    token_hash=token_hash(token),
                    invited_by=by,
                    expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
                )
            )
            InvitationRequest.objects.filter(email=email, invited_at__isnull=True).update(
                invited_at=timezone.now()
            )
            transaction.on_commit(lambda e=email, t=token: _mail_invitation(e, t), robust=True)
    return made


def invite_next(by, count: int) -> list[Invitation]:
    """Invite the `count` longest-waiting addresses of the queue."""
    waiting = InvitationRequest.objects.filter(invited_at__isnull=True)[: max(0, min(count, 500))]
    return invite(by, [r.email for r in waiting])


def _mail_invitation(email: str, token: str) -> None:
    link = f"{settings.SITE_URL}{reverse('accounts:signup')}?invitation={token}"
    body = (
        "You are invited to join the archive. Open this link within "
        f"{INVITATION_DAYS} days to choose a user name and password:\n{link}\n"
    )
    try:
        send_mail("[ficarchive] Your invitation", body, None, [email])
    except Exception:
        log.exception("mailing an invitation failed")
