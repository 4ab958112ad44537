"""From a flat run of blocks to a work: header, chapters, epigraphs, scene breaks, end markers.

Every reader (plain text, Markdown, legacy HTML) hands its body here as blocks, so the
conventions fan fiction shares across formats are recognised in one place:
header lines (`Author:`, `Email:`, `Summary:` …), chapter headings (`Chapter 1`, `Part II`,
`Prologue`, a heading followed by a title line), an italic epigraph at a chapter's start,
symbol-only scene breaks, end markers (`The End`, `TBC`) and archive navigation residue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import headers
from .errors import NoStoryText
from .headings import match_heading
from .language import detect_language
from .model import SCENE_BREAK, Block, Chapter, Creator, ParsedWork, SourceInfo, count_words

# --- scene breaks -------------------------------------------------------------------------

_BREAK_WORDS = re.compile(
    r"^[\W_]*(?:line|scene|page|section|pov)[ -]?(?:break|change|switch)[\W_]*$", re.I
)
_DECOR_LETTERS = set("oOxX0")


def is_scene_break(text: str) -> bool:
    """True for symbol-only lines (`***`, `~~~`, `-o-`, `oOo`, `xXx`) and `[line break]`."""
    if len(text) > 100:
        return False
    compact = "".join(text.split())
    if not compact or len(compact) > 60 and len(set(compact)) > 1:
        return False  # a rule of one symbol (`-----…`) is a break however long
    if _BREAK_WORDS.match(text.strip()):
        return True
    if compact.strip("\"'“”‘’.…!?") == "":
        return False  # "..." or '"..."' is a beat of silence, not a break
    letters = [c for c in compact if c.isalnum()]
    if not letters:
        return True
    if all(c in _DECOR_LETTERS for c in letters):
        symbols = len(compact) - len(letters)
        return (
            symbols > 0
            or len(letters) >= 3
            and len(set(letters)) > 1
            or compact.lower() in {"xxx", "ooo"}
        )
    return False


# --- end markers and navigation -----------------------------------------------------------

_END_COMPLETE = re.compile(
    r"^(?:the\s+end|end|fin|finis|finite|end\s+of\s+story|the\s+end\?*|owari)$", re.I
)
_END_CONTINUED = re.compile(
    r"^(?:tbc|t\.b\.c|to\s+be\s+continued|continued|more\s+to\s+come)(?:\W+(?:\w+\W*){0,5})?$|^(?:continued\s+in|next\s*:)\s.{0,40}$",
    re.I,
)
_END_CHAPTER = re.compile(r"^end\s+(?:of\s+)?(?:chapter|part|pt\.?|ch\.?)\s*[\w.]*$", re.I)

_NAV_ARROWS = re.compile(r"(?:<<|>>|«|»|←|→|&lt;&lt;|&gt;&gt;)")
_NAV_WORDS = re.compile(
    r"\b(?:back|next|prev|previous|index|home|chapter|top|story|stories|main|return|contents|menu|fics?|page|part)\b",
    re.I,
)
_NAV_ANYWHERE = re.compile(
    r"^(?:(?:next|previous|prev)\s+(?:chapter|part|page|story)\b.*"
    r"|(?:table\s+of\s+)?contents|chapter\s+index|story\s+index|click\s+here\s+to\b.*)$",
    re.I,
)
_NAV_BACK = re.compile(r"^(?:go\s+)?(?:back|return)\s+to\s+(.+)$", re.I)
_SENTENCE_MARKS = re.compile(r"[!?,;\"“”]")
_SPEECH_START = re.compile(r"^\s*(?:[\"“‘]|[—–]\w)")  # a quote, or dash dialogue (`—Back to …`)
_NAV_EDGE = re.compile(
    r"^(?:home|(?:archive|site|main)\s+home|home\s*page|index|top|main|back|next|previous|prev|reviews?|review\s+this\s+story|leave\s+a\s+review"
    r"|links|archive|stories|fiction|fan\s*fiction|fics|print|printer\s+friendly|feedback|about(?:\s+me)?"
    r"|contact(?:\s+me)?|e-?mail(?:\s+me)?|guestbook|updates|news|faq|search|site\s+map|webrings?"
    r"|share|reply|link|(?:please\s+)?(?:leave|post|add)\s+(?:a\s+)?comments?(?:\s+on\s+this\s+(?:story|fic|page))?"
    r"|(?:read|view)\s+(?:posted\s+)?comments|\d*\s*comments?|kudos|bookmark"
    r"|(?:(?:main|my)\s+)?(?:fan\s*)?(?:fic|fics|fiction|stories)\s+(?:page|index|list))$",
    re.I,
)
_FOOTER = re.compile(
    r"(?:^(?:copyright|\(c\))|©|all\s+rights\s+reserved|no\s+infringement|infringement\s+intended|powered\s+by|webmaster|hosted\s+by|site\s+design"
    r"|this\s+page\s+(?:was|is)|last\s+updated|best\s+viewed|designed\s+by|eFiction"
    # the footers mail services and list hosts added to every message of a mailing list
    r"|free\s+e-?mail\s+(?:from|at)|-unsubscribe@|to\s+unsubscribe\s+from\s+this\s+(?:group|list)"
    r"|yahoo!?\s+groups|\begroups\b|\bonelist\b|do\s+you\s+yahoo|mail\.yahoo\.com)",
    re.I,
)


def _bare(text: str) -> str:
    """A block's text with decoration (`~*`, `-`, brackets) trimmed off both ends."""
    return text.strip().strip("~*=_-–—#[](){}<>.:!|•· \t").strip()


