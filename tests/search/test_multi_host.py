"""Several web hosts, one archive: two `ficarchive serve` processes and a writer, each with its
own data directory (nothing shared on disk), reaching one PostgreSQL server on loopback with
FICARCHIVE_SEARCH=postgres — the README's design for outgrowing one machine.

A work imported by the writer, then renamed, is found (and found renamed) through both servers'
/search.json within a second. Runs in the PostgreSQL run of `make test` (CI always has it).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

URL = os.environ.get("FICARCHIVE_DATABASE_URL", "")
STORY = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "the-ferryman-s-ledger.txt"

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"), reason="needs the PostgreSQL run (make test runs it)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(URL, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def database():
    """A database of its own (the test run's is pytest-django's), dropped afterwards."""
    name = f"multihost_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    parts = urlsplit(URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _host_env(tmp_path: Path, host: str, url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FICARCHIVE_"))}
    env.update(
        FICARCHIVE_DATA=str(tmp_path / host),
        FICARCHIVE_DATABASE_URL=url,
        FICARCHIVE_SEARCH="postgres",
    )
    return env


def _ficarchive(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _search(port: int, q: str) -> list[str]:
    url = f"http://127.0.0.1:{port}/search.json?{urlencode({'q': q})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return [work["title"] for work in json.load(response)["works"]]


def _eventually(port: int, q: str, seconds: float = 1.0) -> list[str]:
    """The titles found for `q` within `seconds` of the write: polled, the last answer returned."""
    deadline = time.monotonic() + seconds
    while True:
        answer = _search(port, q)
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_two_web_hosts_and_a_writer_share_one_index(tmp_path, database):
    writer = _host_env(tmp_path, "writer", database)
    migrated = _ficarchive(writer, "manage", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "ficarchive.cli", "serve", "--port", str(port)],
            env=_host_env(tmp_path, f"web{n}", database),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for n, port in enumerate(ports)
    ]
    try:
        for server, port in zip(servers, ports):
            deadline = time.monotonic() + 120
            while True:
                try:
                    assert _search(port, "ferryman") == []
                    break
                except OSError:
                    assert server.poll() is None, server.stdout.read()
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)

        imported = _ficarchive(writer, "import", str(STORY), "--no-analysis")
        assert imported.returncode == 0, imported.stdout + imported.stderr
        for port in ports:
            assert _eventually(port, "ferryman") == ["The Ferryman's Ledger"]

        renamed = _ficarchive(
            writer, "manage", "shell", "-c",
            "from ficarchive.archive.models import Work\n"
            "w = Work.objects.get(); w.title = 'The Boatwright Almanac'; w.save()",
        )  # fmt: skip
        assert renamed.returncode == 0, renamed.stderr
        for port in ports:
            assert _eventually(port, "boatwright") == ["The Boatwright Almanac"]
            assert _search(port, "title:ledger") == []
        assert not (tmp_path / "web0" / "search-index").exists()  # nothing kept on the host
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
