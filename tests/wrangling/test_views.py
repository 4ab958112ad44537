"""The wrangling pages by persona: archivists wrangle; writers, readers and strangers get a 403,
visitors the log-in page; bad input is a 400 page that says what was wrong, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.archive.models import Tag
from ficarchive.wrangling import actions
from tests.wrangling.conftest import tag

pytestmark = pytest.mark.django_db


def pages() -> list[str]:
    return [
        reverse("wrangling:index"),
        reverse("wrangling:tags", args=["fandom"]),
        reverse("wrangling:tag", args=["fandom", "mcu"]),
    ]


def test_visitors_are_sent_to_log_in(client, marvel):
    for url in pages():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(pages()[2], {"action": "canonical"})
    assert response.status_code == 302
    assert not tag("MCU").canonical


@pytest.mark.parametrize("persona", ["writer", "reader", "stranger"])
def test_everyone_but_archivists_gets_a_403(client, marvel, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in pages():
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Only archivists can wrangle tags." in response.content.decode()
    assert client.post(pages()[2], {"action": "canonical"}).status_code == 403
    assert client.post(pages()[1], {"tags": [tag("MCU").pk], "action": "canonical"}).status_code == 403  # fmt: skip
    assert not tag("MCU").canonical
    assert 'id="wrangling-link"' not in client.get("/").content.decode()


def test_the_list_puts_unwrangled_tags_first_with_their_work_counts(client, marvel, archivist):
    actions.make_canonical(tag("Marvel Cinematic Universe"), by=archivist)
    client.force_login(archivist)
    assert 'id="wrangling-link"' in client.get("/").content.decode()
    index = client.get(reverse("wrangling:index"))
    assert index.status_code == 200
    fandom_row = [row for row in index.context["types"] if row[0] == "fandom"]
    assert fandom_row == [("fandom", "Fandoms", 3)]  # MCU, Marvel, Original Work
    response = client.get(reverse("wrangling:tags", args=["fandom"]))
    assert response.status_code == 200
    rows = [(t.name, t.uses) for t in response.context["page"].object_list]
    assert rows == [("Marvel", 0), ("MCU", 2), ("Original Work", 1), ("Marvel Cinematic Universe", 2)]  # fmt: skip
    only = client.get(reverse("wrangling:tags", args=["fandom"]), {"show": "unwrangled", "q": "mc"})
    assert [t.name for t in only.context["page"].object_list] == ["MCU"]


def test_the_list_page_costs_the_same_queries_for_many_tags(client, marvel, archivist, django_assert_max_num_queries):  # fmt: skip
    for n in range(30):
        Tag.objects.create(
            type="fandom", name=f"Fandom {n}", slug=f"fandom-{n}", canonical=n % 2 == 0
        )
    client.force_login(archivist)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("wrangling:tags", args=["fandom"])).status_code == 200


def test_an_archivist_puts_mcu_under_marvel_on_the_tag_page(client, marvel, archivist):
    for name in ("Marvel Cinematic Universe", "Marvel"):
        actions.make_canonical(tag(name), by=archivist)
    client.force_login(archivist)
    url = reverse("wrangling:tag", args=["fandom", "marvel-cinematic-universe"])
    response = client.post(url, {"action": "add_meta", "name": "marvel"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Marvel” is a metatag of “Marvel Cinematic Universe”" in html
    assert list(tag("Marvel Cinematic Universe").meta_tags.all()) == [tag("Marvel")]
    tag_page = client.get(tag("Marvel").get_absolute_url())
    assert tag_page.context["total"] == 2  # "mcu" and "both"
    assert "Subtags (their works are listed here too)" in tag_page.content.decode()


def test_making_a_synonym_says_how_many_works_will_be_re_indexed(client, marvel, archivist):
    actions.make_canonical(tag("Marvel Cinematic Universe"), by=archivist)
    client.force_login(archivist)
    url = reverse("wrangling:tag", args=["fandom", "mcu"])
    html = client.post(url, {"action": "synonym", "name": "Marvel Cinematic Universe"}, follow=True).content.decode()  # fmt: skip
    assert "“MCU” is a synonym of “Marvel Cinematic Universe”. 2 works will be re-indexed." in html
    assert tag("MCU").merger == tag("Marvel Cinematic Universe")


def test_rename_and_merge_follow_the_tag(client, marvel, archivist):
    client.force_login(archivist)
    response = client.post(reverse("wrangling:tag", args=["fandom", "mcu"]), {"action": "rename", "name": "MCU (films)"})  # fmt: skip
    assert response["Location"] == reverse("wrangling:tag", args=["fandom", "mcu-films"])
    response = client.post(response["Location"], {"action": "merge", "name": "Marvel Cinematic Universe"})  # fmt: skip
    assert response["Location"] == reverse("wrangling:tag", args=["fandom", "marvel-cinematic-universe"])  # fmt: skip
    assert not Tag.objects.filter(name="MCU (films)").exists()


def test_bulk_actions_on_the_ticked_tags(client, marvel, archivist):
    client.force_login(archivist)
    url = reverse("wrangling:tags", args=["fandom"])
    ids = [tag("MCU").pk, tag("Marvel").pk]
    response = client.post(url, {"tags": ids, "action": "canonical"}, follow=True)
    assert "2 tags wrangled." in response.content.decode()
    assert tag("MCU").canonical and tag("Marvel").canonical
    characters = reverse("wrangling:tags", args=["character"])
    chars = [tag("Tony Stark", "character").pk, tag("Steve Rogers", "character").pk]
    client.post(characters, {"tags": chars, "action": "fandom", "name": "MCU"})
    assert list(tag("Steve Rogers", "character").fandoms.all()) == [tag("MCU")]
    page = client.get(reverse("wrangling:tag", args=["character", "steve-rogers"])).content.decode()
    assert "Fandoms" in page and "MCU" in page
    assert "Steve Rogers" in client.get(tag("MCU").get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "where, data, message",
    [
        ("tag", {"action": "explode"}, "Select a valid choice"),
        ("tag", {}, "This field is required"),
        ("tag", {"action": "synonym", "name": ""}, "Name the fandom tag to use."),
        (
            "tag",
            {"action": "synonym", "name": "No Such Fandom"},
            "No fandom tag is called “No Such Fandom”",
        ),  # fmt: skip
        (
            "tag",
            {"action": "synonym", "name": "Marvel"},
            "“Marvel” is not canonical; make it canonical first",
        ),  # fmt: skip
        ("tag", {"action": "rename", "name": "x" * 1001}, "at most 1000 characters"),
        ("tag", {"action": "rename", "name": "x" * 400}, "at most 300 characters"),
        ("tag", {"action": "rename", "name": "marvel"}, "exists already"),
        ("tag", {"action": "merge", "name": "MCU"}, "cannot be merged into itself"),
        ("tag", {"action": "remove_meta", "target": "abc"}, "Enter a whole number"),
        ("tag", {"action": "remove_meta", "target": "999999"}, "That tag no longer exists"),
        ("tag", {"action": "remove_meta", "target": str(2**70)}, "less than or equal to"),
        ("tag", {"action": "fandom", "name": "Marvel"}, "Only characters and relationships"),
        ("list", {"action": "canonical"}, "Tick at least one tag."),
        ("list", {"tags": ["x"], "action": "canonical"}, "is not a tag number"),
        (
            "list",
            {"tags": ["999999"], "action": "canonical"},
            "or no longer exist; reload the page",
        ),
        (
            "list",
            {"tags": ["TONY"], "action": "canonical"},
            "are not fandom tags or no longer exist",
        ),  # fmt: skip
        ("list", {"tags": ["MCU"], "action": "synonym"}, "Name the fandom tag to use."),
        (
            "list",
            {"tags": ["MCU", "MARVEL"], "action": "synonym", "name": "Marvel"},
            "not canonical",
        ),  # fmt: skip
        ("list", {"tags": ["MCU"], "action": "nope"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_400_page_saying_what_was_wrong(client, marvel, archivist, where, data, message):  # fmt: skip
    client.force_login(archivist)
    ids = {"MCU": str(tag("MCU").pk), "MARVEL": str(tag("Marvel").pk), "TONY": str(tag("Tony Stark", "character").pk)}  # fmt: skip
    if "tags" in data:
        data = {**data, "tags": [ids.get(v, v) for v in data["tags"]]}
    url = reverse("wrangling:tag", args=["fandom", "mcu"]) if where == "tag" else reverse("wrangling:tags", args=["fandom"])  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    mcu = tag("MCU")
    assert (mcu.name, mcu.canonical, mcu.merger_id) == ("MCU", False, None)


@pytest.mark.parametrize(
    "url",
    [
        "/wrangling/spaceship/",
        "/wrangling/fandom/no-such-tag/",
        "/wrangling/nope/mcu/",
        "/wrangling/fandom/?page=99",
        "/wrangling/fandom/?page=x",
    ],  # fmt: skip
)
def test_addresses_that_name_nothing_are_404_pages(client, marvel, archivist, url):
    client.force_login(archivist)
    assert client.get(url).status_code == 404


def test_an_unknown_filter_shows_every_tag(client, marvel, archivist):
    client.force_login(archivist)
    response = client.get(reverse("wrangling:tags", args=["fandom"]), {"show": "<script>"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 4


def test_every_action_of_the_tag_page_form_has_a_runner():
    from ficarchive.wrangling.forms import TAG_ACTIONS
    from ficarchive.wrangling.views import RUN

    assert set(RUN) == set(TAG_ACTIONS)
