"""The API's request and response shapes; the OpenAPI document at /api/v1/openapi.json is built
from them, so what is written here is what clients are promised."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

MAX_ID = 2**63 - 1  # the largest id a database row can have


def clean_text(text: str) -> str:
    """Text without what no database stores or no reader wants: NUL and other control
    characters (newlines and tabs stay), and lone surrogates that are no character at all."""
    return "".join(
        ch
        for ch in text.replace("\r\n", "\n")
        if (ch >= " " or ch in "\n\t") and not "\ud800" <= ch <= "\udfff" and ch != "\x7f"
    )


Text = Annotated[str, AfterValidator(clean_text)]


def _clean_tag(name: str) -> str:
    name = clean_text(name).strip()
    if not name:
        raise ValueError("a tag name needs at least one visible character")
    return name


# The length is checked on the name as sent (as the OpenAPI document says), then it is cleaned.
TagName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_clean_tag),
]
TagTypeName = Literal[
    "rating", "warning", "category", "fandom", "relationship", "character", "freeform"
]


class ErrorDetail(Schema):
    code: str = Field(description="A stable, machine-readable name of the error.")
    message: str = Field(description="What went wrong and how to fix it, for people.")
    details: list[dict] = Field(default_factory=list, description="Per-field problems, if any.")


class Error(Schema):
    """Every error response (4xx) has this shape."""

    error: ErrorDetail


class CreatorRef(Schema):
    name: str
    slug: str
    url: str


class Counts(Schema):
    kudos: int
    hits: int
    bookmarks: int
    comments: int


class WorkSummary(Schema):
    id: int
    title: str
    url: str
    creators: list[CreatorRef]
    rating: str
    language: str
    complete: bool | None
    chapter_count: int
    expected_chapters: int | None
    words: int
    published: dt.date | None
    updated: dt.date | None
    summary_html: str
    tags: dict[str, list[str]] = Field(description="Accepted tags by type, in the work's order.")
    counts: Counts


class ChapterRef(Schema):
    position: int
    title: str
    words: int
    url: str


class WorkDetail(WorkSummary):
    notes_html: str
    end_notes_html: str
    chapters: list[ChapterRef]


class ChapterOut(Schema):
    work_id: int
    position: int
    title: str
    url: str
    words: int
    epigraph_html: str
    summary_html: str
    notes_html: str
    end_notes_html: str
    body_html: str
    body_text: str


class TagOut(Schema):
    id: int
    type: str
    name: str
    slug: str
    url: str
    canonical: bool
    synonym_of: int | None = Field(description="The canonical tag's id when this is a synonym.")
    works: int = Field(description="Works carrying the tag (accepted tags only).")


class CreatorOut(Schema):
    name: str
    slug: str
    url: str
    works: int


class CreatorDetail(CreatorOut):
    recent_works: list[WorkSummary]


class WorkPage(Schema):
    items: list[WorkSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
    next: str | None = Field(description="The next page's URL; null at the end.")


class TagPage(Schema):
    items: list[TagOut]
    next_cursor: str | None
    next: str | None


class CreatorPage(Schema):
    items: list[CreatorOut]
    next_cursor: str | None
    next: str | None


class FacetCount(Schema):
    id: int
    name: str
    count: int


class SearchOut(Schema):
    total: int
    sort: str = Field(
        description="The sort applied (best match falls back to updated without words)."
    )
    items: list[WorkSummary]
    facets: dict[str, list[FacetCount]]
    messages: list[str] = Field(
        description="Repairs made to the query and filters, as on the search page."
    )
    next_cursor: str | None
    next: str | None


class Me(Schema):
    username: str
    pseuds: list[CreatorRef]


class ChapterIn(Schema):
    model_config = ConfigDict(strict=True)  # no "0" for false, no 1 for "1": the document's types
    title: Text = Field("", max_length=500)
    text: Text = Field(
        min_length=1,
        max_length=2_000_000,
        description="The chapter's text, in `format`.",
    )
    format: Literal["text", "html", "markdown"] = Field(
        "text",
        description="text: blank lines separate paragraphs, a line of `* * *` is a scene break; "
        "html: sanitised on the way in; markdown: CommonMark.",
    )


class WorkIn(Schema):
    model_config = ConfigDict(strict=True)
    title: Text = Field(min_length=1, max_length=500)
    summary: Text = Field("", max_length=20_000, description="Plain text or HTML (sanitised).")
    notes: Text = Field("", max_length=20_000, description="Plain text or HTML (sanitised).")
    rating: Literal[
        "", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"
    ] = ""
    language: str = Field("", max_length=12, pattern=r"^[A-Za-z]{0,8}(-[A-Za-z0-9]{1,8})?$")
    complete: bool = False
    expected_chapters: int | None = Field(None, ge=1, le=10_000)
    pseud: str | None = Field(
        None, max_length=100, description="The slug of one of your pseuds; default your first."
    )
    tags: dict[TagTypeName, Annotated[list[TagName], Field(max_length=75)]] = Field(
        default_factory=dict,
        description='Tag names by type, e.g. {"fandom": ["Original Work"]}.',
    )
    chapters: list[ChapterIn] = Field(min_length=1, max_length=500)


BookmarkTag = Annotated[
    str,
    AfterValidator(clean_text),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^,]+$"),
]


class BookmarkIn(Schema):
    model_config = ConfigDict(strict=True)
    note: Text = Field("", max_length=5000, description="The bookmarker's note.")
    markup: Literal["html", "markdown"] = "html"
    tags: list[BookmarkTag] = Field(default_factory=list, max_length=75)
    private: bool = False


class BookmarkOut(Schema):
    id: int
    work_id: int
    note_html: str
    tags: list[str]
    private: bool
    created_at: dt.datetime
    updated_at: dt.datetime
