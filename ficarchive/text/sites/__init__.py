"""Readers for pages from known archives, which state their metadata in fixed places.

Each reader pairs a recogniser with a function that builds the whole ParsedWork; pages from
anywhere else go through the generic legacy-HTML path in `text.html`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import ParsedWork, SourceInfo
from . import ao3, efiction, ffn, ficarchive, journal

SiteReader = Callable[[object, SourceInfo, list[str]], "ParsedWork | None"]

# Most specific first: an AO3 download also has `#chapters`, like a saved work page.
READERS: list[tuple[str, Callable[[object], bool], SiteReader]] = [
    ("ficarchive-html", ficarchive.is_own_download, ficarchive.read_own_download),
    ("ao3-download", ao3.is_download, ao3.read_download),
    ("ao3-page", ao3.is_work_page, ao3.read_work_page),
    ("ffn-page", ffn.is_story_page, ffn.read_story_page),
    ("efiction-page", efiction.is_efiction, efiction.read_story_page),
    ("journal-entry", journal.is_journal_entry, journal.read_journal_entry),
]


def read_site_page(tree, source: SourceInfo, warnings: list[str]) -> ParsedWork | None:
    """The work on a known site's page, or None when no site reader recognises the page."""
    for _name, recognise, read in READERS:
        if recognise(tree):
            work = read(tree, source, warnings)
            if work is not None:
                return work
    return None


__all__ = ["READERS", "read_site_page"]
