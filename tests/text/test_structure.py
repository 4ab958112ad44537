import pytest

from ficarchive.text.errors import NoStoryText
from ficarchive.text.model import Block, SourceInfo
from ficarchive.text.parse import parse_story
from ficarchive.text.structure import assemble_work, is_navigation, is_scene_break


def parse(text: str, name: str = "story.txt"):
    return parse_story(text.encode("utf-8"), name)


PROSE = "The rain kept on through the night, and nobody in the house slept much. " * 4


@pytest.mark.parametrize(
    "line",
    [
        "***",
        "* * *",
        "~~~",
        "-o-",
        "oOo",
        "xXx",
        "o0o",
        "#",
        "~*~*~*~",
        "+++",
        "-x-x-x-",
        "[line break]",
        "___",
    ],
)
def test_scene_breaks(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["...", '"..."', "Oh.", "xo", "Ox", "I", "No!", "…"])
def test_not_scene_breaks(line):
    assert not is_scene_break(line)


@pytest.mark.parametrize(
    ("line", "edge", "expected"),
    [
        ("<< back", False, True),
        ("Next chapter >>", False, True),
        ("Back to index", False, True),
        ("Return to the Buffy fiction page", False, True),
        ("Home", True, True),
        ("Home", False, False),
        ("Home | Stories | Links", True, True),
        ("Copyright 2003 Some Archive. All rights reserved.", True, True),
        ("She went back to the house.", True, False),
        ("Back to Jo's", True, True),
        ("Back to the house", False, False),
        ("—Back to barracks! he said sternly.", False, False),
        ("Back to barracks! he said sternly.", True, False),
        ("“Back to the index, all of you,” she said.", True, False),
        ("-- Back to Story Index --", False, True),
        ("Home, she thought, was a long way off.", True, False),
    ],
)
def test_navigation(line, edge, expected):
    assert is_navigation(line, at_edge=edge) is expected


def test_a_line_of_dash_dialogue_that_starts_like_a_link_is_kept():
    text = "Chapter 1\n\nHe walked on.\n\n—Back to barracks! he said sternly.\n\nThey went.\n"
    work = parse_story(text.encode(), filename="story.txt")
    assert "—Back to barracks! he said sternly." in [b.text for b in work.chapters[0].blocks]
    assert not any("navigation" in w for w in work.warnings)


def test_header_lines_become_fields_and_private_contact():
    work = parse(
        "Title: Salt and Iron\nAuthor: Wren Hollis\nEmail: wren@example.org\nRating: PG-13\n"
        "Pairing: Ann/Bea, Cat/Dee\nSummary: Two sisters and a lighthouse.\nDisclaimer: Not mine.\n"
        "Feedback: always welcome at wren@example.org\nA/N: For my sister.\n\n" + PROSE
    )
    assert work.title == "Salt and Iron"
    assert [c.name for c in work.creators] == ["Wren Hollis"]
    assert work.rating == "Teen And Up Audiences"
    assert work.tags_of("relationship") == ["Ann/Bea", "Cat/Dee"]
    assert "Two sisters" in work.summary[0].text
    notes = " ".join(b.text for b in work.notes)
    assert "Disclaimer: Not mine." in notes and "For my sister." in notes
    assert [c.value for c in work.contacts] == ["wren@example.org"]
    everything = repr(work.chapters) + repr(work.summary) + repr(work.notes) + work.title
    assert "wren@example.org" not in everything


def test_quoted_title_and_by_line():
    work = parse('"Salt and Iron"\nby Wren Hollis\n\n' + PROSE)
    assert (work.title, work.creators[0].name, work.title_missing) == (
        "Salt and Iron",
        "Wren Hollis",
        False,
    )


@pytest.mark.parametrize(
    ("part_line", "part", "parts"),
    [("Part 2 of 3", 2, 3), ("(2/3)", 2, 3), ("Part Two", 2, None), ("Chapter 2 of 5", 2, 5)],
)
def test_part_line_under_the_by_line_is_the_part_number(part_line, part, parts):
    page = (
        "<html><body><center><font size=5>Harbourside Stories</font></center>"
        "<center><b>The Salt Road</b><br>by Wren Hollis "
        "(<a href='mailto:wren@example.org'>wren@example.org</a>)<br>"
        f"{part_line}</center><p>Rating: PG.</p>"
        + "".join(f"<p>{PROSE}</p>" for _ in range(3))
        + "</body></html>"
    )
    work = parse(page, "salt2.html")
    assert work.title == "The Salt Road"
    assert [c.name for c in work.creators] == ["Wren Hollis"]
    assert (work.part, work.expected_chapters) == (part, parts)
    assert work.chapters[0].text.startswith("The rain kept on")
    assert "wren@example.org" not in repr(work.chapters) + repr(work.notes)


