"""The search page, its JSON form and the tag pages: state in the URL, no 500 for any input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.archive.models import Tag
from ficarchive.search import indexing
from ficarchive.search.models import Blurb

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(corpus):
    return corpus


def test_the_search_page_lists_matches_with_facets(client, archive):
    response = client.get("/search/", {"q": "lantern"})
    assert response.status_code == 200
    html = response.content.decode()
    total = response.context["total"]
    assert total > 0 and f"{total} works" in html
    assert len(response.context["blurbs"]) == min(total, 20)
    assert 'class="facet facet-fandom"' in html
    # Each facet is one click to include or exclude, keeping the words searched for.
    row = response.context["facets"][0]["rows"][0]
    assert "q=lantern" in row["include_url"] and f"include={row['tag'].pk}" in row["include_url"]
    assert f"exclude={row['tag'].pk}" in row["exclude_url"]


def test_following_a_facet_link_narrows_the_results(client, archive):
    first = client.get("/search/", {"q": "lantern"})
    fandoms = next(f for f in first.context["facets"] if f["type"] == "fandom")
    row = fandoms["rows"][0]
    narrowed = client.get("/search/" + row["include_url"])
    assert narrowed.context["total"] == row["count"]
    excluded = client.get("/search/" + row["exclude_url"])
    assert excluded.context["total"] == first.context["total"] - row["count"]
    assert "without" in excluded.content.decode()  # the active filter, removable


def test_the_json_form_gives_the_same_search(client, archive):
    page = client.get("/search/", {"q": "garden", "sort": "kudos"})
    data = client.get("/search.json", {"q": "garden", "sort": "kudos"}).json()
    assert data["total"] == page.context["total"]
    assert [w["id"] for w in data["works"]] == page.context["work_ids"]
    kudos = [w["kudos"] for w in data["works"]]
    assert kudos == sorted(kudos, reverse=True)
    assert {"fandom", "character", "relationship", "freeform"} <= set(data["facets"])


def test_days_are_never_negative():
    import datetime as dt

    from ficarchive.search.documents import days

    assert days(None) == 0 and days(dt.date(1970, 1, 2)) == 1 and days(dt.date(1066, 10, 14)) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unclosed'},
        {"q": "tag:"},
        {"q": "-"},
        {"q": '\\ " ( ) * : ~ ^ [ ] { } OR AND NOT'},
        {"q": "x" * 999},
        {"words_from": "lots"},
        {"date_from": "yesterday"},
        {"date_from": "1900-01-01", "date_to": "1969-12-31"},  # the engines count from 1970
        {"include": "abc"},
        {"include": "99999999999999999999999"},
        {"include": "424242"},
        {"sort": "sideways"},
        {"page": "0"},
        {"page": "-3"},
        {"page": "banana"},
    ],
)
def test_malformed_searches_get_a_helpful_page(client, archive, params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:300]
    assert b"Sort and filter" in response.content
    data = client.get("/search.json", params)
    assert data.status_code in (200, 400)
    assert "total" in data.json()


def test_the_notes_explain_what_was_repaired(client, archive):
    html = client.get("/search/", {"q": '"pepper garden'}).content.decode()
    assert "was not closed" in html
    html = client.get("/search/", {"words_from": "lots"}).content.decode()
    assert "Words from" in html and "whole number" in html


def test_an_absurd_page_number_says_how_many_pages_there_are(client, archive):
    response = client.get("/search/", {"page": "999999"})
    assert response.status_code == 404
    assert "There is no page 999999" in response.content.decode()
    assert client.get("/search/", {"page": "99999999999"}).status_code == 200  # too big: ignored


def test_empty_results_say_how_to_search(client, archive):
    html = client.get("/search/", {"q": "zzzunknownword"}).content.decode()
    assert "No works match this search" in html and "fandom:buffy" in html


def test_a_tag_page_is_a_filtered_search(client, archive):
    tag = Tag.objects.get(type="fandom", name="Copper Kingdom")
    response = client.get(tag.get_absolute_url(), {"sort": "kudos", "complete": "complete"})
    assert response.status_code == 200
    search = client.get(
        "/search.json", {"include": tag.pk, "sort": "kudos", "complete": "complete"}
    )
    assert response.context["work_ids"] == [w["id"] for w in search.json()["works"]]
    assert "Sort and filter" in response.content.decode()


def test_a_synonym_tag_page_lists_the_canonical_tags_works(client, archive):
    synonym = Tag.objects.get(type="character", name="Ada F.")
    canonical = synonym.merger
    via_synonym = client.get(synonym.get_absolute_url())
    direct = client.get(canonical.get_absolute_url())
    assert via_synonym.context["total"] == direct.context["total"] > 0
    assert "A synonym" in via_synonym.content.decode()


def test_the_header_has_a_search_box(client, archive):
    html = client.get(reverse("archive:home")).content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


def test_a_cached_blurb_follows_changes_to_the_work(
    client, archive, django_capture_on_commit_callbacks
):
    work = archive[0]
    params = {"q": f'title:"{work.title}"'}
    assert work.title in client.get("/search/", params).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        tag = work.work_tags.filter(tag__type="character", status="accepted").first().tag
        tag.name = "Renamed Person"
        tag.save()
    html = client.get("/search/", params).content.decode()
    assert "Renamed Person" in html  # the work was indexed again, with its blurb


def test_result_pages_show_the_blurbs_rendered_at_indexing(client, archive):
    indexing.ready()  # built, with the blurbs
    first, second = archive[:2]
    Blurb.objects.filter(work=first).update(html='<li class="blurb">stored copy</li>')
    Blurb.objects.filter(work=second).delete()  # as in an archive indexed before blurbs were kept
    query = f'title:"{first.title}" OR title:"{second.title}"'
    html = client.get("/search/", {"q": query}).content.decode()
    assert "stored copy" in html and f">{first.title}</a>" not in html
    assert f">{second.title}</a>" in html  # rendered on request instead
