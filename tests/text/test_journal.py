"""Saved LiveJournal and Dreamwidth entries (sites/journal.py), one layout per fixture.

The fixtures in tests/fixtures/journal are written for these tests in the shapes of real
layouts (LJ S1 ~2003, an S2 style, the 2014 `b-singlepost` page, a Dreamwidth entry with
comments); no real entry text is in them.
"""

import json
from pathlib import Path

import pytest

from ficarchive.text.errors import NoStoryText
from ficarchive.text.inspect import work_to_dict
from ficarchive.text.model import TagType
from ficarchive.text.parse import parse_story
from ficarchive.text.sites.journal import read_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "journal"
PROSE = "Rain on the roof kept everyone awake, and the kettle sang until nearly dawn. " * 4
CHROME = [
    "Current Mood", "Current mood", "accomplished", "Current Music", "Current Location", "Mood:",
    "Leave a comment", "Post a new comment", "Reply", "Thread", "Previous Entry", "Next Entry",
    "Tell a Friend", "Add to Memories", "Powered by", "Log in", "Login", "Share", "Flag",
    "Recent Entries", "comments",
]  # fmt: skip
COMMENTERS = ["readerbee", "seaglass", "inkcap", "adore the miller", "part three", "immediately",
              "Thank you so much"]  # fmt: skip


def fixture(name: str):
    return parse_story((FIXTURES / name).read_bytes(), name)


def public_text(work) -> str:
    data = work_to_dict(work)
    data.pop("warnings", None)
    return json.dumps(data, ensure_ascii=False)


# (fixture, site, url, title, creators, rating, published, part, expected_chapters, complete)
LAYOUTS = [
    ("lj_s1_2003.html", "livejournal", "", "Lanterns on the Weir", ["quillmoth"],
     "General Audiences", "2003-05-12", None, None, True),
    ("lj_s2_generator.html", "livejournal", "http://community.livejournal.com/fic_exchange/77123.html",
     "Salt and Iron", ["tidewright"], "Mature", "2008-11-03", 2, 3, False),
    ("lj_modern_2014.html", "livejournal", "https://nightjar-writes.livejournal.com/20931.html",
     "The Cartographer's Apprentice", ["nightjar_writes"], "General Audiences", "2014-03-09", 1, 3, False),
    ("dw_entry_comments.html", "dreamwidth", "https://winter-exchange.dreamwidth.org/4821.html",
     "Under the Glass Roof", ["fernhollow"], "Teen And Up Audiences", "2011-12-24", None, None, True),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, site, url, title, creators, rating, published, part, expected, complete", LAYOUTS
)
def test_entry_facts(name, site, url, title, creators, rating, published, part, expected, complete):
    work = fixture(name)
    assert (work.source.format, work.source.site, work.source.url) == ("journal-entry", site, url)
    assert (work.title, work.title_missing) == (title, False)
    assert [c.name for c in work.creators] == creators
    assert work.rating == rating and work.tags_of(TagType.RATING) == [rating]
    assert work.published == published
    assert (work.part, work.expected_chapters, work.complete) == (part, expected, complete)
    assert len(work.chapters) == 1


@pytest.mark.parametrize("name", [row[0] for row in LAYOUTS])
def test_no_chrome_or_comments_anywhere(name):
    work = fixture(name)
    text = public_text(work)
    for residue in CHROME + COMMENTERS:
        assert residue not in text, residue
    assert "Title:" not in work.chapters[0].text and "Rating:" not in work.chapters[0].text


@pytest.mark.parametrize(
    "name, first_words, last_words",
    [
        ("lj_s1_2003.html", "The miller's daughter", "lantern on the weir."),
        ("lj_s2_generator.html", "The forge had gone cold", "nearly done."),
        ("lj_modern_2014.html", "Ines had drawn", "until the light changed."),
        ("dw_entry_comments.html", "The frost came", "since dawn."),
    ],
)
def test_text_behind_the_cut_is_kept(name, first_words, last_words):
    text = fixture(name).chapters[0].text
    assert text.startswith(first_words) and text.endswith(last_words)


def test_creator_gets_the_journal_profile():
    (creator,) = fixture("lj_modern_2014.html").creators
    assert creator.url == "https://nightjar-writes.livejournal.com/"
    (creator,) = fixture("dw_entry_comments.html").creators
    assert creator.url == "https://fernhollow.dreamwidth.org/"


def test_community_post_credits_the_poster_not_the_community():
    for name in ("lj_s2_generator.html", "dw_entry_comments.html"):
        work = fixture(name)
        assert work.creators[0].name not in ("fic_exchange", "winter_exchange")


def test_entry_tags_typed_when_obvious():
    work = fixture("lj_s2_generator.html")
    # "pairing: marit/jonah" is the header's pairing; "author: tidewright" is no tag at all.
    assert work.tags_of(TagType.RELATIONSHIP) == ["Marit/Jonah"]
    assert work.tags_of(TagType.WARNING) == ["Major Character Death"]
    assert work.tags_of(TagType.FREEFORM) == ["smithing"]
    dw = fixture("dw_entry_comments.html")
    assert dw.tags_of(TagType.FANDOM) == ["Original Work"]
    assert dw.tags_of(TagType.FREEFORM) == ["gardening"]
    assert dw.tags_of(TagType.WARNING) == ["No Archive Warnings Apply"]


def test_post_header_is_metadata_not_text():
    work = fixture("dw_entry_comments.html")
    assert work.tags_of(TagType.RELATIONSHIP) == ["Tamsin/Odile"]
    assert [b.text for b in work.summary] == [
        "Two gardeners keep a glasshouse alive through the worst frost in forty years."
    ]
    assert [b.text for b in work.notes] == ["Recipient: birchbark"]


