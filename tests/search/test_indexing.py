"""The index follows the database: at once after a commit, after a crash, and on reindex."""

from __future__ import annotations

import pytest

from ficarchive.archive import actions
from ficarchive.archive.models import Tag, Work, WorkTag
from ficarchive.search import indexing
from ficarchive.search.backends import IndexBusy
from ficarchive.search.criteria import Criteria
from ficarchive.search.models import Blurb, IndexQueue
from ficarchive.search.query import parse_query
from tests.conftest import make_parsed_work


def find(words: str) -> list[int]:
    return indexing.backend().search(Criteria(query=parse_query(words), limit=100)).ids


@pytest.fixture
def immediate(django_capture_on_commit_callbacks):
    """Run on-commit callbacks as a real commit would (tests run inside a transaction)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks


def test_a_saved_work_is_searchable_as_soon_as_it_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work = actions.import_work(make_parsed_work("Quicksilver Lanterns"), raw=b"1").work
    assert not IndexQueue.objects.exists()  # drained after the commit, not at search time
    assert find("quicksilver") == [work.pk]
    with django_capture_on_commit_callbacks(execute=True):
        Work.objects.filter(pk=work.pk).first().delete()
    assert find("quicksilver") == []


def test_edits_to_tags_and_titles_follow(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work = actions.import_work(make_parsed_work("Plain Title"), raw=b"1").work
        work.title = "Emberglow Title"
        work.save()
        tag = Tag.objects.get(type="character", name="Ann")
        tag.name = "Annabeth"
        tag.save()
    assert find("emberglow") == [work.pk]
    assert find("character:annabeth") == [work.pk]
    assert find("character:ann") == []


def test_a_crash_before_indexing_is_repaired_by_the_next_search(db):
    # Inside the test transaction no commit happens, as when a process dies after the
    # database commit but before the index was written: the queue keeps the work.
    work = actions.import_work(make_parsed_work("Nightjar Song"), raw=b"1").work
    assert IndexQueue.objects.filter(work_id=work.pk).exists()
    assert indexing.ready().search(Criteria(query=parse_query("nightjar"))).ids == [work.pk]
    assert not IndexQueue.objects.exists()


def test_a_busy_index_leaves_the_work_queued(db, monkeypatch):
    work = actions.import_work(make_parsed_work("Busy Bee"), raw=b"1").work

    def busy(*args, **kwargs):
        raise IndexBusy("another process writes")

    monkeypatch.setattr(indexing.backend(), "apply", busy)
    assert indexing.drain() == 0
    assert IndexQueue.objects.filter(work_id=work.pk).exists()


def test_reindex_rebuilds_from_the_database(db):
    works = [
        actions.import_work(make_parsed_work(f"Heron {n}"), raw=str(n).encode()).work
        for n in range(3)
    ]
    indexing.drain()
    # The index loses a work (a deleted folder, a stale copy) ...
    indexing.backend().apply([], [works[0].pk])
    assert len(find("heron")) == 2
    assert indexing.reindex() == 3
    assert sorted(find("heron")) == sorted(w.pk for w in works)


def blurb(work: Work) -> str:
    return Blurb.objects.get(work=work).html


def test_the_blurb_is_rendered_when_the_work_is_indexed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work = actions.import_work(make_parsed_work("Larkspur Evening"), raw=b"1").work
    assert "Larkspur Evening" in blurb(work) and ">Ann</a>" in blurb(work)
    with django_capture_on_commit_callbacks(execute=True):
        tag = Tag.objects.get(type="character", name="Ann")
        tag.name = "Annabeth"
        tag.save()
        Work.objects.filter(pk=work.pk).update(kudos_count=1234)  # as community.actions do
        indexing.enqueue([work.pk])
    assert ">Annabeth</a>" in blurb(work) and ">Ann</a>" not in blurb(work)
    assert "<dt>Kudos</dt><dd>1,234</dd>" in blurb(work)
    with django_capture_on_commit_callbacks(execute=True):
        work.delete()
    assert not Blurb.objects.exists()


def test_a_busy_index_keeps_the_old_blurb_until_the_work_is_indexed(db, monkeypatch):
    work = actions.import_work(make_parsed_work("Old Title"), raw=b"1").work
    indexing.drain()
    Work.objects.filter(pk=work.pk).update(title="New Title")
    indexing.enqueue([work.pk])

    def busy(*args, **kwargs):
        raise IndexBusy("another process writes")

    monkeypatch.setattr(indexing.backend(), "apply", busy)
    indexing.drain()
    assert "Old Title" in blurb(work)  # as old as what the index finds
    monkeypatch.undo()
    indexing.drain()
    assert "New Title" in blurb(work)


def test_reindex_renders_every_blurb(db):
    works = [
        actions.import_work(make_parsed_work(f"Wren {n}"), raw=str(n).encode()).work
        for n in range(3)
    ]
    assert not Blurb.objects.exists()  # nothing committed, nothing drained
    indexing.reindex()
    assert [f"Wren {n}" in blurb(w) for n, w in enumerate(works)] == [True] * 3


def test_a_new_index_is_built_from_the_database(db, settings, tmp_path):
    work = actions.import_work(make_parsed_work("Kestrel Wing"), raw=b"1").work
    indexing.drain()
    settings.SEARCH_INDEX_DIR = tmp_path / "fresh"  # as if the index folder was deleted
    indexing._backends.clear()
    assert indexing.ready().search(Criteria(query=parse_query("kestrel"))).ids == [work.pk]


def test_rejected_suggestions_are_not_indexed_and_pending_ones_only_on_request(db):
    work = actions.import_work(make_parsed_work("Tern"), raw=b"1").work
    tag = actions._tag("character", "Bea")
    suggestion = WorkTag.objects.create(
        work=work, tag=tag, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
    )
    engine = indexing.ready()
    assert engine.search(Criteria(include=[tag.pk])).ids == []
    assert engine.search(Criteria(include=[tag.pk], suggested=True)).ids == [work.pk]
    suggestion.status = WorkTag.Status.REJECTED
    suggestion.save()
    assert indexing.ready().search(Criteria(include=[tag.pk], suggested=True)).ids == []
