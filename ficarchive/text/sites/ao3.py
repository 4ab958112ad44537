"""Archive of Our Own: "Download > HTML" files and work pages saved from the browser.

Both carry the full metadata (tags by type, stats, summary, notes) in fixed places, so we read
it from there instead of guessing; chapter bodies are the `.userstuff` blocks. Everything else
on a saved page (menus, kudos, comments, share buttons) is left unread.
"""

from __future__ import annotations

import re
from collections import Counter

from ..language import language_code
from ..model import Block, Chapter, Creator, ParsedWork, SourceInfo, TagType
from .common import absolute, body_blocks, finish_work, first, node_text, note_blocks

BASE = "https://archiveofourown.org/"

# dt label (lowercased, without the colon) -> tag type. Singular and plural both occur.
_LABELS = {
    "rating": TagType.RATING, "ratings": TagType.RATING,
    "archive warning": TagType.WARNING, "archive warnings": TagType.WARNING, "warning": TagType.WARNING,
    "warnings": TagType.WARNING, "category": TagType.CATEGORY, "categories": TagType.CATEGORY,
    "fandom": TagType.FANDOM, "fandoms": TagType.FANDOM,
    "relationship": TagType.RELATIONSHIP, "relationships": TagType.RELATIONSHIP,
    "character": TagType.CHARACTER, "characters": TagType.CHARACTER,
    "additional tags": TagType.FREEFORM, "additional tag": TagType.FREEFORM, "freeform": TagType.FREEFORM,
}  # fmt: skip
_CHAPTER_HEADING = re.compile(r"^chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.I | re.S)
_STAT_DATE = re.compile(r"(Published|Updated|Completed)\s*:\s*(\d{4}-\d{2}-\d{2})", re.I)
_WORK_ID = re.compile(r"/works/(\d+)")
_STAT_CHAPTERS = re.compile(r"Chapters\s*:\s*(\d+)\s*/\s*(\d+|\?)", re.I)


def is_download(tree) -> bool:
    """AO3's downloaded HTML: a `#preface` with the tag list and a `#chapters` body."""
    if tree.css_first("#preface") is None or tree.css_first("#chapters") is None:
        return False
    return tree.css_first("#preface dl.tags") is not None or "archiveofourown" in node_text(
        tree.css_first("#preface")
    )


def is_work_page(tree) -> bool:
    """A work page saved from archiveofourown.org (or an AO3-software archive)."""
    return tree.css_first("#workskin") is not None or (
        tree.css_first("dl.work.meta") is not None and tree.css_first("#chapters") is not None
    )


# --- shared pieces ------------------------------------------------------------------------------


def _tag_names(dd) -> list[str]:
    """Tag names in a `dd`: its links, or its comma-separated text (AO3 forbids commas in tags)."""
    links = [node_text(a) for a in dd.css("a")]
    links = [name for name in links if name]
    if links:
        return links
    return [part.strip() for part in node_text(dd).split(",") if part.strip()]


def _apply_field(work: ParsedWork, label: str, dd) -> None:
    label = label.strip().rstrip(":").strip().lower()
    tag_type = _LABELS.get(label)
    if tag_type is not None:
        for name in _tag_names(dd):
            work.add_tag(tag_type, name)
            if tag_type == TagType.RATING and not work.rating:
                work.rating = name
    elif label == "language":
        work.language = language_code(node_text(dd)) or work.language
    elif label == "stats":
        _apply_stats(work, node_text(dd))


def _apply_stats(work: ParsedWork, stats: str) -> None:
    for name, date in _STAT_DATE.findall(stats):
        if name.lower() == "published":
            work.published = date
        else:
            work.updated = date
            if name.lower() == "completed":
                work.complete = True
    m = _STAT_CHAPTERS.search(stats)
    if m:
        posted, total = m.groups()
        if total.isdigit():
            work.expected_chapters = int(total)
            work.complete = int(posted) >= int(total)
        else:
            work.complete = False


def _creators(byline) -> list[Creator]:
    if byline is None:
        return []
    authors = byline.css("a[rel=author]") or byline.css("a")
    creators = [
        Creator(node_text(a), absolute(a.attributes.get("href") or "", BASE)) for a in authors
    ]
    creators = [c for c in creators if c.name]
    if not creators:
        # "by Anonymous": no link to follow, only the name.
        name = re.sub(r"^by\s+", "", node_text(byline), flags=re.I).strip()
        creators = [Creator(name)] if name else []
    return creators


def _split_heading(text: str) -> tuple[int | None, str]:
    """`Chapter 3: Title` -> (3, "Title"); a bare title (non-English works) -> (None, title)."""
    m = _CHAPTER_HEADING.match(text.strip())
    if m:
        return int(m.group(1)), (m.group(2) or "").strip()
    return None, text.strip()


def _labelled_quotes(node) -> list[tuple[str, object]]:
    """(label, blockquote) pairs: AO3 writes `<p>Notes</p><blockquote>…` in downloads."""
    pairs = []
    label = ""
    child = node.child if node is not None else None
    while child is not None:
        if child.tag in ("p", "h3", "h4", "div"):
            text = node_text(child)
            if text and len(text) < 40:
                label = text.lower()
        elif child.tag == "blockquote":
            pairs.append((label, child))
        child = child.next
    return pairs


def _route_notes(label: str, blocks: list[Block], target) -> None:
    """Put a labelled box's blocks on a work or chapter: summary, notes or end notes."""
    if "summary" in label:
        target.summary.extend(blocks)
    elif "end" in label:
        target.end_notes.extend(blocks)
    else:
        target.notes.extend(blocks)


# --- Download > HTML ----------------------------------------------------------------------------


def read_download(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    """A work from AO3's downloaded HTML file."""
    source.format, source.site = "ao3-download", "ao3"
    preface = tree.css_first("#preface")
    work = ParsedWork(title="", source=source, warnings=warnings)
    title = first(preface, ".meta h1", "h1")
    work.title = node_text(title)
    if not work.title:
        message = first(preface, "p.message b", "p.message strong")
        work.title = node_text(message)
    if not source.url:
        for a in preface.css("p.message a"):
            href = a.attributes.get("href") or ""
            if "/works/" in href:
                source.url = href
                break
    work.creators = _creators(first(preface, ".byline"))
    tags = first(preface, "dl.tags", "dl")
    if tags is not None:
        label = ""
        for child in tags.css("dt, dd"):
            if child.tag == "dt":
                label = node_text(child)
            else:
                _apply_field(work, label, child)
    meta = first(preface, ".meta") or preface
    for label, quote in _labelled_quotes(meta):
        _route_notes(label, note_blocks(quote), work)

    _read_download_chapters(tree.css_first("#chapters"), work)

    afterword = tree.css_first("#afterword")
    if afterword is not None:
        # Real downloads wrap the final notes once more: `.meta > div#endnotes > p + blockquote`.
        for box in afterword.css(".meta, .meta div"):
            for label, quote in _labelled_quotes(box):
                if "note" in label:
                    work.end_notes.extend(note_blocks(quote))
    warnings.append("read AO3 download: preface and afterword messages left out")
    return finish_work(work)


def _read_download_chapters(container, work: ParsedWork) -> None:
    if container is None:
        return
    chapter: Chapter | None = None
    child = container.child
    while child is not None:
        if child.tag == "div":
            classes = (child.attributes.get("class") or "").split()
            if (
                "meta" in classes
                and (child.attributes.get("id") or "").startswith("endnotes")
                and chapter is not None
            ):
                for label, quote in _labelled_quotes(child):
                    _route_notes(
                        "end notes" if "end" in label or not label else label,
                        note_blocks(quote),
                        chapter,
                    )
            elif "meta" in classes:
                heading = first(child, "h2.heading", "h2", "h3")
                number, title = _split_heading(node_text(heading))
                chapter = Chapter(number=len(work.chapters) + 1, title=title)
                work.chapters.append(chapter)
                for label, quote in _labelled_quotes(child):
                    _route_notes(label, note_blocks(quote), chapter)
            elif "userstuff" in classes or not classes and child.css_first("p") is not None:
                if chapter is None or chapter.blocks:
                    chapter = Chapter(number=len(work.chapters) + 1)
                    work.chapters.append(chapter)
                chapter.blocks = body_blocks(child)
        elif child.tag in ("h2", "h3") and "toc-heading" not in (
            child.attributes.get("class") or ""
        ):
            # Older downloads: a bare heading before each chapter's text.
            _, title = _split_heading(node_text(child))
            chapter = Chapter(number=len(work.chapters) + 1, title=title)
            work.chapters.append(chapter)
        child = child.next
    if not work.chapters:
        # A one-shot downloaded long ago: the text sits directly in #chapters.
        work.chapters.append(Chapter(number=1, blocks=body_blocks(container)))


# --- work page saved from the web ---------------------------------------------------------------


def read_work_page(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    """A work from an AO3 work page saved from the browser; site chrome is never read."""
    source.format, source.site = "ao3-page", "ao3"
    work = ParsedWork(title="", source=source, warnings=warnings)
    skin = tree.css_first("#workskin") or tree.body
    preface = first(skin, ".preface.group", ".preface")
    work.title = node_text(first(preface or skin, ".title", "h2"))
    work.creators = _creators(first(preface or skin, ".byline"))
    if not source.url:
        source.url = _page_url(tree)

    meta = tree.css_first("dl.work.meta") or tree.css_first("dl.meta")
    if meta is not None:
        _read_meta(meta, work)

    if preface is not None:
        summary = first(preface, ".summary blockquote.userstuff", ".summary blockquote")
        work.summary = note_blocks(summary)
        notes = first(preface, ".notes blockquote.userstuff", ".notes blockquote")
        work.notes = note_blocks(notes)
    end_notes = first(tree, "#work_endnotes blockquote.userstuff", "#work_endnotes blockquote")
    work.end_notes = note_blocks(end_notes)

    chapters_node = tree.css_first("#chapters")
    if chapters_node is not None:
        _read_page_chapters(chapters_node, work)
    warnings.append("dropped AO3 site navigation, kudos and comment section")
    return finish_work(work)


def _page_url(tree) -> str:
    """The work's address: the canonical link, else the work id its own forms and links use most."""
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and canonical.attributes.get("href"):
        return absolute(canonical.attributes["href"] or "", BASE)
    ids = Counter(_WORK_ID.findall(tree.html or ""))
    return f"{BASE}works/{ids.most_common(1)[0][0]}" if ids else ""


def _read_meta(meta, work: ParsedWork) -> None:
    """`dl.work.meta`: each dd has a class naming its field (rating, fandom, …, stats)."""
    by_class = {
        "rating": "rating", "warning": "archive warning", "category": "category", "fandom": "fandom",
        "relationship": "relationship", "character": "character", "freeform": "additional tags",
        "language": "language", "stats": "stats",
    }  # fmt: skip
    label = ""
    child = meta.child
    while child is not None:
        if child.tag == "dt":
            label = node_text(child)
        elif child.tag == "dd":
            classes = (child.attributes.get("class") or "").split()
            field = next((by_class[c] for c in classes if c in by_class), label)
            if field.rstrip(":").strip().lower() in ("stats",) or "stats" in classes:
                _apply_stats(work, node_text(child))
            else:
                _apply_field(work, field, child)
        child = child.next


def _read_page_chapters(container, work: ParsedWork) -> None:
    chapter_nodes = [
        c for c in container.css("div.chapter") if c.attributes.get("id", "").startswith("chapter-")
    ]
    chapter_nodes = [c for c in chapter_nodes if "preface" not in (c.attributes.get("class") or "")]
    if not chapter_nodes:
        body = first(container, ".userstuff") or container
        work.chapters.append(Chapter(number=1, blocks=body_blocks(body, drop=(".landmark",))))
        return
    for index, node in enumerate(chapter_nodes, start=1):
        number, title = _split_heading(node_text(first(node, "h3.title", ".title")))
        chapter = Chapter(number=number or index, title=title)
        chapter.summary = note_blocks(first(node, "#summary blockquote", ".summary blockquote"))
        notes = [
            n for n in node.css(".notes") if "end" not in (n.attributes.get("class") or "").split()
        ]
        for box in notes:
            chapter.notes.extend(note_blocks(box.css_first("blockquote")))
        chapter.end_notes = note_blocks(
            first(node, ".end.notes blockquote", "[id$=endnotes] blockquote")
        )
        body = None
        for candidate in node.css(".userstuff"):
            if (
                candidate.parent is not None
                and candidate.parent.tag != "blockquote"
                and candidate.tag != "blockquote"
            ):
                body = candidate
                break
        chapter.blocks = body_blocks(body, drop=(".landmark",))
        work.chapters.append(chapter)
    if len(chapter_nodes) > 1:
        # A full-work view: number the chapters as they come.
        for index, chapter in enumerate(work.chapters, start=1):
            chapter.number = index
