"""eFiction archives (the PHP software behind many single-fandom archives).

A story there has an index page (metadata and a chapter list, no prose) and one page per
chapter (`viewstory.php?sid=…&chapter=…`) or a printable page with all chapters. Metadata
appears as `<span class="label">Rated:</span> value` pairs; `#pagetitle` says "Title by Author".
"""

from __future__ import annotations

import re

from ..errors import NoStoryText
from ..headers import normalise_rating
from ..model import Chapter, Creator, ParsedWork, SourceInfo, TagType
from .common import body_blocks, finish_work, first, iso_date, node_text, note_blocks

INDEX_MESSAGE = (
    "this looks like a story index page (chapter list, no story text); import the chapter pages "
    "instead, or the archive's printable 'all chapters' page"
)
_STORY_LINK = re.compile(r"viewstory\.php\?(?:[^\"']*&(?:amp;)?)?sid=\d+", re.I)
_CHAPTER_LINK = re.compile(r"viewstory\.php\?[^\"']*chapter=(\d+)", re.I)
_TAG_FIELDS = {
    "categories": TagType.FREEFORM, "category": TagType.FREEFORM, "genres": TagType.FREEFORM, "genre": TagType.FREEFORM,
    "characters": TagType.CHARACTER, "pairings": TagType.RELATIONSHIP, "pairing": TagType.RELATIONSHIP,
    "warnings": TagType.WARNING, "warning": TagType.WARNING, "fandoms": TagType.FANDOM, "fandom": TagType.FANDOM,
}  # fmt: skip


def is_efiction(tree) -> bool:
    """eFiction's fingerprints: story links by `sid` plus its title block, labels or footer."""
    if not any(_STORY_LINK.search(a.attributes.get("href") or "") for a in tree.css("a[href]")):
        return False
    return (
        tree.css_first("#pagetitle") is not None
        or tree.css_first("span.label") is not None
        or "efiction" in (tree.html or "").lower()
    )


def _story_node(tree):
    return first(tree, "#story", "div.chapter", "#storytext", ".storytext")


def _label_values(tree) -> dict[str, list]:
    """`span.label` -> the nodes after it up to the next label or line break."""
    fields: dict[str, list] = {}
    for label in tree.css("span.label"):
        name = node_text(label).rstrip(":").strip().lower()
        nodes = []
        sibling = label.next
        while sibling is not None:
            if sibling.tag == "br" or (
                sibling.tag == "span" and "label" in (sibling.attributes.get("class") or "")
            ):
                break
            nodes.append(sibling)
            sibling = sibling.next
        fields.setdefault(name, nodes)
    return fields


def _nodes_text(nodes) -> str:
    parts = []
    for node in nodes:
        if node.tag == "-text":
            parts.append(node.text_content or "")
        elif not node.tag.startswith("-"):
            parts.append(node.text(deep=True, separator=" "))
    return " ".join("".join(parts).split())


def _apply_fields(work: ParsedWork, fields: dict[str, list]) -> None:
    for name, nodes in fields.items():
        value = _nodes_text(nodes)
        if not value or value.lower() == "none":
            continue
        if name in ("rated", "rating"):
            work.rating = normalise_rating(value)
            work.add_tag(TagType.RATING, work.rating)
        elif name in _TAG_FIELDS:
            links = [
                node_text(a)
                for n in nodes
                if not n.tag.startswith("-")
                for a in ([n] if n.tag == "a" else n.css("a"))
            ]
            names = [n for n in links if n] or [v.strip() for v in value.split(",")]
            for tag in names:
                work.add_tag(_TAG_FIELDS[name], tag)
        elif name == "completed":
            work.complete = value.lower().startswith("yes")
        elif name == "status":
            low = value.lower()
            work.complete = "complete" in low and "incomplete" not in low
        elif name == "chapters" and value.replace(",", "").isdigit() and work.complete:
            work.expected_chapters = int(value.replace(",", ""))
        elif name == "published":
            work.published = iso_date(value)
        elif name == "updated":
            work.updated = iso_date(value)
        elif name == "summary" and not work.summary:
            from selectolax.lexbor import LexborHTMLParser

            fragment = "".join(n.html or "" for n in nodes if n.tag != "-comment")
            work.summary = note_blocks(LexborHTMLParser(f"<div>{fragment}</div>").css_first("div"))


def _title_and_author(tree, work: ParsedWork) -> None:
    title = tree.css_first("#pagetitle")
    if title is None:
        return
    links = title.css("a")
    story = [a for a in links if "viewstory.php" in (a.attributes.get("href") or "")]
    users = [a for a in links if "viewuser.php" in (a.attributes.get("href") or "")]
    if story:
        work.title = node_text(story[0])
    else:
        work.title = re.split(r"\s+by\s+", node_text(title), maxsplit=1)[0].strip()
    for a in users:
        if node_text(a):
            work.creators.append(Creator(node_text(a)))


def read_story_page(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork | None:
    """A work from a chapter or printable page; NoStoryText for an index page; None if unsure."""
    story = _story_node(tree)
    if story is None or not node_text(story):
        # An index lists every chapter and the story's labelled metadata; a chapter page in an
        # unknown skin links at most to its neighbours, and is left to the generic reader.
        chapters = set()
        for a in tree.css("a[href]"):
            m = _CHAPTER_LINK.search(a.attributes.get("href") or "")
            if m:
                chapters.add(m.group(1))
        if len(chapters) >= 3 or tree.css_first("span.label") is not None:
            raise NoStoryText(INDEX_MESSAGE)
        return None
    source.format, source.site = "efiction-page", "efiction"
    work = ParsedWork(title="", source=source, warnings=warnings)
    _title_and_author(tree, work)
    _apply_fields(work, _label_values(tree))
    if not work.summary:
        meta = tree.css_first("meta[name=description]")
        if meta is not None and meta.attributes.get("content"):
            from selectolax.lexbor import LexborHTMLParser

            work.summary = note_blocks(
                LexborHTMLParser(f"<div>{meta.attributes['content']}</div>").css_first("div")
            )

    printable = tree.css("div.chapter")
    if tree.css_first("#story") is None and len(printable) >= 1:
        titles = tree.css(".chaptertitle")
        for index, node in enumerate(printable, start=1):
            title = node_text(titles[index - 1]) if index - 1 < len(titles) else ""
            title = re.split(r"\s+by\s+", title, maxsplit=1)[0].strip()
            work.chapters.append(Chapter(number=index, title=title, blocks=body_blocks(node)))
    else:
        number, title = 1, ""
        option = first(tree, "select[name=chapter] option[selected]", ".jumpmenu option[selected]")
        if option is not None:
            value = (option.attributes.get("value") or "").strip()
            number = int(value) if value.isdigit() else 1
            title = re.sub(r"^\s*\d+\s*[.:]\s*", "", node_text(option))
        chapter = Chapter(number=number, title=title, blocks=body_blocks(story))
        for box in tree.css(".notes"):
            label = node_text(box.css_first(".label") or box.css_first(".title")).lower()
            blocks = note_blocks(box.css_first(".noteinfo") or box)
            if "end" in label:
                chapter.end_notes.extend(blocks)
            elif "story" in label:
                work.notes.extend(blocks)
            else:
                chapter.notes.extend(blocks)
        work.chapters.append(chapter)
    warnings.append("dropped eFiction archive menus, story links and footer")
    return finish_work(work)
