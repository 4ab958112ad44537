"""EPUB files: ficarchive's own downloads, the Archive of Our Own's EPUBs, and any other EPUB.

The package is read with ebooklib; the spine's documents are then read by the HTML readers:

- ficarchive's own EPUB: its documents put end to end are our HTML download's markup, read by
  `sites.ficarchive` (the round trip gives back the same work).
- AO3's EPUB is AO3's HTML download split into files by Calibre, which renames classes
  (`meta` -> `calibre1`, `userstuff` -> `userstuff2`). The pieces are joined back into one
  download (one `#preface`, one `#chapters`, one `#afterword`, classes restored) and read by
  the AO3 download reader, so it gives the same work as AO3's HTML download.
- Any other EPUB: the package metadata (title, creators, language, description, subjects,
  date), `Label: value` lines on a title page (`Fandoms:`, `Rating:`, `Status:`), notes
  pages, and one chapter per spine document, titled from the table of contents.

A broken file (not a zip, no container or package document, nothing readable) raises
`BrokenFile` with a message that says so; nothing is imported.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from posixpath import basename, splitext

from selectolax.lexbor import LexborHTMLParser

from .errors import BrokenFile, NoStoryText, TooLarge
from .headings import match_heading
from .language import language_code
from .model import Chapter, Creator, ParsedWork, SourceInfo, TagType
from .sites.common import body_blocks, finish_work, iso_date, node_text, note_blocks
from .structure import assemble_work

MAX_UNPACKED = 200 * 1024 * 1024  # a zip bomb stops here, not in memory
_HTML_TYPES = {"application/xhtml+xml", "text/html"}
_CHAPTER_LABEL = re.compile(r"^chapter\s+(\d+)\s*(?:[:.\-–—]\s*(.*))?$", re.I | re.S)
_NOTES_NAME = re.compile(r"^(?:(end|after)[\s_-]*)?(?:notes?|word)$", re.I)
_TITLE_PAGE_NAME = re.compile(r"title|cover|info|preface", re.I)
_BR_SPLIT = re.compile(r"<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"<[^>]+>")
_LABEL_LINE = re.compile(r"^([A-Za-z][A-Za-z /]{1,30}):\s*(.+)$", re.S)
_LABELS = {
    "rating": TagType.RATING, "ratings": TagType.RATING,
    "warning": TagType.WARNING, "warnings": TagType.WARNING, "archive warning": TagType.WARNING,
    "archive warnings": TagType.WARNING, "category": TagType.CATEGORY, "categories": TagType.CATEGORY,
    "fandom": TagType.FANDOM, "fandoms": TagType.FANDOM,
    "relationship": TagType.RELATIONSHIP, "relationships": TagType.RELATIONSHIP,
    "pairing": TagType.RELATIONSHIP, "pairings": TagType.RELATIONSHIP,
    "character": TagType.CHARACTER, "characters": TagType.CHARACTER,
    "additional tags": TagType.FREEFORM, "additional tag": TagType.FREEFORM, "tags": TagType.FREEFORM,
    "freeform": TagType.FREEFORM, "freeforms": TagType.FREEFORM, "genre": TagType.FREEFORM,
    "genres": TagType.FREEFORM, "ships": TagType.RELATIONSHIP,
}  # fmt: skip


def is_epub(data: bytes) -> bool:
    """A zip whose first entry is the EPUB `mimetype` (the OCF rule), or any zip named .epub."""
    return data[:4] == b"PK\x03\x04" and b"application/epub+zip" in data[:100]


def _open(data: bytes):
    from ebooklib import epub

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BrokenFile(
            "this EPUB is not a readable zip archive (damaged or cut off while downloading); "
            "download the EPUB again"
        ) from None
    if unpacked > MAX_UNPACKED:
        raise TooLarge(
            f"this EPUB unpacks to {unpacked // 2**20} MB, over the {MAX_UNPACKED // 2**20} MB "
            "an EPUB may hold here; split the book or import its chapters as HTML"
        )
    if "META-INF/container.xml" not in names:
        raise BrokenFile(
            "this EPUB has no META-INF/container.xml, so its contents cannot be found; "
            "rebuild it with an EPUB tool (Calibre, Sigil) or download it again"
        )
    package = _package_path(archive)
    if package not in names:
        raise BrokenFile(
            f"this EPUB has no package document (OPF){f' at {package}' if package else ''}, "
            "which lists its chapters; rebuild it with an EPUB tool (Calibre, Sigil) or download it again"
        )
    try:
        try:
            return epub.read_epub(io.BytesIO(data), {"ignore_ncx": False})
        except AttributeError:
            # An EPUB 3 with no NCX: ebooklib then reads the table of contents from the nav.
            return epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except KeyError as error:
        raise BrokenFile(
            f"this EPUB's package document (OPF) is missing or names a file it does not hold "
            f"({error}); rebuild it with an EPUB tool or download it again"
        ) from None
    except Exception as error:  # ebooklib raises bare exceptions of many kinds on bad packages
        raise BrokenFile(
            f"this EPUB's package could not be read ({type(error).__name__}: {error}); "
            "rebuild it with an EPUB tool or download it again"
        ) from None


def _package_path(archive: zipfile.ZipFile) -> str:
    """The OPF path that META-INF/container.xml names ('' when it names none)."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(archive.read("META-INF/container.xml"))
    except (ElementTree.ParseError, KeyError, zipfile.BadZipFile, OSError):
        return ""
    for node in root.iter():
        if node.tag.endswith("rootfile") and node.get("full-path"):
            return node.get("full-path", "")
    return ""


