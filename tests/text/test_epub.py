"""EPUB import: our own downloads round-trip, AO3's EPUB equals AO3's HTML download, broken
files fail with a reason."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from ficarchive.formats import render_work
from ficarchive.text.errors import BrokenFile, NoStoryText, StoryError
from ficarchive.text.model import ParsedWork, TagType, blocks_text
from ficarchive.text.parse import parse_story
from tests.formats.sample import sample_work

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "fanfic-dev"


def essentials(work: ParsedWork) -> dict:
    """What a round trip must keep: title, creators, tags, chapters, text, notes, dates."""
    return {
        "title": work.title,
        "creators": [c.name for c in work.creators],
        # Tags by type, in order within a type (downloads list them grouped by type).
        "tags": {str(t): work.tags_of(t) for t in TagType if work.tags_of(t)},
        "rating": work.rating,
        "language": work.language,
        "complete": work.complete,
        "published": work.published,
        "summary": blocks_text(work.summary),
        "notes": blocks_text(work.notes),
        "end_notes": blocks_text(work.end_notes),
        "chapters": [
            {
                "title": c.title,
                "epigraph": blocks_text(c.epigraph),
                "summary": blocks_text(c.summary),
                "notes": blocks_text(c.notes),
                "end_notes": blocks_text(c.end_notes),
                "text": c.text,
            }
            for c in work.chapters
        ],
    }


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_own_download_round_trips(fmt):
    work = sample_work()
    back = parse_story(render_work(work, fmt), f"download.{fmt}")
    assert essentials(back) == essentials(work)
    assert back.source.format == ("epub" if fmt == "epub" else "ficarchive-html")
    assert back.chapters[0].text.count("* * *") == 1  # the scene break survives
    assert back.chapters[0].epigraph and back.expected_chapters == 4


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_one_shot_without_metadata_round_trips(fmt):
    work = sample_work(chapters=1)
    work.tags, work.summary, work.notes, work.end_notes = [], [], [], []
    work.creators, work.rating, work.complete = [], None, None
    back = parse_story(render_work(work, fmt), f"x.{fmt}")
    assert essentials(back) == essentials(work)


def test_epub_detected_by_content_without_extension():
    data = render_work(sample_work(), "epub")
    assert parse_story(data, "download").title == sample_work().title


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 this is no zip at all", "not a readable zip archive"),
        (b"plain bytes", "not a readable zip archive"),
        (render_work(sample_work(), "epub")[:3000], "not a readable zip archive"),
        (_zip({"mimetype": "application/epub+zip"}), "no META-INF/container.xml"),
        (
            _zip({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER}),
            "no package document (OPF) at OEBPS/content.opf",
        ),
    ],
    ids=["bad-zip", "not-zip", "truncated", "no-container", "no-opf"],
)
def test_broken_epub_fails_with_a_reason(data, message):
    with pytest.raises(BrokenFile, match=re.escape(message)):
        parse_story(data, "broken.epub")


def test_epub_with_only_a_title_page_has_no_story_text():
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">x</dc:identifier><dc:title>T</dc:title>'
        "<dc:language>en</dc:language></metadata><manifest>"
        '<item id="t" href="title.xhtml" media-type="application/xhtml+xml"/></manifest>'
        '<spine><itemref idref="t"/></spine></package>'
    )
    page = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Title page</title></head>'
        "<body><p>Rating: Mature</p><p>Fandoms: X</p></body></html>"
    )
    data = _zip(
        {
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": CONTAINER,
            "OEBPS/content.opf": opf,
            "OEBPS/title.xhtml": page,
        }
    )
    with pytest.raises(NoStoryText):
        parse_story(data, "empty.epub")


# --- real EPUBs (../shared, skipped when absent) -------------------------------------------------


def _corpus(name: str) -> bytes:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path.read_bytes()


@pytest.mark.shared
@pytest.mark.parametrize("name", ["fire-and-feather", "the-world-on-his-wrist"])
def test_ao3_epub_equals_ao3_html_download(name):
    from_html = parse_story(_corpus(f"ao3-dl-html_{name}.html"), f"{name}.html")
    from_epub = parse_story(_corpus(f"ao3-epub_{name}.epub"), f"{name}.epub")
    assert essentials(from_epub) == essentials(from_html)
    assert from_epub.source.format == "epub"
    assert len(from_epub.chapters) >= 3 and from_epub.tags_of(TagType.FANDOM)


@pytest.mark.shared
def test_third_party_epub_title_page_and_notes():
    work = parse_story(_corpus("fichub-epub-ao3_sigh-no-more.epub"), "sigh.epub")
    assert (work.title, [c.name for c in work.creators]) == ("sigh no more", ["gripyourwits"])
    assert work.rating == "Mature" and work.tags_of(TagType.FANDOM) == ["The Pitt (TV)"]
    assert work.tags_of(TagType.FREEFORM) == ["PTSD", "Hurt/Comfort"]
    assert work.tags_of(TagType.CATEGORY) == ["M/M"]
    assert work.complete is False and work.published == "2025-04-13"
    assert len(work.chapters) == 1 and work.chapters[0].title == ""
    assert work.chapters[0].word_count > 3500  # AO3 states 4,066 words
    assert blocks_text(work.summary).startswith("Jack knows PTSD.")
    assert "Work Text" not in work.chapters[0].text  # AO3's landmark heading left out


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", ["ao3-epub_fire-and-feather.epub", "fichub-epub-ao3_sigh-no-more.epub"]
)
def test_real_epub_round_trips_through_our_epub(name):
    work = parse_story(_corpus(name), name)
    back = parse_story(render_work(work, "epub"), "again.epub")
    assert essentials(back) == essentials(work)


def test_story_errors_are_story_errors():
    assert issubclass(BrokenFile, StoryError)


TITLE_PAGES = {
    "paragraphs": "<h1>Harbour Lights</h1><p>by Jeanne Fable</p><p>Fandom: Original Work</p>"
    "<p>Rating: General Audiences</p><p>Characters: Anne, Bruno</p>"
    "<p>Status: Completed</p><p>Published: 2021-05-02</p>",
    # FanFicFare's shape: one block of `<b>Label:</b> value<br/>` lines.
    "br-lines": '<h3><a href="https://example.invalid/s/1">Harbour Lights</a> by Jeanne Fable</h3>'
    "<div><b>Fandom:</b> Original Work<br/><b>Rating:</b> General Audiences<br/>"
    "<b>Characters:</b> Anne, Bruno<br/><b>Status:</b> Completed<br/>"
    "<b>Published:</b> 2021-05-02<br/></div>",
}


def _third_party_epub(title_page: str = TITLE_PAGES["paragraphs"]) -> bytes:
    """An EPUB 3 as other tools make them: a title page of `Label: value` lines, one document
    per chapter with its own heading, a navigation document and no NCX."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("third-party-1")
    book.set_title("Harbour Lights")
    book.set_language("fr")
    book.add_author("Jeanne Fable")
    book.add_metadata("DC", "description", "Deux phares, une tempête.")
    pages = [
        epub.EpubHtml(
            title="Title Page",
            file_name="title_page.xhtml",
            content=title_page,
        )
    ]
    for n, name in enumerate(["Le phare", "La tempête"], start=1):
        pages.append(
            epub.EpubHtml(
                title=f"Chapter {n}: {name}",
                file_name=f"chapter_{n}.xhtml",
                # class="chapter" as many tools write it: not to be taken for our own markup.
                content=f'<section class="chapter"><h2>Chapter {n}: {name}</h2>'
                + "<p>Opening line.</p>"
                + "".join(f"<p>Paragraphe {i} du chapitre {n}, la mer monte.</p>" for i in range(5))
                + "<p>* * *</p><p>Et le matin vint.</p></section>",
            )
        )
    for page in pages:
        book.add_item(page)
    book.toc = pages[1:]
    book.spine = ["nav", *pages]
    book.add_item(epub.EpubNav())
    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False})
    return out.getvalue()


