"""Boilerplate is what the site repeats around stories, never a story's own lines."""

from __future__ import annotations

from ficarchive.rescue.boilerplate import learn_boilerplate, remove_boilerplate
from ficarchive.text import Block, Chapter, ParsedWork


def _page(*texts: str, notes: tuple[str, ...] = (), title: str = "") -> ParsedWork:
    blocks = [Block(kind="break") if t == "*" else Block(html=t) for t in texts]
    chapter = Chapter(number=1, blocks=blocks)
    return ParsedWork(
        title=title,
        title_missing=not title,
        chapters=[chapter],
        notes=[Block(html=n) for n in notes],
    )


def _story(n: int) -> list[str]:
    return [f"Story {n} line {i} with its own words about the sea and the lamp." for i in range(20)]


def test_lines_on_most_pages_are_boilerplate_and_story_lines_are_not():
    pages = {}
    for n in range(6):
        body = [
            "Disclaimer: not mine, no money made.",
            *_story(n),
            "<< back",
            "Feedback welcome at",
        ]
        if n < 2:
            body.insert(3, "The lighthouse stood alone.")  # on two pages only: story text
        body[5] = '"No."'  # dialogue repeats everywhere and is never boilerplate
        pages[f"p{n}.html"] = _page(*body)
    found = learn_boilerplate(pages)
    assert set(found) == {"Disclaimer: not mine, no money made.", "<< back", "Feedback welcome at"}


def test_a_banner_read_as_every_page_title_is_boilerplate_and_story_titles_are_not():
    pages = {
        f"s{n}-{part}.html": _page(*_story(n), title="Harbour fan fiction since 1999")
        for n in range(3)
        for part in (1, 2)
    }
    pages |= {f"own{n}.html": _page(*_story(n + 5), title=f"Story {n}") for n in range(3)}
    work_of = {source: source.split("-")[0] for source in pages}
    assert learn_boilerplate(pages, work_of) == ["Harbour fan fiction since 1999"]


def test_scene_breaks_end_marks_and_headings_never_count():
    pages = {f"p{n}": _page("Chapter 1", *_story(n), "~~~", "The End", "TBC") for n in range(5)}
    assert learn_boilerplate(pages) == []


def test_a_line_below_the_share_or_on_too_few_pages_is_kept():
    pages = {f"p{n}": _page("Return to the archive", *_story(n)) for n in range(2)}
    assert learn_boilerplate(pages) == []
    pages = {
        f"p{n}": _page(*(["Return to the archive"] if n < 3 else []), *_story(n)) for n in range(20)
    }
    assert learn_boilerplate(pages) == []  # 3 of 20 pages: under the share


def test_one_story_repeating_its_own_line_in_each_chapter_keeps_it():
    pages = {f"salt{n}": _page("Salt, a story for Lee.", *_story(n)) for n in range(4)}
    pages |= {f"other{n}": _page(*_story(10 + n)) for n in range(2)}
    work_of = {source: source.rstrip("0123456789") for source in pages}
    assert learn_boilerplate(pages, work_of) == []


def test_notes_count_and_removal_cleans_every_text():
    pages = {
        f"p{n}": _page(*_story(n), notes=("Disclaimer: they are not mine.",)) for n in range(4)
    }
    found = learn_boilerplate(pages)
    assert found == ["Disclaimer: they are not mine."]
    work = _page(
        "*",
        "disclaimer:  They are NOT mine.",
        *_story(1),
        "*",
        notes=("Disclaimer: they are not mine.",),
    )
    assert remove_boilerplate(work, found) >= 2
    assert not work.notes
    assert work.chapters[0].blocks[0].text.startswith("Story 1")
    assert work.chapters[0].blocks[-1].kind == "p"
