"""Works for logged-in users only: an anonymous visitor finds them nowhere (lists, tag and
creator pages, search, feeds, OPDS, the API, downloads) and is asked to log in at their address;
a logged-in reader finds and reads them as any work (archive.audience)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from ficarchive.api.tokens import create_token
from ficarchive.archive.audience import can_read, sees_restricted
from ficarchive.archive.models import Tag, Work
from tests.personas import post

pytestmark = pytest.mark.django_db

SECRET = "Moonlit Cartography"  # the restricted work's title: it must never reach a visitor


@pytest.fixture
def works(writer):
    public = post(writer, title="Open Harbour", text="The harbour was open to all.")
    restricted = post(
        writer,
        title=SECRET,
        text="Only members read about the cartographer's moonlit maps.",
        restricted=True,
    )
    return public, restricted


def _pages(work: Work) -> list[str]:
    tag = Tag.objects.get(type="freeform", name="Letters")
    fandom = Tag.objects.get(type="fandom", name="Original Work")
    return [
        "/",
        "/works/",
        "/creators/wren/",
        "/users/wren/",
        tag.get_absolute_url(),
        f"/tags/{fandom.type}/",
        "/search/?q=cartographer",
        "/search/?q=moonlit&sort=published",
        "/search.json?q=cartographer",
        f"/tags/{tag.type}/{tag.slug}/feed/",
        "/creators/wren/feed/",
        "/opds/new/",
        "/opds/creators/wren/",
        f"/opds/tags/{tag.pk}/",
        "/opds/search/?q=cartographer",
    ]


def _api_paths(work: Work) -> list[str]:
    return [
        "/api/v1/works",
        "/api/v1/creators/wren",
        "/api/v1/search?q=cartographer",
    ]


def test_the_rule_in_one_place(works, reader):
    _, restricted = works
    assert not sees_restricted(None) and sees_restricted(reader)
    assert not can_read(None, restricted) and can_read(reader, restricted)
    assert list(Work.objects.readable_by(None)) == [works[0]]
    assert set(Work.objects.readable_by(reader)) == set(works)


def test_an_anonymous_visitor_finds_a_restricted_work_nowhere(works, reader):
    public, restricted = works
    from ficarchive.community.actions import save_bookmark

    save_bookmark(reader, restricted, note="Lovely maps.")
    save_bookmark(reader, public)
    visitor = Client()
    for path in _pages(restricted) + _api_paths(restricted) + ["/users/rhea/bookmarks/"]:
        response = visitor.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert SECRET not in body, path
        assert f"/works/{restricted.pk}/" not in body, path
    # The public work is there, so the pages were really listing works.
    assert "Open Harbour" in visitor.get("/search/?q=harbour").content.decode()
    assert "Open Harbour" in visitor.get("/api/v1/works").content.decode()
    assert "Open Harbour" in visitor.get("/opds/new/").content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in_at_its_address(works):
    _, restricted = works
    visitor = Client()
    for path in (
        f"/works/{restricted.pk}/",
        f"/works/{restricted.pk}/chapters/1/",
        f"/works/{restricted.pk}/download/epub/",
        f"/works/{restricted.pk}/download/txt/",
    ):
        response = visitor.get(path)
        assert response.status_code == 403, path
        body = response.content.decode()
        assert "Log in to read this work" in body and SECRET not in body
        assert "moonlit maps" not in body
        assert f"/accounts/login/?next=/works/{restricted.pk}/" in body
    assert visitor.get(f"/works/{restricted.pk}/chapters/feed/").status_code == 404
    assert visitor.get(f"/api/v1/works/{restricted.pk}").status_code == 404
    assert visitor.get(f"/api/v1/works/{restricted.pk}/chapters/1").status_code == 404
    assert visitor.post(f"/works/{restricted.pk}/kudos/").status_code == 404
    assert restricted.kudos_count == 0


def test_a_logged_in_reader_finds_and_reads_it(works, reader):
    _, restricted = works
    client = Client()
    client.force_login(reader)
    page = client.get(f"/works/{restricted.pk}/").content.decode()
    assert SECRET in page and "moonlit maps" in page
    from ficarchive.community.actions import save_bookmark

    save_bookmark(reader, restricted)
    for path in (
        "/works/",
        "/creators/wren/",
        "/search/?q=cartographer",
        "/users/wren/",
        "/users/rhea/bookmarks/",
        "/",
    ):
        assert SECRET in client.get(path).content.decode(), path
    download = client.get(f"/works/{restricted.pk}/download/txt/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-cache"
    assert b"moonlit maps" in b"".join(download.streaming_content)


def test_the_api_shows_it_to_a_token_holder_only(works, reader):
    _, restricted = works
    token = create_token(reader, "tests")[1]
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    listed = json.loads(client.get("/api/v1/works", headers=headers).content)
    assert SECRET in [w["title"] for w in listed["items"]]
    assert client.get(f"/api/v1/works/{restricted.pk}", headers=headers).status_code == 200
    chapter = client.get(f"/api/v1/works/{restricted.pk}/chapters/1", headers=headers)
    assert chapter.status_code == 200
    found = json.loads(client.get("/api/v1/search?q=cartographer", headers=headers).content)
    assert [w["title"] for w in found["items"]] == [SECRET]


def test_the_writer_restricts_and_opens_a_work_through_the_form(client, writer):
    from tests.posting.test_posting import form_data

    client.force_login(writer)
    client.post("/works/new/", {**form_data(writer, restricted="on"), "post": "1"})
    work = Work.objects.get()
    assert work.restricted
    assert (
        "Only logged-in users can see this work"
        in client.get(work.get_absolute_url()).content.decode()
    )
    assert "Salt and Signal" not in Client().get("/search/?q=hundred+steps").content.decode()
    edit = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert re.search(r'<input type="checkbox" name="restricted"[^>]* checked', edit)
    data = form_data(writer)
    for name in ("chapter_title", "chapter_text"):
        data.pop(name)
    client.post(f"/works/{work.pk}/edit/", {**data, "post": "1"})
    work.refresh_from_db()
    assert not work.restricted
    assert "Salt and Signal" in Client().get("/search/?q=hundred+steps").content.decode()
