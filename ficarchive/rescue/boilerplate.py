"""A site's boilerplate: the lines its pages repeat around every story, learned from the pages.

Disclaimers, `<< back`, "Return to the archive", copyright footers and "Feedback welcome"
lines sit at the top or bottom of a site's story pages, the same words on page after page.
We count each block's normalised text once per page, at the edges of the story text and in
the notes; a text on at least `MIN_PAGES` pages and on `MIN_SHARE` of the story pages, in
more than one work when the site has several, is boilerplate. A line that is story text on
only one or two pages never is, nor are scene breaks, end marks, chapter headings or dialogue.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ficarchive.text.headings import match_heading
from ficarchive.text.model import Block, ParsedWork, line_key
from ficarchive.text.structure import is_scene_break

MIN_PAGES = 3
MIN_SHARE = 0.3
EDGE_BLOCKS = 6  # blocks at each end of a chapter's text where boilerplate sits
MAX_LENGTH = 600  # longer blocks are prose, however often they repeat

_END_MARK = re.compile(
    r"^\W*(?:the\s+end|end|fin|finis|owari|tbc|t\.b\.c\.?|to\s+be\s+continued|"
    r"end\s+of\s+(?:part|chapter)(?:\s+\w+)?|continued)\W*$",
    re.I,
)
_DIALOGUE = re.compile(r"^\s*[\"“”'‘’«»„—–-]")


def _can_be_boilerplate(text: str) -> bool:
    """Only lines that could be site chrome count: not story rhythm, not headings."""
    if not text or len(text) > MAX_LENGTH or is_scene_break(text):
        return False
    if _END_MARK.match(text) or _DIALOGUE.match(text) or match_heading(text) is not None:
        return False
    return any(c.isalpha() for c in text)


def _edge_texts(blocks: list[Block]) -> Iterable[Block]:
    texts = [b for b in blocks if b.kind != "break"]
    if len(texts) <= 2 * EDGE_BLOCKS:
        return texts
    return texts[:EDGE_BLOCKS] + texts[-EDGE_BLOCKS:]


def candidate_blocks(work: ParsedWork) -> list[Block]:
    """The blocks of a parsed page where boilerplate can sit: notes and the body's edges.

    Summaries are the story's own words (every chapter page of a story repeats them), never
    the site's."""
    blocks = [*work.notes, *work.end_notes]
    if work.title and not work.title_missing:
        blocks.append(Block(html=html.escape(work.title, quote=False)))  # a banner read as title
    for chapter in work.chapters:
        blocks += [*chapter.notes, *chapter.epigraph, *chapter.end_notes]
        blocks += _edge_texts(chapter.blocks)
    return blocks


def learn_boilerplate(
    pages: dict[str, ParsedWork],
    work_of: dict[str, str] | None = None,
    *,
    min_pages: int = MIN_PAGES,
    min_share: float = MIN_SHARE,
) -> list[str]:
    """The texts repeated across the site's story pages, as first seen, most frequent first.

    `pages` maps each story page to its parsed work; `work_of` says which planned work each
    page belongs to, so a line one story repeats in each of its chapters stays its own.
    """
    seen_on: Counter[str] = Counter()
    works_with: dict[str, set[str]] = defaultdict(set)
    first_text: dict[str, str] = {}
    for source, work in pages.items():
        on_page: set[str] = set()
        for block in candidate_blocks(work):
            text = " ".join(block.text.split())
            if not _can_be_boilerplate(text):
                continue
            key = line_key(text)
            first_text.setdefault(key, text)
            on_page.add(key)
        for key in on_page:
            seen_on[key] += 1
            works_with[key].add((work_of or {}).get(source, source))
    total = len(pages)
    all_works = len(set((work_of or {}).get(s, s) for s in pages))
    needed_works = 2 if all_works >= 2 else 1
    found = [
        key
        for key, count in seen_on.most_common()
        if count >= min_pages and count / max(total, 1) >= min_share
        and len(works_with[key]) >= needed_works
    ]  # fmt: skip
    return [first_text[key] for key in found]


_LABEL = re.compile(r"^[\w'’/ ]{1,24}:\s+")


def _is_boilerplate(block: Block, drop: set[str]) -> bool:
    """The site's line, or a story header's `Disclaimer: <the site's line>`."""
    text = line_key(block.text)
    return text in drop or _LABEL.sub("", text, count=1) in drop


def _strip_blocks(blocks: list[Block], drop: set[str]) -> list[Block]:
    kept = [b for b in blocks if b.kind == "break" or not _is_boilerplate(b, drop)]
    while kept and kept[0].kind == "break":
        kept.pop(0)
    while kept and kept[-1].kind == "break":
        kept.pop()
    return kept


def remove_boilerplate(work: ParsedWork, boilerplate: Iterable[str]) -> int:
    """Take the boilerplate blocks out of every text of the work; returns how many went."""
    drop = {line_key(text) for text in boilerplate}
    if not drop:
        return 0
    removed = 0
    holders = [work, *work.chapters]
    for holder in holders:
        for name in ("notes", "end_notes", "epigraph", "blocks"):
            if not hasattr(holder, name):
                continue
            before = getattr(holder, name)
            after = _strip_blocks(before, drop)
            removed += len(before) - len(after)
            setattr(holder, name, after)
    return removed
