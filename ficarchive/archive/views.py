"""Reading site: thin views over the models; user-caused errors are 4xx pages, never tracebacks."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize

from .models import Chapter, Creatorship, Pseud, Tag, Work, WorkTag

PAGE_SIZE = 20


def blurb_queryset() -> QuerySet[Work]:
    """Works with everything a blurb shows, in a fixed number of queries."""
    return Work.objects.prefetch_related(
        Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud")),
        Prefetch(
            "work_tags",
            queryset=WorkTag.objects.select_related("tag").filter(status=WorkTag.Status.ACCEPTED),
        ),
    )


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
    works = blurb_queryset()[:10]
    return render(request, "archive/home.html", {"works": works, "total": Work.objects.count()})


def work_index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, blurb_queryset())
    return render(request, "archive/work_list.html", {"page": page, "heading": "Works"})


def _work(work_id: int) -> Work:
    return get_object_or_404(blurb_queryset(), pk=work_id)


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    """The whole work on one page; long multi-chapter works offer chapter-by-chapter reading."""
    work = _work(work_id)
    chapters = list(work.chapters.all())
    return render(
        request,
        "archive/work.html",
        {"work": work, "chapters": chapters, "index": chapters, "full": True},
    )


def chapter_detail(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = _work(work_id)
    index = list(work.chapters.only("id", "position", "title", "work_id"))
    chapter = get_object_or_404(Chapter, work=work, position=position)
    at = next(i for i, c in enumerate(index) if c.position == position)
    context = {
        "work": work,
        "chapters": [chapter],
        "index": index,
        "full": False,
        "current": position,
        "previous": index[at - 1] if at > 0 else None,
        "next": index[at + 1] if at + 1 < len(index) else None,
    }
    return render(request, "archive/work.html", context)


def chapter_jump(request: HttpRequest, work_id: int) -> HttpResponse:
    """The chapter index form's target (it works without JavaScript): redirect to the chapter."""
    try:
        position = int(request.GET.get("chapter", "1"))
    except ValueError:
        raise Http404("Choose a chapter from the list.") from None
    chapter = get_object_or_404(Chapter, work_id=work_id, position=position)
    return redirect(chapter)


def creator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pseud = get_object_or_404(Pseud, slug=slug)
    page = paginate(request, blurb_queryset().filter(pseuds=pseud))
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


def tag_detail(request: HttpRequest, tag_type: str, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, type=tag_type, slug=slug)
    canonical = tag.merger or tag
    tags = [canonical, *canonical.synonyms.all()]
    works = (
        blurb_queryset()
        .filter(work_tags__tag__in=tags, work_tags__status=WorkTag.Status.ACCEPTED)
        .distinct()
    )
    page = paginate(request, works)
    heading = f"{tag.get_type_display()}: {canonical.name}"
    return render(
        request, "archive/work_list.html", {"page": page, "heading": heading, "tag": canonical}
    )


def tag_index(request: HttpRequest, tag_type: str) -> HttpResponse:
    if tag_type not in Tag.Type.values:
        raise Http404("There is no such kind of tag.")

    tags = (
        Tag.objects.filter(type=tag_type, merger__isnull=True)
        .annotate(uses=Count("work_tags", filter=Q(work_tags__status=WorkTag.Status.ACCEPTED)))
        .filter(uses__gt=0)
        .order_by("-uses", "name")
    )
    page = paginate(request, tags)
    return render(
        request, "archive/tag_list.html", {"page": page, "heading": Tag.plural_label(tag_type)}
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception) if exception and isinstance(exception, Http404) and exception.args else ""
    )
    return render(request, "archive/404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "archive/500.html", status=500)
