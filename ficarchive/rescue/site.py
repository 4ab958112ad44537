"""A saved website (wget -m, HTTrack) or any folder of story files, understood before importing.

`plan_site(root)` reads every file once (`pages`), settles what each one is by an ordered table
of small named rules (asset, log, sidecar, guestbook, story page, story index, author page, site
index ...), joins chapter pages into works (`grouping`), takes each work's metadata from where
the site keeps it (the story index, the author page, the index entry, the story header) and
learns the site's boilerplate (`boilerplate`). It writes nothing: the result is a `plan.Plan`.

`build_work(planned, root, boilerplate)` reads one planned work's chapter files and makes the
single `ParsedWork` the importer stores, or raises a `StoryError` and makes nothing.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ficarchive.text import Block, Creator, ParsedWork, StoryError, TagType
from ficarchive.text.headers import match_field, normalise_rating
from ficarchive.text.headings import match_heading
from ficarchive.text.model import count_words, line_key

from .boilerplate import MIN_PAGES, MIN_SHARE, learn_boilerplate, remove_boilerplate
from .grouping import (
    ARCHIVE_READERS,
    Group,
    base_title,
    chapter_like,
    group_chapters,
    link_direction,
    linked_story_titles,
    page_address,
    reader_title,
    story_title,
    title_number,
)
from .pages import (
    Page,
    folder_files,
    kind_by_name,
    read_pages,
    read_story_file,
    reread_works,
    resolve_links,
)
from .plan import Plan, PlannedChapter, PlannedWork, SkippedFile

MIN_STORY_WORDS = 30  # fewer words of text than this is a notice, not a story
HUB_WORDS_PER_LINK = 60  # fewer words of text per page listed: an index, not a story


class ChapterUnreadable(StoryError):
    """A planned chapter file is missing or cannot be read; the work is not made at all."""


# --- files whose role the page itself shows ---------------------------------------------------

_NAV_NAMES: list[tuple[str, re.Pattern, str]] = [
    ("guestbook", re.compile(r"^(?:guest-?book|gbook|g_book|sign(?:book)?|visitors?|"
                             r"(?:view|sign|add)-?guestbook)$", re.I),
     "a guestbook: visitors' messages, not a story"),
    ("links page", re.compile(r"^(?:links?|linkage|linky|friends|affiliates?|webrings?|rings?|"
                              r"buttons?|banners?|recs?|recommendations?)$", re.I),
     "a page of links to other sites"),
    ("news page", re.compile(r"^(?:news|updates?|what'?s-?new|whatsnew|changelog)$", re.I),
     "the site's news or update log"),
    ("disclaimer page", re.compile(r"^(?:disclaimers?|legal|copyright|terms|rules|faq|help|"
                                   r"policy|warnings?|ratings?)$", re.I),
     "the site's disclaimer, rules or help page"),
    ("not a story", re.compile(r"^(?:(?:writing|authors?'?s?)-?notes?|notes|essays?|meta|rants?|"
                              r"ramblings?|commentary|thoughts|musings|bio(?:graphy)?)$", re.I),
     "an essay or notes about the writing, not a story"),
    ("navigation page", re.compile(r"^(?:about|about-?me|contact|e-?mail|mail|feedback|awards?|"
                                   r"credits|thanks|sitemap|search|submit|submissions?|menu|nav|"
                                   r"navigation|top|left|right|side|bottom|footer|header|"
                                   r"banner|blank|404|error)$", re.I),
     "a page of the site's navigation or about the site, not a story"),
]  # fmt: skip
_AUTHOR_NAME = re.compile(
    r"^(?:authors?|writers?|bio|profile|viewuser|members?|users?)(?:[-_]?\w*)?$", re.I
)
_AUTHOR_HEADINGS = [
    re.compile(r"^(?:stories|fics?|fan ?fiction|fiction|works|writings?|archive)\s+(?:by|of|from)\s+(?P<name>.{1,60})$", re.I),
    re.compile(r"^(?P<name>.{1,60}?)['’]s?\s+(?:stories|fics?|fan ?fiction|fiction|works|writings?|page|archive|corner)$", re.I),
    re.compile(r"^(?:author|writer|pen ?name)\s*:\s*(?P<name>.{1,60})$", re.I),
    re.compile(r"^(?:about|all about)\s+(?P<name>.{1,60})$", re.I),
]  # fmt: skip
_SITE_INDEX_NAME = re.compile(r"^(?:index|default|home|main|welcome|start|enter|intro)\d?$", re.I)
_UNREADABLE = {"BinaryFile", "UndecodableFile", "UnsupportedFormat", "BrokenFile", "TooLarge",
               "TruncatedFile", "ReaderFailure"}  # fmt: skip
_BY = re.compile(
    r"(?:^|[\s,;(\-–—])(?:by|written by|author:)\s+(?P<name>[^,;:()\[\].|\-–—]{1,40}?)"
    r"(?=\s*(?:$|[,;:()\[\].|\-–—]|\s(?:rated|rating|summary|genre|category|pairing|words)\b))",
    re.I,
)
_RATING_FIRST = re.compile(r"^\s*(?P<r>NC-?17|PG-?13|PG|G|R|MA|K\+?)(?P<b>)\s", re.I)
_RATING = re.compile(
    r"\b(?:rated|rating)\s*[:\-]?\s*(?P<r>NC-?17|PG-?13|PG|G|R|MA|K\+?|T|M|FR\d+|\w+(?:\s\w+)?)"
    r"|[\[(](?P<b>NC-?17|PG-?13|PG|G|R|K\+?|T|M|MA)[\])]",
    re.I,
)


def _stem(source: str) -> str:
    return re.sub(r"\.[a-z0-9]+$", "", posixpath.basename(source), flags=re.I)


class Site:
    """Everything the rules look at: the pages, their links, which pages are stories."""

    def __init__(self, pages: dict[str, Page]):
        self.pages = pages
        self.incoming: dict[str, list[tuple[str, str, str]]] = {}
        for page in pages.values():
            for link in page.links:
                if link.target and link.target != page.source:
                    self.incoming.setdefault(link.target, []).append(
                        (page.source, link.text, link.context)
                    )
        self.site_titles = _site_titles(pages)
        self.site_wide = _site_wide_targets(pages)
        self.site_names = frozenset(
            " ".join(text.split()).casefold()
            for page in pages.values()
            if page.source.count("/") <= 1 and _SITE_INDEX_NAME.match(_stem(page.source))
            for text in [page.title, *page.headings[:1]]
            if text.strip()
        )
        self.stories: set[str] = set()
        self.repeated = _repeated_blocks(pages)
        self._own_words: dict[str, int] = {}

    def own_words(self, page: Page) -> int:
        """Story words on the page outside the blocks the site repeats on page after page:
        a list page's banner, menu and disclaimer do not make it a story."""
        if page.work is None:
            return 0
        if page.source not in self._own_words:
            self._own_words[page.source] = self._count_own_words(page)
        return self._own_words[page.source]

    def _count_own_words(self, page: Page) -> int:
        return sum(
            count_words(block.text)
            for chapter in page.work.chapters
            for block in chapter.blocks
            if line_key(block.text) not in self.repeated
        )

    def listed_targets(self, page: Page) -> set[str]:
        """The site pages this page lists: links that are neither next/previous links nor the
        navigation every page carries (Home, Authors, a sidebar of all stories)."""
        return {
            link.target
            for link in page.links
            if link.target
            and link.target != page.source
            and link.target not in self.site_wide
            and not link_direction(link.text)
        }

    def story_links(self, page: Page) -> list[tuple[str, str]]:
        """(story page, link text) for each story page the page links to, first link kept."""
        seen: dict[str, str] = {}
        for link in page.links:
            in_site = link.target in self.stories and link.target != page.source
            if in_site and not link_direction(link.text):
                seen.setdefault(link.target, link.text)
        return list(seen.items())


