"""fanfiction.net (and FictionPress) story pages saved from the browser.

A saved page holds one chapter. The story's metadata is one line of ` - `-separated fields in
`#profile_top` ("Rated: Fiction T - English - Romance/Humor - [Harry P., Hermione G.] - …"),
which we split into the rating, language, genres, characters and pairings.
"""

from __future__ import annotations

import re

from ..headers import normalise_rating
from ..language import language_code
from ..model import Chapter, Creator, ParsedWork, SourceInfo, TagType
from ..titles import strip_chrome
from .common import (
    absolute,
    body_blocks,
    finish_work,
    first,
    iso_date,
    node_text,
    note_blocks,
    unix_date,
)

BASE = "https://www.fanfiction.net/"
_GENRES = (
    "Adventure", "Angst", "Crime", "Drama", "Family", "Fantasy", "Friendship", "General", "Horror",
    "Humor", "Hurt/Comfort", "Mystery", "Parody", "Poetry", "Romance", "Sci-Fi", "Spiritual",
    "Supernatural", "Suspense", "Tragedy", "Western"
)  # fmt: skip
_GENRE_RE = re.compile("|".join(re.escape(g) for g in sorted(_GENRES, key=len, reverse=True)))
_DATE_FIELD = re.compile(
    r"(Updated|Published)\s*:\s*<span[^>]*data-xutime=['\"]?(\d+)['\"]?[^>]*>([^<]*)<", re.I
)
_OPTION_NUMBER = re.compile(r"^\s*\d+\s*[.:]\s*")


_SITE_TITLE = re.compile(r"\s[-|]\s*(?:FanFiction\.Net|FictionPress(?:\.com)?)\s*$", re.I)
_OLD_META = re.compile(r"Rated:\s*.{1,600}?\bid:\s*\d+", re.S)
_CRUMB = re.compile(r"<a\s+href=['\"]?/[a-z]+/[^/'\"]+/?['\"]?\s*>([^<]+)</a>\s*(?:&#187;|»)", re.I)


def is_story_page(tree) -> bool:
    """A story page, in today's layout (`#profile_top`) or in 2010-2013's (no profile box: the
    title in the breadcrumb, the author's link and a bare `Rated: … - id:N` line)."""
    if tree.css_first("#storytext") is None:
        return False
    if tree.css_first("#profile_top") is not None:
        return True
    title = tree.css_first("title")
    return (
        title is not None
        and bool(_SITE_TITLE.search(title.text()))
        and tree.css_first("a[href^='/u/']") is not None
    )


def _split_genres(part: str) -> list[str] | None:
    """`Romance/Hurt/Comfort` -> both genres; None when the part is not made of genres."""
    found = _GENRE_RE.findall(part)
    rest = _GENRE_RE.sub("", part).replace("/", "").strip()
    return found if found and not rest else None


def _apply_characters(work: ParsedWork, part: str) -> None:
    """`[Harry P., Hermione G.] Ron W.`: every name is a character, each bracket a pairing."""
    for group in re.findall(r"\[([^\]]+)\]", part):
        names = [n.strip() for n in group.split(",") if n.strip()]
        if len(names) >= 2:
            work.add_tag(TagType.RELATIONSHIP, "/".join(names))
    for name in re.split(r"[,\[\]]", part):
        work.add_tag(TagType.CHARACTER, name.strip())


def _apply_meta(work: ParsedWork, text: str, markup: str) -> None:
    """The ` - `-separated metadata line; `markup` holds its dates as timestamps."""
    loose: list[str] = []
    for part in (p.strip() for p in text.split(" - ")):
        key, sep, value = part.partition(":")
        if sep and key.strip().lower() in {
            "rated",
            "chapters",
            "words",
            "reviews",
            "favs",
            "follows",
            "updated",
            "published",
            "status",
            "id",
        }:
            key = key.strip().lower()
            value = value.strip()
            if key == "rated":
                work.rating = normalise_rating(value)
                work.add_tag(TagType.RATING, work.rating)
            elif key == "chapters":
                digits = value.replace(",", "")
                if digits.isdigit():
                    work.expected_chapters = int(digits)
            elif key == "status":
                work.complete = "complete" in value.lower()
        elif part.lower() == "complete":
            work.complete = True  # 2010-2013 pages: a bare `Complete`
        else:
            loose.append(part)
    # Fields without a label come in a fixed order: language, then genres, then characters.
    if loose:
        work.language = language_code(loose[0]) or ""
        loose = loose[1:] if work.language else loose
    for part in loose:
        genres = _split_genres(part)
        if genres:
            for genre in genres:
                work.add_tag(TagType.FREEFORM, genre)
        else:
            _apply_characters(work, part)
    if work.complete is None:
        work.complete = False  # FFN says "Status: Complete" only when it is
    if work.expected_chapters is None:
        work.expected_chapters = 1  # no "Chapters:" field: a one-shot
    for name, stamp, shown in _DATE_FIELD.findall(markup):
        # The date as the site showed it, when it has a year; else the timestamp (UTC).
        date = iso_date(shown) if shown.count("/") == 2 else None
        date = date or unix_date(stamp)
        if name.lower() == "published":
            work.published = date
        else:
            work.updated = date
    for name, shown in re.findall(r"(Updated|Published):\s*(\d{1,2}-\d{1,2}-\d{2,4})\b", text):
        # 2010-2013 pages wrote the date as text: `Published: 01-12-11` (month first).
        month, day, year = shown.split("-")
        year = (
            f"20{year}"
            if len(year) == 2 and int(year) < 90
            else (f"19{year}" if len(year) == 2 else year)
        )
        date = iso_date(f"{month}/{day}/{year}")
        if name == "Published":
            work.published = work.published or date
        else:
            work.updated = work.updated or date


