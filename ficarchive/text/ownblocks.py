"""Our own block markup back to blocks: the archive's stored HTML, and the bodies of our downloads.

Stored fields and downloads are mostly `text.render.blocks_to_html` output passed through the sanitiser:
`<p>` (with `verse` / `align-*` classes), `<blockquote><p>`, `<h2>`-`<h6>`,
`<hr class="scene-break">`, and inside them only the inline tags. Those are taken as they are,
line breaks and all (the importer's block reader would rejoin short lines it takes for hard
wrapping). Anything else — a posted work's lists, a quote of several paragraphs, `<b>`/`<i>` — goes
through the importer's block reader, which writes our own inline markup.
"""

from __future__ import annotations

import re
from html import escape

from selectolax.lexbor import LexborHTMLParser

from .htmlblocks import read_blocks
from .model import INLINE_TAGS, SCENE_BREAK, Block
from .structure import mark_scene_breaks

_TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")
_HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _inline(node) -> str | None:
    """The node's inner markup when it holds only our inline tags, without attributes."""
    markup = node.inner_html or ""
    for m in _TAG.finditer(markup):
        if m.group(1).lower() not in INLINE_TAGS or (
            m.group(0) not in (f"<{m.group(1)}>", f"</{m.group(1)}>")
        ):
            return None
    if "<" in _TAG.sub("", markup):  # a comment or anything else that is not a plain tag
        return None
    # The serialiser writes U+00A0 as &nbsp;, which XML (EPUB) does not know.
    return markup.replace("&nbsp;", "\xa0").strip()


def _block(node) -> list[Block] | None:
    """Blocks for one of our own block elements; None for anything else."""
    tag = node.tag
    classes = (node.attributes.get("class") or "").split()
    align = next((c.removeprefix("align-") for c in classes if c.startswith("align-")), "")
    if tag == "hr":
        return [SCENE_BREAK]
    if tag == "blockquote":
        inner = [c for c in node.iter() if c.tag != "-text" or (c.text() or "").strip()]
        if len(inner) == 1 and inner[0].tag == "p":
            markup = _inline(inner[0])
            return None if markup is None else [Block(kind="quote", html=markup, align=align)]
        return None
    markup = _inline(node) if tag == "p" or tag in _HEADINGS else None
    if markup is None:
        return None
    if not markup:
        return []
    if tag in _HEADINGS:
        return [Block(kind="heading", html=markup, align=align, level=_HEADINGS[tag])]
    return [Block(kind="verse" if "verse" in classes else "p", html=markup, align=align)]


def blocks_from_html(fragment: str) -> list[Block]:
    """Blocks of a stored HTML fragment; [] for an empty one."""
    if not fragment or not fragment.strip():
        return []
    return read_own_blocks(LexborHTMLParser(f"<body>{fragment}</body>").body)


def read_own_blocks(container) -> list[Block]:
    """Blocks of the block elements directly inside `container` (a selectolax node or None)."""
    if container is None:
        return []
    blocks: list[Block] = []
    for node in container.iter(include_text=True):
        if node.tag == "-text":
            if (node.text() or "").strip():
                blocks.extend(
                    read_blocks(LexborHTMLParser(f"<body><p>{escape(node.text())}</p></body>").body)
                )
            continue
        own = _block(node)
        blocks.extend(own if own is not None else read_blocks(node))
    return mark_scene_breaks(blocks)