def _repeated_blocks(pages: dict[str, Page]) -> frozenset[str]:
    """Block texts found on at least `MIN_PAGES` pages: the site's chrome, wherever it sits."""
    counts: Counter[str] = Counter()
    for page in pages.values():
        if page.work is not None:
            counts.update({line_key(b.text) for c in page.work.chapters for b in c.blocks})
    return frozenset(text for text, n in counts.items() if n >= MIN_PAGES and text)


def _site_wide_targets(pages: dict[str, Page]) -> frozenset[str]:
    """Pages linked from at least 3 pages and a third of all pages: the site's menu."""
    counts: Counter[str] = Counter()
    for page in pages.values():
        counts.update({link.target for link in page.links if link.target})
    total = len(pages)
    return frozenset(t for t, n in counts.items() if n >= 3 and n / total >= 0.3)


def _site_titles(pages: dict[str, Page]) -> frozenset[str]:
    """Titles, title parts and headings on at least 3 pages and half of them: the site's name."""
    counts: Counter[str] = Counter()
    for page in pages.values():
        texts = [page.title, *page.headings, *_TITLE_SEP.split(page.title)]
        counts.update({" ".join(t.split()).casefold() for t in texts if t.strip()})
    total = len(pages)
    return frozenset(t for t, n in counts.items() if n >= 3 and n / total >= 0.5)


_TITLE_SEP = re.compile(r"\s+(?:::|\||»|·|-|–|—)\s+|(?<=\w):\s+")


_FICTION_POST = re.compile(
    r"^[\[(]?\s*(?:fan\s*)?(?:fic|fics|fiction|story|drabble|ficlet|one-?shot)\s*[\])]?$", re.I
)
_OTHER_POST = re.compile(
    r"^[\[(]?\s*(?:meta|essay|rant|recs?|recommendations|review|con\s+report|news|update|"
    r"announcement|mod\s+post|poll|meme|admin)\s*[\])]?$",
    re.I,
)


def _title_parts(text: str, site: Site) -> list[str]:
    """A page title's parts (`Ember & Ink: Fic: Salt`) without the site's own name."""
    parts = [p for p in _TITLE_SEP.split(" ".join(text.split())) if p]
    return [p for p in parts if p.casefold() not in site.site_titles]