def _documents(book) -> list[tuple[object, str]]:
    """(item, decoded markup) for each readable document of the spine, in reading order."""
    from ebooklib import epub

    docs = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.media_type not in _HTML_TYPES:
            continue
        if isinstance(item, epub.EpubNav) or "nav" in (getattr(item, "properties", None) or []):
            continue  # the table of contents, not the story
        raw = item.get_content()
        docs.append((item, raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw))
    return docs


def _meta(book, name: str) -> list[str]:
    return [str(value).strip() for value, _ in book.get_metadata("DC", name) if value]


def parse_epub(data: bytes, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    """An EPUB's work; raises a StoryError that says how to fix the file."""
    book = _open(data)
    docs = _documents(book)
    if not docs:
        raise BrokenFile(
            "this EPUB's spine lists no readable XHTML documents; rebuild it with an EPUB tool"
        )
    source.format, source.encoding = "epub", "utf-8"
    generator = [
        attrs.get("content", "")
        for _, attrs in book.get_metadata("OPF", "meta")
        if attrs.get("name") == "generator"
    ]
    from .html import parse_html

    # Ours: the generator line, or (repackaged by another tool) our title page's own header.
    if any(g.startswith("ficarchive") for g in generator) or (
        '<header class="preface" id="preface">' in docs[0][1]
    ):
        return parse_html(_joined(docs, own=True), source, warnings)
    if any("archiveofourown.org" in text and 'id="preface"' in text for _, text in docs):
        work = parse_html(_joined_ao3(docs), source, warnings)
        source.format = "epub"
        work.warnings.append("read AO3 EPUB as its HTML download")
        return work
    return _read_generic(book, docs, source, warnings)


def _body(text: str):
    return LexborHTMLParser(text).body


def _joined(docs, own: bool) -> str:
    """The documents' bodies end to end in one page."""
    bodies = [_body(text) for _, text in docs]
    parts = [body.html or "" for body in bodies if body is not None]
    inner = "".join(re.sub(r"^<body[^>]*>|</body>$", "", p) for p in parts)
    marker = '<meta name="generator" content="ficarchive-epub">' if own else ""
    return f"<!DOCTYPE html><html><head>{marker}</head><body>{inner}</body></html>"


# --- AO3's EPUB (Calibre's split of the HTML download) ------------------------------------------


def _unwrap(node) -> list:
    """Element children, looking through Calibre's class-only wrapper divs."""
    out = []
    child = node.child
    while child is not None:
        if child.tag == "div" and not child.attributes.get("id") and _calibre_only(child):
            out.extend(_unwrap(child))
        elif child.tag != "-text" or (child.text() or "").strip():
            out.append(child)
        child = child.next
    return out


def _calibre_only(node) -> bool:
    classes = (node.attributes.get("class") or "").split()
    return all(re.match(r"^calibre\d*$", c) for c in classes)


def _classes(node) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _joined_ao3(docs) -> str:
    """One AO3 download page from the EPUB's pieces, in AO3's own markup."""
    preface: list[str] = []
    chapters: list[str] = []
    afterword: list[str] = []
    for _, text in docs:
        body = _body(text)
        if body is None:
            continue
        for section in _unwrap(body):
            ident = section.attributes.get("id") or ""
            if ident == "preface":
                preface.extend(n.html or "" for n in _unwrap(section))
            elif ident == "chapters":
                chapters.extend(_chapter_piece(n) for n in _chapter_nodes(section))
            elif ident == "afterword":
                afterword.extend(n.html or "" for n in _unwrap(section))
    return (
        "<!DOCTYPE html><html><head></head><body>"
        f'<div id="preface"><div class="meta">{"".join(preface)}</div></div>'
        f'<div id="chapters" class="userstuff">{"".join(chapters)}</div>'
        f'<div id="afterword"><div class="meta">{"".join(afterword)}</div></div>'
        "</body></html>"
    )


def _chapter_nodes(section) -> list:
    """`#chapters` children; a wrapper holding a chapter heading is that chapter's meta block."""
    out = []
    child = section.child
    while child is not None:
        if child.tag == "div":
            out.append(child)
        child = child.next
    return out


def _inner(node) -> str:
    markup = node.html or ""
    return re.sub(r"^<[^>]+>|</[a-z0-9]+>$", "", markup.strip())


def _chapter_piece(node) -> str:
    classes = _classes(node)
    ident = node.attributes.get("id") or ""
    if ident.startswith("endnotes"):
        return f'<div class="meta" id="{html.escape(ident)}">{_inner(node)}</div>'
    if any(re.match(r"^userstuff\d*$", c) for c in classes):
        return f'<div class="userstuff">{_inner(node)}</div>'
    if node.css_first("h2.heading, h2, h3") is not None:
        return f'<div class="meta group">{_inner(node)}</div>'
    if not node.text(deep=True).strip():
        return ""
    return node.html or ""


# --- any other EPUB -----------------------------------------------------------------------------


def _toc_titles(book) -> dict[str, str]:
    """Document name -> its label in the table of contents."""
    titles: dict[str, str] = {}

    def walk(entries) -> None:
        for entry in entries:
            if isinstance(entry, tuple | list):
                section, children = entry[0], entry[1] if len(entry) > 1 else []
                walk([section])
                walk(children)
                continue
            href = getattr(entry, "href", "") or getattr(entry, "file_name", "")
            name = href.split("#")[0]
            if name and name not in titles:
                titles[name] = " ".join((getattr(entry, "title", "") or "").split())

    walk(book.toc or [])
    return titles


def _doc_label(item, text: str, titles: dict[str, str]) -> str:
    name = item.get_name()
    label = titles.get(name) or titles.get(basename(name)) or ""
    if not label:
        node = LexborHTMLParser(text).css_first("title")
        label = node_text(node)
    return label


def _chapter_title(label: str) -> str:
    """`Chapter 3: The Letter` -> `The Letter`; a bare `Chapter 3` -> ''."""
    m = _CHAPTER_LABEL.match(label.strip())
    if m:
        return (m.group(2) or "").strip()
    return label.strip()


def _label_lines(body) -> list[tuple[str, str, object]]:
    """(label, value, node) for each `Label: value` paragraph of a title page."""
    out = []
    for node in body.css("p, div, li, dd"):
        if node.tag == "div" and any(child.tag in ("p", "div") for child in node.iter()):
            label_text = node_text(node).split(":", 1)
            if len(label_text) == 2 and label_text[0].lower().strip() in ("summary", "notes"):
                out.append((label_text[0].lower().strip(), label_text[1].strip(), node))
            continue
        # One line per paragraph, or several in one block split by <br> (FanFicFare's
        # `<b>Label:</b> value<br/>`).
        for piece in _BR_SPLIT.split(node.inner_html or ""):
            line = " ".join(html.unescape(_ANY_TAG.sub(" ", piece)).split())
            m = _LABEL_LINE.match(line)
            if m:
                out.append((m.group(1).strip().lower(), m.group(2).strip(), node))
    return out


def _read_title_page(body, work: ParsedWork) -> bool:
    """Metadata lines of a title page; True when the page was one."""
    lines = _label_lines(body)
    if len(lines) < 2:
        return False
    for label, value, node in lines:
        tag_type = _LABELS.get(label)
        if tag_type is not None:
            for name in value.split(","):
                work.add_tag(tag_type, name)
            if tag_type == TagType.RATING and not work.rating:
                work.rating = value.strip()
        elif label == "status":
            low = value.lower()
            work.complete = True if "complete" in low else False if "progress" in low else None
        elif label == "published":
            work.published = iso_date(value) or work.published
        elif label == "updated":
            work.updated = iso_date(value) or work.updated
        elif label == "chapters":
            m = re.match(r"\s*(\d+)\s*/\s*(\d+)", value)
            if m:
                work.expected_chapters = int(m.group(2))
        elif label == "language":
            work.language = language_code(value) or work.language
        elif label == "summary" and not work.summary:
            for child in node.css("p") or [node]:
                work.summary.extend(note_blocks(child))
    return True


def _content_node(body):
    """A document's story text: AO3-style `.userstuff` when there is one outside notes."""
    for node in body.css(".userstuff"):
        if node.tag != "blockquote" and (node.parent is None or node.parent.tag != "blockquote"):
            return node
    return body


def _read_generic(book, docs, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    titles = _toc_titles(book)
    title = next(iter(_meta(book, "title")), "")
    work = ParsedWork(title=title, source=source, warnings=warnings)
    work.creators = [Creator(name) for name in _meta(book, "creator")]
    work.language = language_code(next(iter(_meta(book, "language")), "")) or ""
    description = next(iter(_meta(book, "description")), "")
    if description:
        markup = description if "<" in description else html.escape(description)
        body = _body(f"<body>{markup}</body>")
        work.summary = note_blocks(body) if body is not None else []
    for subject in _meta(book, "subject"):
        work.add_tag(TagType.FREEFORM, subject)
    dates = [iso_date(d[:10]) for d in _meta(book, "date")]
    work.published = next((d for d in dates if d), None)

    for index, (item, text) in enumerate(docs):
        body = _body(text)
        if body is None or not body.text(deep=True).strip():
            continue
        label = _doc_label(item, text, titles)
        stem = splitext(basename(item.get_name()))[0]
        first_pages = index < 2 and not work.chapters
        named_title = _TITLE_PAGE_NAME.search(stem) or _TITLE_PAGE_NAME.search(label)
        if first_pages and named_title and _read_title_page(body, work):
            continue
        if _NOTES_NAME.match(stem) or _NOTES_NAME.match(label.replace(" ", "")):
            blocks = note_blocks(_notes_node(body))
            target = work.end_notes if work.chapters else work.notes
            target.extend(blocks)
            continue
        content = _content_node(body)
        if content is body:
            headings = body.css("h1, h2, h3")
            chapter_headings = [h for h in headings if _CHAPTER_LABEL.match(node_text(h))]
            for heading in headings:
                # The document's own heading repeats its title; several chapter headings in
                # one document are kept to split it (below).
                text = node_text(heading)
                if text in (label, work.title) or (
                    len(chapter_headings) == 1 and heading in chapter_headings
                ):
                    heading.decompose()
        blocks = body_blocks(content, drop=(".landmark",))
        if not blocks:
            continue
        work.chapters.append(
            Chapter(number=len(work.chapters) + 1, title=_chapter_title(label), blocks=blocks)
        )
    if not work.chapters:
        raise NoStoryText("this EPUB holds no story text (only title or notes pages)")
    if len(work.chapters) == 1:
        _split_single_document(work)
    if len(work.chapters) == 1 and work.chapters[0].title == work.title:
        work.chapters[0].title = ""
    if not work.updated:
        work.updated = work.published
    warnings.append("read EPUB: chapters from its spine, metadata from its package")
    return finish_work(work)


def _split_single_document(work: ParsedWork) -> None:
    """A whole book in one document: its chapter headings split it, as in a plain HTML file."""
    blocks = work.chapters[0].blocks
    if sum(1 for b in blocks if b.kind == "heading" and match_heading(b.text)) < 2:
        return
    split = assemble_work(blocks, SourceInfo(format="epub"), [], title_hint=work.title)
    if len(split.chapters) > 1:
        work.chapters = split.chapters


def _notes_node(body):
    quote = body.css_first("blockquote.userstuff") or body.css_first("blockquote")
    if quote is not None:
        return quote
    for junk in body.css("h1, h2, h3, p.jump"):
        junk.decompose()
    return body
