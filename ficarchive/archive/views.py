"""Reading site: thin views over the models; user-caused errors are 4xx pages, never tracebacks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.permissions import (
    can_open,
    can_read,
    can_review_suggestions,
    readable_chapters,
)
from ficarchive.accounts.preferences import ReadingPreferences, preferences_of
from ficarchive.analysis.analyse import ANALYSED_LANGUAGES
from ficarchive.community.actions import record_visit
from ficarchive.community.blocking import muted_work_ids

from . import actions, adult
from .audience import ALL_READERS
from .blurbs import blurb_queryset
from .models import Chapter, Pseud, Tag, Work, WorkTag, visible_canonical_uses

PAGE_SIZE = 20


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """The requested page; a page number that is not a number or is past the end is a 404 page."""
    paginator = Paginator(queryset, PAGE_SIZE)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise Http404(
            f"“{number[:40]}” is not a page number; pages are numbered 1, 2, 3 …"
        ) from None
    except EmptyPage:
        pages = paginator.num_pages
        raise Http404(
            f"There is no page {number[:40]} of this list; it has {pages} page{pluralize(pages)}."
        ) from None


def home(request: HttpRequest) -> HttpResponse:
    works = list(blurb_queryset(viewer=request.user)[:10])
    muted = muted_work_ids(request.user, [w.pk for w in works])
    works = [w for w in works if w.pk not in muted]
    total = Work.objects.readable_by(request.user).count()
    return render(request, "archive/home.html", {"works": works, "total": total})


class LoginToRead(Exception):
    """The work is for logged-in users only and the visitor is not logged in."""


def _work(request: HttpRequest, work_id: int) -> Work:
    """The work to show; a hidden one only to its creators and archivists (a 404 to others).

    A work for logged-in users only raises `LoginToRead` for anonymous visitors (`archive.audience`).
    """
    work = get_object_or_404(blurb_queryset(include_hidden=True, viewer=ALL_READERS), pk=work_id)
    if not can_open(request.user, work):
        raise Http404(f"There is no work {work_id}.")
    if not can_read(request.user, work):
        raise LoginToRead
    return work


def login_to_read(request: HttpRequest) -> HttpResponse:
    """What an anonymous visitor sees at a restricted work's address: nothing of it, a way in."""
    return render(
        request, "archive/login_to_read.html", {"next": request.get_full_path()}, status=403
    )


def _suggestions(request: HttpRequest, work: Work, preferences: ReadingPreferences) -> dict:
    """The analysis's tag suggestions for the work page: only for `can_review_suggestions` (its
    creators and archivists, unless they turned them off), pending and decided ones both, so
    a decision can be changed."""
    shown = preferences.show_suggestions and can_review_suggestions(request.user, work)
    by_status: dict[str, list[WorkTag]] = {s: [] for s in WorkTag.Status.values}
    if shown:
        suggested = WorkTag.objects.filter(
            work=work, source=WorkTag.Source.ANALYSIS
        ).select_related("tag")
        for work_tag in suggested:
            by_status[work_tag.status].append(work_tag)
    return {
        # Those who see them are those who review them (`permissions.can_review_suggestions`, which
        # the review action checks again): no second query for the buttons.
        "can_review": shown,
        "suggestions": by_status[WorkTag.Status.PENDING],
        "reviewed": by_status[WorkTag.Status.ACCEPTED] + by_status[WorkTag.Status.REJECTED],
        "not_analysed": bool(work.language) and work.language not in ANALYSED_LANGUAGES,
    }


def _adult_prompt(request: HttpRequest, work: Work) -> HttpResponse:
    """The question asked before a work that could have adult content (see `archive.adult`)."""
    return render(
        request, "archive/adult_prompt.html", {"work": work, "next": request.get_full_path()}
    )


def _entire_work_asked(request: HttpRequest) -> bool:
    return request.GET.get("view_full_work", "") in ("1", "true")


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    """The whole work on one page, or its first chapter for readers who read chapter by chapter
    (`?view_full_work=true` shows it whole anyway: the "Entire work" link)."""
    try:
        work = _work(request, work_id)
    except LoginToRead:
        return login_to_read(request)
    preferences = preferences_of(request.user)
    if (
        work.chapter_count > 1
        and not preferences.view_entire_work
        and not _entire_work_asked(request)
    ):
        first = readable_chapters(request.user, work).only("position", "work_id").first()
        if first is not None:
            return redirect(first)
    if adult.must_ask(request, work, preferences):
        return _adult_prompt(request, work)
    record_visit(request, work)
    chapters = list(readable_chapters(request.user, work))
    return render(
        request,
        "archive/work.html",
        {
            "work": work,
            "chapters": chapters,
            "index": chapters,
            "full": True,
            "opening": True,
            "preferences": preferences,
            **_suggestions(request, work, preferences),
        },
    )


