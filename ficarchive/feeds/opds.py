"""The OPDS 1.2 catalog at /opds/: navigation by newest, fandom, creator and tag, acquisition
feeds whose entries download as EPUB (or HTML, TXT), and search through the archive's search
(OpenSearch description at /opds/opensearch.xml). E-reader apps (KOReader, Calibre, Thorium)
add the archive by the root's address.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from ficarchive.archive.models import (
    Pseud,
    Tag,
    Work,
    WorkTag,
    visible_pseud_works,
    visible_tag_uses,
)
from ficarchive.archive.sanitize import plain_text
from ficarchive.archive.views import blurb_queryset
from ficarchive.formats import FORMATS, MEDIA_TYPES
from ficarchive.formats.opds import (
    ACQUIRE,
    ACQUISITION,
    NAVIGATION,
    OPENSEARCH,
    SORT_NEW,
    Category,
    Entry,
    Feed,
    Link,
    render_feed,
    render_opensearch,
)
from ficarchive.search import indexing
from ficarchive.search.criteria import Criteria
from ficarchive.search.forms import SearchForm
from ficarchive.search.tags import resolve

PAGE_SIZE = 25
CATALOG_TITLE = "ficarchive"
TAG_SCHEME = "https://ficarchive.invalid/tag-types/"  # a stable name for the tag types, not fetched


def download_url(work_id: int, fmt: str) -> str:
    """Where a work downloads as `fmt` (the one place that knows the download route)."""
    return reverse("archive:download", args=[work_id, fmt])


def _response(feed: Feed, kind: str) -> HttpResponse:
    return HttpResponse(render_feed(feed), content_type=f"{kind};charset=utf-8")


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10**6:
        raise Http404(f"“{raw[:20]}” is not a page number; pages are numbered 1, 2, 3 …")
    return int(raw)


def _url(request: HttpRequest, path: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return request.build_absolute_uri(path + (f"?{query}" if query else ""))


def _common_links(request: HttpRequest, self_url: str, kind: str) -> list[Link]:
    return [
        Link(self_url, "self", kind),
        Link(request.build_absolute_uri(reverse("feeds:opds")), "start", NAVIGATION, CATALOG_TITLE),
        Link(
            request.build_absolute_uri(reverse("feeds:opds_opensearch")),
            "search",
            OPENSEARCH,
            "Search the archive",
        ),
    ]


def _paging_links(request: HttpRequest, path: str, page: int, total: int, kind: str, **params):
    links = []
    if page > 1:
        links.append(Link(_url(request, path, page=page - 1, **params), "previous", kind))
    if page * PAGE_SIZE < total:
        links.append(Link(_url(request, path, page=page + 1, **params), "next", kind))
    return links


def _latest() -> dt.datetime:
    return Work.objects.aggregate(m=Max("modified_at"))["m"] or timezone.now()


# --- Navigation ---------------------------------------------------------------------------------


def _nav_entry(
    request,
    id_: str,
    title: str,
    path: str,
    content: str,
    kind: str,
    updated=None,
    rel="subsection",
):
    return Entry(
        id=id_,
        title=title,
        updated=updated or _latest(),
        content=content,
        links=[Link(request.build_absolute_uri(path), rel, kind)],
    )


def root(request: HttpRequest) -> HttpResponse:
    """The catalog's start: newest works, then browsing by fandom, creator and tag."""
    self_url = request.build_absolute_uri(request.path)
    entries = [
        _nav_entry(request, "urn:ficarchive:opds:new", "Newest works", reverse("feeds:opds_new"),
                   "The most recently added works first.", ACQUISITION, rel=SORT_NEW),
        _nav_entry(request, "urn:ficarchive:opds:fandoms", "By fandom", reverse("feeds:opds_tag_type", args=["fandom"]),
                   "Every fandom with works, by name.", NAVIGATION),
        _nav_entry(request, "urn:ficarchive:opds:creators", "By creator", reverse("feeds:opds_creators"),
                   "Every creator with works, by name.", NAVIGATION),
        _nav_entry(request, "urn:ficarchive:opds:tags", "By tag", reverse("feeds:opds_tag_types"),
                   "Characters, relationships, ratings, warnings and more.", NAVIGATION),
    ]  # fmt: skip
    feed = Feed(
        id="urn:ficarchive:opds:root",
        title=CATALOG_TITLE,
        updated=_latest(),
        links=_common_links(request, self_url, NAVIGATION),
        entries=entries,
        author=(CATALOG_TITLE, request.build_absolute_uri("/")),
    )
    return _response(feed, NAVIGATION)


