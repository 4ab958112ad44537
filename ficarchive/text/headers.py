"""Header lines at the top of a story file: title, `Author:`, `Email:`, `Rating:`, `Summary:` ….

Old archives and mailing lists put a block of `Key: value` lines above the story. We read them
into fields, keep the ones a reader wants (summary, notes, disclaimer) and put contact details
in private storage: an author's email address is never part of any public text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .headings import match_heading
from .language import language_code
from .model import Block, Contact, Creator, ParsedWork, TagType
from .plaintext import inline_markup
from .titles import part_line, split_part_number

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)

# Field name -> the spellings seen in the wild (matched case-insensitively before a colon).
_FIELDS = {
    "title": ["title", "story title", "story"],
    "author": ["author", "authors", "author name", "writer", "written by", "pen name", "penname", "by", "creator"],
    "email": ["email", "e-mail", "mail", "contact", "author email", "author's email", "aim", "website", "url", "homepage", "lj", "livejournal"],
    "rating": ["rating", "rated", "classification"],
    "pairing": ["pairing", "pairings", "relationship", "relationships", "ship", "ships", "couple", "couples"],
    "characters": ["characters", "character", "main characters"],
    "fandom": ["fandom", "fandoms", "show", "universe"],
    "category": ["category", "categories", "genre", "genres", "type", "tags", "keywords", "additional tags"],
    "warnings": ["warning", "warnings", "archive warnings", "content warnings", "spoilers", "spoiler", "spoiler warning"],
    "summary": ["summary", "description", "synopsis", "blurb"],
    "disclaimer": ["disclaimer", "disclaimers"],
    "feedback": ["feedback", "comments", "reviews"],
    "notes": ["notes", "note", "a/n", "an", "author's note", "author's notes", "authors note", "author note", "author notes", "dedication", "thanks", "beta", "beta reader", "timeline", "setting", "distribution", "archive", "archiving", "series"],
    "status": ["status"],
    "language": ["language"],
    "chapters": ["chapters", "chapter count"],
    "words": ["words", "word count", "wordcount", "length"],
    "date": ["date", "posted", "published", "written", "completed", "updated"],
}  # fmt: skip
_KEY_TO_FIELD = {key: name for name, keys in _FIELDS.items() for key in keys}
_FIELD_RE = re.compile(
    r"^\s*[*_~\[(]*\s*("
    + "|".join(sorted(map(re.escape, _KEY_TO_FIELD), key=len, reverse=True))
    + r")\s*[*_\])]*\s*(?::|\s[-–—]\s)\s*(.*)$",
    re.I,
)
_OTHER_FIELD = re.compile(
    r"^\s*[*_~\[(]*\s*([A-Z][\w'’/&]*(?:\s[\w'’/&]+){0,2})\s*[*_\])]*\s*:\s+(\S.*)$"
)
_BY_LINE = re.compile(r"^\s*(?:written\s+by|story\s+by|by)\s+(\S.{0,60})$", re.I)
_CONTACT_ONLY = re.compile(
    r"^\W*(?:mailto:)?(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+)\W*$", re.I
)
# `Salt by Mara`: a title and its author on one line (the header's and a page heading's).
TITLE_BY = re.compile(r"^(\S.{0,100}?)\s+by\s+(\S(?:\S|\s(?!by\s)){0,60})$", re.I)
_RATED = re.compile(r"^rated\s+(\S{1,6})$", re.I)
_QUOTED_TITLE = re.compile(r"^\s*[\"“'‘](.{1,120})[\"”'’]\s*$")

_RATINGS = {
    "General Audiences": ["g", "pg", "k", "k+", "general", "general audiences", "all ages", "everyone", "fr7", "u"],
    "Teen And Up Audiences": ["pg-13", "pg13", "fr13", "t", "teen", "teen and up", "teen and up audiences", "pg-15", "fr15", "13+", "15+", "12", "14"],
    "Mature": ["r", "m", "mature", "fr18", "16+", "17+", "nc-16"],
    "Explicit": ["nc-17", "nc17", "ma", "explicit", "x", "xxx", "adult", "18+", "fr21", "nc"],
    "Not Rated": ["not rated", "unrated", "none"],
}  # fmt: skip
_RATING_LOOKUP = {spelling: name for name, spellings in _RATINGS.items() for spelling in spellings}
NOT_RATED = "Not Rated"
# A longer rating name (eFiction's "Adult: 18+ only", "Young Adult") by the words it contains,
# first match wins: the explicit names before the milder words they contain ("NC-17" before "17",
# "Adult" before "Teen"). Matched as words, any case.
_RATING_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rating, re.compile(pattern, re.I))
    for rating, pattern in (
        ("Teen And Up Audiences", r"\byoung adults?\b"),
        ("Explicit", r"\bnc-?1[78]\b|\bexplicit\b|\bxxx\b|\bx\b|\badults?\b|\b18\+|\bma\b|\bnc\b|\bfr ?21\b"),
        ("Mature", r"\bmature\b|\br\b|\bm\b|\b1[67]\+|\bfr ?18\b|\bnc-?1[56]\b"),
        ("Teen And Up Audiences", r"\bpg-?1[3-5]\b|\bteens?\b|\bt\b|\b1[2-5]\+|\bfr ?1[35]\b"),
        ("General Audiences", r"\bg\b|\bpg\b|\bk\+?(?!\w)|\ball ages\b|\bgeneral\b|\beveryone\b|\bfr ?7\b|\bu\b|\bgen\b"),
        (NOT_RATED, r"\bnot rated\b|\bunrated\b|\bnone\b"),
    )
)  # fmt: skip

# AO3's archive warnings and the names old headers and eFiction sites gave them, most specific
# first; a name is matched whole (`death of a dream` is no warning), any case.
_ARCHIVE_WARNINGS = [
    ("No Archive Warnings Apply", re.compile(r"^(?:none|no(?:ne)?\s+(?:archive\s+)?warnings?(?:\s+apply)?|n/?a|nothing|no)$", re.I)),
    ("Creator Chose Not To Use Archive Warnings", re.compile(r"chose\s+not\s+to\s+(?:use\s+archive\s+)?warn|^cntw$", re.I)),
    ("Major Character Death", re.compile(r"^(?:major\s+|main\s+)?(?:character\s+death|death\s*fic|mcd|deathfic|death)(?:\s*\([^)]*\))?$|^(?:a\s+)?(?:main\s+|major\s+)?character\s+(?:dies|is\s+killed)$", re.I)),
    ("Graphic Depictions Of Violence", re.compile(r"^(?:graphic\s+(?:depictions?\s+of\s+)?)?violence$|^(?:gore|torture|graphic\s+gore)$", re.I)),
    ("Rape/Non-Con", re.compile(r"^(?:rape|non-?con(?:sensual)?|rape/non-?con)$", re.I)),
    ("Underage", re.compile(r"^(?:underage|under-age)(?:\s+sex)?$|^chan$", re.I)),
]  # fmt: skip
_RATING_WORDS_MAX = 4  # `Rating: PG-13 for language`; more words carry a note of their own
_TAG_ITEM_WORDS = (
    5  # a warnings list of items this short is tags; longer is a sentence, kept as a note
)


def classify_warning(text: str) -> str | None:
    """`character death` -> `Major Character Death`; None when it is no AO3 archive warning."""
    item = " ".join(text.split()).strip(" .!")
    return next((name for name, pattern in _ARCHIVE_WARNINGS if pattern.search(item)), None)


def rating_of(name: str) -> str | None:
    """The AO3 rating a site's rating name means (`PG-13`, FFN's `T`, eFiction's `Adult 18+`),
    by its exact spelling, else by the words in it; None when nothing says which."""
    key = name.strip().lower().removeprefix("fiction").strip(" .:-")
    key = re.split(r"\s+(?:for|-|–|\()", key)[0].strip()
    if key in _RATING_LOOKUP:
        return _RATING_LOOKUP[key]
    return next((rating for rating, words in _RATING_WORDS if words.search(name)), None)


def normalise_rating(raw: str) -> str:
    """The AO3 rating a header's rating means (`rating_of`); an unknown one kept as given."""
    return rating_of(raw) or raw.strip()


