"""The OPDS 1.2 catalog: valid against the OPDS and Atom schemas, browsable by an OPDS client
(feedparser, as Calibre's OPDS reader uses it) from the root down to EPUB downloads, and
searchable through its OpenSearch description."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from ficarchive.archive.models import Tag
from tests.feeds.conftest import SECRET_EMAIL

pytestmark = pytest.mark.django_db

CATALOG = "application/atom+xml;profile=opds-catalog"
ACQUISITION_REL = "http://opds-spec.org/acquisition"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(client, valid_opds, start="/opds/"):
    """Every catalog page reachable from `start`, each validated: {path: feedparser result}."""
    seen, queue = {}, [start]
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(CATALOG), path
        body = response.content
        valid_opds(body)
        assert SECRET_EMAIL.encode() not in body
        feed = feedparser.parse(body)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        seen[path] = feed
        links = list(feed.feed.get("links", []))
        for entry in feed.entries:
            links += entry.get("links", [])
        for link in links:
            if link.get("type", "").startswith(CATALOG) and link["rel"] != "self":
                queue.append(_path(link["href"]))
    return seen


def test_the_catalog_is_valid_opds_all_the_way_down(client, shelf, valid_opds, valid_atom):
    pages = _crawl(client, valid_opds)
    assert {"/opds/", "/opds/new/", "/opds/creators/", "/opds/tags/"} <= set(pages)
    assert "/opds/tags/type/fandom/" in pages
    # Every catalog page is plain Atom too.
    for path in pages:
        valid_atom(client.get(path).content)
    root = pages["/opds/"]
    assert [e.title for e in root.entries] == ["Newest works", "By fandom", "By creator", "By tag"]
    assert any(link["rel"] == "search" for link in root.feed.links)


def test_an_opds_client_finds_and_downloads_the_epub(client, shelf, valid_opds):
    pages = _crawl(client, valid_opds)
    newest = pages["/opds/new/"]
    assert [e.title for e in newest.entries] == [
        "Winter Orchard & Co <b>",
        "The Salt Road",
        "Lanterns at Dusk",
    ]
    entry = newest.entries[1]
    assert entry.author == "Test Writer"
    assert {t.term for t in entry.tags} >= {"Original Work", "Ann/Bea", "Ann"}
    assert "A short summary." in entry.summary and "3/3 chapters" in entry.summary
    epub = [
        link
        for link in entry.links
        if link["rel"].startswith(ACQUISITION_REL) and link["type"] == "application/epub+zip"
    ]
    assert len(epub) == 1
    download = client.get(_path(epub[0]["href"]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content) if download.streaming else download.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
    kinds = {link["type"] for link in entry.links if link["rel"].startswith(ACQUISITION_REL)}
    assert kinds == {"application/epub+zip", "text/html", "text/plain"}


def test_browsing_by_fandom_creator_and_tag(client, shelf, valid_opds):
    pages = _crawl(client, valid_opds)
    fandoms = pages["/opds/tags/type/fandom/"]
    assert [(e.title, e.content[0].value) for e in fandoms.entries] == [
        ("Harbour Tales", "1 work"),
        ("Original Work", "2 works"),
    ]
    original = next(e for e in fandoms.entries if e.title == "Original Work")
    works = client.get(_path(original.links[0]["href"]))
    titles = [e.title for e in feedparser.parse(works.content).entries]
    assert sorted(titles) == ["Lanterns at Dusk", "The Salt Road"]

    creators = pages["/opds/creators/"]
    assert [e.title for e in creators.entries] == ["Other Hand", "Test Writer"]
    other = feedparser.parse(client.get(_path(creators.entries[0].links[0]["href"])).content)
    assert [e.title for e in other.entries] == ["Winter Orchard & Co <b>"]

    # A synonym's page lists its canonical tag's works.
    annie = Tag.objects.get(name="Annie")
    feed = feedparser.parse(client.get(f"/opds/tags/{annie.pk}/").content)
    assert feed.feed.title == "Character: Ann" and len(feed.entries) == 2


def test_opensearch_finds_works(client, shelf, valid_opds):
    description = client.get("/opds/opensearch.xml")
    assert description["Content-Type"].startswith("application/opensearchdescription+xml")
    root = etree.fromstring(description.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = root.xpath("//os:Url/@template", namespaces=ns)
    assert templates and all("{searchTerms}" in t for t in templates)
    response = client.get(_path(templates[0].replace("{searchTerms}", "salt")))
    valid_opds(response.content)
    feed = feedparser.parse(response.content)
    assert [e.title for e in feed.entries] == ["The Salt Road"]
    assert feed.feed.get("opensearch_totalresults") == "1"
    # The search page's language: a field, an exclusion.
    words = client.get("/opds/search/", {"q": 'creator:"Test Writer" -salt'})
    assert [e.title for e in feedparser.parse(words.content).entries] == ["Lanterns at Dusk"]


def test_pages_and_bad_input(client, shelf, valid_opds, settings, monkeypatch):
    from ficarchive.feeds import opds

    monkeypatch.setattr(opds, "PAGE_SIZE", 2)
    first = client.get("/opds/new/")
    feed = feedparser.parse(first.content)
    assert len(feed.entries) == 2
    next_link = next(link for link in feed.feed.links if link["rel"] == "next")
    second = client.get(_path(next_link["href"]))
    valid_opds(second.content)
    assert [e.title for e in feedparser.parse(second.content).entries] == ["Lanterns at Dusk"]
    assert client.get("/opds/new/", {"page": "x"}).status_code == 404
    assert client.get("/opds/new/", {"page": "9"}).status_code == 404
    assert client.get("/opds/tags/999999/").status_code == 404
    assert client.get("/opds/tags/type/nonsense/").status_code == 404
    assert client.get("/opds/creators/nobody/").status_code == 404