def _end_state(text: str) -> bool | None | str:
    """True/False for complete/continued markers, "skip" for `End of chapter 3`, None otherwise."""
    if len(text) > 60 or "\n" in text.strip():
        return None
    bare = _bare(text)
    if _END_COMPLETE.match(bare):
        return True
    if _END_CONTINUED.match(bare) or _END_CONTINUED.match(text.strip().strip("~*=_-–—[]() ")):
        return False
    if _END_CHAPTER.match(bare):
        return "skip"
    return None


def is_navigation(text: str, *, at_edge: bool) -> bool:
    """Archive navigation and footer residue. Short edge-only words are trusted only at the edges."""
    if len(text) > 160:
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        # A menu laid out one link per line ("Home<br>Fiction<br>Links").
        # (a rule line between them, `_____`, is part of the footer)
        menu = [line for line in lines if not is_scene_break(line)]
        return at_edge and bool(menu) and all(is_navigation(line, at_edge=True) for line in menu)
    line = " ".join(text.split())
    if not line or len(line) > 120:
        return False
    if _NAV_ARROWS.search(line) and _NAV_WORDS.search(line):
        return True
    if _SPEECH_START.match(line):
        return False
    bare = _bare(line)
    if _NAV_ANYWHERE.match(bare) or _back_link(bare, at_edge):
        return True
    if at_edge:
        if _NAV_EDGE.match(bare):
            return True
        parts = line.split("|")
        if (
            "|" in line
            and all(len(part.split()) <= 4 or is_navigation(part, at_edge=True) for part in parts)
            and not any(headers.match_field(part) for part in parts)  # `Rating: R | Pairing: A/B`
        ):
            return True
        if _FOOTER.search(line):
            return True
    return False


def _back_link(bare: str, at_edge: bool) -> bool:
    """`Back to index`, `Return to the Buffy fiction page`: a link's words, not a sentence such as
    `Back to barracks! he said sternly.` A target that is no navigation word counts at the edges
    only (`Back to Jo's`)."""
    match = _NAV_BACK.match(bare)
    if not match:
        return False
    target = match.group(1)
    if _SENTENCE_MARKS.search(target) or len(target.split()) > 5:
        return False
    return at_edge or bool(_NAV_WORDS.search(target))


# --- epigraphs and notes --------------------------------------------------------------------

