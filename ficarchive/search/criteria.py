"""What a search asks for, resolved (tag names to canonical ids), and what it gives back.

Every backend takes a `Criteria` and returns `Results`; the search form builds the criteria and
the views render the results, so the page, the JSON form and the tag pages share one path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ficarchive.search.query import Query

# The tag types with facet counts in the sidebar, in the Archive of Our Own's order.
FACET_TYPES = (
    "rating",
    "warning",
    "category",
    "fandom",
    "character",
    "relationship",
    "freeform",
)
# The types the analysis suggests: `suggested` searches count their pending suggestions too.
SUGGESTED_TYPES = ("fandom", "character", "relationship")

# Sort orders: name -> (label, descending by default).
SORTS = {
    "relevance": ("Best match", True),
    "updated": ("Date updated", True),
    "published": ("Date published", True),
    "title": ("Title", False),
    "creator": ("Creator", False),
    "words": ("Word count", True),
    "kudos": ("Kudos", True),
    "hits": ("Hits", True),
    "bookmarks": ("Bookmarks", True),
    "comments": ("Comments", True),
}


@dataclass
class Criteria:
    """A search. Tag ids are canonical; `any_of` groups are ORed inside, ANDed together."""

    query: Query = field(default_factory=Query)
    include: list[int] = field(default_factory=list)  # every one of these tags
    exclude: list[int] = field(default_factory=list)  # none of these tags
    any_of: list[list[int]] = field(default_factory=list)  # e.g. the chosen ratings
    complete: bool | None = None  # True: complete only; False: works in progress only
    words_min: int | None = None
    words_max: int | None = None
    date_field: str = "updated"  # or "published"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    language: str = ""
    pov: str = ""
    tense: str = ""
    crossover: bool | None = None  # True: crossovers only; False: single-fandom works only
    suggested: bool = False  # count the analysis's pending suggestions as tags
    # Include works for logged-in users only. Off unless the search says a logged-in user asks
    # (`archive.audience.sees_restricted`): a search that forgets shows less, never more.
    restricted: bool = False
    sort: str = "relevance"
    descending: bool = True
    offset: int = 0
    limit: int = 20
    facets: bool = True
    facet_size: int = 10

    @property
    def effective_sort(self) -> str:
        """Relevance needs words to rank by; without any, the newest updates come first."""
        if self.sort == "relevance" and not self.query.groups:
            return "updated"
        return self.sort

    @property
    def effective_descending(self) -> bool:
        """The chosen direction, or the default one of the sort relevance fell back to."""
        sort = self.effective_sort
        return self.descending if sort == self.sort else SORTS[sort][1]


@dataclass
class Results:
    ids: list[int]  # work ids of the requested page, in order
    total: int  # all matching works
    facets: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # type -> (tag, count)
