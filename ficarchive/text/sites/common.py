"""What every site reader needs: node text, chapter bodies with scene breaks, dates, finishing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin

from ..htmlblocks import read_blocks
from ..language import detect_language
from ..model import Block, ParsedWork
from ..structure import mark_scene_breaks

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%Y/%m/%d",
)


def node_text(node) -> str:
    """A node's text on one line, whitespace collapsed; '' for None."""
    if node is None:
        return ""
    return " ".join(node.text(deep=True, separator=" ").split())


def first(root, *selectors: str):
    """The first node matching any of the selectors, tried in order (sites change markup)."""
    for selector in selectors:
        node = root.css_first(selector)
        if node is not None:
            return node
    return None


def body_blocks(node, drop: tuple[str, ...] = ()) -> list[Block]:
    """A chapter body's blocks, with the given site landmarks removed first."""
    if node is None:
        return []
    for selector in drop:
        for junk in node.css(selector):
            junk.decompose()
    return mark_scene_breaks(read_blocks(node))


def note_blocks(node) -> list[Block]:
    """A summary or notes box: its blocks, breaks kept only between text."""
    if node is None:
        return []
    return mark_scene_breaks(read_blocks(node))


def iso_date(text: str) -> str | None:
    """`2019-01-01`, `4/13/2008`, `January 13, 2011` -> ISO date; None when unreadable."""
    text = " ".join(text.replace(",", ", ").split()).replace(" ,", ",").strip(" .")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    m = re.search(r"\d{4}-\d{2}-\d{2}", text)
    return m.group(0) if m else None


def unix_date(stamp: str) -> str | None:
    try:
        return datetime.fromtimestamp(int(stamp), tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def absolute(url: str, base: str) -> str:
    """A link made absolute against the site's address (saved pages keep relative links)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    return urljoin(base, url)


def finish_work(work: ParsedWork) -> ParsedWork:
    """Fill what a site page may leave out: a title, and the language when the site did not say."""
    if not work.title:
        work.title = "Untitled"
        work.title_missing = True
    if not work.language:
        work.language = detect_language(" ".join(c.text[:3000] for c in work.chapters[:3]))
    return work
