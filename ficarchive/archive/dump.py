"""The whole archive as a portable, versioned dump (`ficarchive export`), and back (`import-dump`).

A dump is a folder:

    manifest.json          format name and version, when and by what it was written, and for
                           every data file its model, row count and SHA-256
    README.md              this format, for people who find the folder later
    <app>.<model>.jsonl    one JSON object a line per row, ordered by primary key: Django's
                           serialised form {"model", "pk", "fields"}; references to users,
                           groups and permissions by natural key (user name, codename)
    chapters/<work id>/<position>.html, .txt
                           each chapter's body (sanitised HTML and plain text) as a UTF-8
                           file; the chapter rows in archive.chapter.jsonl leave them out

Every model of the archive's own apps is dumped, with the users and groups, except what is
derived or secret: the search index and its queue (rebuilt after an import), API tokens, and
users' password hashes (restored users set a new password by the reset page or
`ficarchive manage changepassword`). Private contact data from imports (an old page's author
email) is in archive.contact.jsonl: a dump is for the archivist, not for publishing.

`import_dump` restores a dump into an empty archive, SQLite or PostgreSQL, with the same
primary keys, so every reference and URL stays the same. It checks the whole dump first
(manifest, version, checksums, every line, every body file) and then writes everything in
one transaction: a bad dump or a non-empty archive is refused with a reason, and nothing is
written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction

FORMAT = "ficarchive-dump"
VERSION = 1
CHAPTER_MODEL = "archive.chapter"
BODY_FIELDS = {"body_html": "html", "body_text": "txt"}
# Derived (rebuilt from the rest) or secret: never in a dump.
EXCLUDED_APPS = {"search"}
EXCLUDED_MODELS = {"api.apitoken", "importing.importjob"}  # a job is its uploads, on disk
SECRET_FIELDS = {"auth.user": {"password"}}
BATCH = 1000


class DumpError(Exception):
    """A dump that cannot be written or restored; the message says what and how to fix it."""


@dataclass
class DumpSummary:
    path: Path
    counts: dict[str, int]

    @property
    def works(self) -> int:
        return self.counts.get("archive.work", 0)


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def dumped_models() -> list[type[models.Model]]:
    """The models a dump holds, each after the models it refers to (users before works …)."""
    chosen = [get_user_model(), apps.get_model("auth", "Group")]
    for config in apps.get_app_configs():
        if not config.name.startswith("ficarchive.") or config.label in EXCLUDED_APPS:
            continue
        for model in config.get_models():
            if _label(model) not in EXCLUDED_MODELS and not model._meta.proxy:
                chosen.append(model)
    chosen = list(dict.fromkeys(chosen))
    ordered: list[type[models.Model]] = []

    def visit(model, path=()):
        if model in ordered or model in path:
            return  # done, or a cycle (a self reference): the transaction defers the check
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if field.concrete and field.is_relation and target in chosen and target is not model:
                visit(target, (*path, model))
        ordered.append(model)

    for model in chosen:
        visit(model)
    return ordered


def _file_name(model: type[models.Model]) -> str:
    return f"{_label(model)}.jsonl"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ficarchive")
    except PackageNotFoundError:
        return "unknown"


def _body_path(root: Path, work_id, position, kind: str) -> Path:
    return root / "chapters" / str(int(work_id)) / f"{int(position)}.{kind}"


# --- Export -------------------------------------------------------------------------------------


def export_archive(target: Path) -> DumpSummary:
    """Write the whole archive to `target` (a new or empty folder) as a dump."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DumpError(f"{target} is not an empty folder; export into a new or empty one")
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, even while the site keeps writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in dumped_models():
            name = _file_name(model)
            count = _export_model(model, target)
            counts[_label(model)] = count
            files[name] = {"model": _label(model), "rows": count, "sha256": _sha256(target / name)}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "ficarchive": _program_version(),
        "database": connection.vendor,
        "files": files,
        "chapter_bodies": "chapters/<work id>/<position>.html and .txt",
    }
    (target / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (target / "README.md").write_text(_readme(), encoding="utf-8")
    return DumpSummary(target, counts)


def _rows(model: type[models.Model]) -> Iterator[dict]:
    """The model's rows in Django's serialised form, by primary key, in batches."""
    queryset = model._base_manager.order_by("pk")  # every row, hidden works too
    last = None
    while True:
        batch = queryset if last is None else queryset.filter(pk__gt=last)
        objects = list(batch[:BATCH])
        if not objects:
            return
        yield from serializers.serialize(
            "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        last = objects[-1].pk


def _export_model(model: type[models.Model], target: Path) -> int:
    label = _label(model)
    secret = SECRET_FIELDS.get(label, set())
    count = 0
    with (target / _file_name(model)).open("w", encoding="utf-8", newline="\n") as out:
        for row in _rows(model):
            fields = row["fields"]
            for name in secret:
                fields.pop(name, None)
            if label == CHAPTER_MODEL:
                for field, kind in BODY_FIELDS.items():
                    path = _body_path(target, fields["work"], fields["position"], kind)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(fields.pop(field), encoding="utf-8", newline="")
            out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


# --- Import -------------------------------------------------------------------------------------


def _fail(message: str):
    raise DumpError(message)


def read_manifest(source: Path) -> dict:
    """The dump's manifest, checked: its format, a version this program reads, its files."""
    path = Path(source) / "manifest.json"
    if not Path(source).is_dir():
        _fail(f"{source} is not a folder; give the folder `ficarchive export` wrote")
    if not path.is_file():
        _fail(f"{source} has no manifest.json, so it is not a ficarchive dump")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        _fail(f"manifest.json is not valid JSON ({exc}); the dump is damaged")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        _fail(f"manifest.json does not describe a {FORMAT}; this is not a ficarchive dump")
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION or version < 1:
        _fail(
            f"this dump is format version {version!r}; this ficarchive reads version {VERSION} "
            "and older: restore it with the ficarchive that wrote it, or a newer one"
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        _fail("manifest.json lists no files; the dump is damaged")
    known = {_label(m) for m in dumped_models()}
    for name, entry in files.items():
        if not isinstance(entry, dict) or entry.get("model") not in known:
            model = entry.get("model") if isinstance(entry, dict) else entry
            _fail(
                f"{name}: the model {model!r} is not one this archive has (a newer or a "
                "different program wrote the dump)"
            )
        file = Path(source) / name
        if Path(name).name != name or not file.is_file():
            _fail(f"{name} is listed in manifest.json but missing from the dump")
        if _sha256(file) != entry.get("sha256"):
            _fail(f"{name} does not match its checksum in manifest.json; the dump is damaged")
    return manifest


def _rows_in(source: Path, name: str, label: str, *, bodies: bool) -> Iterator[dict]:
    """The rows of one data file, checked line by line; chapter rows get their bodies read
    back from their files (`bodies`), or only checked to be there."""
    secret = SECRET_FIELDS.get(label, set())
    unusable = make_password(None) if secret else ""
    with (source / name).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                row = json.loads(line)
            except ValueError:
                _fail(f"{name} line {number} is not JSON; the dump is damaged")
            if (
                not isinstance(row, dict)
                or row.get("model") != label
                or not isinstance(row.get("fields"), dict)
                or "pk" not in row
            ):
                _fail(f"{name} line {number} is not a {label} row; the dump is damaged")
            fields = row["fields"]
            for field in secret:
                fields.setdefault(field, unusable)  # restored users set a new password
            if label == CHAPTER_MODEL:
                try:
                    for field, kind in BODY_FIELDS.items():
                        path = _body_path(source, fields["work"], fields["position"], kind)
                        if bodies:
                            fields[field] = path.read_text(encoding="utf-8")
                        elif not path.is_file():
                            raise FileNotFoundError(path)
                except (KeyError, TypeError, ValueError, OSError):
                    _fail(
                        f"{name} line {number}: the chapter's body files (chapters/WORK/"
                        "POSITION.html and .txt) are missing or unreadable"
                    )
            yield row


def archive_contents() -> dict[str, int]:
    """Rows in each dumped model that has any (an empty archive has none)."""
    counts = {_label(m): m._base_manager.count() for m in dumped_models()}
    return {label: n for label, n in counts.items() if n}


def import_dump(source: Path) -> DumpSummary:
    """Restore a dump into this (empty) archive; see the module's docstring."""
    source = Path(source)
    manifest = read_manifest(source)
    present = archive_contents()
    if present:
        listed = ", ".join(f"{n} {label}" for label, n in sorted(present.items()))
        _fail(
            f"the archive is not empty ({listed}); import-dump restores into an empty archive "
            "only: use a new data directory or database"
        )
    by_label = {entry["model"]: name for name, entry in manifest["files"].items()}
    order = [m for m in dumped_models() if _label(m) in by_label]
    # Every file is read and checked before anything is written; then read again, a row at a
    # time, to write it (a whole archive's text need not fit in memory).
    files = {_label(m): by_label[_label(m)] for m in order}
    for label, name in files.items():
        rows = sum(1 for _ in _rows_in(source, name, label, bodies=False))
        if rows != manifest["files"][name].get("rows"):
            _fail(f"{name} has {rows} rows where manifest.json says otherwise; the dump is damaged")
    counts = {}
    deferred = []
    try:
        with transaction.atomic():
            with connection.constraint_checks_disabled():
                for model in order:
                    label = _label(model)
                    objects = serializers.deserialize(
                        "python",
                        _rows_in(source, files[label], label, bodies=True),
                        handle_forward_references=True,
                    )
                    counts[label] = 0
                    batch: list[models.Model] = []
                    for deserialized in objects:
                        counts[label] += 1
                        if deserialized.deferred_fields or any(deserialized.m2m_data.values()):
                            deserialized.save()  # its many-to-many rows or late references too
                            if deserialized.deferred_fields:
                                deferred.append(deserialized)
                            continue
                        batch.append(deserialized.object)
                        if len(batch) >= BATCH:
                            _insert(model, batch)
                    _insert(model, batch)
                for deserialized in deferred:  # references to rows written later
                    deserialized.save_deferred_fields()
            tables = [m._meta.db_table for m in order]
            connection.check_constraints(table_names=tables)
            _reset_sequences(order)
    except (
        DeserializationError,
        DatabaseError,
        FieldDoesNotExist,
        ObjectDoesNotExist,
        ValidationError,
        ValueError,
        TypeError,
        LookupError,
    ) as exc:
        raise DumpError(f"the dump could not be restored, so nothing was: {exc}") from None
    _reindex()
    return DumpSummary(source, counts)


def _insert(model: type[models.Model], batch: list[models.Model]) -> None:
    """Write rows as they are in the dump, many per statement, and empty `batch`.

    A raw insert, as `save(raw=True)` does a row at a time: values are taken as they are (no
    `auto_now` stamping) and no signals are sent (the search index is rebuilt afterwards).
    """
    if batch:
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        size = max(1, connection.ops.bulk_batch_size(fields, batch))  # the database's limits
        for start in range(0, len(batch), size):
            model._base_manager._insert(
                batch[start : start + size], fields=fields, using=connection.alias, raw=True
            )
        batch.clear()


def _reset_sequences(order: list[type[models.Model]]) -> None:
    """After rows were written with their own ids, new rows must get ids after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), order)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _reindex() -> None:
    from ficarchive.search import indexing

    indexing.reindex()


def _readme() -> str:
    return f"""# A ficarchive dump (format {FORMAT}, version {VERSION})

Written by `ficarchive export`; restore it into an empty archive with
`ficarchive import-dump THIS_FOLDER` (SQLite or PostgreSQL).

- `manifest.json`: the format and version, when it was written, and for every data file the
  model it holds, its number of rows and its SHA-256.
- `<app>.<model>.jsonl`: one JSON object per line, one line per row, by primary key:
  `{{"model": "archive.work", "pk": 12, "fields": {{...}}}}` (Django's serialised form).
  Dates and times are ISO 8601 (UTC). References to other rows are their primary keys;
  references to users, groups and permissions are natural keys (`["username"]`).
- `chapters/<work id>/<position>.html` and `.txt`: each chapter's body, as sanitised HTML and
  as plain text (UTF-8); `archive.chapter.jsonl` holds the rest of each chapter.

Users are dumped without their password hashes; API tokens and the search index are left out
(the index is rebuilt on import). `archive.contact.jsonl` holds private contact data from
imported files (authors' email addresses): keep this folder private.
"""
