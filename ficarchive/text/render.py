"""Blocks to HTML: the one place that decides how paragraphs, scene breaks and verse are marked up."""

from __future__ import annotations

from .model import Block


def block_to_html(block: Block) -> str:
    if block.kind == "break":
        return '<hr class="scene-break">'
    style = f' class="align-{block.align}"' if block.align else ""
    if block.kind == "heading":
        level = min(max(block.level, 2), 6)
        return f"<h{level}{style}>{block.html}</h{level}>"
    if block.kind == "verse":
        cls = f"verse align-{block.align}" if block.align else "verse"
        return f'<p class="{cls}">{block.html}</p>'
    if block.kind == "quote":
        return f"<blockquote{style}><p>{block.html}</p></blockquote>"
    return f"<p{style}>{block.html}</p>"


def blocks_to_html(blocks: list[Block]) -> str:
    """HTML for a body; the result is still run through the sanitiser before storage."""
    return "\n".join(block_to_html(b) for b in blocks)
