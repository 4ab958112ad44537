"""The search page, its JSON form, the tag pages and /works/: each a search (a tag page's for
its tag, /works/ for everything, newest first) with the same sort-and-filter sidebar."""

from __future__ import annotations

import math
from html import escape
from typing import NamedTuple
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import pluralize
from django.utils.safestring import SafeString, mark_safe

from ficarchive.accounts.permissions import (
    SEARCH_SUGGESTIONS_REFUSED,
    can_search_suggestions,
    sees_restricted,
)
from ficarchive.archive.blurbs import blurb_queryset, render_blurbs
from ficarchive.archive.languages import language_name
from ficarchive.archive.models import Tag, Work
from ficarchive.community.blocking import muted_work_ids
from ficarchive.search import indexing
from ficarchive.search.criteria import FACET_TYPES, Criteria, Results
from ficarchive.search.forms import PAGE_LIMIT, PAGE_SIZE, SearchForm
from ficarchive.search.models import Blurb


def run(
    request: HttpRequest, base: Criteria | None = None
) -> tuple[SearchForm, Criteria, Results, list[str]]:
    form = SearchForm(request.GET)
    criteria, messages = form.criteria(base)
    if criteria.suggested and not can_search_suggestions(request.user):
        criteria.suggested = False
        messages.append(SEARCH_SUGGESTIONS_REFUSED)
    criteria.restricted = sees_restricted(request.user)  # archive.audience
    results = indexing.ready().search(criteria)
    return form, criteria, results, messages


class TagName(NamedTuple):
    """What result pages show of a tag (a model instance per facet row cost more)."""

    pk: int
    name: str


class Links:
    """The current search's query string with some parameters changed (and back to page 1).

    Each parameter is encoded once; the sidebar then joins about 150 variants of the string.
    """

    def __init__(self, params: QueryDict) -> None:
        self.pairs = [
            (k, v, urlencode([(k, v)]))
            for k, values in params.lists()
            if k != "page"
            for v in values
        ]

    def __call__(self, **changes: tuple[str, object]) -> str:
        changed = {(key, str(value)) for key, (_, value) in changes.items()}
        parts = [encoded for k, v, encoded in self.pairs if (k, v) not in changed]
        parts += [
            f"{key}={value}" if isinstance(value, int) else urlencode([(key, value)])
            for key, (action, value) in changes.items()
            if action == "add"
        ]
        return "?" + "&".join(parts)