@pytest.mark.parametrize("title_page", TITLE_PAGES)
def test_third_party_epub_with_title_page_and_chapter_headings(title_page):
    work = parse_story(_third_party_epub(TITLE_PAGES[title_page]), "harbour.epub")
    assert (work.title, [c.name for c in work.creators]) == ("Harbour Lights", ["Jeanne Fable"])
    assert work.language == "fr" and work.rating == "General Audiences"
    assert work.tags_of(TagType.FANDOM) == ["Original Work"]
    assert work.tags_of(TagType.CHARACTER) == ["Anne", "Bruno"]
    assert work.complete is True and work.published == "2021-05-02"
    assert blocks_text(work.summary) == "Deux phares, une tempête."
    assert [c.title for c in work.chapters] == ["Le phare", "La tempête"]
    text = work.chapters[1].text
    assert text.startswith("Opening line.\n\nParagraphe 0 du chapitre 2")
    assert "Chapter 2" not in text
    assert "* * *" in text and text.endswith("Et le matin vint.")


def test_epub_with_the_whole_book_in_one_document_is_split_at_chapter_headings():
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("one-file")
    book.set_title("All In One")
    book.set_language("en")
    book.add_author("Ida Single")
    text = "".join(
        f"<h2>Chapter {n}: Part {n}</h2>"
        + "".join(f"<p>Sentence {i} of part {n}, told at length.</p>" for i in range(4))
        for n in (1, 2, 3)
    )
    page = epub.EpubHtml(
        title="All In One", file_name="book.xhtml", content=f"<h1>All In One</h1>{text}"
    )
    book.add_item(page)
    book.toc = [page]
    book.spine = [page]
    book.add_item(epub.EpubNcx())
    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False})
    work = parse_story(out.getvalue(), "one.epub")
    assert [c.title for c in work.chapters] == ["Part 1", "Part 2", "Part 3"]
    assert work.chapters[2].text.startswith("Sentence 0 of part 3")
    assert "All In One" not in work.chapters[0].text
