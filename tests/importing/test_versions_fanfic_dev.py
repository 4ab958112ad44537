"""Duplicates across formats on real files: ../shared/corpora/fanfic-dev (skipped when absent).

The AO3 "Download > HTML" and the AO3 EPUB of one work are the same story; every other pair
is two different stories. bench/similarity.py measures the same on variants of each file.
"""

from __future__ import annotations

import pytest

from ficarchive.archive import actions, ingest
from ficarchive.importing import versions
from ficarchive.rescue import similarity
from ficarchive.text import parse_story
from tests.shared_data import SHARED

CORPUS = SHARED / "corpora" / "fanfic-dev"
PAIRS = ["fire-and-feather", "the-world-on-his-wrist"]
OTHERS = [
    "ao3-web_so-i-open-the-window.html",
    "ffn_harry-potter-and-the-unicorns-curse.html",
    "fichub-epub-ao3_sigh-no-more.epub",
    "fanfictionsfr_crise_fr-cp1252.txt",
]
pytestmark = pytest.mark.django_db


def prepared(name: str) -> ingest.PreparedWork:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    raw = path.read_bytes()
    return ingest.prepare(parse_story(raw, name), raw=raw, filename=name, analysis=False)


def text(p: ingest.PreparedWork) -> str:
    return similarity.story_text(c.body_text for c in p.chapters)


@pytest.mark.parametrize("slug", PAIRS)
def test_ao3_html_and_epub_of_one_work_are_duplicates(slug):
    html, epub = prepared(f"ao3-dl-html_{slug}.html"), prepared(f"ao3-epub_{slug}.epub")
    assert (
        similarity.similarity(similarity.signature(text(html)), similarity.signature(text(epub)))
        >= 0.9
    )
    (result,) = actions.store_works([html])
    verdict = versions.classify(epub)
    assert (verdict.kind, verdict.work) == ("duplicate", result.work)


def test_different_works_are_not_near_duplicates():
    works = [prepared(f"ao3-dl-html_{slug}.html") for slug in PAIRS]
    actions.store_works(works)
    for name in OTHERS:
        other = prepared(name)
        assert versions.classify(other).kind == "new", name
        for work in works:
            score = similarity.similarity(
                similarity.signature(text(work)), similarity.signature(text(other))
            )
            assert score < 0.1, name
