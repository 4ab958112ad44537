"""`ficarchive export` and `ficarchive import-dump` as people run them: two data directories."""

from __future__ import annotations

import json

from tests.web.test_cli import STORY, run


def test_export_then_import_dump_into_a_new_archive(tmp_path):
    story = tmp_path / "small-hours.txt"
    story.write_text(STORY)
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("import", "--no-analysis", str(story), data=first).returncode == 0

    exported = run("export", str(tmp_path / "dump"), data=first)
    assert exported.returncode == 0, exported.stderr
    assert "exported 1 work(s)" in exported.stdout
    manifest = json.loads((tmp_path / "dump" / "manifest.json").read_text())
    assert manifest["version"] == 1

    restored = run("import-dump", str(tmp_path / "dump"), data=second)
    assert restored.returncode == 0, restored.stderr
    assert "imported 1 work(s)" in restored.stdout
    again = run("export", str(tmp_path / "again"), data=second)
    assert again.returncode == 0
    for name in manifest["files"]:
        assert (tmp_path / "dump" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()

    # Not twice into the same archive, and not from a folder that is no dump.
    refused = run("import-dump", str(tmp_path / "dump"), data=second)
    assert refused.returncode == 1
    assert "the archive is not empty" in refused.stderr and "nothing was imported" in refused.stderr
    nothing = run("import-dump", str(tmp_path), data=tmp_path / "third")
    assert nothing.returncode == 1 and "no manifest.json" in nothing.stderr
    busy = run("export", str(tmp_path / "dump"), data=first)
    assert busy.returncode == 1 and "not an empty folder" in busy.stderr
