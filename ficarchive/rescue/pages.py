"""Reading a saved site's files once: what each file is by its name, and each page's facts.

A site is read in one pass: every file is either settled by its name (a stylesheet, a log,
a sidecar) or read once into a `Page`: its title, headings, links with the text around them,
and what `text.parse_story` makes of it (a work, or the reason it is not one). Everything the
planner decides later works from these facts, so no file is parsed twice while planning.
Large sites are read by a pool of worker processes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ficarchive.text import ParsedWork, StoryError, parse_story
from ficarchive.text.decoding import decode_bytes
from ficarchive.text.headings import match_heading
from ficarchive.text.htmlblocks import read_blocks
from ficarchive.text.model import count_words

POOL_FROM = 300  # pages; below this a pool costs more than it saves

# --- files settled by their name --------------------------------------------------------------

_IMAGE = "png|jpe?g|gif|bmp|ico|svg|webp|tiff?|xbm|cur"
_FONT = "woff2?|ttf|otf|eot|pfb"
_MEDIA = "mp3|mid|midi|wav|ogg|au|aiff?|ra|ram|rm|wma|avi|mov|mpe?g|mp4|wmv|swf|flv"
_PACKED = "zip|gz|tgz|tar|rar|7z|bz2|xz|exe|msi|dmg|jar|class"

# (kind, pattern on the path relative to the site, reason): the first matching row decides.
NAME_RULES: list[tuple[str, re.Pattern, str]] = [
    (
        "not a story",
        re.compile(r"(?:^|/)hts-cache/|(?:^|/)hts-(?:log|err|ioinfo|in_progress)[^/]*$", re.I),
        "HTTrack's download cache or log, written by the mirroring tool, not part of the site",
    ),
    (
        "not a story",
        re.compile(r"(?:^|/)wget-log[^/]*$|\.log$", re.I),
        "a log file written by the download tool",
    ),
    (
        "comments page",
        re.compile(r"(?:^|/)(?:mt-)?(?:comments?|tb|trackback)\.(?:cgi|php|asp)\b", re.I),
        "readers' comments or trackbacks on a post, not a story",
    ),
    (
        "not a story",
        re.compile(r"[?@]C=[NMSD][;&]O=[AD]\b", re.I),
        "a web server's listing of a folder's files, saved with the site",
    ),
    (
        "not a story",
        re.compile(r"\.source\.txt$", re.I),
        "a sidecar file saying where another file came from, not story text",
    ),
    (
        "not a story",
        re.compile(r"\.(?:jsonl?|csv|tsv|sql|ya?ml|xml|rss|atom|dat|db|sqlite3?)$", re.I),
        "a data file (JSON, CSV, XML, SQL ...), not story text",
    ),
    (
        "not a story",
        re.compile(
            r"(?:^|/)(?:readme|read_me|license|licence|copying|changelog|manifest)"
            r"(?:\.[a-z0-9]+)?$",
            re.I,
        ),  # fmt: skip
        "a README or licence file that describes the collection, not a story in it",
    ),
    (
        "not a story",
        re.compile(
            r"(?:^|/)(?:robots\.txt|sitemap\.xml|\.htaccess|\.htpasswd|thumbs\.db|"
            r"desktop\.ini|\.ds_store|cookies\.txt)$",
            re.I,
        ),  # fmt: skip
        "a file for web servers, crawlers or the file system, not for readers",
    ),
    (
        "backup",
        re.compile(r"(?:~|\.bak|\.orig|\.old|\.swp|\.tmp|\.part)$", re.I),
        "a backup or temporary copy of another file (the real file is planned on its own)",
    ),
    ("asset", re.compile(r"\.css$", re.I), "a stylesheet"),
    ("asset", re.compile(r"\.(?:js|mjs|vbs)$", re.I), "a script"),
    ("asset", re.compile(rf"\.(?:{_IMAGE})$", re.I), "an image"),
    ("asset", re.compile(rf"\.(?:{_FONT})$", re.I), "a font"),
    ("asset", re.compile(rf"\.(?:{_MEDIA})$", re.I), "a sound, video or Flash file"),
    ("asset", re.compile(rf"\.(?:{_PACKED})$", re.I), "an archive or program file"),
]


def folder_files(root: Path) -> list[str]:
    """Every file under `root`, relative, sorted; dotfiles and dot-folders are never read."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append(rel.as_posix())
    return sorted(files)


def kind_by_name(source: str) -> tuple[str, str] | None:
    """(kind, reason) for a file whose name alone says it is not a story, else None."""
    for kind, pattern, reason in NAME_RULES:
        if pattern.search(source):
            return kind, reason
    return None


