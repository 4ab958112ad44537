"""The write path for people's own works: post, edit and delete works and chapters, series.

Each action checks that the user is one of the work's creators, runs in one transaction and
leaves the work searchable at once (model signals queue it for the index). Text is rendered
from Markdown or rich HTML and sanitised (`archive.sanitize.render_posted`) before storing.
Helpers of the import path (`archive.actions`) are reused for tags and the analysis.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ficarchive.accounts.actions import default_pseud, remember_posting_markup, user_pseuds
from ficarchive.accounts.permissions import UNCONFIRMED, can_delete_work, can_edit_work, can_post
from ficarchive.analysis import tagging
from ficarchive.analysis.analyse import analyse_work
from ficarchive.archive import actions as archive_actions
from ficarchive.archive.models import (
    Chapter,
    Creatorship,
    Pseud,
    Series,
    SeriesWork,
    Tag,
    Work,
    WorkTag,
)
from ficarchive.archive.sanitize import plain_text, render_posted
from ficarchive.community.blocking import blocks
from ficarchive.moderation.audit import record
from ficarchive.text.model import Block, ParsedWork, TagType, count_words
from ficarchive.text.model import Chapter as ParsedChapter
from ficarchive.text.model import Tag as ParsedTag

from .models import CoCreatorInvitation, Draft, Gift

log = logging.getLogger("ficarchive.analysis")

# The tag types a creator fills in, in the posting form's order.
TAG_FIELDS = [
    (TagType.WARNING, "warnings"),
    (TagType.CATEGORY, "categories"),
    (TagType.FANDOM, "fandoms"),
    (TagType.RELATIONSHIP, "relationships"),
    (TagType.CHARACTER, "characters"),
    (TagType.FREEFORM, "freeforms"),
]


@dataclass
class ChapterData:
    text: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    markup: str = "html"


@dataclass
class WorkData:
    """What the posting form gives: names, not rows; text as typed (rendered on save)."""

    title: str
    pseuds: list[Pseud]
    rating: str
    tags: dict[str, list[str]] = field(default_factory=dict)  # TagType -> names
    co_creators: list = field(default_factory=list)  # Pseuds, or users (their first pseud)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    markup: str = "html"
    language: str = "en"
    complete: bool = False
    expected_chapters: int | None = None
    series: Series | None = None
    new_series: str = ""
    published: dt.date | None = None  # a backdate; None: today (a new work), unchanged (edit)
    restricted: bool = False  # only logged-in users may see it (archive.audience)
    gifts: list = field(default_factory=list)  # users, or free-text names (str)


def _require_poster(user) -> None:
    if not can_post(user):
        raise PermissionDenied(UNCONFIRMED if user.is_authenticated else "Log in to post.")


def _require_owner(user, work: Work) -> None:
    if not can_edit_work(user, work):
        raise PermissionDenied("Only the work's creators can change it.")


def _check_pseuds(user, data: WorkData) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to post.")
    mine = set(user_pseuds(user).values_list("pk", flat=True))
    if not data.pseuds or any(p.pk not in mine for p in data.pseuds):
        raise PermissionDenied("You can only post under your own pseuds.")
    if data.series is not None and data.series.owner_id != user.pk:
        raise PermissionDenied("You can only add works to your own series.")


def _chapter_fields(data: ChapterData) -> dict:
    body = render_posted(data.text, data.markup)
    text = plain_text(body)
    if not text.strip():
        raise ValidationError("The chapter has no text.")
    return {
        "title": " ".join(data.title.split())[:500],
        "summary_html": render_posted(data.summary, data.markup),
        "notes_html": render_posted(data.notes, data.markup),
        "end_notes_html": render_posted(data.end_notes, data.markup),
        "body_html": body,
        "body_text": text,
        "word_count": count_words(text),
    }


def _refresh_totals(work: Work, *, touched: bool = True) -> None:
    chapters = list(work.chapters.values_list("word_count", flat=True))
    work.chapter_count = len(chapters)
    work.word_count = sum(chapters)
    fields = ["chapter_count", "word_count", "modified_at"]
    if touched:
        work.updated = timezone.localdate()
        fields.append("updated")
    if work.complete and (work.expected_chapters or 0) != work.chapter_count:
        work.expected_chapters = work.chapter_count
        fields.append("expected_chapters")
    work.save(update_fields=fields)


def _set_tags(work: Work, data: WorkData) -> None:
    """Make the work's own tags exactly the form's (rating included).

    Tags the analysis suggested are reviewed by this too: one the creator lists is accepted,
    an accepted one they took off is rejected (so it is not suggested again).
    """
    wanted = [(TagType.RATING, data.rating)] + [
        (tag_type, name) for tag_type, _ in TAG_FIELDS for name in data.tags.get(tag_type, [])
    ]
    rows = archive_actions._tags([(str(t), n) for t, n in wanted])
    wanted_ids = []
    for tag_type, name in wanted:
        tag = rows[(str(tag_type), name[:300])]
        if tag.pk not in wanted_ids:
            wanted_ids.append(tag.pk)
    existing = {wt.tag_id: wt for wt in WorkTag.objects.filter(work=work)}
    for tag_id, work_tag in existing.items():
        if tag_id in wanted_ids:
            continue
        if work_tag.source == WorkTag.Source.ANALYSIS:
            if work_tag.status == WorkTag.Status.ACCEPTED:
                work_tag.status = WorkTag.Status.REJECTED
                work_tag.save(update_fields=["status"])
        else:
            work_tag.delete()
    for position, tag_id in enumerate(wanted_ids):
        work_tag = existing.get(tag_id)
        if work_tag is None:
            WorkTag.objects.create(
                work=work, tag_id=tag_id, source=WorkTag.Source.CREATOR, position=position
            )
        elif work_tag.status != WorkTag.Status.ACCEPTED or work_tag.position != position:
            work_tag.status = WorkTag.Status.ACCEPTED
            work_tag.position = position
            work_tag.save(update_fields=["status", "position"])


def _set_creators(work: Work, data: WorkData, user) -> None:
    """The user's own pseuds on the work become the chosen ones; co-creators are invited.

    Other users are never credited without their consent: each co-creator gets an invitation
    in their inbox and appears on the work once they accept. Co-creators already credited stay.
    """
    mine = user_pseuds(user)
    Creatorship.objects.filter(work=work, pseud__in=mine).exclude(pseud__in=data.pseuds).delete()
    position = (work.creatorships.aggregate(m=Max("position"))["m"] or -1) + 1
    for pseud in data.pseuds:
        _, created = Creatorship.objects.get_or_create(
            work=work, pseud=pseud, defaults={"position": position}
        )
        position += created
    credited = set(work.creatorships.values_list("pseud_id", flat=True))
    invited = [p if isinstance(p, Pseud) else default_pseud(p) for p in data.co_creators]
    for pseud in dict.fromkeys(invited):
        if pseud.pk in credited or pseud.creator.user_id in (None, user.pk):
            continue
        if blocks(pseud.creator.user, user):
            raise ValidationError(f"{pseud.name} cannot be invited as a co-creator.")
        invitation, created = CoCreatorInvitation.objects.get_or_create(
            work=work, pseud=pseud, defaults={"invited_by": user}
        )
        if created:
            from ficarchive.community.actions import notify_invitation

            notify_invitation(pseud.creator.user, work)


def invitations_for(user):
    """The co-creator invitations waiting for this user's answer."""
    if not user.is_authenticated:
        return CoCreatorInvitation.objects.none()
    return CoCreatorInvitation.objects.filter(pseud__creator__user=user).select_related(
        "work", "pseud", "invited_by"
    )


