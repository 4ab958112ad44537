"""Saved LiveJournal and Dreamwidth entries, and the sites that ran their code (2000-2015).

Much of fandom's history was posted as journal entries, saved from dozens of layouts: LJ's
old S1 pages, S2 styles (Generator, Component, Bloggish …), the 2010s `b-singlepost` page,
Dreamwidth's core2 markup. They share what matters: a subject, a poster (or the journal),
the entry text with its cuts, tags, a date, and around them chrome (currents such as
"Current Mood:", navigation, "Leave a comment") and comment threads.

Reading an entry is an ordered table of small steps over one `_Entry` record: find the
entry's text, drop the comments, then collect each fact from the first place that has it.
The text then goes through `structure.assemble_work` like any legacy page, so the post's own
header lines (`Title:`, `Author:`, `Rating:` …) become metadata. What the page itself says
(poster, tags, date) fills what the header leaves out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlparse

from ..contacts import drop_mailto_labels, mailto_contacts, scrub_emails
from ..errors import NoStoryText
from ..headers import classify_warning, normalise_rating
from ..htmlblocks import read_blocks
from ..model import Block, Creator, ParsedWork, SourceInfo, TagType
from ..structure import assemble_work
from ..titles import clean_title, split_part_number
from .common import finish_work, iso_date, node_text

# Journal hosts -> the site name we record.
_HOSTS = {
    "livejournal.com": "livejournal",
    "dreamwidth.org": "dreamwidth",
    "insanejournal.com": "insanejournal",
    "journalfen.net": "journalfen",
    "deadjournal.com": "deadjournal",
    "greatestjournal.com": "greatestjournal",
}
JOURNAL_SITES = frozenset(_HOSTS.values())
_SHARED_HOSTS = {"www", "community", "users", "syndicated", "m", "stat", "l-stat", "s", "v"}
# Links every entry page has: reply, thread, permalink, tag and memories links.
_ENTRY_LINK = re.compile(
    r"/\d+\.html(?:[?#]|$)|talk(?:read|post)\.bml|[?&](?:mode=reply|thread=\d+|replyto=\d+|itemid=\d+)"
    r"|/tag/|go\.bml\?journal=|memadd",
    re.I,
)
_ENTRY_URL = re.compile(r"^(https?://[^?#]+/\d+\.html)", re.I)
_USER_MARKERS = "span.ljuser, span[lj\\:user], .i-ljuser"

# Where the entry's text lives, most specific first (S2 layouts and the newer LJ/DW pages).
_BODY_SELECTORS = (
    ".b-singlepost-body", ".entry-content", ".entry_text", ".entrytext", ".entryText",
    ".entry-text", ".asset-body", ".asset-content", ".contentbody", ".entry-item",
    ".entrycontent", ".entry-body", "#entry-text", "td.entry", "div.entry_body",
)  # fmt: skip
_SUBJECT_SELECTORS = (
    ".b-singlepost-title", ".entry-title", ".entry-subject", ".entry_subject", ".subject",
    ".asset-name", ".entry-header h2", ".entry-header h3", ".entry-header", ".entrysubject", ".entryHeader", "td.caption", ".subj",
)  # fmt: skip
_POSTER_SELECTORS = (
    ".b-singlepost-author", ".entry-poster", ".poster", ".postedby", ".entryposter",
    ".entryUserinfo-username", ".author", "#poster", ".userpic",
)  # fmt: skip
_DATE_SELECTORS = (
    "time.dt-published", ".b-singlepost-author-date", "abbr.published", ".entry-date",
    ".datetime", ".date", ".entryDate", ".index",
)  # fmt: skip
_TAG_SELECTORS = (
    ".ljtags a", ".b-singlepost-tags a", ".tag ul a", ".asset-tags-list a", ".entry-tags a",
    "a[rel=tag]",
)  # fmt: skip
# Comment threads, in any layout. Exact class tokens: `comment_wrapper` holds a whole entry in
# the "3 Columns" style and must not go.
_COMMENT_IDS = frozenset({"comments", "postform", "qrformdiv", "qrdiv"})
_COMMENT_CLASSES = frozenset({
    "comment-thread", "comment-wrapper", "b-tree", "b-leaf", "talk-comment", "comment",
    "dwexpcomment", "talkpage", "comments", "b-grove", "comment-pages",
})  # fmt: skip
# Page chrome around the entry, for layouts where the text has no container of its own.
_PAGE_CHROME = (
    "#lj_controlstrip, .s-header, .s-footer, .s-nav, #header, #footer, #secondary, .module,"
    " .navigation, .b-singlepost-prevnext, .b-xylem, .entry-unrelated, .threeposts__inner,"
    " .ljsale, .appwidget, .b-singlepost-standout, script, style"
)
# Inside the entry's text: tag lists, currents, share and cut links.
_BODY_JUNK = (
    ".ljtags, .b-singlepost-tags, .metadata, .currents, .b-singlepost-currents,"
    " .entry-interaction-links, .entry-management-links, .b-singlepost-standout, .lj-like,"
    " .b-sharethis, .cuttag, .ljcut-link, .ljcut-brackets, .entry-readlink, .b-singlepost-prevnext"
)


@dataclass
class _Entry:
    site: str
    url: str = ""
    body: object | None = None
    whole_page: bool = False  # no container for the text: the page body, chrome cut away
    subject: str = ""
    poster: str = ""
    journal: str = ""
    journal_title: str = ""
    published: str | None = None
    tags: list[str] = field(default_factory=list)
    cut_missing: bool = False


# --- recognising a journal page -------------------------------------------------------------


def _site_of(url: str) -> str:
    host = (urlparse(url).hostname or "").lower() if url.startswith(("http", "//")) else ""
    for domain, site in _HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return site
    return ""


def page_address(tree) -> str:
    """The page's own address when it says it: canonical link, og:url, or a <base>."""
    for selector, attr in (
        ("link[rel=canonical]", "href"),
        ("meta[property='og:url']", "content"),
        ("meta[name='twitter:url']", "content"),
        ("base[href]", "href"),
    ):
        node = tree.css_first(selector)
        value = (node.attributes.get(attr) or "").strip() if node is not None else ""
        if value.startswith(("http://", "https://")):
            return value
    return ""


