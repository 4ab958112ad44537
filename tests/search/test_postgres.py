"""The PostgreSQL backend: words split as tantivy splits them, long works, one writer at a time.

The brute-force comparison in test_engines.py covers filters, sorts and facets; these tests cover
what only this backend can get wrong. The pure ones run everywhere, the rest on PostgreSQL only.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from ficarchive.archive import actions
from ficarchive.search import indexing
from ficarchive.search.backends import IndexBusy
from ficarchive.search.backends.postgres import (
    CHUNK_OVERLAP,
    CHUNK_WORDS,
    FILLER,
    WRITER_LOCK,
    PostgresBackend,
    chunks,
    query_words,
    words,
)
from ficarchive.search.backends.tantivy_engine import TantivyBackend
from ficarchive.search.criteria import Criteria
from ficarchive.search.documents import WorkDocument
from ficarchive.search.query import parse_query
from tests.conftest import make_parsed_work

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs the PostgreSQL run (make test runs it)"
)
LONG = "Supercalifragilisticexpialidocious" * 2  # 68 bytes: past tantivy's 40


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hurt/Comfort", ["hurt", "comfort"]),
        ("well-known", ["well", "known"]),
        ("foo@example.com", ["foo", "example", "com"]),
        ("http://example.org/a_b", ["http", "example", "org", "a", "b"]),
        ("snake_case", ["snake", "case"]),
        ("It's 3.14!", ["it", "s", "3", "14"]),
        ("CAFÉ Ölkanne", ["café", "ölkanne"]),
        (f"a {LONG} b", ["a", FILLER, "b"]),
        ("", []),
    ],
)
def test_words_are_split_as_tantivys_tokenizer_splits_them(text, expected):
    assert words(text) == expected


def test_a_long_word_at_either_end_of_a_query_is_dropped():
    assert query_words(f"{LONG} alpha {LONG} beta {LONG}") == f"alpha {FILLER} beta"
    assert query_words(LONG) == ""


def test_chunks_overlap_so_every_short_phrase_is_inside_one():
    found = [f"w{i}" for i in range(5 * CHUNK_WORDS + 17)]
    pieces = [piece.split() for piece in chunks(found)]
    assert all(len(piece) <= CHUNK_WORDS for piece in pieces)
    assert pieces[0][0] == "w0" and pieces[-1][-1] == found[-1]
    spans = [(int(piece[0][1:]), int(piece[0][1:]) + len(piece)) for piece in pieces]
    phrase = CHUNK_OVERLAP + 1
    for i in range(len(found) - phrase + 1):
        assert any(start <= i and i + phrase <= end for start, end in spans), i
    assert chunks(["one", "two"]) == ["one two"] and chunks([]) == []


def document(body: str, work_id: int = 1, **fields) -> WorkDocument:
    return WorkDocument(
        id=work_id, title=fields.pop("title", "A Title"), summary="", notes="", body=body,
        creators=["Someone"], **fields,
    )  # fmt: skip


@postgres_only
@pytest.mark.parametrize(
    "text, query, found",
    [
        ("Hurt/Comfort and fluff", "comfort", True),
        ("Hurt/Comfort and fluff", '"hurt comfort"', True),
        ("a well-known story", "known", True),
        ("a well-known story", '"well known story"', True),
        ("write to foo@example.com today", "example", True),
        ("see http://example.org/path now", '"org path"', True),
        ("snake_case names", "snake", True),
        ("The ponies were running", "pony", True),
        ("The ponies were running", '"pony was run"', False),
        ("the cat sat", "the", True),  # no stop words
        ("the cat sat", '"the cat"', True),
        ("Café au lait", "CAFÉ", True),
        ("pi is 3.14 exactly", '"3 14"', True),
        ("don't stop", "don't", True),
        ("don't stop", "don", True),
        ("1st place", "1st", True),
        (f"alpha {LONG} beta", '"alpha beta"', False),  # the long word keeps its place
        (f"alpha {LONG} beta", f'"alpha {LONG[::-1]} beta"', True),  # any long word there
        (f"alpha {LONG} beta", LONG, False),  # and is never found itself
        ("alpha beta", "_", False),
        ("alpha beta", "alpha & !beta | beta:* (", True),  # tsquery syntax is just words
        ("alpha beta", "alpha & !beta | beta:* ( 'x'", False),
    ],
)
def test_both_engines_find_the_same_words(db, tmp_path, text, query, found):
    criteria = Criteria(query=parse_query(query))
    for backend in (TantivyBackend(tmp_path / "index"), PostgresBackend()):
        backend.apply([document(text)], clear=True)
        assert backend.search(criteria).ids == ([1] if found else []), backend.name


@postgres_only
def test_a_phrase_deep_in_a_long_work_is_found(db):
    """PostgreSQL caps positions at 16,383; the chunks keep phrases exact past that."""
    rng = random.Random(7)
    vocab = ["meadow", "copper", "kettle", "willow", "thunder", "saddle", "marble", "the"]
    body = [rng.choice(vocab) for _ in range(60_000)]
    body[30_000:30_002] = ["quicksilver", "lantern"]
    step = CHUNK_WORDS - CHUNK_OVERLAP
    body[step * 7 - 1 : step * 7 + 2] = ["amber", "falcon", "harbour"]  # across a chunk edge
    body[CHUNK_WORDS * 9 - 1 : CHUNK_WORDS * 9 + 1] = ["velvet", "anchor"]
    with connection.cursor() as cursor:  # what one vector for the whole body would give
        cursor.execute(
            "SELECT to_tsvector('ficarchive', %s) @@ phraseto_tsquery('ficarchive', %s)",
            [" ".join(body), "quicksilver lantern"],
        )
        assert cursor.fetchone()[0] is False
    backend = PostgresBackend()
    backend.apply([document(" ".join(body))], clear=True)

    def found(text: str) -> bool:
        return backend.search(Criteria(query=parse_query(text))).total == 1

    assert found('"quicksilver lantern"')
    assert not found('"lantern quicksilver"')
    assert found('"amber falcon harbour"')
    assert found('"velvet anchor"')
    assert found("quicksilver harbour -zzz")
    assert not found("quicksilver -anchor")


@postgres_only
def test_apply_replaces_deletes_and_clears(db):
    backend = PostgresBackend()
    backend.apply([document("first words", 1), document("other words", 2)], clear=True)
    assert backend.count() == 2
    assert backend.apply([document("second words", 1)], deletes=[2]) == 1
    assert backend.count() == 1
    assert backend.search(Criteria(query=parse_query("first"))).ids == []
    assert backend.search(Criteria(query=parse_query("second"))).ids == [1]
    backend.apply([document("third", 3)], clear=True)
    assert backend.search(Criteria(query=parse_query("words"))).ids == []
    assert backend.count() == 1


@postgres_only
def test_an_empty_index_over_existing_works_is_rebuilt(db, settings):
    settings.SEARCH_BACKEND = "postgres"
    indexing._backends.clear()
    try:
        work = actions.import_work(make_parsed_work("Quicksilver Lanterns"), raw=b"1").work
        assert PostgresBackend().needs_rebuild
        engine = indexing.ready()
        assert engine.search(Criteria(query=parse_query("quicksilver"))).ids == [work.pk]
        assert not PostgresBackend().needs_rebuild
    finally:
        indexing._backends.clear()


@postgres_only
def test_a_second_writer_waits_and_then_gives_up(db):
    import psycopg

    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])
        with pytest.raises(IndexBusy):
            PostgresBackend().apply([document("words")], wait=0.1)
    finally:
        other.close()


@postgres_only
def test_a_title_match_ranks_above_a_body_match(db):
    backend = PostgresBackend()
    backend.apply(
        [
            document("nothing here but a quicksilver mention", 1),
            document("plain words", 2, title="Quicksilver"),
            document("plain words", 3),
        ],
        clear=True,
    )
    results = backend.search(Criteria(query=parse_query("quicksilver")))
    assert results.ids == [2, 1] and results.total == 2