def test_end_marker_then_author_note():
    work = fixture("dw_entry_comments.html")
    chapter = work.chapters[0]
    assert "Fin" not in chapter.text
    assert [b.text[:15] for b in chapter.end_notes] == ["Happy holidays,"]
    s1 = fixture("lj_s1_2003.html").chapters[0]
    assert [b.text[:16] for b in s1.end_notes] == ["Thank you for re"]


def test_old_page_without_closing_tags_is_read():
    raw = (FIXTURES / "lj_s1_2003.html").read_bytes()
    assert b"</body>" not in raw and b"</html>" not in raw
    assert fixture("lj_s1_2003.html").chapters[0].word_count > 100


def test_a_page_listing_several_entries_is_refused_with_advice():
    entry = '<div class="entry"><h3 class="entry-title">Day {n}</h3><div class="entry-content">{p}</div></div>'
    markup = (
        '<html><head><link rel="canonical" href="https://someone.dreamwidth.org/"></head><body>'
        + "".join(entry.format(n=n, p=PROSE) for n in (1, 2))
        + "</body></html>"
    )
    with pytest.raises(NoStoryText, match="entry's own page"):
        parse_story(markup.encode(), "recent.html")


def test_lastn_cut_link_warns_that_the_text_is_elsewhere():
    markup = (
        '<html><head><meta property="og:url" content="https://someone.livejournal.com/55.html"></head>'
        f'<body><h3 class="entry-title">A story</h3><div class="entry-content"><p>{PROSE}</p>'
        '<p><a href="https://someone.livejournal.com/55.html#cutid1">Read more...</a></p></div></body></html>'
    )
    work = parse_story(markup.encode(), "55.html")
    assert any("cut text is not on this page" in w for w in work.warnings)
    assert "Read more" not in work.chapters[0].text


def test_a_personal_site_linking_to_a_journal_is_not_a_journal_page():
    markup = (
        f"<html><head><title>Salt</title></head><body><h1>Salt</h1><p>by Mara</p><p>{PROSE}</p><p>{PROSE}</p>"
        '<p>Also on <a href="https://mara.livejournal.com/">my journal</a>.</p></body></html>'
    )
    work = parse_story(markup.encode(), "salt.html")
    assert work.source.site == "" and [c.name for c in work.creators] == ["Mara"]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Dec. 24th, 2011", "2011-12-24"),
        ("Monday, May 12th, 2003 10:42 pm", "2003-05-12"),
        ("2003-05-12 14:23", "2003-05-12"),
        ("3 Sept 2009", "2009-09-03"),
        ("no date here", None),
    ],
)
def test_read_date(text, iso):
    assert read_date(text) == iso


# --- layouts met on real pages (otwarchive's recorded import pages), rewritten in our words ----


def test_light_talkread_page_drops_byline_crosspost_and_tag_rows():
    """The old "light" entry page: no entry container, a `Name (user) wrote, @ date` byline, the
    subject repeated with its `[FIC]` tag and part, a `.currents` table whose "Entry tags:" row
    sits in two cells, and a crossposter's "originally posted at" footer."""
    work = fixture("dw_light_talkread.html")
    assert (work.source.site, work.source.url) == (
        "dreamwidth",
        "http://mossgate.dreamwidth.org/5120.html",
    )
    assert (work.title, work.part, work.expected_chapters) == ("Ferry at Low Tide", 2, 3)
    assert [c.name for c in work.creators] == ["mossgate"]
    assert work.published == "2009-03-14"
    assert work.tags_of(TagType.FANDOM) == ["tidewater"]
    assert "fic" in work.tags_of(TagType.FREEFORM)
    text = work.chapters[0].text
    assert text.startswith("The ferryman counted the gulls twice")
    assert text.endswith("then both of them laughed.")
    shown = public_text(work)
    for chrome in ("wrote,", "Wren Alder", "@ 2009", "originally posted at", "OpenID",
                   "Entry tags", "Current Mood", "sleepy", "[FIC]", "harbourlight"):  # fmt: skip
        assert chrome not in shown, chrome


def test_adult_content_notice_is_refused_with_how_to_save_the_entry():
    with pytest.raises(NoStoryText, match="adult-content notice.*save the page that follows"):
        fixture("lj_adult_notice.html")


@pytest.mark.parametrize(
    "line, kept",
    [
        ("This entry was originally posted at http://a.dreamwidth.org/1.html. Please comment there using OpenID.", False),
        ("Mirrored from http://example.org/blog/7.", False),
        ("Originally published at Some Blog. You can comment here or there.", False),
        ("comment count unavailable comments", False),
        ("This entry was the hardest thing I ever wrote, and the ferry never came back.", True),
    ],
)  # fmt: skip
def test_crosspost_notice_lines(line, kept):
    html = (
        "<html><head><link rel='canonical' href='https://tern.livejournal.com/9.html'></head><body>"
        f"<div class='entry-content'><p>{PROSE}</p><p>{line}</p></div></body></html>"
    )
    work = parse_story(html.encode(), "9.html")
    assert (line in work.chapters[0].text) is kept


@pytest.mark.parametrize(
    "byline, dropped",
    [
        ("Tern Gale (tern) wrote,", True),
        ("tern wrote in saltmarsh_fic, @ 2008-04-02 10:11:00", True),
        ("someone_else (someone_else) wrote,", False),
    ],
)
def test_byline_lines_only_for_the_poster(byline, dropped):
    html = (
        "<html><head><link rel='canonical' href='https://tern.livejournal.com/9.html'></head><body>"
        f"<div class='entry-content'><p>{byline}</p><p>{PROSE}</p></div></body></html>"
    )
    work = parse_story(html.encode(), "9.html")
    assert (byline.split(",")[0] in work.chapters[0].text) is not dropped
