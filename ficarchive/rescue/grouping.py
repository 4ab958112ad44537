"""Which story pages are chapters of one work, and in what order, from the site's own evidence.

Each kind of evidence is a small named step that joins pages and may say where each page
stands: a story index's ordered chapter list, next/previous links, numbers in the addresses
(`viewstory.php?sid=12&chapter=2`, `/s/ID/2/`, `salt-part2.html`), and "Part 2", "Chapter 2"
or "(2/3)" in the pages' titles. Joined pages are ordered by the strongest evidence that
places every one of them; the steps used are kept as the work's evidence for the report.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ficarchive.text.headings import match_heading, parse_number
from ficarchive.text.sites.journal import JOURNAL_SITES
from ficarchive.text.titles import clean_title

from .pages import Page, file_key

# --- numbers and titles of one page ------------------------------------------------------------

# Readers that know their site's pages: a chapter page from an index, the chapter's number.
ARCHIVE_READERS = frozenset({"ffn", "ao3", "efiction"})
# ... and readers whose title is the story's own (a journal entry's subject or Title: line).
TITLE_READERS = ARCHIVE_READERS | JOURNAL_SITES


def reader_title(page: Page) -> str:
    """The title the page's own reader found, when that reader knows its site's titles."""
    work = page.work
    if work is None or work.title_missing or work.source.site not in TITLE_READERS:
        return ""
    return work.title


_NUMBER_WORD = (
    r"\d{1,3}|[ivxlc]{1,6}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)
_OF = re.compile(
    r"[(\[]\s*(\d{1,3})\s*/\s*(?:\d{1,3}|\?)\s*[)\]]|\b(\d{1,3})\s+of\s+\d{1,3}\b", re.I
)
_MARKED = re.compile(
    rf"\b(?:part|chapter|chap|ch|pt|kapitel|chapitre|cap[ií]tulo)\.?\s*(?P<num>{_NUMBER_WORD})\b",
    re.I,
)
_MARKER_TAIL = re.compile(
    rf"\s*(?:[-:–—|,~]\s*)?(?:[(\[]\s*\d{{1,3}}\s*/\s*(?:\d{{1,3}}|\?)\s*[)\]]|"
    rf"[(\[]?\s*\b(?:part|chapter|chap|ch|pt)\.?\s*(?:{_NUMBER_WORD})\b).*$",
    re.I,
)
_NUMBERED = re.compile(r"^\d{1,3}\s*[.:)]\s+\S")  # `2. Road` in a chapter list
_SITE_SUFFIX = re.compile(
    r"\s*[|\-–—]\s*(?:fanfiction(?:\.net)?|fictionpress|archive of our own|ao3)\b.*$", re.I
)


def title_number(text: str) -> int | None:
    """2 for `Salt (2/3)`, `Salt - Part Two`, `Chapter 2: Tide`; None without a number."""
    m = _OF.search(text)
    if m:
        return int(m.group(1) or m.group(2))
    m = _MARKED.search(text)
    if m:
        return parse_number(m.group("num"))
    heading = match_heading(text)
    return heading.number if heading is not None and heading.number else None


def base_title(text: str) -> str:
    """The story's title without its chapter marker: `Salt - Part 2: Tide` -> `Salt`."""
    text = _SITE_SUFFIX.sub("", " ".join(text.split()))
    return _MARKER_TAIL.sub("", text).strip(" -:–—|,~")


