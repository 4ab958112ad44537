"""The tags an eFiction site's labels become, proposed for the archivist to confirm or change.

eFiction sites named their own ratings, genres and warnings, and used categories for fandoms,
pairings or genres as each site saw fit. These ordered tables give the usual reading; the plan
shows every proposal and the archivist edits the mapping (`category:12 -> relationship`) before
anything is stored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ficarchive.text.headers import NOT_RATED, rating_of
from ficarchive.text.model import TagType

if TYPE_CHECKING:
    from .efiction import Label


# A warning class's name -> one of AO3's archive warnings; any other warning is an additional tag.
WARNING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (warning, re.compile(pattern, re.I))
    for warning, pattern in (
        ("No Archive Warnings Apply", r"^\s*(?:none|no warnings?(?: apply)?|n/?a)\s*$"),
        ("Major Character Death", r"\bdeath\b|\bdies\b|\bkilled\b"),
        ("Rape/Non-Con", r"\brape\b|\bnon-?con|\bdub-?con"),
        ("Underage", r"\bunderage\b|\bunder-age\b|\bchan\b|\bminors?\b"),
        ("Graphic Depictions Of Violence", r"\bviolen|\bgore\b|\bgraphic\b|\btorture\b"),
    )
)  # fmt: skip

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


def ao3_warning(name: str) -> str | None:
    for warning, pattern in WARNING_RULES:
        if pattern.search(name):
            return warning
    return None


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
        warning = ao3_warning(label.name)
        if warning is not None:
            return [[TagType.WARNING.value, warning]], ""
        return [[TagType.FREEFORM.value, label.name]], ""
    return [[str(kind), label.name]], ""
