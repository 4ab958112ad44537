"""HTML pages to works: site readers (AO3, fanfiction.net, eFiction) and legacy pages.

Synthetic pages live in tests/fixtures/html (written for these tests). The real files in
../shared/corpora/fanfic-dev are only read, never copied: we assert facts about them.
"""

import json
from pathlib import Path

import pytest

from ficarchive.text.errors import NoStoryText, TruncatedFile
from ficarchive.text.html import parse_html
from ficarchive.text.inspect import work_to_dict
from ficarchive.text.model import SourceInfo, TagType
from ficarchive.text.parse import parse_story

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "fanfic-dev"
CHROME = [
    "Kudos",
    "Comments",
    "Leave Kudos",
    "Share",
    "Bookmark",
    "Follow/Fav",
    "Post Review",
    "Previous Chapter",
]
PROSE = (
    "The rain kept on through the night, and nobody in the house slept much that week at all. " * 3
)


def fixture(name: str):
    path = FIXTURES / name
    return parse_story(path.read_bytes(), name)


def page(markup: str, name: str = "story.html"):
    return parse_story(markup.encode("utf-8"), name)


def all_text(work) -> str:
    """Everything public about the work except our own warnings (which quote what was dropped)."""
    data = work_to_dict(work)
    data.pop("warnings", None)
    return json.dumps(data, ensure_ascii=False)


# --- AO3 -----------------------------------------------------------------------------------------


def test_ao3_download_metadata():
    work = fixture("ao3-download.html")
    assert (work.source.format, work.source.site) == ("ao3-download", "ao3")
    assert work.source.url == "https://archiveofourown.org/works/1000001"
    assert work.title == "The Lantern Keeper" and not work.title_missing
    assert [c.name for c in work.creators] == ["testwriter", "cowriter"]
    assert work.creators[0].url.endswith("/users/testwriter/pseuds/testwriter")
    assert work.rating == "Teen And Up Audiences"
    assert work.tags_of(TagType.RATING) == ["Teen And Up Audiences"]
    assert work.tags_of(TagType.WARNING) == ["No Archive Warnings Apply"]
    assert work.tags_of(TagType.CATEGORY) == ["F/F", "Gen"]
    assert work.tags_of(TagType.FANDOM) == ["Original Work"]
    assert work.tags_of(TagType.RELATIONSHIP) == ["Ada/Bea"]
    assert work.tags_of(TagType.CHARACTER) == ["Ada", "Bea"]
    assert work.tags_of(TagType.FREEFORM) == ["Lighthouses", "Slow Burn"]
    assert work.language == "en"
    assert (work.published, work.updated) == ("2019-01-01", "2019-03-05")
    assert (work.complete, work.expected_chapters) == (False, 3)
    assert work.summary[0].html == "A keeper, a storm, and a <em>very</em> stubborn lamp."
    assert [b.text for b in work.notes] == ["Written for a prompt about light."]
    assert [b.text for b in work.end_notes] == ["Thank you for reading."]


def test_ao3_download_chapters():
    work = fixture("ao3-download.html")
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Storm"), (2, "")]
    first, second = work.chapters
    assert [b.kind for b in first.blocks] == ["p", "break", "p"]
    assert [b.text for b in first.summary] == ["Wind arrives."]
    assert [b.text for b in first.notes] == ["Thanks to my beta."]
    assert [b.text for b in first.end_notes] == ["More soon."]
    assert [b.kind for b in second.blocks] == ["p", "break", "p"]
    text = all_text(work)
    assert "Posted originally" not in text and "drop by the Archive" not in text
    assert "See the end of the work" not in text


def test_ao3_work_page_reads_only_the_work():
    work = fixture("ao3-work-page.html")
    assert (work.source.format, work.source.site) == ("ao3-page", "ao3")
    assert work.title == "La Gardienne"
    assert [c.name for c in work.creators] == ["testwriter"]
    assert work.rating == "Mature" and work.language == "fr"
    assert work.tags_of(TagType.WARNING) == ["Graphic Depictions Of Violence"]
    assert work.tags_of(TagType.CHARACTER) == ["Ada", "Bea"]
    assert (work.published, work.updated, work.complete, work.expected_chapters) == (
        "2019-01-01",
        "2019-04-01",
        True,
        3,
    )
    assert [b.text for b in work.summary] == ["Une gardienne et une tempête."]
    (chapter,) = work.chapters
    assert (chapter.number, chapter.title) == (2, "La Route")  # the chapter's real number
    assert [b.kind for b in chapter.blocks] == ["p", "break", "p"]
    assert [b.text for b in chapter.notes] == ["Merci à ma bêta."]
    assert [b.text for b in chapter.end_notes] == ["La suite bientôt."]
    text = all_text(work)
    for chrome in [
        *CHROME,
        "Chapter Text",
        "Archive of Our Own",
        "Footer",
        "left kudos",
        "Fandoms",
    ]:
        assert chrome not in text


