"""The markup every download shares: the preface, chapters and afterword as XHTML fragments.

The same fragments make the one-file HTML download and the EPUB's documents, so the importer
reads both with one reader (`ficarchive.text.sites.ficarchive`). The shape is a small, stable
vocabulary of classes (`preface`, `byline`/`creator`, `dl.tags` with one `dd` per tag type,
`chapter` sections with `chapter-title`, `epigraph`, `userstuff`...), documented in that reader.

Fragments are well-formed XML as well as HTML: `<br/>`, no named entities, no characters XML
forbids. Block markup is the parsers' own (escaped text and a few inline tags), never a
source file's.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape

from ficarchive.text.model import Block, Chapter, ParsedWork, TagType
from ficarchive.text.render import block_to_html

GENERATOR = "ficarchive"
# Labels in the AO3 order; the `dd` carries the type as its class, which is what the reader reads.
TAG_LABELS = {
    TagType.RATING: ("Rating", "Rating"),
    TagType.WARNING: ("Archive Warning", "Archive Warnings"),
    TagType.CATEGORY: ("Category", "Categories"),
    TagType.FANDOM: ("Fandom", "Fandoms"),
    TagType.RELATIONSHIP: ("Relationship", "Relationships"),
    TagType.CHARACTER: ("Character", "Characters"),
    TagType.FREEFORM: ("Additional Tag", "Additional Tags"),
}
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BR = re.compile(r"<br\s*/?>")

STYLESHEET = """\
body { font-family: serif; line-height: 1.5; margin: 0 auto; max-width: 40em; padding: 0 1em; }
h1.title { text-align: center; margin-bottom: 0.2em; }
p.byline { text-align: center; font-style: italic; margin-top: 0; }
dl.tags { font-size: 0.9em; }
dl.tags dt { font-weight: bold; float: left; clear: left; margin-right: 0.5em; }
dl.tags dd { margin: 0 0 0.3em 0; }
dl.tags ul { display: inline; margin: 0; padding: 0; }
dl.tags li { display: inline; }
dl.tags li + li::before { content: ", "; }
h2.chapter-title { text-align: center; }
blockquote.epigraph { font-style: italic; margin: 1em 2em; }
section.summary, section.notes, section.chapter-summary, section.chapter-notes,
section.chapter-end-notes, section.end-notes { font-size: 0.95em; border-left: 2px solid #999;
  padding-left: 1em; margin: 1em 0; }
hr.scene-break { border: none; text-align: center; margin: 1.5em 0; }
hr.scene-break::after { content: "* * *"; }
p.verse { white-space: normal; margin-left: 2em; }
.align-center { text-align: center; }
.align-right { text-align: right; }
p.status { text-align: center; font-style: italic; margin-top: 2em; }
nav.toc ol { padding-left: 1.5em; }
"""


def xml_text(text: str) -> str:
    """Escaped text safe in XHTML: no characters XML 1.0 forbids."""
    return escape(XML_FORBIDDEN.sub("", text), quote=True)


def block_xhtml(block: Block) -> str:
    """One block as XHTML: the site's own markup (`text.render`), made well-formed XML."""
    markup = _BR.sub("<br/>", XML_FORBIDDEN.sub("", block_to_html(block)))
    return '<hr class="scene-break"/>' if block.kind == "break" else markup


def blocks_xhtml(blocks: list[Block]) -> str:
    return "\n".join(block_xhtml(b) for b in blocks)


@cache
def language_name(code: str) -> str:
    """`en` -> `English` (the name the importer maps back to the code); the code when unknown."""
    if not code:
        return ""
    try:
        import pycountry

        found = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    except (ImportError, KeyError, LookupError):
        found = None
    return found.name if found is not None else code


def chapters_display(work: ParsedWork) -> str:
    """AO3's `2/5`, `1/1` or `3/?`."""
    count = len(work.chapters)
    total = work.expected_chapters or (count if work.complete else None)
    return f"{count}/{total or '?'}"


def _section(cls: str, heading: str, blocks: list[Block], level: int = 2) -> str:
    if not blocks:
        return ""
    return (
        f'<section class="{cls}"><h{level}>{heading}</h{level}>'
        f'<div class="userstuff">{blocks_xhtml(blocks)}</div></section>'
    )


