"""A story's real title out of a page title or a journal subject.

Browsers save the `<title>` a site wrote, and journals put the post type and part number in the
subject: `user | [FIC] Title (1/3)`, `Title Chapter 2, a harry potter fanfic | FanFiction`,
`Title - Chapter 1 - Author - Fandom [Archive of Our Own]`. `clean_title` runs an ordered
table of small steps over the text; each takes off one kind of chrome. A part number
(`(1/3)`, `Part 2 of 5`) is not thrown away: it is returned, because a story posted across
several entries is put back together from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CleanTitle:
    title: str
    part: int | None = None  # this entry's part number, from `(2/3)` or `Part 2`
    parts: int | None = None  # how many parts the story has, when the title says


_SITE_NAMES = (
    r"fanfiction\.net|fanfiction|fanfic|fictionpress(?:\.com)?|archive\s+of\s+our\s+own|ao3"
    r"|livejournal(?:\.com)?|dreamwidth(?:\s+studios)?|insanejournal|journalfen|wattpad"
    r"|fiction\s*alley|harry\s*potter\s*fan\s*fiction|twisting\s+the\s+hellmouth|tth"
)
_SITE_SUFFIX = re.compile(rf"\s*(?:[-|—–:•·]\s*|\[\s*)(?:{_SITE_NAMES})\s*\]?\s*$", re.I)
_SITE_PREFIX = re.compile(rf"^\s*(?:{_SITE_NAMES})\s*[-|—–:•·]\s*", re.I)
_AO3_SUFFIX = re.compile(r"\s*\[\s*archive\s+of\s+our\s+own\s*\]\s*$", re.I)
_FFN_SUFFIX = re.compile(
    r"^(?P<title>.+?)(?:\s+chapter\s+\d+)?,\s+an?\s+[^,]{1,80}?\s+fan\s?fic(?:tion)?$", re.I
)
_CHAPTER_PART = re.compile(r"^chapter\s+\d+(?::.*)?$", re.I)
_POST_TYPE = re.compile(
    r"^\s*(?:[\[(]\s*(?:new\s+)?(?:fan\s*)?(?:fic|fiction|drabble|ficlet|oneshot|one-shot|story)"
    r"(?:\s*[:\-]\s*[^\])]{0,40})?\s*[\])]\s*[:\-–—]?"
    r"|(?:new\s+)?(?:fan\s*)?(?:fic|fiction|drabble|ficlet)\s*[:\-–—]|fic\s+post\s*:)\s*",
    re.I,
)
_PART_NUMBER = re.compile(
    r"\s*[\[(]?\s*(?:(?:part|pt\.?|chapter|ch\.?)\s*)?(?P<n>\d{1,3})\s*(?:/|of)\s*(?P<of>\d{1,3}|\?)\s*[\])]?\s*$"
    r"|\s*[\[(,:\-–—]?\s*(?:part|pt\.?)\s+(?P<m>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s*[\])]?\s*$",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
# `(Merlin, Arthur/Merlin, PG)`: fandom, pairing and rating after a journal subject.
_RATING_WORD = r"(?:g|pg|pg-?13|pg-?15|r|nc-?17|nc|k|k\+|t|m|ma|gen|teen|mature|explicit|adult)"
_TRAILING_FACTS = re.compile(
    rf"\s*[\[(](?=[^\])]*[,;|])[^\])]*\b{_RATING_WORD}\b[^\])]*[\])]\s*$", re.I
)


def _strip_site_name(title: str, names: tuple[str, ...]) -> str:
    """`Title - FanFiction.Net`, `Title | LiveJournal`, `LiveJournal: Title`."""
    return _SITE_PREFIX.sub("", _SITE_SUFFIX.sub("", title))


def _strip_ao3(title: str, names: tuple[str, ...]) -> str:
    """AO3's `Title - Chapter 1 - Author - Fandom [Archive of Our Own]`."""
    if not _AO3_SUFFIX.search(title):
        return title
    parts = _AO3_SUFFIX.sub("", title).split(" - ")
    if len(parts) >= 3:
        parts = parts[:-2]  # the creator and the fandom
    if len(parts) >= 2 and _CHAPTER_PART.match(parts[-1].strip()):
        parts = parts[:-1]
    return " - ".join(parts)


