"""Plain data for a parsed story: what every reader (text, Markdown, HTML, site pages) produces.

Bodies are sequences of `Block`s whose `html` is *inline* markup that our own readers wrote:
text is escaped and only the tags in `INLINE_TAGS` appear. Storage still sanitises with nh3,
but the parsers never pass a source file's markup through unchecked.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

INLINE_TAGS = ("em", "strong", "u", "s", "sup", "sub", "br", "code")

BlockKind = Literal["p", "break", "verse", "quote", "heading"]


class TagType(StrEnum):
    """The Archive of Our Own's tag types; ratings and warnings are tags there too."""

    RATING = "rating"
    WARNING = "warning"
    CATEGORY = "category"
    FANDOM = "fandom"
    RELATIONSHIP = "relationship"
    CHARACTER = "character"
    FREEFORM = "freeform"


_TAG_RE = re.compile(r"<[^>]+>")
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def html_to_text(fragment: str) -> str:
    """Plain text of an inline fragment: tags dropped, `<br>` as newline, entities decoded."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    return html.unescape(_TAG_RE.sub("", _BR_RE.sub("\n", fragment)))


def count_words(text: str) -> int:
    """Words as AO3 counts them, roughly: word runs, plus one per CJK character."""
    cjk = len(_CJK_RE.findall(text))
    if cjk:
        text = _CJK_RE.sub(" ", text)
    return len(_WORD_RE.findall(text)) + cjk


@dataclass(frozen=True)
class Block:
    """One block of a body: paragraph, scene break, verse (kept line breaks), quote or heading."""

    kind: BlockKind = "p"
    html: str = ""
    align: str = ""  # "", "center" or "right"
    level: int = 0  # heading level for kind == "heading"

    @cached_property
    def text(self) -> str:
        # Cached: structure recognition asks every block for its text several times.
        return html_to_text(self.html)


SCENE_BREAK = Block(kind="break")


_LABELLED = re.compile(r"^[A-Z][\w'’/]*(?: [\w'’/]+){0,2}:\s")


def is_labelled(line: str) -> bool:
    """`Rating: PG`, `Written for: Ann`: a header line, kept a line of its own however long."""
    return bool(_LABELLED.match(line))


def line_key(text: str) -> str:
    """The form two copies of one line share: spacing and case do not count."""
    return " ".join(text.split()).casefold()


def without_lines(blocks: list[Block], drop: frozenset[str]) -> list[Block]:
    """The blocks but those whose text is one of `drop` (keys made by `line_key`)."""
    if not drop:
        return blocks
    return [b for b in blocks if b.kind == "break" or line_key(b.text) not in drop]


def blocks_text(blocks: list[Block]) -> str:
    """Plain text of a body: blocks separated by blank lines, scene breaks as `* * *`."""
    parts = ["* * *" if b.kind == "break" else b.text for b in blocks]
    return "\n\n".join(p for p in parts if p.strip())


@dataclass(slots=True)
class Chapter:
    number: int
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    epigraph: list[Block] = field(default_factory=list)
    summary: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    end_notes: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return blocks_text(self.blocks)

    @property
    def word_count(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True, slots=True)
class Creator:
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """Private contact data (an author's email from an old page). Never shown or exported."""

    kind: str  # "email" or "url"
    value: str


@dataclass(frozen=True, slots=True)
class Tag:
    type: TagType
    name: str


@dataclass(slots=True)
class SourceInfo:
    format: str  # "text", "markdown", "html", "ao3-download", "ao3-page", "ffn-page", ...
    encoding: str = "utf-8"
    filename: str = ""
    url: str = ""
    site: str = ""


@dataclass(slots=True)
class ParsedWork:
    title: str
    title_missing: bool = False
    creators: list[Creator] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    summary: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    end_notes: list[Block] = field(default_factory=list)
    rating: str | None = None
    tags: list[Tag] = field(default_factory=list)
    language: str = ""
    complete: bool | None = None
    expected_chapters: int | None = None
    # This file's part number when the story was posted across several files or entries
    # (`Title (2/3)`): what a multi-entry grouping orders by. None when the file says nothing.
    part: int | None = None
    published: str | None = None  # ISO date
    updated: str | None = None  # ISO date
    chapters: list[Chapter] = field(default_factory=list)
    source: SourceInfo = field(default_factory=lambda: SourceInfo(format="text"))
    warnings: list[str] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return sum(c.word_count for c in self.chapters)

    def tags_of(self, tag_type: TagType) -> list[str]:
        return [t.name for t in self.tags if t.type == tag_type]

    def add_tag(self, tag_type: TagType, name: str) -> None:
        name = " ".join(name.split())
        if name and Tag(tag_type, name) not in self.tags:
            self.tags.append(Tag(tag_type, name))
