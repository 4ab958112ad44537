"""The plain-text download: UTF-8, a metadata header, paragraphs wrapped at 72 columns.

Verse keeps its line breaks; scene breaks are a centred `* * *`; CJK text, which has no spaces
to wrap at, is left to the reader's own wrapping.
"""

from __future__ import annotations

import re
import textwrap

from ficarchive.text.model import Block, ParsedWork

from .markup import TAG_LABELS, chapter_heading, chapters_display, language_name

WIDTH = 72
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _wrap(text: str, indent: str = "") -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    if len(_CJK.findall(text[:200])) > 20:
        return indent + text
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _block(block: Block, indent: str = "") -> str:
    if block.kind == "break":
        return "* * *".center(WIDTH).rstrip()
    text = block.text
    if block.kind == "verse" or "\n" in text.strip():
        return "\n".join(indent + "    " + " ".join(line.split()) for line in text.split("\n"))
    if block.kind == "heading":
        return _wrap(text.upper() if text.isascii() else text, indent)
    if block.kind == "quote":
        return _wrap(text, indent + "    ")
    if block.align == "center":
        return "\n".join(line.center(WIDTH).rstrip() for line in _wrap(text).split("\n"))
    return _wrap(text, indent)


def _blocks(blocks: list[Block], indent: str = "") -> str:
    return "\n\n".join(p for p in (_block(b, indent) for b in blocks) if p.strip())


def _section(label: str, blocks: list[Block]) -> list[str]:
    return [f"{label}:", _blocks(blocks, "  ")] if blocks else []


def _header(work: ParsedWork) -> list[str]:
    lines = [work.title]
    if work.creators:
        lines.append("by " + ", ".join(c.name for c in work.creators))
    meta = []
    names: dict = {}
    for tag in work.tags:
        names.setdefault(tag.type, []).append(tag.name)
    for tag_type, (one, many) in TAG_LABELS.items():
        found = names.get(tag_type) or (
            [work.rating] if tag_type == "rating" and work.rating else []
        )
        if found:
            label = one if len(found) == 1 else many
            line = f"{label}: {', '.join(found)}"
            meta.append(textwrap.fill(line, WIDTH, subsequent_indent="  ", break_long_words=False))
    if work.language:
        meta.append(f"Language: {language_name(work.language)}")
    if work.published:
        meta.append(f"Published: {work.published}")
    if work.updated and work.updated != work.published:
        meta.append(f"Updated: {work.updated}")
    meta.append(f"Words: {work.word_count:,}")
    status = {True: " (complete)", False: " (in progress)"}.get(work.complete, "")
    meta.append(f"Chapters: {chapters_display(work)}{status}")
    return ["\n".join(lines), "\n".join(meta)]


def write_txt(work: ParsedWork) -> bytes:
    """The work as UTF-8 plain text."""
    rule = "=" * WIDTH
    parts = _header(work)
    parts += _section("Summary", work.summary)
    parts += _section("Notes", work.notes)
    count = len(work.chapters)
    for position, chapter in enumerate(work.chapters, start=1):
        parts.append(rule)
        heading = chapter_heading(chapter, position, count)
        if heading:
            parts.append(heading)
        parts += _section("Summary", chapter.summary)
        parts += _section("Notes", chapter.notes)
        if chapter.epigraph:
            parts.append(_blocks(chapter.epigraph, "    "))
        parts.append(_blocks(chapter.blocks))
        parts += _section("End notes", chapter.end_notes)
    parts.append(rule)
    parts += _section("End notes", work.end_notes)
    if work.complete is True:
        parts.append("The End")
    elif work.complete is False:
        parts.append("To be continued")
    return ("\n\n".join(p for p in parts if p) + "\n").encode("utf-8")
