"""`export` and `import-dump`: the whole archive out to a portable dump and back, equal.

The round trip runs on whichever database the suite runs on (SQLite, then PostgreSQL under
scripts/with-postgres); the dump itself is database-neutral JSON, so both directions between
the two are the same code path.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from ficarchive.api.models import ApiToken
from ficarchive.api.tokens import create_token
from ficarchive.archive import actions
from ficarchive.archive.dump import (
    DumpError,
    archive_contents,
    dumped_models,
    export_archive,
    import_dump,
)
from ficarchive.archive.models import Chapter, Contact, Pseud, Tag, Work, WorkTag
from ficarchive.search import indexing
from ficarchive.search.criteria import Criteria
from ficarchive.search.query import parse_query
from tests.archive.conftest import make_analysis
from tests.conftest import make_parsed_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(use_analysis, django_user_model):
    """An archive with something in every corner: analysis, suggestions, synonyms, a claimed
    creator, private contacts, a series, responses, a user in a group, an API token."""
    use_analysis(make_analysis())
    first = actions.import_work(make_parsed_work("Lanterns at Dusk"), raw=b"one").work
    second = actions.import_work(
        make_parsed_work("Ünïcode — “quoted” 漢字", chapters=3, creator="Other Hand"),
        raw=b"two",
        analyse=False,
    ).work
    writer = django_user_model.objects.create_user("writer", "w@example.invalid", "pw-writer-1")
    reader = django_user_model.objects.create_user("reader", password="pw-reader-1")
    group = Group.objects.create(name="tag wranglers")
    group.permissions.add(Permission.objects.get(codename="change_tag"))
    reader.groups.add(group)
    creator = Pseud.objects.get(name="Test Writer").creator
    creator.user = writer
    creator.save()
    ann = Tag.objects.get(type="character", name="Ann")
    Tag.objects.create(type="character", name="Annie", slug="annie", merger=ann)
    first.kudos_count = 3
    first.save()
    try:
        from ficarchive.archive.models import Series, SeriesWork

        series = Series.objects.create(title="Lights", owner=writer)
        SeriesWork.objects.create(series=series, work=first, position=1)
        SeriesWork.objects.create(series=series, work=second, position=2)
    except ImportError:
        pass
    try:
        from ficarchive.community import actions as community

        community.save_bookmark(reader, first, note="Again!", tags="comfort")
        community.give_kudos(first, user=reader)
    except ImportError:
        pass
    create_token(writer, "should not travel")
    return first, second


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _wipe() -> None:
    ApiToken.objects.all().delete()
    for model in reversed(dumped_models()):
        model._default_manager.all().delete()
    indexing.reindex()


def test_round_trip_restores_everything_equal(archive, tmp_path):
    first, second = archive
    before = export_archive(tmp_path / "a")
    assert before.counts["archive.work"] == 2
    assert before.counts["archive.chapter"] == 5
    _wipe()
    assert archive_contents() == {}

    restored = import_dump(tmp_path / "a")
    assert restored.counts == {k: v for k, v in before.counts.items() if v or k in restored.counts}
    again = export_archive(tmp_path / "b")
    assert again.counts == before.counts
    # Every row of every table, and every chapter body, byte for byte.
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    manifest_a = json.loads((tmp_path / "a" / "manifest.json").read_text())
    manifest_b = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest_a["files"] == manifest_b["files"]

    # Same ids, so every URL still works; the text, the private contact, the suggestions.
    work = Work.objects.get(pk=second.pk)
    assert work.title == "Ünïcode — “quoted” 漢字" and work.created_at == second.created_at
    assert work.modified_at == second.modified_at
    assert (
        Chapter.objects.get(work=work, position=3).body_html
        == second.chapters.get(position=3).body_html
    )
    assert Contact.objects.filter(value="secret.writer@example.invalid").exists()
    assert WorkTag.objects.filter(work_id=first.pk, status="pending").count() == 4
    assert Tag.objects.get(name="Annie").merger.name == "Ann"
    # Users without their passwords: they exist, in their groups, and must set a new one.
    User = get_user_model()
    writer = User.objects.get(username="writer")
    assert writer.email == "w@example.invalid" and not writer.has_usable_password()
    assert (
        User.objects.get(username="reader").groups.get().permissions.get().codename == "change_tag"
    )
    assert not ApiToken.objects.exists()
    # Searchable, and new rows get new ids after the restored ones.
    results = indexing.ready().search(Criteria(query=parse_query("lanterns")))
    assert results.ids == [first.pk]
    third = actions.import_work(make_parsed_work("After"), raw=b"three", analyse=False).work
    assert third.pk > second.pk
    assert Tag.objects.create(type="freeform", name="New", slug="new").pk > max(
        Tag.objects.exclude(name="New").values_list("pk", flat=True)
    )


def test_the_dump_is_documented_and_has_no_secrets(archive, tmp_path):
    export_archive(tmp_path / "d")
    manifest = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert manifest["format"] == "ficarchive-dump" and manifest["version"] == 1
    assert "ficarchive import-dump" in (tmp_path / "d" / "README.md").read_text()
    for name, entry in manifest["files"].items():
        data = (tmp_path / "d" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data.splitlines()) == entry["rows"]
    users = [json.loads(line) for line in (tmp_path / "d" / "auth.user.jsonl").open()]
    assert {u["fields"]["username"] for u in users} == {"writer", "reader"}
    assert all("password" not in u["fields"] for u in users)
    assert "api.apitoken.jsonl" not in manifest["files"]
    assert not any("search" in name for name in manifest["files"])
    everything = b"".join(p.read_bytes() for p in (tmp_path / "d").rglob("*.jsonl"))
    assert b"pbkdf2" not in everything
    chapter = json.loads((tmp_path / "d" / "archive.chapter.jsonl").open().readline())
    assert "body_html" not in chapter["fields"]
    body = tmp_path / "d" / "chapters" / str(chapter["fields"]["work"]) / "1.html"
    assert "<p>" in body.read_text()


def test_export_refuses_a_folder_with_things_in_it(archive, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(DumpError, match="not an empty folder"):
        export_archive(tmp_path / "full")


def test_import_refuses_an_archive_that_is_not_empty(archive, tmp_path):
    export_archive(tmp_path / "d")
    works = Work.objects.count()
    with pytest.raises(DumpError, match=r"not empty \(.*2 archive\.work"):
        import_dump(tmp_path / "d")
    assert Work.objects.count() == works


def _rewrite(root: Path, name: str, change) -> None:
    """Change a data file and fix its checksum, so the check that follows is the one tested."""
    path = root / name
    path.write_text(change(path.read_text()))
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["files"][name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (root / "manifest.json").write_text(json.dumps(manifest))


def _manifest(root: Path, change) -> None:
    manifest = json.loads((root / "manifest.json").read_text())
    change(manifest)
    (root / "manifest.json").write_text(json.dumps(manifest))


CORRUPTIONS = {
    "no manifest": (lambda d: (d / "manifest.json").unlink(), "no manifest.json"),
    "not a manifest": (lambda d: (d / "manifest.json").write_text("{oops"), "not valid JSON"),
    "future version": (lambda d: _manifest(d, lambda m: m.update(version=99)), "version 99"),
    "unknown model": (
        lambda d: _manifest(d, lambda m: m["files"].update({"x.y.jsonl": {"model": "x.y"}})),
        "'x.y' is not one this archive has",
    ),
    "missing file": (lambda d: (d / "archive.tag.jsonl").unlink(), "missing from the dump"),
    "damaged file": (
        lambda d: (d / "archive.work.jsonl").write_text("{}\n"),
        "does not match its checksum",
    ),
    "line not JSON": (
        lambda d: _rewrite(d, "archive.work.jsonl", lambda t: t + "{not json\n"),
        "archive.work.jsonl line 3 is not JSON",
    ),
    "row of another model": (
        lambda d: _rewrite(
            d, "archive.work.jsonl", lambda t: t.replace('"archive.work"', '"archive.tag"', 1)
        ),
        "line 1 is not a archive.work row",
    ),
    "a row missing": (
        lambda d: _rewrite(d, "archive.tag.jsonl", lambda t: t.split("\n", 1)[1]),
        "rows where manifest.json says otherwise",
    ),
    "missing chapter body": (
        lambda d: next((d / "chapters").rglob("2.txt")).unlink(),
        "body files",
    ),
    "unknown field": (
        lambda d: _rewrite(d, "archive.work.jsonl", lambda t: t.replace('"title":', '"titel":', 1)),
        "could not be restored, so nothing was",
    ),
    "reference to nothing": (
        lambda d: _rewrite(
            d,
            "archive.creatorship.jsonl",
            lambda t: re.sub(r'"pseud": \d+', '"pseud": 9999', t, count=1),
        ),
        "could not be restored, so nothing was",
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_damaged_dump_is_refused_and_nothing_is_imported(archive, tmp_path, corruption):
    export_archive(tmp_path / "d")
    _wipe()
    damage, message = CORRUPTIONS[corruption]
    damage(tmp_path / "d")
    with pytest.raises(DumpError, match=message):
        import_dump(tmp_path / "d")
    assert archive_contents() == {}