def test_chapter_heading_inside_the_header_block_stays_a_heading():
    page = (
        "<html><body><center><h2>The Salt Road</h2><b>by Wren Hollis</b><br>"
        "<i>Chapter One: Low Tide</i></center><p>Rating: PG. Thanks to Ann for the beta.</p>"
        + "".join(f"<p>{PROSE}</p>" for _ in range(3))
        + "</body></html>"
    )
    work = parse(page, "salt1.html")
    assert (work.title, [c.name for c in work.creators]) == ("The Salt Road", ["Wren Hollis"])
    assert work.chapters[0].title == "Low Tide"
    assert work.chapters[0].text.startswith("The rain kept on")
    assert work.rating == "General Audiences"


def test_challenge_archive_header_with_written_for_and_a_linked_by_line():
    page = (
        "<html><body><center><h2>The Salt Road</h2><br>"
        "Fandom: <a href='/f?x=1'>Harbour Lights - The Long Series (tv)</a><br>"
        "Written for: Ann Lee in the Midwinter 2006 Challenge<br>"
        "by <a href='/contact?f=1'>wrenhollis</a><br></center><br><br>"
        "<blockquote>"
        + "".join(f"<p>{PROSE}</p>" for _ in range(3))
        + "<p>Please post a comment on this story.<br>Read posted comments.</p></body></html>"
    )
    work = parse(page, "saltroad.html")
    assert [c.name for c in work.creators] == ["wrenhollis"]
    assert work.tags_of("fandom") == ["Harbour Lights - The Long Series (tv)"]
    assert [b.text for b in work.notes] == ["Written for: Ann Lee in the Midwinter 2006 Challenge"]
    assert work.chapters[0].text.startswith("The rain kept on")
    assert "comment" not in work.chapters[0].text


def test_personal_page_with_menu_lines_a_lead_note_and_by_for_the_occasion():
    page = (
        "\ufeff".encode().decode("cp1252")  # a BOM the saving tool decoded as text
        + "<html><body><p><a href='../'>Main fanfic page</a></p>"
        "<p>Written for the midwinter swap! Thanks, all.</p><p>The Salt Road</p>"
        "<p>by wrenhollis for the harbour kink meme.</p>"
        + "".join(f"<p>{PROSE}</p>" for _ in range(3))
        + "<p><a href='../'>Main fanfic page</a></p></body></html>"
    )
    work = parse(page, "saltroad.html")
    assert (work.title, [c.name for c in work.creators]) == ("The Salt Road", ["wrenhollis"])
    notes = [b.text for b in work.notes]
    assert notes == [
        "Written for the midwinter swap! Thanks, all.",
        "by wrenhollis for the harbour kink meme.",
    ]
    everything = work.chapters[0].text + repr(work.chapters[0].end_notes)
    assert everything.startswith("The rain kept on")
    assert "Main fanfic page" not in everything and "ï»¿" not in everything


WRAPPED = (
    "The rain kept on through the night, and nobody in the house slept much. The\n"
    "kettle sang on the stove until somebody remembered it and took it off the heat,\n"
    "and then the house was quiet again except for the rain on the slates above.\n"
)


def test_mailing_list_post_with_wrapped_header_and_list_footers():
    text = (
        "Title: The Salt Road (2/3)\nAuthor: Wren Hollis <wren@example.org>\n"
        "Summary: Two sisters keep a lighthouse through the worst winter anyone\n"
        "  remembers, and one of them keeps a secret.\n"
        "Headers and disclaimer in part 1.\n\n-------------------------------------------\n\n"
        + (WRAPPED + "\n")
        * 4
        + "fin\n\n____________________________________________________________________\n"
        "Get Your Private, Free E-mail from MSN Hotmail at http://www.hotmail.com.\n\n"
        "--------------------------------------------------------------------\n"
        "To unsubscribe from this group, send an email to:\nsaltroad-unsubscribe@egroups.com\n"
    )
    work = parse(text)
    assert (work.title, work.part, work.expected_chapters) == ("The Salt Road", 2, 3)
    assert [c.name for c in work.creators] == ["Wren Hollis"]
    assert "worst winter anyone remembers, and one of them" in work.summary[0].text
    chapter = work.chapters[0]
    assert chapter.text.startswith("The rain kept on")
    everything = chapter.text + " ".join(b.text for b in chapter.end_notes)
    assert "Hotmail" not in everything and "unsubscribe" not in everything
    assert "wren@example.org" not in everything + repr(work.notes)


