"""Personas (writer, reader, archivist, stranger), a posted work, and an empty cache per test
(hits and login throttling count in the cache)."""

import pytest
from django.core.cache import cache

from tests.personas import archivist, posted_work, reader, stranger, writer  # noqa: F401


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