def chapter_detail(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    """One chapter; the work's summary and notes only on the first (its own notes on each)."""
    try:
        work = _work(request, work_id)
    except LoginToRead:
        return login_to_read(request)
    readable = readable_chapters(request.user, work)
    index = list(readable.only("id", "position", "title", "work_id", "hidden_at"))
    chapter = get_object_or_404(readable, position=position)
    preferences = preferences_of(request.user)
    if adult.must_ask(request, work, preferences):
        return _adult_prompt(request, work)
    record_visit(request, work)
    at = next(i for i, c in enumerate(index) if c.position == position)
    context = {
        "work": work,
        "chapters": [chapter],
        "index": index,
        "full": False,
        "current": position,
        "opening": at == 0,  # the work's summary and notes show here
        "previous": index[at - 1] if at > 0 else None,
        "next": index[at + 1] if at + 1 < len(index) else None,
        "preferences": preferences,
        **_suggestions(request, work, preferences),
    }
    return render(request, "archive/work.html", context)


@require_POST
def adult_consent(request: HttpRequest, work_id: int) -> HttpResponse:
    """Proceed on the adult-content question: remembered for this session, then the page asked for."""
    adult.remember_consent(request)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("archive:work", args=[work_id])
    return redirect(next_url)


def chapter_jump(request: HttpRequest, work_id: int) -> HttpResponse:
    """The chapter index form's target (it works without JavaScript): redirect to the chapter."""
    try:
        position = int(request.GET.get("chapter", "1"))
    except ValueError:
        raise Http404("Choose a chapter from the list.") from None
    chapter = get_object_or_404(Chapter.objects.visible(), work_id=work_id, position=position)
    return redirect(chapter)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])


def _error_page(request: HttpRequest, status: int, message: str, back: str) -> HttpResponse:
    headings = {400: "Bad request", 403: "Not allowed", 429: "Too many requests"}
    return render(
        request,
        "archive/error.html",
        {"heading": headings[status], "message": message, "back": back},
        status=status,
    )


@require_POST
def review_suggestion(request: HttpRequest, work_id: int, work_tag_id: int) -> HttpResponse:
    """Accept or reject one suggested tag (the buttons on the work page), then back to the work."""
    work_url = reverse("archive:work", args=[work_id])
    if not request.user.is_authenticated:
        # Come back to the work page after logging in: this address only takes POSTs.
        return redirect_to_login(work_url)
    work_tag = get_object_or_404(
        WorkTag.objects.select_related("work", "tag"),
        pk=work_tag_id,
        work_id=work_id,
        source=WorkTag.Source.ANALYSIS,
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        message = (
            "Choose Accept or Reject for the suggested tag (decision=accept or decision=reject)."
        )
        return _error_page(request, 400, message, work_url)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        actions.review_suggestion(work_tag, request.user, accept=accept)
    except PermissionDenied as exc:
        message = f"{exc} If this is your work, ask an archivist to link your creator name to your account."
        return _error_page(request, 403, message, work_url)
    name = work_tag.tag.name
    if accept:
        messages.success(request, f"Accepted “{name}”: it is now one of the work's tags.")
    else:
        messages.success(request, f"Rejected “{name}”: it is no longer suggested.")
    return redirect(f"{work_url}#suggestions")


def creator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pseud = get_object_or_404(Pseud, slug=slug)
    page = paginate(request, blurb_queryset(viewer=request.user).filter(pseuds=pseud))
    return render(
        request,
        "archive/work_list.html",
        {
            "page": page,
            "heading": f"Works by {pseud.name}",
            "pseud": pseud,
            "other_pseuds": pseud.creator.pseuds.exclude(pk=pseud.pk),
        },
    )


def tag_index(request: HttpRequest, tag_type: str) -> HttpResponse:
    if tag_type not in Tag.Type.values:
        raise Http404("There is no such kind of tag.")

    tags = (
        Tag.objects.filter(type=tag_type, merger__isnull=True)
        .annotate(uses=visible_canonical_uses(request.user))
        .filter(uses__gt=0)
        .order_by("-uses", "name")
    )
    page = paginate(request, tags)
    return render(
        request, "archive/tag_list.html", {"page": page, "heading": Tag.plural_label(tag_type)}
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return redirect(static("archive/favicon.svg"), permanent=True)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception) if exception and isinstance(exception, Http404) and exception.args else ""
    )
    return render(request, "archive/404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "archive/500.html", status=500)
