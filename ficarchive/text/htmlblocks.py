"""An HTML container to blocks: paragraphs, headings, quotes, verse and scene breaks.

Source markup is never passed through. We walk the tree once and write our own inline HTML:
escaped text plus the few tags in `model.INLINE_TAGS`. Legacy pages rarely use `<p>`; their
paragraphs are bare text split by `<br><br>`, so a run of two `<br>`s ends a paragraph and a
longer run inside flowing text (blank lines used as a divider) is a scene break.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .model import SCENE_BREAK, Block, html_to_text, is_labelled

# Source tag -> the inline tag we write for it.
_INLINE = {
    "i": "em", "em": "em", "cite": "em", "var": "em", "dfn": "em", "address": "em",
    "b": "strong", "strong": "strong",
    "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s",
    "sup": "sup", "sub": "sub",
    "code": "code", "tt": "code", "kbd": "code", "samp": "code",
}  # fmt: skip
_DROPPED = frozenset({
    "script", "style", "noscript", "form", "button", "input", "select", "option", "textarea", "nav",
    "iframe", "object", "embed", "svg", "math", "canvas", "video", "audio", "template", "head",
    "title", "meta", "link", "map", "area", "applet", "frameset", "frame", "label"
})  # fmt: skip
_BLOCKS = frozenset({
    "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "center", "td", "th",
    "section", "article", "main", "aside", "header", "footer", "ul", "ol", "dl", "dt", "dd",
    "table", "tr", "tbody", "thead", "tfoot", "caption", "figure", "figcaption", "fieldset",
    "details", "summary", "body", "html", "hgroup", "menu", "dir"
})  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Block tags whose own attributes may centre or right-align their text.
_ALIGNABLE = frozenset({
    "p", "div", "center", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
    "article", "span"
})  # fmt: skip
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(center|right)", re.I)
_FONT_STYLE = re.compile(
    r"font-style\s*:\s*italic|font-weight\s*:\s*(?:bold|[6-9]00)|text-decoration\s*:[^;]*(?:underline|line-through)",
    re.I,
)
_DIVIDER_IMAGE = re.compile(r"line|divid|break|separat|\bhr\b|rule|border|bar\b|sep\.", re.I)

_EDGE = re.compile(r"^(?:\s*<br>)+\s*|\s*(?:<br>\s*)+$")
_INLINE_EDGE = re.compile(
    r"^((?:<(?:em|strong|u|s|sup|sub|code)>)+)(?:\s|<br>)+|(?:\s|<br>)+((?:</(?:em|strong|u|s|sup|sub|code)>)+)$"
)
_AROUND_BR = re.compile(r"\s*<br>\s*")
_EMPTY_INLINE = re.compile(r"<(em|strong|u|s|sup|sub|code)>(\s*)</\1>")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad]")

_VERSE_LINE = 72  # lines no longer than this, several in a block, are kept as verse
_BR_BREAK_RUN = 4  # this many <br> in a row inside flowing text mean "scene change"


@dataclass(frozen=True, slots=True)
class _Context:
    kind: str = "p"  # "p", "quote" or "heading"
    level: int = 0
    align: str = ""
    pre: bool = False


def _style_align(node) -> str:
    attrs = node.attributes
    if not attrs:
        return ""
    align = (attrs.get("align") or "").strip().lower()
    if align in ("center", "middle"):
        return "center"
    if align == "right":
        return "right"
    style = attrs.get("style")
    if style:
        m = _TEXT_ALIGN.search(style)
        if m:
            return m.group(1).lower()
    return ""


def _span_style(node) -> list[str]:
    """Inline tags implied by a `<span style=…>` (word processors and AO3 work skins use these)."""
    style = (node.attributes or {}).get("style")
    if not style or not _FONT_STYLE.search(style):
        return []
    low = style.lower().replace(" ", "")
    tags = []
    if "font-style:italic" in low:
        tags.append("em")
    if re.search(r"font-weight:(?:bold|[6-9]00)", low):
        tags.append("strong")
    if "underline" in low:
        tags.append("u")
    if "line-through" in low:
        tags.append("s")
    return tags


class _Reader:
    """State of one walk: the inline buffer of the block being built and the blocks so far."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.has_text = False
        self.open: list[str] = []  # inline tags open at this point of the walk
        self.ctx = _Context()
        self.br_run = 0
        self.split_by_br = (
            False  # the last block was ended by <br><br>, i.e. we are in flowing text
        )

    # --- building ----------------------------------------------------------------------------

    def text(self, raw: str) -> None:
        if self.ctx.pre:
            if raw.strip():
                self.has_text = True
                self.br_run = 0
            self.parts.append(html.escape(raw, quote=False).replace("\n", "<br>"))
            return
        if raw.isspace():
            if self.parts and self.parts[-1] != " ":
                self.parts.append(" ")
            return
        self.has_text = True
        self.br_run = 0
        self.parts.append(html.escape(raw, quote=False))

    def line_break(self) -> None:
        self.br_run += 1
        if self.br_run == 1:
            self.parts.append("<br>")
        elif self.br_run == 2:
            if self.has_text:
                self.flush(by_br=True)
            else:
                self._reset()
        elif self.br_run == _BR_BREAK_RUN and self.split_by_br:
            self.scene_break()

    def scene_break(self) -> None:
        self.flush()
        if self.blocks and self.blocks[-1].kind != "break":
            self.blocks.append(SCENE_BREAK)

    def _reset(self) -> None:
        self.parts = [f"<{t}>" for t in self.open]
        self.has_text = False

    def flush(self, by_br: bool = False) -> None:
        """End the block being built (if it has any text) and start a new one."""
        if not self.has_text:
            self._reset()
            if not by_br:
                self.br_run = 0
            return
        closing = "".join(f"</{t}>" for t in reversed(self.open))
        markup = " ".join(("".join(self.parts) + closing).split())
        self._reset()
        self.split_by_br = by_br
        if not by_br:
            self.br_run = 0
        block = _make_block(markup, self.ctx)
        if block is not None:
            self.blocks.append(block)

    # --- walking -------------------------------------------------------------------------------

    def enter(self, node) -> tuple[object, bool]:
        """Handle an opening tag; return (token for `leave`, whether to walk its children)."""
        tag = node.tag
        if tag == "-text":
            self.text(node.text_content or "")
            return None, False
        if tag in _INLINE:
            name = _INLINE[tag]
            if name in self.open:
                return None, True
            self.parts.append(f"<{name}>")
            self.open.append(name)
            return ("inline", (name,)), True
        if tag == "br":
            self.line_break()
            return None, False
        if tag in _BLOCKS:
            return self._enter_block(node, tag)
        if tag in _DROPPED or tag.startswith("-") or tag.startswith("!"):
            # ASP.NET-era sites wrap the whole page in one <form>; a real form holds little text.
            return None, tag == "form" and len(node.text(deep=True)) > 2000
        if tag == "hr":
            self.scene_break()
            return None, False
        if tag == "img":
            attrs = node.attributes or {}
            if _DIVIDER_IMAGE.search(" ".join(v or "" for v in attrs.values())):
                self.scene_break()
            return None, False
        if tag in ("span", "font"):
            tags = [t for t in _span_style(node) if t not in self.open]
            if tags:
                self.parts.extend(f"<{t}>" for t in tags)
                self.open.extend(tags)
                return ("inline", tuple(tags)), True
        return None, True  # any other tag is unwrapped: its text is kept

    def _enter_block(self, node, tag: str) -> tuple[object, bool]:
        if tag == "pre":
            raw = node.text(deep=True)
            if "\n\n" in raw.strip() or raw.count("\n") > 20:
                # A whole story in <pre>: read it as the plain text it is.
                from .plaintext import read_text_blocks

                self.flush()
                self.blocks.extend(read_text_blocks(raw)[0])
                return None, False
        self.flush()
        saved = self.ctx
        ctx = saved
        if tag in _ALIGNABLE:
            align = "center" if tag == "center" else _style_align(node)
            if align:
                ctx = _Context(ctx.kind, ctx.level, align, ctx.pre)
        if tag in _HEADINGS:
            ctx = _Context("heading", _HEADINGS[tag], ctx.align, ctx.pre)
        elif tag == "blockquote":
            ctx = _Context("quote", 0, ctx.align, ctx.pre)
        elif tag == "pre":
            ctx = _Context(ctx.kind, ctx.level, ctx.align, True)
        self.ctx = ctx
        return ("block", saved), True

    def leave(self, token) -> None:
        kind, value = token
        if kind == "none":
            return
        if kind == "inline":
            for name in reversed(value):
                if self.parts and self.parts[-1] == f"<{name}>":
                    self.parts.pop()
                else:
                    self.parts.append(f"</{name}>")
                self.open.pop()
        else:
            self.flush()
            self.ctx = value


