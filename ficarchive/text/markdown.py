"""Markdown stories: rendered with markdown-it, then read like any HTML body.

A YAML-style front matter block (`---` / `title: …` / `---`) becomes header lines.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .headings import match_heading
from .model import Block
from .plaintext import inline_markup

_FRONT_MATTER = re.compile(r"\A---\s*\n((?:[\w' -]+:.*\n)+)---\s*\n")


def read_markdown_blocks(text: str) -> tuple[list[Block], str]:
    """Blocks of a Markdown story (front matter first, as header lines) and its first H1."""
    from selectolax.lexbor import LexborHTMLParser

    from .htmlblocks import read_blocks

    header: list[Block] = []
    m = _FRONT_MATTER.match(text)
    if m:
        lines = [line.strip() for line in m.group(1).splitlines() if line.strip()]
        header.append(Block(kind="verse", html=inline_markup("\n".join(lines))))
        text = text[m.end() :]
    # html=False: raw HTML in a Markdown story is shown as text, never passed through.
    rendered = MarkdownIt("commonmark", {"html": False, "typographer": False}).render(text)
    tree = LexborHTMLParser(f"<html><body>{rendered}</body></html>")
    blocks = read_blocks(tree.body)
    title = ""
    if (
        blocks
        and blocks[0].kind == "heading"
        and blocks[0].level == 1
        and not match_heading(blocks[0].text)
    ):
        title = blocks[0].text.strip()
        blocks = blocks[1:]
    return header + blocks, title
