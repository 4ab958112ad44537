"""Secret tokens sent to one person (an API key, a claim invitation's link).

The token is shown or mailed once; the database keeps only its SHA-256 hash, so a leaked
database leaks no token. 32 random bytes cannot be guessed, so no salt or slow hash is needed.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token(prefix: str = "") -> str:
    """`prefix` + 43 URL-safe characters (32 random bytes)."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token, to find it again when it is presented."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