def content_notice_site(tree) -> str:
    """The site whose "are you over 18?" notice this page is (its form posts `adult_check`), else ""."""
    for form in tree.css("form[action]"):
        action = form.attributes.get("action") or ""
        if "adult_" in action and form.css_first("input[name=adult_check]") is not None:
            return _site_of(action)
    return ""


def journal_site(tree) -> str:
    """ "livejournal", "dreamwidth" … when the page is a saved journal page, else ""."""
    own = _site_of(page_address(tree)) or content_notice_site(tree)
    if own:
        return own
    if tree.css_first(_USER_MARKERS) is None:
        return ""
    votes = Counter(
        _site_of(href)
        for a in tree.css("a[href]")
        if _ENTRY_LINK.search(href := a.attributes.get("href") or "")
    )
    votes.pop("", None)
    if votes:
        site, count = votes.most_common(1)[0]
        if count >= 2:
            return site
    return ""


def is_journal_entry(tree) -> bool:
    return bool(journal_site(tree))


# --- small helpers over nodes ----------------------------------------------------------------


def _tokens(node) -> tuple[set[str], str]:
    attrs = node.attributes or {}
    return set((attrs.get("class") or "").split()), (attrs.get("id") or "").lower()


def _is_comment_node(node) -> bool:
    classes, ident = _tokens(node)
    return ident in _COMMENT_IDS or bool(classes & _COMMENT_CLASSES)


def _in_comments(node) -> bool:
    parent = node.parent
    while parent is not None:
        if _is_comment_node(parent):
            return True
        parent = parent.parent
    return False


def _inside(node, container) -> bool:
    parent = node
    while parent is not None:
        if parent.mem_id == container.mem_id:
            return True
        parent = parent.parent
    return False


def _user_name(span) -> str:
    attrs = span.attributes or {}
    name = attrs.get("lj:user") or ""
    if not name:
        bold = span.css_first("b") or span.css_first("a.i-ljuser-username")
        name = node_text(bold) if bold is not None else node_text(span)
    return name.strip()


def _is_community(span) -> bool:
    classes, _ = _tokens(span)
    if "i-ljuser-type-C" in classes:
        return True
    marks = " ".join(
        f"{img.attributes.get('alt') or ''} {img.attributes.get('src') or ''}"
        for img in span.css("img")
    )
    return "community" in marks.lower()


