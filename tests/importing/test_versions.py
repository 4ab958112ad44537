"""Duplicates and new versions (importing.versions, actions.update_work_from) on the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ficarchive.archive import actions, ingest
from ficarchive.archive.models import Chapter, SignatureBand, Source, Work, WorkSignature
from ficarchive.community import actions as community
from ficarchive.community.models import Bookmark, Comment, Kudos, Notification
from ficarchive.importing import versions
from ficarchive.rescue import similarity
from ficarchive.rescue.plan import PlannedChapter, PlannedWork
from ficarchive.search.models import IndexQueue
from ficarchive.text import parse_story

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "versions"
STORY_HTML = (FIXTURES / "lantern-keeper.html").read_bytes()
STORY_TXT = (FIXTURES / "lantern-keeper.txt").read_bytes()
OTHER_STORY = (FIXTURES / "tide-tables.txt").read_bytes()  # same creator, people and place
CHAPTER_3 = (
    b"\n\nChapter 3: The Answer\n\n"
    b"The reply came six weeks later, on the boat after the equinox gales, and this time Mara "
    b"opened it on the jetty with the wind trying to take it out of her hands. The writer's "
    b"name was Ines Carrow. She kept the tide tables for the harbour at Saint Aude, she said, "
    b"and she had a question about the light that she had been saving for nine years.\n\n"
    b"Mara folded the letter into her coat and climbed the hundred and twelve steps with a "
    b"lighter knee than she had had in a long while.\n"
)
pytestmark = pytest.mark.django_db


def prepared(raw: bytes, name: str, url: str = "") -> ingest.PreparedWork:
    return ingest.prepare(parse_story(raw, name), raw=raw, filename=name, url=url, analysis=False)


def stored(raw: bytes = STORY_HTML, name: str = "lantern-keeper.html", url: str = "") -> Work:
    (result,) = actions.store_works([prepared(raw, name, url)])
    assert result.status == "imported"
    return result.work


def one_word_edit(raw: bytes) -> bytes:
    edited = raw.replace(b"a pot of tea", b"a pot of coffee", 1)
    assert edited != raw
    return edited


def with_chapter_3(raw: bytes) -> bytes:
    return raw.rstrip() + CHAPTER_3


def bare_text(raw: bytes) -> bytes:
    """The story text pasted into a file: no title, byline or chapter headings."""
    text = raw.decode()
    text = re.sub(r"^(The Lantern Keeper|by .*|Chapter \d+: .*)\n", "", text, flags=re.M)
    return text.encode("cp1252")


# --- Stored on import --------------------------------------------------------------------------


def test_import_stores_signature_bands_and_chapter_fingerprints():
    work = stored()
    signature = WorkSignature.objects.get(work=work)
    assert signature.scheme == similarity.SCHEME and signature.shingles > 100
    text = similarity.story_text(work.chapters.values_list("body_text", flat=True))
    assert list(similarity.from_bytes(signature.minhash)) == list(similarity.signature(text))
    assert SignatureBand.objects.filter(work=work).count() == similarity.BANDS
    for chapter in work.chapters.all():
        assert chapter.fingerprint == similarity.text_fingerprint(chapter.body_text)


def test_deleting_a_work_deletes_its_signature():
    work = stored()
    work.delete()
    assert not WorkSignature.objects.exists() and not SignatureBand.objects.exists()


# --- classify -----------------------------------------------------------------------------------


def test_nothing_stored_is_new():
    assert versions.classify(prepared(STORY_HTML, "lantern-keeper.html")).kind == versions.NEW


@pytest.mark.parametrize(
    ("raw", "name", "kind", "rule"),
    [
        (STORY_HTML, "lantern-keeper.html", "duplicate", "same bytes"),
        (STORY_TXT, "lantern-keeper.txt", "duplicate", "same content"),  # HTML vs plain text
        (bare_text(STORY_TXT), "pasted.txt", "near-duplicate", "similar text"),  # cp1252, no title
        (one_word_edit(STORY_HTML), "lantern-keeper.html", "update", None),  # same file
        (one_word_edit(STORY_TXT), "keeper-fixed.txt", "near-duplicate", "similar text"),
        (with_chapter_3(STORY_TXT), "keeper-ch3.txt", "update", None),  # stored chapters continue
        (OTHER_STORY, "tide-tables.txt", "new", None),  # same creator and fandom, other story
    ],
    ids=[
        "same-bytes",
        "html-vs-text",
        "bare-text",
        "edit-same-file",
        "edit-other-file",
        "extra-chapter",
        "unrelated",
    ],  # fmt: skip
)
def test_classify(raw, name, kind, rule):
    work = stored()
    verdict = versions.classify(prepared(raw, name))
    assert verdict.kind == kind, verdict
    if kind != "new":
        assert verdict.work == work and verdict.evidence and verdict.reason
    if rule:
        assert verdict.rule == rule


def test_the_same_source_url_in_other_words_is_the_same_work():
    work = stored(url="https://www.example.org/stories/7/")
    verdict = versions.classify(
        prepared(one_word_edit(STORY_TXT), "renamed.txt"), source_url="http://example.org/stories/7"
    )
    assert verdict.kind == "update" and verdict.work == work
    assert any("source URL" in line for line in verdict.evidence)
    assert len(verdict.alignment.changed) == 1


def test_other_text_at_the_same_source_is_reported_not_merged():
    work = stored(url="https://example.org/stories/7")
    verdict = versions.classify(
        prepared(OTHER_STORY, "tides.txt", url="https://example.org/stories/7")
    )
    assert (verdict.kind, verdict.rule, verdict.work) == (
        "near-duplicate",
        "same source, but no chapter in common",
        work,
    )


def test_an_older_copy_from_the_same_file_brings_nothing_new():
    work = stored(with_chapter_3(STORY_TXT), "keeper.txt")
    verdict = versions.classify(prepared(STORY_TXT, "keeper.txt"))
    assert (verdict.kind, verdict.rule, verdict.work) == ("duplicate", "same source, nothing new",
                                                          work)  # fmt: skip


def test_an_older_copy_from_elsewhere_is_reported_not_skipped():
    stored(with_chapter_3(STORY_TXT), "keeper.txt")
    assert versions.classify(prepared(STORY_TXT, "old.txt")).kind == "near-duplicate"


def test_two_stored_works_that_could_be_updated_are_not_chosen_between():
    first = stored(STORY_TXT, "keeper.txt")
    # The same story stored again under another creator (an archive's own duplicate).
    second = stored(STORY_TXT.replace(b"by Odile Marsh", b"by O. Marsh"), "keeper2.txt")
    verdict = versions.classify(prepared(with_chapter_3(STORY_TXT), "new.txt"))
    assert verdict.kind == "near-duplicate" and verdict.ambiguous
    assert {verdict.work, *(w for w, _ in verdict.near)} == {first, second}
    assert "choose which" in verdict.reason


def test_works_stored_before_signatures_are_found_by_their_chapters():
    work = stored()
    WorkSignature.objects.all().delete()
    SignatureBand.objects.all().delete()
    verdict = versions.classify(prepared(with_chapter_3(STORY_TXT), "keeper-ch3.txt"))
    assert verdict.kind == "update" and verdict.work == work
    assert verdict.similarity > 0.5  # measured from the stored chapters instead


# --- The plan -----------------------------------------------------------------------------------


def planned(name: str) -> PlannedWork:
    return PlannedWork(key=name, title="The Lantern Keeper", chapters=[PlannedChapter(name)])


@pytest.mark.parametrize(
    ("raw", "name", "action", "field"),
    [
        (STORY_TXT, "lantern-keeper.txt", "skip", "duplicate_of"),
        (with_chapter_3(STORY_TXT), "site/keeper.txt", "update", "update_of"),
        (one_word_edit(STORY_TXT), "elsewhere.txt", "import", "near_duplicates"),
    ],
)
def test_annotate_plan_work(raw, name, action, field):
    work = stored()
    plan_work = planned(name)
    versions.annotate_plan_work(plan_work, prepared(raw, Path(name).name))
    assert plan_work.action == action
    assert getattr(plan_work, field) in (work.pk, [work.pk])
    assert f"#{work.pk}" in plan_work.reason


def test_annotate_keeps_the_archivists_choice():
    stored()
    plan_work = planned("lantern-keeper.txt")
    plan_work.action = "update"
    plan_work.update_of = 99
    versions.annotate_plan_work(plan_work, prepared(STORY_TXT, "lantern-keeper.txt"))
    assert (plan_work.action, plan_work.update_of) == ("update", 99)


def test_annotate_leaves_a_new_work_alone():
    plan_work = planned("tide-tables.txt")
    versions.annotate_plan_work(plan_work, prepared(OTHER_STORY, "tide-tables.txt"))
    assert (plan_work.action, plan_work.reason, plan_work.near_duplicates) == ("import", "", [])


# --- update_work_from ---------------------------------------------------------------------------


@pytest.fixture
def read_work(reader, stranger):
    """The stored story with kudos, a comment on chapter 1, a bookmark and a subscriber."""
    work = stored(STORY_TXT, "keeper.txt")
    community.give_kudos(work, user=reader)
    community.add_comment(work.chapters.get(position=1), "Lovely storm.", user=reader)
    community.save_bookmark(reader, work, note="to reread")
    community.subscribe(stranger, work=work)
    return Work.objects.get(pk=work.pk)


def test_a_newer_copy_with_one_more_chapter_updates_in_place(read_work, stranger):
    chapter_ids = list(read_work.chapters.values_list("pk", flat=True))
    words = read_work.word_count
    IndexQueue.objects.all().delete()
    result = actions.update_work_from(read_work, prepared(with_chapter_3(STORY_TXT), "v2.txt"))

    work = Work.objects.get(pk=read_work.pk)
    assert work.chapter_count == 3 and work.word_count > words
    assert list(work.chapters.values_list("pk", flat=True))[:2] == chapter_ids
    assert [c.title for c in result.added] == ["The Answer"]
    assert result.added[0].position == 3 and result.unchanged == 2
    assert not result.changed and not result.missing
    assert Kudos.objects.filter(work=work).count() == 1 and work.kudos_count == 1
    assert Comment.objects.get().chapter_id == chapter_ids[0]
    assert Bookmark.objects.filter(work=work).count() == 1
    (note,) = Notification.objects.filter(user=stranger)
    assert (note.kind, note.chapter) == ("chapter", result.added[0])
    assert result.notified == 1
    assert set(work.sources.values_list("filename", flat=True)) == {"keeper.txt", "v2.txt"}
    assert IndexQueue.objects.filter(work_id=work.pk).exists()
    assert result.source.filename == "v2.txt"
    assert "1 chapter(s) added" in result.summary()


def test_after_an_update_the_new_copy_is_a_duplicate(read_work):
    newer = prepared(with_chapter_3(STORY_TXT), "v2.txt")
    actions.update_work_from(read_work, newer)
    signature = WorkSignature.objects.get(work=read_work)
    text = similarity.story_text(read_work.chapters.values_list("body_text", flat=True))
    assert list(similarity.from_bytes(signature.minhash)) == list(similarity.signature(text))
    assert versions.classify(newer).kind == "duplicate"
    again = prepared(with_chapter_3(STORY_TXT).replace(b"\n", b"\r\n"), "v2-crlf.txt")
    assert versions.classify(again).rule == "same content"


def test_a_one_word_edit_updates_the_chapter_in_place(read_work):
    chapter = read_work.chapters.get(position=2)
    result = actions.update_work_from(read_work, prepared(one_word_edit(STORY_TXT), "fixed.txt"))
    assert [c.pk for c in result.changed] == [chapter.pk] and not result.added
    chapter.refresh_from_db()
    assert "a pot of coffee" in chapter.body_text and "coffee" in chapter.body_html
    assert chapter.fingerprint == similarity.text_fingerprint(chapter.body_text)
    assert Notification.objects.count() == 0  # a fix is not a new chapter


def test_a_chapter_the_new_version_lacks_is_kept_and_reported(read_work):
    only_first = STORY_TXT.split(b"Chapter 2:")[0]
    result = actions.update_work_from(read_work, prepared(with_chapter_3(only_first), "v3.txt"))
    work = Work.objects.get(pk=read_work.pk)
    assert [c.title for c in work.chapters.all()] == ["The Storm", "The Letter", "The Answer"]
    assert [c.title for c in result.missing] == ["The Letter"]
    assert "kept chapter(s) the new version lacks: 2 'The Letter'" in result.summary()


def test_a_chapter_inserted_in_the_middle_takes_its_place(read_work):
    first, second = STORY_TXT.split(b"Chapter 2:")
    middle = CHAPTER_3.replace(b"Chapter 3: The Answer", b"Chapter 2: Interlude").rstrip()
    newer = first.rstrip() + middle + b"\n\nChapter 3:" + second
    ids = list(read_work.chapters.values_list("pk", flat=True))
    result = actions.update_work_from(read_work, prepared(newer, "v4.txt"))
    work = Work.objects.get(pk=read_work.pk)
    chapters = list(work.chapters.all())
    assert [c.title for c in chapters] == ["The Storm", "Interlude", "The Letter"]
    assert [chapters[0].pk, chapters[2].pk] == ids and chapters[1] == result.added[0]


def test_metadata_is_refreshed_but_never_emptied(read_work):
    newer = with_chapter_3(STORY_TXT).replace(
        b"The Lantern Keeper", b"The Lantern Keeper (revised)"
    )
    newer = newer.replace(b"by Odile Marsh", b"by Odile Marsh and Pell Yarrow")
    actions.update_work_from(read_work, prepared(newer, "v5.txt"))
    work = Work.objects.get(pk=read_work.pk)
    assert work.title.startswith("The Lantern Keeper (revised)")
    assert "Odile Marsh" in [p.name for p in work.creator_pseuds]


def test_an_update_to_another_works_text_is_refused(read_work):
    other = stored(OTHER_STORY, "tide-tables.txt")
    with pytest.raises(ValueError, match=f"same text as work #{other.pk}"):
        actions.update_work_from(read_work, prepared(OTHER_STORY, "tides-copy.txt"))
    assert read_work.chapters.count() == 2  # nothing changed: one transaction


def test_an_update_from_another_works_file_is_refused(read_work):
    other = stored(OTHER_STORY, "tide-tables.txt")
    other_prepared = prepared(OTHER_STORY, "tide-tables.txt")
    other.content_hash = "changed since"
    other.save()
    with pytest.raises(ValueError, match=f"imported as work #{other.pk}"):
        actions.update_work_from(read_work, other_prepared)


# --- update_from_file ---------------------------------------------------------------------------


def write(tmp_path: Path, name: str, raw: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def test_update_from_file_finds_the_work(read_work, tmp_path):
    path = write(tmp_path, "keeper.txt", with_chapter_3(STORY_TXT))
    work, result = versions.update_from_file(path, analyse=False)
    assert work.pk == read_work.pk and len(result.added) == 1


def test_update_from_file_updates_a_near_duplicate_on_purpose(read_work, tmp_path):
    path = write(tmp_path, "fixed-elsewhere.txt", one_word_edit(STORY_TXT))
    work, result = versions.update_from_file(path, analyse=False)
    assert work.pk == read_work.pk and len(result.changed) == 1


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("keeper.txt", STORY_TXT, "already work #.* nothing to update"),
        ("tide-tables.txt", OTHER_STORY, "no stored work matches tide-tables.txt"),
        ("empty.txt", b"", "empty.txt: "),
    ],
)
def test_update_from_file_says_why_not(read_work, tmp_path, name, raw, message):
    with pytest.raises(versions.VersionError, match=message):
        versions.update_from_file(write(tmp_path, name, raw), analyse=False)


def test_update_from_file_with_several_matches_asks_which(read_work, tmp_path):
    stored(STORY_TXT.replace(b"by Odile Marsh", b"by O. Marsh"), "keeper2.txt")
    path = write(tmp_path, "new.txt", with_chapter_3(STORY_TXT))
    with pytest.raises(versions.VersionError, match="several stored works match new.txt.*--work"):
        versions.update_from_file(path, analyse=False)
    work, _ = versions.update_from_file(path, work=read_work, analyse=False)
    assert work.chapter_count == 3


def test_update_from_a_missing_file(tmp_path):
    with pytest.raises(versions.VersionError, match="cannot read"):
        versions.update_from_file(tmp_path / "nowhere.txt")


# --- Backfill -----------------------------------------------------------------------------------


def test_backfill_signs_works_stored_before_signatures():
    work = stored()
    expected = WorkSignature.objects.get(work=work).minhash
    WorkSignature.objects.all().delete()
    SignatureBand.objects.all().delete()
    Chapter.objects.update(fingerprint="")
    seen = []
    assert versions.backfill_signatures(progress=seen.append) == 1 and seen == [1]
    assert bytes(WorkSignature.objects.get(work=work).minhash) == bytes(expected)
    assert SignatureBand.objects.count() == similarity.BANDS
    assert not Chapter.objects.filter(fingerprint="").exists()
    assert versions.backfill_signatures() == 0  # idempotent


def test_backfill_rebuilds_signatures_of_an_old_scheme():
    stored()
    WorkSignature.objects.update(scheme="minhash-old")
    assert versions.backfill_signatures() == 1
    assert WorkSignature.objects.get().scheme == similarity.SCHEME


def test_sources_are_indexed_for_the_lookups():
    indexed = {tuple(index.fields) for index in Source._meta.indexes}
    assert {("url",), ("filename",)} <= indexed
