"""A typographic cover for EPUB downloads: the title and creators set on a plain page (SVG).

The archive holds no cover images; e-readers show a book without one as a blank or generic tile
in their library, so every EPUB gets this page-sized SVG with the title in large type. Text is
wrapped here (SVG does not wrap): at spaces, or anywhere in scripts written without them.
"""

from __future__ import annotations

import textwrap

from ficarchive.text.model import ParsedWork

from .markup import xml_text

WIDTH, HEIGHT = 600, 900


def _is_wide(text: str) -> bool:
    """Mostly CJK (and other wide) characters: half as many fit on a line."""
    return sum(1 for ch in text if ch >= "\u1100") > len(text) // 3


def _lines(text: str, width: int, most: int) -> list[str]:
    if _is_wide(text):
        width = max(width // 2, 1)
        lines = [text[i : i + width] for i in range(0, len(text), width)]
    else:
        lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return lines


def cover_svg(work: ParsedWork) -> str:
    """The cover as an SVG document."""
    title = _lines(work.title or "Untitled", 16, 6)
    byline = ", ".join(c.name for c in work.creators)
    creators = _lines(byline, 30, 2) if byline else []
    size = 52 if len(title) <= 3 else 42
    top = 260 - (len(title) - 1) * size // 2
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4efe6"/>',
        f'<rect x="30" y="30" width="{WIDTH - 60}" height="{HEIGHT - 60}" fill="none" '
        'stroke="#7a2e2e" stroke-width="4"/>',
        '<g font-family="serif" text-anchor="middle" fill="#222">',
    ]
    for i, line in enumerate(title):
        y = top + i * int(size * 1.25)
        parts.append(
            f'<text x="{WIDTH // 2}" y="{y}" font-size="{size}" font-weight="bold">'
            f"{xml_text(line)}</text>"
        )
    y = max(top + len(title) * int(size * 1.25) + 70, 560)
    for i, line in enumerate(creators):
        parts.append(
            f'<text x="{WIDTH // 2}" y="{y + i * 40}" font-size="30" font-style="italic">'
            f"{xml_text(line)}</text>"
        )
    parts.append("</g></svg>")
    return "\n".join(parts)
