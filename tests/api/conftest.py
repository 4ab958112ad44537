"""Personas with API tokens, a few works, and a client that speaks JSON with a token."""

from __future__ import annotations

import json

import pytest

from ficarchive.api.tokens import create_token
from ficarchive.archive import actions
from ficarchive.archive.models import Pseud
from tests.conftest import make_parsed_work


@pytest.fixture
def token_of():
    def make(user) -> str:
        return create_token(user, "tests")[1]

    return make


@pytest.fixture
def api(client):
    """GET and POST JSON; `token=` sends it as a Bearer token."""

    class Api:
        def get(self, path, params=None, token=None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.get(f"/api/v1{path}", params or {}, headers=headers)

        def post(self, path, body, token=None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.post(
                f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
            )

    return Api()


@pytest.fixture
def works(db, writer):
    """Three imported works, oldest first; the writer owns the first one's creator."""
    made = [
        actions.import_work(make_parsed_work(title), raw=title.encode(), analyse=False).work
        for title in ("Lanterns at Dusk", "The Salt Road", "Winter Orchard")
    ]
    creator = Pseud.objects.get(name="Test Writer").creator
    creator.user = writer
    creator.save()
    return made
