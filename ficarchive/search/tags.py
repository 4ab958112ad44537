"""Which tags a search for a tag means: the tag's canonical tag and every subtag below it.

The index stores each work's tags as canonical ids (a synonym is stored as its canonical tag,
`documents.py`), and facets count those direct tags, as the Archive of Our Own does. Metatags
are resolved here, once per search and before any backend sees the criteria: a filter by
"Marvel" becomes a filter by any of Marvel, "Marvel Cinematic Universe" and their subtags, and a
search-box field (`fandom:MCU`) that names a tag filters by the same set. So both engines
answer alike, and attaching a metatag re-indexes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ficarchive.archive.models import Tag
from ficarchive.search.criteria import Criteria
from ficarchive.search.query import Clause, Query

_SubTags = Tag.meta_tags.through  # rows (from_tag = the subtag, to_tag = the metatag)

# Search-box fields that name tags, and the tag type each looks in (None: any type).
TAG_FIELDS = {
    "fandom": "fandom",
    "character": "character",
    "relationship": "relationship",
    "freeform": "freeform",
    "rating": "rating",
    "warning": "warning",
    "category": "category",
    "tag": None,
}


def subtag_ids(tag_ids: Iterable[int]) -> set[int]:
    """Every tag below these through metatag links, transitively (one query a level)."""
    found: set[int] = set()
    frontier = set(tag_ids)
    while frontier:
        below = set(
            _SubTags.objects.filter(to_tag_id__in=frontier).values_list("from_tag_id", flat=True)
        )
        frontier = below - found
        found |= frontier
    return found


def expand(tag_ids: Iterable[int]) -> list[int]:
    """The canonical ids a filter by these tags matches: each tag's canonical tag, and the
    canonical tags of all its subtags. Tag ids that do not exist are left out."""
    ids = set(tag_ids)
    if not ids:
        return []
    canonical = {merger or pk for pk, merger in Tag.objects.filter(pk__in=ids).values_list("pk", "merger_id")}  # fmt: skip
    below = subtag_ids(canonical) - canonical
    if below:
        canonical |= {merger or pk for pk, merger in Tag.objects.filter(pk__in=below).values_list("pk", "merger_id")}  # fmt: skip
    return sorted(canonical)


def resolve(c: Criteria) -> Criteria:
    """`c` with every tag filter widened to the tag's subtags, and the search box's tag fields
    resolved to tags: what the backends are given."""
    include = []
    for tag_id in c.include:
        ids = expand([tag_id]) or [tag_id]  # a gone tag (or 0) stays, matching nothing
        if len(ids) == 1:
            include.append(ids[0])
        else:
            c.any_of.append(ids)
    c.include = list(dict.fromkeys(include))
    c.any_of = [expand(group) or list(group) for group in c.any_of]
    c.exclude = expand(c.exclude)
    c.query = resolve_query(c.query)
    return c


def resolve_query(query: Query) -> Query:
    """The query with each tag field clause given the tags it names (`Clause.tags`)."""
    return Query(
        groups=[[_resolve_clause(cl) for cl in group] for group in query.groups],
        excluded=[_resolve_clause(cl) for cl in query.excluded],
        notes=query.notes,
    )


def _resolve_clause(clause: Clause) -> Clause:
    if clause.field not in TAG_FIELDS:
        return clause
    tags = Tag.objects.filter(name__iexact=clause.text)
    if TAG_FIELDS[clause.field]:
        tags = tags.filter(type=TAG_FIELDS[clause.field])
    ids = expand(tags.values_list("pk", flat=True))
    return replace(clause, tags=tuple(ids)) if ids else clause