def answer_invitation(user, invitation: CoCreatorInvitation, accept: bool) -> None:
    """Accept (the pseud is credited on the work, last) or decline a co-creator invitation."""
    if not user.is_authenticated or invitation.pseud.creator.user_id != user.pk:
        raise PermissionDenied("This invitation is for someone else.")
    with transaction.atomic():
        if accept:
            work = invitation.work
            position = (work.creatorships.aggregate(m=Max("position"))["m"] or 0) + 1
            Creatorship.objects.get_or_create(
                work=work, pseud=invitation.pseud, defaults={"position": position}
            )
        invitation.delete()


def _set_series(work: Work, data: WorkData, user) -> None:
    series = data.series
    if series is None and data.new_series.strip():
        series = Series.objects.create(title=" ".join(data.new_series.split())[:500], owner=user)
    if series is None:
        return
    if not SeriesWork.objects.filter(series=series, work=work).exists():
        last = SeriesWork.objects.filter(series=series).aggregate(m=Max("position"))["m"] or 0
        SeriesWork.objects.create(series=series, work=work, position=last + 1)


def _work_fields(data: WorkData) -> dict:
    title = " ".join(data.title.split())[:500]
    if not title:
        raise ValidationError("A work needs a title.")
    return {
        "title": title,
        "title_missing": False,
        "summary_html": render_posted(data.summary, data.markup),
        "notes_html": render_posted(data.notes, data.markup),
        "end_notes_html": render_posted(data.end_notes, data.markup),
        "rating": data.rating,
        "language": data.language,
        "complete": data.complete,
        "expected_chapters": data.expected_chapters,
        "restricted": bool(data.restricted),
    }