def _unwrap_lines(lines: list[str]) -> bool:
    """True when `<br>`-separated lines are prose hard-wrapped at a fixed width, not verse."""
    if len(lines) < 3 or sum(map(is_labelled, lines)) >= 2:
        return False  # `Fandom: …<br>Written for: …<br>by …` is a header, a field a line
    lengths = [len(line) for line in lines[:-1]]
    width = max(lengths)
    return 50 <= width <= 100 and all(n >= 0.75 * width for n in lengths)


def _trim(markup: str) -> str:
    """Strip spaces and `<br>`s from both ends, also where they sit just inside inline tags."""
    while True:
        cleaned = markup.strip()
        if cleaned.startswith("<br>") or cleaned.endswith("<br>"):
            cleaned = _EDGE.sub("", cleaned)
        if cleaned.startswith("<") or cleaned.endswith(">"):
            cleaned = _INLINE_EDGE.sub(r"\1\2", cleaned)
        if "></" in cleaned:
            cleaned = _EMPTY_INLINE.sub(r"\2", cleaned)
        if cleaned == markup:
            return cleaned
        markup = cleaned


def _make_block(markup: str, ctx: _Context) -> Block | None:
    invisible = _INVISIBLE.search(markup) is not None
    if invisible:
        markup = _INVISIBLE.sub("", markup)
    markup = _trim(markup)
    if "<br>" in markup:
        markup = _AROUND_BR.sub("<br>", markup)
    if not markup:
        return None
    kind = ctx.kind
    if "<br>" in markup and kind == "p":
        lines = [line.strip() for line in html_to_text(markup).split("\n")]
        if _unwrap_lines(lines):
            markup = markup.replace("<br>", " ")
        elif not ctx.pre and max(len(line) for line in lines) <= _VERSE_LINE:
            kind = "verse"
    elif kind == "heading" and "<br>" in markup:
        markup = markup.replace("<br>", " ")
    if invisible and not html_to_text(markup).strip():
        return None
    return Block(kind=kind, html=markup, align=ctx.align, level=ctx.level)


def read_blocks(node) -> list[Block]:
    """Blocks of a selectolax node's contents (the node's own tag does not make a block).

    Walks the tree once, iteratively: legacy pages nest unclosed `<font>` tags thousands deep.
    """
    reader = _Reader()
    stack: list[tuple[object, object]] = []
    current = node.child
    while True:
        if current is None:
            if not stack:
                break
            parent, token = stack.pop()
            reader.leave(token)
            current = parent.next
            continue
        token, descend = reader.enter(current)
        child = current.child if descend else None
        if child is not None:
            stack.append((current, token or ("none", None)))
            current = child
        else:
            if token is not None:
                reader.leave(token)
            current = current.next
    reader.flush()
    blocks = reader.blocks
    while blocks and blocks[-1].kind == "break":
        blocks.pop()
    while blocks and blocks[0].kind == "break":
        blocks.pop(0)
    return blocks
