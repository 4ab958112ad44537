"""The NinjaAPI at /api/v1/: routes, token authentication, rate limits, error objects, cursors.

Reads are public (what the site shows anyone: accepted tags only, never private contact data);
writes need `Authorization: Bearer <token>` (`ficarchive api-token create USER`). Lists page by
an opaque cursor, newest first for works. Every error is `{"error": {"code", "message",
"details"}}` with a 4xx status.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from ficarchive.accounts.permissions import (
    SEARCH_SUGGESTIONS_REFUSED,
    can_search_suggestions,
    sees_restricted,
)
from ficarchive.archive.blurbs import blurb_queryset
from ficarchive.archive.models import (
    Chapter,
    Pseud,
    Tag,
    Work,
    WorkTag,
    visible_pseud_works,
    visible_tag_uses,
)
from ficarchive.search import indexing
from ficarchive.search.criteria import SORTS
from ficarchive.search.documents import EPOCH
from ficarchive.search.forms import SearchForm

from . import actions
from .schemas import (
    MAX_ID,
    BookmarkIn,
    BookmarkOut,
    ChapterIn,
    ChapterOut,
    CreatorDetail,
    CreatorPage,
    Error,
    Me,
    SearchOut,
    TagOut,
    TagPage,
    TagTypeName,
    WorkDetail,
    WorkIn,
    WorkPage,
)
from .tokens import user_for_token

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Requests per minute: anonymous clients by address, token holders by user. Settings override
# them (API_RATE_LIMITS), e.g. for a test that fuzzes the API.
DEFAULT_RATES = {"anon": "120/min", "auth": "600/min"}


# --- Authentication and rate limits -------------------------------------------------------------


class TokenAuth(HttpBearer):
    openapi_description = "An API token: `ficarchive api-token create USERNAME` prints one."

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


def _viewer(request: HttpRequest):
    """Who is reading: a token's user (reading needs no token, but may send one) or the
    session's user. Anonymous readers never see works for logged-in users (archive.audience)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = user_for_token(header[7:].strip())
        if user is not None:
            return user
    return getattr(request, "user", None)


