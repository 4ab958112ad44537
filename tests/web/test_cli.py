"""The `ficarchive` command, run as users run it (a subprocess) where the database matters."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ficarchive.importing.batch import EXAMPLES

STORY = (
    "Title: Small Hours\nAuthor: Nell Dray\nEmail: nell@example.invalid\n\n"
    + "She counted the small hours one by one until the light came. " * 20
)


def run(*args: str, data: Path, **settings: str) -> subprocess.CompletedProcess:
    """The CLI in a subprocess, with its own data directory and any FICARCHIVE_* settings given."""
    env = {**os.environ, "FICARCHIVE_DATA": str(data), **settings}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("FICARCHIVE_DATABASE_URL", None)  # each run gets its own SQLite archive in `data`
    return subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_inspect_json_has_the_documented_fields_and_no_contact(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    result = run("inspect", str(story), "--json", data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "title",
        "title_missing",
        "creators",
        "summary",
        "notes",
        "rating",
        "complete",
        "language",
        "word_count",
        "chapters",
        "source",
        "warnings",
    ):
        assert key in data
    for key in ("number", "title", "epigraph", "word_count", "text"):
        assert key in data["chapters"][0]
    assert data["title"] == "Small Hours" and data["creators"] == [{"name": "Nell Dray"}]
    assert "nell@example.invalid" not in result.stdout
    assert not (tmp_path / "data").exists()  # inspect never touches the database


def test_inspect_says_when_a_work_is_not_analysed(tmp_path):
    from tests.analysis.test_quotes_narration import FRENCH

    story = tmp_path / "margot.txt"
    story.write_text(FRENCH, encoding="utf-8")
    result = run("inspect", str(story), data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "analysis: not run: the work is in 'fr'" in result.stdout
    assert "characters (suggested)" not in result.stdout


def test_inspect_reports_bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("inspect", str(empty), data=tmp_path / "data")
    assert result.returncode == 1 and "empty" in result.stderr


def test_import_summary_duplicates_and_failures_leave_nothing(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_text(STORY)
    (folder / "copy.txt").write_text(STORY.replace("\n", "\r\n"), encoding="cp1252")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "cut.html").write_text("<html><body><p>" + "Story text goes on. " * 50)
    data = tmp_path / "data"
    result = run("import", str(folder), data=data)
    assert result.returncode == 1
    # The empty file is skipped (nothing to lose); the binary and the cut-off page failed.
    assert "imported 1, already present 1, failed 2" in result.stdout
    assert (
        "empty.txt" in result.stdout
        and "binary.txt" in result.stdout
        and "cut.html" in result.stdout
    )

    again = run("import", str(folder / "sub"), data=data)
    assert again.returncode == 0 and "imported 0, already present 1, failed 0" in again.stdout
    counts = run(
        "manage",
        "shell",
        "-v",
        "0",
        "-c",
        "from ficarchive.archive.models import *; print(Work.objects.count(), Chapter.objects.count(), Source.objects.count())",
        data=data,
    )
    assert counts.stdout.split() == ["1", "1", "1"]


def test_import_size_cap(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(STORY * 200)
    result = run("import", str(big), data=tmp_path / "data", FICARCHIVE_MAX_FILE_MB="0.01")
    assert result.returncode == 1 and "import cap (FICARCHIVE_MAX_FILE_MB)" in result.stdout


def test_bad_setting_is_a_clear_error(tmp_path):
    result = run("import", str(tmp_path), data=tmp_path, FICARCHIVE_DEBUG="maybe")
    assert (
        result.returncode == 2
        and "FICARCHIVE_DEBUG" in result.stderr
        and "true or false" in result.stderr
    )


@pytest.mark.django_db
def test_examples_import_cleanly():
    from ficarchive.archive.models import Work
    from ficarchive.importing.batch import import_files, load_examples

    files = sorted(EXAMPLES.glob("*.*"))
    assert len(files) >= 3
    assert load_examples() == len(files)
    assert Work.objects.count() == len(files)
    assert load_examples() == 0  # only into an empty archive
    assert import_files(files, progress=False)["failed"] == []


def test_inspect_json_includes_the_analysis(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(
        "Title: Two Voices\n\nMara Quinlan came in from the rain and Tobias Venn looked up.\n\n"
        '"You\'re late," said Tobias.\n\n"The bridge was out," Mara replied.\n'
    )
    data = json.loads(run("inspect", str(story), "--json", data=tmp_path / "data").stdout)
    assert {c["name"] for c in data["characters"]} == {"Mara Quinlan", "Tobias Venn"}
    assert [q["speaker"] for q in data["quotes"]] == ["Tobias Venn", "Mara Quinlan"]
    assert (
        data["pov"] in ("third", None) and "dialogue_share" in data
    )  # too short to be sure of POV
    plain = json.loads(
        run("inspect", str(story), "--json", "--no-analysis", data=tmp_path / "data").stdout
    )
    assert "characters" not in plain


NAMED_STORY = (
    "Title: The Lamplighter's Niece\nAuthor: Ada Fenwick\n\n"
    "Mara Quinlan came in from the rain, and Tobias Venn looked up from the ledger.\n\n"
    '"You\'re late," said Tobias.\n\n"The bridge was out," Mara replied.\n\n'
    "Tobias closed the ledger. Mara hung her coat by the stove.\n"
)
COUNT_SUGGESTIONS = (
    "from ficarchive.archive.models import WorkTag; "
    "print(WorkTag.objects.filter(source='analysis', status='pending').count())"
)


def test_import_stores_suggestions_unless_told_not_to(tmp_path):
    story = tmp_path / "lamp.txt"
    story.write_text(NAMED_STORY)
    counts = {}
    for flags, data in (([], "with"), (["--no-analysis"], "without")):
        result = run("import", str(story), *flags, data=tmp_path / data)
        assert result.returncode == 0, result.stderr
        count = run("manage", "shell", "-v", "0", "-c", COUNT_SUGGESTIONS, data=tmp_path / data)
        counts[data] = int(count.stdout)
    assert counts["with"] >= 2 and counts["without"] == 0  # at least the two characters


def test_analyse_command(tmp_path):
    story = tmp_path / "lamp.txt"
    story.write_text(NAMED_STORY)
    data = tmp_path / "data"
    assert run("import", str(story), "--no-analysis", data=data).returncode == 0

    result = run("analyse", "1", data=data)
    assert result.returncode == 0, result.stderr
    summary = re.fullmatch(
        r"analysed 1 work\(s\); (\d+) suggestion\(s\) now await review\n", result.stdout
    )
    assert summary and int(summary.group(1)) >= 2
    again = run("analyse", "--all", data=data)  # pending ones are replaced, not doubled
    assert again.returncode == 0 and again.stdout == result.stdout
    count = run("manage", "shell", "-v", "0", "-c", COUNT_SUGGESTIONS, data=data)
    assert count.stdout.split() == [summary.group(1)]

    missing = run("analyse", "1", "99", data=data)
    assert missing.returncode == 1 and "no such work: 99" in missing.stdout
    for args in ([], ["--all", "1"]):
        unclear = run("analyse", *args, data=data)
        assert unclear.returncode == 2 and "give either work ids" in unclear.stderr


@pytest.mark.django_db
def test_analyse_goes_on_after_a_failing_work(parsed_work, monkeypatch, capsys):
    from ficarchive.archive import actions
    from ficarchive.archive.models import WorkTag
    from ficarchive.cli import main
    from tests.archive.conftest import make_analysis

    works = [
        actions.import_work(parsed_work(title), raw=title.encode(), analyse=False).work
        for title in ("Breaks", "Works")
    ]

    def analyse(parsed):
        if parsed.title == "Breaks":
            raise RuntimeError("heuristic bug")
        return make_analysis()

    monkeypatch.setattr(actions, "analyse_work", analyse)
    assert main(["analyse", "--all"]) == 1
    out = capsys.readouterr().out
    assert "analysed 1 work(s); 4 suggestion(s) now await review" in out
    assert f"failed: work {works[0].pk} (Breaks): RuntimeError: heuristic bug" in out
    assert WorkTag.objects.filter(source="analysis", work=works[1]).count() == 4


SEARCH = (
    "from ficarchive.search import indexing, models\n"
    "from ficarchive.search.criteria import Criteria\n"
    "from ficarchive.search.query import parse_query\n"
    "print(models.IndexQueue.objects.count(), indexing.backend().count(),"
    " len(indexing.backend().search(Criteria(query=parse_query('small hours'))).ids))"
)


def test_import_indexes_the_works_and_reindex_rebuilds(tmp_path):
    story = tmp_path / "small.txt"
    story.write_text(STORY)
    data = tmp_path / "data"
    assert run("import", str(story), "--no-analysis", data=data).returncode == 0
    # Indexed by the import itself: nothing left queued, one document, found by its words.
    state = run("manage", "shell", "-v", "0", "-c", SEARCH, data=data)
    assert state.stdout.split() == ["0", "1", "1"], state.stderr
    result = run("reindex", data=data)
    assert (
        result.returncode == 0
        and result.stdout == "indexed 1 work(s) with the tantivy search backend\n"
    )


EFICTION = Path(__file__).resolve().parents[1] / "fixtures" / "efiction"


def test_import_efiction_plans_then_applies_an_edited_plan(tmp_path):
    dump, stories = EFICTION / "moonlit35.sql", EFICTION / "stories"
    plan_file = tmp_path / "plan.json"
    args = ("import-efiction", str(dump), "--stories", str(stories), "--no-analysis")
    planned = run(*args, "--plan", str(plan_file), data=tmp_path / "data")
    assert planned.returncode == 0, planned.stderr
    assert "nothing was imported" in planned.stdout
    plan = json.loads(plan_file.read_text())
    to_import = [w for w in plan["works"] if w["action"] == "import"]
    to_import[0]["action"] = "skip"  # the archivist's edit
    plan_file.write_text(json.dumps(plan))
    applied = run(*args, "--apply", str(plan_file), data=tmp_path / "data")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.count("-> imported #") == len(to_import) - 1
    assert f"{to_import[0]['title']!r}" in applied.stdout.split("Skip (")[1]


def test_import_efiction_refuses_a_broken_plan_with_the_reason(tmp_path):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text('{"kind": "efiction", "root": "x", "works": [{"key": 1}]}')
    result = run(
        "import-efiction", str(EFICTION / "moonlit35.sql"), "--stories", str(EFICTION / "stories"),
        "--apply", str(plan_file), data=tmp_path / "data",
    )  # fmt: skip
    assert result.returncode == 1
    assert "works[0]" in result.stderr and "Traceback" not in result.stderr


SITE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "personal1999"


def test_import_plans_a_site_then_applies_the_edited_plan(tmp_path):
    data, plan_file = tmp_path / "data", tmp_path / "plan.json"
    planned = run("import", str(SITE), "--plan", str(plan_file), "--no-analysis", data=data)
    assert planned.returncode == 0, planned.stderr
    assert "nothing was imported" in planned.stdout
    assert "guestbook.html: guestbook" in planned.stdout  # skipped files, with their reasons
    plan = json.loads(plan_file.read_text())
    assert sorted(w["title"] for w in plan["works"]) == ["Owl Post", "Salt", "The Lamp Room"]
    for work in plan["works"]:
        if work["title"] == "Owl Post":
            work["action"] = "skip"
    plan_file.write_text(json.dumps(plan))

    applied = run("import", "--apply", str(plan_file), "--no-analysis", data=data)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.count("-> imported #") == 2
    assert "'Salt' by Mara: 3 chapter(s) -> imported #" in applied.stdout
    assert "imported 2, already present 0, failed 0" in applied.stdout


def test_import_update_updates_the_matching_work_in_place(tmp_path):
    data = tmp_path / "data"
    story = tmp_path / "small.txt"
    story.write_text(STORY)
    assert run("import", str(story), "--no-analysis", data=data).returncode == 0
    newer = tmp_path / "newer" / "small.txt"
    newer.parent.mkdir()
    newer.write_text(STORY.replace("one by one", "two by two", 1))
    result = run("import", "--update", str(newer), "--no-analysis", data=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("updated work #1: 0 chapter(s) added, 1 changed")
    again = run("import", "--update", str(newer), "--no-analysis", data=data)
    assert again.returncode == 1 and "nothing to update" in again.stderr
    missing = run("import", "--update", str(newer), "--work", "99", data=data)
    assert missing.returncode == 1 and "no work #99" in missing.stderr