def clean_title(text: str, site: Site) -> str:
    """A page title without the site's name or a blog's post type: `Harbour Lights :: Salt`
    and `Ember & Ink: Fic: Salt` -> `Salt`."""
    kept = _title_parts(text, site)
    if len(kept) > 1 and _FICTION_POST.match(kept[0]):
        kept = kept[1:]
    return " - ".join(kept)


def _rule_other_post(page: Page, site: Site):
    """A blog or journal post typed as something else than fiction: `Meta: …`, `[Recs] …`."""
    parts = _title_parts(page.title, site)
    if len(parts) > 1 and _OTHER_POST.match(parts[0]):
        return "not a story", f"a post about fandom ({parts[0].strip('[]()')}), not a story"
    return None


PageRule = Callable[[Page, Site], "tuple[str, str] | None"]


def _rule_httrack(page: Page, site: Site):
    if page.generator == "httrack":
        return "not a story", "the index page HTTrack writes for its download projects"
    return None


def _rule_redirect(page: Page, site: Site):
    if page.redirect or (page.html and not page.work and "refresh" in page.error.lower()):
        where = f" to {page.redirect}" if page.redirect else ""
        return "navigation page", f"a page that only sends the browser on{where}"
    return None


def _rule_frameset(page: Page, site: Site):
    if page.frames and page.words < MIN_STORY_WORDS:
        return "navigation page", "a frameset: it only shows other pages of the site in frames"
    return None


def _page_names(source: str) -> list[str]:
    """The names a page goes by: its file name, a script's page name (`page.php?id=rules`) and
    its folder's name."""
    stem = _stem(source).lower()
    names = [re.sub(r"[-_.\d]+$", "", stem) or stem]
    names += [v.lower() for v in _QUERY_NAME.findall(posixpath.basename(source))]
    folder = posixpath.basename(posixpath.dirname(source)).lower()
    if folder:
        names.append(folder)  # `essays/kestrel.html`, `news/2001.html`
    return names


_QUERY_NAME = re.compile(r"[?@&](?:id|page|p|name|action|type|act)=([a-z][a-z_-]{2,30})\b", re.I)
_LISTING_TITLE = re.compile(r"^index of /", re.I)


def _rule_navigation_name(page: Page, site: Site):
    if _LISTING_TITLE.match(page.title.strip()):
        return "not a story", "a web server's listing of a folder's files, saved with the site"
    names = _page_names(page.source)
    words = {w for w in re.split(r"[^a-z0-9']+", page.title.lower()) if w}
    for kind, pattern, reason in _NAV_NAMES:
        by_title = page.work is None and any(pattern.search(w) for w in words)
        by_name = any(pattern.search(name) for name in names)
        if by_name or by_title or (kind == "guestbook" and "guestbook" in words):
            return kind, reason
    if page.form_with_text and page.work is None:
        return "guestbook", "a page with a form to write in and no story text (a guestbook)"
    return None


def _rule_welcome(page: Page, site: Site):
    """The site's own front or welcome page: titled only with the site's name, or "Welcome"."""
    if page.work is None or page.words >= 300 or page.work.source.site in ARCHIVE_READERS:
        return None
    if page.source.count("/") <= 1 and re.match(
        r"^(?:index|default)\d?$", _stem(page.source), re.I
    ):
        return None  # the front page itself: a site index, decided with the listings
    first = " ".join((page.headings[:1] or [page.title])[0].split()).casefold()
    own_name = " ".join(page.title.split()).casefold() in site.site_names
    if first.startswith("welcome") or (own_name and page.words < 150):
        return "navigation page", "the site's welcome page (the site's name and a few lines)"
    return None


FRONT_PAGE_WORDS = 600  # a front page with more words of its own than this holds a story
FRONT_PAGE_LINKS = 3  # a front page links to several of the site's pages; a chapter to one or two


def _rule_front_page(page: Page, site: Site):
    """The top page every page's menu links to as Home: the site's door, with its welcome and
    news, not a story (a one-page site's index.html is no menu target and is read as a story)."""
    if page.work is None or page.source not in site.site_wide or not _front_page(page.source):
        return None
    menu = {link.target for link in page.links if link.target and link.target != page.source}
    if site.own_words(page) >= FRONT_PAGE_WORDS or len(menu) < FRONT_PAGE_LINKS:
        return None
    return "site index", "the site's front page"


def _front_page(source: str) -> bool:
    return source.count("/") == 0 and bool(_SITE_INDEX_NAME.match(_stem(source)))


def _rule_unreadable(page: Page, site: Site):
    if page.error_kind in _UNREADABLE:
        return "unreadable", page.error
    return None


def _rule_hub(page: Page, site: Site):
    """Lots of links and little prose: an index of some kind, decided once stories are known."""
    if page.work is None or page.work.source.site in ARCHIVE_READERS:
        return None  # a known archive's reader has already told chapter from index
    targets = site.listed_targets(page)
    listed = len(targets)
    # The words of the list's own entries (`Salt by Mara - a storm at sea`) are not prose.
    entries = {link.context for link in page.links if link.target in targets}
    prose = site.own_words(page) - sum(count_words(entry) for entry in entries)
    if listed >= 3 and prose < HUB_WORDS_PER_LINK * listed:
        return "hub", ""
    if listed >= 1 and prose < MIN_STORY_WORDS:
        return "hub", ""
    return None