_ALL_EM = re.compile(r"^\s*<em>(?:(?!</em>).)*</em>\s*$|^\s*<em>.*</em>\s*$", re.S)
_ATTRIBUTION = re.compile(r"^\s*(?:[-–—~]+|by\s)\s*\S.{0,100}$", re.S)
_QUOTED = re.compile(r"^\s*[\"“].+[\"”]\s*$", re.S)
_NOTE_START = re.compile(
    r"^(?:a/n|a\.n\.|an\s*:|author'?s?\s*notes?|notes?|disclaimer|dedication|warnings?|spoilers?|thanks\s+to"
    r"|beta(?:'d|ed)?\s+by|feedback|reviews?\b|please\s+review|r\s*&\s*r|read\s+and\s+review)\b",
    re.I,
)


def _emphasised(block: Block) -> bool:
    if block.kind not in ("p", "verse"):
        return False
    inner = block.html.strip()
    if not _ALL_EM.match(inner):
        return False
    outside = re.sub(r"<em>.*?</em>", "", inner, flags=re.S)
    return not re.sub(r"<br>|\s", "", outside)


def _is_attribution(block: Block) -> bool:
    text = block.text.strip()
    return "\n" not in text and len(text.split()) <= 14 and bool(_ATTRIBUTION.match(text))


def _attributed_verse(block: Block) -> bool:
    """Italic lines with the attribution on the block's last line (no blank line between)."""
    if block.kind not in ("verse", "p") or "<br>" not in block.html:
        return False
    lines, last = block.html.rsplit("<br>", 1)
    tail = Block(html=last)
    head = Block(kind="verse", html=lines)
    return _is_attribution(tail) and _emphasised(head) and count_words(head.text) <= 250


