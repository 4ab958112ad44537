"""The search box's little language, parsed into clauses every backend compiles the same way.

    let me rest              all three words, anywhere (title, summary, notes, text, tags, creators)
    "let me rest"            the phrase
    -angst                   not this word (or -"phrase", -fandom:x)
    angst OR fluff           either (OR in capitals binds the clauses on each side)
    fandom:buffy             a field: creator, fandom, character, relationship, tag, rating,
    character:"Rupert Giles" warning, category, title, summary

Pure Python and forgiving: any text parses. An unclosed quote runs to the end, an empty
`tag:` is dropped, an unknown `word:` prefix is searched as ordinary words; each repair leaves a
note for the page, so a malformed query gives results and an explanation, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Field names people type, mapped to the field the backends know.
FIELDS = {
    "creator": "creator",
    "author": "creator",
    "by": "creator",
    "fandom": "fandom",
    "character": "character",
    "relationship": "relationship",
    "ship": "relationship",
    "tag": "tag",
    "rating": "rating",
    "warning": "warning",
    "category": "category",
    "title": "title",
    "summary": "summary",
}

# A clause: optional '-', optional 'field:', then a "quoted phrase" (maybe unclosed) or a word.
_TOKEN = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)(?P<close>"?)|(?P<word>[^\s"]+))|(?P<bare>[^\s]+)"""
)
_WORDISH = re.compile(r"\w")


@dataclass(frozen=True)
class Clause:
    """Words to find: one word, or a phrase when `phrase`; in `field`, or anywhere when None.

    `tags`: when a tag field's text names tags, their canonical ids and their subtags' (set by
    `search.tags.resolve`): the clause then also matches works carrying any of them.
    """

    text: str
    field: str | None = None
    phrase: bool = False
    negated: bool = False
    tags: tuple[int, ...] = ()


@dataclass
class Query:
    """All `groups` must match (each group: any of its clauses); no `excluded` clause may."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded


def parse_query(text: str) -> Query:
    """The clauses of a search box text (see the module docstring); never raises."""
    query = Query()
    pending_or = False
    for match in _TOKEN.finditer(text or ""):
        if match["bare"] is not None:  # a lone '"' or '-': nothing to search for
            continue
        negated = bool(match["neg"])
        name = match["field"]
        value = match["phrase"] if match["phrase"] is not None else match["word"]
        phrase = match["phrase"] is not None
        if phrase and not match["close"]:
            query.notes.append("A quotation mark was not closed; the phrase runs to the end.")
        if match["word"] == "OR" and not name and not negated:
            pending_or = bool(query.groups)
            continue
        if not name and value and value.endswith(":") and value[:-1].lower() in FIELDS:
            query.notes.append(f"“{value}” needs something after it, so it was left out.")
            continue
        target = None
        if name:
            target = FIELDS.get(name.lower())
            if target is None:  # "re:" or "http:" — not a field, so just words
                value = f"{name}:{value}"
                query.notes.append(f"“{name}:” is not a search field, so it was searched as words.")
        if not value or not _WORDISH.search(value):
            if target:
                query.notes.append(f"“{name}:” needs something after it, so it was left out.")
            continue
        clause = Clause(value.strip(), target, phrase and " " in value.strip(), negated)
        if negated:
            query.excluded.append(clause)
            pending_or = False
        elif pending_or:
            query.groups[-1].append(clause)
            pending_or = False
        else:
            query.groups.append([clause])
    query.notes = list(dict.fromkeys(query.notes))
    return query