POST_LIST_SHARE = 0.3  # a list of posts: less than this share of its words are its own


def _rule_post_list(page: Page, site: Site):
    """A blog's archive page: the openings of posts of several stories, each repeated from the
    post itself, with `Continue reading` links. A post's own story text is on it alone."""
    if page.work is None or site.own_words(page) >= POST_LIST_SHARE * page.words:
        return None
    if len(linked_story_titles(page, site.pages, site.pages, site.site_titles)) < 2:
        return None
    return "site index", "a list of posts from several stories (their openings and links)"


def _rule_too_short(page: Page, site: Site):
    if page.work is not None and (words := site.own_words(page)) < MIN_STORY_WORDS:
        return "not a story", f"only {words} word(s) of text: a notice, not a story"
    return None


# Decided page by page, first match wins; a page no rule takes is a story page when it has text.
PAGE_RULES: list[tuple[str, PageRule]] = [
    ("httrack index", _rule_httrack),
    ("redirect", _rule_redirect),
    ("frameset", _rule_frameset),
    ("navigation by name", _rule_navigation_name),
    ("unreadable", _rule_unreadable),
    ("welcome page", _rule_welcome),
    ("front page", _rule_front_page),
    ("post type", _rule_other_post),
    ("index-like", _rule_hub),
    ("list of posts", _rule_post_list),
    ("too short", _rule_too_short),
]


def classify_page(page: Page, site: Site) -> tuple[str, str]:
    """(kind, reason) by the first rule that takes the page; ("story page", "") otherwise."""
    for _name, rule in PAGE_RULES:
        found = rule(page, site)
        if found is not None:
            return found
    if page.work is None:
        return "hub", ""  # no story text: an index, author page or notice, decided later
    return "story page", ""


# --- pages that list stories -------------------------------------------------------------------


def story_index_chapters(page: Page, site: Site) -> list[tuple[str, str]]:
    """The chapters a story index lists, in order, or [] when the page is not one story's index.

    Its links to story pages are named as chapters (`Chapter 2`, `Part Two`, `2. Road`) or all
    share one story's address, and no chapter number comes twice (that is a list of stories).
    """
    links = site.story_links(page)
    if len(links) < 2:
        return []
    labels: dict[str, list[str]] = {target: [] for target, _ in links}
    for link in page.links:
        if link.target in labels:
            labels[link.target].append(link.text)
    # `Salt` and then `1 2 3` to the same pages: a page named as a chapter anywhere is one.
    named = [
        (t, next((x for x in labels[t] if chapter_like(x)), text))
        for t, text in links
        if any(chapter_like(x) for x in labels[t])
    ]
    numbers = [title_number(text) for _, text in named]
    numbers = [n for n in numbers if n]
    if len(numbers) != len(set(numbers)):
        return []
    unnamed = len(links) - len(named)
    # Another story's page among the chapters (an author's one-shot): a list of stories.
    if len(named) >= 2 and (unnamed == 0 or unnamed * 4 <= len(named)):
        return named
    keys = {getattr(page_address(site.pages[t]), "key", None) for t, _ in links}
    if len(keys) == 1 and None not in keys and keys.pop()[0] in ARCHIVE_READERS:
        return links
    return []


def author_name(page: Page, site: Site) -> str:
    """The author a page is about: `Stories by Mara`, `Mara's Fiction`, eFiction's user page."""
    candidates = [*page.headings, page.title]
    for text in candidates:
        text = " ".join(text.split())
        for pattern in _AUTHOR_HEADINGS:
            m = pattern.match(text)
            if m:
                # `Moonriver :: Jane's Stories`: the site's name is no part of hers.
                return _TITLE_SEP.split(m.group("name"))[-1].strip(" :-–—")
    for line in page.lines[:15]:
        field = match_field(line)
        if field and field[0] == "author":
            return field[1]
    if _AUTHOR_NAME.match(_stem(page.source)) or "viewuser.php" in page.source.lower():
        for text in candidates:
            if text and " ".join(text.split()).casefold() not in site.site_titles:
                name = re.split(r"\s+[|\-–—:]\s+", text)[-1].strip()
                # `Authors`, `Our writers`: the page of all the site's authors, not one's.
                return "" if _AUTHOR_NAME.match(name.split()[-1]) else name
    return ""


def _listing_kind(page: Page, site: Site, works_linked: int) -> tuple[str, str]:
    if author_name(page, site) and works_linked:
        return "author page", f"lists the stories of {author_name(page, site)}"
    top = (
        "/" not in page.source.strip("/")
        or page.source.count("/") == 1
        and re.match(r"^[^/]+\.[^/]+/", page.source)
    )
    if _SITE_INDEX_NAME.match(_stem(page.source)) and top:
        return "site index", "the site's front page"
    if works_linked >= 2:
        return "site index", f"a list of {works_linked} of the site's stories"
    if works_linked == 1:
        return "navigation page", "a page of links that points to one story"
    if page.links:
        return "navigation page", "a page of links with no story text"
    reason = page.error or "no story text on this page"
    return "not a story", reason


