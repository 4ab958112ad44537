"""The archive's stored HTML fragments back to blocks, so stored works feed the same writers.

Stored fields are `text.render.blocks_to_html` output passed through the sanitiser: `<p>` (with
`verse` / `align-*` classes), `<blockquote><p>`, `<h2>`-`<h6>`, `<hr class="scene-break">` and
the inline tags. They are read with the importer's own block reader, so a download carries
exactly what the archive shows.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from ficarchive.text.htmlblocks import read_blocks
from ficarchive.text.model import Block
from ficarchive.text.structure import mark_scene_breaks


def blocks_from_html(fragment: str) -> list[Block]:
    """Blocks of a stored HTML fragment; [] for an empty one."""
    if not fragment or not fragment.strip():
        return []
    body = LexborHTMLParser(f"<body>{fragment}</body>").body
    return mark_scene_breaks(read_blocks(body)) if body is not None else []
