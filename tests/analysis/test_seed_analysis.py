"""Issue 3's seed facts that the analysis meets so far (skipped where ../shared is absent)."""

import pytest

from ficarchive.analysis.analyse import analyse_work
from tests.shared_data import read_seed

pytestmark = pytest.mark.shared


def analyse(prefix: str):
    return analyse_work(read_seed(prefix)[1])


def speaker_of(analysis, text: str) -> str | None:
    (quote,) = [q for q in analysis.quotes if q.text == text]
    return quote.speaker


def test_seed_000():
    a = analyse("000")
    assert sorted(c.name for c in a.characters) == ["Buffy", "Faith", "Spike"]
    assert (a.pov, a.tense) == ("third", "past")
    assert speaker_of(a, "BUFFY!") == "Faith"
    assert speaker_of(a, "Buffy. You have to go, love.") == "Spike"
    assert speaker_of(a, "For me.") == "Spike"
    assert speaker_of(a, "I can't.") == "Buffy"


def test_seed_004():
    a = analyse("004")
    assert (a.pov, a.tense) == ("first", "present")
    names = {c.name: c for c in a.characters}
    assert "Spike" in names and names["narrator"].narrator
    assert speaker_of(a, "Let me rest, let me rest.") == "Spike"
    assert speaker_of(a, "Must make amends,") == "Spike"
    assert speaker_of(a, "You can. You just have to let go.") == "narrator"