def tag_types(request: HttpRequest) -> HttpResponse:
    self_url = request.build_absolute_uri(request.path)
    entries = [
        _nav_entry(
            request,
            f"urn:ficarchive:opds:tags:{tag_type}",
            Tag.plural_label(tag_type),
            reverse("feeds:opds_tag_type", args=[tag_type]),
            f"Every {Tag.Type(tag_type).label.lower()} tag with works.",
            NAVIGATION,
        )
        for tag_type in Tag.Type.values
    ]
    feed = Feed(
        id="urn:ficarchive:opds:tags",
        title="Tags",
        updated=_latest(),
        links=[
            *_common_links(request, self_url, NAVIGATION),
            Link(request.build_absolute_uri(reverse("feeds:opds")), "up", NAVIGATION),
        ],
        entries=entries,
    )
    return _response(feed, NAVIGATION)


def tags_of_type(request: HttpRequest, tag_type: str) -> HttpResponse:
    """Canonical tags of one type that public works carry, by name, each to its works."""
    if tag_type not in Tag.Type.values:
        raise Http404(f"There is no tag type “{tag_type[:30]}”.")
    page = _page(request)
    tags = (
        Tag.objects.filter(type=tag_type, merger__isnull=True)
        .annotate(n=visible_tag_uses())
        .filter(n__gt=0)
        .order_by("name", "id")
    )
    total = tags.count()
    rows = list(tags[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if page > 1 and not rows:
        raise Http404(f"There is no page {page} of these tags.")
    self_url = _url(request, request.path, page=page if page > 1 else None)
    entries = [
        _nav_entry(
            request,
            f"urn:ficarchive:tag:{tag.pk}",
            tag.name,
            reverse("feeds:opds_tag", args=[tag.pk]),
            f"{tag.n} work{'s' if tag.n != 1 else ''}",
            ACQUISITION,
        )
        for tag in rows
    ]
    feed = Feed(
        id=f"urn:ficarchive:opds:tags:{tag_type}",
        title=Tag.plural_label(tag_type),
        updated=_latest(),
        links=[
            *_common_links(request, self_url, NAVIGATION),
            Link(request.build_absolute_uri(reverse("feeds:opds")), "up", NAVIGATION),
            *_paging_links(request, request.path, page, total, NAVIGATION),
        ],
        entries=entries,
    )
    return _response(feed, NAVIGATION)


def creators(request: HttpRequest) -> HttpResponse:
    page = _page(request)
    pseuds = Pseud.objects.annotate(n=visible_pseud_works()).filter(n__gt=0).order_by("name", "id")
    total = pseuds.count()
    rows = list(pseuds[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if page > 1 and not rows:
        raise Http404(f"There is no page {page} of creators.")
    self_url = _url(request, request.path, page=page if page > 1 else None)
    entries = [
        _nav_entry(
            request,
            f"urn:ficarchive:creator:{pseud.slug}",
            pseud.name,
            reverse("feeds:opds_creator", args=[pseud.slug]),
            f"{pseud.n} work{'s' if pseud.n != 1 else ''}",
            ACQUISITION,
        )
        for pseud in rows
    ]
    feed = Feed(
        id="urn:ficarchive:opds:creators",
        title="Creators",
        updated=_latest(),
        links=[
            *_common_links(request, self_url, NAVIGATION),
            Link(request.build_absolute_uri(reverse("feeds:opds")), "up", NAVIGATION),
            *_paging_links(request, request.path, page, total, NAVIGATION),
        ],
        entries=entries,
    )
    return _response(feed, NAVIGATION)


# --- Acquisition --------------------------------------------------------------------------------


def work_entry(request: HttpRequest, work: Work) -> Entry:
    """A work as an OPDS publication: its metadata, tags, and a link per download format."""
    tags = [wt.tag for wt in work.work_tags.all() if wt.status == WorkTag.Status.ACCEPTED]
    titles = {"epub": "EPUB", "html": "HTML (one file)", "txt": "Plain text"}
    links = [
        Link(
            request.build_absolute_uri(download_url(work.pk, fmt)),
            ACQUIRE,
            MEDIA_TYPES[fmt].split(";")[0],
            titles.get(fmt, fmt),
        )
        for fmt in FORMATS
    ]
    links.append(
        Link(
            request.build_absolute_uri(work.get_absolute_url()),
            "alternate",
            "text/html",
            "Read online",
        )
    )
    summary = plain_text(work.summary_html)
    stats = f"{work.word_count:,} words, {work.chapters_display} chapters"
    return Entry(
        id=request.build_absolute_uri(work.get_absolute_url()),
        title=work.title,
        updated=work.modified_at,
        published=dt.datetime.combine(work.published, dt.time(), dt.UTC)
        if work.published
        else None,
        authors=[
            (p.name, request.build_absolute_uri(p.get_absolute_url())) for p in work.creator_pseuds
        ],
        summary=f"{summary}\n\n{stats}".strip() if summary else stats,
        categories=[Category(t.name, t.name, TAG_SCHEME + t.type) for t in tags],
        language=work.language,
        issued=work.published,
        links=links,
    )


def _acquisition(request, *, id_, title, works, total, page, up=None, **params) -> HttpResponse:
    self_url = _url(request, request.path, page=page if page > 1 else None, **params)
    links = _common_links(request, self_url, ACQUISITION)
    if up:
        links.append(Link(request.build_absolute_uri(up), "up", NAVIGATION))
    links += _paging_links(request, request.path, page, total, ACQUISITION, **params)
    feed = Feed(
        id=id_,
        title=title,
        updated=max((w.modified_at for w in works), default=_latest()),
        links=links,
        entries=[work_entry(request, w) for w in works],
        total=total,
        items_per_page=PAGE_SIZE,
        start_index=(page - 1) * PAGE_SIZE + 1,
    )
    return _response(feed, ACQUISITION)


def _searched(criteria: Criteria, page: int) -> tuple[list[Work], int]:
    criteria.offset, criteria.limit, criteria.facets = (page - 1) * PAGE_SIZE, PAGE_SIZE, False
    results = indexing.ready().search(criteria)
    works = blurb_queryset().in_bulk(results.ids)
    return [works[i] for i in results.ids if i in works], results.total


def newest(request: HttpRequest) -> HttpResponse:
    page = _page(request)
    queryset = blurb_queryset().order_by("-created_at", "-id")
    total = queryset.count()
    works = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if page > 1 and not works:
        raise Http404(f"There is no page {page} of works.")
    return _acquisition(
        request, id_="urn:ficarchive:opds:new", title="Newest works", works=works, total=total,
        page=page, up=reverse("feeds:opds"),
    )  # fmt: skip


def tag_works(request: HttpRequest, tag_id: int) -> HttpResponse:
    """Works with this tag (or a synonym of it), most recently updated first."""
    tag = get_object_or_404(Tag, pk=tag_id)
    canonical = tag.merger or tag
    page = _page(request)
    works, total = _searched(resolve(Criteria(include=[canonical.pk], sort="updated")), page)
    return _acquisition(
        request, id_=f"urn:ficarchive:opds:tag:{canonical.pk}",
        title=f"{canonical.get_type_display()}: {canonical.name}", works=works, total=total,
        page=page, up=reverse("feeds:opds_tag_type", args=[canonical.type]),
    )  # fmt: skip


def creator_works(request: HttpRequest, slug: str) -> HttpResponse:
    pseud = get_object_or_404(Pseud, slug=slug)
    page = _page(request)
    queryset = blurb_queryset().filter(creatorships__pseud=pseud).order_by("-created_at", "-id")
    total = queryset.count()
    works = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return _acquisition(
        request, id_=f"urn:ficarchive:opds:creator:{pseud.slug}", title=f"Works by {pseud.name}",
        works=works, total=total, page=page, up=reverse("feeds:opds_creators"),
    )  # fmt: skip


def search(request: HttpRequest) -> HttpResponse:
    """The search page's search (same query language and filters), as an acquisition feed."""
    page = _page(request)
    form = SearchForm(request.GET)
    criteria, _messages = form.criteria()
    works, total = _searched(criteria, page)
    params = {k: v for k, v in request.GET.lists() if k != "page"}
    return _acquisition(
        request, id_="urn:ficarchive:opds:search:" + urlencode(sorted((k, tuple(v)) for k, v in params.items()), doseq=True),
        title=f"Search: {form.value('q', '')}".rstrip(": "), works=works, total=total, page=page,
        up=reverse("feeds:opds"), **params,
    )  # fmt: skip


def opensearch(request: HttpRequest) -> HttpResponse:
    template = request.build_absolute_uri(reverse("feeds:opds_search")) + "?q={searchTerms}"
    body = render_opensearch(
        short_name=CATALOG_TITLE,
        description="Search the works of this fan fiction archive by words, titles, creators and tags.",
        template=template,
    )
    return HttpResponse(body, content_type=f"{OPENSEARCH};charset=utf-8")
