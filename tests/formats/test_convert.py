"""`ficarchive convert`: any file the importer reads, straight to a download, no database."""

from __future__ import annotations

import pytest

from ficarchive.cli import main
from ficarchive.text.parse import parse_story
from tests.text.test_epub import essentials

STORY = """The Tide Clock
by Nell Harrow

Rating: General Audiences

Chapter 1: Low Water

The clock in the harbour office ran on tides, not hours.

* * *

Nobody wound it; the sea did.

Chapter 2: High Water

By spring the clock had learned the moon.

The End
"""


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "tide-clock.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_convert_writes_the_download(story, tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    assert main(["convert", str(story), "--to", fmt, "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    data = out.read_bytes()
    original = parse_story(story.read_bytes(), story.name)
    if fmt == "txt":
        text = data.decode("utf-8")
        assert text.startswith("The Tide Clock\nby Nell Harrow\n")
        assert "Chapter 2: High Water" in text and "the sea did." in text
    else:
        assert essentials(parse_story(data, out.name)) == essentials(original)


def test_convert_into_a_folder_names_the_file_from_title_and_creator(story, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    assert main(["convert", str(story), "--to", "epub", "-o", str(folder)]) == 0
    (written,) = folder.iterdir()
    assert written.name == "The Tide Clock - Nell Harrow.epub"
    # The same writer as the downloads, which the other tests check with epubcheck.
    assert parse_story(written.read_bytes(), written.name).source.format == "epub"


def test_convert_of_an_epub_back_to_html(story, tmp_path):
    epub, page = tmp_path / "a.epub", tmp_path / "a.html"
    assert main(["convert", str(story), "--to", "epub", "-o", str(epub)]) == 0
    assert main(["convert", str(epub), "--to", "html", "-o", str(page)]) == 0
    assert essentials(parse_story(page.read_bytes(), "a.html")) == essentials(
        parse_story(story.read_bytes(), story.name)
    )


def test_convert_bad_input_fails_with_the_reason(tmp_path, capsys):
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out.html"
    assert main(["convert", str(broken), "--to", "html", "-o", str(out)]) == 1
    assert "not a readable zip archive" in capsys.readouterr().err
    assert not out.exists()
    assert main(["convert", str(tmp_path / "missing.txt"), "--to", "txt"]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_convert_refuses_unknown_formats(story):
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", str(story), "--to", "pdf"])
    assert exit_info.value.code == 2
