"""The wrangling pages for archivists: an index of tag types, a list per type (unwrangled tags
first, with bulk actions on the ticked ones) and a page per tag. Thin views over `actions`."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ficarchive.accounts.permissions import can_wrangle
from ficarchive.archive.models import Tag, WorkTag
from ficarchive.archive.views import _error_page, paginate
from ficarchive.search import indexing

from . import actions
from .forms import BULK_ACTIONS, BulkForm, TagActionForm

SHOW = {
    "": ("All", Q()),
    "unwrangled": ("Unwrangled", Q(canonical=False, merger__isnull=True)),
    "canonical": ("Canonical", Q(canonical=True)),
    "synonym": ("Synonyms", Q(merger__isnull=False)),
}
UNWRANGLED = Q(canonical=False, merger__isnull=True)


def wrangler_required(view):
    """Visitors log in first; signed-in users who may not wrangle get a 403 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_wrangle(request.user):
            return _error_page(request, 403, "Only archivists can wrangle tags.", "")
        return view(request, *args, **kwargs)

    return wrapped


def _tag_type(tag_type: str) -> str:
    if tag_type not in Tag.Type.values:
        raise Http404(f"There is no tag type “{tag_type[:40]}”; the types are {', '.join(Tag.Type.values)}.")  # fmt: skip
    return tag_type


def _uses() -> Count:
    return Count("work_tags", filter=Q(work_tags__status=WorkTag.Status.ACCEPTED))


@wrangler_required
def index(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Tag.objects.filter(UNWRANGLED).values_list("type").annotate(n=Count("pk")).order_by()
    )
    types = [(t, Tag.plural_label(t), counts.get(t, 0)) for t in Tag.Type.values]
    return render(request, "wrangling/index.html", {"types": types, "pending": indexing.pending()})


@wrangler_required
def tag_list(request: HttpRequest, tag_type: str) -> HttpResponse:
    tag_type = _tag_type(tag_type)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = BulkForm(tag_type, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = actions.bulk(data["tag_list"], data["action"], data["target_tag"], by=request.user)  # fmt: skip
            except actions.WranglingError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, outcome.summary)
                return redirect(request.get_full_path())
        else:
            errors += [e for errs in form.errors.values() for e in errs]
        status = 400
    show = request.GET.get("show", "")
    if show not in SHOW:
        show = ""
    name = request.GET.get("q", "").strip()[:300]
    tags = (
        Tag.objects.filter(SHOW[show][1], type=tag_type)
        .annotate(
            uses=_uses(),
            state=Case(
                When(UNWRANGLED, then=Value(0)),
                When(canonical=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )  # fmt: skip
        .select_related("merger")
        .prefetch_related("meta_tags", "sub_tags", "fandoms")
        .order_by("state", Lower("name"), "pk")
    )
    if name:
        tags = tags.filter(name__icontains=name)
    context = {
        "tag_type": tag_type,
        "label": Tag.plural_label(tag_type),
        "page": paginate(request, tags),
        "show": show,
        "shows": [(k, label) for k, (label, _) in SHOW.items()],
        "q": name,
        "bulk_actions": [(k, label) for k, (label, _) in BULK_ACTIONS.items()],
        "errors": errors,
        "pending": indexing.pending(),
        "has_fandoms": tag_type in actions.FANDOM_MEMBER_TYPES,
    }
    return render(request, "wrangling/tag_list.html", context, status=status)


# Each action of a tag's page: (tag, the tag named in the form, the typed name, by).
RUN = {
    "canonical": lambda tag, target, name, by: actions.make_canonical(tag, by=by),
    "synonym": lambda tag, target, name, by: actions.make_synonym(tag, target, by=by),
    "rename": lambda tag, target, name, by: actions.rename(tag, name, by=by),
    "merge": lambda tag, target, name, by: actions.merge(tag, target, by=by),
    "add_meta": lambda tag, target, name, by: actions.add_metatag(tag, target, by=by),
    "add_sub": lambda tag, target, name, by: actions.add_metatag(target, tag, by=by),
    "remove_meta": lambda tag, target, name, by: actions.remove_metatag(tag, target, by=by),
    "fandom": lambda tag, target, name, by: actions.attach_fandom(tag, target, by=by),
    "remove_fandom": lambda tag, target, name, by: actions.detach_fandom(tag, target, by=by),
}


@wrangler_required
def tag_detail(request: HttpRequest, tag_type: str, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.select_related("merger"), type=_tag_type(tag_type), slug=slug)  # fmt: skip
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = TagActionForm(tag, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = RUN[data["action"]]
                outcome = run(tag, data["target_tag"], data["name"], request.user)
            except actions.WranglingError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, outcome.summary)
                if data["action"] == "merge":
                    tag = data["target_tag"]
                return redirect(reverse("wrangling:tag", args=[tag.type, tag.slug]))
        else:
            errors += [e for errs in form.errors.values() for e in errs]
        status = 400
        tag.refresh_from_db()
    uses = WorkTag.objects.filter(
        Q(tag=tag) | Q(tag__merger=tag), status=WorkTag.Status.ACCEPTED
    ).values("work_id")
    context = {
        "tag": tag,
        "label": Tag.Type(tag.type).label,
        "plural": Tag.plural_label(tag.type),
        "works": uses.distinct().count(),
        "synonyms": tag.synonyms.order_by("name"),
        "meta_tags": tag.meta_tags.order_by("name"),
        "sub_tags": tag.sub_tags.order_by("name"),
        "fandoms": tag.fandoms.order_by("name"),
        "has_fandoms": tag.type in actions.FANDOM_MEMBER_TYPES,
        "members": tag.fandom_tags.order_by("type", "name") if tag.type == Tag.Type.FANDOM else [],
        "errors": errors,
        "pending": indexing.pending(),
    }
    return render(request, "wrangling/tag.html", context, status=status)