EARLIEST_PUBLISHED = dt.date(1900, 1, 1)


def check_published(published: dt.date | None) -> None:
    """A backdate is today or earlier, and from 1900 on (earlier is surely a typo)."""
    if published is None:
        return
    today = timezone.localdate()
    if published > today:
        raise ValidationError(
            f"A work cannot be published in the future: give today ({today:%Y-%m-%d}) or "
            "an earlier date, or leave it empty."
        )
    if published < EARLIEST_PUBLISHED:
        raise ValidationError(
            f"Give a date from {EARLIEST_PUBLISHED:%Y-%m-%d} on; “{published:%Y-%m-%d}” is "
            "too early to be right."
        )


# --- Gifts --------------------------------------------------------------------------------------


def pseuds_named(name: str) -> list[Pseud]:
    """Users' pseuds (not imported creators') a typed name means: its address name, else its
    name in any case (several users may write under one name)."""
    linked = Pseud.objects.filter(creator__user__isnull=False).select_related("creator")
    return list(linked.filter(slug=name) or linked.filter(name__iexact=name))


def find_recipient(name: str):
    """The user a gift's name means (their username, or a pseud only they use), or None."""
    from django.contrib.auth import get_user_model

    name = " ".join(name.split())
    user = get_user_model().objects.filter(username__iexact=name, is_active=True).first()
    if user is not None:
        return user
    users = {p.creator.user_id for p in pseuds_named(name)}
    if len(users) == 1:
        return get_user_model().objects.filter(pk=users.pop(), is_active=True).first()
    return None


def _set_gifts(work: Work, recipients: list, user) -> None:
    """The work's gifts become exactly these; each new user recipient is told in their inbox.

    A refused gift stays refused (listing its recipient again does not give it again); a
    recipient taken off the list loses the gift.
    """
    from ficarchive.community.actions import notify_gift

    existing = list(work.gifts.all())
    by_user = {g.recipient_id: g for g in existing if g.recipient_id}
    by_name = {g.recipient_name.casefold(): g for g in existing if not g.recipient_id}
    kept: set[int] = set()
    for recipient in recipients:
        if isinstance(recipient, str):
            name = " ".join(recipient.split())[:100]
            gift = by_name.get(name.casefold())
            if gift is None:
                gift = Gift.objects.create(work=work, recipient_name=name)
        else:
            if recipient.pk == user.pk:
                raise ValidationError("A work cannot be a gift to yourself.")
            gift = by_user.get(recipient.pk)
            if gift is None:
                gift = Gift.objects.create(
                    work=work, recipient=recipient, recipient_name=recipient.get_username()
                )
                notify_gift(recipient, work)
        kept.add(gift.pk)
    work.gifts.exclude(pk__in=kept).filter(refused_at__isnull=True).delete()


def gifts_of(work: Work) -> list[Gift]:
    """Whom the work is for (refused gifts left out), in the order given."""
    return list(work.gifts.filter(refused_at__isnull=True).select_related("recipient"))


def gifts_received(recipient, viewer) -> list[tuple[Work, Gift]]:
    """(work, gift) for the works given to `recipient` and not refused, newest gift first, as
    this viewer may see them (no restricted works for anonymous visitors)."""
    from ficarchive.archive.blurbs import blurb_queryset

    gifts = list(
        Gift.objects.filter(recipient=recipient, refused_at__isnull=True).order_by(
            "-created_at", "-id"
        )
    )
    works = blurb_queryset(viewer=viewer).in_bulk([g.work_id for g in gifts])
    return [(works[g.work_id], g) for g in gifts if g.work_id in works]


def refuse_gift(user, gift: Gift) -> Gift:
    """The recipient refuses a gift: the work no longer says it is for them."""
    if not user.is_authenticated or gift.recipient_id != user.pk:
        raise PermissionDenied("Only the gift's recipient can refuse it.")
    with transaction.atomic():
        if gift.refused_at is None:
            gift.refused_at = timezone.now()
            gift.save(update_fields=["refused_at"])
    return gift


