"""A Content-Security-Policy on every page: a second wall behind the HTML sanitiser.

Scripts may come only from this site's own static files (the pages have no inline script), so
even markup that slipped past the allow-list could not run; no plugins, no framing, forms post
only here. Inline style attributes stay allowed: the templates use a few, user HTML none.
"""

from __future__ import annotations

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