def split_epigraph(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """An epigraph (lyrics or a quotation) at a chapter's start, kept apart from the body.

    Taken when the opening blocks are verse or a quotation in emphasis or a blockquote, or any
    short quotation followed by an attribution line (`- Song, Artist`). An italic prose
    paragraph with no attribution is a flashback, not an epigraph, and stays in the body.
    """
    if blocks and len(blocks) > 1 and _attributed_verse(blocks[0]):
        return blocks[:1], blocks[1:]
    n = 0
    words = 0
    has_verse = False
    while n < len(blocks) and n < 4:
        block = blocks[n]
        if not (_emphasised(block) or block.kind == "quote"):
            break
        words += count_words(block.text)
        has_verse = has_verse or block.kind in ("verse", "quote") or "<br>" in block.html
        n += 1
    attributed = n < len(blocks) and _is_attribution(blocks[n])
    if n == 0 and len(blocks) > 2 and _QUOTED.match(blocks[0].text) and _is_attribution(blocks[1]):
        n, words, attributed = 1, count_words(blocks[0].text), True
    if n == 0 or words > 250:
        return [], blocks
    if attributed:
        n += 1
    elif not has_verse:
        return [], blocks
    if n >= len(blocks) or not any(b.kind != "break" for b in blocks[n:]):
        return [], blocks
    return blocks[:n], blocks[n:]


def is_note(block: Block) -> bool:
    """Whether a paragraph opens as an author's note does (`A/N:`, `Disclaimer:`, `Thanks to`)."""
    return bool(
        _NOTE_START.match(
            _bare(block.text) if block.text.strip()[:1] in "~*=_-[(" else block.text.strip()
        )
    )


# --- assembly -------------------------------------------------------------------------------


@dataclass
class _Section:
    heading: Block | None
    title: str = ""
    blocks: list[Block] = field(default_factory=list)


def _strip_navigation(blocks: list[Block], warnings: list[str]) -> list[Block]:
    kept: list[Block] = []
    last = len(blocks) - 1
    for i, block in enumerate(blocks):
        at_edge = i < 3 or i > last - 5
        # A page's unclosed <blockquote> swallows the footer too: its last block may be a quote.
        kinds = ("p", "heading", "verse", "quote") if i == last else ("p", "heading", "verse")
        if block.kind in kinds and is_navigation(block.text, at_edge=at_edge):
            warnings.append(f"removed navigation/footer line: {block.text.strip()[:60]!r}")
            continue
        if at_edge and block.kind in ("p", "verse") and "<br>" in block.html:
            block = _strip_navigation_lines(block, warnings)
            if block is None:
                continue
        kept.append(block)
    return kept


def _strip_navigation_lines(block: Block, warnings: list[str]) -> Block | None:
    """Drop the menu lines of a block that mixes them with other lines (`Tags: …<br>Share | Reply`)."""
    lines = block.html.split("<br>")
    keep = [line for line in lines if not is_navigation(Block(html=line).text, at_edge=True)]
    if len(keep) == len(lines):
        return block
    for line in lines:
        if line not in keep:
            warnings.append(
                f"removed navigation/footer line: {Block(html=line).text.strip()[:60]!r}"
            )
    if not any(Block(html=line).text.strip() for line in keep):
        return None
    return Block(
        kind=block.kind if len(keep) > 1 else "p", html="<br>".join(keep).strip(), align=block.align
    )


def mark_scene_breaks(blocks: list[Block]) -> list[Block]:
    """Symbol-only paragraphs (`***`, `-o-`, `xXx`) become breaks; no break at either end or twice."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "break" or (block.kind in ("p", "verse") and is_scene_break(block.text)):
            if out and out[-1].kind != "break":
                out.append(SCENE_BREAK)
            continue
        out.append(block)
    while out and out[-1].kind == "break":
        out.pop()
    return out


def _split_heading_lines(blocks: list[Block]) -> list[Block]:
    """A block of kept lines that opens with a heading ("Chapter 1<br>The Letter") becomes two."""
    out: list[Block] = []
    for block in blocks:
        if block.kind in ("verse", "p") and "<br>" in block.html:
            first, rest = block.html.split("<br>", 1)
            if match_heading(Block(html=first).text) and rest.strip():
                out.append(Block(kind="p", html=first.strip()))
                lines = rest.split("<br>")
                out.append(Block(kind="verse" if len(lines) > 1 else "p", html=rest.strip()))
                continue
        out.append(block)
    return out


def _split_chapters(blocks: list[Block]) -> tuple[list[Block], list[_Section]]:
    """Blocks before the first heading, and one section per chapter heading."""
    found = [
        (i, match_heading(b.text))
        for i, b in enumerate(blocks)
        if b.kind in ("p", "heading", "verse")
    ]
    found = [(i, h) for i, h in found if h is not None]
    # Bare numbers ("1", "II.") count only as a rising sequence of at least two.
    bare = [(i, h) for i, h in found if h.bare]
    rising = [h.number for _, h in bare] == list(range(1, len(bare) + 1))
    opening = len(bare) == 1 and bare[0][0] == 0 and bare[0][1].title
    if not (len(bare) >= 2 and rising or opening):
        found = [(i, h) for i, h in found if not h.bare]
    if not found:
        # Untyped headings (a Markdown `##` or an HTML <h2> per chapter) when there are several.
        heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
        levels = {blocks[i].level for i in heads}
        if len(heads) >= 2 and len(levels) == 1:
            sections = []
            for k, i in enumerate(heads):
                end = heads[k + 1] if k + 1 < len(heads) else len(blocks)
                sections.append(
                    _Section(
                        heading=blocks[i], title=blocks[i].text.strip(), blocks=blocks[i + 1 : end]
                    )
                )
            return blocks[: heads[0]], sections
        return blocks, []
    sections = []
    for k, (i, heading) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(blocks)
        body = blocks[i + 1 : end]
        title = heading.title
        # "Chapter 1" then a title line on its own ("One"), before the text starts.
        if (
            not title
            and heading.kind == "chapter"
            and len(body) >= 2
            and _is_title_line(body[0])
            and not _is_attribution(body[1])  # then it is a one-line epigraph
        ):
            title, body = body[0].text.strip(), body[1:]
        sections.append(_Section(heading=blocks[i], title=title, blocks=body))
    return blocks[: found[0][0]], sections


def _is_title_line(block: Block) -> bool:
    text = block.text.strip()
    if block.kind not in ("p", "heading") or "\n" in text or not text:
        return False
    if block.kind == "heading":
        return True
    if _emphasised(block) and len(text.split()) > 8:
        return False
    return (
        len(text.split()) <= 10
        and len(text) <= 80
        and text[-1] not in ".,;:-—"
        and text[0] not in "\"“'‘"
        and not is_scene_break(text)
        and headers.match_field(text) is None
    )


_END_WINDOW = 6  # an end marker this close to the end of a chapter ends the story there
_AFTER_END_WORDS = 250  # what follows an uncentred marker must be this short to be end notes
_AFTER_CENTRED_END_WORDS = 1000  # a centred marker is trusted further, not without limit


def _split_at_end_marker(blocks: list[Block], chapter: Chapter) -> list[Block]:
    """`The End` (`~Fin~`, `Owari`) with notes or chrome after it: the story ends at the marker.

    What follows becomes the chapter's end notes. An uncentred marker counts only when what
    follows is short, so a story that merely says "The end." before going on keeps its text.
    """
    for i in range(len(blocks) - 2, max(-1, len(blocks) - 2 - _END_WINDOW), -1):
        block = blocks[i]
        if block.kind not in ("p", "verse", "heading") or _end_state(block.text) not in (
            True,
            False,
        ):
            continue
        after = [b for b in blocks[i + 1 :] if b.kind != "break"]
        words = count_words("\n".join(b.text for b in after))
        centred = block.align == "center" or block.kind == "heading"
        if words <= _AFTER_END_WORDS or centred and words <= _AFTER_CENTRED_END_WORDS:
            chapter.end_notes = after + chapter.end_notes
            return blocks[: i + 1]
        return blocks
    return blocks


def _trim_chapter_end(section: _Section, chapter: Chapter, warnings: list[str]) -> bool | None:
    """Pull end notes and end markers off a chapter's tail; return the end state found."""
    state: bool | None = None
    blocks = _split_at_end_marker(section.blocks, chapter)
    while blocks:
        last = blocks[-1]
        if last.kind == "break":
            blocks = blocks[:-1]
            continue
        marker = _end_state(last.text) if last.kind in ("p", "verse", "heading") else None
        if marker is not None:
            if marker != "skip":
                state = marker if state is None else state
            warnings.append(f"recognised end marker {last.text.strip()[:40]!r}")
            blocks = blocks[:-1]
            continue
        if is_note(last) and len(blocks) > 1:
            chapter.end_notes.insert(0, last)
            blocks = blocks[:-1]
            continue
        break
    section.blocks = blocks
    return state


def _build_chapter(
    number: int, section: _Section, warnings: list[str]
) -> tuple[Chapter, bool | None]:
    chapter = Chapter(number=number, title=section.title)
    blocks = section.blocks
    while blocks and blocks[0].kind == "break":
        blocks = blocks[1:]
    while len(blocks) > 1 and is_note(blocks[0]):
        chapter.notes.append(blocks[0])
        blocks = blocks[1:]
    chapter.epigraph, blocks = split_epigraph(blocks)
    section.blocks = blocks
    state = _trim_chapter_end(section, chapter, warnings)
    chapter.blocks = mark_scene_breaks(section.blocks)
    while chapter.blocks and chapter.blocks[0].kind == "break":
        chapter.blocks.pop(0)
    return chapter, state


_POSTED_BY = re.compile(
    r"^posted\s+by:?\s+(?P<name>[^|,:]{1,40}?)\s+(?:at|on|@)\s+(?P<when>[^|]{1,60}?)\s*(?:\|.*)?$",
    re.I,
)
_DATE_WORDS = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def _cut_at_post_footer(blocks: list[Block], warnings: list[str]) -> tuple[list[Block], str]:
    """A blog post ends at its `Posted by Ann at 10:15 PM | Comments (3)` line: what follows is
    readers' comments and the sidebar. Returns the post's blocks and the poster's name."""
    for i, block in enumerate(blocks[1:], start=1):
        m = _POSTED_BY.match(" ".join(block.text.split()))
        if m and _DATE_WORDS.search(m.group("when")) and block.kind in ("p", "verse"):
            warnings.append(
                f"removed the blog's post footer and what follows it ({len(blocks) - i} block(s))"
            )
            return blocks[:i], m.group("name").strip()
    return blocks, ""


_ABOVE_RULE_BLOCKS = 3  # short blocks between a story's header and the rule under it
_ABOVE_RULE_WORDS = 80


def _notes_above_rule(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Under a header, a line or two and then a rule: the writer's notes (`PG. Gen. For Dana.`),
    the story below the rule. A rule (`<hr>`, `-----`) says so by itself; a scene break
    (`~*~*~`) only under lines that read as notes, or it is the end of a short first scene."""
    rule = next(
        (i for i, b in enumerate(blocks[: _ABOVE_RULE_BLOCKS + 1]) if _is_rule(b) or _is_break(b)),
        0,
    )
    above = blocks[:rule]
    if not above or len(blocks) <= rule + 1 or any(b.kind not in ("p", "verse") for b in above):
        return [], blocks
    if count_words("\n".join(b.text for b in above)) > _ABOVE_RULE_WORDS:
        return [], blocks
    if any(match_heading(line) for b in above for line in b.text.split("\n")):
        return [], blocks  # `Chapter 1: Low Water` starts the story
    if not _is_rule(blocks[rule]) and not any(_reads_as_note(b) for b in above):
        return [], blocks
    return above, blocks[rule + 1 :]


_RULE_LINE = re.compile(r"^\s*([-_=])\1{4,}\s*$")
_RATING_CUE = re.compile(r"^(?:rated|rating)\b", re.I)


def _is_rule(block: Block) -> bool:
    return block.kind == "break" or bool(_RULE_LINE.match(block.text))


def _is_break(block: Block) -> bool:
    return block.kind == "p" and is_scene_break(block.text)


def _reads_as_note(block: Block) -> bool:
    """A line of the block opens as an author's note or a rating does."""
    return any(
        _NOTE_START.match(line.strip()) or _RATING_CUE.match(line.strip())
        for line in block.text.split("\n")
    )


def assemble_work(
    blocks: list[Block], source: SourceInfo, warnings: list[str], *, title_hint: str = ""
) -> ParsedWork:
    """Turn a body's blocks into a ParsedWork, recording what was dropped in `warnings`."""
    blocks, poster = _cut_at_post_footer(blocks, warnings)
    blocks = _strip_navigation(blocks, warnings)
    header, blocks = headers.read_header(blocks)
    trailer, blocks = headers.read_trailer(blocks)
    work = ParsedWork(title="", source=source, warnings=warnings)
    header.apply(work)
    trailer.apply(work)
    if poster and not work.creators:
        work.creators.append(Creator(poster))
    if header.fields or header.title:
        notes, blocks = _notes_above_rule(blocks)
        work.notes.extend(notes)

    preface, sections = _split_chapters(_split_heading_lines(blocks))
    if sections:
        if count_words("\n".join(b.text for b in preface)) >= 150 and not all(
            is_note(b) for b in preface
        ):
            sections.insert(0, _Section(heading=None, blocks=preface))
        else:
            work.notes.extend(b for b in preface if b.kind != "break")
    else:
        sections = [_Section(heading=None, blocks=preface)]

    end_state: bool | None = None
    for number, section in enumerate(sections, start=1):
        chapter, state = _build_chapter(number, section, warnings)
        if not chapter.blocks and not chapter.epigraph:
            if chapter.title or chapter.notes:
                warnings.append(f"chapter {number} ({chapter.title or 'untitled'}) has no text")
            else:
                continue
        if state is not None:
            end_state = state
        work.chapters.append(chapter)
    for number, chapter in enumerate(work.chapters, start=1):
        chapter.number = number

    if not any(c.blocks for c in work.chapters):
        raise NoStoryText(
            "no story text found (only header lines or navigation); is this an index page?"
        )

    if work.complete is None and end_state is not None:
        work.complete = end_state
    if not work.title:
        if title_hint:
            work.title = title_hint
        else:
            work.title = (
                work.chapters[0].title
                if len(work.chapters) == 1 and work.chapters[0].title
                else "Untitled"
            )
            work.title_missing = True
    if not work.language:
        work.language = detect_language(" ".join(c.text[:3000] for c in work.chapters[:3]))
    return work


__all__ = [
    "assemble_work",
    "is_navigation",
    "is_scene_break",
    "mark_scene_breaks",
    "split_epigraph",
]
