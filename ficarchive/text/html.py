"""HTML story files: pages from known archives, and everything else as a legacy page.

Known sites (AO3 downloads and work pages, fanfiction.net, eFiction) go to their readers in
`sites`. Any other page is read as a legacy story page: site chrome (menus, headers, footers,
sidebars, comment sections) is cut away, the rest becomes blocks, and `structure` finds the
header lines, chapters and scene breaks as it does for plain text.
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

from .contacts import drop_mailto_labels, mailto_contacts, scrub_emails
from .errors import NoStoryText, TruncatedFile
from .headers import TITLE_BY
from .headings import match_heading
from .htmlblocks import read_blocks
from .model import Block, ParsedWork, SourceInfo, count_words, without_lines
from .sites import read_site_page
from .structure import assemble_work
from .titles import CleanTitle, clean_title

INDEX_MESSAGE = "this looks like a story index page (chapter list, no story text); import the chapter pages instead"
_OPENS_HTML = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype[^>]*>\s*)?(?:<!--.*?-->\s*)*<html",
    re.I | re.S,
)
_CLOSES = re.compile(r"</(?:body|html)\s*>", re.I)

# id/class words that mark page furniture rather than the story.
_CHROME_WORDS = frozenset({
    "nav", "navbar", "navigation", "navi", "menu", "menubar", "menulist", "topmenu", "sidebar",
    "sidenav", "footer", "foot", "header", "masthead", "banner", "breadcrumb", "breadcrumbs",
    "comments", "comment", "commentlist", "disqus", "share", "sharing", "social", "ads", "ad",
    "advert", "advertisement", "adsense", "sponsor", "cookie", "cookies", "toolbar", "login",
    "search", "searchbox", "widget", "widgets", "skip", "pagination", "pager", "reviews",
    "reviewform", "related", "copyright"
})  # fmt: skip
# Words that keep an element even when a chrome word is there too ("story-header").
_STORY_WORDS = frozenset({
    "story", "chapter", "work", "fic", "fiction", "text", "content", "post", "entry", "article",
    "title", "storytext"
})  # fmt: skip
_CHROME_TAGS = "nav, aside, menu, form, header, footer, [role=navigation], [role=banner], [role=contentinfo], [role=search]"
# Elements whose id or class is worth reading (not every <span class="c1"> of a word processor).
_NAMED_TAGS = ("div", "ul", "ol", "table", "td", "tr", "section", "p", "span", "center", "font")
_NAMED = ", ".join(f"{t}[id], {t}[class]" for t in _NAMED_TAGS)
_CHROME_MAX_SHARE = 0.35  # never cut an element holding more than this share of the page's text
_UNTITLED = re.compile(
    r"^(?:untitled(?: document)?|new page \d*|index|home|document|page \d+)$", re.I
)
_CHAPTER_HREF = re.compile(
    r"chapter|chap\b|[?&](?:ch|chapter|part)=\d|/\d+/?$|ch\d+|part\d+|\d+\.html?$", re.I
)


_LAST_TAG = re.compile(r"<[^<>]*>?\s*$")
_CLOSING_TAG = re.compile(r"</[a-zA-Z][^<>]*>")
_BODY_START = re.compile(r"<body\b[^>]*>", re.I)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)
_SENTENCE_DONE = tuple(".!?…\"”’'»)]*~=_-—–")
_LABEL_WORDS = 4  # a last line this short ("The End", "<< Back") is a label, not a cut sentence


def _ends_inside_markup(tail: str) -> bool:
    return tail.rfind("<") > tail.rfind(">") or tail.rfind("<!--") > tail.rfind("-->")


def _ends_mid_sentence(tail: str) -> bool:
    if tail.endswith(">"):
        return False  # the file ends on a tag: whatever was cut, it was not a sentence
    text = html.unescape(_TAG_OR_COMMENT.sub("\n", tail[-3000:]))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if not last or last.endswith(_SENTENCE_DONE):
        return False
    # "The End", "<< Back", "Home" are labels; "and then she" or a long unfinished line is cut.
    words = last.split()
    return (
        len(words) > _LABEL_WORDS
        or len(words) > 1
        and (words[-1][:1].islower() or last.endswith(","))
    )


def _closes_nothing(text: str) -> bool:
    start = _BODY_START.search(text)
    return not _CLOSING_TAG.search(text, start.end() if start else 0)


# Signs that a page which never closes </body></html> was cut off, judged from its end.
# Old hand-written pages often stop without closing anything; that alone is no sign.
_TRUNCATION_SIGNS = [
    ("it stops in the middle of a tag or comment", _ends_inside_markup),
    ("it stops in the middle of a sentence", _ends_mid_sentence),
    ("nothing on the page is ever closed", _closes_nothing),
]


def truncation_reason(text: str) -> str | None:
    """Why an HTML page looks cut off in transfer, or None when it ends as a page can."""
    if not _OPENS_HTML.match(text[:4000]) or _CLOSES.search(text):
        return None
    tail = text.rstrip()
    return next((reason for reason, sign in _TRUNCATION_SIGNS if sign(tail)), None)


def check_complete(text: str) -> None:
    """Refuse a page that was cut off while saving or downloading (see `truncation_reason`)."""
    reason = truncation_reason(text)
    if reason:
        raise TruncatedFile(
            f"the HTML file ends before </body></html> and {reason}: it was cut off while saving or"
            " downloading; download or save the page again and import the complete file"
        )


def parse_html(
    text: str, source: SourceInfo, warnings: list[str], *, drop: frozenset[str] = frozenset()
) -> ParsedWork:
    """An HTML story file to a ParsedWork; raises a StoryError that says how to fix the file."""
    check_complete(text)
    tree = LexborHTMLParser(text)
    if tree.body is None or not tree.body.text(deep=True).strip():
        raise NoStoryText(
            "the HTML page has no text at all; check that you saved the story page itself"
        )
    work = read_site_page(tree, source, warnings)
    if work is not None:
        if not any(c.blocks for c in work.chapters):
            raise NoStoryText(
                f"no story text found on this {source.site or 'site'} page; save the page again once the story has loaded"
            )
        return work
    return read_legacy_page(tree, source, warnings, drop=drop)


def read_legacy_page(
    tree, source: SourceInfo, warnings: list[str], *, drop: frozenset[str] = frozenset()
) -> ParsedWork:
    """A page from no known archive: cut the chrome, read blocks, let `structure` do the rest."""
    source.format, source.site = "html", ""
    page_title = _page_title(tree)
    title_hint = page_title.title
    body = tree.body
    _cut_chrome(body, warnings)
    contacts = mailto_contacts(body)
    drop_mailto_labels(body)
    blocks = without_lines(read_blocks(body), drop)
    if not blocks:
        raise NoStoryText(
            "the HTML page has no story text (only menus or images); save the story page itself"
        )
    blocks = _split_title_byline(blocks, title_hint)
    blocks, heading_title = _title_heading(blocks)
    title_hint = heading_title or title_hint
    index = _looks_like_index(body, blocks)
    if index:
        raise NoStoryText(INDEX_MESSAGE)
    try:
        work = assemble_work(blocks, source, warnings, title_hint=title_hint)
    except NoStoryText:
        if _chapter_links(body) >= 2:
            raise NoStoryText(INDEX_MESSAGE) from None
        raise
    for contact in contacts:
        if contact not in work.contacts:
            work.contacts.append(contact)
    scrub_emails(work)
    _trim_title(work, page_title)
    return work


# --- the page's own title ------------------------------------------------------------------------


def _page_title(tree) -> CleanTitle:
    """The <title> without the site's chrome; its part number (`(2/5)`) kept apart."""
    node = tree.css_first("title")
    title = clean_title(" ".join(node.text().split()) if node is not None else "")
    return CleanTitle("") if _UNTITLED.match(title.title) else title