def test_title_by_line_with_email_then_a_line_of_facts_and_notes_above_the_rule():
    page = (
        "<html><body><center><small>Disclaimer: not mine.</small></center><hr>"
        "<table><tr><td><b>The Salt Road</b> by Wren Hollis &lt;<a href='mailto:w@example.org'>"
        "w@example.org</a>&gt;<br>Part 1 of 2 | Rated G | Ann, Bea and a very old dog</td></tr></table>"
        "<p>A/N: For my sister. Unbetaed!</p><center>~*~*~</center>"
        + "".join(f"<p>{PROSE}</p>" for _ in range(3))
        + "</body></html>"
    )
    work = parse(page, "salt1.html")
    assert (work.title, [c.name for c in work.creators]) == ("The Salt Road", ["Wren Hollis"])
    assert (work.rating, work.part, work.expected_chapters) == ("General Audiences", 1, 2)
    notes = [b.text for b in work.notes]
    assert "A/N: For my sister. Unbetaed!" in notes and "Ann, Bea and a very old dog" in notes
    assert work.chapters[0].text.startswith("The rain kept on")
    assert "w@example.org" not in repr(work.chapters) + repr(work.notes)


def test_a_short_first_scene_under_the_header_stays_story_text():
    work = parse("Title: Salt\nAuthor: Wren Hollis\n\nThe lamp went out.\n\n* * *\n\n" + PROSE)
    assert work.chapters[0].text.startswith("The lamp went out.")
    assert not work.notes


def test_opening_dialogue_is_not_a_title():
    work = parse('"Run!"\n\n' + PROSE)
    assert work.title_missing
    assert work.chapters[0].text.startswith('"Run!"')


def test_chapters_with_title_lines_and_special_headings():
    text = "\n\n".join(
        [
            "Prologue",
            PROSE,
            "Chapter 1",
            "The Storm",
            PROSE,
            "Chapter 2: Calm",
            PROSE,
            "Epilogue",
            PROSE,
        ]
    )
    work = parse(text)
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "Prologue"),
        (2, "The Storm"),
        (3, "Calm"),
        (4, "Epilogue"),
    ]
    assert all(c.text.startswith("The rain") for c in work.chapters)


def test_no_headings_is_one_chapter():
    work = parse(PROSE + "\n\n" + PROSE)
    assert len(work.chapters) == 1 and work.chapters[0].number == 1


def test_bare_numbers_need_a_rising_sequence():
    assert len(parse("\n\n".join(["1", PROSE, "2", PROSE, "3", PROSE])).chapters) == 3
    one = parse("\n\n".join([PROSE, "2", PROSE]))
    assert len(one.chapters) == 1 and "\n\n2\n\n" in one.chapters[0].text


def test_epigraph_with_attribution_and_scene_breaks():
    text = "\n\n".join(
        [
            "Chapter 1",
            "*Some quiet lines of a song*",
            "- A Singer, Some Song",
            PROSE,
            "* * *",
            PROSE,
            "oOo",
            PROSE,
        ]
    )
    chapter = parse(text).chapters[0]
    assert [b.text for b in chapter.epigraph] == [
        "Some quiet lines of a song",
        "- A Singer, Some Song",
    ]
    assert [b.kind for b in chapter.blocks] == ["p", "break", "p", "break", "p"]


def test_italic_prose_without_attribution_is_body():
    chapter = parse("*She remembered the summer before, the long grass.*\n\n" + PROSE).chapters[0]
    assert chapter.epigraph == []
    assert chapter.blocks[0].html.startswith("<em>")


@pytest.mark.parametrize(
    ("ending", "complete"),
    [
        ("The End", True),
        ("~Fin~", True),
        ("*THE END*", True),
        ("TBC", False),
        ("To be continued...", False),
        ("", None),
    ],
)
def test_end_markers_set_state_and_leave_the_body(ending, complete):
    work = parse(PROSE + "\n\n" + ending + "\n\n<< back\n")
    assert work.complete is complete
    assert work.chapters[0].text.rstrip().endswith("slept much.")


def test_end_notes_after_the_end():
    work = parse(PROSE + "\n\nThe End\n\nA/N: Thanks for reading!")
    assert work.complete is True
    assert [b.text for b in work.chapters[0].end_notes] == ["A/N: Thanks for reading!"]


def test_only_header_is_no_story():
    with pytest.raises(NoStoryText):
        assemble_work(
            [Block(html="Author: Someone"), Block(html="&lt;&lt; back")], SourceInfo("text"), []
        )


def test_non_english_language_is_kept():
    work = parse(
        "Elle marchait le long de la plage, sans savoir où aller, et la mer montait doucement. " * 5
    )
    assert work.language == "fr"


def _wrap(paragraph: str, indent: str = "") -> str:
    import textwrap

    return textwrap.fill(paragraph, 70, initial_indent=indent)


WIND = "The wind came off the moor and rattled every window in the house, and nobody slept, least of all the youngest, who sat on the stairs and listened. "