def _page_link(params: QueryDict, page: int) -> str:
    query = params.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def _rows(model, columns: tuple[str, ...], key: str, values) -> list[tuple]:
    """`model.objects.filter(key__in=values).values_list(*columns)` in plain SQL: the ORM took
    longer to build these two queries of every result page than the database to answer them."""
    values = list(values)
    if not values:
        return []
    quote = connection.ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} IN ({})".format(
        ", ".join(map(quote, columns)),
        quote(model._meta.db_table),
        quote(key),
        ", ".join(["%s"] * len(values)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def blurbs(results: Results, skip: set[int] = frozenset()) -> list[str]:
    """The results' blurbs as HTML: those rendered when the works were indexed (`Blurb`), any
    missing (an archive indexed before blurbs were stored) rendered now. `skip`: works the
    reader muted."""
    ids = [i for i in results.ids if i not in skip]
    html = dict(_rows(Blurb, ("work_id", "html"), "work_id", ids))
    if missing := [i for i in ids if i not in html]:
        html.update(render_blurbs(missing))
    return [mark_safe(html[i]) for i in ids if i in html]  # a work deleted since: left out


def _context(request: HttpRequest, form, criteria: Criteria, results: Results, messages) -> dict:
    tag_ids = {i for pairs in results.facets.values() for i, _ in pairs}
    tag_ids |= set(criteria.include) | set(criteria.exclude)
    tag_ids |= {i for group in criteria.any_of for i in group}
    tags = {pk: TagName(pk, name) for pk, name in _rows(Tag, ("id", "name"), "id", tag_ids - {0})}
    params = request.GET
    link = Links(params)
    included = {str(v) for v in params.getlist("include")}
    excluded = {str(v) for v in params.getlist("exclude")}
    facets = []
    for tag_type in FACET_TYPES:
        rows = [
            {
                "tag": tags[tag_id],
                "count": count,
                "included": str(tag_id) in included,
                "include_url": link(include=("add", tag_id), exclude=("remove", tag_id)),
                "exclude_url": link(exclude=("add", tag_id), include=("remove", tag_id)),
            }
            for tag_id, count in results.facets.get(tag_type, [])
            if tag_id in tags
        ]
        if rows:
            facets.append(
                {
                    "type": tag_type,
                    "label": Tag.plural_label(tag_type),
                    "rows": rows,
                    "html": _facet_rows(rows),
                }
            )
    active = [
        {"tag": tags[int(i)], "kind": kind, "remove_url": link(**{key: ("remove", i)})}
        for key, kind, values in (("include", "with", included), ("exclude", "without", excluded))
        for i in sorted(values)
        if i.isdigit() and int(i) in tags
    ]
    muted = muted_work_ids(request.user, results.ids)
    pages = max(1, math.ceil(results.total / PAGE_SIZE))
    number = criteria.offset // PAGE_SIZE + 1
    return {
        "form": form,
        "selects": _selects(form, criteria),
        "criteria": criteria,
        "blurbs": blurbs(results, muted),
        "muted_count": len(muted),
        "work_ids": results.ids,
        "total": results.total,
        "facets": facets,
        "active": active,
        "messages_list": messages,
        "page_number": number,
        "pages": pages,
        "previous_url": _page_link(params, number - 1) if number > 1 else "",
        "next_url": _page_link(params, number + 1) if number < pages else "",
        "querystring": params.urlencode(),
    }


def _facet_rows(rows: list[dict]) -> SafeString:
    """A facet's list items: a checkbox and a link to include each tag, a link to exclude it.

    Rendered here rather than in the template: the sidebar has up to 70 of these, and the
    template language spent more time on them than the search engine on the whole query.
    """
    items = []
    for row in rows:
        pk, name = row["tag"].pk, escape(row["tag"].name)
        marked, checked = (' class="included"', " checked") if row["included"] else ("", "")
        items.append(
            f'<li{marked}><label><input type="checkbox" name="include" value="{pk}"{checked}> '
            f'<a href="{escape(row["include_url"])}" title="Include {name}">{name}</a> '
            f'<span class="facet-count">({row["count"]:,})</span></label>\n'
            f'          <a class="exclude" href="{escape(row["exclude_url"])}" '
            f'title="Exclude {name}" aria-label="Exclude {name}">−</a>\n        </li>'
        )
    return mark_safe("\n        ".join(items))  # every value above is escaped or a number


def _selects(form: SearchForm, criteria: Criteria) -> dict[str, SafeString]:
    """The sidebar's drop-down lists, without a template per widget (Django's widgets cost
    about 2 ms each, and `format_html` a millisecond for the seven)."""
    out = {}
    for name in ("sort", "order", "complete", "crossover", "date_field", "pov", "tense"):
        chosen = criteria.sort if name == "sort" else str(form.data.get(name, ""))
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in form.fields[name].choices
        )
        label = ' aria-label="Order"' if name == "order" else ""  # no <label> of its own
        out[name] = mark_safe(f'<select name="{name}" id="id_{name}"{label}>{options}</select>')
    out["language"] = _language_select(criteria.language)
    return out


def _language_select(chosen: str) -> SafeString:
    """The archive's languages by name ("Français"), the codes as values (`language=fr`)."""
    languages = Work.objects.exclude(language="").order_by().values_list("language", flat=True)
    codes = set(languages.distinct())
    if chosen:
        codes.add(chosen)  # a code typed into the URL stays selected, even with no work
    named = sorted(((language_name(c), c) for c in codes), key=lambda pair: pair[0].casefold())
    options = '<option value="">Any language</option>' + "".join(
        f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>{escape(name)}</option>'
        for name, code in named
    )
    return mark_safe(f'<select name="language" id="id_language">{options}</select>')