def _fandoms(tree) -> list[str]:
    """The breadcrumb's last link: `Harry Potter`, or `Harry Potter + Naruto Crossover`."""
    links = tree.css("#pre_story_links a")
    if links:
        name = node_text(links[-1])
    else:  # 2010-2013: `TV Shows » Firefly » <b>Title</b>`, before the story
        crumbs = _CRUMB.findall((tree.body.html or "")[:60000] if tree.body is not None else "")
        name = " ".join(crumbs[-1].split()) if crumbs else ""
    if name.lower().endswith(" crossover"):
        return [part.strip() for part in name[: -len(" crossover")].split(" + ") if part.strip()]
    return [name] if name else []


def read_story_page(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    """One chapter of a fanfiction.net story, numbered as on the site, with the story's metadata."""
    source.format, source.site = "ffn-page", "ffn"
    profile = tree.css_first("#profile_top")
    if profile is None:
        return _read_old_layout(tree, source, warnings)
    work = ParsedWork(title="", source=source, warnings=warnings)
    canonical = tree.css_first("link[rel=canonical]")
    base = BASE
    if canonical is not None:
        href = absolute(canonical.attributes.get("href") or "", BASE)
        source.url = source.url or href
        m = re.match(r"https?://[^/]+/", href)
        base = m.group(0) if m else BASE
    work.title = node_text(first(profile, "b.xcontrast_txt", "b"))
    for a in profile.css("a"):
        href = a.attributes.get("href") or ""
        if re.match(r"^(?:https?:)?(?://[^/]+)?/u/\d+", href) and node_text(a):
            work.creators.append(Creator(node_text(a), absolute(href, base)))
            break
    summary = first(profile, "div.xcontrast_txt")
    work.summary = note_blocks(summary)
    meta = first(profile, "span.xgray", ".xgray")
    if meta is not None:
        _apply_meta(work, node_text(meta), meta.html or "")
    return _add_chapter(tree, work, warnings)


def _read_old_layout(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork:
    """A 2010-2013 page: the page title, the first author link and the bare metadata line."""
    work = ParsedWork(title="", source=source, warnings=warnings)
    title = node_text(tree.css_first("title"))
    work.title = strip_chrome(title)  # `Title Chapter 2, a Firefly fanfic - FanFiction.Net`
    author = tree.css_first("a[href^='/u/']")
    work.creators.append(
        Creator(node_text(author), absolute(author.attributes.get("href") or "", BASE))
    )
    body = tree.body.text(deep=True, separator=" ") if tree.body is not None else ""
    meta = _OLD_META.search(" ".join(body.split()))
    if meta is not None:
        _apply_meta(work, meta.group(0), "")
    return _add_chapter(tree, work, warnings)


def _add_chapter(tree, work: ParsedWork, warnings: list[str]) -> ParsedWork:
    """The page's one chapter, numbered as in the chapter menu, and the story's fandom."""
    for fandom in _fandoms(tree):
        work.add_tag(TagType.FANDOM, fandom)
    number, title = 1, ""
    menu = first(tree, "#chap_select", "select[name=chapter]")
    if menu is not None and work.expected_chapters == 1 and len(menu.css("option")) > 1:
        work.expected_chapters = len(menu.css("option"))  # the menu lists every chapter
    option = first(tree, "#chap_select option[selected]", "select[name=chapter] option[selected]")
    if option is not None:
        value = (option.attributes.get("value") or "").strip()
        number = int(value) if value.isdigit() else 1
        title = _OPTION_NUMBER.sub("", node_text(option))
    blocks = body_blocks(tree.css_first("#storytext"))
    if blocks and blocks[0].text.strip().casefold() == work.title.casefold():
        blocks = blocks[1:]  # the story's title repeated at the top of the text
    chapter = Chapter(number=number, title=title, blocks=blocks)
    work.chapters.append(chapter)
    if work.expected_chapters and work.expected_chapters > 1:
        warnings.append(
            f"this page holds chapter {number} of {work.expected_chapters}; import the other chapter pages to complete the work"
        )
    warnings.append("dropped fanfiction.net navigation, review form and page controls")
    return finish_work(work)
