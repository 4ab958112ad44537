"""Downloads from the archive: every format by URL and from the work page, cached on disk and
rebuilt when the work changes; a downloaded EPUB or HTML imported back is the same work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.archive import actions, downloads
from ficarchive.archive.models import WorkTag
from ficarchive.text.parse import parse_story
from tests.archive.conftest import make_analysis
from tests.formats.sample import epubcheck, sample_work
from tests.text.test_epub import essentials

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def work():
    return actions.import_work(sample_work(), raw=b"sample work bytes", analyse=False).work


def _get(client, work_id, fmt):
    response = client.get(reverse("archive:download", args=[work_id, fmt]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("epub", "application/epub+zip"),
        ("html", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ],
)
def test_download_by_url(client, work, fmt, media_type):
    response, body = _get(client, work.pk, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # Quotes, '<', '>' and ':' are left out of the name; the first creator names the file.
    assert f'filename="Salt & Lanterns a tale of the sea - Mara Quill et al.{fmt}"' in disposition
    assert body


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_downloaded_file_imports_back_as_the_same_work(client, work, fmt):
    _, body = _get(client, work.pk, fmt)
    back = parse_story(body, f"download.{fmt}")
    assert essentials(back) == essentials(sample_work())
    # The archive recognises it as the work it already holds: nothing is stored twice.
    again = actions.import_work(back, raw=body, analyse=False)
    assert (again.status, again.work.pk) == ("duplicate", work.pk)


def test_downloaded_epub_passes_epubcheck(client, work, tmp_path):
    _, body = _get(client, work.pk, "epub")
    path = tmp_path / "download.epub"
    path.write_bytes(body)
    report = epubcheck(path)
    assert "0 fatals / 0 errors" in report, report


def test_download_keeps_markup_of_the_stored_work(client, work):
    _, page = _get(client, work.pk, "html")
    text = page.decode("utf-8")
    assert "<em>nobody</em>" in text and '<hr class="scene-break"/>' in text
    assert (
        '<blockquote class="epigraph"><p class="verse">Light, light,<br/>against the night' in text
    )


@pytest.fixture
def analysed_work(monkeypatch, parsed_work):
    """A work whose import stored `make_analysis()`'s suggestions (pending review)."""
    import importlib

    analysis = make_analysis()
    for name in ("ficarchive.archive.actions", "ficarchive.archive.ingest"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "analyse_work"):  # wherever the import path calls the analysis
            monkeypatch.setattr(module, "analyse_work", lambda parsed: analysis)
    return actions.import_work(parsed_work(), raw=b"analysed work").work


def test_cached_on_disk_and_rebuilt_when_the_work_changes(
    client, analysed_work, archivist, data_dir, monkeypatch
):
    renders = []
    real = downloads.parsed_from_snapshot
    monkeypatch.setattr(
        downloads, "parsed_from_snapshot", lambda snap: renders.append(1) or real(snap)
    )
    _, first = _get(client, analysed_work.pk, "txt")
    _, second = _get(client, analysed_work.pk, "txt")
    assert first == second and len(renders) == 1  # the second came from the cache
    cached = list((data_dir / "downloads" / str(analysed_work.pk)).glob("txt-*.txt"))
    assert len(cached) == 1 and cached[0].read_bytes() == first

    suggestion = WorkTag.objects.filter(
        work=analysed_work, source=WorkTag.Source.ANALYSIS, tag__name="Buffy the Vampire Slayer"
    ).get()
    assert b"Buffy the Vampire Slayer" not in first  # pending suggestions are not the work's tags
    actions.review_suggestion(suggestion, archivist, accept=True)

    _, third = _get(client, analysed_work.pk, "txt")
    assert len(renders) == 2 and b"Fandoms: Original Work, Buffy the Vampire Slayer" in third
    cached = list((data_dir / "downloads" / str(analysed_work.pk)).glob("txt-*.txt"))
    assert len(cached) == 1 and cached[0].read_bytes() == third  # the old version is gone


def test_a_deleted_works_cached_files_are_removed(
    client, work, data_dir, django_capture_on_commit_callbacks
):
    _get(client, work.pk, "epub")
    _get(client, work.pk, "txt")
    folder = data_dir / "downloads" / str(work.pk)
    assert len(list(folder.iterdir())) == 2
    with django_capture_on_commit_callbacks(execute=True):
        work.delete()
    assert not folder.exists()


@pytest.mark.parametrize("fmt", ["pdf", "mobi", "EPUBX"])
def test_unknown_format_is_a_404_that_names_the_formats(client, work, fmt):
    response, _ = _get(client, work.pk, fmt)
    assert response.status_code == 404
    assert b"epub, html, txt" in response.content


def test_missing_work_is_a_404(client):
    response, _ = _get(client, 999999, "epub")
    assert response.status_code == 404


def test_work_page_offers_the_downloads(client, work):
    page = client.get(reverse("archive:work", args=[work.pk])).content.decode()
    for fmt in ("epub", "html", "txt"):
        assert f'href="/works/{work.pk}/download/{fmt}/"' in page
    chapter = client.get(reverse("archive:chapter", args=[work.pk, 2])).content.decode()
    assert f'href="/works/{work.pk}/download/epub/"' in chapter


def test_unchanged_download_revalidates_as_not_modified(client, work):
    response, body = _get(client, work.pk, "epub")
    etag = response["ETag"]
    assert response["Cache-Control"] == "no-cache" and etag.startswith('"epub-')
    url = reverse("archive:download", args=[work.pk, "epub"])
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    other = client.get(url, headers={"If-None-Match": '"epub-stale"'})
    assert other.status_code == 200 and b"".join(other.streaming_content) == body
