"""Browser-import fixtures: a private jobs folder per test, story uploads, a logged-in archivist."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.personas import PASSWORD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"


@pytest.fixture(autouse=True)
def jobs_dir(settings, tmp_path):
    settings.IMPORT_JOBS_DIR = tmp_path / "imports"
    return settings.IMPORT_JOBS_DIR


def upload_of(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes() if data is None else data)


@pytest.fixture
def story_uploads():
    return [upload_of("lantern.txt"), upload_of("orchard.md")]


@pytest.fixture
def archivist_client(client, archivist):
    client.login(username=archivist.username, password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """The worker closes connections it thinks stale, and inside a test's transaction (not in
    autocommit) PostgreSQL's looks stale: that would be the test's own. Django's test client
    keeps it open the same way for requests."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
