"""Page chrome in titles, bylines with email links, header lines, end markers, truncation."""

import pytest

from ficarchive.text.errors import TruncatedFile
from ficarchive.text.headers import classify_warning, normalise_rating, split_field_line
from ficarchive.text.html import truncation_reason
from ficarchive.text.model import TagType
from ficarchive.text.parse import parse_story
from ficarchive.text.titles import CleanTitle, clean_title

PROSE = "The rain kept on through the night, and nobody in the house slept much that week. " * 3


def page(markup: str, name: str = "story.html"):
    return parse_story(markup.encode("utf-8"), name)


@pytest.mark.parametrize(
    "raw, names, expected",
    [
        ("user | [FIC] Salt", ["user"], CleanTitle("Salt")),
        ("journal: [fic] Salt (1/3)", ["journal"], CleanTitle("Salt", 1, 3)),
        ("Salt - FanFiction.Net", [], CleanTitle("Salt")),
        ("Salt Chapter 2, a harry potter fanfic | FanFiction", [], CleanTitle("Salt")),
        ("Salt - Chapter 1 - Mara - Original Work [Archive of Our Own]", [], CleanTitle("Salt")),
        ("Salt - Mara - Original Work [Archive of Our Own]", [], CleanTitle("Salt")),
        ("[FIC] Salt and Iron, part 2/3", [], CleanTitle("Salt and Iron", 2, 3)),
        ("Fic: Paper Boats (Merlin, Arthur/Merlin, PG)", [], CleanTitle("Paper Boats")),
        ("Salt, Part Two", [], CleanTitle("Salt", 2)),
        ("Salt [3/?]", [], CleanTitle("Salt", 3)),
        ("Salt by Mara", ["Mara"], CleanTitle("Salt")),
        ("LiveJournal: quillmoth - Salt", ["quillmoth"], CleanTitle("Salt")),
        # Not chrome: left alone.
        ("Catch-22", [], CleanTitle("Catch-22")),
        ("Part 2", [], CleanTitle("Part 2")),
        ("1984", [], CleanTitle("1984")),
        ("Salt (and Other Stories)", [], CleanTitle("Salt (and Other Stories)")),
        ("Fiction: A Love Story", [], CleanTitle("A Love Story")),
    ],
)
def test_clean_title(raw, names, expected):
    assert clean_title(raw, names) == expected


def test_legacy_page_title_chrome_and_part():
    work = page(
        f"<html><head><title>Salt (2/5) - FanFiction.Net</title></head><body><p>{PROSE}</p><p>{PROSE}</p></body></html>"
    )
    assert (work.title, work.part, work.expected_chapters) == ("Salt", 2, 5)


@pytest.mark.parametrize(
    "byline",
    [
        'By Jane Doe <a href="mailto:jane@example.org">email</a>',
        'by <a href="mailto:jane@example.org">Jane Doe</a>',
        "Author: Jane Doe (jane@example.org)",
        'by Jane Doe (<a href="mailto:jane@example.org">jane@example.org</a>)',
        'Author: Jane Doe &lt;<a href="mailto:jane@example.org">e-mail me</a>&gt;',
    ],
)
def test_byline_with_email_keeps_its_creator(byline):
    work = page(
        f"<html><body><h1>Salt</h1><p>{byline}</p><p>{PROSE}</p><p>{PROSE}</p></body></html>"
    )
    assert [c.name for c in work.creators] == ["Jane Doe"]
    assert [c.value for c in work.contacts] == ["jane@example.org"]
    assert "jane@" not in str(
        [b.html for c in work.chapters for b in c.blocks] + [b.html for b in work.notes]
    )


@pytest.mark.parametrize(
    "line, pieces",
    [
        ("Rating: PG-13 | Pairing: Ada/Bea | Warnings: none", ["Rating: PG-13", "Pairing: Ada/Bea", "Warnings: none"]),
        ("Rating: R Pairing: Ada/Bea", ["Rating: R", "Pairing: Ada/Bea"]),
        ("Summary: She said the title: no.", ["Summary: She said the title: no."]),
        ("He wrote the title: Salt.", ["He wrote the title: Salt."]),
    ],
)  # fmt: skip
def test_split_field_line(line, pieces):
    assert split_field_line(line) == pieces


@pytest.mark.parametrize(
    "raw, rating",
    [("G", "General Audiences"), ("K", "General Audiences"), ("PG", "General Audiences"),
     ("PG-13", "Teen And Up Audiences"), ("T", "Teen And Up Audiences"), ("R", "Mature"),
     ("M", "Mature"), ("NC-17", "Explicit"), ("FR15", "Teen And Up Audiences")],
)  # fmt: skip
def test_rating_table(raw, rating):
    assert normalise_rating(raw) == rating


