"""Plain text to blocks: paragraphs, kept line breaks (verse, header lines) and inline emphasis.

Plain-text fics come in three shapes: blank-line separated paragraphs on one line each, the same
but hard-wrapped at a fixed width (mailing-list era), or one paragraph per line with no blank
lines at all. We work out which from the line lengths, then rejoin wrapped lines and keep the
breaks that mean something (lyrics, header lines).
"""

from __future__ import annotations

import html
import re

from .model import Block, is_labelled

_STRONG = re.compile(
    r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])|(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])", re.S
)
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.S)
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.S)
_INDENT = re.compile(r"^(\s*)")
_UNDERLINE = re.compile(r"^(?:={3,}|-{3,}|~{3,}|\*{3,}|_{3,})$")
_KEY_LINE = re.compile(r"^\s*[A-Za-z][\w '/.-]{0,25}:\s")


_RULE = re.compile(r"^\s*([-_=*~#.])\1{4,}\s*$")


def inline_markup(raw: str) -> str:
    """Escape text and turn `**strong**`, `*em*` and `_em_` into tags; newlines become `<br>`."""
    out = html.escape(raw, quote=False)
    # Most paragraphs have no markers at all; the regexes are only worth running when they do.
    star, underscore = "*" in out, "_" in out
    if (star and "**" in out) or (underscore and "__" in out):
        out = _STRONG.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", out)
    if star:
        out = _EM_STAR.sub(r"<em>\1</em>", out)
    if underscore:
        out = _EM_UNDERSCORE.sub(r"<em>\1</em>", out)
    return out.replace("\n", "<br>") if "\n" in out else out


def _wrap_width(lines: list[str]) -> int | None:
    """The fixed width a text was hard-wrapped at, or None when lines are whole paragraphs."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 6:
        return None
    width = lengths[int(len(lengths) * 0.98) - 1 if len(lengths) > 50 else -1]
    if width > 110 or width < 30:
        return None
    # In wrapped text the lines that continue into another line sit just under the width
    # (header lines like `Rating: PG` continue too, but say nothing about wrapping).
    continuing = [
        len(line)
        for line, following in zip(lines, lines[1:])
        if line.strip() and following.strip() and not _KEY_LINE.match(line)
    ]
    near = sum(1 for n in continuing if n >= 0.7 * width)
    return width if continuing and near >= 0.5 * len(continuing) else None


def _is_soft_break(line: str, width: int) -> bool:
    return len(line.rstrip()) >= 0.7 * width


def _group_lines(lines: list[str], width: int | None) -> list[list[str]]:
    """Split lines into paragraph groups."""
    non_blank = sum(1 for line in lines if line.strip())
    blank = len(lines) - non_blank
    groups: list[list[str]] = []
    current: list[str] = []
    # Without blank lines between paragraphs, each line (or each indented line, when wrapped)
    # starts a paragraph.
    dense = non_blank > 20 and blank < non_blank * 0.1
    for line in lines:
        if not line.strip():
            if current:
                groups.append(current)
                current = []
            continue
        if current and width is None and (len(line) > 120 or len(current[-1]) > 120):
            # Lines this long are whole paragraphs, not verse or header lines.
            groups.append(current)
            current = []
        elif (
            current
            and width
            and _INDENT.match(line).group(1)
            and not _centred(line, width)
            and not is_labelled(current[0].strip())  # `Summary: …` continued on an indented line
        ):
            # Wrapped text with indented first lines: the indent starts a paragraph.
            groups.append(current)
            current = []
        elif dense and current and (not width or not _is_soft_break(current[-1], width)):
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _centred(line: str, width: int | None) -> bool:
    lead = len(line) - len(line.lstrip(" "))
    return lead >= 8 and (width is None or lead + len(line.strip()) <= width + 5)


def read_text_blocks(text: str) -> tuple[list[Block], list[str]]:
    """Blocks of a plain-text story, and notes on what was repaired."""
    notes: list[str] = []
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    width = _wrap_width(lines)
    rejoined = False
    blocks: list[Block] = []
    for group in _group_lines(lines, width):
        centred = group[0].startswith("        ") and all(_centred(line, width) for line in group)
        align = "center" if centred else ""
        stripped = [line.strip() for line in group]
        if len(stripped) == 2 and _UNDERLINE.match(stripped[1]) and len(stripped[0]) <= 80:
            # A setext-style heading: "CHAPTER ONE" underlined with "=====".
            blocks.append(Block(kind="heading", level=2, html=inline_markup(stripped[0])))
            continue
        if len(stripped) == 1:
            blocks.append(Block(kind="p", html=inline_markup(stripped[0]), align=align))
            continue
        joined = stripped[0]
        hard = 0
        header = is_labelled(stripped[0])
        for prev, line in zip(group, stripped[1:]):
            if _RULE.match(prev) or _RULE.match(line):
                joined += "\n" + line  # a rule (`_____`) is never part of a wrapped sentence
                hard += 1
            elif header and is_labelled(line):
                joined += "\n" + line  # `Disclaimer: …` then `Archive: …`: one field a line
                hard += 1
            elif width is not None and _is_soft_break(prev, width):
                joined += " " + line
                rejoined = True
            else:
                joined += "\n" + line
                hard += 1
        kind = "verse" if hard == len(stripped) - 1 else "p"
        blocks.append(Block(kind=kind, html=inline_markup(joined), align=align))
    if rejoined:
        notes.append(f"rejoined lines hard-wrapped at {width} characters")
    return blocks, notes
