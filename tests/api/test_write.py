"""Writing through the API with per-user tokens: post a work, add a chapter; auth and limits."""

from __future__ import annotations

import pytest

from ficarchive.api.models import ApiToken
from ficarchive.api.tokens import create_token, revoke_token, user_for_token
from ficarchive.archive.models import Pseud, Work

pytestmark = pytest.mark.django_db

NEW_WORK = {
    "title": "The Ferryman's Ledger",
    "summary": "A ledger, a river, a debt.",
    "rating": "General Audiences",
    "language": "en",
    "complete": False,
    "tags": {"fandom": ["Original Work"], "freeform": ["Rivers", "Debts"]},
    "chapters": [
        {"title": "Low Water", "text": "The river was low.\n\n* * *\n\nThe ferryman counted."},
        {"title": "High Water", "text": "Then it *rained*.", "format": "markdown"},
    ],
}


def test_tokens_are_stored_hashed_and_revocable(writer):
    row, token = create_token(writer, "my script")
    assert token.startswith("fa_") and len(token) > 40
    stored = ApiToken.objects.get(pk=row.pk)
    assert token not in (stored.key_hash, stored.prefix) and stored.prefix == token[:10]
    assert user_for_token(token) == writer
    assert user_for_token(token + "x") is None
    revoke_token(row.pk)
    assert user_for_token(token) is None
    writer.is_active = False
    writer.save()
    assert user_for_token(create_token(writer, "again")[1]) is None


def test_writing_needs_a_valid_token(api, works, writer, token_of):
    for token in (None, "fa_wrong", "not even a token"):
        response = api.post("/works", NEW_WORK, token=token)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
        assert response["WWW-Authenticate"] == "Bearer"
    row, token = create_token(writer, "soon revoked")
    revoke_token(row.pk)
    assert api.post("/works", NEW_WORK, token=token).status_code == 401
    assert not Work.objects.filter(title=NEW_WORK["title"]).exists()


def test_post_a_work(api, writer, token_of):
    token = token_of(writer)
    response = api.post("/works", NEW_WORK, token=token)
    assert response.status_code == 201, response.content
    data = response.json()
    work = Work.objects.get(pk=data["id"])
    assert work.title == "The Ferryman's Ledger"
    assert [p.creator.user for p in work.creator_pseuds] == [writer]
    assert data["creators"][0]["name"] == writer.username  # the pseud named after the user
    assert data["tags"]["freeform"] == ["Rivers", "Debts"]
    assert data["tags"]["rating"] == ["General Audiences"]
    assert [c["title"] for c in data["chapters"]] == ["Low Water", "High Water"]
    chapter = api.get(f"/works/{work.pk}/chapters/2").json()
    assert "<em>rained</em>" in chapter["body_html"]
    first = api.get(f"/works/{work.pk}/chapters/1").json()
    assert "scene-break" in first["body_html"]
    # Searchable at once, like any saved work.
    assert [w["id"] for w in api.get("/search", {"q": "ferryman"}).json()["items"]] == [work.pk]
    assert api.get("/me", token=token).json()["pseuds"][0]["name"] == writer.username

    # Subscribers and search hear of it as of a work posted on the site.
    assert work.published is not None and work.chapter_count == 2


def test_post_under_a_chosen_pseud_only_ones_own(api, writer, reader, token_of):
    from ficarchive.accounts.actions import add_pseud

    mine = add_pseud(writer, "Quill")
    theirs = add_pseud(reader, "Not Yours")
    token = token_of(writer)
    data = api.post("/works", {**NEW_WORK, "pseud": mine.slug}, token=token).json()
    assert [c["name"] for c in data["creators"]] == ["Quill"]
    refused = api.post("/works", {**NEW_WORK, "pseud": theirs.slug}, token=token)
    assert refused.status_code == 400
    assert "no pseud" in refused.json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
def test_posted_html_never_runs_script(api, writer, token_of, fmt):
    text = 'Hi <script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:x">a</a>'
    body = {**NEW_WORK, "title": "Scripted", "chapters": [{"text": text, "format": fmt}]}
    data = api.post("/works", body, token=token_of(writer)).json()
    html = api.get(f"/works/{data['id']}/chapters/1").json()["body_html"]
    assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
    if fmt == "text":  # plain text shows what was typed, as text
        assert "&lt;script&gt;" in html


