"""Settings from the environment: each with a default and a line of help; bad values fail loudly.

Read only from `settings.py` (or the CLI before Django starts), never at import time elsewhere.
"""

from __future__ import annotations

import math
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SETTINGS_HELP = {
    "FICARCHIVE_DATA": "Data directory: the SQLite database and the generated secret key (default ./data).",
    "FICARCHIVE_DATABASE_URL": "postgres://user:password@host:5432/name to use PostgreSQL instead of SQLite.",
    "FICARCHIVE_DEBUG": "Django debug mode, true/false (default false). Never on a public server.",
    "FICARCHIVE_SECRET_KEY": "Django's secret key (default: generated once into the data directory).",
    "FICARCHIVE_ALLOWED_HOSTS": "Comma-separated host names the site answers to (default 127.0.0.1,localhost).",
    "FICARCHIVE_MAX_FILE_MB": "Import size cap per file in MB (default 20).",
    "FICARCHIVE_FANDOMS": "Extra fandom registry folders of *.json files, separated by ':' (default: none).",
    "FICARCHIVE_EMAIL": "Where mail goes: console (printed by the server; the default), file (the data directory's mail/ folder) or smtp://user:password@host:587 (smtps:// for TLS from the start; STARTTLS otherwise when the server offers it). With file or smtp, subscribers are also notified by mail.",
    "FICARCHIVE_SITE_URL": "The archive's public address, for links in notification mail (default http://127.0.0.1:8000).",
    "FICARCHIVE_EMAIL_FROM": "The sender address of the archive's mail (default ficarchive@localhost).",
    "FICARCHIVE_GUEST_COMMENTS": "Let visitors without an account comment, giving a name, true/false (default false).",
    "FICARCHIVE_SEARCH": "Search engine: tantivy (embedded, in the data directory; the default) or postgres (in the PostgreSQL database, for several web hosts).",
    "FICARCHIVE_WORKER": "Who runs background jobs (browser imports): inprocess (a worker thread inside `ficarchive serve`; the default) or external (`ficarchive worker` processes, for several hosts).",
    "FICARCHIVE_MAX_UPLOAD_MB": "Size cap in MB of one browser upload, all its files together (default 500).",
    "FICARCHIVE_MAX_UNPACKED_MB": "Size cap in MB of what an uploaded zip or .sql.gz unpacks to (default 2000).",
    "FICARCHIVE_MAX_UNPACKED_FILES": "Most files an uploaded zip may hold (default 50000).",
    "FICARCHIVE_SIGNUP": "Who may create an account: open (anyone, after confirming their email address; the default), invite (visitors join a queue and archivists send invitations) or closed (archivists create accounts in the admin).",
    "FICARCHIVE_CONFIRM_EMAIL": "New accounts confirm their email address before they post or comment, true/false (default true).",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """The variable's value; unset or blank means the default."""
    return os.environ.get(name, "").strip() or default


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not one of {', '.join(choices)}. ({SETTINGS_HELP[name]})"
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use true or false. ({SETTINGS_HELP[name]})"
    )