# --- metadata from the site ------------------------------------------------------------------


_ENTRY_FACT = re.compile(
    r"^(?:\d+\s+(?:parts?|chapters?)|complete(?:d)?(?:\s+in\s+one\s+(?:page|part))?|"
    r"work\s+in\s+progress|wip|in\s+progress|ongoing|unfinished|one-?shot|drabble|ficlet|"
    r"with\s+\S.{0,40}|plain\s+text|new!?|updated!?)$",
    re.I,
)
_FACT_GROUP = re.compile(r"[(\[]([^()\[\]]{1,80})[)\]]")
_DASHED_FACT = re.compile(r"\s[-–—]\s*(\d+\s+(?:parts?|chapters?))\b", re.I)
_LINK_LABEL_LEFT = re.compile(r"\b(?:chapters?|parts?|read(?:\s+it)?|links?)\s*:?\s*$", re.I)
_ENTRY_TITLE_WORDS = 12


def _entry_fact(item: str, meta: dict[str, str]) -> bool:
    """One item of `(PG, 3 chapters, complete)`; a rating goes into `meta`."""
    item = item.strip(" .")
    if _RATING_FIRST.match(f"{item} ") and len(item.split()) == 1:
        meta.setdefault("rating", normalise_rating(item))
        return True
    return bool(_ENTRY_FACT.match(item))


def _without_facts(line: str, meta: dict[str, str]) -> str:
    """A line of an index entry with its facts (by-line, rating, length, status) taken out."""
    if _entry_fact(line, meta):
        return ""  # a table cell of its own: `PG`, `3 chapters`
    by = _BY.search(line)
    if by:
        meta.setdefault("author", by.group("name").strip())
        line = f"{line[: by.start()]} {line[by.end() :]}"
    for group in list(_FACT_GROUP.finditer(line)):
        items = group.group(1).split(",")
        if all([_entry_fact(item, meta) for item in items]):  # every item read into meta
            line = line.replace(group.group(0), " ")
    line = _DASHED_FACT.sub(" ", line)
    rating = _RATING.search(line) or _RATING_FIRST.match(line)
    if rating:
        meta.setdefault("rating", normalise_rating(rating.group("r") or rating.group("b")))
        line = f"{line[: rating.start()]} {line[rating.end() :]}"
    line = " ".join(line.split())
    field = match_field(line)
    if field and field[0] == "summary":
        line = field[1]
    return _LINK_LABEL_LEFT.sub("", line).strip(" .,;:-–—|()[]")


def entry_metadata(context: str, link_text: str) -> dict[str, str]:
    """`Salt by Mara. Rated PG. Two keepers and a storm.`, or a title line `Salt (PG, 3 parts)`
    over its summary -> author, rating and summary."""
    lines = [" ".join(line.split()) for line in context.split("\n") if line.strip()]
    if lines and link_text and lines[0].casefold().startswith(link_text.casefold()):
        lines[0] = lines[0][len(link_text) :]
    meta: dict[str, str] = {}
    texts = [_without_facts(line, meta) for line in lines]
    if len(texts) > 1 and _title_line_of_entry(texts[0]):
        texts = texts[1:]  # `Salt and Iron (PG) - 3 parts` above the summary
    summary = " ".join(t for t in texts if t)
    if len(summary.split()) >= 3:
        meta["summary"] = summary
    return meta


def _title_line_of_entry(text: str) -> bool:
    return not text or len(text.split()) <= _ENTRY_TITLE_WORDS and text[-1] not in ".!?"


def index_metadata(page: Page, site: Site) -> dict[str, str]:
    """A story index's own header lines: title, author, rating, summary."""
    meta: dict[str, str] = {}
    for text in [*page.headings, page.title]:
        text = clean_title(text, site)
        if text and not chapter_like(text):
            title, sep, author = text.partition(" by ")
            meta["title"] = title.strip()
            if sep and author.strip():
                meta["author"] = author.strip()
            break
    for number, line in enumerate(page.lines):
        field = match_field(line)
        if field is None:
            continue
        name, value, _ = field
        following = page.lines[number + 1] if number + 1 < len(page.lines) else ""
        if not value and following and match_field(following) is None:
            value = following  # `Summary:` on a line of its own, the text on the next
        if name == "author" and "author" not in meta:
            meta["author"] = value
        elif name == "rating" and value:
            meta.setdefault("rating", normalise_rating(value))
        elif name == "summary" and value:
            meta.setdefault("summary", value)
    return meta


def chapter_title(page: Page, site: Site, listed: str) -> str:
    """A chapter's own title: from the index's link, else the page's heading or menu."""
    if listed:
        return listed
    work = page.work
    if work is not None and work.source.site in ARCHIVE_READERS and work.chapters:
        return work.chapters[0].title
    for text in [*page.headings, page.title]:
        heading = match_heading(" ".join(text.split()))
        if heading is not None and heading.title and heading.kind != "special":
            return heading.title if heading.kind != "part" else text
        m = re.search(r"\b(?:part|chapter|ch)\.?\s*\w+\s*[:.\-–—]\s*(?P<t>.{1,80})$", text, re.I)
        if m:
            return m.group("t").strip()
    if work is not None and work.chapters and work.chapters[0].title:
        return work.chapters[0].title
    return ""