class RateLimit(SimpleRateThrottle):
    """Ninja's sliding-window throttle, with the rate read from settings on every request."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__(DEFAULT_RATES[scope])

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "API_RATE_LIMITS", {}).get(self.scope, DEFAULT_RATES[self.scope])
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        if (auth is None) != (self.scope == "anon"):
            return None  # the other scope counts this request
        ident = f"user{auth.pk}" if auth is not None else self.get_ident(request)
        return f"api-throttle:{self.scope}:{ident}"


class ObjectParser(Parser):
    """Request bodies are JSON objects: a list or a number is refused (400), not read as {}."""

    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


api = NinjaAPI(
    parser=ObjectParser(),
    title="ficarchive API",
    version="1",
    description=(
        "Read the archive's works, chapters, tags and creators, search it with the search "
        "page's filters and facets, and post works and chapters with an API token. Errors are "
        '`{"error": {"code", "message", "details"}}`. Lists page by cursor: pass `next_cursor` '
        "back as `cursor`."
    ),
    urls_namespace="api",
    throttle=[RateLimit("anon"), RateLimit("auth")],
)
auth = TokenAuth()
ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS = {**ERRORS, 401: Error, 403: Error}


# --- Errors -------------------------------------------------------------------------------------


def error(request: HttpRequest, status: int, code: str, message: str, details=None) -> HttpResponse:
    payload = {"error": {"code": code, "message": message, "details": details or []}}
    response = api.create_response(request, payload, status=status)
    return response


class BadRequest(Exception):
    def __init__(self, code: str, message: str, details=None, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.details, self.status = code, message, details, status


@api.exception_handler(BadRequest)
def _bad_request(request, exc: BadRequest):
    return error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    details = [
        {"location": list(map(str, e.get("loc", ()))), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return error(request, 422, "invalid_request", "Some parameters are not valid.", details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = error(
        request,
        401,
        "unauthenticated",
        "This needs an API token: send `Authorization: Bearer <token>` "
        "(`ficarchive api-token create USERNAME` makes one).",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = error(request, 429, "rate_limited", "Too many requests; slow down and retry.")
    if exc.wait:
        response["Retry-After"] = str(max(1, round(exc.wait)))
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", str(exc) or "Nothing is here.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error(request, 403, "forbidden", str(exc) or "You may not do that.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error(request, exc.status_code, "http_error", str(exc))


# --- Cursors ------------------------------------------------------------------------------------


def _encode_cursor(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, kind: str) -> int | None:
    """The position a cursor names; a cursor this API did not make is a 400 error."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        found, value = text.split(":", 1)
        number = int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        number, found = -1, ""
    if found != kind or not 0 <= number <= MAX_ID:
        raise BadRequest(
            "invalid_cursor", "That cursor is not one this list gave out; start over without it."
        )
    return number


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def _keyset_page(
    request: HttpRequest, queryset: QuerySet, cursor: str | None, limit: int, *, descending: bool
):
    """One page of `queryset` by id, after the cursor's id: (rows, next cursor, next url)."""
    after = _decode_cursor(cursor, "id")
    if after is not None:
        queryset = queryset.filter(pk__lt=after) if descending else queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("-pk" if descending else "pk")[: limit + 1])
    next_cursor = _encode_cursor("id", rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor, _next_url(request, next_cursor)


class PageParams(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT

    @classmethod
    def clamp(cls, limit: int) -> int:
        return min(MAX_LIMIT, max(1, limit))


# --- Shapes -------------------------------------------------------------------------------------


def work_summary(request: HttpRequest, work: Work) -> dict:
    tags: dict[str, list[str]] = {}
    for work_tag in work.work_tags.all():
        if work_tag.status == WorkTag.Status.ACCEPTED:
            tags.setdefault(work_tag.tag.type, []).append(work_tag.tag.name)
    return {
        "id": work.pk,
        "title": work.title,
        "url": request.build_absolute_uri(work.get_absolute_url()),
        "creators": [
            {
                "name": p.name,
                "slug": p.slug,
                "url": request.build_absolute_uri(p.get_absolute_url()),
            }
            for p in work.creator_pseuds
        ],
        "rating": work.rating,
        "language": work.language,
        "complete": work.complete,
        "chapter_count": work.chapter_count,
        "expected_chapters": work.expected_chapters,
        "words": work.word_count,
        "published": work.published,
        "updated": work.updated,
        "summary_html": work.summary_html,
        "tags": tags,
        "counts": {
            "kudos": work.kudos_count,
            "hits": work.hits_count,
            "bookmarks": work.bookmarks_count,
            "comments": work.comments_count,
        },
    }


def work_detail(request: HttpRequest, work: Work) -> dict:
    chapters = work.chapters.visible().only("work_id", "position", "title", "word_count")
    return {
        **work_summary(request, work),
        "notes_html": work.notes_html,
        "end_notes_html": work.end_notes_html,
        "chapters": [
            {
                "position": c.position,
                "title": c.title,
                "words": c.word_count,
                "url": request.build_absolute_uri(c.get_absolute_url()),
            }
            for c in chapters
        ],
    }


def chapter_out(request: HttpRequest, chapter: Chapter) -> dict:
    return {
        "work_id": chapter.work_id,
        "position": chapter.position,
        "title": chapter.title,
        "url": request.build_absolute_uri(chapter.get_absolute_url()),
        "words": chapter.word_count,
        "epigraph_html": chapter.epigraph_html,
        "summary_html": chapter.summary_html,
        "notes_html": chapter.notes_html,
        "end_notes_html": chapter.end_notes_html,
        "body_html": chapter.body_html,
        "body_text": chapter.body_text,
    }


def _tags(request: HttpRequest) -> QuerySet[Tag]:
    return Tag.objects.annotate(work_total=visible_tag_uses(_viewer(request)))


def tag_out(request: HttpRequest, tag: Tag) -> dict:
    return {
        "id": tag.pk,
        "type": tag.type,
        "name": tag.name,
        "slug": tag.slug,
        "url": request.build_absolute_uri(tag.get_absolute_url()),
        "canonical": tag.canonical,
        "synonym_of": tag.merger_id,
        "works": tag.work_total,
    }


def _pseuds(request: HttpRequest) -> QuerySet[Pseud]:
    return Pseud.objects.annotate(work_total=visible_pseud_works(_viewer(request)))


def creator_out(request: HttpRequest, pseud: Pseud) -> dict:
    return {
        "name": pseud.name,
        "slug": pseud.slug,
        "url": request.build_absolute_uri(pseud.get_absolute_url()),
        "works": pseud.work_total,
    }


WorkId = Path(..., ge=1, le=MAX_ID, description="The work's id, as in /works/ID/.")


# --- Reading ------------------------------------------------------------------------------------


@api.get("/works", response={200: WorkPage, **ERRORS}, tags=["works"])
def list_works(request, page: Query[PageParams]):
    """Works, the most recently added first."""
    rows, next_cursor, next_url = _keyset_page(
        request,
        blurb_queryset(viewer=_viewer(request)),
        page.cursor,
        PageParams.clamp(page.limit),
        descending=True,
    )
    return {
        "items": [work_summary(request, w) for w in rows],
        "next_cursor": next_cursor,
        "next": next_url,
    }


@api.get("/works/{work_id}", response={200: WorkDetail, **ERRORS}, tags=["works"])
def get_work(request, work_id: int = WorkId):
    """A work with its chapter list, accepted tags and response counts."""
    work = blurb_queryset(viewer=_viewer(request)).filter(pk=work_id).first()
    if work is None:
        raise Http404(f"There is no work {work_id}.")
    return work_detail(request, work)


@api.get(
    "/works/{work_id}/chapters/{position}", response={200: ChapterOut, **ERRORS}, tags=["works"]
)
def get_chapter(request, work_id: int = WorkId, position: int = Path(..., ge=1, le=MAX_ID)):
    """One chapter's text (sanitised HTML and plain text)."""
    work = Work.objects.readable_by(_viewer(request)).filter(pk=work_id)  # hidden ones left out
    chapter = Chapter.objects.visible().filter(work__in=work, position=position).first()
    if chapter is None:
        raise Http404(f"Work {work_id} has no chapter {position}.")
    return chapter_out(request, chapter)


class TagFilter(PageParams):
    type: TagTypeName | None = None


@api.get("/tags", response={200: TagPage, **ERRORS}, tags=["tags"])
def list_tags(request, params: Query[TagFilter]):
    """Tags, oldest first; `type` keeps one type (fandom, character, …)."""
    queryset = _tags(request)
    if params.type:
        queryset = queryset.filter(type=params.type)
    rows, next_cursor, next_url = _keyset_page(
        request, queryset, params.cursor, PageParams.clamp(params.limit), descending=False
    )
    return {
        "items": [tag_out(request, t) for t in rows],
        "next_cursor": next_cursor,
        "next": next_url,
    }


@api.get("/tags/{tag_id}", response={200: TagOut, **ERRORS}, tags=["tags"])
def get_tag(request, tag_id: int = Path(..., ge=1, le=MAX_ID)):
    tag = _tags(request).filter(pk=tag_id).first()
    if tag is None:
        raise Http404(f"There is no tag {tag_id}.")
    return tag_out(request, tag)


@api.get("/creators", response={200: CreatorPage, **ERRORS}, tags=["creators"])
def list_creators(request, page: Query[PageParams]):
    """Creators (pseuds), oldest first."""
    rows, next_cursor, next_url = _keyset_page(
        request, _pseuds(request), page.cursor, PageParams.clamp(page.limit), descending=False
    )
    return {
        "items": [creator_out(request, p) for p in rows],
        "next_cursor": next_cursor,
        "next": next_url,
    }


@api.get("/creators/{slug}", response={200: CreatorDetail, **ERRORS}, tags=["creators"])
def get_creator(request, slug: str = Path(..., max_length=100)):
    """A creator (pseud) and their most recent works."""
    pseud = _pseuds(request).filter(slug=slug).first()
    if pseud is None:
        raise Http404(f"No creator has the address {slug[:100]!r}.")
    works = (
        blurb_queryset(viewer=_viewer(request))
        .filter(creatorships__pseud=pseud)
        .order_by("-pk")[:DEFAULT_LIMIT]
    )
    return {
        **creator_out(request, pseud),
        "recent_works": [work_summary(request, w) for w in works],
    }


class SearchParams(Schema):
    """The search page's parameters (see the README's Search section), with a cursor for pages."""

    q: str = Field(
        "", max_length=1000, description='The search box: words, "phrases", -not, OR, field:value.'
    )
    include: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], description="Tag ids every work has."
    )
    exclude: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], description="Tag ids no work has."
    )
    rating: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], description="Rating tag ids, any of them."
    )
    include_names: str = Field(
        "", max_length=2000, description="Tag names to include, comma-separated."
    )
    exclude_names: str = Field(
        "", max_length=2000, description="Tag names to exclude, comma-separated."
    )
    complete: Literal["", "complete", "wip"] = ""
    crossover: Literal["", "exclude", "only"] = ""
    words_from: int | None = Field(None, ge=0, le=10**9)
    words_to: int | None = Field(None, ge=0, le=10**9)
    date_field: Literal["", "updated", "published"] = ""
    # The search index keeps dates as days since 1970 (see search/documents.py): earlier ones
    # cannot be searched for.
    date_from: dt.date | None = Field(None, ge=EPOCH)
    date_to: dt.date | None = Field(None, ge=EPOCH)
    language: str = Field("", max_length=12)
    pov: Literal["", "first", "second", "third"] = ""
    tense: Literal["", "past", "present"] = ""
    suggested: bool = False
    sort: Literal["", *SORTS] = ""  # type: ignore[valid-type]
    order: Literal["", "asc", "desc"] = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@api.get("/search", response={200: SearchOut, **ERRORS}, tags=["search"])
