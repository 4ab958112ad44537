"""`ficarchive import` with EPUBs: a good one is stored, broken ones fail with a reason and leave
nothing, and the same work as our HTML download is recognised as already present."""

from __future__ import annotations

import io
import zipfile

from ficarchive.formats import render_work
from tests.formats.sample import sample_work
from tests.web.test_cli import run


def test_import_epubs_good_and_broken(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.epub").write_bytes(render_work(sample_work(), "epub"))
    (folder / "bad-zip.epub").write_bytes(b"PK\x03\x04 cut off")
    no_package = io.BytesIO()
    with zipfile.ZipFile(no_package, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", "<container/>")
    (folder / "no-opf.epub").write_bytes(no_package.getvalue())
    data = tmp_path / "data"

    result = run("import", "--no-analysis", str(folder), data=data)
    assert result.returncode == 1, result.stderr
    assert "imported 1, already present 0, failed 2" in result.stdout
    assert "not a readable zip archive" in result.stdout
    assert "no package document (OPF)" in result.stdout

    html = tmp_path / "same.html"
    html.write_bytes(render_work(sample_work(), "html"))
    again = run("import", "--no-analysis", str(html), data=data)
    assert again.returncode == 0 and "imported 0, already present 1, failed 0" in again.stdout
    counts = run(
        "manage",
        "shell",
        "-v",
        "0",
        "-c",
        "from ficarchive.archive.models import *; "
        "w = Work.objects.get(); print(Work.objects.count(), w.chapter_count, w.tags.count())",
        data=data,
    )
    assert counts.stdout.split() == ["1", "3", "8"]