def _past_the_end(criteria: Criteria, results: Results) -> str:
    """A message when the page asked for is after the last one, else ""."""
    if criteria.offset and criteria.offset >= results.total:
        pages = max(1, math.ceil(results.total / PAGE_SIZE))
        return f"There is no page {criteria.offset // PAGE_SIZE + 1} of these results; they fill {pages} page{pluralize(pages)}."
    return ""


def search(request: HttpRequest) -> HttpResponse:
    form, criteria, results, messages = run(request)
    context = _context(request, form, criteria, results, messages)
    context["heading"] = "Search works"
    context["action"] = request.path
    status = 200
    if late := _past_the_end(criteria, results):
        context["messages_list"].append(late)
        status = 404
    return render(request, "search/search.html", context, status=status)


def tag_works(request: HttpRequest, tag_type: str, slug: str) -> HttpResponse:
    """Works with this tag (or a synonym of it): the search page, filtered to the tag."""
    tag = get_object_or_404(Tag, type=tag_type, slug=slug)
    canonical = tag.merger or tag
    form, criteria, results, messages = run(request, Criteria(include=[canonical.pk]))
    context = _context(request, form, criteria, results, messages)
    context.update(
        heading=f"{tag.get_type_display()}: {canonical.name}",
        tag=canonical,
        synonym_of=canonical if tag.merger else None,
        action=request.path,
        relations=_relations(canonical),
    )
    if late := _past_the_end(criteria, results):
        raise Http404(late)
    return render(request, "search/search.html", context)


def _relations(tag: Tag) -> list[tuple[str, list[Tag]]]:
    """What wrangling tied the tag to, for its page: (label, tags) for each kind it has."""
    kinds = [("Metatags", tag.meta_tags), ("Subtags (their works are listed here too)", tag.sub_tags),
             ("Fandoms", tag.fandoms)]  # fmt: skip
    if tag.type == Tag.Type.FANDOM:
        kinds.append(("Characters and relationships", tag.fandom_tags))
    rows = []
    for label, related in kinds:
        if found := list(related.order_by("type", "name")):
            rows.append((label, found))
    return rows


def _check_page_number(params: QueryDict) -> None:
    """A list's page number that is no number, or out of range, is a 404 page saying so."""
    number = params.get("page", "1")
    try:
        value = int(number)
    except ValueError:
        raise Http404(
            f"“{number[:40]}” is not a page number; pages are numbered 1, 2, 3 …"
        ) from None
    if not 0 < value <= PAGE_LIMIT:
        raise Http404(f"There is no page {number[:40]} of this list.")


def work_index(request: HttpRequest) -> HttpResponse:
    """/works/: every work, newest update first, sorted and filtered as the search page is."""
    _check_page_number(request.GET)
    form, criteria, results, messages = run(request, Criteria(sort="updated"))
    if late := _past_the_end(criteria, results):
        raise Http404(late)
    context = _context(request, form, criteria, results, messages)
    context.update(heading="Works", action=request.path)
    return render(request, "search/search.html", context)


def search_json(request: HttpRequest) -> JsonResponse:
    """The same search for scripts: works, total, facets and any messages (HTTP 400 on errors)."""
    form, criteria, results, messages = run(request)
    works = blurb_queryset(viewer=request.user).in_bulk(results.ids)
    tag_ids = {i for pairs in results.facets.values() for i, _ in pairs}
    names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    payload = {
        "total": results.total,
        "page": criteria.offset // PAGE_SIZE + 1,
        "page_size": PAGE_SIZE,
        "sort": criteria.effective_sort,
        "works": [
            {
                "id": w.pk,
                "title": w.title,
                "url": request.build_absolute_uri(w.get_absolute_url()),
                "creators": [p.name for p in w.creator_pseuds],
                "words": w.word_count,
                "kudos": w.kudos_count,
                "updated": w.updated.isoformat() if w.updated else None,
            }
            for w in (works[i] for i in results.ids if i in works)
        ],
        "facets": {
            t: [{"id": i, "name": names.get(i, ""), "count": n} for i, n in pairs]
            for t, pairs in results.facets.items()
        },
        "messages": messages,
        "errors": {name: list(errs) for name, errs in form.errors.items()},
    }
    return JsonResponse(payload, status=400 if form.errors else 200)
