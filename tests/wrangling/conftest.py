"""Works with fandom and character tags for the wrangling tests: MCU (two spellings), Marvel."""

from __future__ import annotations

import pytest

from ficarchive.archive.models import Tag
from tests.personas import post


def tags_of(fandoms: list[str], characters: list[str] = ()) -> dict:
    return {
        "fandom": fandoms,
        "character": list(characters),
        "warning": ["No Archive Warnings Apply"],
    }


@pytest.fixture
def marvel(writer):
    """Three works: "Marvel Cinematic Universe", its spelling "MCU", and both on one work."""
    works = {
        "mcu": post(writer, title="Stark Raving", text="Tony builds a suit.", tags=tags_of(["Marvel Cinematic Universe"], ["Tony Stark"])),
        "alias": post(writer, title="Shield Wall", text="Steve holds the line.", tags=tags_of(["MCU"], ["Steve Rogers"])),
        "both": post(writer, title="Crossed Wires", text="Both of them argue.", tags=tags_of(["MCU", "Marvel Cinematic Universe"], ["Tony Stark"])),
        "other": post(writer, title="Tea Leaves", text="A quiet cup of tea.", tags=tags_of(["Original Work"])),
    }  # fmt: skip
    Tag.objects.create(type="fandom", name="Marvel", slug="marvel")
    return works


def tag(name: str, tag_type: str = "fandom") -> Tag:
    return Tag.objects.get(type=tag_type, name=name)
