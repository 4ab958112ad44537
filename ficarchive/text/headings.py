"""Chapter headings: `Chapter 1`, `Chapter One: Title`, `Part II`, `Prologue`, `~ 3 ~`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": 0, "final": 0,
}  # fmt: skip
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}

_NUMBER_WORD = (
    "(?:"
    + "|".join([*_UNITS, *_TENS])
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_NUMBER = rf"(?:\d{{1,4}}|[ivxlcdm]{{1,7}}|{_NUMBER_WORD})"
_SEP = r"(?:\s*[:.\-–—)|/]+\s*|\s+(?=[\"“'‘(\[A-Z0-9]))"

# Chapter words in the languages the archive sees most; "part"-like words keep the full heading.
_CHAPTER_WORDS = "chapter|chap\\.?|ch\\.?|chapitre|cap[ií]tulo|cap\\.|capitolo|kapitel|hoofdstuk|rozdzia[łl]|глава"
_CHAPTER = re.compile(
    rf"^(?P<word>{_CHAPTER_WORDS}|part|pt\.?|partie|parte|teil|book|livre|section|volume|vol\.?|episode|act)\s*(?P<num>{_NUMBER})\b\.?"
    rf"(?:{_SEP}(?P<title>.*))?$",
    re.I,
)
_ORDINAL_CHAPTER = re.compile(
    rf"^(?:the\s+)?(?P<num>{'|'.join(_ORDINALS)})\s+(?P<word>chapter|part)\b\.?(?:{_SEP}(?P<title>.*))?$",
    re.I,
)
_SPECIAL = re.compile(
    r"^(?P<word>prologue|epilogue|interlude|prelude|afterword|foreword|coda|intermission|bonus\s+chapter|omake)\b\.?"
    rf"(?:{_SEP}(?P<title>.*))?$",
    re.I,
)
_BARE = re.compile(rf"^(?P<num>\d{{1,3}}|[IVXLC]{{1,6}})\.?(?:{_SEP}(?P<title>.{{1,80}}))?$")
_DECORATION = "~*=_-–—#[](){}<>|•·+ \t"
# "Un : Kiba", "Two - The Storm": a number word as a heading needs a separator and a title.
_FOREIGN_NUMBERS = {
    w: i + 1
    for words in (
        "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize",
        "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince",
        "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    )
    for i, w in enumerate(words.split())
}
_FOREIGN_NUMBERS["une"] = 1
_WORD_BARE = re.compile(
    rf"^(?P<num>{'|'.join([*_UNITS[1:], *_FOREIGN_NUMBERS])})\s*[:.\-–—]\s*(?P<title>\S.{{0,80}})$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Heading:
    kind: str  # "chapter", "part", "special" or "bare"
    number: int | None
    title: str
    text: str

    @property
    def bare(self) -> bool:
        return self.kind == "bare"


def parse_number(token: str) -> int | None:
    """`12`, `xii`, `twelve`, `twenty-one` and `first` as integers."""
    token = token.lower().strip(". ")
    if token.isdigit():
        return int(token)
    if token in _ORDINALS:
        return _ORDINALS[token] or None
    if re.fullmatch(r"[ivxlcdm]+", token):
        total, prev = 0, 0
        for ch in reversed(token):
            value = _ROMAN[ch]
            total = total - value if value < prev else total + value
            prev = max(prev, value)
        return total
    parts = re.split(r"[- ]", token)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (
            _UNITS.index(parts[1]) if len(parts) > 1 and parts[1] in _UNITS else 0
        )
    if parts[0] in _UNITS:
        return _UNITS.index(parts[0])
    return None


def match_heading(text: str) -> Heading | None:
    """A chapter heading on a line of its own, or None. Decoration like `~*` is ignored."""
    if len(text) > 160:
        return None
    line = " ".join(text.split())
    if not line or len(line) > 120 or "\n" in text.strip():
        return None
    core = line.strip(_DECORATION)
    if not core:
        return None
    for pattern, kind in (
        (_CHAPTER, "chapter"),
        (_ORDINAL_CHAPTER, "chapter"),
        (_SPECIAL, "special"),
    ):
        m = pattern.match(core)
        if not m:
            continue
        word = m.group("word").lower()
        title = (m.groupdict().get("title") or "").strip().strip(_DECORATION).strip()
        if len(title.split()) > 14 or title.endswith((",", ";")):
            return None
        if kind == "special":
            return Heading("special", None, core if title else core.title(), line)
        number = parse_number(m.group("num"))
        if number is None:
            return None
        if kind == "chapter" and pattern is _CHAPTER and not re.fullmatch(_CHAPTER_WORDS, word):
            # "Part II: Title" keeps its own words as the chapter title.
            return Heading("part", number, core, line)
        return Heading("chapter", number, title, line)
    m = _WORD_BARE.match(core)
    if m:
        token = m.group("num").lower()
        number = _FOREIGN_NUMBERS.get(token) or parse_number(token)
        return Heading("bare", number, m.group("title").strip(), line)
    m = _BARE.match(core)
    if m and (
        core != line
        or core.isdigit()
        or core.rstrip(".").isdigit()
        or re.fullmatch(r"[IVXLC]+\.?", core)
    ):
        number = parse_number(m.group("num"))
        if number:
            return Heading("bare", number, (m.group("title") or "").strip(), line)
    return None