def search(request, params: Query[SearchParams]):
    """The search page's search: the same query language, filters, sorts and facets.

    Values the search page would flag (an unknown tag name, a repaired query) come back in
    `messages`; a value that is not valid at all (a date that is no date) is a 400 error.
    """
    offset = _decode_cursor(params.cursor, "offset") or 0
    limit = PageParams.clamp(params.limit)
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in ("cursor", "limit", "page"):
            query.setlist(key, values)
    form = SearchForm(query)
    criteria, messages = form.criteria()
    if form.errors:
        details = [
            {"location": ["query", name], "message": " ".join(errs)}
            for name, errs in form.errors.items()
        ]
        raise BadRequest("invalid_search", "Some search parameters are not valid.", details)
    if criteria.suggested and not can_search_suggestions(request.user):
        criteria.suggested = False
        messages.append(SEARCH_SUGGESTIONS_REFUSED)
    criteria.offset, criteria.limit = offset, limit
    criteria.restricted = sees_restricted(_viewer(request))
    results = indexing.ready().search(criteria)
    works = blurb_queryset(viewer=_viewer(request)).in_bulk(results.ids)
    tag_ids = {i for pairs in results.facets.values() for i, _ in pairs}
    names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    next_cursor = (
        _encode_cursor("offset", offset + limit) if offset + limit < results.total else None
    )
    return {
        "total": results.total,
        "sort": criteria.effective_sort,
        "items": [work_summary(request, works[i]) for i in results.ids if i in works],
        "facets": {
            t: [{"id": i, "name": names.get(i, ""), "count": n} for i, n in pairs]
            for t, pairs in results.facets.items()
        },
        "messages": messages,
        "next_cursor": next_cursor,
        "next": _next_url(request, next_cursor),
    }


