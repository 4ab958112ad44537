"""The EPUB 3 download (ebooklib): a title page, one document per chapter, an afterword.

- Title page: title, creators, tags by type, language and stats, summary and notes.
- One XHTML document per chapter: its title, summary and notes, epigraph, body with scene
  breaks, end notes. The navigation document (and an NCX for older readers) lists them.
- A typographic cover (`cover`): title and creators, since the archive holds no images.
- Package metadata: title, creators, language, the summary as description, tags as subjects,
  publication and modification dates.

The documents use the same markup as the HTML download (`markup`), so the importer reads a
downloaded EPUB back to the same work. The tests check every EPUB with epubcheck.
"""

from __future__ import annotations

import io
import uuid

from ebooklib import epub

from ficarchive.text.model import ParsedWork, blocks_text

from .cover import cover_svg
from .markup import (
    GENERATOR,
    STYLESHEET,
    XML_FORBIDDEN,
    afterword_xhtml,
    chapter_heading,
    chapter_xhtml,
    preface_xhtml,
)


def work_identifier(work: ParsedWork) -> str:
    """A stable identifier: the same work keeps it across downloads (e-readers match on it)."""
    key = work.source.url or "\n".join([work.title, *(c.name for c in work.creators)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'ficarchive:' + key)}"


def _plain(text: str) -> str:
    """Text for package metadata: lxml refuses the control characters XML forbids."""
    return XML_FORBIDDEN.sub("", text)


def _document(uid: str, file_name: str, title: str, lang: str, body: str, css) -> epub.EpubHtml:
    doc = epub.EpubHtml(uid=uid, file_name=file_name, title=_plain(title), lang=lang)
    doc.content = (
        f'<html><head><title></title></head><body class="ficarchive-work">{body}</body></html>'
    )
    doc.add_item(css)
    return doc


def write_epub(work: ParsedWork, identifier: str | None = None) -> bytes:
    """The work as EPUB 3 bytes."""
    lang = work.language or "und"
    book = epub.EpubBook()
    book.set_identifier(identifier or work_identifier(work))
    book.set_title(_plain(work.title))
    book.set_language(lang)
    for index, creator in enumerate(work.creators, start=1):
        book.add_author(_plain(creator.name), uid=f"creator-{index}")
    summary = _plain(blocks_text(work.summary))
    if summary:
        book.add_metadata("DC", "description", summary)
    for tag in work.tags:
        book.add_metadata("DC", "subject", _plain(tag.name))
    if work.published:
        book.add_metadata("DC", "date", work.published)
    # Replaces ebooklib's own generator line: the importer knows its own EPUBs by it.
    book.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": GENERATOR})

    book.set_cover("cover.svg", cover_svg(work).encode("utf-8"), create_page=False)
    css = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLESHEET
    )
    book.add_item(css)

    title_page = _document("title-page", "title.xhtml", work.title, lang, preface_xhtml(work), css)
    book.add_item(title_page)
    count = len(work.chapters)
    chapters = []
    for position, chapter in enumerate(work.chapters, start=1):
        heading = chapter_heading(chapter, position, count) or work.title
        doc = _document(
            f"chapter-{position}",
            f"chapter-{position:04d}.xhtml",
            heading,
            lang,
            chapter_xhtml(chapter, position, count),
            css,
        )
        book.add_item(doc)
        chapters.append(doc)
    spine = [title_page, "nav", *chapters]
    toc = [epub.Link("title.xhtml", "Title page", "toc-title"), *chapters]
    afterword = afterword_xhtml(work)
    if afterword:
        end = _document("afterword", "afterword.xhtml", "Afterword", lang, afterword, css)
        book.add_item(end)
        spine.append(end)
        toc.append(end)
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())

    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False, "raise_exceptions": True})
    return out.getvalue()
