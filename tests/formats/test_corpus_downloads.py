"""Downloads of real and large works: the seeds and a long synthetic work are valid EPUBs
(epubcheck); they and the fanfic-dev corpus import back as the same work. ../shared parts skip
when absent."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from ficarchive.archive import actions
from ficarchive.formats import render_work
from ficarchive.synthetic import render_ao3_download, synthetic_work
from ficarchive.text.parse import parse_story
from tests.formats.sample import epubcheck
from tests.shared_data import SHARED
from tests.text.test_epub import essentials

CORPUS = SHARED / "corpora" / "fanfic-dev"
LONG_SYNTHETIC = 79  # the longest of the first 300 synthetic works: 34,663 words, many chapters


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _download(client, raw: bytes, name: str, fmt: str) -> tuple[bytes, object]:
    parsed = parse_story(raw, name)
    work = actions.import_work(parsed, raw=raw, filename=name, analyse=False).work
    response = client.get(reverse("archive:download", args=[work.pk, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content), parsed


def _check(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "download.epub"
    path.write_bytes(data)
    report = epubcheck(path)
    assert "0 fatals / 0 errors" in report, report


@pytest.mark.django_db
def test_long_synthetic_work_downloads_as_a_valid_epub_and_round_trips(client, tmp_path):
    synthetic = synthetic_work(LONG_SYNTHETIC)
    assert synthetic.words > 30000 and len(synthetic.chapters) > 1
    raw = render_ao3_download(synthetic).encode("utf-8")
    data, parsed = _download(client, raw, "long.html", "epub")
    _check(tmp_path, data)
    assert essentials(parse_story(data, "long.epub")) == essentials(parsed)


@pytest.mark.shared
@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["000", "004"])
def test_seed_downloads_are_valid_epubs(client, tmp_path, prefix):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present")
    (path,) = seeds.glob(f"{prefix}_*")
    data, parsed = _download(client, path.read_bytes(), path.name, "epub")
    _check(tmp_path, data)
    back = parse_story(data, "seed.epub")
    assert essentials(back) == essentials(parsed)
    assert not back.contacts  # the private email never travels in a download
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert b"@" not in b"".join(archive.read(n) for n in archive.namelist())


def _corpus(name: str) -> bytes:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path.read_bytes()


@pytest.mark.shared
def test_chinese_work_round_trips_through_epub():
    # epubcheck on CJK text: tests/formats/test_writers.py (one check per JVM start is slow).
    work = parse_story(_corpus("ao3-dl-html_fu-sheng-ruo-ji_zh.html"), "zh.html")
    data = render_work(work, "epub")
    back = parse_story(data, "zh.epub")
    assert back.language == "zh" and essentials(back) == essentials(work)


@pytest.mark.shared
@pytest.mark.parametrize(
    "name",
    [
        "ao3-dl-html_the-world-on-his-wrist.html",
        "ao3-web_so-i-open-the-window.html",
        "ffn_harry-potter-and-the-unicorns-curse.html",
        "ffn_naruto-guardian-of-the-mist-ch1.html",
        "fanfictionsfr_crise_fr-cp1252.txt",
    ],
)
@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_corpus_works_round_trip_through_downloads(name, fmt):
    work = parse_story(_corpus(name), name)
    assert essentials(parse_story(render_work(work, fmt), f"again.{fmt}")) == essentials(work)
