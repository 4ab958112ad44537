"""Download file names: from title and creator, safe on every operating system."""

from __future__ import annotations

import pytest

from ficarchive.formats.filenames import MAX_BYTES, download_filename


@pytest.mark.parametrize(
    ("title", "creators", "expected"),
    [
        ("The Lantern Keeper", ["Mara"], "The Lantern Keeper - Mara.epub"),
        ("Two Hands", ["Ann", "Bo"], "Two Hands - Ann et al.epub"),
        ("No Byline", [], "No Byline.epub"),
        ('What? A "Title": <1/2> \\ | *', ["x"], "What A Title 1 2 - x.epub"),
        ("Tab\there\nnewline\x00nul", ["a"], "Tab here newline nul - a.epub"),
        ("Trailing dots...", [], "Trailing dots.epub"),
        ("CON", [], "work CON.epub"),
        ("nul.txt", [], "work nul.txt.epub"),
        ("", [], "work.epub"),
        ("???", [":/"], "work.epub"),
        ("浮生若寄", ["作者"], "浮生若寄 - 作者.epub"),
        ("Cafe\u0301", [], "Café.epub"),  # NFC: one code point, as macOS and Windows agree on
    ],
)
def test_safe_names(title, creators, expected):
    assert download_filename(title, creators, "epub") == expected


def test_long_titles_are_cut_on_a_character_boundary():
    name = download_filename("é" * 400, ["someone"], "txt")
    stem = name.removesuffix(".txt")
    assert len(stem.encode("utf-8")) <= MAX_BYTES
    assert stem == "é" * len(stem)  # no half character left at the cut