def post_work(user, data: WorkData, first: ChapterData, *, analyse: bool = True) -> Work:
    """Post a new work with its first chapter; it is public (and searchable) at once."""
    _require_poster(user)
    _check_pseuds(user, data)
    check_published(data.published)
    chapter_fields = _chapter_fields(first)
    analysis = None
    if analyse:
        # Outside the transaction, as on import: the slow part must not hold the write lock.
        parsed = _parsed(data.title, [chapter_fields["body_text"]], data.language)
        try:
            analysis = analyse_work(parsed)
        except Exception:  # suggestions only: a bug in the analysis must not lose the post
            log.exception("analysing the posted work %r failed; posting it without", data.title)
    published = data.published or timezone.localdate()
    with transaction.atomic():
        work = Work.objects.create(
            **_work_fields(data),
            published=published,
            updated=published,
            # Posted works change; imports are recognised by their text. A posted work's hash
            # only has to be unique (two people may well post the same short text).
            content_hash=f"posted:{uuid.uuid4().hex}",
        )
        _set_creators(work, data, user)
        _set_tags(work, data)
        Chapter.objects.create(work=work, position=1, **chapter_fields)
        _refresh_totals(work, touched=False)  # updated is the published date, maybe a backdate
        _set_series(work, data, user)
        _set_gifts(work, data.gifts, user)
        if analysis is not None:
            archive_actions._store_analysis(work, analysis)
        remember_posting_markup(user, first.markup)
        from ficarchive.community.actions import notify_new_work

        notify_new_work(work, author=user)
    return work


def update_work(user, work: Work, data: WorkData) -> Work:
    """Change the work's details and tags (its chapters are edited one by one)."""
    _require_owner(user, work)
    _check_pseuds(user, data)
    check_published(data.published)
    with transaction.atomic():
        for name, value in _work_fields(data).items():
            setattr(work, name, value)
        if data.published is not None and data.published != work.published:
            work.published = data.published
            # A one-shot was last updated when it was published; a longer work keeps its last
            # update unless that would come before the new published date.
            if work.chapter_count <= 1 or (work.updated or data.published) < data.published:
                work.updated = data.published
        work.save()
        _set_creators(work, data, user)
        _set_tags(work, data)
        _refresh_totals(work, touched=False)
        _set_series(work, data, user)
        _set_gifts(work, data.gifts, user)
    return work


def delete_work(user, work: Work) -> None:
    """Its creators, or an archivist (moderation), delete a work and everything on it."""
    if not can_delete_work(user, work):
        raise PermissionDenied("Only the work's creators (or an archivist) can delete it.")
    with transaction.atomic():
        if not can_edit_work(user, work):  # an archivist's deletion, not its creator's
            record(user, "deleted", work)
        work.delete()


def add_chapter(user, work: Work, data: ChapterData) -> Chapter:
    """A new last chapter; the work's and its creators' subscribers hear of it in their inbox."""
    _require_owner(user, work)
    _require_poster(user)
    fields = _chapter_fields(data)
    with transaction.atomic():
        last = work.chapters.aggregate(m=Max("position"))["m"] or 0
        chapter = Chapter.objects.create(work=work, position=last + 1, **fields)
        _refresh_totals(work)
        remember_posting_markup(user, data.markup)
        from ficarchive.community.actions import notify_new_chapter

        notify_new_chapter(work, chapter, author=user)
    return chapter


def update_chapter(user, chapter: Chapter, data: ChapterData) -> Chapter:
    _require_owner(user, chapter.work)
    fields = _chapter_fields(data)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(chapter, name, value)
        chapter.save()
        _refresh_totals(chapter.work)
    return chapter


def delete_chapter(user, chapter: Chapter) -> None:
    """Delete a chapter (never the only one: delete the work instead); the rest renumber."""
    work = chapter.work
    _require_owner(user, work)
    with transaction.atomic():
        if work.chapters.count() <= 1:
            raise ValidationError("A work needs a chapter: delete the work instead.")
        chapter.delete()  # its comments go with it
        _renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
        _refresh_totals(work)
        from ficarchive.community.actions import recount_works

        recount_works([work.pk])