@pytest.mark.parametrize(
    "text, warning",
    [("none", "No Archive Warnings Apply"), ("character death", "Major Character Death"),
     ("violence", "Graphic Depictions Of Violence"), ("non-con", "Rape/Non-Con"),
     ("underage", "Underage"), ("angst", None), ("death of a dream, sort of", None)],
)  # fmt: skip
def test_classify_warning(text, warning):
    assert classify_warning(text) == warning


def test_header_lines_become_rating_and_tags_not_notes():
    markup = (
        "<html><body><p>Written for the summer swap, enjoy!</p>"
        "<p>Title: Salt<br>Author: Mara<br>Fandom: Original Work<br>Rating: PG-13 | Pairing: Ada/Bea<br>"
        "Characters: Ada, Bea<br>Warnings: character death, angst<br>Prompt: the sea</p>"
        f"<h2>Chapter 1</h2><p>{PROSE}</p><h2>Chapter 2</h2><p>{PROSE}</p></body></html>"
    )
    work = page(markup)
    assert (work.title, [c.name for c in work.creators]) == ("Salt", ["Mara"])
    assert work.rating == "Teen And Up Audiences"
    assert work.tags_of(TagType.FANDOM) == ["Original Work"]
    assert work.tags_of(TagType.RELATIONSHIP) == ["Ada/Bea"]
    assert work.tags_of(TagType.CHARACTER) == ["Ada", "Bea"]
    assert work.tags_of(TagType.WARNING) == ["Major Character Death"]
    assert work.tags_of(TagType.FREEFORM) == ["angst"]
    assert [b.text for b in work.notes] == [
        "Written for the summer swap, enjoy!",
        "Prompt: the sea",
    ]
    assert len(work.chapters) == 2


def test_warnings_written_as_a_sentence_stay_a_note():
    work = page(
        f"<html><body><p>Title: Salt<br>Rating: R<br>Warnings: there is a death but it is not who you think</p><p>{PROSE}</p></body></html>"
    )
    assert [b.text for b in work.notes] == [
        "Warnings: there is a death but it is not who you think"
    ]


@pytest.mark.parametrize("marker", ["The End", "~Fin~", "END", "Owari", "-~*~The End~*~-", "fin."])
def test_centred_end_marker_ends_the_story(marker):
    markup = (
        f"<html><body><p>{PROSE}</p><p>{PROSE}</p><center>{marker}</center>"
        "<p>Thanks so much to my beta, who fixed every comma and most of the plot.</p>"
        '<p>Want more? My other stories are <a href="index.html">on the main page</a> of this site.</p>'
        "</body></html>"
    )
    work = page(markup)
    (chapter,) = work.chapters
    assert work.complete is True
    assert chapter.text.endswith("that week.")
    assert [b.text[:11] for b in chapter.end_notes] == ["Thanks so m", "Want more? "]


def test_the_end_inside_the_story_is_not_an_end():
    long_tail = " ".join([PROSE] * 8)  # longer than an end note
    work = page(f"<html><body><p>{PROSE}</p><p>The end.</p><p>{long_tail}</p></body></html>")
    assert work.chapters[0].text.endswith("that week.") and not work.chapters[0].end_notes


@pytest.mark.parametrize(
    "markup",
    [
        f"<html><body><p>{PROSE}</p><p>The End</p>",  # hand-written page that never closes
        f"<html><body><font face=arial>{PROSE}<br><br>{PROSE}</font>",
        f"<html><body><p>{PROSE}</p><p><a href=index.html>&lt;&lt; Back</a>",
        f"<html><body><p>{PROSE}</p><center>The End</center>\n",
    ],
)
def test_unclosed_old_page_is_not_truncated(markup):
    assert truncation_reason(markup) is None
    assert page(markup).chapters


@pytest.mark.parametrize(
    "markup, reason",
    [
        (f"<html><body><p>{PROSE}</p><p>And then she", "middle of a sentence"),
        (f"<html><body><p>{PROSE}</p><p class=", "middle of a tag"),
        (f"<html><body><p>{PROSE}</p><!-- counter", "middle of a tag or comment"),
        (f"<html><head><title>x</title></head><body><p>{PROSE}", "ever closed"),
    ],
)
def test_truncated_page_says_why(markup, reason):
    assert reason in (truncation_reason(markup) or "")
    with pytest.raises(TruncatedFile, match=reason):
        page(markup)
