"""Atom feeds (Django's syndication framework): a tag's, a creator's and a series' new works,
and a work's chapters. Feed readers subscribe to them from the pages' <link> or by URL."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ficarchive.archive.models import Chapter, Pseud, Series, Tag, Work
from ficarchive.archive.sanitize import plain_text
from ficarchive.archive.views import blurb_queryset
from ficarchive.search.tags import expand

ITEMS = 25


def _midnight(date: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(date, dt.time(), dt.UTC) if date else None


class WorksFeed(Feed):
    """Shared by the feeds whose items are works: newest updates first."""

    feed_type = Atom1Feed

    def item_title(self, work: Work) -> str:
        return work.title

    def item_description(self, work: Work) -> str:
        summary = plain_text(work.summary_html)
        stats = f"{work.word_count:,} words, {work.chapters_display} chapters"
        return f"{summary} ({stats})" if summary else stats

    def item_link(self, work: Work) -> str:
        return work.get_absolute_url()

    def item_author_name(self, work: Work) -> str:
        return ", ".join(p.name for p in work.creator_pseuds)

    def item_pubdate(self, work: Work) -> dt.datetime:
        return _midnight(work.published) or work.created_at

    def item_updateddate(self, work: Work) -> dt.datetime:
        return work.modified_at

    def item_categories(self, work: Work) -> list[str]:
        return [tag.name for _, _, tags in work.tag_groups() for tag in tags]


class TagFeed(WorksFeed):
    def get_object(self, request, tag_type: str, slug: str) -> Tag:
        tag = get_object_or_404(Tag, type=tag_type, slug=slug)
        return tag.merger or tag

    def title(self, tag: Tag) -> str:
        return f"{tag.get_type_display()}: {tag.name}"

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def feed_url(self, tag: Tag) -> str:
        return reverse("feeds:tag", args=[tag.type, tag.slug])

    def description(self, tag: Tag) -> str:
        return f"New and updated works tagged {tag.name}."

    def items(self, tag: Tag):
        # The tag, its subtags (search.tags.expand) and all their synonyms, as on the tag page.
        canonical = expand([tag.pk])
        ids = Tag.objects.filter(Q(pk__in=canonical) | Q(merger__in=canonical)).values("pk")
        return (
            blurb_queryset()
            .filter(work_tags__tag__in=ids, work_tags__status="accepted")
            .distinct()
            .order_by("-modified_at", "-id")[:ITEMS]
        )


class CreatorFeed(WorksFeed):
    def get_object(self, request, slug: str) -> Pseud:
        return get_object_or_404(Pseud, slug=slug)

    def title(self, pseud: Pseud) -> str:
        return f"Works by {pseud.name}"

    def link(self, pseud: Pseud) -> str:
        return pseud.get_absolute_url()

    def feed_url(self, pseud: Pseud) -> str:
        return reverse("feeds:creator", args=[pseud.slug])

    def description(self, pseud: Pseud) -> str:
        return f"New and updated works by {pseud.name}."

    def items(self, pseud: Pseud):
        return (
            blurb_queryset()
            .filter(creatorships__pseud=pseud)
            .order_by("-modified_at", "-id")[:ITEMS]
        )


class SeriesFeed(WorksFeed):
    def get_object(self, request, series_id: int) -> Series:
        return get_object_or_404(Series, pk=series_id)

    def title(self, series: Series) -> str:
        return f"Series: {series.title}"

    def link(self, series: Series) -> str:
        return series.get_absolute_url()

    def feed_url(self, series: Series) -> str:
        return reverse("feeds:series", args=[series.pk])

    def description(self, series: Series) -> str:
        return plain_text(series.summary_html) or f"The works of the series {series.title}."

    def items(self, series: Series):
        return (
            blurb_queryset()
            .filter(series_parts__series=series)
            .order_by("-series_parts__position", "-id")[:ITEMS]
        )

    def item_title(self, work: Work) -> str:
        part = work.series_parts.filter(series__works=work).order_by("position").first()
        return f"Part {part.position}: {work.title}" if part else work.title


class ChapterFeed(Feed):
    """A work's chapters, the newest first: subscribe to hear of new chapters.

    Chapters carry no date of their own, so the latest chapter is dated by the work's last
    update and the others by its publication; each chapter's URL is its lasting id.
    """

    feed_type = Atom1Feed

    def get_object(self, request, work_id: int) -> Work:
        return get_object_or_404(blurb_queryset(), pk=work_id)

    def title(self, work: Work) -> str:
        return f"{work.title}: chapters"

    def link(self, work: Work) -> str:
        return work.get_absolute_url()

    def feed_url(self, work: Work) -> str:
        return reverse("feeds:chapters", args=[work.pk])

    def description(self, work: Work) -> str:
        return f"New chapters of {work.title}."

    def author_name(self, work: Work) -> str:
        return ", ".join(p.name for p in work.creator_pseuds)

    def items(self, work: Work):
        self._work = work
        return (
            Chapter.objects.visible()
            .filter(work=work)
            .defer("body_html", "body_text")
            .order_by("-position")[:ITEMS]
        )

    def item_title(self, chapter: Chapter) -> str:
        return f"Chapter {chapter.position}" + (f": {chapter.title}" if chapter.title else "")

    def item_description(self, chapter: Chapter) -> str:
        return plain_text(chapter.summary_html) or f"{chapter.word_count:,} words"

    def item_link(self, chapter: Chapter) -> str:
        return chapter.get_absolute_url()

    def item_pubdate(self, chapter: Chapter) -> dt.datetime:
        work = self._work
        if chapter.position == work.chapter_count:
            return _midnight(work.updated) or work.modified_at
        return _midnight(work.published) or work.created_at

    def item_updateddate(self, chapter: Chapter) -> dt.datetime:
        return self.item_pubdate(chapter)
