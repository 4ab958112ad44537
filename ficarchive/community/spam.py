"""Why a new comment waits for a moderator instead of appearing: the cheap signs of spam.

No outside service and no learned model: a comment with many links, or one its author (or
guest address) already posted, is held. Both are what comment spam looks like and what a
reader seldom writes; a held comment loses nothing, a moderator approves it in one click.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LINKS = 3  # a comment with this many links or more is held
_ANCHOR = re.compile(r"<a\s[^>]*>.*?</a>", re.I | re.S)
_ADDRESS = re.compile(r"\bhttps?://|\bwww\.", re.I)
_SPACE = re.compile(r"\s+")


def link_count(body_html: str) -> int:
    """Links in a sanitised comment: its anchors, and the bare addresses outside them."""
    anchors = len(_ANCHOR.findall(body_html))
    return anchors + len(_ADDRESS.findall(_ANCHOR.sub(" ", body_html)))


def _normal(body_html: str) -> str:
    return _SPACE.sub(" ", re.sub(r"<[^>]+>", " ", body_html)).strip().casefold()


def hold_reason(body_html: str, earlier: Iterable[str] = ()) -> str:
    """Why this comment is held ("" when it is not): many links, or the same words again."""
    if link_count(body_html) >= MAX_LINKS:
        return f"it has {MAX_LINKS} or more links"
    text = _normal(body_html)
    if text and any(_normal(other) == text for other in earlier):
        return "the same comment was posted before"
    return ""