# --- Writing ------------------------------------------------------------------------------------


@api.get("/me", auth=auth, response={200: Me, **WRITE_ERRORS}, tags=["account"])
def me(request):
    """Who the token belongs to, and their pseuds."""
    user = request.auth
    pseuds = Pseud.objects.filter(creator__user=user).order_by("id")
    return {
        "username": user.get_username(),
        "pseuds": [
            {
                "name": p.name,
                "slug": p.slug,
                "url": request.build_absolute_uri(p.get_absolute_url()),
            }
            for p in pseuds
        ],
    }


@api.post("/works", auth=auth, response={201: WorkDetail, **WRITE_ERRORS}, tags=["works"])
def post_work(request, body: WorkIn):
    """Post a new work under the token owner's pseud."""
    try:
        work = actions.post_work(
            request.auth,
            title=body.title,
            chapters=[actions.ChapterInput(c.text, c.title, c.format) for c in body.chapters],
            pseud=body.pseud,
            summary=body.summary,
            notes=body.notes,
            rating=body.rating,
            language=body.language,
            complete=body.complete,
            expected_chapters=body.expected_chapters,
            tags={k: list(v) for k, v in body.tags.items()},
        )
    except (DjangoValidationError, LookupError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, DjangoValidationError) else str(exc)
        raise BadRequest("invalid_work", f"The work cannot be posted: {message}") from None
    return Status(201, work_detail(request, blurb_queryset(viewer=request.auth).get(pk=work.pk)))


@api.post(
    "/works/{work_id}/chapters",
    auth=auth,
    response={201: ChapterOut, **WRITE_ERRORS},
    tags=["works"],
)
def add_chapter(request, body: ChapterIn, work_id: int = WorkId):
    """Add a chapter at the end of a work; only its creators may."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404(f"There is no work {work_id}.")
    try:
        chapter = actions.add_chapter(
            request.auth, work, actions.ChapterInput(body.text, body.title, body.format)
        )
    except DjangoValidationError as exc:
        raise BadRequest(
            "invalid_chapter", f"The chapter cannot be added: {' '.join(exc.messages)}"
        ) from None
    return Status(201, chapter_out(request, chapter))


@api.post(
    "/works/{work_id}/bookmarks",
    auth=auth,
    response={201: BookmarkOut, **WRITE_ERRORS},
    tags=["works"],
)
def bookmark_work(request, body: BookmarkIn, work_id: int = WorkId):
    """Bookmark a work, or change the token owner's bookmark of it (a note, own tags, private)."""
    try:
        from ficarchive.community.actions import save_bookmark
    except ImportError:  # an archive without the community app
        raise BadRequest("not_available", "This archive has no bookmarks.", status=404) from None
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404(f"There is no work {work_id}.")
    try:
        bookmark = save_bookmark(
            request.auth,
            work,
            note=body.note,
            markup=body.markup,
            tags=", ".join(body.tags),
            private=body.private,
        )
    except DjangoValidationError as exc:
        raise BadRequest("invalid_bookmark", " ".join(exc.messages)) from None
    return Status(
        201,
        {
            "id": bookmark.pk,
            "work_id": bookmark.work_id,
            "note_html": bookmark.note_html,
            "tags": list(bookmark.tags),
            "private": bookmark.private,
            "created_at": bookmark.created_at,
            "updated_at": bookmark.updated_at,
        },
    )
