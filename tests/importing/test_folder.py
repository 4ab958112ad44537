"""Importing a folder or saved site: plan, duplicates and versions, apply (importing.folder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ficarchive.archive.models import Chapter, Work
from ficarchive.community import actions as community
from ficarchive.community.models import Comment, Kudos
from ficarchive.importing import folder
from ficarchive.rescue.plan import Plan, PlanError
from tests.shared_data import SHARED

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
VERSIONS = Path(__file__).resolve().parents[1] / "fixtures" / "versions"
DISCLAIMER = "please ask before you archive this story"
pytestmark = pytest.mark.django_db


def site_copy(tmp_path: Path, name: str = "personal1999") -> Path:
    root = tmp_path / name
    shutil.copytree(SITES / name, root)
    return root


def test_a_saved_site_imports_as_its_stories_only(tmp_path):
    plan = folder.run([site_copy(tmp_path)], analyse=False, workers=1)

    titles = sorted(Work.objects.values_list("title", flat=True))
    assert titles == ["Owl Post", "Salt", "The Lamp Room"]
    salt = Work.objects.get(title="Salt")
    assert list(salt.chapters.order_by("position").values_list("title", flat=True)) == [
        "Part One: The Storm",
        "Part Two: The Road",
        "Part Three: The Tide",
    ]
    assert not Chapter.objects.filter(body_text__contains=DISCLAIMER).exists()
    skipped = {s.source: s.kind for s in plan.skipped}
    assert skipped["guestbook.html"] == "guestbook"
    assert skipped["style.css"] == "asset"
    assert skipped["salt.html"] == "story index"
    assert all(s.reason for s in plan.skipped)
    assert folder.summary(plan).startswith("imported 3, already present 0, failed 0")


def test_importing_the_same_site_again_adds_nothing(tmp_path):
    root = site_copy(tmp_path)
    folder.run([root], analyse=False, workers=1)
    again = folder.run([root], analyse=False, workers=1)
    assert Work.objects.count() == 3
    assert {w.action for w in again.works} == {"skip"}
    assert folder.summary(again).startswith("imported 0, already present 3")


def test_plan_writes_nothing_and_an_edited_plan_is_applied_as_edited(tmp_path):
    root = site_copy(tmp_path)
    plan = folder.plan_folder(root, workers=1)
    assert Work.objects.count() == 0
    data = json.loads(plan.to_json())
    for work in data["works"]:
        if work["title"] == "Owl Post":
            work["action"] = "skip"
        if work["title"] == "Salt":
            work["title"] = "Salt and Storm"
            work["chapters"] = work["chapters"][:2]
    edited = tmp_path / "plan.json"
    edited.write_text(json.dumps(data))

    applied = folder.apply_plan(folder.read_plan(edited), analyse=False, workers=1)

    assert sorted(Work.objects.values_list("title", flat=True)) == [
        "Salt and Storm",
        "The Lamp Room",
    ]
    assert Work.objects.get(title="Salt and Storm").chapters.count() == 2
    outcomes = {w.title: w.outcome for w in applied.works}
    assert outcomes["Owl Post"] == "skipped"
    assert outcomes["Salt and Storm"].startswith("imported #")


def test_a_plan_for_another_kind_or_a_missing_root_is_refused(tmp_path):
    plan = Plan(kind="efiction", root=str(tmp_path))
    (tmp_path / "e.json").write_text(plan.to_json())
    with pytest.raises(PlanError, match="import-efiction"):
        folder.read_plan(tmp_path / "e.json")
    plan = Plan(kind="site", root=str(tmp_path / "gone"))
    (tmp_path / "s.json").write_text(plan.to_json())
    with pytest.raises(PlanError, match="root"):
        folder.read_plan(tmp_path / "s.json")


def test_a_chapter_file_removed_after_planning_fails_that_work_only(tmp_path):
    root = site_copy(tmp_path)
    plan = folder.plan_folder(root, workers=1)
    (root / "salt-road.html").unlink()
    folder.apply_plan(plan, analyse=False, workers=1)
    outcomes = {w.title: w.outcome for w in plan.works}
    assert outcomes["Salt"].startswith("failed: chapter 2 of 'Salt'")
    assert not Work.objects.filter(title="Salt").exists()
    assert Work.objects.count() == 2


def test_a_newer_copy_updates_the_work_in_place_keeping_kudos_and_comments(tmp_path, reader):
    first = tmp_path / "first"
    first.mkdir()
    (first / "lantern-keeper.txt").write_bytes((VERSIONS / "lantern-keeper.txt").read_bytes())
    folder.run([first], analyse=False, workers=1)
    work = Work.objects.get()
    community.give_kudos(work, user=reader)
    chapter = work.chapters.get(position=2)  # the chapter the one-word edit is in
    community.add_comment(chapter, "Lovely.", user=reader)

    newer = tmp_path / "newer"
    newer.mkdir()
    text = (VERSIONS / "lantern-keeper.txt").read_bytes()
    (newer / "lantern-keeper.txt").write_bytes(
        text.replace(b"a pot of tea", b"a pot of coffee", 1).rstrip()
        + b"\n\nChapter 3: The Answer\n\n"
        + b"The reply came six weeks later, on the boat after the gales, and Mara read it on "
        b"the jetty with the wind trying to take it from her. " * 4
    )
    plan = folder.run([newer], analyse=False, workers=1)

    (planned,) = plan.works
    assert planned.action == "update" and planned.update_of == work.pk
    assert planned.outcome.startswith(f"updated work #{work.pk}: 1 chapter(s) added, 1 changed")
    assert Work.objects.count() == 1
    work.refresh_from_db()
    assert work.chapters.count() == 3
    assert Kudos.objects.filter(work=work).count() == 1
    assert Comment.objects.get().chapter_id == chapter.pk
    assert "a pot of coffee" in work.chapters.get(pk=chapter.pk).body_text


def test_the_same_story_twice_in_one_plan_is_planned_once(tmp_path):
    root = tmp_path / "two"
    root.mkdir()
    story = (VERSIONS / "lantern-keeper.txt").read_bytes()
    (root / "a.txt").write_bytes(story)
    (root / "b.txt").write_bytes(story.replace(b"\n", b"\r\n"))
    plan = folder.plan_folder(root, workers=1)
    assert [w.action for w in plan.works] == ["import", "skip"]
    assert plan.works[1].reason == "the same story as a.txt"


def test_a_lightly_edited_copy_in_the_same_plan_is_listed_as_alike_not_skipped(tmp_path):
    root = tmp_path / "two"
    root.mkdir()
    story = (VERSIONS / "lantern-keeper.txt").read_text(encoding="utf-8")
    (root / "a.txt").write_text(story, encoding="utf-8")
    words = story.split(" ")
    words[len(words) // 2] = "lamplit"  # a one-word edit
    (root / "b.txt").write_text(" ".join(words), encoding="utf-8")
    (root / "c.txt").write_text((VERSIONS / "tide-tables.txt").read_text(encoding="utf-8"))
    plan = folder.plan_folder(root, workers=1)
    by_key = {w.key: w for w in plan.works}
    assert [w.action for w in plan.works] == ["import", "import", "import"]
    assert (by_key["a.txt"].resembles, by_key["b.txt"].resembles) == ([], ["a.txt"])
    assert by_key["c.txt"].resembles == []
    assert "resembles a.txt" in plan.report()
    assert Plan.from_json(plan.to_json()).works[1].resembles == ["a.txt"]


def test_a_folder_of_symbolic_links_to_story_files_imports_them(tmp_path):
    elsewhere, folder_of_links = tmp_path / "stories", tmp_path / "links"
    shutil.copytree(VERSIONS, elsewhere)
    folder_of_links.mkdir()
    for name in ("lantern-keeper.txt", "tide-tables.txt"):
        (folder_of_links / name).symlink_to(elsewhere / name)
    plan = folder.run([folder_of_links], workers=1, analyse=False)
    assert [w.outcome.split(" #")[0] for w in plan.works] == ["imported", "imported"]


def test_given_files_are_planned_relative_to_their_folder(tmp_path):
    root = site_copy(tmp_path)
    base, files = folder.material([root / "lamp.html", root / "owls.html"])
    assert base == root and files == ["lamp.html", "owls.html"]
    with pytest.raises(FileNotFoundError, match="nope.html"):
        folder.material([root / "nope.html"])


@pytest.mark.skipif(not (SHARED / "corpora" / "fanfic-dev").is_dir(), reason="no ../shared")
def test_the_development_corpus_folder_makes_no_work_from_its_sidecars(tmp_path):
    corpus = SHARED / "corpora" / "fanfic-dev"
    plan = folder.run([corpus], analyse=False, workers=1)
    sources = {
        Path(s).name
        for w in Work.objects.all()
        for s in w.sources.values_list("filename", flat=True)
    }
    assert sources and not any(s.endswith(".source.txt") or s == "README.md" for s in sources)
    skipped = {s.source for s in plan.skipped}
    assert "README.md" in skipped
    assert all(name in skipped for name in (p.name for p in corpus.glob("*.source.txt")))
    assert not any(w.outcome.startswith("failed") for w in plan.works)
