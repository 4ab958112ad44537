"""The small steps the site planner is made of: file names, link spellings, chapter evidence."""

from __future__ import annotations

import pytest

from ficarchive.rescue.grouping import base_title, chapter_like, link_direction, title_number
from ficarchive.rescue.pages import FileIndex, kind_by_name, undo_saved_links


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("hts-cache/new.zip", "not a story"),
        ("hts-log.txt", "not a story"),
        ("www.x.org/wget-log.1", "not a story"),
        ("story.html.source.txt", "not a story"),
        ("counts.jsonl", "not a story"),
        ("meta/works.json", "not a story"),
        ("README.md", "not a story"),
        ("README", "not a story"),
        ("LICENSE.txt", "not a story"),
        ("robots.txt", "not a story"),
        ("salt.html~", "backup"),
        ("salt.html.orig", "backup"),
        ("css/site.css", "asset"),
        ("js/menu.js", "asset"),
        ("images/bg.JPG", "asset"),
        ("fonts/a.woff2", "asset"),
        ("midi/theme.mid", "asset"),
        ("salt.html", None),
        ("stories/salt.txt", None),
        ("viewstory.php?sid=1.html", None),
    ],
)
def test_kind_by_name(source, kind):
    found = kind_by_name(source)
    assert (found[0] if found else None) == kind
    if found:
        assert found[1]  # always a reason


SAVED = [
    "index.html",
    "stories/salt-1.html",
    "www.site.org/viewstory.php?sid=12&chapter=2.html",
    "www.site.org/index.php.html",
    "www.fanfiction.net/s/99/2/Title.html",
    "www.site.org/sub/index.html",
]


@pytest.mark.parametrize(
    ("href", "page", "target"),
    [
        ("stories/salt-1.html", "index.html", "stories/salt-1.html"),
        ("../index.html", "stories/salt-1.html", "index.html"),
        ("salt-1.html#top", "stories/salt-1.html", "stories/salt-1.html"),
        ("viewstory.php?sid=12&chapter=2", "www.site.org/index.php.html", "www.site.org/viewstory.php?sid=12&chapter=2.html"),
        ("viewstory.php?sid=12&amp;chapter=2", "www.site.org/index.php.html", "www.site.org/viewstory.php?sid=12&chapter=2.html"),
        ("viewstory.php%3Fsid=12&chapter=2.html", "www.site.org/index.php.html", "www.site.org/viewstory.php?sid=12&chapter=2.html"),
        ("viewstory.php@sid=12&chapter=2.html", "www.site.org/index.php.html", "www.site.org/viewstory.php?sid=12&chapter=2.html"),
        ("http://www.site.org/viewstory.php?sid=12&chapter=2", "index.html", "www.site.org/viewstory.php?sid=12&chapter=2.html"),
        ("/index.php", "www.site.org/viewstory.php?sid=12&chapter=2.html", "www.site.org/index.php.html"),
        ("/s/99/2/Title", "www.fanfiction.net/s/99/2/Title.html", "www.fanfiction.net/s/99/2/Title.html"),
        ("sub/", "www.site.org/index.php.html", "www.site.org/sub/index.html"),
        ("http://elsewhere.example/page.html", "index.html", None),
        ("missing.html", "index.html", None),
    ],
)  # fmt: skip
def test_links_find_the_saved_file(href, page, target):
    assert FileIndex(SAVED).resolve(href, page) == target


def test_wget_link_spellings_are_undone_for_the_readers():
    page = b'<a href="viewstory.php%3Fsid=12&amp;chapter=2.html">Next</a> mail@example.com'
    assert (
        undo_saved_links(page)
        == b'<a href="viewstory.php?sid=12&amp;chapter=2.html">Next</a> mail@example.com'
    )


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Next >>", "next"), ("Next Chapter →", "next"), (">>", "next"), ("Part 3 >>", "next"),
        ("continued", "next"), ("<< Previous", "prev"), ("← Previous Chapter", "prev"),
        ("<< back", "prev"), ("Prev", "prev"), ("Salt", ""), ("Chapter 2", ""), ("", ""),
    ],
)  # fmt: skip
def test_link_direction(text, direction):
    assert link_direction(text) == direction


@pytest.mark.parametrize(
    ("title", "number", "base"),
    [
        ("Salt (2/3)", 2, "Salt"),
        ("Salt - Part Two", 2, "Salt"),
        ("Salt, chapter 3: The Tide", 3, "Salt"),
        ("Chapter 4", 4, ""),
        ("Salt [1/?]", 1, "Salt"),
        ("The Lamp Room", None, "The Lamp Room"),
        ("Seven Seas", None, "Seven Seas"),
        ("Lantern Chapter 3: Tides, a harry potter fanfic | FanFiction", 3, "Lantern"),
    ],
)
def test_title_numbers(title, number, base):
    assert title_number(title) == number
    assert base_title(title) == base


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Chapter 2: The Road", True), ("Part Two", True), ("2. Road", True), ("(2/3)", True),
     ("Prologue", True), ("Salt", False), ("Home", False), ("Mara", False)],
)  # fmt: skip
def test_chapter_like_link_texts(text, expected):
    assert chapter_like(text) is expected
