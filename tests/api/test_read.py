"""Reading through the API: works, chapters, tags, creators, search; cursors and error objects."""

from __future__ import annotations

import pytest

from ficarchive.archive.models import Tag, WorkTag

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "secret.writer@example.invalid"  # make_parsed_work's private contact


def test_the_openapi_document_is_valid(api):
    from openapi_spec_validator import validate

    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert {"/api/v1/works", "/api/v1/search", "/api/v1/works/{work_id}/chapters"} <= set(
        document["paths"]
    )
    assert (
        "BearerAuth" in str(document["components"]["securitySchemes"])
        or document["components"]["securitySchemes"]
    )


def test_works_list_newest_first_by_cursor_without_overlap(api, works):
    first = api.get("/works", {"limit": 2}).json()
    assert [w["title"] for w in first["items"]] == ["Winter Orchard", "The Salt Road"]
    assert first["next_cursor"] and "cursor=" in first["next"]
    second = api.get("/works", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [w["title"] for w in second["items"]] == ["Lanterns at Dusk"]
    assert second["next_cursor"] is None and second["next"] is None


def test_a_work_has_chapters_tags_and_counts_and_no_private_data(api, works):
    work = works[0]
    work.kudos_count = 7
    work.save()
    # A pending machine suggestion is not public.
    pending = Tag.objects.create(type="character", name="Ghost", slug="ghost")
    WorkTag.objects.create(
        work=work, tag=pending, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
    )
    response = api.get(f"/works/{work.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Lanterns at Dusk"
    assert data["creators"][0]["name"] == "Test Writer"
    assert data["tags"]["fandom"] == ["Original Work"]
    assert data["tags"]["relationship"] == ["Ann/Bea"]
    assert "Ghost" not in str(data["tags"])
    assert data["counts"] == {"kudos": 7, "hits": 0, "bookmarks": 0, "comments": 0}
    assert [c["position"] for c in data["chapters"]] == [1, 2]
    assert data["chapters"][1]["title"] == "Part the 2"
    assert SECRET_EMAIL not in response.content.decode()

    chapter = api.get(f"/works/{work.pk}/chapters/2").json()
    assert chapter["title"] == "Part the 2"
    assert "Chapter 2 begins" in chapter["body_text"]
    assert "<p>" in chapter["body_html"]


def test_missing_things_are_404_error_objects(api, works):
    for path in (
        "/works/999999",
        f"/works/{works[0].pk}/chapters/9",
        "/tags/999999",
        "/creators/nobody",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        error = response.json()["error"]
        assert error["code"] == "not_found" and error["message"]


def test_invalid_parameters_and_cursors_are_error_objects(api, works):
    response = api.get("/works", {"limit": "many"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"][0]["location"][-1] == "limit"

    response = api.get("/works", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"
    # A cursor from another list is refused, not misread.
    search_cursor = api.get("/search", {"limit": 1}).json()["next_cursor"]
    assert api.get("/works", {"cursor": search_cursor}).status_code == 400

    assert api.get("/works/0").status_code == 422
    assert api.get(f"/works/{2**80}").status_code == 422


def test_tags_by_type_with_work_counts(api, works):
    data = api.get("/tags", {"type": "fandom"}).json()
    assert [(t["name"], t["works"]) for t in data["items"]] == [("Original Work", 3)]
    tag = data["items"][0]
    assert api.get(f"/tags/{tag['id']}").json()["slug"] == tag["slug"]


def test_creators_list_and_detail(api, works, writer):
    data = api.get("/creators").json()
    listed = {c["name"]: c for c in data["items"]}
    assert {name: c["works"] for name, c in listed.items()} == {
        "Test Writer": 3,
        writer.username: 0,  # the writer's own pseud, from signing up
    }
    detail = api.get(f"/creators/{listed['Test Writer']['slug']}").json()
    assert [w["title"] for w in detail["recent_works"]] == [
        "Winter Orchard",
        "The Salt Road",
        "Lanterns at Dusk",
    ]


def test_search_matches_the_search_page(api, client, works):
    params = {"q": "salt", "sort": "title"}
    data = api.get("/search", params).json()
    page = client.get("/search.json", params).json()
    assert [w["id"] for w in data["items"]] == [w["id"] for w in page["works"]] == [works[1].pk]
    assert data["total"] == page["total"] == 1
    # Facets, with names and counts, as on the page.
    fandoms = {f["name"]: f["count"] for f in data["facets"]["fandom"]}
    assert fandoms == {"Original Work": 1}


def test_search_filters_and_cursor_pages(api, works):
    ann = Tag.objects.get(type="character", name="Ann")
    everything = api.get("/search", {"include": ann.pk, "sort": "title", "limit": 2}).json()
    assert everything["total"] == 3
    titles = [w["title"] for w in everything["items"]]
    rest = api.get("/search", {"include": ann.pk, "sort": "title", "limit": 2, "cursor": everything["next_cursor"]}).json()  # fmt: skip
    titles += [w["title"] for w in rest["items"]]
    assert titles == [
        "Lanterns at Dusk",
        "The Salt Road",
        "Winter Orchard",
    ]  # "The" is shelved under S
    assert rest["next_cursor"] is None
    excluded = api.get("/search", {"exclude": ann.pk}).json()
    assert excluded["total"] == 0


def test_search_messages_and_invalid_values(api, works):
    data = api.get("/search", {"include_names": "No Such Tag"}).json()
    assert data["total"] == 0
    assert any("No Such Tag" in m for m in data["messages"])
    response = api.get("/search", {"date_from": "yesterday-ish"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"][0]["location"][-1] == "date_from"
