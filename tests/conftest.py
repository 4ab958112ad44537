"""Shared fixtures: the ../shared folder (skips cleanly when absent), a work factory, the personas
and an empty cache per test (hits and login throttling count in the cache)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from ficarchive.text.model import (
    Block,
    Chapter,
    Contact,
    Creator,
    ParsedWork,
    SourceInfo,
    Tag,
    TagType,
)
from tests.personas import archivist, posted_work, reader, stranger, writer  # noqa: F401
from tests.shared_data import SHARED

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORIES = FIXTURES / "stories"  # small story files written for these tests


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the repository")
    return SHARED


def make_parsed_work(
    title: str = "A Test Work", *, chapters: int = 2, creator: str = "Test Writer", **fields
) -> ParsedWork:
    """A ParsedWork built by hand, with paragraphs, a scene break and an epigraph."""
    work = ParsedWork(
        title=title,
        creators=[Creator(creator)] if creator else [],
        contacts=[Contact("email", "secret.writer@example.invalid")],
        summary=[Block(html="A <em>short</em> summary.")],
        rating="Teen And Up Audiences",
        tags=[
            Tag(TagType.RATING, "Teen And Up Audiences"),
            Tag(TagType.FANDOM, "Original Work"),
            Tag(TagType.RELATIONSHIP, "Ann/Bea"),
            Tag(TagType.CHARACTER, "Ann"),
        ],
        language="en",
        complete=True,
        source=SourceInfo(format="text", filename="test.txt"),
    )
    for n in range(1, chapters + 1):
        work.chapters.append(
            Chapter(
                number=n,
                title=f"Part the {n}",
                epigraph=[Block(kind="verse", html="<em>a line of song<br>and another</em>")]
                if n == 1
                else [],
                blocks=[
                    Block(html=f"Chapter {n} begins {title}."),
                    Block(kind="break"),
                    Block(html="It ends."),
                ],
            )
        )
    for key, value in fields.items():
        setattr(work, key, value)
    return work


@pytest.fixture
def parsed_work():
    return make_parsed_work


@pytest.fixture
def stories_dir() -> Path:
    return STORIES


@pytest.fixture(autouse=True)
def search_index(tmp_path_factory, settings):
    """Each test gets its own empty search index (tantivy), as the database is empty per test."""
    from ficarchive.search import indexing

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index") / "index"
    yield settings.SEARCH_INDEX_DIR
    indexing._backends.clear()
