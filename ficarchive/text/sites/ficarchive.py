"""ficarchive's own downloads (the one-file HTML, and an EPUB's documents put end to end).

The writer (`ficarchive.formats.markup`) marks every field, so nothing here is guessed:

- `header.preface`: `h1.title` (`data-missing` when the title was a fallback), `p.byline` with
  one `span.creator` each, `dl.tags` with one `dd` per tag type (class `rating`, `warning`,
  `category`, `fandom`, `relationship`, `character`, `freeform`; one `li` per tag),
  `dd.language[data-code]`, `dd.stats` (`time.published`, `time.updated`, `span.chapters`),
  `section.summary` and `section.notes` around a `div.userstuff`.
- `section.chapter`, in order: `h2.chapter-title > span.title`, `section.chapter-summary`,
  `section.chapter-notes`, `blockquote.epigraph`, the body `div.userstuff`,
  `section.chapter-end-notes`.
- `footer.afterword`: `section.end-notes`, `p.status[data-complete]`.
"""

from __future__ import annotations

import re

from ..model import Chapter, Creator, ParsedWork, SourceInfo, TagType
from ..ownblocks import read_own_blocks
from .common import finish_work, node_text

_TAG_TYPES = {t.value: t for t in TagType}
_CHAPTERS = re.compile(r"^\s*(\d+)\s*/\s*(\d+|\?)\s*$")


def is_own_download(tree) -> bool:
    """A file ficarchive wrote: its generator line, or its work wrapper with the preface."""
    generator = tree.css_first('meta[name="generator"]')
    if generator is not None and (generator.attributes.get("content") or "").startswith(
        "ficarchive"
    ):
        return True
    return tree.css_first("article.ficarchive-work header.preface") is not None


def _children(node, tag: str, cls: str):
    """Direct children of `node` with this tag and class (nested sections have their own)."""
    child = node.child if node is not None else None
    while child is not None:
        if child.tag == tag and cls in (child.attributes.get("class") or "").split():
            yield child
        child = child.next


def _child(node, tag: str, cls: str):
    return next(_children(node, tag, cls), None)


def _boxed(node, cls: str):
    """The blocks of `section.<cls> > div.userstuff` under `node`."""
    return read_own_blocks(_child(_child(node, "section", cls), "div", "userstuff"))


def read_own_download(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork | None:
    """The work in a ficarchive download."""
    preface = tree.css_first("header.preface")
    if preface is None:
        return None
    source.format, source.site = source.format if source.format == "epub" else "ficarchive-html", ""
    title = preface.css_first("h1.title")
    work = ParsedWork(title=node_text(title), source=source, warnings=warnings)
    work.title_missing = title is not None and title.attributes.get("data-missing") == "true"
    work.creators = [
        Creator(name) for name in (node_text(s) for s in preface.css("p.byline span.creator"))
    ]
    _read_tags(preface.css_first("dl.tags"), work)
    work.summary = _boxed(preface, "summary")
    work.notes = _boxed(preface, "notes")

    for position, node in enumerate(tree.css("section.chapter"), start=1):
        heading = _child(node, "h2", "chapter-title")
        chapter = Chapter(
            number=position, title=node_text(heading.css_first("span.title") if heading else None)
        )
        chapter.summary = _boxed(node, "chapter-summary")
        chapter.notes = _boxed(node, "chapter-notes")
        chapter.epigraph = read_own_blocks(_child(node, "blockquote", "epigraph"))
        chapter.blocks = read_own_blocks(_child(node, "div", "userstuff"))
        chapter.end_notes = _boxed(node, "chapter-end-notes")
        work.chapters.append(chapter)

    afterword = tree.css_first("footer.afterword")
    if afterword is not None:
        work.end_notes = _boxed(afterword, "end-notes")
        status = afterword.css_first("p.status")
        if status is not None:
            work.complete = {"true": True, "false": False}.get(
                status.attributes.get("data-complete") or ""
            )
    return finish_work(work)


def _read_tags(tags, work: ParsedWork) -> None:
    if tags is None:
        return
    for dd in tags.css("dd"):
        classes = (dd.attributes.get("class") or "").split()
        tag_type = next((_TAG_TYPES[c] for c in classes if c in _TAG_TYPES), None)
        if tag_type is not None:
            for li in dd.css("li"):
                work.add_tag(tag_type, node_text(li))
            if tag_type == TagType.RATING and work.tags_of(TagType.RATING):
                work.rating = work.tags_of(TagType.RATING)[0]
        elif "language" in classes:
            work.language = dd.attributes.get("data-code") or ""
        elif "stats" in classes:
            published = dd.css_first("time.published")
            updated = dd.css_first("time.updated")
            work.published = published.attributes.get("datetime") if published else None
            work.updated = updated.attributes.get("datetime") if updated else work.published
            m = _CHAPTERS.match(node_text(dd.css_first("span.chapters")))
            if m and m.group(2).isdigit():
                work.expected_chapters = int(m.group(2))
