"""Login throttling: after too many failed log-ins the form refuses to try, for a while.

Counted per user name and per client address in Django's cache (per process with the default
local-memory cache, which is what `ficarchive serve` runs: one process, several threads).
"""

from __future__ import annotations

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


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
