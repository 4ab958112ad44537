import pytest

from ficarchive.archive import actions
from ficarchive.archive.models import Chapter, Contact, Pseud, Source, Tag, Work, WorkTag

pytestmark = pytest.mark.django_db


def test_import_stores_everything(parsed_work):
    result = actions.import_work(parsed_work(), raw=b"raw bytes one", filename="one.txt")
    work = result.work
    assert result.status == "imported"
    assert (work.title, work.chapter_count, work.complete, work.rating) == (
        "A Test Work",
        2,
        True,
        "Teen And Up Audiences",
    )
    assert [p.name for p in work.creator_pseuds] == ["Test Writer"]
    assert list(work.chapters.values_list("position", "title")) == [
        (1, "Part the 1"),
        (2, "Part the 2"),
    ]
    first = work.chapters.get(position=1)
    assert '<hr class="scene-break">' in first.body_html
    assert first.epigraph_html.startswith('<p class="verse"><em>a line of song<br>')
    assert first.body_text == "Chapter 1 begins A Test Work.\n\n* * *\n\nIt ends."
    assert {(t.type, t.name) for t in work.tags.all()} >= {
        ("fandom", "Original Work"),
        ("relationship", "Ann/Bea"),
    }
    assert set(WorkTag.objects.filter(work=work).values_list("source", flat=True)) == {"imported"}
    assert Contact.objects.get().value == "secret.writer@example.invalid"
    assert Source.objects.get().filename == "one.txt"


def test_same_content_is_a_duplicate_even_with_other_bytes(parsed_work):
    first = actions.import_work(parsed_work(), raw=b"bytes as utf-8")
    again = actions.import_work(parsed_work(), raw=b"bytes as cp1252")
    same_bytes = actions.import_work(parsed_work(title="Changed"), raw=b"bytes as utf-8")
    assert (again.status, again.work) == ("duplicate", first.work)
    assert (same_bytes.status, same_bytes.work) == ("duplicate", first.work)
    assert Work.objects.count() == 1


def test_creators_and_tags_are_shared_between_works(parsed_work):
    actions.import_work(parsed_work("One"), raw=b"1")
    actions.import_work(parsed_work("Two"), raw=b"2")
    assert Pseud.objects.count() == 1
    assert Tag.objects.filter(type="fandom").count() == 1


def test_a_failure_mid_import_leaves_nothing(parsed_work, monkeypatch):
    real = actions._insert_rows

    def explode(model, *args):
        if model is Chapter:  # the last write: the work, its source, creator and tags are in
            raise RuntimeError("disk on fire")
        return real(model, *args)

    monkeypatch.setattr(actions, "_insert_rows", explode)
    with pytest.raises(RuntimeError):
        actions.import_work(parsed_work(), raw=b"x")
    assert (
        Work.objects.count(),
        Source.objects.count(),
        Pseud.objects.count(),
        Tag.objects.count(),
    ) == (0, 0, 0, 0)


def test_user_html_is_sanitised(parsed_work):
    from ficarchive.text.model import Block

    work = parsed_work()
    work.chapters[0].blocks = [
        Block(html='<script>alert(1)</script><em onclick="x()">hi</em><a href="javascript:x">y</a>')
    ]
    stored = actions.import_work(work, raw=b"evil").work.chapters.get(position=1).body_html
    assert "<script" not in stored and "onclick" not in stored and "javascript" not in stored
    assert "<em>hi</em>" in stored


def test_rating_becomes_a_tag_too(parsed_work):
    work = parsed_work(rating="Mature")
    work.tags = [t for t in work.tags if t.type != "rating"]
    stored = actions.import_work(work, raw=b"rated").work
    assert stored.rating == "Mature"
    assert list(stored.tags.filter(type="rating").values_list("name", flat=True)) == ["Mature"]


def test_chapter_positions_follow_reading_order(parsed_work):
    work = parsed_work(chapters=3)
    for chapter in work.chapters:
        chapter.number = 1  # a source that numbered every chapter "1"
    stored = actions.import_work(work, raw=b"ones").work
    assert list(stored.chapters.values_list("position", flat=True)) == [1, 2, 3]


def test_a_work_without_chapters_is_refused(parsed_work):
    from ficarchive.text.errors import NoStoryText

    with pytest.raises(NoStoryText):
        actions.import_work(parsed_work(chapters=0), raw=b"nothing")
    assert Work.objects.count() == 0


def test_contact_value_is_not_in_its_string_form(parsed_work):
    actions.import_work(parsed_work(), raw=b"c")
    assert "secret.writer" not in str(Contact.objects.get())


def test_creators_with_several_names_keep_their_order(parsed_work):
    from ficarchive.text.model import Creator

    work = parsed_work(creator="")
    work.creators = [Creator("Second Hand"), Creator("First Light"), Creator("Second Hand")]
    stored = actions.import_work(work, raw=b"co").work
    assert [p.name for p in stored.creator_pseuds] == ["Second Hand", "First Light"]


def test_a_concurrent_duplicate_is_reported_not_raised(parsed_work, monkeypatch):
    first = actions.import_work(parsed_work(), raw=b"first bytes").work
    real = actions._stored
    calls = []

    def blind_once(prepared):  # as if another process committed just after our check
        calls.append(prepared)
        return {} if len(calls) == 1 else real(prepared)

    monkeypatch.setattr(actions, "_stored", blind_once)
    result = actions.import_work(parsed_work(), raw=b"other bytes")
    assert (result.status, result.work) == ("duplicate", first)
    assert (Work.objects.count(), Source.objects.count()) == (1, 1)