def match_field(line: str) -> tuple[str, str, str] | None:
    """`("author", "Jane", "Author")` for `Author: Jane`; None when not a header field."""
    m = _FIELD_RE.match(line)
    if not m:
        return None
    return _KEY_TO_FIELD[m.group(1).lower()], m.group(2).strip(), m.group(1)


@dataclass
class Header:
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)
    title: str = ""

    def values(self, name: str) -> list[str]:
        return [v for k, v, _ in self.fields if k == name and v]

    def labelled(self, name: str) -> list[tuple[str, str]]:
        return [(label, v) for k, v, label in self.fields if k == name and v]

    def apply(self, work: ParsedWork) -> None:
        """Copy the header into the work's fields; private contact goes to `work.contacts`."""
        if self.title:
            work.title = self.title
        for value in self.values("title"):
            work.title = work.title or _strip_contact(value, work)
        numbered = split_part_number(work.title)
        if numbered.part is not None:  # `Title: Salt (2/3)`
            work.title, work.part = numbered.title, numbered.part
            work.expected_chapters = work.expected_chapters or numbered.parts
        for value in self.values("author"):
            for name in _split_names(_strip_contact(value, work)):
                if name and Creator(name) not in work.creators:
                    work.creators.append(Creator(name))
        for value in self.values("email"):
            _strip_contact(value, work)
        for label, value in self.labelled("rating"):
            work.rating = work.rating or normalise_rating(value)
            if len(value.split()) > _RATING_WORDS_MAX:
                # `Rating: PG. Spoilers for the finale.`: the sentence after it is a note.
                work.notes.append(Block(html=inline_markup(f"{label}: {value}")))
        if work.rating:
            work.add_tag(TagType.RATING, work.rating)
        for value in self.values("pairing"):
            for name in _split_list(value):
                work.add_tag(TagType.RELATIONSHIP, name)
        for value in self.values("characters"):
            for name in _split_list(value):
                work.add_tag(TagType.CHARACTER, name)
        for value in self.values("fandom"):
            for name in _split_list(value):
                work.add_tag(TagType.FANDOM, name)
        for value in self.values("category"):
            for name in re.split(r"[,;/]", value):
                work.add_tag(TagType.FREEFORM, name.strip())
        for value in self.values("status"):
            low = value.lower()
            if "complete" in low and "incomplete" not in low:
                work.complete = True
            elif any(w in low for w in ("wip", "progress", "incomplete", "ongoing", "continu")):
                work.complete = False
        for value in self.values("language"):
            work.language = language_code(value) or work.language
        for value in self.values("part"):
            number, _, of = value.partition("/")
            work.part = int(number)
            if of and work.expected_chapters is None:
                work.expected_chapters = int(of)
        for value in self.values("chapters"):
            m = re.search(r"(\d+)\s*(?:/\s*(\d+|\?))?", value)
            if m and m.group(2) and m.group(2).isdigit():
                work.expected_chapters = int(m.group(2))
        for value in self.values("summary"):
            work.summary.append(Block(html=inline_markup(_strip_contact(value, work))))
        for label, value in self.labelled("warnings"):
            if not _warnings_as_tags(label, value, work):
                work.notes.append(
                    Block(html=inline_markup(f"{_label(label)}: {_strip_contact(value, work)}"))
                )
        for name in ("disclaimer", "notes", "feedback"):
            for label, value in self.labelled(name):
                text = _strip_contact(value, work)
                if text.strip(" .:-"):
                    line = f"{_label(label)}: {text}" if label else text
                    work.notes.append(Block(html=inline_markup(line)))


