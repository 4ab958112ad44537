import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from ficarchive import config


@pytest.mark.django_db
def test_the_suite_runs_on_the_configured_database():
    expected = "postgresql" if os.environ.get("FICARCHIVE_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


def test_sqlite_is_set_up_for_concurrent_use(monkeypatch, tmp_path):
    monkeypatch.delenv("FICARCHIVE_DATABASE_URL", raising=False)
    db = config.database(tmp_path)
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p%40ss@db.local:5433/arch", ("arch", "u", "p@ss", "db.local", "5433")),
        ("postgresql://127.0.0.1/ficarchive", ("ficarchive", "", "", "127.0.0.1", "")),
    ],
)
def test_database_url(monkeypatch, tmp_path, url, expected):
    monkeypatch.setenv("FICARCHIVE_DATABASE_URL", url)
    db = config.database(tmp_path)
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == expected


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host-only"])
def test_bad_database_url_says_how_to_fix(monkeypatch, tmp_path, url):
    monkeypatch.setenv("FICARCHIVE_DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="postgres://user:password@host:5432/name"):
        config.database(tmp_path)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("YES", True)])
def test_env_bool(monkeypatch, raw, value):
    monkeypatch.setenv("FICARCHIVE_DEBUG", raw)
    assert config.env_bool("FICARCHIVE_DEBUG", False) is value


def test_bad_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("FICARCHIVE_MAX_FILE_MB", "lots")
    with pytest.raises(ImproperlyConfigured, match="FICARCHIVE_MAX_FILE_MB"):
        config.env_number("FICARCHIVE_MAX_FILE_MB", 20)


def test_every_setting_is_documented_in_the_readme():
    readme = (config.Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in config.SETTINGS_HELP:
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("raw", ["inf", "nan", "-3", "0"])
def test_numbers_must_be_finite_and_positive(monkeypatch, raw):
    monkeypatch.setenv("FICARCHIVE_MAX_FILE_MB", raw)
    with pytest.raises(ImproperlyConfigured, match="FICARCHIVE_MAX_FILE_MB"):
        config.env_number("FICARCHIVE_MAX_FILE_MB", 20)


def test_empty_host_list_is_refused(monkeypatch):
    monkeypatch.setenv("FICARCHIVE_ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="FICARCHIVE_ALLOWED_HOSTS"):
        config.env_list("FICARCHIVE_ALLOWED_HOSTS", "localhost")


def test_secret_key_is_generated_once_and_private(monkeypatch, tmp_path):
    monkeypatch.delenv("FICARCHIVE_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) > 40 and config.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left
    monkeypatch.setenv("FICARCHIVE_SECRET_KEY", "from-the-environment")
    assert config.secret_key(tmp_path) == "from-the-environment"


def test_bad_database_url_does_not_echo_the_password(monkeypatch, tmp_path):
    monkeypatch.setenv("FICARCHIVE_DATABASE_URL", "postgres://me:hunter2@db:notaport/x")
    with pytest.raises(ImproperlyConfigured) as error:
        config.database(tmp_path)
    assert "hunter2" not in str(error.value)


def test_database_url_options(monkeypatch, tmp_path):
    monkeypatch.setenv("FICARCHIVE_DATABASE_URL", "postgres://db/x?sslmode=require")
    assert config.database(tmp_path)["OPTIONS"] == {"sslmode": "require"}