def page_titles(page: Page, ignore: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The page's own titles: its <title>, the reader's title, its first headings."""
    titles = [page.title]
    if page.work is not None and not page.work.title_missing:
        titles.append(page.work.title)
    return [
        t for t in titles + page.headings[:2] if t and " ".join(t.split()).casefold() not in ignore
    ]


def page_number(page: Page, ignore: frozenset[str] = frozenset()) -> int | None:
    """The chapter number the page states: a site's chapter menu, else its title or heading."""
    work = page.work
    if work is not None and work.source.site in ARCHIVE_READERS and work.chapters:
        return work.chapters[0].number
    if work is not None and work.source.site in JOURNAL_SITES and work.part:
        return work.part
    for text in page_titles(page, ignore):
        number = title_number(text)
        if number:
            return number
    return None


def story_title(page: Page, ignore: frozenset[str] = frozenset()) -> str:
    """The title of the story the page belongs to, chapter markers removed."""
    if title := reader_title(page):
        return base_title(title)
    for text in page_titles(page, ignore):
        title = base_title(text)
        if title and match_heading(title) is None:
            return title
    return ""


# --- addresses ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddressRule:
    name: str
    pattern: re.Pattern
    says: str  # for the evidence line
    strong: bool = True  # weak rules join pages only when their titles or numbers agree
    per_folder: bool = True


ADDRESS_RULES: list[AddressRule] = [
    AddressRule(
        "efiction",
        re.compile(r"viewstory\.php\?(?:[^/]*?&)?sid=(?P<id>\d+)(?:[^/]*?&chapter=(?P<num>\d+))?"),
        "eFiction addresses viewstory.php?sid={id}&chapter=N",
    ),
    AddressRule(
        "ffn",
        re.compile(r"(?:^|/)s/(?P<id>\d+)/(?P<num>\d+)(?:/|$|\.|-)"),
        "fanfiction.net addresses /s/{id}/N/",
        per_folder=False,
    ),
    AddressRule(
        "ao3",
        re.compile(r"(?:^|/)works/(?P<id>\d+)(?:/chapters/(?P<cid>\d+))?"),
        "AO3 addresses works/{id}/chapters/…",
        per_folder=False,
    ),
    AddressRule(
        "marked",
        re.compile(
            r"(?:^|/)(?P<id>[^/]*?)[-_ .]*(?:part|pt|chapter|chap|ch|kapitel|chapitre|capitulo)"
            r"[-_ .]*(?P<num>\d{1,3})[a-z]?(?:\.[a-z0-9]+)?$"
        ),
        "part or chapter numbers in the file names ({id}…N)",
    ),
    AddressRule(
        "numbered",
        # (?<!\d): a number is never split off a longer one (77101.html is an entry id, not 77/101)
        re.compile(r"(?:^|/)(?P<id>[^/]*?)[-_ .]?(?<!\d)(?P<num>\d{1,3})(?:\.[a-z0-9]+)?$"),
        "numbers at the end of the file names ({id}N)",
        strong=False,
    ),
]


@dataclass(frozen=True, slots=True)
class Address:
    rule: AddressRule
    key: tuple[str, ...]
    number: int | None  # the chapter number in the address
    rank: int | None  # an ordering number that is not the chapter number (AO3 chapter ids)
    story_id: str


def page_address(page: Page) -> Address | None:
    """The first address rule matching the page's file name or the address the page states."""
    spellings = [file_key(page.source)]
    if page.work is not None and page.work.source.url:
        spellings.append(file_key(page.work.source.url))
    for rule in ADDRESS_RULES:
        for spelling in spellings:
            m = rule.pattern.search(spelling)
            if not m:
                continue
            groups = m.groupdict()
            folder = posixpath.dirname(page.source) if rule.per_folder else ""
            number = int(groups["num"]) if groups.get("num") else None
            if rule.name == "efiction" and number is None:
                number = 1  # viewstory.php?sid=N alone shows the first chapter
            rank = int(groups["cid"]) if groups.get("cid") else None
            key = (rule.name, folder, groups["id"].strip("-_ .").lower())
            return Address(rule, key, number, rank, groups["id"])
    return None


# --- joining and ordering ----------------------------------------------------------------------

_NEXT = re.compile(
    r"^\W*(?:next|forward|continue[ds]?|on\s+to|onward|weiter|suivant|siguiente)\b"
    r"|(?:>>|»|→|-->|&gt;&gt;)\s*$|^\s*>\s*$",
    re.I,
)
_PREV = re.compile(
    r"^\W*(?:prev|previous|back|zur[üu]ck|pr[ée]c[ée]dent|anterior)\b|^\s*(?:<<|«|←|<--|<)", re.I
)


def link_direction(text: str) -> str:
    """ "next", "prev" or "" for a link's text (`Next >`, `<< Previous`, `Part 3 >>`)."""
    text = " ".join(text.split())
    if not text or len(text) > 60:
        return ""
    if _PREV.search(text):
        return "prev"
    if _NEXT.search(text):
        return "next"
    return ""


def chapter_like(text: str) -> bool:
    """A link text that names a chapter: `Chapter 2`, `Part Two: Tide`, `2. Road`, `(2/3)`."""
    text = " ".join(text.split())
    if not text or len(text) > 120:
        return False
    return bool(
        match_heading(text) or _MARKED.search(text) or _OF.search(text) or _NUMBERED.match(text)
    )


@dataclass(slots=True)
class Group:
    """Story pages that make one work, in reading order, and why."""

    members: list[str]
    evidence: list[str] = field(default_factory=list)
    index_page: str = ""  # the story index page that lists these chapters
    chapter_titles: dict[str, str] = field(default_factory=dict)  # from the index's link texts


class _Joins:
    """Union-find over story pages, remembering which step joined what."""

    def __init__(self, sources: list[str]):
        self.parent = {s: s for s in sources}
        self.order = {s: i for i, s in enumerate(sources)}

    def find(self, s: str) -> str:
        while self.parent[s] != s:
            self.parent[s] = self.parent[self.parent[s]]
            s = self.parent[s]
        return s

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if self.order[rb] < self.order[ra]:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for s in self.parent:
            out[self.find(s)].append(s)
        return sorted(out.values(), key=lambda g: self.order[g[0]])


@dataclass(slots=True)
class Evidence:
    """What the steps found: joins to make, and per-page places for each kind of ordering."""

    joins: list[tuple[str, list[str], str]] = field(default_factory=list)  # (step, pages, says)
    places: dict[str, dict[str, tuple]] = field(default_factory=lambda: defaultdict(dict))
    index_of: dict[str, str] = field(default_factory=dict)
    chapter_titles: dict[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()  # titles the whole site repeats (its name)


def _step_story_index(stories, pages, indexes, evidence: Evidence) -> None:
    """A story index lists one story's chapters in reading order."""
    for index_source, chapters in indexes.items():
        listed = [target for target, _ in chapters]
        evidence.joins.append(
            ("index", listed, f"listed in order on the story index {index_source}")
        )
        for position, (target, text) in enumerate(chapters):
            evidence.places["index"][target] = (position,)
            evidence.index_of.setdefault(target, index_source)
            heading = match_heading(text)
            title = heading.title if heading is not None and heading.kind != "special" else text
            if heading is not None and heading.kind == "part":
                title = text
            evidence.chapter_titles.setdefault(target, title.strip())


_ARROWS = re.compile(r"^[\s«»<>←→-]+|[\s«»<>←→-]+$")  # link texts are unescaped already


def _names_another_story(text: str, source: Page, target: Page, ignore) -> bool:
    """A blog's `« Fic: Paper Cranes (3/3)` on a post of another story: the link goes to the
    previous post, not to this story's previous chapter."""
    named = base_title(clean_title(_ARROWS.sub("", " ".join(text.split()))).title)
    here, there = story_title(source, ignore), story_title(target, ignore)
    named, here, there = named.casefold(), here.casefold(), there.casefold()
    if not named or not there or named in here:
        return False
    # Titles may carry the site's name before them (`Ember & Ink: Fic: Wintering`).
    return there.endswith(named) if len(named.split()) < 2 else named in there


def linked_story_titles(page: Page, pages: dict[str, Page], among, ignore) -> set[str]:
    """The story titles of the pages (of `among`) that the page's chapter links go to."""
    titles = {
        story_title(pages[link.target], ignore).casefold()
        for link in page.links
        if link.target in among and link.target != page.source and chapter_like(link.text)
    }
    return titles - {""}


def _lists_several_stories(source: str, stories, pages, ignore) -> bool:
    """A page whose chapter links go to pages of different stories is a list of posts, not a
    chapter: its links join nothing."""
    return len(linked_story_titles(pages[source], pages, stories, ignore)) > 1


def _step_next_links(stories, pages, indexes, evidence: Evidence) -> None:
    """`Next >` / `<< Previous` links between story pages chain them in reading order."""
    following: dict[str, str] = {}
    for source in stories:
        if _lists_several_stories(source, stories, pages, evidence.ignore):
            continue
        for link in pages[source].links:
            target = link.target
            if target is None or target == source or target not in stories:
                continue
            if _names_another_story(link.text, pages[source], pages[target], evidence.ignore):
                continue
            direction = link_direction(link.text)
            if direction == "next":
                following.setdefault(source, target)
            elif direction == "prev":
                following.setdefault(target, source)
            elif chapter_like(link.text):
                evidence.joins.append(
                    ("chapter link", [source, target], "links named as chapters between the pages")
                )
    if not following:
        return
    starts = [s for s in following if s not in set(following.values())]
    seen: set[str] = set()
    for start in starts:
        chain = [start]
        while chain[-1] in following and following[chain[-1]] not in seen | set(chain):
            chain.append(following[chain[-1]])
        seen.update(chain)
        for position, page in enumerate(chain):
            evidence.places["links"].setdefault(page, (position, start))
        evidence.joins.append(("links", chain, "next/previous links from page to page"))


def _step_addresses(stories, pages, indexes, evidence: Evidence) -> None:
    """Numbers in the addresses: sid=12&chapter=N, /s/ID/N/, salt-part2.html, tale-2.htm."""
    by_key: dict[tuple, list[tuple[str, Address]]] = defaultdict(list)
    for source in stories:
        address = page_address(pages[source])
        if address is not None:
            by_key[address.key].append((source, address))
    for members in by_key.values():
        rule = members[0][1].rule
        if len(members) < 2:
            continue
        if not rule.strong and not _agree(members, pages, evidence.ignore):
            continue
        sources = [s for s, _ in members]
        says = rule.says.format(id=members[0][1].story_id)
        evidence.joins.append(("address", sources, says))
        for source, address in members:
            place = address.number if address.number is not None else address.rank
            if place is not None:
                evidence.places["address"][source] = (place,)


def _agree(members: list[tuple[str, Address]], pages: dict[str, Page], ignore) -> bool:
    """A weak address (`story1.html`, `story2.html`) joins pages only of one story's title, or
    whose own headings carry the same numbers as their names."""
    titles = {story_title(pages[s], ignore).casefold() for s, _ in members}
    if len(titles) == 1 and "" not in titles:
        return True
    return all(page_number(pages[s], ignore) == a.number for s, a in members)


def _step_title_numbers(stories, pages, indexes, evidence: Evidence) -> None:
    """`Salt (2/3)`, `Salt - Part 2`: one story title with chapter numbers, in one folder."""
    by_title: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for source in stories:
        page = pages[source]
        number = page_number(page, evidence.ignore)
        title = story_title(page, evidence.ignore)
        if number and title:
            by_title[(posixpath.dirname(source), title.casefold())].append((source, number))
    for (_, title), members in by_title.items():
        numbers = [n for _, n in members]
        if len(members) < 2 or len(set(numbers)) != len(numbers):
            continue
        evidence.joins.append(
            ("titles", [s for s, _ in members], f"chapter numbers in the titles of {title!r}")
        )
    for source in stories:
        number = page_number(pages[source], evidence.ignore)
        if number:
            evidence.places["titles"][source] = (number,)


Step = Callable[[list[str], dict[str, Page], dict, Evidence], None]
# Ordered strongest first: the first ordering that places every page of a group is used.
STEPS: list[tuple[str, Step]] = [
    ("index", _step_story_index),
    ("links", _step_next_links),
    ("address", _step_addresses),
    ("titles", _step_title_numbers),
]
_ORDER_SAYS = {
    "index": "order from the story index",
    "links": "order from the next/previous links",
    "address": "order from the numbers in the addresses",
    "titles": "order from the chapter numbers in the titles",
}


def group_chapters(
    stories: list[str],
    pages: dict[str, Page],
    indexes: dict[str, list[tuple[str, str]]],
    ignore_titles: frozenset[str] = frozenset(),
) -> list[Group]:
    """Story pages joined into works, each in reading order with its evidence.

    `indexes` maps a story index page to its (chapter page, link text) list, in order;
    `ignore_titles` are titles every page of the site repeats (normalised), never a story's.
    """
    story_set = dict.fromkeys(stories)
    evidence = Evidence(ignore=ignore_titles)
    for _name, step in STEPS:
        step(story_set, pages, indexes, evidence)
    joins = _Joins(stories)
    for _, members, _ in evidence.joins:
        for other in members[1:]:
            joins.join(members[0], other)
    groups = []
    for members in joins.groups():
        group = Group(members=members)
        if len(members) > 1:
            member_set = set(members)
            group.evidence = list(
                dict.fromkeys(says for _, m, says in evidence.joins if member_set & set(m))
            )
            group.members, how = _ordered(members, evidence)
            group.evidence.append(how)
        group.index_page = next(
            (evidence.index_of[m] for m in group.members if m in evidence.index_of), ""
        )
        group.chapter_titles = {
            m: evidence.chapter_titles[m] for m in group.members if m in evidence.chapter_titles
        }
        groups.append(group)
    return groups


def _natural(source: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", source.lower())]


def _ordered(members: list[str], evidence: Evidence) -> tuple[list[str], str]:
    """Members in the order of the strongest evidence that places all of them uniquely."""
    for name, _ in STEPS:
        places = evidence.places.get(name, {})
        if all(m in places for m in members):
            keys = [places[m] for m in members]
            if len(set(keys)) == len(keys) and _one_chain(name, keys):
                return sorted(members, key=lambda m: places[m]), _ORDER_SAYS[name]

    def combined(m: str) -> tuple:
        return tuple(
            evidence.places.get(name, {}).get(m, (10**9,))[0] for name in ("address", "titles")
        ) + (tuple(_natural(m)),)

    return sorted(members, key=combined), "order from the numbers found, then the file names"


def _one_chain(name: str, keys: list[tuple]) -> bool:
    return name != "links" or len({k[1] for k in keys}) == 1