def _title_heading(blocks: list[Block]) -> tuple[list[Block], str]:
    """A lone top-level heading at the very start that is not a chapter heading is the title."""
    first = next((i for i, b in enumerate(blocks[:3]) if b.kind == "heading"), None)
    if first is None or any(
        b.kind != "break" and b.kind != "heading" and len(b.text) > 80 for b in blocks[:first]
    ):
        return blocks, ""
    head = blocks[first]
    same_level = sum(1 for b in blocks if b.kind == "heading" and b.level == head.level)
    if same_level > 1 or match_heading(head.text) or len(head.text) > 150:
        return blocks, ""
    return blocks[:first] + blocks[first + 1 :], head.text.strip()


def _split_title_byline(blocks: list[Block], page_title: str) -> list[Block]:
    """`Salt by Mara` on one line at the top becomes a title line and a by-line for the header."""
    for i, block in enumerate(blocks[:3]):
        text = block.text.strip()
        m = TITLE_BY.match(text)
        if not m or "\n" in text:
            continue
        marked = (
            block.kind == "heading"
            or block.align == "center"
            or block.html.startswith(("<strong>", "<em>"))
        )
        if marked or text.casefold() == page_title.casefold():
            title, author = (html.escape(part, quote=False) for part in m.groups())
            return [
                *blocks[:i],
                Block(kind="verse", html=f"{title}<br>by {author}"),
                *blocks[i + 1 :],
            ]
    return blocks