# --- fanfiction.net ------------------------------------------------------------------------------


def test_ffn_chapter_page():
    work = fixture("ffn-chapter.html")
    assert (work.source.format, work.source.site) == ("ffn-page", "ffn")
    assert work.source.url == "https://www.fanfiction.net/s/1234567/3/Lantern-Keeper"
    assert work.title == "Lantern Keeper"
    assert [(c.name, c.url) for c in work.creators] == [
        ("Test Writer", "https://www.fanfiction.net/u/7654321/Test-Writer")
    ]
    assert work.rating == "General Audiences" and work.tags_of(TagType.RATING) == [
        "General Audiences"
    ]
    assert work.language == "en"
    assert work.tags_of(TagType.FREEFORM) == ["Hurt/Comfort", "Romance"]
    assert work.tags_of(TagType.RELATIONSHIP) == ["Harry P./Hermione G."]
    assert work.tags_of(TagType.CHARACTER) == ["Harry P.", "Hermione G.", "Luna L."]
    assert work.tags_of(TagType.FANDOM) == ["Harry Potter"]
    assert (work.complete, work.expected_chapters) == (True, 5)
    assert (work.published, work.updated) == ("2019-01-01", "2019-03-08")
    assert [b.text for b in work.summary] == ["A keeper at Hogwarts. Lights, tides and owls."]
    (chapter,) = work.chapters
    assert (chapter.number, chapter.title) == (3, "Tides")
    assert [b.kind for b in chapter.blocks] == ["p", "break", "p", "p"]
    assert chapter.blocks[-1].html == "<em>Keep it lit,</em> he thought."
    assert any("chapter 3 of 5" in w for w in work.warnings)
    text = all_text(work)
    for chrome in [*CHROME, "Next &gt;", "Next >", "Privacy", "unleash"]:
        assert chrome not in text


def test_ffn_chapter_page_of_2010_to_2013_without_a_profile_box():
    work = fixture("ffn-chapter-2012.html")
    assert (work.source.site, work.title) == ("ffn", "Tin Kettle")
    assert [(c.name, c.url) for c in work.creators] == [
        ("Ostrander", "https://www.fanfiction.net/u/123456/Ostrander")
    ]
    assert (work.rating, work.language, work.published) == (
        "Teen And Up Audiences",
        "en",
        "2012-03-04",
    )
    assert (work.complete, work.expected_chapters) == (True, 3)
    assert [(c.number, c.title) for c in work.chapters] == [(2, "Steam")]
    assert work.tags_of("fandom") == ["Firefly"]
    assert "Humor" in work.tags_of("freeform") and "Complete" not in work.tags_of("character")
    text = work.chapters[0].text
    assert text.startswith("The kettle had been whistling") and "Sign In" not in text


@pytest.mark.parametrize(
    ("letter", "rating"),
    [
        ("K", "General Audiences"),
        ("K+", "General Audiences"),
        ("T", "Teen And Up Audiences"),
        ("M", "Mature"),
        ("MA", "Explicit"),
    ],
)
def test_ffn_ratings(letter, rating):
    markup = (
        (FIXTURES / "ffn-chapter.html").read_text().replace("Fiction  K+", f"Fiction  {letter}")
    )
    assert page(markup, "ffn.html").rating == rating


# --- eFiction ------------------------------------------------------------------------------------


def test_efiction_chapter_page():
    work = fixture("efiction-chapter.html")
    assert (work.source.format, work.source.site) == ("efiction-page", "efiction")
    assert work.title == "Lantern Keeper"
    assert [c.name for c in work.creators] == ["Test Writer"]
    assert [b.text for b in work.summary] == ["A keeper and a storm."]
    (chapter,) = work.chapters
    assert (chapter.number, chapter.title) == (2, "Road")
    assert [b.kind for b in chapter.blocks] == ["p", "break", "p"]
    assert [b.text for b in chapter.notes] == ["Thanks to my beta reader."]
    assert [b.text for b in chapter.end_notes] == ["Next: the owls."]
    assert "Most Recent" not in all_text(work) and "Powered by" not in all_text(work)