def _label(label: str) -> str:
    """The writer's own label ("Spoilers:", "A/N:"), title-cased when shouted."""
    return label.title() if label.isupper() and len(label) > 3 else label


def _warnings_as_tags(label: str, value: str, work: ParsedWork) -> bool:
    """`Warnings: character death, angst` -> AO3 warning and freeform tags; False (keep the
    line as a note) for spoiler lines and warnings written as sentences."""
    if label.lower().startswith("spoiler"):
        return False
    items = [i.strip(" .") for i in re.split(r"[,;/]|\band\b", value) if i.strip(" .")]
    if not items or any(len(i.split()) > _TAG_ITEM_WORDS for i in items):
        for item in items:
            if warning := classify_warning(item):
                work.add_tag(TagType.WARNING, warning)
        return False
    for item in items:
        warning = classify_warning(item)
        work.add_tag(TagType.WARNING if warning else TagType.FREEFORM, warning or item)
    return True


def _strip_contact(value: str, work: ParsedWork) -> str:
    """Move emails and URLs out of a header value into private contacts; return what is left."""
    for email in _EMAIL.findall(value):
        contact = Contact("email", email)
        if contact not in work.contacts:
            work.contacts.append(contact)
    for url in _URL.findall(value):
        contact = Contact("url", url.rstrip(").,>"))
        if contact not in work.contacts:
            work.contacts.append(contact)
    value = _URL.sub("", _EMAIL.sub("", value))
    value = re.sub(r"[(<\[]\s*(?:mailto:)?\s*[)>\]]", "", value)
    return " ".join(value.split()).strip(" ,;:-")