def env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a number. ({SETTINGS_HELP[name]})"
        ) from None
    if value <= 0:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be greater than zero. ({SETTINGS_HELP[name]})"
        )
    return value


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated values; an empty list is refused (it would make the setting useless)."""
    items = [item.strip() for item in env_str(name, default).split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is empty. ({SETTINGS_HELP[name]})")
    return items


def data_dir() -> Path:
    path = Path(env_str("FICARCHIVE_DATA", "data")).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot create the data directory {path} ({exc.strerror}); set FICARCHIVE_DATA to a writable folder"
        ) from None
    return path


def secret_key(data: Path) -> str:
    """FICARCHIVE_SECRET_KEY, else a key generated once and kept in the data directory."""
    if os.environ.get("FICARCHIVE_SECRET_KEY"):
        return os.environ["FICARCHIVE_SECRET_KEY"]
    key_file = data / "secret_key"
    if not key_file.exists():
        # Written privately to a temporary name, then linked into place: never world-readable,
        # never seen half-written, and two processes starting at once agree on one key.
        tmp = data / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"cannot write the secret key into {data} ({exc.strerror}); make the data "
                "directory writable or set FICARCHIVE_SECRET_KEY"
            ) from None
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass  # another process won the race; use its key
        except OSError:  # a file system without hard links
            os.replace(tmp, key_file)
        finally:
            tmp.unlink(missing_ok=True)
    key = key_file.read_text().strip()
    if not key:
        raise ImproperlyConfigured(
            f"the secret key file {key_file} is empty; delete it to have a new key generated"
        )
    return key


def database(data: Path) -> dict:
    """SQLite in the data directory by default; FICARCHIVE_DATABASE_URL for PostgreSQL."""
    url = os.environ.get("FICARCHIVE_DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data / "ficarchive.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while an import writes; IMMEDIATE takes the write lock at
                # the start of a transaction so concurrent writers wait instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,  # seconds: SQLite's busy_timeout
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    from urllib.parse import parse_qsl, unquote, urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/") or port == -1:
        shown = url.replace(f":{parts.password}@", ":***@") if parts.password else url
        raise ImproperlyConfigured(
            f"FICARCHIVE_DATABASE_URL={shown!r} is not understood; use postgres://user:password@host:5432/name"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        # Keep connections between requests (waitress reuses its threads), checked before use.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # Query parameters are libpq options: ?sslmode=require&connect_timeout=5
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


def search_backend() -> str:
    """FICARCHIVE_SEARCH: tantivy (default) or postgres, which needs a PostgreSQL database."""
    name = env_str("FICARCHIVE_SEARCH", "tantivy").lower()
    if name not in ("tantivy", "postgres"):
        raise ImproperlyConfigured(
            f"FICARCHIVE_SEARCH={name!r} is not known; use tantivy or postgres"
        )
    if name == "postgres" and not os.environ.get("FICARCHIVE_DATABASE_URL", "").strip():
        raise ImproperlyConfigured(
            "FICARCHIVE_SEARCH=postgres needs a PostgreSQL database: set FICARCHIVE_DATABASE_URL too"
        )
    return name


def email(data: Path) -> dict:
    """Django's mail settings from FICARCHIVE_EMAIL: console (default), file, or an smtp:// URL."""
    from urllib.parse import unquote, urlsplit

    value = env_str("FICARCHIVE_EMAIL", "console")
    sender = env_str("FICARCHIVE_EMAIL_FROM", "ficarchive@localhost")
    common = {"DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender}
    if value == "console":
        return {**common, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if value == "file":
        return {
            **common,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(data / "mail"),
        }
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        shown = value.replace(f":{parts.password}@", ":***@") if parts.password else value
        raise ImproperlyConfigured(
            f"FICARCHIVE_EMAIL={shown!r} is not understood; use console, file or "
            "smtp://user:password@host:587"
        )
    ssl = parts.scheme == "smtps"
    return {
        **common,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if ssl else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": not ssl and (port or 587) != 25,
        "EMAIL_TIMEOUT": 20,
    }


def site_url() -> str:
    """FICARCHIVE_SITE_URL without a trailing slash; it must be an http(s) address."""
    from urllib.parse import urlsplit

    value = env_str("FICARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"FICARCHIVE_SITE_URL={value!r} is not an address; use e.g. https://archive.example.org"
        )
    return value


WORKER_MODES = ("inprocess", "external")


def worker_mode() -> str:
    """FICARCHIVE_WORKER: inprocess (default: `serve` runs the jobs) or external (`ficarchive worker`)."""
    name = env_str("FICARCHIVE_WORKER", "inprocess").lower()
    if name not in WORKER_MODES:
        raise ImproperlyConfigured(
            f"FICARCHIVE_WORKER={name!r} is not known; use inprocess or external. "
            f"({SETTINGS_HELP['FICARCHIVE_WORKER']})"
        )
    return name