def test_efiction_index_page_is_not_a_story():
    with pytest.raises(NoStoryText, match="index page.*import the chapter pages"):
        fixture("efiction-index.html")


# --- legacy pages (generic path through structure.assemble_work) ---------------------------------

LEGACY = f"""<html><head><title>Rest and Quiet by Jane Roe</title></head><body bgcolor=black>
<div id="navbar"><a href="/">Home</a> | <a href="/fics">Fics</a> | <a href="/links">Links</a></div>
<center><h1>Rest and Quiet</h1></center>
<p>Author: Jane Roe (<a href="mailto:jane@example.org">jane@example.org</a>)<br>Rating: PG-13<br>Summary: A short one.</p>
<hr>
{PROSE}<br><br>{PROSE}<br><br><center>* * *</center><br>{PROSE}
<br><br>Feedback to <a href="mailto:jane@example.org">jane@example.org</a>
<p align=center>The End</p>
<p><a href="index.html">&lt;&lt; Back</a></p>
<div class="footer">Copyright 2001 Jane's Fic Page. All rights reserved.</div>
</body></html>"""


def test_legacy_page():
    work = page(LEGACY)
    assert (work.source.format, work.source.site) == ("html", "")
    assert work.title == "Rest and Quiet" and not work.title_missing
    assert [c.name for c in work.creators] == ["Jane Roe"]
    assert work.rating == "Teen And Up Audiences"
    assert [b.text for b in work.summary] == ["A short one."]
    assert work.complete is True
    (chapter,) = work.chapters
    assert [b.kind for b in chapter.blocks] == ["p", "p", "break", "p"]
    assert chapter.text.endswith("that week at all.")
    text = all_text(work)
    for residue in ["Home", "Back", "Copyright", "The End", "Feedback"]:
        assert residue not in text


def test_legacy_page_email_is_private():
    work = page(LEGACY)
    assert [(c.kind, c.value) for c in work.contacts] == [("email", "jane@example.org")]
    assert "jane@example.org" not in all_text(work)


def test_legacy_table_layout():
    markup = f"""<html><head><title>Fics: Salt</title></head><body><table width=100%><tr>
    <td width=150><a href=index.html>Home</a><br><a href=fics.html>Fics</a><br><a href=links.html>Links</a><br>
    <a href=mailto:webmaster@site.example>Webmaster</a></td>
    <td><font face=verdana size=2><b>Salt</b><br>by Mara<br>Rating: G<br><br>{PROSE}<br><br>{PROSE}<br><br>
    <div align=center>oOo</div><br>{PROSE}</font></td></tr></table>
    <p>Site run by webmaster@site.example</p></body></html>"""
    work = page(markup)
    assert work.title == "Salt" and [c.name for c in work.creators] == ["Mara"]
    assert work.rating == "General Audiences"
    assert [b.kind for b in work.chapters[0].blocks] == ["p", "p", "break", "p"]
    assert work.contacts == []  # the site's own address is nobody's contact
    assert "webmaster" not in all_text(work).lower() and "Home" not in all_text(work)


def test_efiction_chapter_in_unknown_skin_is_read_generically():
    markup = f"""<html><head><title>Salt by Mara</title></head><body>
    <div id="pagetitle"><a href="viewstory.php?sid=9">Salt</a> by <a href="viewuser.php?uid=2">Mara</a></div>
    <div class="storybody"><p>{PROSE}</p><p>{PROSE}</p></div>
    <div id="next"><a href="viewstory.php?sid=9&amp;chapter=2">Next chapter &gt;&gt;</a></div></body></html>"""
    work = page(markup)
    assert work.source.format == "html"
    assert work.title == "Salt" and [c.name for c in work.creators] == ["Mara"]
    assert work.chapters[0].text.startswith("The rain kept on")
    assert "Next chapter" not in all_text(work)


