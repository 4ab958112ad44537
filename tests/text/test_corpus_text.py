"""Real plain-text files from ../shared/corpora (skipped where absent). Facts only, no copied text."""

from pathlib import Path

import pytest

from ficarchive.text.parse import parse_story

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "fanfic-dev"
pytestmark = pytest.mark.shared


def test_french_cp1252_crlf_text():
    path = CORPUS / "fanfictionsfr_crise_fr-cp1252.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    raw = path.read_bytes()
    assert b"\r\n" in raw
    work = parse_story(raw, path.name)
    assert (work.source.encoding, work.language, work.title) == ("cp1252", "fr", "Crise")
    assert len(work.chapters) == 1 and work.chapters[0].title == "Kiba"
    text = work.chapters[0].text
    assert text.startswith("Kiba se tassa") and "\r" not in text
    assert "é" in text and "Ã" not in text
    assert work.notes and work.notes[0].text.startswith("Note")
