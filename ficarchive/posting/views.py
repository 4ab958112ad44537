"""Posting pages: the new-work form (preview, draft, one-click suggestions), editing works and
chapters, reordering, deleting, a writer's dashboard and series pages. Thin views over
`posting.actions`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ficarchive.accounts import throttle
from ficarchive.accounts.actions import default_pseud, posting_markup, user_pseuds
from ficarchive.accounts.permissions import UNCONFIRMED, can_delete_work, can_edit_work, can_post
from ficarchive.archive.models import Chapter, Series, Tag, Work, WorkTag
from ficarchive.archive.sanitize import render_posted
from ficarchive.archive.views import _error_page, blurb_queryset
from ficarchive.text.model import TagType

from . import actions
from .forms import ChapterForm, NewWorkForm, SeriesForm, WorkForm
from .models import Draft, Gift

FIELD_OF_TYPE = {str(t): name for t, name in actions.TAG_FIELDS}


def _forbidden(request: HttpRequest, message: str, back: str) -> HttpResponse:
    return _error_page(request, 403, message, back)


def _own_work(request: HttpRequest, work_id: int) -> Work:
    work = get_object_or_404(Work, pk=work_id)
    if not can_edit_work(request.user, work):
        raise PermissionDenied("Only the work's creators can change it.")
    return work


def _preview(data: dict, chapter: bool = True, work: bool = True) -> dict:
    """The sanitised HTML a preview shows (the same rendering posting stores)."""
    markup = data.get("markup", "html")
    out = {}
    if work:
        out.update(
            title=data.get("title", ""),
            summary_html=render_posted(data.get("summary", ""), markup),
            notes_html=render_posted(data.get("notes", ""), markup),
            end_notes_html=render_posted(data.get("end_notes", ""), markup),
            tags=[(Tag.Type(t).label, data.get(name) or []) for t, name in actions.TAG_FIELDS],
            rating=data.get("rating", ""),
        )
    if chapter:
        out.update(
            chapter_title=data.get("chapter_title", ""),
            chapter_summary_html=render_posted(data.get("chapter_summary", ""), markup),
            chapter_notes_html=render_posted(data.get("chapter_notes", ""), markup),
            chapter_html=render_posted(data.get("chapter_text", ""), markup),
            chapter_end_notes_html=render_posted(data.get("chapter_end_notes", ""), markup),
        )
    return out


def _accept_suggestion(post: QueryDict) -> tuple[QueryDict, str]:
    """The form's data with one suggested tag (the clicked button's "type|name") added."""
    data = post.copy()
    tag_type, _, name = post.get("accept", "").partition("|")
    field = FIELD_OF_TYPE.get(tag_type)
    if field and name.strip():
        current = data.get(field, "").strip().rstrip(",")
        data[field] = f"{current}, {name}" if current else name
        return data, name
    return data, ""


def _suggestions(form) -> list[tuple[str, str, int]]:
    data = form.cleaned_data
    try:
        return actions.form_suggestions(
            data.get("title", ""),
            data.get("chapter_text", ""),
            data.get("markup", "html"),
            data.get("language", "en"),
            {str(t): data.get(name) or [] for t, name in actions.TAG_FIELDS},
        )
    except Exception:  # suggestions are a help; a failure must not cost the writer the form
        return []


def _draft_initial(draft: Draft, form_class) -> dict:
    multiple = {
        name
        for name, f in form_class.base_fields.items()
        if hasattr(f, "queryset") and f.__class__.__name__.startswith("ModelMultiple")
    }
    multiple |= {"warnings", "categories"}
    initial = {}
    for name, values in draft.data.items():
        values = values if isinstance(values, list) else [values]
        initial[name] = values if name in multiple else (values[0] if values else "")
    return initial


@login_required
def new_work(request: HttpRequest) -> HttpResponse:
    draft = None
    if request.GET.get("draft"):
        if not request.GET["draft"].isdigit():
            raise Http404("There is no such draft.")
        draft = get_object_or_404(Draft, pk=request.GET["draft"], user=request.user)
    context: dict = {"draft": draft, "heading": "Post new work", "new": True}
    if not can_post(request.user):
        messages.warning(request, UNCONFIRMED)
    default_pseud(request.user)  # an account made without one (createsuperuser) posts too
    if request.method != "POST":
        initial = _draft_initial(draft, NewWorkForm) if draft else {}
        context["form"] = NewWorkForm(user=request.user, initial=initial)
        return render(request, "posting/work_form.html", context)

    post = request.POST
    accepted = ""
    if "accept" in post:
        post, accepted = _accept_suggestion(post)
    if "save_draft" in post:
        data = {k: v for k, v in post.lists() if k not in ("csrfmiddlewaretoken", "save_draft")}
        draft = actions.save_draft(request.user, data, draft)
        messages.success(request, f"Draft saved: “{draft}”. Only you can see it.")
        return redirect("posting:dashboard")
    form = NewWorkForm(post, user=request.user)
    context["form"] = form
    if form.is_valid():
        if "post" in post and not throttle.allow("post", f"user:{request.user.pk}"):
            return _error_page(request, 429, "You are posting very fast; wait a while.", "/")
        if "post" in post:
            try:
                work = actions.post_work(request.user, form.work_data(), form.chapter_data())
            except ValidationError as exc:
                form.add_error("chapter_text", " ".join(exc.messages))
            except PermissionDenied as exc:
                return _forbidden(request, str(exc), request.path)
            else:
                if draft:
                    actions.delete_draft(request.user, draft)
                messages.success(request, "Work posted.")
                return redirect(work)
        context["preview"] = _preview(form.cleaned_data)
        context["suggestions"] = _suggestions(form)
        if accepted:
            messages.info(request, f"Added “{accepted}”.")
    return render(request, "posting/work_form.html", context)


def _work_initial(work: Work, user) -> dict:
    mine = set(user_pseuds(user).values_list("pk", flat=True))
    creatorships = list(work.creatorships.select_related("pseud"))
    tags: dict[str, list[str]] = {}
    for work_tag in work.work_tags.filter(status=WorkTag.Status.ACCEPTED).select_related("tag"):
        tags.setdefault(work_tag.tag.type, []).append(work_tag.tag.name)
    series = work.series_parts.filter(series__owner=user).first()
    return {
        "title": work.title,
        "pseuds": [c.pseud_id for c in creatorships if c.pseud_id in mine],
        "co_creators": ", ".join(c.pseud.slug for c in creatorships if c.pseud_id not in mine),
        "rating": work.rating or "Not Rated",
        "warnings": tags.get(TagType.WARNING, []),
        "categories": tags.get(TagType.CATEGORY, []),
        **{
            name: ", ".join(tags.get(str(t), []))
            for t, name in actions.TAG_FIELDS
            if name not in ("warnings", "categories")
        },
        "summary": work.summary_html,
        "notes": work.notes_html,
        "end_notes": work.end_notes_html,
        "language": work.language or "en",
        "complete": bool(work.complete),
        "expected_chapters": work.expected_chapters,
        "series": series.series_id if series else None,
        "markup": "html",
        "published": work.published,
        "restricted": work.restricted,
        "gifts": ", ".join(g.display_name for g in actions.gifts_of(work)),
    }


@login_required
def edit_work(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = _own_work(request, work_id)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), f"/works/{work_id}/")
    form = WorkForm(
        request.POST or None, user=request.user, initial=_work_initial(work, request.user)
    )
    context = {"form": form, "work": work, "heading": f"Edit “{work.title}”", "new": False}
    if request.method == "POST" and form.is_valid():
        if "post" in request.POST:
            try:
                actions.update_work(request.user, work, form.work_data())
            except PermissionDenied as exc:
                return _forbidden(request, str(exc), work.get_absolute_url())
            messages.success(request, "Work updated.")
            return redirect(work)
        context["preview"] = _preview(form.cleaned_data, chapter=False)
    return render(request, "posting/work_form.html", context)


def delete_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    if not request.user.is_authenticated:
        return redirect("login")
    if request.method == "POST":
        try:
            actions.delete_work(request.user, work)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc), work.get_absolute_url())
        messages.success(request, f"Deleted “{work.title}”.")
        return redirect("posting:dashboard")
    if not can_delete_work(request.user, work):
        return _forbidden(
            request, "Only the work's creators can delete it.", work.get_absolute_url()
        )
    return render(request, "posting/confirm_delete.html", {"work": work})


def _chapter_initial(chapter: Chapter) -> dict:
    return {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary_html,
        "chapter_notes": chapter.notes_html,
        "chapter_text": chapter.body_html,
        "chapter_end_notes": chapter.end_notes_html,
        "markup": "html",
    }


@login_required
def chapter_form(request: HttpRequest, work_id: int, position: int | None = None) -> HttpResponse:
    """Add a chapter (no position) or edit one, with a preview."""
    try:
        work = _own_work(request, work_id)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), f"/works/{work_id}/")
    chapter = get_object_or_404(Chapter, work=work, position=position) if position else None
    initial = _chapter_initial(chapter) if chapter else {"markup": posting_markup(request.user)}
    form = ChapterForm(request.POST or None, initial=initial)
    heading = f"Edit chapter {position}" if chapter else f"Add chapter {work.chapter_count + 1}"
    context = {"form": form, "work": work, "chapter": chapter, "heading": heading}
    if request.method == "POST" and form.is_valid():
        if "post" in request.POST:
            try:
                if chapter:
                    saved = actions.update_chapter(request.user, chapter, form.chapter_data())
                else:
                    saved = actions.add_chapter(request.user, work, form.chapter_data())
            except ValidationError as exc:
                form.add_error("chapter_text", " ".join(exc.messages))
            except PermissionDenied as exc:
                return _forbidden(request, str(exc), work.get_absolute_url())
            else:
                messages.success(request, "Chapter saved.")
                return redirect(saved)
        context["preview"] = _preview(form.cleaned_data, work=False)
    return render(request, "posting/chapter_form.html", context)


@require_POST
def delete_chapter(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    chapter = get_object_or_404(
        Chapter.objects.select_related("work"), work_id=work_id, position=position
    )
    try:
        actions.delete_chapter(request.user, chapter)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), chapter.work.get_absolute_url())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(chapter.work)
    messages.success(request, f"Deleted chapter {position}.")
    return redirect(chapter.work)


@login_required
def reorder_chapters(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = _own_work(request, work_id)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), f"/works/{work_id}/")
    chapters = list(work.chapters.all())
    error = ""
    if request.method == "POST":
        try:
            wanted = sorted(
                chapters,
                key=lambda c: (float(request.POST.get(f"position-{c.pk}", "")), c.position),
            )
        except ValueError:
            error = "Give every chapter a number."
        else:
            try:
                actions.reorder_chapters(request.user, work, [c.pk for c in wanted])
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, "Chapters reordered.")
                return redirect(work)
    return render(
        request,
        "posting/reorder.html",
        {"work": work, "chapters": chapters, "error": error},
        status=400 if error else 200,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    pseuds = user_pseuds(request.user)
    works = blurb_queryset(viewer=request.user).filter(pseuds__in=pseuds).distinct()
    return render(
        request,
        "posting/dashboard.html",
        {
            "works": works,
            "drafts": Draft.objects.filter(user=request.user),
            "series": Series.objects.filter(owner=request.user),
        },
    )


@require_POST
@login_required
def delete_draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(Draft, pk=draft_id, user=request.user)
    actions.delete_draft(request.user, draft)
    messages.success(request, "Draft deleted.")
    return redirect("posting:dashboard")


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    parts = list(series.parts.select_related("work"))
    works = blurb_queryset(viewer=request.user).in_bulk([p.work_id for p in parts])
    rows = [(p, works[p.work_id]) for p in parts if p.work_id in works]
    return render(request, "posting/series.html", {"series": series, "rows": rows})


@login_required
def edit_series(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    if series.owner_id != request.user.pk:
        return _forbidden(
            request, "Only the series' owner can change it.", series.get_absolute_url()
        )
    initial = {"title": series.title, "summary": series.summary_html, "complete": series.complete}
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_series(
                request.user,
                series,
                title=data["title"],
                summary=data["summary"],
                markup=data["markup"],
                complete=data["complete"],
            )
        except ValidationError as exc:
            form.add_error("title", " ".join(exc.messages))
        else:
            messages.success(request, "Series saved.")
            return redirect(series)
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "heading": f"Edit the series “{series.title}”", "button": "Save series"},
    )


@require_POST
def refuse_gift(request: HttpRequest, gift_id: int) -> HttpResponse:
    """The recipient refuses a gift (the button on their profile and on the work)."""
    if not request.user.is_authenticated:
        return redirect("login")
    gift = get_object_or_404(Gift, pk=gift_id, recipient=request.user)  # others': not found
    actions.refuse_gift(request.user, gift)
    messages.success(request, f"Refused the gift of “{gift.work.title}”.")
    return redirect(reverse("accounts:profile", args=[request.user.get_username()]) + "#gifts")


@require_POST
def answer_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Accept or decline being credited as a co-creator (the buttons in the inbox)."""
    if not request.user.is_authenticated:
        return redirect("login")
    invitation = get_object_or_404(
        actions.invitations_for(request.user), pk=invitation_id
    )  # someone else's invitation is not found
    accept = request.POST.get("answer") == "accept"
    actions.answer_invitation(request.user, invitation, accept)
    title = invitation.work.title
    if accept:
        messages.success(request, f"You are now credited on “{title}”.")
        return redirect(invitation.work)
    messages.success(request, f"Declined the invitation to “{title}”.")
    return redirect("community:inbox")


def autocomplete(request: HttpRequest) -> JsonResponse:
    """Tag names for the posting form: ?type=character&q=spi -> {"tags": [...]}."""
    names = actions.autocomplete_tags(request.GET.get("type", ""), request.GET.get("q", "")[:100])
    return JsonResponse({"tags": names})
