"""The tags an eFiction site's labels become, proposed for the archivist to confirm or change.

eFiction sites named their own ratings, genres and warnings, and used categories for fandoms,
pairings or genres as each site saw fit. These ordered tables give the usual reading; the plan
shows every proposal and the archivist edits the mapping (`category:12 -> relationship`) before
anything is stored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ficarchive.text.headers import NOT_RATED, classify_warning, rating_of
from ficarchive.text.model import TagType

if TYPE_CHECKING:
    from .efiction import Label


# A class type's name (eFiction's classtype_name, or 2.x's table) -> the tag type it makes.
CLASS_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("warning", r"warning"),
        (TagType.RELATIONSHIP, r"pairing|ship|relationship|couple"),
        (TagType.CHARACTER, r"character"),
        (TagType.FANDOM, r"fandom"),
        (TagType.FREEFORM, r"."),
    )
)


_PAIRING = re.compile(r"^\w[^/]*\S/\S[^/]*\w$")  # "Spike/Buffy", not "Anime / Manga"


def _class_kind(kind: str) -> str:
    return next(k for k, pattern in CLASS_KINDS if pattern.search(kind or "class"))


def propose_tags(label: Label | None, key: str) -> tuple[list[list[str]], str]:
    """The tags proposed for a label (as `[type, name]` pairs) and a note for the archivist."""
    if label is None:
        return (
            [],
            f"{key} is used by stories but not defined in the dump: no tag (edit the plan to give one)",
        )
    if not label.name:
        return [], ""
    if label.kind == "category":
        note = ""
        if _PAIRING.search(label.name):
            note = (
                f"category {label.name!r} ({key}) looks like a pairing: it is proposed as a "
                "fandom; map it to relationship in the plan if it is one"
            )
        return [[TagType.FANDOM.value, label.name]], note
    if label.kind == "character":
        return [[TagType.CHARACTER.value, label.name]], ""
    if label.kind == "rating":
        rating = rating_of(label.name)
        if rating is None:
            return [[TagType.RATING.value, NOT_RATED]], (
                f"the site's rating {label.name!r} ({key}) matches no AO3 rating: {NOT_RATED} "
                "(edit the plan's tag mappings to choose one)"
            )
        return [[TagType.RATING.value, rating]], ""
    kind = _class_kind(label.kind)
    if kind == "warning":
        warning = classify_warning(label.name)  # else the site's own warning: a freeform tag
        if warning is not None:
            return [[TagType.WARNING.value, warning]], ""
        return [[TagType.FREEFORM.value, label.name]], ""
    return [[str(kind), label.name]], ""