def _trim_title(work: ParsedWork, page_title: CleanTitle) -> None:
    """`Story Title by Author`, `[FIC] Title (1/3)`: keep the story title, and its part number
    in `work.part` (with the part count as `expected_chapters` when said)."""
    if work.title_missing:
        return
    cleaned = clean_title(work.title, [c.name for c in work.creators])
    if not cleaned.title:
        return
    if cleaned.part is None and cleaned.title == page_title.title:
        cleaned = page_title  # the <title> said the part number the heading left out
    work.title = cleaned.title
    if cleaned.part is not None:
        work.part = cleaned.part
        if cleaned.parts and work.expected_chapters is None:
            work.expected_chapters = cleaned.parts


# --- chrome ---------------------------------------------------------------------------------------


def _words(node) -> set[str]:
    attrs = node.attributes
    raw = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
    return set(re.split(r"[\s_\-]+|(?<=[a-z])(?=\d)", raw)) - {""}


def _in_article(node) -> bool:
    """A <header>/<footer> inside an article belongs to the story (its title, its notes)."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("article", "main"):
            return True
        parent = parent.parent
    return False


def _cut_chrome(body, warnings: list[str]) -> None:
    total = len(body.text(deep=True).split()) or 1
    candidates = [
        n for n in body.css(_CHROME_TAGS) if n.tag not in ("header", "footer") or not _in_article(n)
    ]
    for node in body.css(_NAMED):
        words = _words(node)
        if words & _CHROME_WORDS and not words & _STORY_WORDS:
            candidates.append(node)
    chosen = {}
    for node in candidates:
        if (
            node.tag not in ("body", "html")
            and len(node.text(deep=True).split()) / total <= _CHROME_MAX_SHARE
        ):
            chosen[node.mem_id] = node
    # Decompose outermost elements only: a node inside a removed one is freed with it.
    outermost = []
    for node in chosen.values():
        parent = node.parent
        while parent is not None and parent.mem_id not in chosen:
            parent = parent.parent
        if parent is None:
            outermost.append(node)
    for node in outermost:
        node.decompose()
    if outermost:
        warnings.append(
            f"dropped {len(outermost)} page element(s) of site navigation, headers, footers or comments"
        )


# --- index pages ----------------------------------------------------------------------------------


def _chapter_link_texts(body) -> list[str]:
    """The texts of the links that go to chapters (by address or by name)."""
    texts = []
    for a in body.css("a[href]"):
        href = a.attributes.get("href") or ""
        text = " ".join(a.text().split())
        if text and (_CHAPTER_HREF.search(href) or match_heading(text)):
            texts.append(text)
    return texts


def _chapter_links(body) -> int:
    return len(_chapter_link_texts(body))


_PROSE_BLOCK_WORDS = 10  # a paragraph this long is prose, not a chapter list's entry


def _looks_like_index(body, blocks: list[Block]) -> bool:
    """A chapter list with little prose: links to chapter pages outweigh the text around them."""
    chapter_links = _chapter_link_texts(body)
    if len(chapter_links) < 3:
        return False
    # Only the chapter list counts against the prose: a blog's sidebar of links is no index.
    link_words = sum(count_words(text) for text in chapter_links)
    prose = [
        b
        for b in blocks
        if b.kind in ("p", "verse", "quote") and count_words(b.text) >= _PROSE_BLOCK_WORDS
    ]
    prose_words = sum(count_words(b.text) for b in prose)
    return prose_words - link_words < 150