# --- the plan ----------------------------------------------------------------------------------


_WHOLE_FORMATS = ("epub", "ao3-download", "ficarchive-html")


def _whole_work(page: Page) -> bool:
    """A file that holds a whole work (an EPUB, a download, a site page with every chapter):
    never a chapter of something else, however its address reads."""
    work = page.work
    return work is not None and (
        work.source.format in _WHOLE_FORMATS
        or (work.source.site in ARCHIVE_READERS and len(work.chapters) > 1)
    )


_COPY_NAME = re.compile(r"(?:^|/)index-\w+\.html?$|\.\d+$|\(\d+\)\.\w+$| - copy\.\w+$", re.I)


def _duplicates(pages: dict[str, Page]) -> dict[str, str]:
    """Byte-identical copies -> the copy kept (the plainest name: not index-2.html, not x(1))."""
    kept: dict[str, str] = {}
    copies: dict[str, str] = {}
    for source in sorted(pages, key=lambda s: (bool(_COPY_NAME.search(s)), len(s), s)):
        digest = pages[source].digest
        if digest in kept:
            copies[source] = kept[digest]
        else:
            kept[digest] = source
    return copies


def plan_site(
    root: Path,
    *,
    files: list[str] | None = None,
    min_share: float = MIN_SHARE,
    max_bytes: int | None = None,
    workers: int | None = None,
) -> Plan:
    """The import plan for a saved site or a folder of story files (or one file); reads only.

    Kind "site" when the pages link to each other, "files" for a plain set of story files.
    `min_share` is the share of story pages a line must be on to be boilerplate; files over
    `max_bytes` are skipped; `workers` processes read a large site (default: one per core).
    `files` (paths relative to `root`) limits the plan to those files.
    """
    root = Path(root)
    if files is not None:
        files = sorted(dict.fromkeys(files))
    elif root.is_file():
        files, root = [root.name], root.parent
    elif root.is_dir():
        files = folder_files(root)
    else:
        raise FileNotFoundError(
            f"{root} is neither a folder nor a file; give the saved site's folder"
        )
    plan = Plan(kind="files", root=str(root))
    readable = []
    for source in files:
        by_name = kind_by_name(source)
        size = (root / source).stat().st_size
        if by_name is not None:
            plan.skipped.append(SkippedFile(source, *by_name))
        elif max_bytes is not None and size > max_bytes:
            plan.skipped.append(
                SkippedFile(
                    source,
                    "unreadable",
                    f"file is {size / 1024 / 1024:.1f} MB, over the "
                    f"{max_bytes / 1024 / 1024:g} MB import cap (FICARCHIVE_MAX_FILE_MB)",
                )
            )
        else:
            readable.append(source)
    pages = read_pages(root, readable, workers)
    resolve_links(pages)
    site = Site(pages)
    kinds = _classify_pages(pages, site, plan)
    indexes = {
        s: chapters
        for s, kind in kinds.items()
        if kind == "hub" and (chapters := story_index_chapters(pages[s], site))
    }
    chapter_pages = [s for s in pages if s in site.stories and not _whole_work(pages[s])]
    groups = group_chapters(chapter_pages, pages, indexes, site.site_titles)
    groups += [Group(members=[s]) for s in pages if s in site.stories and _whole_work(pages[s])]
    order = {source: i for i, source in enumerate(files)}
    groups.sort(key=lambda g: order[g.members[0]])
    owner = {m: i for i, g in enumerate(groups) for m in g.members}
    for source in indexes:
        owner[source] = owner[indexes[source][0][0]]
    _skip_listings(kinds, pages, site, groups, owner, indexes, plan)
    work_of = {m: str(owner[m]) for g in groups for m in g.members}
    plan.boilerplate = learn_boilerplate(
        {s: pages[s].work for s in work_of}, work_of, min_share=min_share
    )
    _read_again_without_chrome(
        root, [pages[s] for s in work_of], chrome_keys(plan.boilerplate), workers
    )
    plan.works = [_planned_work(g, pages, site, owner, i, kinds) for i, g in enumerate(groups)]
    linked = any(link.target not in (None, p.source) for p in pages.values() for link in p.links)
    plan.kind = "site" if linked or any(len(g.members) > 1 for g in groups) else "files"
    plan.skipped.sort(key=lambda s: s.source)
    plan.extra["site"] = {
        "files": len(files),
        "story pages": len(site.stories),
        "kinds": dict(Counter(s.kind for s in plan.skipped)),
    }
    if plan.boilerplate:
        plan.notes.append(
            f"{len(plan.boilerplate)} line(s) repeated on many of the {len(site.stories)} story "
            "pages are treated as the site's boilerplate and removed from story text"
        )
    return plan


HEADER_BLOCKS = 3  # blocks at the top of a page's text where chrome hides the story's header


def chrome_keys(boilerplate: list[str]) -> frozenset[str]:
    """The site's boilerplate as the `drop` keys `parse_story` leaves out."""
    return frozenset(line_key(text) for text in boilerplate)