def test_mailing_list_post_with_wrapped_text_and_separator():
    text = (
        "TITLE: Harbour Lights\nAUTHOR: Jo Quill\nEMAIL: jo@example.net\nSPOILERS: Season two\n"
        "SUMMARY: A night at the harbour, and what\ncame after it.\nARCHIVE: Ask first.\n\n-----\n\n"
        + "\n\n".join([_wrap(WIND * 2), _wrap(WIND * 3), "~~~", _wrap(WIND * 2)])
        + "\n\nTBC in part two!\n\nBack to Jo's Fiction | Home\n"
    )
    work = parse(text)
    assert work.title == "Harbour Lights" and work.creators[0].name == "Jo Quill"
    assert work.summary[0].text == "A night at the harbour, and what came after it."
    assert [b.text for b in work.notes] == ["Spoilers: Season two", "Archive: Ask first."]
    assert work.complete is False
    chapter = work.chapters[0]
    assert [b.kind for b in chapter.blocks] == ["p", "p", "break", "p"]
    assert chapter.blocks[0].text == (WIND * 2).strip()
    assert "jo@example.net" not in repr(work.chapters) + repr(work.notes)


def test_underlined_headings_and_indented_paragraphs():
    body = "\n".join(_wrap(WIND * 2, "    ") for _ in range(3))
    text = f"THE LONG WINTER\nby A. Writer\n\nCHAPTER ONE\n===========\n\n{body}\n\nCHAPTER TWO\n===========\n\n{body}\n\n                      THE END\n"
    work = parse(text)
    assert (work.title, work.complete) == ("THE LONG WINTER", True)
    assert [c.number for c in work.chapters] == [1, 2]
    assert all(len(c.blocks) == 3 and c.blocks[0].text == (WIND * 2).strip() for c in work.chapters)


def test_heading_and_title_on_consecutive_lines():
    work = parse("Chapter 1\nThe Letter\n\n" + PROSE + "\n\nChapter 2\nThe Reply\n\n" + PROSE)
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Letter"), (2, "The Reply")]


def test_epigraph_with_attribution_on_its_last_line():
    chapter = parse(
        "Chapter 1\n\n*Keep the lamp lit,\nkeep the watch,*\n- a rhyme\n\n" + PROSE
    ).chapters[0]
    assert chapter.epigraph[0].text == "Keep the lamp lit,\nkeep the watch,\n- a rhyme"
    assert chapter.text.startswith("The rain")


def test_legacy_table_layout_page():
    from pathlib import Path

    raw = (
        Path(__file__).resolve().parents[1] / "fixtures" / "html" / "legacy_table_layout.htm"
    ).read_bytes()
    work = parse_story(raw, "legacy_table_layout.htm")
    assert (work.title, [c.name for c in work.creators], work.rating) == (
        "Moonlight Serenade",
        ["Kitty"],
        "Mature",
    )
    assert work.tags_of("relationship") == ["Angel/Cordelia"]
    assert work.complete is True
    assert [c.value for c in work.contacts] == ["kitty99@hotmail.com"]
    chapter = work.chapters[0]
    assert chapter.epigraph[0].text.startswith("I see the moon")
    assert chapter.text.startswith("The hotel was quiet") and chapter.text.endswith(
        "never by accident."
    )
    assert [b.text for b in chapter.end_notes] == ["Feedback makes me write faster! Send some!"]
    assert "Home" not in chapter.text and "Mutant Enemy" not in chapter.text


def test_journal_post_with_trailing_tags_and_comment_links():
    from pathlib import Path

    raw = (
        Path(__file__).resolve().parents[1] / "fixtures" / "html" / "journal_post.html"
    ).read_bytes()
    work = parse_story(raw, "journal_post.html")
    assert (work.title, [c.name for c in work.creators]) == ("Paper Boats", ["writer_girl"])
    assert work.tags_of("fandom") == ["Merlin (BBC)"] and work.tags_of("freeform") == [
        "fic",
        "merlin",
    ]
    text = work.chapters[0].text
    assert text.startswith("Merlin had been folding") and text.endswith("a sheet of his own.")
    assert "comment" not in text and "reader1" not in text and "LiveJournal" not in text


def test_markdown_title_and_chapters():
    text = (
        "# Salt Roads\n\nby Ivo Marsh\n\n## Chapter 1: Out\n\n"
        + PROSE
        + "\n\n## Chapter 2: Back\n\n"
        + PROSE
        + "\n\n---\n\n"
        + PROSE
    )
    work = parse(text, "salt.md")
    assert (work.title, work.creators[0].name, work.source.format) == (
        "Salt Roads",
        "Ivo Marsh",
        "markdown",
    )
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Out"), (2, "Back")]
    assert [b.kind for b in work.chapters[1].blocks] == ["p", "break", "p"]


def test_markdown_raw_html_is_text_not_markup():
    work = parse(PROSE + "\n\n<script>alert(1)</script>", "x.md")
    assert "<script>" not in "".join(b.html for b in work.chapters[0].blocks)