def test_bad_works_are_refused_whole(api, django_user_model, token_of):
    bare = django_user_model.objects.create_user("bare", password="pw-bare")  # no pseud yet
    token = token_of(bare)
    before = Work.objects.count()
    for body in (
        {**NEW_WORK, "chapters": []},
        {**NEW_WORK, "title": ""},
        {**NEW_WORK, "tags": {"genre": ["x"]}},
        {**NEW_WORK, "rating": "PG"},
        {**NEW_WORK, "chapters": [{"text": "   \n\n  "}]},
        {**NEW_WORK, "chapters": [NEW_WORK["chapters"][0], {"text": " "}]},  # the second fails
        {"title": "no chapters key"},
    ):
        response = api.post("/works", body, token=token)
        assert response.status_code in (400, 422), body
        assert response.json()["error"]["message"]
    assert Work.objects.count() == before
    assert not Pseud.objects.filter(creator__user=bare).exists()  # nothing half-made
    # A good work then makes the pseud, named after the user.
    assert api.post("/works", NEW_WORK, token=token).json()["creators"][0]["name"] == "bare"


def test_add_a_chapter(api, works, writer, reader, archivist, token_of):
    work = works[0]
    chapter = {"title": "Afterwards", "text": "One more scene.\n\nAnd an ending."}
    response = api.post(f"/works/{work.pk}/chapters", chapter, token=token_of(writer))
    assert response.status_code == 201, response.content
    assert response.json()["position"] == 3
    work.refresh_from_db()
    assert work.chapter_count == 3
    assert work.word_count == sum(c.word_count for c in work.chapters.all())
    assert [c["title"] for c in api.get(f"/works/{work.pk}").json()["chapters"]][-1] == "Afterwards"

    refused = api.post(f"/works/{work.pk}/chapters", chapter, token=token_of(reader))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    # Archivists moderate; they do not write other people's works.
    assert (
        api.post(f"/works/{work.pk}/chapters", chapter, token=token_of(archivist)).status_code
        == 403
    )
    assert api.post("/works/999999/chapters", chapter, token=token_of(writer)).status_code == 404
    empty = api.post(f"/works/{work.pk}/chapters", {"text": " "}, token=token_of(writer))
    assert empty.status_code == 400
    work.refresh_from_db()
    assert work.chapter_count == 3


def test_rate_limits(api, works, writer, token_of, settings):
    settings.API_RATE_LIMITS = {"anon": "3/min", "auth": "2/min"}
    statuses = [api.get("/works").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/works")
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    # A token holder is counted apart from anonymous clients, by user.
    token = token_of(writer)
    assert [api.get("/me", token=token).status_code for _ in range(3)] == [200, 200, 429]


def test_bookmark_a_work(api, works, reader, token_of):
    community = pytest.importorskip("ficarchive.community.actions")
    token = token_of(reader)
    body = {
        "note": "Read *twice*.",
        "markup": "markdown",
        "tags": ["comfort", "reread"],
        "private": False,
    }
    response = api.post(f"/works/{works[1].pk}/bookmarks", body, token=token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["work_id"] == works[1].pk and data["private"] is False
    assert data["tags"] == ["comfort", "reread"]
    assert "<em>twice</em>" in data["note_html"]
    bookmark = community.Bookmark.objects.get(pk=data["id"])
    assert bookmark.user == reader
    works[1].refresh_from_db()
    assert works[1].bookmarks_count == 1  # public bookmarks count
    # Bookmarking again changes the bookmark, it does not add one.
    again = api.post(f"/works/{works[1].pk}/bookmarks", {"note": "Changed."}, token=token)
    assert again.json()["id"] == data["id"]
    assert api.post("/works/999999/bookmarks", body, token=token).status_code == 404
    assert api.post(f"/works/{works[1].pk}/bookmarks", body).status_code == 401


def test_control_characters_are_dropped_not_stored(api, writer, token_of):
    body = {
        **NEW_WORK,
        "title": "Nul\x00 and\x07 bell",
        "tags": {"freeform": ["a\x00b"]},
        "chapters": [{"text": "Text with a NUL\x00 inside."}],
    }
    response = api.post("/works", body, token=token_of(writer))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Nul and bell"
    assert data["tags"]["freeform"] == ["ab"]


def test_a_tag_name_is_measured_as_sent_then_cleaned():
    from pydantic import TypeAdapter, ValidationError

    from ficarchive.api.schemas import TagName

    tag = TypeAdapter(TagName)
    assert tag.validate_python(" Found\r Family ") == "Found Family"
    with pytest.raises(ValidationError):
        tag.validate_python("x" * 150 + "\r" + "x" * 150)  # 301 as sent, 300 once cleaned
    with pytest.raises(ValidationError):
        tag.validate_python("\x01\x02")  # nothing visible
