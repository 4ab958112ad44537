"""A work's blurb (the summary card in every list) rendered in Python, not by the template engine.

Search result pages show twenty blurbs with a dozen tag links each; through Django's template
language that cost ~3 ms a blurb, most of a search's time budget (bench/search.py). Built here
with `format_html` it costs a tenth of that. The markup is the one `archive/_blurb.html` had;
that template now calls `{% blurb work %}`, so every list still includes the same file.
Search and tag pages go further: they show the copies `render_blurbs` made when each work was
indexed (`search.models.Blurb`).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from .audience import ALL_READERS
from .languages import language_name
from .models import Creatorship, Tag, Work, WorkTag


def blurb_queryset(*, include_hidden: bool = False, viewer=None) -> QuerySet[Work]:
    """Works with everything a blurb shows, in a fixed number of queries.

    Hidden works are left out unless `include_hidden` (a hidden work's page, for its creators).
    Works for logged-in users only are left out unless `viewer` is logged in: a caller that does
    not say who is looking gets what an anonymous visitor may see (`archive.audience`).
    """
    manager = Work.all_objects if include_hidden else Work.objects
    return manager.readable_by(viewer).prefetch_related(
        Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud")),
        Prefetch(
            "work_tags",
            queryset=WorkTag.objects.select_related("tag").filter(status=WorkTag.Status.ACCEPTED),
        ),
    )


class TagLinks:
    """Tag URLs without a `reverse` per tag: the tag index URL of each type, plus the slug.

    The same URL `Tag.get_absolute_url` gives (slugs are quoted as `reverse` quotes them).
    """

    def __init__(self) -> None:
        self._prefix: dict[str, str] = {}

    def __call__(self, tag: Tag) -> str:
        prefix = self._prefix.get(tag.type)
        if prefix is None:
            prefix = self._prefix[tag.type] = reverse("archive:tags", args=[tag.type])
        return f"{prefix}{quote(tag.slug, safe=RFC3986_SUBDELIMS + '/~:@')}/"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(work: Work) -> str:
    return f' lang="{escape(work.language)}"' if work.language else ""


def render_blurb(work: Work, links: TagLinks | None = None) -> SafeString:
    """The blurb of a work fetched with `blurb_queryset()` (creators and tags prefetched).

    Plain f-strings with every value escaped (or a number): `format_html` cost three times as
    much, and every indexed work is rendered (`search.indexing`).
    """
    links = links or TagLinks()
    letter, css, label = work.rating_badge
    groups = work.tag_groups()
    pseuds = work.creator_pseuds
    byline = ""
    if pseuds:
        authors = ", ".join(
            f'<a rel="author" href="{escape(p.get_absolute_url())}">{escape(p.name)}</a>'
            for p in pseuds
        )
        byline = f'<span class="byline">by {authors}</span>'
    fandoms = ", ".join(
        f'<a href="{escape(links(t))}">{escape(t.name)}</a>'
        for tag_type, _, tags in groups
        if tag_type == "fandom"
        for t in tags
    )
    tags = "".join(
        f'<li class="tag {tag_type}"><a href="{escape(links(t))}" title="{escape(group_label)}">'
        f"{escape(t.name)}</a></li>"
        for tag_type, group_label, tags in groups
        if tag_type not in ("fandom", "rating")
        for t in tags
    )
    stats = []
    if work.language:
        stats.append(f"<dt>Language</dt><dd>{escape(language_name(work.language))}</dd>")
    stats.append(f"<dt>Words</dt><dd>{work.word_count or 0:,}</dd>")
    stats.append(f"<dt>Chapters</dt><dd>{escape(work.chapters_display)}</dd>")
    for count, name in (
        (work.kudos_count, "Kudos"),
        (work.comments_count, "Comments"),
        (work.bookmarks_count, "Bookmarks"),
        (work.hits_count, "Hits"),
    ):
        if count:
            stats.append(f"<dt>{name}</dt><dd>{count:,}</dd>")
    status_css, status_label = work.status_badge
    stats.append(
        '<dt class="visually-hidden">Status</dt>'
        f'<dd><span class="status {status_css}">{status_label}</span></dd>'
    )
    date = work.updated or work.created_at.date()
    title_note = (
        ' <span class="untitled" title="The source gave no title">(untitled)</span>'
        if work.title_missing
        else ""
    )
    summary = (
        # summary_html was sanitised when stored (archive.sanitize)
        f'<blockquote class="summary"{_lang(work)}>{work.summary_html}</blockquote>'
        if work.summary_html
        else ""
    )
    stats_html = "\n    ".join(stats)
    return mark_safe(
        '<li class="blurb">\n  <div class="blurb-head">\n'
        f'    <span class="rating-badge rating-{escape(css)}" title="Rating: {escape(label)}">'
        f'<span aria-hidden="true">{escape(letter)}</span>'
        f'<span class="visually-hidden">Rating: {escape(label)}</span></span>\n'
        '    <div class="blurb-title">\n'
        f'      <h3 class="heading"><a href="{escape(work.get_absolute_url())}"{_lang(work)}>'
        f"{escape(work.title)}</a>{title_note}\n"
        f"        {byline}\n      </h3>\n"
        f'      <p class="fandoms">{fandoms}</p>\n    </div>\n'
        f'    <p class="datetime">{date.day} {MONTHS[date.month - 1]} {date.year}</p>\n  </div>\n'
        f'  <ul class="tags">\n    {tags}\n  </ul>\n'
        f"  {summary}\n"
        f'  <dl class="stats">\n    {stats_html}\n  </dl>\n</li>'
    )


def render_blurbs(work_ids: Iterable[int]) -> dict[int, SafeString]:
    """The blurbs of the works that exist among `work_ids`, by id.

    Works for logged-in users only get theirs too: the search index stores them, and a search
    shows them only to those who may see them (`Criteria.restricted`).
    """
    links = TagLinks()
    works = blurb_queryset(viewer=ALL_READERS).in_bulk(work_ids)
    return {pk: render_blurb(work, links) for pk, work in works.items()}
