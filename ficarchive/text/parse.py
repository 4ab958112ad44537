"""`parse_story`: one call from a file's bytes to a ParsedWork, whatever the format."""

from __future__ import annotations

import re
from pathlib import PurePath

from .decoding import decode_bytes
from .errors import UnsupportedFormat
from .model import ParsedWork, SourceInfo, without_lines

_HTML_START = re.compile(
    r"^\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<(?:!doctype\s+)?html|<head|<body)", re.I
)
_HTML_TAGS = re.compile(r"</?(?:p|br|i|b|em|strong|div|center|hr|font|span)\b[^>]*>", re.I)
_MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp"}
_UNSUPPORTED_EXTS = {
    ".docx": "Word documents are not supported; save as HTML or plain text",
    ".doc": "Word documents are not supported; save as HTML or plain text",
    ".pdf": "PDF is not supported; save the story as HTML or plain text",
    ".mobi": "MOBI is not supported; convert it to HTML first",
}


def detect_format(text: str, filename: str) -> str:
    """ "html", "markdown" or "text": by content first (saved pages often lose their extension)."""
    suffix = PurePath(filename).suffix.lower()
    if _HTML_START.match(text[:2000]) or suffix in _HTML_EXTS:
        return "html"
    if suffix in _MARKDOWN_EXTS:
        return "markdown"
    # A .txt with real HTML markup in it is an HTML page saved under the wrong name.
    if len(_HTML_TAGS.findall(text[:20000])) >= 5:
        return "html"
    return "text"


def parse_story(
    data: bytes, filename: str = "", *, drop: frozenset[str] = frozenset()
) -> ParsedWork:
    """Parse a story file. Raises a `StoryError` subclass, with a message saying how to fix it.

    `drop` holds the `line_key`s of a site's chrome (its banner, menu, disclaimer): blocks with
    that text are left out before the header is read, so the chrome cannot hide it."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in _UNSUPPORTED_EXTS:
        raise UnsupportedFormat(_UNSUPPORTED_EXTS[suffix])
    from .epub import is_epub

    if suffix == ".epub" or is_epub(data):
        from .epub import parse_epub

        source = SourceInfo(format="epub", filename=PurePath(filename).name)
        return parse_epub(data, source, [])
    decoded = decode_bytes(data)
    warnings = list(decoded.repairs)
    fmt = detect_format(decoded.text, filename)
    source = SourceInfo(format=fmt, encoding=decoded.encoding, filename=PurePath(filename).name)
    if fmt == "html":
        from .html import parse_html

        return parse_html(decoded.text, source, warnings, drop=drop)

    from .structure import assemble_work

    if fmt == "markdown":
        from .markdown import read_markdown_blocks

        blocks, title = read_markdown_blocks(decoded.text)
        return assemble_work(without_lines(blocks, drop), source, warnings, title_hint=title)
    from .plaintext import read_text_blocks

    blocks, notes = read_text_blocks(decoded.text)
    warnings.extend(notes)
    return assemble_work(without_lines(blocks, drop), source, warnings)