def _outermost(nodes: list) -> list:
    ids = {n.mem_id for n in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(node)
    return out


# --- the steps ---------------------------------------------------------------------------------


def _find_body(tree, entry: _Entry) -> None:
    """The entry's text: the first layout container outside the comments, or the whole page."""
    for selector in _BODY_SELECTORS:
        found = _outermost([n for n in tree.css(selector) if not _in_comments(n)])
        if not found:
            continue
        texts = [n for n in found if len(node_text(n).split()) >= 20]
        if len(texts) > 1:
            raise NoStoryText(
                f"this is a journal page listing {len(texts)} entries, not one entry; the text behind"
                " their cuts is not on it. Save each entry's own page (its address ends in"
                " /NUMBER.html) and import those"
            )
        entry.body = texts[0] if texts else found[0]
        return
    entry.body = tree.body
    entry.whole_page = True


def _drop_comments(tree, entry: _Entry) -> None:
    """Comment threads and the reply form go, wherever the layout put them."""
    doomed = [
        n
        for n in tree.css("div, table, ul, ol, form, section, article, span, td")
        if _is_comment_node(n) and not _inside(entry.body, n)
    ]
    for node in _outermost(doomed):
        node.decompose()
    if entry.whole_page:
        _cut_after_reply_link(entry.body)


_REPLY_TEXT = re.compile(
    r"^\(?\s*(?:post\s+a\s+new\s+comment|leave\s+a\s+comment|post\s+comment|add\s+comment|reply)\s*\)?$",
    re.I,
)


def _cut_after_reply_link(body) -> None:
    """An old page with no comment markup: everything after its "Post a new comment" goes."""
    words_before = 0
    for a in body.css("a[href]"):
        href = a.attributes.get("href") or ""
        text = node_text(a)
        if not (_REPLY_TEXT.match(text) or "talkpost.bml" in href or "mode=reply" in href):
            continue
        # Only a link after the entry's text counts (some layouts put one above it too).
        words_before = len(_text_before(body, a).split())
        if words_before < 50:
            continue
        node = a
        while node is not None and node.mem_id != body.mem_id:
            sibling = node.next
            while sibling is not None:
                following = sibling.next
                sibling.decompose()
                sibling = following
            node = node.parent
        a.decompose()
        return


def _text_before(body, target) -> str:
    parts: list[str] = []
    for node in body.traverse(include_text=True):
        if node.mem_id == target.mem_id:
            break
        if node.tag == "-text":
            parts.append(node.text_content or "")
    return " ".join(parts)


def _find_subject(tree, entry: _Entry) -> None:
    for selector in _SUBJECT_SELECTORS:
        for node in tree.css(selector):
            text = node_text(node)
            if text and not _in_comments(node) and not _inside(node, entry.body):
                entry.subject = text
                return
    og = tree.css_first("meta[property='og:title']")
    if og is not None:
        entry.subject = " ".join((og.attributes.get("content") or "").split())
    title = tree.css_first("title")
    if not entry.subject and title is not None:
        # Old pages say the subject only in <title>, framed by the site and journal names; kept
        # whole here, so its part number (`(2/3)`) is still there when the work is titled.
        entry.subject = node_text(title)


def _find_people(tree, entry: _Entry) -> None:
    """The poster, and the journal (a community's, or the poster's own)."""
    entry.journal = _journal_from_url(entry.url) if entry.url else ""
    for selector in _POSTER_SELECTORS:
        for box in tree.css(selector):
            if _in_comments(box) or (not entry.whole_page and _inside(box, entry.body)):
                continue
            people = [s for s in box.css(_USER_MARKERS) if _user_name(s)]
            if people:
                _take_people(entry, people)
                return
    spans = [
        s
        for s in tree.css(_USER_MARKERS)
        if not _in_comments(s) and (entry.whole_page or not _inside(s, entry.body))
    ]
    if spans:
        _take_people(entry, spans)


def _take_people(entry: _Entry, spans: list) -> None:
    """The first person named is the poster (`X wrote in Y`, `X posting in Y`); Y the journal."""
    persons = [s for s in spans if not _is_community(s)]
    communities = [s for s in spans if _is_community(s)]
    if persons:
        entry.poster = _user_name(persons[0])
    if communities and not entry.journal:
        entry.journal = _user_name(communities[0])
    entry.journal = entry.journal or entry.poster


def _journal_from_url(url: str) -> str:
    """`writer-girl.livejournal.com/12.html` -> `writer_girl`; also `/users/x/`, `/community/x/`."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    label = host.split(".")[0] if host.count(".") >= 2 else ""
    path = [p for p in parsed.path.split("/") if p]
    if label in ("www", "community", "users", "syndicated") and path:
        if path[0] in ("users", "community", "~") and len(path) > 1:
            return path[1]
        return path[0].strip("_")
    query = parse_qs(parsed.query)
    if "journal" in query:
        return query["journal"][0]
    return label.replace("-", "_") if label and label not in _SHARED_HOSTS else ""


def _find_url(tree, entry: _Entry) -> None:
    """The entry's address: the page's own, else the subject's or permalink's link."""
    if entry.url:
        return
    links = Counter()
    for a in tree.css("a[href]"):
        m = _ENTRY_URL.match(a.attributes.get("href") or "")
        if m and _site_of(m.group(1)) == entry.site:
            links[m.group(1)] += 1
    for selector in _SUBJECT_SELECTORS:
        node = tree.css_first(f"{selector} a[href]")
        if node is not None:
            m = _ENTRY_URL.match(node.attributes.get("href") or "")
            if m:
                entry.url = m.group(1)
                return
    if links:
        url, count = links.most_common(1)[0]
        # Reply, thread and permalink links all point at the entry; a lone link may be "next".
        if count >= 2:
            entry.url = url


_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_MONTH_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.", re.I)
_DATE_IN_TEXT = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}",
    re.I,
)
_DATE_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/?(?:$|[?#])")


def read_date(text: str) -> str | None:
    """`Dec. 24th, 2011`, `Monday, May 12th, 2003 10:42 pm`, `2003-05-12 14:23` -> ISO date."""
    m = _DATE_IN_TEXT.search(text)
    if not m:
        return None
    found = _MONTH_DOT.sub(r"\1", _ORDINAL.sub(r"\1", m.group(0))).replace("Sept", "Sep")
    return iso_date(found)


def _find_date(tree, entry: _Entry) -> None:
    for selector in _DATE_SELECTORS:
        for node in tree.css(selector):
            if _in_comments(node) or (not entry.whole_page and _inside(node, entry.body)):
                continue
            attrs = node.attributes or {}
            for raw in (attrs.get("datetime") or "", attrs.get("title") or "", node_text(node)):
                found = read_date(raw)
                if found:
                    entry.published = found
                    return
            for a in node.css("a[href]"):
                m = _DATE_PATH.search(a.attributes.get("href") or "")
                if m:
                    entry.published = _valid_date(*m.groups())
                    if entry.published:
                        return
    meta = tree.css_first("meta[property='article:published_time']")
    if meta is not None:
        entry.published = read_date(meta.attributes.get("content") or "")


def _valid_date(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _find_tags(tree, entry: _Entry) -> None:
    names = [
        " ".join((m.attributes.get("content") or "").split())
        for m in tree.css("meta[property='article:tag']")
    ]
    for selector in _TAG_SELECTORS:
        for a in tree.css(selector):
            if _in_comments(a) or _in_sidebar(a):
                continue
            names.append(node_text(a))
    for name in names:
        if name and name.casefold() not in {t.casefold() for t in entry.tags}:
            entry.tags.append(name)


def _in_sidebar(node) -> bool:
    parent = node.parent
    while parent is not None:
        classes, ident = _tokens(parent)
        if ident in ("secondary", "sidebar") or classes & {"module", "sidebar", "s-sidebar"}:
            return True
        parent = parent.parent
    return False


def _clean_body(tree, entry: _Entry) -> None:
    """Chrome inside the text goes; cut text is kept, the cut's own link is not."""
    body = entry.body
    # Rows first: a `.currents` table is junk, but its "Entry tags:" row names the tags.
    currents = [
        n for n in body.css("tr, li, p, div, span, table") if _is_metadata_row(node_text(n), entry)
    ]
    for node in _outermost(currents):
        node.decompose()
    junk = body.css(_BODY_JUNK)
    if entry.whole_page:
        junk += [n for n in body.css(_PAGE_CHROME)]
    for node in _outermost(junk):
        node.decompose()
    cut_links = [
        a for a in body.css("a[href]") if "#cutid" in (a.attributes.get("href") or "").lower()
    ]
    if cut_links and body.css_first("a[name^=cutid]") is None:
        entry.cut_missing = True
    for a in cut_links:
        a.decompose()
    for span in body.css(_USER_MARKERS):
        span.replace_with(_user_name(span))


def _is_metadata_row(text: str, entry: _Entry) -> bool:
    """A currents or tags row ("Current mood: x", "Entry tags: a, b"), whose cells are separate
    blocks once read, so the line rules below would see the label apart from its value."""
    if len(text.split()) > _CURRENTS_WORDS:
        return False
    return bool(_CURRENTS.match(text)) or _is_tags_line(text, entry)


_STEPS: list[tuple[str, Callable[[object, _Entry], None]]] = [
    ("entry text", _find_body),
    ("address", _find_url),  # before the comments go: their reply links name the entry too
    ("comment threads", _drop_comments),
    ("poster and journal", _find_people),
    ("subject", _find_subject),
    ("date", _find_date),
    ("tags", _find_tags),
    ("chrome in the text", _clean_body),
]


# --- lines of chrome that survive as text ------------------------------------------------------

_CURRENTS = re.compile(
    r"^(?:current\s+)?(?:mood|music|location|listening(?:\s+to)?|reading|watching)\s*:\s*(.{0,120})$",
    re.I,
)
_CURRENTS_WORDS = 40  # a currents row or table ("Current mood: x Current music: y") is this short
_TAGS_LINE = re.compile(r"^(?:entry\s+)?tags\s*:\s*(.+)$", re.I)
_CHROME_PIECE = re.compile(
    r"^\(?\s*(?:post\s+a\s+new\s+comment|leave\s+a\s+comment|please\s+(?:post|leave)\s+a\s+comment"
    r"|post\s+comment|add\s+comment|reply(?:\s+to\s+this)?|thread|link|parent|\d+\s+comments?"
    r"|comments?\s*\(?\d*\)?|no\s+comments|read\s+comments|share(?:\s+this(?:\s+entry)?)?|flag"
    r"|edit(?:\s+entry|\s+tags)?|track(?:\s+this)?|add\s+to\s+memories!?|tell\s+a\s+friend!?"
    r"|previous\s+entry|next\s+entry|back\s+to\s+top|expand|collapse|read\s+more\W*"
    r"|recent\s+entries|archive|friends|profile|calendar|reading|memories|tags"
    r"|log\s*in|create\s+(?:an\s+account|a\s+blog|journal)|site\s+map|terms\s+of\s+service"
    r"|privacy\s+policy|powered\s+by\s+\S+(?:\s+studios)?|page\s+generated\b.*)\s*\)?$",
    re.I,
)
_SEPARATORS = re.compile(r"\s*(?:\||·|•|\)\s*\(|\s-\s)\s*")
_POSTED_IN = re.compile(r"^(\S+)\s+(?:wrote\s+in|posting\s+in|posted\s+in|@)\s+(\S+)$", re.I)
# The poster line of old and "light" pages: `Display Name (user) wrote,` / `user wrote in comm, @ date`.
_BYLINE = re.compile(
    r"^(?:[^()]{0,60}\(\s*(?P<user>[\w.-]+)\s*\)|(?P<bare>[\w.-]+))\s+(?:wrote|posted|posting)"
    r"(?:\s+in\s+(?P<journal>[\w.-]+))?\s*,?\s*(?:@\s*(?P<date>.*))?$",
    re.I,
)
_DATE_ONLY = re.compile(
    r"^(?:@\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?[\w .,/-]{6,32}?(?:\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?(?:\s*\(?utc\)?)?$",
    re.I,
)


def _is_chrome_line(line: str, entry: _Entry) -> bool:
    pieces = [p for p in _SEPARATORS.split(line.strip(" ()")) if p.strip()]
    return bool(pieces) and all(_CHROME_PIECE.match(p.strip()) for p in pieces)


def _is_people_line(line: str, entry: _Entry) -> bool:
    names = {n.casefold().replace("-", "_") for n in (entry.poster, entry.journal) if n}
    text = line.strip().casefold()
    m = _POSTED_IN.match(text)
    if text in names or bool(m and m.group(1) in names):
        return True
    byline = _BYLINE.match(text)
    user = byline and (byline["user"] or byline["bare"]).replace("-", "_")
    if not byline or not {user, byline["journal"] or ""} & names:
        return False
    if byline["date"]:
        entry.published = entry.published or read_date(byline["date"])
    return True


def _is_date_line(line: str, entry: _Entry) -> bool:
    text = line.strip()
    if not _DATE_ONLY.match(text) or not read_date(text):
        return False
    entry.published = entry.published or read_date(text)
    return True


def _is_currents_line(line: str, entry: _Entry) -> bool:
    return bool(_CURRENTS.match(line.strip()))


def _is_tags_line(line: str, entry: _Entry) -> bool:
    m = _TAGS_LINE.match(line.strip())
    if not m:
        return False
    for name in m.group(1).split(","):
        name = name.strip(" .")
        if name and name.casefold() not in {t.casefold() for t in entry.tags}:
            entry.tags.append(name)
    return True


# What crossposting tools append to the copy: `This entry was originally posted at URL. Please
# comment there using OpenID.`, `Mirrored from URL.`, `Originally published at URL. You can
# comment here or there.`, and Dreamwidth's `comment count unavailable comments` counter.
_CROSSPOST = re.compile(
    r"^(?:this\s+entry\s+(?:was|is)\s+(?:originally\s+|also\s+)?(?:cross-?)?(?:posted|published)"
    r"|(?:originally\s+)?(?:cross-?posted|published|mirrored)\s+(?:at|from|to|on)"
    r"|comment\s+count\s+unavailable)\b",
    re.I,
)
_CROSSPOST_WORDS = 40


def _is_crosspost_line(line: str, entry: _Entry) -> bool:
    text = line.strip()
    return bool(_CROSSPOST.match(text)) and len(text.split()) <= _CROSSPOST_WORDS


def _is_leftover_punctuation(line: str, entry: _Entry) -> bool:
    """The `(` and `|` left when the links between them were cut."""
    return not line.strip(" ()[]|·•")


def _is_subject_line(line: str, entry: _Entry) -> bool:
    """The subject again, as typed or as its title once tags, journal names and part are cut
    (`[FIC] Salt and Iron (2/3)` when the page's <title> gave the subject as `Salt and Iron`)."""
    if not entry.subject:
        return False
    text = line.strip()
    if text.casefold() == entry.subject.casefold():
        return True
    names = [n for n in (entry.journal, entry.poster) if n]
    title = clean_title(text, names).title
    return bool(title) and title.casefold() == clean_title(entry.subject, names).title.casefold()


# Lines dropped at the edges of the entry's text, with the fact some of them carry.
_LINE_RULES: list[tuple[str, Callable[[str, _Entry], bool]]] = [
    ("currents (mood, music, location)", _is_currents_line),
    ("entry tags", _is_tags_line),
    ("comment and navigation links", _is_chrome_line),
    ("crosspost notice", _is_crosspost_line),
    ("poster or journal name", _is_people_line),
    ("entry date", _is_date_line),
    ("subject repeated", _is_subject_line),
    ("leftover brackets", _is_leftover_punctuation),
]
_EDGE_HEAD = 8
_EDGE_TAIL = 10


def _drop_chrome_lines(blocks: list[Block], entry: _Entry, warnings: list[str]) -> list[Block]:
    out: list[Block] = []
    last = len(blocks) - 1
    for i, block in enumerate(blocks):
        at_edge = i < _EDGE_HEAD or i > last - _EDGE_TAIL
        if not at_edge or block.kind not in ("p", "verse", "heading"):
            out.append(block)
            continue
        lines = block.html.split("<br>")
        keep = []
        for line in lines:
            text = Block(html=line).text
            rule = next(
                (name for name, test in _LINE_RULES if text.strip() and test(text, entry)), None
            )
            if rule is None:
                keep.append(line)
            else:
                warnings.append(f"removed journal {rule} line: {text.strip()[:60]!r}")
        if len(keep) == len(lines):
            out.append(block)
        elif any(Block(html=line).text.strip() for line in keep):
            kind = block.kind if len(keep) > 1 or block.kind == "heading" else "p"
            out.append(
                Block(
                    kind=kind, html="<br>".join(keep).strip(), align=block.align, level=block.level
                )
            )
    return out


# --- the work --------------------------------------------------------------------------------

_TAG_PREFIX = re.compile(r"^\s*([a-z][a-z ]{1,20}?)\s*:\s*(.+)$", re.I)
_TAG_TYPES = {
    "fandom": TagType.FANDOM, "fandoms": TagType.FANDOM,
    "pairing": TagType.RELATIONSHIP, "pairings": TagType.RELATIONSHIP,
    "ship": TagType.RELATIONSHIP, "relationship": TagType.RELATIONSHIP,
    "character": TagType.CHARACTER, "characters": TagType.CHARACTER, "char": TagType.CHARACTER,
    "genre": TagType.FREEFORM, "type": TagType.FREEFORM,
}  # fmt: skip
_NOT_TAGS = {"author", "writer", "by", "creator", "poster", "recipient", "for", "status", "length"}


def _apply_tag(work: ParsedWork, name: str) -> None:
    """One entry tag: `fandom: x`, `pairing: a/b`, `rating: pg` typed; others freeform."""
    existing = {t.name.casefold() for t in work.tags}
    m = _TAG_PREFIX.match(name)
    if m:
        prefix, value = m.group(1).strip().lower(), m.group(2).strip()
        if prefix in _NOT_TAGS:
            return
        if prefix in ("rating", "rated"):
            if not work.rating:
                work.rating = normalise_rating(value)
                work.add_tag(TagType.RATING, work.rating)
            return
        if prefix in ("warning", "warnings"):
            warning = classify_warning(value)
            work.add_tag(TagType.WARNING if warning else TagType.FREEFORM, warning or value)
            return
        if prefix in _TAG_TYPES:
            if value.casefold() not in existing:
                work.add_tag(_TAG_TYPES[prefix], value)
            return
    if name.casefold() not in existing:
        work.add_tag(TagType.FREEFORM, name)


def _profile_url(site: str, name: str) -> str:
    domain = next((d for d, s in _HOSTS.items() if s == site), "")
    return f"https://{name.replace('_', '-')}.{domain}/" if domain and name else ""


def _apply_entry(work: ParsedWork, entry: _Entry, page_title: str) -> None:
    names = [n for n in (entry.journal, entry.poster, *(c.name for c in work.creators)) if n]
    if work.title_missing or not work.title:
        raw = entry.subject or page_title
        cleaned = clean_title(raw, names)
        if cleaned.title:
            work.title, work.title_missing = cleaned.title, False
    else:
        cleaned = split_part_number(work.title)
        work.title = cleaned.title or work.title
    if cleaned.part is None and entry.subject:
        cleaned = clean_title(entry.subject, names)
    if cleaned.part is not None:
        work.part = cleaned.part
        if cleaned.parts and work.expected_chapters is None:
            work.expected_chapters = cleaned.parts
    person = entry.poster or entry.journal
    if not work.creators and person:
        work.creators.append(Creator(person, _profile_url(entry.site, person)))
    else:
        work.creators = [
            Creator(c.name, c.url or _profile_url(entry.site, c.name))
            if c.name.casefold() in {n.casefold() for n in names}
            else c
            for c in work.creators
        ]
    for name in entry.tags:
        _apply_tag(work, name)
    work.published = work.published or entry.published
    if entry.cut_missing:
        work.warnings.append(
            "the entry's cut text is not on this page (only its 'Read more' link); save the entry's own page"
        )


def read_journal_entry(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork | None:
    """A saved LJ/DW entry page as a work: subject, poster, tags, date, text behind its cuts."""
    entry = _Entry(site=journal_site(tree), url=page_address(tree))
    if content_notice_site(tree):
        raise NoStoryText(
            f"this {entry.site} page is the site's adult-content notice, not the entry: it was saved"
            " before the 'Yes, I want to view this content' button was pressed. Open the entry, confirm,"
            " and save the page that follows"
        )
    title_node = tree.css_first("title")
    page_title = node_text(title_node) if title_node is not None else ""
    for _name, step in _STEPS:
        step(tree, entry)
    contacts = mailto_contacts(entry.body)
    drop_mailto_labels(entry.body)
    blocks = _drop_chrome_lines(read_blocks(entry.body), entry, warnings)
    if not blocks:
        raise NoStoryText(
            f"this {entry.site} page has no entry text (only the page around it); save the entry's own page"
        )
    source.format, source.site, source.url = "journal-entry", entry.site, entry.url
    work = assemble_work(blocks, source, warnings)
    _apply_entry(work, entry, page_title)
    for contact in contacts:
        if contact not in work.contacts:
            work.contacts.append(contact)
    scrub_emails(work)
    return finish_work(work)


__all__ = ["is_journal_entry", "journal_site", "page_address", "read_date", "read_journal_entry"]