def _strip_ffn(title: str, names: tuple[str, ...]) -> str:
    """fanfiction.net's `Title Chapter 2, a harry potter fanfic`."""
    m = _FFN_SUFFIX.match(title)
    return m.group("title") if m else title


def _strip_journal_name(title: str, names: tuple[str, ...]) -> str:
    """`user | Title`, `user: Title`, `Title - user's journal`, when the name is the page's own."""
    for name in names:
        for prefix in (f"{name}:", f"{name} |", f"{name} -", f"{name}'s journal:"):
            if title.casefold().startswith(prefix.casefold()) and len(title) > len(prefix) + 1:
                return title[len(prefix) :].strip()
        for suffix in (f" - {name}'s journal", f" - {name}", f" | {name}", f" by {name}"):
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix) + 1:
                return title[: -len(suffix)].strip()
    return title


def _strip_post_type(title: str, names: tuple[str, ...]) -> str:
    """`[FIC] Title`, `Fic: Title`, `(drabble) Title`, `New fic: Title`."""
    stripped = _POST_TYPE.sub("", title, count=1)
    return stripped if stripped.strip() else title


def _strip_trailing_facts(title: str, names: tuple[str, ...]) -> str:
    """`Title (Merlin, Arthur/Merlin, PG)`: the post's fandom/pairing/rating, said in the header."""
    stripped = _TRAILING_FACTS.sub("", title)
    return stripped if stripped.strip() else title


_STEPS: list[tuple[str, Callable[[str, tuple[str, ...]], str]]] = [
    ("AO3 page title", _strip_ao3),
    ("site name", _strip_site_name),
    ("fanfiction.net page title", _strip_ffn),
    ("journal name", _strip_journal_name),
    ("post type", _strip_post_type),
    ("trailing facts", _strip_trailing_facts),
]


def split_part_number(title: str) -> CleanTitle:
    """`Salt (2/3)` -> `Salt`, part 2 of 3; `Salt, Part Two` -> part 2; otherwise unchanged."""
    m = _PART_NUMBER.search(title)
    if not m or not title[: m.start()].strip(" -–—:,"):
        return CleanTitle(title)
    rest = title[: m.start()].strip(" -–—:,")
    if m.group("n"):
        total = m.group("of")
        return CleanTitle(rest, int(m.group("n")), int(total) if total.isdigit() else None)
    word = m.group("m").lower()
    return CleanTitle(rest, int(word) if word.isdigit() else _NUMBER_WORDS[word])


def part_line(line: str) -> CleanTitle | None:
    """`Part 1 of 3`, `(2/3)`, `Part Two` on a line of its own: the part number, else None."""
    m = _PART_NUMBER.fullmatch(" ".join(line.split()))
    if not m:
        return None
    if m.group("n"):
        total = m.group("of")
        return CleanTitle("", int(m.group("n")), int(total) if total.isdigit() else None)
    word = m.group("m").lower()
    return CleanTitle("", int(word) if word.isdigit() else _NUMBER_WORDS[word])


def strip_chrome(raw: str, names: Iterable[str] = ()) -> str:
    """A page title or subject without the site's and the journal's chrome (`_STEPS`)."""
    title = " ".join(raw.split())
    known = tuple(n for n in names if n)
    for _name, step in _STEPS:
        title = step(title, known).strip()
    return title


def clean_title(raw: str, names: Iterable[str] = ()) -> CleanTitle:
    """The story's title from a page title or journal subject; `names` are the page's own
    journal and creator names, taken off only where they frame the title."""
    return split_part_number(strip_chrome(raw, names))


__all__ = ["CleanTitle", "clean_title", "part_line", "split_part_number", "strip_chrome"]
