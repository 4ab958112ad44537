"""The download writers: EPUB (valid by epubcheck), one-file HTML, plain text."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ficarchive.formats import FORMATS, render_work
from ficarchive.text.model import Block, Chapter, ParsedWork
from tests.formats.sample import epubcheck, sample_work


def _epub_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_epub_layout_title_page_chapters_nav():
    data = render_work(sample_work(), "epub")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    # OCF: the mimetype entry first and stored uncompressed.
    assert names[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"
    chapters = sorted(n for n in names if re.search(r"chapter-\d+\.xhtml$", n))
    assert len(chapters) == 3
    assert any(n.endswith("nav.xhtml") for n in names)
    title = archive.read(next(n for n in names if n.endswith("title.xhtml"))).decode()
    assert 'Salt &amp; Lanterns: a "tale" &lt;of&gt; the sea' in title
    assert "Mara Quill" in title and "Ōtsuki Ren" in title
    assert 'class="fandom"' in title and "Original Work" in title
    assert "Lighthouses &amp; Storms" in title
    assert "A keeper, a storm, and a <em>very</em> stubborn lamp." in title
    first = archive.read(chapters[0]).decode()
    assert "The Storm, part 1" in first
    assert 'class="epigraph"' in first and "against the night" in first
    assert '<hr class="scene-break"/>' in first
    opf = archive.read(next(n for n in names if n.endswith(".opf"))).decode()
    assert "<dc:title>" in opf and "Mara Quill</dc:creator>" in opf
    assert "<dc:language>en</dc:language>" in opf
    assert '<meta name="generator" content="ficarchive"/>' in opf


def test_epub_passes_epubcheck(tmp_path):
    path = tmp_path / "sample.epub"
    path.write_bytes(render_work(sample_work(), "epub"))
    report = epubcheck(path)
    assert "0 fatals / 0 errors" in report, report


def test_epub_of_minimal_and_hostile_work_passes_epubcheck(tmp_path):
    """No creators, no language, control characters and a CJK title: still valid."""
    work = ParsedWork(
        title="浮生\x0b若寄",
        chapters=[Chapter(number=1, blocks=[Block(html="一\x01二三 &lt;script&gt;")])],
    )
    path = tmp_path / "min.epub"
    path.write_bytes(render_work(work, "epub"))
    report = epubcheck(path)
    assert "0 fatals / 0 errors" in report, report


def test_html_is_one_offline_file():
    page = render_work(sample_work(), "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # Nothing fetched from anywhere: no scripts, no external stylesheets, images or fonts.
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "http://" not in page and "https://" not in page and "url(" not in page
    assert '<a href="#chapter-2">Chapter 2</a>' in page
    assert page.count('<section class="chapter"') == 3
    assert "<title>Salt &amp; Lanterns: a &quot;tale&quot; &lt;of&gt; the sea by Mara Quill" in page


def test_txt_has_header_and_wrapped_text():
    work = sample_work()
    work.chapters[0].blocks.append(Block(html="word " * 60))
    text = render_work(work, "txt").decode("utf-8")
    head = text.split("=" * 72)[0]
    assert head.startswith('Salt & Lanterns: a "tale" <of> the sea\nby Mara Quill, Ōtsuki Ren\n')
    assert "Fandom: Original Work" in head and "Characters: Ada, Bea" in head
    assert "Language: English" in head and "Chapters: 3/4 (in progress)" in head
    assert "Summary:\n\n  A keeper, a storm, and a very stubborn lamp." in head
    assert all(len(line) <= 72 for line in text.splitlines() if " " in line.strip())
    assert "Chapter 1: The Storm, part 1" in text and "\nChapter 2\n" in text
    assert "* * *".center(72).rstrip() in text
    assert "    The lamp, the lamp,\n    it will not go out" in text
    assert text.rstrip().endswith("To be continued")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_text_of_every_chapter(fmt):
    work = sample_work()
    data = render_work(work, fmt)
    if fmt == "epub":
        archive = zipfile.ZipFile(io.BytesIO(data))
        data = b"".join(archive.read(n) for n in archive.namelist())
    text = data.decode("utf-8")
    for n in (1, 2, 3):
        assert f"tower {n}" in text


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="choose one of epub, html, txt"):
        render_work(sample_work(), "pdf")


def test_epub_has_a_typographic_cover():
    archive = zipfile.ZipFile(io.BytesIO(render_work(sample_work(), "epub")))
    opf = archive.read(next(n for n in archive.namelist() if n.endswith(".opf"))).decode()
    assert 'href="cover.svg"' in opf and 'properties="cover-image"' in opf
    svg = archive.read(next(n for n in archive.namelist() if n.endswith("cover.svg"))).decode()
    assert "Salt &amp;" in svg and "&lt;of&gt;" in svg and "Mara Quill, Ōtsuki Ren" in svg


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Short", 1),
        ("A much longer title that has to wrap over several lines", 4),
        ("word " * 60, 6),  # at most six lines, the last cut with an ellipsis
        ("浮生若寄" * 3, 2),  # no spaces: wrapped by characters
    ],
)
def test_cover_wraps_the_title(title, lines):
    from ficarchive.formats.cover import cover_svg

    svg = cover_svg(ParsedWork(title=title))
    assert svg.count('font-weight="bold"') == lines
    if lines == 6:
        assert "…</text>" in svg
