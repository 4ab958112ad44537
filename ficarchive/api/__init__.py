"""The JSON API (django-ninja) at /api/v1/: read works, chapters, tags, creators and search; post
works and chapters and bookmark with per-user API tokens.

    models.py     ApiToken: a user's token, stored as a SHA-256 hash (the token is shown once)
    tokens.py     create, list, revoke and check tokens (the one write path for tokens)
    actions.py    API input handed to the posting actions (a work with all its chapters at once)
    schemas.py    the request and response shapes (the OpenAPI document is built from them)
    endpoints.py  the NinjaAPI: routes, authentication, rate limits, error objects, cursors
"""
