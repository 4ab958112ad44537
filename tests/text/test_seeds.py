"""The two founding works must come out right (skipped where ../shared is absent)."""

import json

import pytest

from ficarchive.text.inspect import work_to_dict
from tests.shared_data import read_seed as seed

pytestmark = pytest.mark.shared


def test_seed_000_chapter_epigraph_and_honest_title():
    raw, work = seed("000")
    assert len(work.chapters) == 1
    chapter = work.chapters[0]
    assert (chapter.number, chapter.title) == (1, "One")
    epigraph = " ".join(b.text for b in chapter.epigraph)
    assert epigraph.startswith("What ravages of spirit") and "let you go" in epigraph
    assert "ravages" not in chapter.text
    # The body starts at the first line after the italic epigraph (the issue: "The flame scorched…").
    raw_lines = [line.strip() for line in raw.decode().splitlines() if line.strip()]
    after_epigraph = raw_lines[
        next(i for i, line in enumerate(raw_lines) if line.endswith("*")) + 1
    ]
    assert chapter.text.startswith(after_epigraph[:20]) and after_epigraph.startswith("The flame")
    assert chapter.text.endswith("ringing in her ears.")
    assert work.title_missing is True
    assert work.creators == []


def test_seed_004_title_creator_private_email_and_end():
    raw, work = seed("004")
    assert work.title == "Rest In Peace" and not work.title_missing
    assert [c.name for c in work.creators] == ["Laure Alexander"]
    assert [c.kind for c in work.contacts] == ["email"]
    text = work.chapters[0].text
    # The body starts at the first line after the Email: header line (the issue: "Oh God…").
    raw_lines = [line.strip() for line in raw.decode().splitlines() if line.strip()]
    after_header = raw_lines[
        next(i for i, line in enumerate(raw_lines) if line.startswith("Email:")) + 1
    ]
    assert text.startswith(after_header[:10]) and after_header.startswith("Oh God")
    assert text.endswith("listen as he weeps.")
    assert "The End" not in text and "<< back" not in text and "back" not in text.split()[-3:]
    assert work.complete is True
    email = work.contacts[0].value
    assert email.encode() in raw
    assert email not in json.dumps(work_to_dict(work))
