"""OPDS 1.2 catalog feeds (Atom) and the OpenSearch description, from plain data. No Django.

An OPDS catalog is Atom: navigation feeds whose entries link to other feeds, and acquisition
feeds whose entries are publications with links to download them. The views in
ficarchive/feeds build `Feed`s from the archive and render them here; the tests validate the
output against the Atom and OPDS 1.2 RELAX NG schemas.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
OPDS_NS = "http://opds-spec.org/2010/catalog"
DC_NS = "http://purl.org/dc/terms/"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"

CATALOG = "application/atom+xml;profile=opds-catalog"
NAVIGATION = CATALOG + ";kind=navigation"
ACQUISITION = CATALOG + ";kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition/open-access"  # free to download, no account
SORT_NEW = "http://opds-spec.org/sort/new"

for _prefix, _uri in (
    ("", ATOM_NS),
    ("opds", OPDS_NS),
    ("dc", DC_NS),
    ("opensearch", OPENSEARCH_NS),
):
    ET.register_namespace(_prefix, _uri)


@dataclass
class Link:
    href: str
    rel: str
    type: str
    title: str = ""


@dataclass
class Category:
    term: str
    label: str = ""
    scheme: str = ""


@dataclass
class Entry:
    """A navigation entry (links to another feed) or a publication (links to downloads)."""

    id: str
    title: str
    updated: dt.datetime
    links: list[Link] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, uri)
    summary: str = ""  # plain text
    content: str = ""  # plain text, for navigation entries
    categories: list[Category] = field(default_factory=list)
    language: str = ""
    issued: dt.date | None = None
    published: dt.datetime | None = None


@dataclass
class Feed:
    id: str
    title: str
    updated: dt.datetime
    links: list[Link] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    author: tuple[str, str] = ("", "")  # (name, uri) of the catalog
    subtitle: str = ""
    # Paged results (search, long lists): OpenSearch response elements.
    total: int | None = None
    items_per_page: int | None = None
    start_index: int | None = None


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str, ns: str = ATOM_NS, **attrs) -> ET.Element:
    element = ET.SubElement(parent, _q(ns, tag), attrs)
    element.text = text
    return element


def _time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _link(parent: ET.Element, link: Link) -> None:
    attrs = {"rel": link.rel, "href": link.href, "type": link.type}
    if link.title:
        attrs["title"] = link.title
    ET.SubElement(parent, _q(ATOM_NS, "link"), attrs)


def _person(parent: ET.Element, tag: str, name: str, uri: str) -> None:
    person = ET.SubElement(parent, _q(ATOM_NS, tag))
    _text(person, "name", name)
    if uri:
        _text(person, "uri", uri)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; a stored text might hold one."""
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")


def _entry(parent: ET.Element, entry: Entry) -> None:
    element = ET.SubElement(parent, _q(ATOM_NS, "entry"))
    _text(element, "id", entry.id)
    _text(element, "title", _clean(entry.title) or "Untitled")
    _text(element, "updated", _time(entry.updated))
    if entry.published:
        _text(element, "published", _time(entry.published))
    for name, uri in entry.authors:
        _person(element, "author", _clean(name), uri)
    if entry.language:
        _text(element, "language", entry.language, ns=DC_NS)
    if entry.issued:
        _text(element, "issued", entry.issued.isoformat(), ns=DC_NS)
    for category in entry.categories:
        attrs = {"term": _clean(category.term)}
        if category.label:
            attrs["label"] = _clean(category.label)
        if category.scheme:
            attrs["scheme"] = category.scheme
        ET.SubElement(element, _q(ATOM_NS, "category"), attrs)
    if entry.summary:
        _text(element, "summary", _clean(entry.summary), type="text")
    if entry.content:
        _text(element, "content", _clean(entry.content), type="text")
    for link in entry.links:
        _link(element, link)


def render_feed(feed: Feed) -> bytes:
    """The feed as an Atom document (UTF-8, with an XML declaration)."""
    root = ET.Element(_q(ATOM_NS, "feed"))
    _text(root, "id", feed.id)
    _text(root, "title", _clean(feed.title))
    if feed.subtitle:
        _text(root, "subtitle", _clean(feed.subtitle))
    _text(root, "updated", _time(feed.updated))
    if feed.author[0]:
        _person(root, "author", *feed.author)
    for link in feed.links:
        _link(root, link)
    if feed.total is not None:
        _text(root, "totalResults", str(feed.total), ns=OPENSEARCH_NS)
        _text(root, "itemsPerPage", str(feed.items_per_page or 0), ns=OPENSEARCH_NS)
        _text(root, "startIndex", str(feed.start_index or 1), ns=OPENSEARCH_NS)
    for entry in feed.entries:
        _entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_opensearch(*, short_name: str, description: str, template: str) -> bytes:
    """An OpenSearch 1.1 description: `template` has `{searchTerms}` where the words go."""
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = ET.Element(_q(ns, "OpenSearchDescription"))
    _text(root, "ShortName", _clean(short_name)[:16], ns=ns)
    _text(root, "Description", _clean(description)[:1024], ns=ns)
    _text(root, "InputEncoding", "UTF-8", ns=ns)
    _text(root, "OutputEncoding", "UTF-8", ns=ns)
    ET.SubElement(root, _q(ns, "Url"), {"type": ACQUISITION, "template": template})
    ET.SubElement(root, _q(ns, "Url"), {"type": "application/atom+xml", "template": template})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