def _chrome_above_header(work: ParsedWork, drop: frozenset[str]) -> bool:
    """The site's banner or disclaimer was read as the title or sits above the story."""
    top = work.chapters[0].blocks[:HEADER_BLOCKS] if work.chapters else []
    texts = [work.title, *(b.text for b in work.notes), *(b.text for b in top)]
    return any(line_key(text) in drop for text in texts)


def _read_again_without_chrome(
    root: Path, pages: list[Page], drop: frozenset[str], workers: int | None
) -> None:
    """Pages whose header the site's chrome hid are read again without it: their title,
    creators and header lines are then the story's, not the banner's."""
    hidden = [p for p in pages if p.work is not None and _chrome_above_header(p.work, drop)]
    again = reread_works(root, [p.source for p in hidden], drop, workers)
    for page in hidden:
        page.work = again[page.source] or page.work


def _classify_pages(pages: dict[str, Page], site: Site, plan: Plan) -> dict[str, str]:
    """Each page's kind from the page rules; skipped pages go to the plan now."""
    copies = _duplicates(pages)
    kinds = {}
    for source, page in pages.items():
        if source in copies:
            kind, reason = "duplicate", f"the same bytes as {copies[source]}, which is planned"
        else:
            kind, reason = classify_page(page, site)
        kinds[source] = kind
        if kind == "story page":
            site.stories.add(source)
        elif kind != "hub":
            plan.skipped.append(SkippedFile(source, kind, reason))
    return kinds


def _skip_listings(kinds, pages, site: Site, groups, owner, indexes, plan: Plan) -> None:
    """Index, author and navigation pages are skipped with what they list."""
    for source, kind in kinds.items():
        if kind != "hub":
            continue
        page = pages[source]
        if source in indexes:
            first = groups[owner[source]].members[0]
            title = story_title(pages[first], site.site_titles) or first
            plan.skipped.append(SkippedFile(
                source, "story index",
                f"lists the {len(indexes[source])} chapters of {title!r}; used for their order "
                "and the story's details",
            ))  # fmt: skip
            continue
        linked = {owner[t] for t, _ in site.story_links(page) if t in owner}
        linked |= {owner[link.target] for link in page.links if link.target in indexes}
        if "story index" in page.error and not linked:
            plan.skipped.append(SkippedFile(
                source, "story index",
                "a story index page (chapter list, no story text) whose chapter pages are not in "
                "this folder; save the chapter pages too and plan again to import the story",
            ))  # fmt: skip
            continue
        kind, reason = _listing_kind(page, site, len(linked))
        plan.skipped.append(SkippedFile(source, kind, reason))
        kinds[source] = kind


# Pages that link to stories without describing them: a news item's "added Salt today!" is no
# summary, a guestbook's "loved Salt" no index entry.
_NOT_CATALOGUES = frozenset({"news page", "links page", "guestbook", "disclaimer page"})


def _incoming_metadata(
    group: Group, site: Site, owner, index: int, kinds: dict[str, str]
) -> dict[str, str]:
    """What the pages linking to this work say of it: its index entry and its author page."""
    meta: dict[str, str] = {}
    doors = [group.members[0]] + ([group.index_page] if group.index_page else [])
    for door in doors:
        for source, text, context in site.incoming.get(door, []):
            if source in site.stories or owner.get(source) == index:
                continue
            if kinds.get(source) in _NOT_CATALOGUES:
                continue
            page = site.pages[source]
            name = author_name(page, site)
            if name and "author" not in meta:
                meta["author"], meta["author_page"] = name, source
            if text and not chapter_like(text) and not link_direction(text):
                meta.setdefault("listed_as", " ".join(text.split()))
            entry = entry_metadata(context, text)
            if entry:
                meta.setdefault("index_entry", source)
                for key, value in entry.items():
                    meta.setdefault(key, value)
    return meta


def _planned_work(
    group: Group, pages, site: Site, owner, index: int, kinds: dict[str, str]
) -> PlannedWork:
    first = pages[group.members[0]]
    meta: dict[str, str] = {}
    if group.index_page:
        meta.update(index_metadata(pages[group.index_page], site))
        meta["story_index"] = group.index_page
    for key, value in _incoming_metadata(group, site, owner, index, kinds).items():
        meta.setdefault(key, value)
    work = first.work
    title = (
        base_title(reader_title(first)) or meta.get("title") or base_title(clean_title(story_title(first, site.site_titles), site))
        or meta.get("listed_as") or (work.title if work and not work.title_missing else "")
        or "Untitled"
    )  # fmt: skip
    creators = [c.name for c in work.creators] if work is not None else []
    if not creators and meta.get("author"):
        creators = [meta["author"]]
    for name in creators:  # `Pressure Differential by Inés Carrow`
        if title.casefold().endswith(f" by {name}".casefold()):
            title = title[: -len(f" by {name}")].strip()
    chapters = [
        PlannedChapter(
            source=m,
            title=chapter_title(pages[m], site, group.chapter_titles.get(m, ""))
            if len(group.members) > 1 else "",
        )
        for m in group.members
    ]  # fmt: skip
    return PlannedWork(
        key=group.members[0],
        title=title,
        chapters=chapters,
        creators=creators,
        metadata=meta,
        evidence=group.evidence,
    )