def test_legacy_page_chapters_and_title_from_head():
    markup = f"""<html><head><title>Two Parts</title></head><body>
    <h2>Chapter 1: Start</h2><p>{PROSE}</p><p>~~~</p><p>{PROSE}</p><h2>Chapter 2: End</h2><p>{PROSE}</p><p>TBC</p>
    </body></html>"""
    work = page(markup)
    assert work.title == "Two Parts"
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Start"), (2, "End")]
    assert [b.kind for b in work.chapters[0].blocks] == ["p", "break", "p"]
    assert work.complete is False


def test_legacy_bare_text_with_br_paragraphs():
    markup = f"<html><body>{PROSE}<br><br>{PROSE}<br>\n<br>{PROSE}</body></html>"
    work = page(markup)
    assert [b.kind for b in work.chapters[0].blocks] == ["p", "p", "p"]
    assert work.title_missing


def test_index_page_is_reported():
    markup = """<html><head><title>My Story</title></head><body><h1>My Story</h1><p>A story about things.</p>
    <ul><li><a href="ch1.html">Chapter 1</a></li><li><a href="ch2.html">Chapter 2</a></li>
    <li><a href="ch3.html">Chapter 3</a></li></ul></body></html>"""
    with pytest.raises(NoStoryText, match="index page"):
        page(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body></body></html>",
        "<html><body><img src=a.png><script>x()</script></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_page_without_text(markup):
    with pytest.raises(NoStoryText):
        page(markup)


@pytest.mark.parametrize(
    "markup",
    [
        f"<html><head><title>x</title></head><body><p>{PROSE}",
        f"<!DOCTYPE html>\n<html lang=en><body><p>{PROSE}</p><p>And then she",
    ],
)
def test_truncated_page(markup):
    with pytest.raises(TruncatedFile, match="download or save the page again"):
        page(markup)


def test_fragment_without_html_tag_is_not_truncated():
    work = page(f"<p>{PROSE}</p><p>{PROSE}</p>", "story.htm")
    assert len(work.chapters) == 1


def test_parse_html_sets_source():
    source = SourceInfo(format="html")
    work = parse_html((FIXTURES / "ao3-download.html").read_text(), source, [])
    assert work.source is source and source.site == "ao3"


# --- real files from ../shared (skipped when absent) ---------------------------------------------


def corpus(name: str):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return parse_story(path.read_bytes(), name)


def assert_no_chrome(work):
    for chapter in work.chapters:
        for chrome in CHROME:
            assert chrome not in chapter.text, (chapter.number, chrome)


@pytest.mark.shared
def test_corpus_ao3_download_fire_and_feather():
    work = corpus("ao3-dl-html_fire-and-feather.html")
    assert work.source.format == "ao3-download"
    assert work.title == "Fire and Feather"
    assert [c.name for c in work.creators] == ["nianeyna"]
    assert work.tags_of(TagType.FANDOM) == ["Valdemar Series - Mercedes Lackey"]
    assert work.rating == "General Audiences"
    assert (work.complete, work.expected_chapters) == (False, None)
    assert (work.published, work.updated) == ("2006-07-09", "2007-06-25")
    assert [c.title for c in work.chapters] == ["Festival", "Riversong K'Vala", "Conversations"]
    assert work.chapters[0].text.startswith("A/N: Yay!")
    assert any(b.kind == "break" for b in work.chapters[0].blocks)  # "xxx" between scenes
    assert work.summary and work.notes
    assert_no_chrome(work)


@pytest.mark.shared
def test_corpus_ao3_download_world_on_his_wrist():
    work = corpus("ao3-dl-html_the-world-on-his-wrist.html")
    assert work.title == "The World on His Wrist"
    assert [c.name for c in work.creators] == ["bendingsignpost"]
    assert work.tags_of(TagType.FANDOM) == ["Sherlock (TV)"]
    assert "Sherlock Holmes/John Watson" in work.tags_of(TagType.RELATIONSHIP)
    assert (work.complete, work.expected_chapters, work.language) == (True, 8, "en")
    assert len(work.chapters) == 8
    assert [c.title for c in work.chapters][:3] == ["Prologue", "", "Part 2"]
    assert work.chapters[-1].title == "Epilogue"
    first = work.chapters[0]
    assert first.text.startswith("John Watson owns two watches.")
    assert first.text.endswith("A careful observer would be wrong.")
    # <br><br> paragraphs inside one <p>, and long runs of <br> between scenes
    assert len(first.blocks) > 20 and any(b.kind == "break" for b in first.blocks)
    assert 30_000 < work.word_count < 33_000
    assert_no_chrome(work)


@pytest.mark.shared
def test_corpus_ao3_download_chinese():
    work = corpus("ao3-dl-html_fu-sheng-ruo-ji_zh.html")
    assert work.language == "zh"
    assert work.title == "浮生若寄"
    assert [c.name for c in work.creators] == ["ChiefAccelerator"]
    assert work.tags_of(TagType.FANDOM) == ["Ginga Eiyuu Densetsu | Legend of the Galactic Heroes"]
    assert (work.complete, work.expected_chapters) == (True, 15)
    assert len(work.chapters) == 15
    assert work.chapters[0].title == "不顾一切的最初时光"
    assert all(c.end_notes for c in work.chapters)
    assert "Chapter End Notes" not in all_text(work)


@pytest.mark.shared
def test_corpus_ao3_web_page():
    work = corpus("ao3-web_so-i-open-the-window.html")
    assert work.source.format == "ao3-page"
    assert work.source.url.endswith("/works/41822007")
    assert work.title == "so I open the window to hear sounds of people"
    assert [c.name for c in work.creators] == ["oriflamme"]
    assert work.tags_of(TagType.FANDOM) == [
        "The Locked Tomb Series | Gideon the Ninth Series - Tamsyn Muir"
    ]
    assert (work.rating, work.complete, work.expected_chapters, work.published) == (
        "Teen And Up Audiences",
        True,
        1,
        "2022-09-20",
    )
    (chapter,) = work.chapters
    assert chapter.text.startswith("1. If you find yourself in a hole, stop digging.")
    assert chapter.text.endswith('"Good morning, Mercy," says God. "Welcome to the First."')
    assert any(b.kind == "break" for b in chapter.blocks)
    assert work.end_notes
    assert_no_chrome(work)
    assert "Work Text" not in all_text(work)


@pytest.mark.shared
def test_corpus_efiction_index_page():
    with pytest.raises(NoStoryText, match="index page"):
        corpus("efiction-hpfanficarchive_the-mercenary-of-hogwarts.html")


@pytest.mark.shared
def test_corpus_ffn_oneshot_page():
    work = corpus("ffn_harry-potter-and-the-unicorns-curse.html")
    assert work.source.format == "ffn-page"
    assert work.title == "Harry Potter and the Unicorn's Curse"
    assert [c.name for c in work.creators] == ["Really Frozen Phoenix"]
    assert work.tags_of(TagType.FANDOM) == ["Harry Potter"]
    assert work.rating == "Mature"
    assert work.tags_of(TagType.CHARACTER) == ["Harry P.", "Blaise Z."]
    assert (work.expected_chapters, work.complete, work.published) == (1, False, "2008-04-13")
    (chapter,) = work.chapters
    assert chapter.number == 1
    assert not chapter.text.startswith("Harry Potter and the Unicorn's Curse")
    assert_no_chrome(work)


@pytest.mark.shared
def test_corpus_ffn_first_chapter_of_many():
    work = corpus("ffn_naruto-guardian-of-the-mist-ch1.html")
    assert work.title == "Naruto Guardian Of The Mist"
    assert [c.name for c in work.creators] == ["SSJ3 Kyuubi Gohan"]
    assert work.tags_of(TagType.FANDOM) == ["Naruto"]
    assert work.tags_of(TagType.FREEFORM) == ["Adventure", "Romance"]
    assert "Mei T." in work.tags_of(TagType.CHARACTER)
    assert (work.expected_chapters, work.complete) == (12, False)
    (chapter,) = work.chapters
    assert (chapter.number, chapter.title) == (1, "Banishment")
    assert chapter.text.startswith("Have no fear")
    assert sum(b.kind == "break" for b in chapter.blocks) >= 3  # "-line break-" lines
    assert_no_chrome(work)


def test_ao3_download_final_end_notes_in_their_own_wrapper():
    # Real downloads put the work's end notes one level deeper than the chapter ones.
    page = (FIXTURES / "ao3-download.html").read_text()
    wrapped = page.replace(
        '<div class="meta"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote></div>',
        '<div class="meta">\n<div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote></div>\n</div>',
    )
    assert wrapped != page
    for html in (page, wrapped):
        work = parse_story(html.encode(), "download.html")
        assert [b.text for b in work.end_notes] == ["Thank you for reading."]
