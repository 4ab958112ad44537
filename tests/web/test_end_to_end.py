"""Story files through the whole pipeline: parse_story, the import action, the reading pages."""

from pathlib import Path

import pytest
from django.urls import reverse

from ficarchive.archive.models import Chapter, Contact, Pseud, Source, Tag, Work
from ficarchive.importing.batch import EXAMPLES, import_files, story_files

pytestmark = pytest.mark.django_db


def all_pages(client, work: Work) -> dict[str, bytes]:
    urls = [
        reverse("archive:home"),
        reverse("archive:works"),
        work.get_absolute_url(),
        *(c.get_absolute_url() for c in work.chapters.all()),
        *(p.get_absolute_url() for p in Pseud.objects.all()),
        *(t.get_absolute_url() for t in Tag.objects.all()),
        *(reverse("archive:tags", args=[t]) for t in Tag.Type.values),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def test_a_story_file_becomes_a_readable_work(client, stories_dir: Path):
    outcome = import_files([stories_dir / "the-ferryman-s-ledger.txt"], progress=False)
    assert outcome["failed"] == []
    ((_, work),) = outcome["imported"]
    assert (work.title, work.chapter_count, work.complete) == ("The Ferryman's Ledger", 2, True)
    assert work.rating == "Teen And Up Audiences"
    assert Contact.objects.get().value == "wren.castellane@example.invalid"

    page = client.get(work.get_absolute_url()).content.decode()
    assert page.count('<blockquote class="epigraph">') == 2
    assert '<hr class="scene-break">' in page
    assert "Wren Castellane" in page and "Hollis/Maud" in page and "Original Work" in page
    assert 'class="rating-badge small rating-teen"' in page

    second = client.get(reverse("archive:chapter", args=[work.pk, 2])).content.decode()
    assert "High Water" in second and "Low Water</option>" in second
    assert "Maud's name appeared every Thursday" not in second

    for url, content in all_pages(client, work).items():
        assert b"wren.castellane" not in content, url


def test_bad_files_fail_with_reasons_and_leave_nothing(tmp_path, stories_dir: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / ".hidden.txt").write_text("never read")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("never read")
    files = story_files([tmp_path, stories_dir / "the-ferryman-s-ledger.txt"])
    assert [f.name for f in files] == ["binary.txt", "empty.txt", "the-ferryman-s-ledger.txt"]
    outcome = import_files(files, progress=False)
    reasons = dict(outcome["failed"])
    assert set(reasons) == {tmp_path / "empty.txt", tmp_path / "binary.txt"}
    assert all(reason for reason in reasons.values())
    assert (Work.objects.count(), Chapter.objects.count(), Source.objects.count()) == (1, 2, 1)


def test_an_unexpected_error_in_one_file_does_not_stop_the_others(
    tmp_path, monkeypatch, stories_dir
):
    from ficarchive.archive import ingest

    real = ingest.prepare

    def flaky(parsed, **kwargs):
        if kwargs.get("filename") == "boom.txt":
            raise RuntimeError("simulated bug")
        return real(parsed, **kwargs)

    monkeypatch.setattr(ingest, "prepare", flaky)
    boom = tmp_path / "boom.txt"
    boom.write_bytes(
        (stories_dir / "the-ferryman-s-ledger.txt").read_bytes().replace(b"Ledger", b"Log")
    )
    outcome = import_files([boom, stories_dir / "the-ferryman-s-ledger.txt"], progress=False)
    assert len(outcome["imported"]) == 1
    ((path, reason),) = outcome["failed"]
    assert path == boom and "unexpected error (RuntimeError: simulated bug)" in reason


def _variants(stories_dir, tmp_path, n: int) -> list:
    """`n` different works made from one story file (other titles, so other fingerprints)."""
    text = (stories_dir / "the-ferryman-s-ledger.txt").read_bytes()
    paths = []
    for i in range(n):
        path = tmp_path / f"variant-{i}.txt"
        path.write_bytes(text.replace(b"Ledger", f"Ledger {i}".encode()))
        paths.append(path)
    return paths


def test_a_failure_while_storing_costs_only_that_work(tmp_path, monkeypatch, stories_dir):
    """The batch is rolled back and stored again work by work: only the bad one fails."""
    from ficarchive.archive import actions

    real = actions._work_row

    def flaky(prepared):
        if prepared.filename == "variant-2.txt":
            raise RuntimeError("simulated bug")
        return real(prepared)

    monkeypatch.setattr(actions, "_work_row", flaky)
    paths = _variants(stories_dir, tmp_path, 5)
    outcome = import_files(paths, progress=False, workers=1)
    assert [path.name for path, _ in outcome["imported"]] == [
        "variant-0.txt", "variant-1.txt", "variant-3.txt", "variant-4.txt"
    ]  # fmt: skip
    ((path, reason),) = outcome["failed"]
    assert path.name == "variant-2.txt" and "RuntimeError: simulated bug" in reason
    assert Work.objects.count() == 4 and Source.objects.count() == 4


def test_worker_processes_store_the_same_as_one_process(tmp_path, stories_dir):
    paths = _variants(stories_dir, tmp_path, 6)
    paths.append(tmp_path / "variant-0-again.txt")
    paths[-1].write_bytes(paths[0].read_bytes())  # a duplicate within the same batch
    outcome = import_files(paths, progress=False, workers=2, analyse=False)
    assert [p.name for p, _ in outcome["imported"]] == [f"variant-{i}.txt" for i in range(6)]
    ((path, work),) = outcome["duplicate"]
    assert path.name == "variant-0-again.txt" and work == outcome["imported"][0][1]
    titles = sorted(Work.objects.values_list("title", flat=True))
    assert len(set(titles)) == 6 and Chapter.objects.count() == 12
    assert all(
        w.word_count == sum(c.word_count for c in w.chapters.all()) for w in Work.objects.all()
    )


def test_example_works_import_and_render(client):
    outcome = import_files(sorted(EXAMPLES.glob("*.*")), progress=False)
    assert outcome["failed"] == [] and len(outcome["imported"]) == 3
    for _, work in outcome["imported"]:
        assert 600 <= work.word_count <= 1500, (work.title, work.word_count)
    pages = all_pages(client, outcome["imported"][0][1])
    assert not any(b"@example.invalid" in content for content in pages.values())
    shapes = {Source.objects.get(work=w).format for _, w in outcome["imported"]}
    assert shapes == {"text", "markdown", "html"}
    breaks = sum(c.body_html.count("scene-break") for c in Chapter.objects.all())
    epigraphs = Chapter.objects.exclude(epigraph_html="").count()
    assert breaks >= 3 and epigraphs >= 2


def test_ctrl_c_stops_after_rolling_back_the_current_file(monkeypatch, stories_dir, tmp_path):
    from ficarchive.archive import ingest

    def interrupted(raw, filename=""):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "parse_story", interrupted)
    other = tmp_path / "other.txt"
    other.write_text("never reached")
    outcome = import_files([stories_dir / "the-ferryman-s-ledger.txt", other], progress=False)
    assert outcome["interrupted"] == [stories_dir / "the-ferryman-s-ledger.txt"]
    assert Work.objects.count() == 0
