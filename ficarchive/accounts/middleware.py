"""Middleware: a Content-Security-Policy on every page, and permission answers kept per page.

The policy is a second wall behind the HTML sanitiser.

Scripts may come only from this site's own static files (the pages have no inline script), so
even markup that slipped past the allow-list could not run; no plugins, no framing, forms post
only here. Inline style attributes stay allowed: the templates use a few, user HTML none.
"""

from __future__ import annotations

from .permissions import reading_memo

POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' https: data:; "
    "style-src 'self' 'unsafe-inline'"
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


def permissions_per_page(get_response):
    """While a page is read (GET, HEAD), `permissions` remembers its answers for the request."""

    def middleware(request):
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        token = reading_memo.set({})
        try:
            return get_response(request)
        finally:
            reading_memo.reset(token)

    return middleware
