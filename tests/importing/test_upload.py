"""The upload form: who may use it, and what is refused (with a message, leaving nothing behind)."""

from __future__ import annotations

import gzip
import io
import stat
import zipfile

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.importing import uploads
from ficarchive.importing.models import ImportJob
from tests.importing.conftest import upload_of
from tests.personas import PASSWORD

URLS = [
    ("get", "/imports/"),
    ("get", "/imports/new/"),
    ("get", "/imports/{id}/"),
    ("get", "/imports/{id}/status.json"),
    ("get", "/imports/{id}/plan.json"),
    ("post", "/imports/{id}/plan/"),
    ("post", "/imports/{id}/apply/"),
    ("post", "/imports/{id}/delete/"),
]


def zip_bytes(entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


STORY = (
    b"Title: A Zipped Story\nAuthor: Quill\n\nThe gulls came in over the harbour wall at dawn.\n"
)


@pytest.fixture
def some_job(archivist):
    return ImportJob.objects.create(created_by=archivist, kind="files", label="x.txt")


@pytest.mark.parametrize(("method", "url"), URLS)
def test_readers_who_are_not_archivists_get_403(client, writer, some_job, method, url):
    client.login(username=writer.username, password=PASSWORD)
    response = getattr(client, method)(url.format(id=some_job.pk))
    assert response.status_code == 403
    assert b"Only archivists" in response.content


@pytest.mark.parametrize(("method", "url"), URLS)
def test_visitors_are_sent_to_log_in(client, some_job, method, url):
    response = getattr(client, method)(url.format(id=some_job.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_nav_links_to_imports_for_archivists_only(client, archivist, writer):
    client.login(username=writer.username, password=PASSWORD)
    assert b'id="imports-link"' not in client.get("/").content
    client.login(username=archivist.username, password=PASSWORD)
    assert b'id="imports-link"' in client.get("/").content


def _refused(client, data: dict, message: str, status: int = 400):
    response = client.post("/imports/new/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not DBTaskResult.objects.exists()
    return response


REFUSALS = [
    (
        "traversal",
        {"kind": "site", "site_zip": ("site.zip", {"../evil.txt": b"x", "index.html": b"<p>"})},
        "climbs out of the folder",
    ),
    (
        "absolute name",
        {"kind": "site", "site_zip": ("site.zip", {"/etc/evil.txt": b"x"})},
        "is an absolute path",
    ),
    (
        "windows drive",
        {"kind": "files", "files": ("stories.zip", {"C:\\evil.txt": STORY})},
        "is an absolute path",
    ),
    (
        "too many files",
        {"kind": "site", "site_zip": ("site.zip", {f"p{i}.html": b"<p>" for i in range(5)})},
        "holds 5 files, more than the 4 allowed",
    ),
    (
        "unpacks too large",
        {"kind": "site", "site_zip": ("site.zip", {"big.html": b"a" * 5000})},
        "unpacks to 5 KB, more than the 4 KB allowed",
    ),
    ("not a zip", {"kind": "site", "site_zip": ("site.zip", b"plain text")}, "is not a zip file"),
    ("site not zipped", {"kind": "site", "site_zip": ("site.tar", b"x")}, "is not a .zip file"),
    ("no file", {"kind": "files"}, "Choose one or more story files"),
    ("odd file", {"kind": "files", "files": ("run.exe", b"MZ")}, "is not a story file"),
    ("no dump", {"kind": "efiction"}, "Choose the eFiction database dump"),
    ("dump type", {"kind": "efiction", "dump": ("dump.txt", b"x")}, "is not a database dump"),
    (
        "fake gzip",
        {"kind": "efiction", "dump": ("dump.sql.gz", b"CREATE TABLE")},
        "is not gzip-compressed",
    ),
    (
        "stories not zipped",
        {"kind": "efiction", "dump": ("d.sql", b"--"), "stories_zip": ("s.rar", b"x")},
        "is not a .zip file",
    ),
]


@pytest.mark.parametrize(("case", "fields", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_bad_upload_is_a_form_error_and_leaves_nothing(
    archivist_client, settings, jobs_dir, case, fields, message
):
    settings.MAX_UNPACKED_FILES = 4
    settings.MAX_UNPACKED_BYTES = 4000
    data = {}
    for key, value in fields.items():
        if isinstance(value, tuple):
            name, content = value
            content = zip_bytes(content) if isinstance(content, dict) else content
            data[key] = upload_of(name, content)
        else:
            data[key] = value
    _refused(archivist_client, data, message)
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())


def test_an_upload_over_the_size_cap_is_refused(archivist_client, settings, story_uploads):
    settings.MAX_UPLOAD_BYTES = 100
    _refused(
        archivist_client, {"kind": "files", "files": story_uploads}, "FICARCHIVE_MAX_UPLOAD_MB"
    )


def test_an_encrypted_zip_is_refused():
    data = bytearray(zip_bytes({"secret.txt": b"x"}))
    central = data.index(b"PK\x01\x02")  # the entry in the zip's directory: set "encrypted"
    data[central + 8] |= 0x1
    limits = uploads.Limits(10**6, 10**6, 10)
    with pytest.raises(uploads.UploadError, match="encrypted"):
        uploads.check_zip(io.BytesIO(bytes(data)), "a.zip", limits)


def test_symlinks_and_mac_metadata_are_ignored_when_unpacking(tmp_path):
    path = tmp_path / "site.zip"
    path.write_bytes(
        zip_bytes(
            {"site/story.html": b"<p>story</p>", "__MACOSX/site/._story.html": b"junk"},
            symlinks={"site/passwd": "/etc/passwd"},
        )
    )
    contents = uploads.unpack_zip(path, tmp_path / "out", uploads.Limits(10**6, 10**6, 10))
    assert contents.files == 1
    assert set(contents.ignored) == {"site/passwd", "__MACOSX/site/._story.html"}
    written = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")
    )
    assert written == ["site", "site/story.html"]


def test_a_gzip_that_unpacks_too_large_is_stopped(tmp_path):
    path = tmp_path / "dump.sql.gz"
    path.write_bytes(gzip.compress(b"-- comment\n" * 10_000))
    with pytest.raises(uploads.UploadError, match="FICARCHIVE_MAX_UNPACKED_MB"):
        uploads.gunzip(path, tmp_path / "dump.sql", uploads.Limits(10**6, 50_000, 10))


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("story.txt", set(), "story.txt"),
        ("../../etc/passwd", set(), "passwd"),
        ("C:\\Users\\me\\fic.html", set(), "fic.html"),
        (".htaccess", set(), "htaccess"),
        ("story.txt", {"story.txt"}, "story-2.txt"),
        ("", set(), "upload"),
    ],
)
def test_uploaded_names_are_made_plain_and_unique(name, taken, expected):
    assert uploads.safe_filename(name, set(taken)) == expected


def test_the_upload_page_offers_the_three_kinds(archivist_client):
    page = archivist_client.get("/imports/new/").content.decode()
    for label in ("Story files", "A saved website (zip)", "eFiction archive"):
        assert label in page
    assert 'enctype="multipart/form-data"' in page
