"""Claims: an archivist invites an imported creator by mail; the link claims or removes the works.

`invite_to_claim` mails the creator's private address (an `archive.Contact` from the import)
where their works came from, the works, and a link with an unguessable token; only the token's
hash is kept. Asking again within `RESEND_AFTER` mails nothing new. The link works once, until
it expires: `accept_claim` links the creator to the user's account (their works become the
user's to edit), `remove_my_works` hides every work of the creator. Each action runs in one
transaction and checks who may do it (`accounts.permissions.can_invite_claims`, the token); views only call these.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.permissions import can_invite_claims
from ficarchive.accounts.secret_tokens import new_token, token_hash
from ficarchive.archive.hiding import REMOVED_BY_CREATOR, hide_works
from ficarchive.archive.models import Contact, Creator, Pseud, Source, Work
from ficarchive.moderation.audit import record

from .models import ClaimInvitation

log = logging.getLogger("ficarchive.claims")

INVITATION_LIFETIME = dt.timedelta(days=30)  # how long a mailed link works
RESEND_AFTER = dt.timedelta(days=7)  # inviting again sooner mails nothing new
MAX_TOKEN_CHARS = 100  # tokens are 43 characters; anything much longer is not one
EMAIL_KIND = "email"
Outcome = ClaimInvitation.Outcome


class InvitationUnusable(Exception):
    """The link was used, replaced or has expired; the message says what to do instead."""


# --- Who may --------------------------------------------------------------------------------------


# --- The private address, masked ------------------------------------------------------------------


def _address(contact: Contact) -> str:
    """The contact's value as a mail address, or "" when it is not one (a web page, an AIM name)."""
    value = contact.value.strip().removeprefix("mailto:").split("?", 1)[0]
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def private_email(creator: Creator) -> Contact | None:
    """The first private mail address an import found for the creator's pseuds.

    Reads `creator.pseuds` and their `contacts` through `.all()`, so a prefetch serves it.
    """
    contacts = [
        contact
        for pseud in creator.pseuds.all()
        for contact in pseud.contacts.all()
        if contact.kind == EMAIL_KIND and _address(contact)
    ]
    return min(contacts, key=lambda c: c.pk, default=None)


def mask_email(address: str) -> str:
    """`j***@example.org`: enough for an archivist to tell two addresses apart, no more."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


# --- The archivist's list -------------------------------------------------------------------------


def claimable_creators() -> QuerySet[Creator]:
    """Imported creators with a private mail address, with what the claims page shows prefetched."""
    with_email = Contact.objects.filter(
        pseud__creator=OuterRef("pk"), kind=EMAIL_KIND, value__contains="@"
    )
    return (
        Creator.objects.filter(Exists(with_email))
        .select_related("user")
        .annotate(work_count=Count("pseuds__creatorships__work", distinct=True))
        .prefetch_related(
            Prefetch(
                "pseuds",
                queryset=Pseud.objects.order_by("id").prefetch_related(
                    Prefetch("contacts", queryset=Contact.objects.filter(kind=EMAIL_KIND))
                ),
            ),
            Prefetch(
                "claim_invitations", queryset=ClaimInvitation.objects.order_by("-created_at", "-id")
            ),
        )
        .order_by("id")
    )


# The claim status of a creator, first match wins: (status, label shown to archivists, test of
# the creator, their latest invitation and the time).
StatusTest = Callable[[Creator, "ClaimInvitation | None", dt.datetime], bool]
STATUS_RULES: tuple[tuple[str, str, StatusTest], ...] = (
    ("claimed", "Claimed",
     lambda c, i, now: c.user_id is not None),
    ("removed", "Works removed at the creator's request",
     lambda c, i, now: i is not None and i.outcome == Outcome.REMOVED),
    ("unsent", "Invitation not mailed (mail failed)",
     lambda c, i, now: i is not None and i.is_open(now) and i.sent_at is None),
    ("invited", "Invited",
     lambda c, i, now: i is not None and i.is_open(now)),
    ("expired", "Invitation expired",
     lambda c, i, now: i is not None),
    ("new", "Not invited",
     lambda c, i, now: True),
)  # fmt: skip


@dataclass(frozen=True)
class CreatorClaim:
    """One row of the archivist's claims page. It holds the masked address only."""

    creator: Creator
    names: list[str]
    masked_email: str
    work_count: int
    status: str
    status_label: str
    invitation: ClaimInvitation | None

    @property
    def can_be_invited(self) -> bool:
        return self.status not in ("claimed", "removed")


