"""The `ficarchive` command, run as users run it (a subprocess) where the database matters."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ficarchive.cli import EXAMPLES

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
    assert "imported 1, already present 1, failed 3" in result.stdout
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
    from ficarchive.cli import import_files, load_examples

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