# --- a page's facts ----------------------------------------------------------------------------


@dataclass(slots=True)
class Link:
    href: str  # as written in the page
    text: str  # the link's own text (or the frame's name)
    context: str  # the entry around the link: its list item, paragraph or following text
    target: str | None = None  # the site file it points to, once resolved


@dataclass(slots=True)
class Page:
    source: str  # path relative to the site root, with "/"
    digest: str
    html: bool = False
    title: str = ""  # the page's <title>
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    link_words: int = 0
    external_links: int = 0
    frames: bool = False
    form_with_text: bool = False  # a form with a text area: a guestbook or a review form
    redirect: str = ""
    generator: str = ""  # "httrack" when the download tool wrote this page itself
    lines: list[str] = field(default_factory=list)  # text lines of a page that is not a story
    work: ParsedWork | None = None
    error: str = ""
    error_kind: str = ""

    counted: tuple[object, int] | None = None  # (the work counted, its words): counted once

    @property
    def words(self) -> int:
        """Story words the reader found (0 when the page is not a story)."""
        if self.work is None:
            return 0
        if self.counted is None or self.counted[0] is not self.work:
            self.counted = (self.work, sum(count_words(c.text) for c in self.work.chapters))
        return self.counted[1]

    @property
    def name(self) -> str:
        return posixpath.basename(self.source)


_REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*url=([^"'>\s]+)""", re.I)
_HTTRACK = re.compile(r"Mirror and index made by HTTrack|<title>[^<]*HTTrack", re.I)
_CONTEXT_TAGS = frozenset({"li", "dd", "dt", "p", "td", "th", "blockquote", "tr", "h1", "h2", "h3",
                           "h4", "center", "div"})  # fmt: skip
_BLOCK_TAGS = _CONTEXT_TAGS | {"ul", "ol", "dl", "table", "hr", "br", "body"}
_CONTEXT_MAX = 500
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.I | re.S)
_LINE_END = re.compile(r"<br\b[^>]*>|</(?:p|div|li|dt|dd|tr|td|th|h\d)\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def _text(node) -> str:
    return " ".join(node.text(deep=True, separator=" ").split()) if node is not None else ""


def _following_text(anchor) -> str:
    """The text after a link up to the next link or line break pair: `Salt</a> by Mara, PG`."""
    parts: list[str] = []
    node, breaks = anchor.next, 0
    while node is not None and sum(len(p) for p in parts) < _CONTEXT_MAX:
        if node.tag == "br":
            breaks += 1
            if breaks >= 2:
                break
        elif node.tag == "-text":
            parts.append(node.text_content or "")
            breaks = 0 if (node.text_content or "").strip() else breaks
        elif node.tag in ("a",) or node.tag in _BLOCK_TAGS:
            break
        elif not node.tag.startswith("-"):
            parts.append(node.text(deep=True, separator=" "))
            breaks = 0
        node = node.next
    return " ".join("".join(parts).split())


def _chapter_label(label: str) -> bool:
    """`Chapter One`, `Part 2`, `3`: a link to one chapter of the story an entry is about."""
    label = " ".join(label.split())
    return label.isdigit() or match_heading(label) is not None


def _entry_nodes(block) -> list:
    """A <dt> and its <dd> are one entry: the title line and the summary under it."""
    if block.tag == "dt" or block.tag == "dd":
        term = block
        while term is not None and term.tag != "dt":
            term = term.prev
        nodes, node = [term or block], (term or block).next
        while node is not None and node.tag != "dt":
            if node.tag == "dd":
                nodes.append(node)
            node = node.next
        return nodes
    return [block]


def _label_unless_chapter(anchor: re.Match) -> str:
    label = _TAG.sub(" ", anchor.group(1))
    return " " if _chapter_label(unescape(label)) else f" {label} "


def _entry_lines(nodes) -> str:
    """An entry's text, a line per line break, without its chapter links (`1 2 3`): the title
    line `Salt (PG) - 3 parts`, then the summary."""
    lines: list[str] = []
    for node in nodes:
        markup = _ANCHOR.sub(_label_unless_chapter, node.html or "")
        markup = _LINE_END.sub("\n", markup)
        lines += [" ".join(line.split()) for line in unescape(_TAG.sub(" ", markup)).split("\n")]
    return "\n".join(line for line in lines if line)


def _one_entry(nodes) -> bool:
    """One story's entry: at most two links besides the chapter links (title and author)."""
    links = [a for node in nodes for a in node.css("a[href]")]
    return sum(1 for a in links if not _chapter_label(_text(a))) <= 2


def _link_context(anchor) -> str:
    """The index entry a link sits in: the nearest small block around it about one story."""
    parent = anchor.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in _CONTEXT_TAGS:
            nodes = _entry_nodes(parent)
            text = " ".join(_text(n) for n in nodes)
            if len(text) > _CONTEXT_MAX or not _one_entry(nodes):
                break
            if text != _text(anchor) or parent.tag not in ("td", "th"):
                return _entry_lines(nodes)
            # A table cell holding only the link: the entry is the whole row.
        parent = parent.parent
    return _following_text(anchor)


def read_html_facts(page: Page, text: str):
    """Title, headings, links, frames and forms of an HTML page; returns the parsed tree."""
    tree = LexborHTMLParser(text)
    page.html = True
    node = tree.css_first("title")
    page.title = _text(node)
    page.headings = [_text(h) for h in tree.css("h1, h2, h3")[:6] if _text(h)]
    if _HTTRACK.search(text[:5000]) and "httrack" in page.title.lower() + text[:3000].lower():
        page.generator = "httrack"
    m = _REFRESH.search(text[:5000])
    if m and tree.body is not None and count_words(_text(tree.body)) < 40:
        page.redirect = unescape(m.group(1))
    for a in tree.css("a[href], area[href]"):
        href = unescape((a.attributes.get("href") or "").strip())
        label = _text(a) or (a.attributes.get("alt") or a.attributes.get("title") or "")
        if not href or href.startswith(("#", "javascript:", "mailto:", "data:")):
            continue
        page.link_words += count_words(label)
        if href.startswith(("http://", "https://", "//")):
            page.external_links += 1
        page.links.append(Link(href=href, text=label, context=_link_context(a)))
    for frame in tree.css("frame[src], iframe[src]"):
        page.frames = True
        src = unescape((frame.attributes.get("src") or "").strip())
        page.links.append(Link(href=src, text=frame.attributes.get("name") or "", context=""))
    page.form_with_text = tree.css_first("form textarea") is not None
    return tree


def _text_lines(tree, limit: int = 60) -> list[str]:
    """A page's text as lines (`Rating: PG`, `Summary: ...`): index and author pages state
    their stories' metadata this way."""
    if tree is None or tree.body is None:
        return []
    lines: list[str] = []
    for block in read_blocks(tree.body):
        lines += [" ".join(line.split()) for line in block.text.split("\n") if line.strip()]
        if len(lines) >= limit:
            break
    return lines[:limit]


_SAVED_QUERY = re.compile(rb"(\.(?:php\d?|asp|cgi|pl))(?:%3[Ff]|@)(?=[\w%-]+=)")


def undo_saved_links(data: bytes) -> bytes:
    """Links as the site wrote them: wget -k turns `viewstory.php?sid=1` into
    `viewstory.php%3Fsid=1.html`, which hides the page's archive software from the readers."""
    if b"%3F" not in data and b"%3f" not in data and b"@" not in data:
        return data
    return _SAVED_QUERY.sub(rb"\1?", data)


def read_story_file(path: Path, drop: frozenset[str] = frozenset()) -> ParsedWork:
    """parse_story on a saved page, with the download tool's link spellings undone; `drop`
    holds the site's chrome to leave out (`parse_story`)."""
    return parse_story(undo_saved_links(path.read_bytes()), path.name, drop=drop)


def read_page(root: Path, source: str) -> Page:
    """One file's facts, read once: its markup (for HTML) and what parse_story makes of it."""
    data = (root / source).read_bytes()
    page = Page(source=source, digest=hashlib.sha1(data).hexdigest())
    if not data.strip():
        page.error, page.error_kind = "the file is empty", "EmptyFile"
        return page
    head = data[:4000].lower()
    tree = None
    if b"<html" in head or b"<body" in head or b"<frameset" in head or b"<a href" in head:
        try:
            tree = read_html_facts(page, decode_bytes(data).text)
        except Exception as exc:  # a page we cannot even read for links is still planned
            page.error = f"the page's markup could not be read ({exc})"
    try:
        page.work = parse_story(undo_saved_links(data), posixpath.basename(source))
    except StoryError as exc:
        page.error, page.error_kind = str(exc), type(exc).__name__
    except Exception as exc:  # one odd file never stops the plan of a whole site
        page.error = f"the story reader failed on this file ({type(exc).__name__}: {exc})"
        page.error_kind = "ReaderFailure"
    if page.work is None or page.link_words > 20:
        page.lines = _text_lines(tree)
    return page


def _read_one(args: tuple[Path, str]) -> Page:
    return read_page(*args)


def _in_pool(work, jobs: list, workers: int | None) -> list:
    """`work` over `jobs`, in order; a pool of processes when there are enough of them."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < POOL_FROM:
        return [work(job) for job in jobs]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(work, jobs, chunksize=16)


def read_pages(root: Path, sources: list[str], workers: int | None = None) -> dict[str, Page]:
    """Every page's facts, by source, in the given order; a pool of processes for big sites."""
    pages = _in_pool(_read_one, [(root, source) for source in sources], workers)
    return {page.source: page for page in pages}


def _reread_one(args: tuple[Path, str, frozenset[str]]) -> ParsedWork | None:
    root, source, drop = args
    try:
        return read_story_file(root / source, drop)
    except Exception:  # the first reading stands
        return None


def reread_works(
    root: Path, sources: list[str], drop: frozenset[str], workers: int | None = None
) -> dict[str, ParsedWork | None]:
    """The pages' works read again without the site's chrome (`drop`); None where that fails."""
    works = _in_pool(_reread_one, [(root, source, drop) for source in sources], workers)
    return dict(zip(sources, works, strict=True))


# --- where a link points -----------------------------------------------------------------------

_HOSTLIKE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?$", re.I)
_PAGE_EXT = re.compile(r"\.(?:html?|shtml|xhtml)$", re.I)


def file_key(path: str) -> str:
    """A path as wget or HTTrack may have written it, in one spelling.

    `viewstory.php?sid=1&amp;chapter=2`, `viewstory.php%3Fsid=1&chapter=2.html` and
    `viewstory.php@sid=1&chapter=2.html` (wget's Windows names) are all one key.
    """
    key = unescape(path)
    for _ in range(2):
        if "%" not in key:
            break
        key = unquote(key)
    key = key.replace("\\", "/").lower()
    key = re.sub(r"\.(php\d?|asp|cgi|pl)@", r".\1?", key)
    return key[2:] if key.startswith("./") else key


class FileIndex:
    """Finds the saved file a link points to, whatever spelling the download tool used."""

    def __init__(self, sources: list[str]):
        self._keys: dict[str, str] = {}
        for source in sources:
            for key in self._spellings(file_key(source)):
                self._keys.setdefault(key, source)
        tops = {s.split("/", 1)[0] for s in sources if "/" in s}
        self.hosts = {t.lower(): t for t in tops if _HOSTLIKE.match(t)}

    @staticmethod
    def _spellings(key: str) -> list[str]:
        keys = [key]
        bare = _PAGE_EXT.sub("", key)
        if bare != key:
            keys.append(bare)  # wget -E adds .html to pages saved from scripts
        head, _, tail = key.rpartition("/")
        if re.fullmatch(r"(?:index|default)\.(?:html?|php|asp|shtml)", tail):
            keys += [f"{head}/" if head else "", head]
        return keys

    def find(self, key: str) -> str | None:
        key = key.split("#", 1)[0]
        return self._keys.get(key) or self._keys.get(key.rstrip("/")) if key else None

    def resolve(self, href: str, page_source: str) -> str | None:
        """The site file `href` (on the page `page_source`) points to, or None."""
        href = href.strip()
        if href.startswith("//"):
            href = "http:" + href
        page_dir = posixpath.dirname(page_source)
        top = page_source.split("/", 1)[0]
        site_top = top if top.lower() in self.hosts else ""
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            if not href.lower().startswith(("http:", "https:")):
                return None
            parts = urlsplit(href)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            host = self.hosts.get(parts.netloc.lower())
            candidates = [f"{host}{path}"] if host else []
            candidates += [f"{site_top}{path}" if site_top else path.lstrip("/")]
        elif href.startswith("/"):
            candidates = [f"{site_top}{href}" if site_top else href.lstrip("/")]
        else:
            candidates = [posixpath.normpath(posixpath.join(page_dir, href.split("#", 1)[0]))]
            if href.endswith("/"):
                candidates[0] += "/"
        for candidate in candidates:
            found = self.find(file_key(candidate.split("#", 1)[0]).lstrip("/"))
            if found is not None:
                return found
        return None


def resolve_links(pages: dict[str, Page]) -> None:
    """Point every page's links at the site files they lead to (links off the site stay None)."""
    index = FileIndex(list(pages))
    for page in pages.values():
        for link in page.links:
            link.target = index.resolve(link.href, page.source)
        if page.redirect:
            page.redirect = index.resolve(page.redirect, page.source) or ""
