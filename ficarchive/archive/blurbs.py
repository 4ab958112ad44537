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
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from .models import Creatorship, Tag, Work, WorkTag


def blurb_queryset() -> QuerySet[Work]:
    """Works with everything a blurb shows, in a fixed number of queries."""
    return Work.objects.prefetch_related(
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


def _lang(work: Work) -> SafeString:
    return format_html(' lang="{}"', work.language) if work.language else mark_safe("")


def render_blurb(work: Work, links: TagLinks | None = None) -> SafeString:
    """The blurb of a work fetched with `views.blurb_queryset()` (creators and tags prefetched)."""
    links = links or TagLinks()
    letter, css, label = work.rating_badge
    groups = work.tag_groups()
    pseuds = work.creator_pseuds
    byline = (
        format_html(
            '<span class="byline">by {}</span>',
            mark_safe(
                ", ".join(
                    format_html('<a rel="author" href="{}">{}</a>', p.get_absolute_url(), p.name)
                    for p in pseuds
                )
            ),
        )
        if pseuds
        else ""
    )
    fandoms = ", ".join(
        format_html('<a href="{}">{}</a>', links(t), t.name)
        for tag_type, _, tags in groups
        if tag_type == "fandom"
        for t in tags
    )
    tags = "".join(
        f'<li class="tag {tag_type}"><a href="{links(t)}" title="{escape(group_label)}">'
        f"{escape(t.name)}</a></li>"
        for tag_type, group_label, tags in groups
        if tag_type not in ("fandom", "rating")
        for t in tags
    )
    stats = []
    if work.language:
        stats.append(format_html("<dt>Language</dt><dd>{}</dd>", work.language))
    stats.append(format_html("<dt>Words</dt><dd>{}</dd>", f"{work.word_count or 0:,}"))
    stats.append(format_html("<dt>Chapters</dt><dd>{}</dd>", work.chapters_display))
    for count, name in (
        (work.kudos_count, "Kudos"),
        (work.comments_count, "Comments"),
        (work.bookmarks_count, "Bookmarks"),
        (work.hits_count, "Hits"),
    ):
        if count:
            stats.append(format_html("<dt>{}</dt><dd>{}</dd>", name, f"{count:,}"))
    stats.append(
        format_html(
            '<dt class="visually-hidden">Status</dt><dd><span class="status {}">{}</span></dd>',
            *work.status_badge,
        )
    )
    date = work.updated or work.created_at.date()
    title_note = (
        mark_safe(' <span class="untitled" title="The source gave no title">(untitled)</span>')
        if work.title_missing
        else ""
    )
    summary = (
        format_html(
            '<blockquote class="summary"{}>{}</blockquote>',
            _lang(work),
            mark_safe(work.summary_html),  # sanitised when stored (archive.sanitize)
        )
        if work.summary_html
        else ""
    )
    return format_html(
        '<li class="blurb">\n  <div class="blurb-head">\n'
        '    <span class="rating-badge rating-{css}" title="Rating: {label}">'
        '<span aria-hidden="true">{letter}</span>'
        '<span class="visually-hidden">Rating: {label}</span></span>\n'
        '    <div class="blurb-title">\n'
        '      <h3 class="heading"><a href="{url}"{lang}>{title}</a>{title_note}\n'
        "        {byline}\n      </h3>\n"
        '      <p class="fandoms">{fandoms}</p>\n    </div>\n'
        '    <p class="datetime">{date}</p>\n  </div>\n'
        '  <ul class="tags">\n    {tags}\n  </ul>\n'
        "  {summary}\n"
        '  <dl class="stats">\n    {stats}\n  </dl>\n</li>',
        css=css,
        label=label,
        letter=letter,
        url=work.get_absolute_url(),
        lang=_lang(work),
        title=work.title,
        title_note=title_note,
        byline=byline,
        fandoms=mark_safe(fandoms),
        date=format_date(date, "j M Y"),
        tags=mark_safe(tags),
        summary=summary,
        stats=format_html_join("\n    ", "{}", ((s,) for s in stats)),
    )


def render_blurbs(work_ids: Iterable[int]) -> dict[int, SafeString]:
    """The blurbs of the works that exist among `work_ids`, by id."""
    links = TagLinks()
    return {
        pk: render_blurb(work, links) for pk, work in blurb_queryset().in_bulk(work_ids).items()
    }
