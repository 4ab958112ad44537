"""Writers: a work (plain `ParsedWork` data) to the files readers take away — EPUB 3, one-file
HTML, plain text — and the file names they are saved under. No Django here: the archive's
download views and `ficarchive convert` both hand these a ParsedWork.
"""

from __future__ import annotations

FORMATS = ("epub", "html", "txt")
MEDIA_TYPES = {
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def render_work(work, fmt: str) -> bytes:
    """The work as a file in `fmt` (one of FORMATS)."""
    if fmt == "epub":
        from .epub import write_epub

        return write_epub(work)
    if fmt == "html":
        from .html import write_html

        return write_html(work)
    if fmt == "txt":
        from .txt import write_txt

        return write_txt(work)
    raise ValueError(f"unknown download format {fmt!r}; choose one of {', '.join(FORMATS)}")