def tags_xhtml(work: ParsedWork) -> str:
    """The metadata list: tags by type, language, stats (dates, words, chapters, status)."""
    rows = []
    by_type: dict[TagType, list[str]] = {}
    for tag in work.tags:
        by_type.setdefault(tag.type, []).append(tag.name)
    if work.rating and work.rating not in by_type.get(TagType.RATING, []):
        by_type.setdefault(TagType.RATING, []).insert(0, work.rating)
    for tag_type, (one, many) in TAG_LABELS.items():
        names = by_type.get(tag_type)
        if names:
            items = "".join(f'<li class="tag">{xml_text(n)}</li>' for n in names)
            label = one if len(names) == 1 else many
            rows.append(f'<dt>{label}:</dt><dd class="{tag_type.value}"><ul>{items}</ul></dd>')
    if work.language:
        rows.append(
            f'<dt>Language:</dt><dd class="language" data-code="{xml_text(work.language)}">'
            f"{xml_text(language_name(work.language))}</dd>"
        )
    stats = []
    if work.published:
        stats.append(
            f'Published: <time class="published" datetime="{xml_text(work.published)}">'
            f"{xml_text(work.published)}</time>"
        )
    if work.updated and work.updated != work.published:
        stats.append(
            f'Updated: <time class="updated" datetime="{xml_text(work.updated)}">'
            f"{xml_text(work.updated)}</time>"
        )
    stats.append(f'Words: <span class="words">{work.word_count:,}</span>')
    stats.append(f'Chapters: <span class="chapters">{chapters_display(work)}</span>')
    rows.append(f'<dt>Stats:</dt><dd class="stats">{" · ".join(stats)}</dd>')
    return f'<dl class="tags">{"".join(rows)}</dl>'


def byline_xhtml(work: ParsedWork) -> str:
    if not work.creators:
        return ""
    names = ", ".join(f'<span class="creator">{xml_text(c.name)}</span>' for c in work.creators)
    return f'<p class="byline">by {names}</p>'


def preface_xhtml(work: ParsedWork) -> str:
    """Title, creators, tags and stats, summary and notes."""
    missing = ' data-missing="true"' if work.title_missing else ""
    return (
        f'<header class="preface" id="preface">'
        f'<h1 class="title"{missing}>{xml_text(work.title)}</h1>'
        f"{byline_xhtml(work)}{tags_xhtml(work)}"
        f"{_section('summary', 'Summary', work.summary)}"
        f"{_section('notes', 'Notes', work.notes)}"
        f"</header>"
    )


def chapter_heading(chapter: Chapter, position: int, count: int) -> str:
    """`Chapter 2: The Letter`, `Chapter 2`, or only the title for a one-chapter work."""
    if count == 1:
        return chapter.title
    return f"Chapter {position}: {chapter.title}" if chapter.title else f"Chapter {position}"


def chapter_xhtml(chapter: Chapter, position: int, count: int) -> str:
    """One chapter: heading, its summary and notes, epigraph, body, end notes."""
    heading = ""
    if count > 1 or chapter.title:
        number = f'<span class="number">Chapter {position}</span>' if count > 1 else ""
        sep = ": " if number and chapter.title else ""
        title = f'<span class="title">{xml_text(chapter.title)}</span>' if chapter.title else ""
        heading = f'<h2 class="chapter-title">{number}{sep}{title}</h2>'
    epigraph = (
        f'<blockquote class="epigraph">{blocks_xhtml(chapter.epigraph)}</blockquote>'
        if chapter.epigraph
        else ""
    )
    return (
        f'<section class="chapter" id="chapter-{position}">{heading}'
        f"{_section('chapter-summary', 'Summary', chapter.summary, 3)}"
        f"{_section('chapter-notes', 'Notes', chapter.notes, 3)}"
        f"{epigraph}"
        f'<div class="userstuff">{blocks_xhtml(chapter.blocks)}</div>'
        f"{_section('chapter-end-notes', 'End notes', chapter.end_notes, 3)}"
        f"</section>"
    )


def afterword_xhtml(work: ParsedWork) -> str:
    """End notes and the status line (`The End` / `To be continued`)."""
    status = ""
    if work.complete is True:
        status = '<p class="status" data-complete="true">The End</p>'
    elif work.complete is False:
        status = '<p class="status" data-complete="false">To be continued</p>'
    notes = _section("end-notes", "End notes", work.end_notes)
    if not notes and not status:
        return ""
    return f'<footer class="afterword" id="afterword">{notes}{status}</footer>'
