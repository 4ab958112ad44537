"""Atom feeds for a tag, a creator, a series and a work's chapters: valid Atom, what they list."""

from __future__ import annotations

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser

from ficarchive.archive.models import Chapter, Series, SeriesWork, Tag
from tests.feeds.conftest import SECRET_EMAIL

pytestmark = pytest.mark.django_db


def _feed(client, path, valid_atom):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    valid_atom(response.content)
    assert SECRET_EMAIL.encode() not in response.content
    return feedparser.parse(response.content)


def test_tag_feed_includes_synonyms_and_only_accepted_tags(client, shelf, valid_atom):
    feed = _feed(client, "/tags/character/ann/feed/", valid_atom)
    assert feed.feed.title == "Character: Ann"
    assert sorted(e.title for e in feed.entries) == ["Lanterns at Dusk", "The Salt Road"]
    # The synonym's feed is its canonical tag's.
    synonym = _feed(client, "/tags/character/annie/feed/", valid_atom)
    assert [e.id for e in synonym.entries] == [e.id for e in feed.entries]
    entry = next(e for e in feed.entries if e.title == "The Salt Road")
    assert entry.link.endswith(f"/works/{shelf[1].pk}/")
    assert entry.author == "Test Writer"
    assert {t.term for t in entry.tags} >= {"Original Work", "Ann"}
    assert client.get("/tags/character/nobody/feed/").status_code == 404


def test_creator_feed(client, shelf, valid_atom):
    feed = _feed(client, "/creators/other-hand/feed/", valid_atom)
    assert feed.feed.title == "Works by Other Hand"
    assert [e.title for e in feed.entries] == ["Winter Orchard & Co <b>"]
    assert client.get("/creators/nobody/feed/").status_code == 404


def test_series_feed_lists_parts_latest_first(client, shelf, valid_atom):
    series = Series.objects.create(title="Lights", summary_html="<p>Two lights.</p>")
    SeriesWork.objects.create(series=series, work=shelf[0], position=1)
    SeriesWork.objects.create(series=series, work=shelf[2], position=2)
    feed = _feed(client, f"/series/{series.pk}/feed/", valid_atom)
    assert feed.feed.title == "Series: Lights"
    assert [e.title for e in feed.entries] == [
        "Part 2: Winter Orchard & Co <b>",
        "Part 1: Lanterns at Dusk",
    ]
    assert client.get("/series/999999/feed/").status_code == 404


def test_chapter_feed_shows_a_new_chapter_first(client, shelf, valid_atom):
    work = shelf[1]
    feed = _feed(client, f"/works/{work.pk}/chapters/feed/", valid_atom)
    assert [e.title for e in feed.entries] == [
        "Chapter 3: Part the 3",
        "Chapter 2: Part the 2",
        "Chapter 1: Part the 1",
    ]
    Chapter.objects.create(
        work=work, position=4, title="Coda", body_html="<p>End.</p>", body_text="End."
    )
    work.chapter_count = 4
    work.save()
    feed = _feed(client, f"/works/{work.pk}/chapters/feed/", valid_atom)
    assert feed.entries[0].title == "Chapter 4: Coda"
    assert feed.entries[0].link.endswith(f"/works/{work.pk}/chapters/4/")
    assert len({e.id for e in feed.entries}) == 4  # every chapter its own lasting id
    assert client.get("/works/999999/chapters/feed/").status_code == 404


def test_feeds_escape_what_they_show(client, shelf, valid_atom):
    response = client.get("/creators/other-hand/feed/")
    assert b"<b>" not in response.content.split(b"<entry>", 1)[1]  # a title is text, not markup
    assert Tag.objects.filter(name="Harbour Tales").exists()


def _advertised(client, path) -> dict[str, str]:
    """The feeds a page's head advertises: {title: href}, as a feed reader discovers them."""
    html = client.get(path).content.decode()
    return {
        link.attributes["title"]: link.attributes["href"]
        for link in LexborHTMLParser(html).css('head link[rel="alternate"]')
    }


def test_pages_advertise_their_feeds_and_every_page_the_catalog(client, shelf, valid_atom):
    series = Series.objects.create(title="Lights")
    SeriesWork.objects.create(series=series, work=shelf[0], position=1)
    pages = {
        "/tags/character/ann/": "New works tagged Ann",
        "/creators/other-hand/": "New works by Other Hand",
        f"/series/{series.pk}/": "New works in Lights",
        f"/works/{shelf[1].pk}/": "New chapters of The Salt Road",
    }
    for path, title in pages.items():
        links = _advertised(client, path)
        assert links["ficarchive catalog (OPDS, for e-readers)"] == "/opds/"
        _feed(client, links[title], valid_atom)  # the advertised feed exists and is valid
    assert list(_advertised(client, "/works/")) == ["ficarchive catalog (OPDS, for e-readers)"]
