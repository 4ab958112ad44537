"""A hand-made analysis, and a work imported with it whose creator belongs to the `writer` persona.

Tests build the `Analysis` themselves so they check the archive, not the analysis heuristics.
"""

from __future__ import annotations

import pytest

from ficarchive.analysis.model import Analysis, Character
from ficarchive.archive import actions, ingest
from ficarchive.archive.models import Pseud

BTVS = "Buffy the Vampire Slayer"
SPIKE = "Spike (Buffy the Vampire Slayer)"


def make_analysis(**fields) -> Analysis:
    """An analysis of a Buffy story, as `analyse_work` returns it; `fields` override."""
    analysis = Analysis(
        characters=[
            Character("Buffy Summers", ["Buffy"], mentions=14, gender="she", tag="Buffy Summers"),
            Character("Spike", mentions=9, gender="he", tag=SPIKE),
            Character("Dawn Summers", ["Dawn"], mentions=1, gender="she"),  # speaks once only
            Character("Clem", mentions=1),  # neither speaks nor recurs
            Character("narrator", mentions=6, narrator=True),  # "I", counted
        ],
        fandoms=[
            {"name": BTVS, "confidence": 0.93},
            {"name": "Angel: the Series", "confidence": 0.12},
        ],
        relationships=[
            {
                "tag": f"Buffy Summers/{SPIKE}",
                "kind": "romantic",
                "confidence": 0.71,
                "characters": ["Buffy Summers", SPIKE],
            }
        ],
        pov="first",
        tense="past",
        words=17250,
        dialogue_share=0.42,
        reading_minutes=75,
    )
    shares = {"Buffy Summers": 0.46, "Spike": 0.31, "Dawn Summers": 0.05, "narrator": 0.08}
    for c in analysis.characters:
        c.dialogue_share = shares.get(c.name, 0.0)
    for key, value in fields.items():
        setattr(analysis, key, value)
    return analysis


@pytest.fixture
def use_analysis(monkeypatch):
    """Make the import (and reanalysis) see the given analysis instead of running the real one."""

    def use(analysis: Analysis) -> None:
        monkeypatch.setattr(ingest, "analyse_work", lambda parsed: analysis)  # import
        monkeypatch.setattr(actions, "analyse_work", lambda parsed: analysis)  # reanalysis

    return use


@pytest.fixture
def analysed_work(parsed_work, use_analysis, writer):
    """A work imported with `make_analysis()`; its creator belongs to `writer`."""
    use_analysis(make_analysis())
    work = actions.import_work(parsed_work(), raw=b"analysed work").work
    creator = Pseud.objects.get(name="Test Writer").creator
    creator.user = writer
    creator.save()
    return work
