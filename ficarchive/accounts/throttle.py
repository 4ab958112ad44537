"""Throttles: failed log-ins, and rate limits on signing up, posting, commenting and reporting.

Counted in Django's cache (per process with the default local-memory cache, which is what
`ficarchive serve` runs: one process, several threads). A rate is a fixed window: `limit`
tries per `window` seconds for one key (an account or a client address).
"""

from __future__ import annotations

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


# scope: (tries, per seconds). Generous for people, tight for scripts.
RATES = {
    "signup": (5, 3600),  # per address
    "invitation-request": (3, 3600),  # per address
    "post": (20, 3600),  # works and chapters, per account
    "comment": (10, 600),  # per account, or per address for guests
    "report": (10, 3600),  # per account or address
}


def allow(scope: str, key: str) -> bool:
    """Count one try of `scope` by `key`; False when it is over the scope's rate."""
    limit, window = RATES[scope]
    name = f"rate:{scope}:{key}"[:200]
    if cache.add(name, 1, window):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, window)
        return True


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    return [
        (f"login-fail:name:{username.strip().casefold()[:150]}", MAX_FAILURES_PER_NAME),
        (f"login-fail:addr:{address}", MAX_FAILURES_PER_ADDRESS),
    ]


def blocked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key, _ in _keys(username, address):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, WINDOW_SECONDS)


def record_success(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0][0])


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy sets it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"