def _split_names(value: str) -> list[str]:
    parts = re.split(r"\s*(?:&|\band\b|,|;|\+)\s*", value)
    if all(1 <= len(p.split()) <= 4 for p in parts if p):
        return [p.strip() for p in parts if p.strip()]
    return [value.strip()] if value.strip() else []


def _split_list(value: str) -> list[str]:
    return [
        p.strip(" .") for p in re.split(r"\s*[,;]\s*|\s+and\s+(?=\w+/)", value) if p.strip(" .")
    ]


def _block_lines(block: Block) -> list[str]:
    """A block's header lines; one left with no word (`<>` once the email went) is none."""
    return [
        part
        for line in block.text.split("\n")
        if any(c.isalnum() for c in line)
        for part in split_field_line(line)
    ]


# Field names safe to find in the middle of a line: words never used in a sentence before a colon.
_INLINE_KEYS = (
    "title", "author", "authors", "rating", "rated", "pairing", "pairings", "characters",
    "fandom", "fandoms", "genre", "genres", "warning", "warnings", "summary", "disclaimer",
    "word count", "words", "category", "categories", "spoilers", "status", "beta", "notes",
    "a/n", "archive", "feedback", "series", "length", "email", "e-mail",
)  # fmt: skip
_INLINE_FIELD = re.compile(
    r"(?:^|(?<=\s)|(?<=[|;•·]))(" + "|".join(map(re.escape, _INLINE_KEYS)) + r")\s*:", re.I
)


_FREE_TEXT_KEYS = ("summary", "notes", "a/n", "disclaimer", "feedback")


