"""Creating, listing, revoking and checking API tokens.

A token reads `fa_` + 43 URL-safe characters (32 random bytes). It is returned once by
`create_token`; the database keeps only its SHA-256 hash, so a leaked database leaks no token.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.secret_tokens import new_token, token_hash

from .models import ApiToken

TOKEN_PREFIX = "fa_"
SHOWN_PREFIX = 10  # characters of the token kept in clear to tell tokens apart


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the token itself (shown once, never stored)."""
    name = " ".join(name.split())[:100] or "API token"
    token = new_token(TOKEN_PREFIX)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, name=name, prefix=token[:SHOWN_PREFIX], key_hash=token_hash(token)
        )
    return row, token


def create_token_for(username: str, name: str) -> tuple[ApiToken, str]:
    """`create_token` for a user named `username`; LookupError when there is none."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise LookupError(f"no user is called {username!r}; create one first")
    if not user.is_active:
        raise LookupError(f"the user {username!r} is deactivated; tokens would not work")
    return create_token(user, name)


def revoke_token(token_id: int) -> ApiToken:
    """Revoke a token by id (as `ficarchive api-token list` shows it); LookupError when unknown."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if row is None:
            raise LookupError(f"no API token has id {token_id}")
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
    return row


def user_for_token(token: str):
    """The active user a token belongs to, or None (unknown, revoked, or inactive user)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    # Written at most once a minute: a busy script must not turn every read into a write.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