# --- building one work ---------------------------------------------------------------------------


def _read_chapter(
    root: Path, number: int, source: str, title: str, drop: frozenset[str]
) -> ParsedWork:
    try:
        return read_story_file(root / source, drop)
    except OSError as exc:
        raise ChapterUnreadable(
            f"chapter {number} of {title!r} ({source}) cannot be read: {exc.strerror or exc}; "
            "put the file back or take it out of the plan's chapter list and apply it again"
        ) from None
    except StoryError as exc:
        raise ChapterUnreadable(
            f"chapter {number} of {title!r} ({source}) cannot be read: {exc}; fix the file or take "
            "it out of the plan's chapter list and apply it again"
        ) from None


def _text_block(text: str) -> list[Block]:
    return [Block(kind="p", html=html.escape(text, quote=False))] if text.strip() else []


def build_work(planned: PlannedWork, root: Path, boilerplate: list[str]) -> ParsedWork:
    """One work from its planned chapter files, in the planned order, without the boilerplate.

    The first page gives the work's metadata, the plan's title, creators and metadata fill and
    override it; every page's chapters are numbered on in order. Raises `ChapterUnreadable`
    (a StoryError) naming the chapter when any file cannot be read: nothing is half-built.
    """
    root = Path(root)
    if not planned.chapters:
        raise ChapterUnreadable(f"{planned.title!r} has no chapters in the plan; give it some")
    drop = chrome_keys(boilerplate)
    parts = [
        _read_chapter(root, i, chapter.source, planned.title, drop)
        for i, chapter in enumerate(planned.chapters, start=1)
    ]
    work = parts[0]
    chapters = []
    for planned_chapter, part in zip(planned.chapters, parts):
        if part is not work:
            _fold_into_chapters(part, work)
        for chapter in part.chapters:
            if planned_chapter.title and len(part.chapters) == 1:
                chapter.title = planned_chapter.title
            chapters.append(chapter)
    for number, chapter in enumerate(chapters, start=1):
        chapter.number = number
    work.chapters = chapters
    _apply_plan_metadata(work, planned)
    for chapter in chapters:
        _strip_title_lines(chapter, work.title)
    removed = remove_boilerplate(work, boilerplate)
    if len(parts) > 1:
        work.warnings.append(
            f"joined {len(parts)} chapter pages into one work ({'; '.join(planned.evidence)})"
        )
    if removed:
        work.warnings.append(f"removed {removed} block(s) of the site's boilerplate")
    return work


def _title_line(line: str, title: str) -> bool:
    line = " ".join(line.split())
    return bool(line) and (
        line.casefold() == title.casefold()
        or base_title(line).casefold() == title.casefold()
        or match_heading(line) is not None
    )


def _strip_title_lines(chapter, title: str) -> None:
    """A chapter page repeats the story's title and its own heading above the text
    (`The Drowned Valley / Chapter One`): that is a heading, not story text."""
    for _ in range(2):
        if len(chapter.blocks) < 2:
            return
        lines = [ln for ln in chapter.blocks[0].text.split("\n") if ln.strip()]
        if not lines or len(lines) > 3 or not all(_title_line(ln, title) for ln in lines):
            return
        if not chapter.title:
            heading = next((match_heading(ln) for ln in lines if match_heading(ln)), None)
            if heading is not None and heading.kind != "special":
                chapter.title = heading.title if heading.kind != "part" else heading.line
        chapter.blocks = chapter.blocks[1:]


def _fold_into_chapters(part: ParsedWork, work: ParsedWork) -> None:
    """A later page's own header and footer belong to its chapter; its tags to the work."""
    if part.chapters:
        if part.notes:
            part.chapters[0].notes = [*part.notes, *part.chapters[0].notes]
        if part.end_notes:
            part.chapters[-1].end_notes += part.end_notes
        if part.summary and part.summary != work.summary:
            part.chapters[0].summary = [*part.summary, *part.chapters[0].summary]
    for tag in part.tags:
        if tag not in work.tags:
            work.tags.append(tag)
    for contact in part.contacts:
        if contact not in work.contacts:
            work.contacts.append(contact)
    if part.complete is not None:
        work.complete = part.complete
    work.updated = part.updated or work.updated
    work.warnings.extend(w for w in part.warnings if w not in work.warnings)


def _apply_plan_metadata(work: ParsedWork, planned: PlannedWork) -> None:
    meta = planned.metadata
    if planned.title:
        work.title, work.title_missing = planned.title, planned.title == "Untitled"
    if planned.creators:
        known = {c.name: c for c in work.creators}
        work.creators = [known.get(name, Creator(name)) for name in planned.creators]
    if not work.summary and meta.get("summary"):
        work.summary = _text_block(str(meta["summary"]))
    if not work.rating and meta.get("rating"):
        work.rating = normalise_rating(str(meta["rating"]))
        work.add_tag(TagType.RATING, work.rating)
    if len(planned.chapters) > 1 and work.expected_chapters == 1:
        work.expected_chapters = None