def reorder_chapters(user, work: Work, order: list[int]) -> None:
    """Put the chapters in this order (a list of all the work's chapter ids)."""
    _require_owner(user, work)
    current = set(work.chapters.values_list("pk", flat=True))
    if sorted(order) != sorted(current) or len(order) != len(set(order)):
        raise ValidationError("List every chapter of the work exactly once.")
    with transaction.atomic():
        _renumber(work, order)
        _refresh_totals(work, touched=False)


def _renumber(work: Work, order: list[int]) -> None:
    # Two passes, so no two chapters share a position in between (a unique constraint).
    offset = len(order) + 1000
    chapters = {c.pk: c for c in work.chapters.all()}
    for position, pk in enumerate(order, start=1):
        chapter = chapters[pk]
        chapter.position = position + offset
        chapter.save(update_fields=["position"])
    for position, pk in enumerate(order, start=1):
        chapter = chapters[pk]
        chapter.position = position
        chapter.save(update_fields=["position"])


def update_series(
    user, series: Series, *, title: str, summary: str = "", markup: str = "html", complete=False
) -> Series:
    """Its owner renames a series, describes it, or marks it complete."""
    if not user.is_authenticated or series.owner_id != user.pk:
        raise PermissionDenied("Only the series' owner can change it.")
    title = " ".join(title.split())[:500]
    if not title:
        raise ValidationError("A series needs a title.")
    with transaction.atomic():
        series.title = title
        series.summary_html = render_posted(summary, markup)
        series.complete = bool(complete)
        series.save()
    return series


# --- Drafts -------------------------------------------------------------------------------------


def save_draft(user, data: dict, draft: Draft | None = None) -> Draft:
    """Keep the form as it is, unposted; only its owner can open it."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to save drafts.")
    if draft is not None and draft.user_id != user.pk:
        raise PermissionDenied("This is not your draft.")
    title = " ".join(
        str(
            data.get("title", [""])[0]
            if isinstance(data.get("title"), list)
            else data.get("title", "")
        ).split()
    )[:500]
    with transaction.atomic():
        if draft is None:
            draft = Draft.objects.create(user=user, title=title, data=data)
        else:
            draft.title, draft.data = title, data
            draft.save()
    return draft


def delete_draft(user, draft: Draft) -> None:
    if draft.user_id != user.pk:
        raise PermissionDenied("This is not your draft.")
    with transaction.atomic():
        draft.delete()


# --- Suggestions on the form --------------------------------------------------------------------


def _parsed(title: str, texts: list[str], language: str, tags=()) -> ParsedWork:
    return ParsedWork(
        title=title,
        language=language,
        tags=list(tags),
        chapters=[
            ParsedChapter(
                number=n,
                title="",
                blocks=[
                    Block(kind="break")
                    if part.strip() == "* * *"
                    else Block(html=html.escape(part))
                    for part in text.split("\n\n")
                    if part.strip()
                ],
            )
            for n, text in enumerate(texts, start=1)
        ],
    )


def form_suggestions(
    title: str, text: str, markup: str, language: str, tags: dict[str, list[str]]
) -> list[tuple[str, str, int]]:
    """(type, tag name, confidence %) the analysis suggests for a work being written.

    Fandoms, relationships and characters, minus what the form already lists (in any case,
    or a character without the fandom's disambiguator), for the writer to accept in one click.
    """
    body = plain_text(render_posted(text, markup))
    if not body.strip():
        return []
    existing = [ParsedTag(TagType(t), n) for t, names in tags.items() for n in names]
    analysis = analyse_work(_parsed(title, [body], language, existing))
    taken = {(str(t.type), tagging.tag_key(t.type, t.name)) for t in existing}
    out = []
    for tag_type, name, confidence in tagging.suggested_tags(analysis):
        key = (str(tag_type), tagging.tag_key(tag_type, name))
        if key not in taken:
            taken.add(key)
            out.append((str(tag_type), name, round(100 * confidence)))
    return out


def autocomplete_tags(tag_type: str, prefix: str, limit: int = 10) -> list[str]:
    """Tag names for the form's autocomplete: canonical tags first, then others in use."""
    prefix = " ".join(prefix.split())
    if len(prefix) < 2 or tag_type not in Tag.Type.values:
        return []
    found = (
        Tag.objects.filter(type=tag_type, merger__isnull=True, name__icontains=prefix)
        .order_by("-canonical", "name")
        .values_list("name", flat=True)[:limit]
    )
    return list(found)