def split_field_line(line: str) -> list[str]:
    """`Rating: PG-13 | Pairing: Harry/Draco` or `Rating: R Pairing: A/B` -> one line per field."""
    starts = [m.start(1) for m in _INLINE_FIELD.finditer(line)]
    if len(starts) < 2 or starts[0] > 0 and line[: starts[0]].strip(" *_-~[("):
        return [line]
    # A free-text field (`Summary: … the title: …`) runs to the end of its line.
    for k, start in enumerate(starts):
        if line[start:].lower().startswith(_FREE_TEXT_KEYS):
            starts = starts[: k + 1]
            break
    if len(starts) < 2:
        return [line]
    pieces = [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    return [p.strip().rstrip("|;•·,").strip() for p in pieces if p.strip()]


_LEAD_BLOCKS = 2  # short notes a writer may put above the header ("For the summer challenge!")
_LEAD_WORDS = 60


def read_header(blocks: list[Block], max_blocks: int = 20) -> tuple[Header, list[Block]]:
    """Read header lines off the top of a body; return them and the blocks that remain.

    A short note or two above the header lines (`Written for the summer challenge!`) does not
    hide the header: it is kept as a note and the header below it is read.
    """
    header, top_rest = _read_header_at_top(blocks, max_blocks)
    if header.fields or header.title:
        return header, top_rest
    for lead in range(1, _LEAD_BLOCKS + 1):
        leading = blocks[:lead]
        if any(b.kind not in ("p", "verse") or len(b.text.split()) > _LEAD_WORDS for b in leading):
            break
        late, rest = _read_header_at_top(blocks[lead:], max_blocks)
        if len([f for f in late.fields if f[0] != "notes"]) + bool(late.title) >= 2:
            late.fields[:0] = [("notes", b.text.strip(), "") for b in leading]
            return late, rest
    return header, top_rest


def _read_header_at_top(blocks: list[Block], max_blocks: int) -> tuple[Header, list[Block]]:
    header = Header()
    consumed = 0
    pending: tuple[str, str] | None = None  # (name, label) of a field whose value is the next block
    heading: Block | None = None  # a chapter heading found inside the header, put back after it
    for index, block in enumerate(blocks[:max_blocks]):
        lines = _block_lines(block)
        split = _heading_after_header(lines)
        after = [_lines_block(lines[split:])] if split else []
        lines = lines[:split] if split else lines
        if not lines:
            consumed = index + 1
            continue
        if pending is not None and block.kind in ("p", "verse") and match_field(lines[0]) is None:
            header.fields.append((pending[0], " ".join(lines), pending[1]))
            pending = None
            consumed = index + 1
            continue
        pending = None
        next_blocks = [*after, *blocks[index + 1 : index + 3]]
        parsed = _read_header_block(lines, header, next_blocks=next_blocks)
        if parsed is False:
            # `Title: …<br>Author: …<br>Headers and disclaimer in part 1.`: the fields, then text.
            split = _header_lines_then_text(lines, header)
            if split:
                return header, [_lines_block(lines[split:]), *blocks[index + 1 :]]
            break
        pending = parsed or None
        consumed = index + 1
        if after and len(lines) + 1 < len(_block_lines(block)):
            return header, [*after, *blocks[consumed:]]  # the story starts under the heading
        # `by Sorrel / Chapter One`, then `Rating: PG`: the heading goes above the story text.
        heading = heading or (after[0] if after else None)
    rest = blocks[consumed:]
    return header, [heading, *rest] if heading is not None else rest


_MIN_FIELDS_ABOVE_TEXT = 2


def _header_lines_then_text(lines: list[str], header: Header) -> int:
    """Where the text starts under the longest run of at least two header fields at the top
    of a block (read into `header`), else 0 and `header` unchanged."""
    for split in range(len(lines) - 1, _MIN_FIELDS_ABOVE_TEXT - 1, -1):
        trial = Header(fields=list(header.fields), title=header.title)
        if _read_header_block(lines[:split], trial, next_blocks=[]) is False:
            continue
        added = [f for f in trial.fields[len(header.fields) :] if f[0] != "notes"]
        if len(added) >= _MIN_FIELDS_ABOVE_TEXT:
            header.fields, header.title = trial.fields, trial.title
            return split
        return 0
    return 0


def _heading_after_header(lines: list[str]) -> int:
    """Where a chapter heading starts below header lines in one block, else 0."""
    for i, line in enumerate(lines[1:4], start=1):
        if match_heading(line) is not None and part_line(line) is None and "|" not in line:
            return i
    return 0


def _lines_block(lines: list[str]) -> Block:
    return Block(kind="verse", html="<br>".join(html.escape(ln, quote=False) for ln in lines))


@dataclass
class _BlockReading:
    """One header block being read: what its lines gave so far."""

    header: Header
    lines: list[str]
    next_blocks: list[Block]
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    title: str = ""
    known: int = 0  # lines that are known fields or by-lines

    def __post_init__(self) -> None:
        self.known = sum(1 for ln in self.lines if match_field(ln) or _BY_LINE.match(ln))

    @property
    def started(self) -> bool:
        return bool(self.fields or self.title or self.header.fields or self.header.title)


def _line_field(line: str, i: int, r: _BlockReading) -> bool:
    match = match_field(line)
    if match:
        r.fields.append(match)
    return match is not None


def _line_other_field(line: str, i: int, r: _BlockReading) -> bool:
    """`Recipient: x`, `Prompt: y` among known fields: the writer's own header line."""
    other = _OTHER_FIELD.match(line)
    if other and r.known >= 2:
        r.fields.append(("notes", other.group(2).strip(), other.group(1).strip()))
        return True
    return False


def _line_contact(line: str, i: int, r: _BlockReading) -> bool:
    """`<ann@example.org>` under the by-line."""
    if _CONTACT_ONLY.match(line) and r.started:
        r.fields.append(("email", line, ""))
        return True
    return False


def _line_by(line: str, i: int, r: _BlockReading) -> bool:
    by = _BY_LINE.match(line)
    if not by or len(by.group(1).split()) > 6:
        return False
    name, occasion = _by_and_occasion(by.group(1))
    r.fields.append(("author", name, "by"))
    if occasion:
        r.fields.append(("notes", line.strip(), ""))  # `by Ann for the kink meme.`
    return True


def _line_title(line: str, i: int, r: _BlockReading) -> bool:
    if i == 0 and not r.header.title and _looks_like_title(line, r.lines[1:], r.next_blocks):
        r.title = _QUOTED_TITLE.sub(r"\1", line).strip()
        return True
    return False


def _line_title_by(line: str, i: int, r: _BlockReading) -> bool:
    """`Grey Feather by Jen <jen@example.org>` over more header lines."""
    m = TITLE_BY.match(_strip_contact(line, ParsedWork(title="")))
    if i != 0 or r.header.title or not m or len(r.lines) < 2 and not r.started:
        return False
    if len(m.group(1).split()) > 12 or len(m.group(2).split()) > 4:
        return False
    r.title = m.group(1).strip()
    r.fields += [("author", m.group(2).strip(), "by"), ("email", line, "")]
    return True


def _line_part(line: str, i: int, r: _BlockReading) -> bool:
    """`Part 1 of 3` under the title and by-line: which file of a story posted in parts."""
    part = part_line(line)
    if part is not None and r.started:
        r.fields.append(("part", f"{part.part}/{part.parts or ''}", ""))
        return True
    return False


def _line_facts(line: str, i: int, r: _BlockReading) -> bool:
    """`Part 1 of 2 | Rated G | Pip and Tomas`: a line of facts without labels."""
    parts = [p.strip() for p in line.split("|") if p.strip()]
    if len(parts) < 2 or not r.started:
        return False
    read = []
    for part in parts:
        number, rated = part_line(part), _RATED.match(part)
        if number is not None:
            read.append(("part", f"{number.part}/{number.parts or ''}", ""))
        elif rated:
            read.append(("rating", rated.group(1), "Rated"))
    if not read:
        return False
    r.fields += read
    rest = [p for p in parts if part_line(p) is None and not _RATED.match(p)]
    if rest:
        r.fields.append(("notes", " | ".join(rest), ""))
    return True


def _line_continued(line: str, i: int, r: _BlockReading) -> bool:
    """A free-text field (`Summary:`) wrapped onto the next line."""
    if r.fields and r.fields[-1][0] in ("summary", "notes", "disclaimer", "warnings", "feedback"):
        name, value, label = r.fields[-1]
        r.fields[-1] = (name, f"{value} {line.strip()}".strip(), label)
        return True
    return False


# Each header line is read by the first reader that takes it; a line none takes ends the header.
_LINE_READERS = (
    ("field", _line_field),
    ("unknown field", _line_other_field),
    ("contact", _line_contact),
    ("by-line", _line_by),
    ("title and by-line", _line_title_by),
    ("title", _line_title),
    ("part", _line_part),
    ("facts", _line_facts),
    ("continued", _line_continued),
)


def _read_header_block(
    lines: list[str], header: Header, *, next_blocks: list[Block]
) -> tuple[str, str] | None | bool:
    """Consume one block of header lines into `header`.

    Returns False when the block is not header, the (name, label) of a field whose value is
    the next block (`Summary:` on a line of its own), else None.
    """
    reading = _BlockReading(header, lines, next_blocks)
    for i, line in enumerate(lines):
        if not any(read(line, i, reading) for _, read in _LINE_READERS):
            return False
    fields, title = reading.fields, reading.title
    header.title = header.title or title
    if fields and not fields[-1][1]:
        name, _, label = fields.pop()
        header.fields.extend(fields)
        return (name, label)
    header.fields.extend(fields)
    return None


_FOR_OCCASION = re.compile(r"^(\S+(?:\s\S+){0,2}?)\s+(?:for|in|as)\s+(?:the|a|an|my|\S+'s)\s.+$")


def _by_and_occasion(value: str) -> tuple[str, str]:
    """`astolat for the ontd_ai kink meme.` -> ("astolat", "for the ontd_ai kink meme.")."""
    m = _FOR_OCCASION.match(value.strip())
    if not m:
        return value, ""
    return m.group(1), value.strip()[len(m.group(1)) :].strip()


def _looks_like_title(line: str, rest: list[str], next_blocks: list[Block]) -> bool:
    text = line.strip()
    if not text or len(text) > 120 or match_heading(text):
        return False
    following = rest[:1] or [line for b in next_blocks[:1] for line in _block_lines(b)][:1]
    fields_follow = bool(following) and (
        match_field(following[0]) is not None or bool(_BY_LINE.match(following[0]))
    )
    quoted = _QUOTED_TITLE.match(text)
    if quoted:
        # A line of dialogue ends in punctuation inside its quotes; a quoted title seldom does.
        return len(text.split()) <= 15 and (fields_follow or quoted.group(1)[-1] not in ".,!?-…—")
    # A bare line is a title only when header fields follow it.
    heading_follows = bool(following) and match_heading(following[0]) is not None
    # "Here is my story for the challenge, enjoy!" before the header is a note, not the title.
    exclaimed = text[-1] in "!?" and ("," in text or len(text.split()) > 6)
    return (
        (fields_follow or heading_follows)
        and len(text.split()) <= 12
        and text[-1] not in ".,;"
        and not exclaimed
    )


def read_trailer(blocks: list[Block], max_blocks: int = 2) -> tuple[Header, list[Block]]:
    """Header fields after the story (a journal post's `Tags: …` line); only tag-like fields."""
    trailer = Header()
    end = len(blocks)
    while end > 1 and len(blocks) - end < max_blocks:
        lines = _block_lines(blocks[end - 1])
        fields = [match_field(line) for line in lines]
        if not lines or not all(
            f and f[0] in ("category", "fandom", "characters", "pairing") for f in fields
        ):
            break
        trailer.fields.extend(f for f in fields if f)
        end -= 1
    return trailer, blocks[:end]
