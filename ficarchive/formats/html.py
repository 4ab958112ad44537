"""The one-file HTML download: readable offline in any browser, nothing fetched from anywhere.

Styles are inline in the page; there are no scripts, images, fonts or links out (the table of
contents links within the page). `ficarchive.text` reads this file back to the same work.
"""

from __future__ import annotations

from ficarchive.text.model import ParsedWork

from .markup import (
    GENERATOR,
    STYLESHEET,
    afterword_xhtml,
    chapter_heading,
    chapter_xhtml,
    preface_xhtml,
    xml_text,
)


def _toc(work: ParsedWork) -> str:
    if len(work.chapters) < 2:
        return ""
    count = len(work.chapters)
    items = "".join(
        f'<li><a href="#chapter-{i}">{xml_text(chapter_heading(c, i, count))}</a></li>'
        for i, c in enumerate(work.chapters, start=1)
    )
    return f'<nav class="toc" aria-label="Chapters"><h2>Chapters</h2><ol>{items}</ol></nav>'


def write_html(work: ParsedWork) -> bytes:
    """The work as one self-contained UTF-8 HTML page."""
    lang = xml_text(work.language or "und")
    creators = ", ".join(c.name for c in work.creators)
    title = work.title + (f" by {creators}" if creators else "")
    count = len(work.chapters)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"/>',
        f'<meta name="generator" content="{GENERATOR}"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{xml_text(title)}</title>",
        f"<style>{STYLESHEET}</style></head>",
        '<body><article class="ficarchive-work">',
        preface_xhtml(work),
        _toc(work),
        *(chapter_xhtml(c, i, count) for i, c in enumerate(work.chapters, start=1)),
        afterword_xhtml(work),
        "</article></body></html>",
    ]
    return ("\n".join(p for p in parts if p) + "\n").encode("utf-8")