def claim_row(creator: Creator, now: dt.datetime | None = None) -> CreatorClaim:
    """A creator from `claimable_creators()` as its row on the claims page."""
    now = now or timezone.now()
    invitations = list(creator.claim_invitations.all())
    latest = invitations[0] if invitations else None
    status, label = next((s, lbl) for s, lbl, test in STATUS_RULES if test(creator, latest, now))
    contact = private_email(creator)
    return CreatorClaim(
        creator=creator,
        names=[pseud.name for pseud in creator.pseuds.all()],
        masked_email=mask_email(_address(contact)) if contact else "",
        work_count=getattr(creator, "work_count", 0),
        status=status,
        status_label=label,
        invitation=latest,
    )


# --- Works and where they came from ---------------------------------------------------------------


def creator_works(creator: Creator) -> QuerySet[Work]:
    """Every work the creator is credited on, hidden ones too, oldest first."""
    return (
        Work.all_objects.filter(creatorships__pseud__creator=creator)
        .distinct()
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def source_line(source: Source) -> str:
    """Where a work came from, as the mail says it: the page address, else the site and file."""
    if source.url:
        return source.url
    parts = [
        f"the file {source.filename}" if source.filename else "",
        f"({source.site})" if source.site else "",
    ]
    return " ".join(p for p in parts if p) or f"a {source.format} file"


# --- Tokens ---------------------------------------------------------------------------------------


def invitation_for_token(token: str) -> ClaimInvitation:
    """The invitation a link's token belongs to; `ClaimInvitation.DoesNotExist` when none does."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise ClaimInvitation.DoesNotExist("There is no claim invitation for this link.")
    return ClaimInvitation.objects.select_related("creator").get(token_hash=token_hash(token))


def claim_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('claims:claim', args=[token])}"


# Why a link no longer works, first match wins: (test of the invitation and the time, message).
REFUSALS: tuple[tuple[Callable[[ClaimInvitation, dt.datetime], bool], str], ...] = (
    (lambda i, now: i.outcome == Outcome.ACCEPTED,
     "This claim link was already used on {used}: the works are claimed. Log in to the account "
     "that claimed them to see them."),
    (lambda i, now: i.outcome == Outcome.REMOVED,
     "This claim link was already used on {used}: the works were removed at the creator's "
     "request. Write to the archive's archivists to undo that."),
    (lambda i, now: i.outcome == Outcome.SUPERSEDED,
     "A newer invitation replaced this link. Use the link in the most recent mail from the "
     "archive."),
    (lambda i, now: i.expires_at <= now,
     "This claim link expired on {expires}. Ask the archive's archivists for a new invitation."),
)  # fmt: skip


def refusal(invitation: ClaimInvitation, now: dt.datetime | None = None) -> str:
    """Why the link cannot be used any more, or "" when it can."""
    now = now or timezone.now()
    for test, message in REFUSALS:
        if test(invitation, now):
            return message.format(
                used=f"{invitation.used_at:%Y-%m-%d}" if invitation.used_at else "an earlier day",
                expires=f"{invitation.expires_at:%Y-%m-%d}",
            )
    return ""


def _lock_usable(invitation: ClaimInvitation) -> ClaimInvitation:
    """The invitation, locked for this transaction, when its link still works (else refused)."""
    locked = (
        ClaimInvitation.objects.select_for_update().select_related("creator").get(pk=invitation.pk)
    )
    reason = refusal(locked)
    if reason:
        raise InvitationUnusable(reason)
    return locked


def _close(invitation: ClaimInvitation, outcome: str, user) -> None:
    """Use the link up, and retire the creator's other open links with it."""
    now = timezone.now()
    invitation.outcome, invitation.used_at = outcome, now
    invitation.used_by = user if user is not None and user.is_authenticated else None
    invitation.save(update_fields=["outcome", "used_at", "used_by"])
    ClaimInvitation.objects.filter(creator_id=invitation.creator_id, outcome="").exclude(
        pk=invitation.pk
    ).update(outcome=Outcome.SUPERSEDED)


# --- Inviting -------------------------------------------------------------------------------------


def invite_to_claim(creator: Creator, *, by) -> ClaimInvitation:
    """Mail the creator's private address an invitation to claim their works, or ask for removal.

    Idempotent: while an invitation mailed less than `RESEND_AFTER` ago is still open, that one
    is returned and nothing is mailed (its `token` is then ""). Otherwise a new invitation
    replaces the open ones; the mail goes out once the transaction commits and its `sent_at`
    records that it did (a failed mail leaves it None, and inviting again mails anew).
    """
    if not can_invite_claims(by):
        raise PermissionDenied("Only archivists can invite creators to claim their works.")
    with transaction.atomic():
        creator = Creator.objects.select_for_update().get(pk=creator.pk)
        if creator.user_id is not None:
            raise ValidationError(
                "This creator is already linked to an account; there is nothing to claim."
            )
        contact = private_email(creator)
        if contact is None:
            raise ValidationError(
                "No private mail address was imported for this creator, so they cannot be "
                "invited; an archivist can link them to an account in the admin instead."
            )
        now = timezone.now()
        recent = (
            ClaimInvitation.objects.filter(
                creator=creator,
                outcome="",
                expires_at__gt=now,
                sent_at__isnull=False,
                created_at__gt=now - RESEND_AFTER,
            )  # fmt: skip
            .order_by("-created_at")
            .first()
        )
        if recent is not None:
            return recent
        ClaimInvitation.objects.filter(creator=creator, outcome="").update(
            outcome=Outcome.SUPERSEDED
        )
        token = new_token()
        record(by, "invited to claim", creator)
        invitation = ClaimInvitation.objects.create(
            creator=creator,
            contact=contact,
            token_hash=token_hash(token),
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        address = _address(contact)
        transaction.on_commit(lambda: _mail_invitation(invitation.pk, token, address))
    invitation.token = token
    return invitation


def invitation_mail(invitation: ClaimInvitation, token: str) -> tuple[str, str]:
    """(subject, body) of the invitation: where the works came from, the works, the link."""
    creator = invitation.creator
    works = list(creator_works(creator))
    names = [pseud.name for pseud in creator.pseuds.order_by("id")]
    context = {
        "names": names,
        "works": [
            {
                "title": work.title,
                "url": f"{settings.SITE_URL}{work.get_absolute_url()}",
                "sources": [source_line(source) for source in work.sources.all()],
                "hidden": work.is_hidden,
            }
            for work in works
        ],
        "claim_url": claim_url(token),
        "expires": invitation.expires_at,
        "site_url": settings.SITE_URL,
    }
    name = names[0] if names else "an imported creator"
    subject = f"[ficarchive] Your stories as {name}: claim them or ask for removal"
    return subject[:200], render_to_string("claims/mail/invitation.txt", context)


def _mail_invitation(invitation_id: int, token: str, address: str) -> None:
    """Send the mail (after the commit); `sent_at` is set only when it went out."""
    invitation = ClaimInvitation.objects.select_related("creator").filter(pk=invitation_id).first()
    if invitation is None:
        return
    subject, body = invitation_mail(invitation, token)
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # the archivist's page shows it as not mailed; inviting again retries
        log.exception("mailing claim invitation %s failed", invitation_id)
        return
    ClaimInvitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())


# --- Answering ------------------------------------------------------------------------------------


def accept_claim(invitation: ClaimInvitation, user) -> Creator:
    """Link the invited creator (all their pseuds and works) to the user's account.

    The user then owns those works: they edit them, review their tags, get their notices.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in or sign up first: a claim links the works to your account.")
    with transaction.atomic():
        invitation = _lock_usable(invitation)
        creator = Creator.objects.select_for_update().get(pk=invitation.creator_id)
        if creator.user_id is not None and creator.user_id != user.pk:
            raise InvitationUnusable(
                "These works were already linked to another account. If that is not yours, "
                "write to the archive's archivists."
            )
        creator.user = user
        creator.save(update_fields=["user"])
        _close(invitation, Outcome.ACCEPTED, user)
    return creator


def remove_my_works(invitation: ClaimInvitation, user_or_none) -> int:
    """Hide every work of the invited creator (the link itself is the proof); returns how many.

    No account is needed to ask for removal. Works shared with another creator are hidden
    too: an archivist can restore them (`moderation.actions.restore`).
    """
    with transaction.atomic():
        invitation = _lock_usable(invitation)
        hidden = hide_works(creator_works(invitation.creator), reason=REMOVED_BY_CREATOR)
        _close(invitation, Outcome.REMOVED, user_or_none)
    return hidden
