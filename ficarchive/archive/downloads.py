"""Work downloads (EPUB, HTML, TXT): the stored work to a file, cached on disk.

The stored work becomes a `ParsedWork` (`stored_work`) and `ficarchive.formats` writes it, the
same writers `ficarchive convert` uses on a file. Files are cached under
`DATA_DIR/downloads/<work id>/`, named by a hash of everything the file shows (title,
creators, public tags, notes, every chapter, and the writers' version), so any change to the
work makes the next download rebuild it and older files of that work are removed. Reading a
download writes nothing to the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.shortcuts import get_object_or_404

from ficarchive.accounts.permissions import can_read
from ficarchive.formats import FORMATS, MEDIA_TYPES, render_work
from ficarchive.formats.filenames import download_filename
from ficarchive.formats.stored import blocks_from_html
from ficarchive.text.model import Chapter as ParsedChapter
from ficarchive.text.model import Creator, ParsedWork, SourceInfo, TagType
from ficarchive.text.model import Tag as ParsedTag

from .models import Work, WorkTag

# Bump when the writers' output changes, so cached files are rebuilt.
WRITER_VERSION = "2"
_WORK_FIELDS = (
    "title", "title_missing", "summary_html", "notes_html", "end_notes_html", "rating",
    "language", "complete", "expected_chapters", "published", "updated",
)  # fmt: skip
_CHAPTER_FIELDS = (
    "position", "title", "epigraph_html", "summary_html", "notes_html", "end_notes_html",
    "body_html",
)  # fmt: skip


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    media_type: str
    file: BinaryIO  # open on `path`: a newer version may replace the file once we hold it

    @property
    def etag(self) -> str:
        """The file's version (its cache key) as an HTTP entity tag."""
        return f'"{self.path.stem}"'


def _snapshot(work: Work) -> dict:
    """Everything a download shows, as plain values: the cache key and the writer's input."""
    creators = list(work.creatorships.order_by("position").values_list("pseud__name", flat=True))
    tags = list(
        work.work_tags.filter(status=WorkTag.Status.ACCEPTED)
        .order_by("position", "id")
        .values_list("tag__type", "tag__name")
    )
    chapters = list(work.chapters.visible().order_by("position").values_list(*_CHAPTER_FIELDS))
    fields = {name: getattr(work, name) for name in _WORK_FIELDS}
    for name in ("published", "updated"):
        fields[name] = fields[name].isoformat() if fields[name] else None
    return {"id": work.pk, **fields, "creators": creators, "tags": tags, "chapters": chapters}


def _key(snapshot: dict, fmt: str) -> str:
    data = json.dumps([WRITER_VERSION, fmt, snapshot], default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def parsed_from_snapshot(snapshot: dict) -> ParsedWork:
    """The stored work as the writers' plain data, with its markup (emphasis, verse, breaks)."""
    work = ParsedWork(
        title=snapshot["title"],
        title_missing=snapshot["title_missing"],
        creators=[Creator(name) for name in snapshot["creators"]],
        summary=blocks_from_html(snapshot["summary_html"]),
        notes=blocks_from_html(snapshot["notes_html"]),
        end_notes=blocks_from_html(snapshot["end_notes_html"]),
        rating=snapshot["rating"] or None,
        tags=[ParsedTag(TagType(t), name) for t, name in snapshot["tags"]],
        language=snapshot["language"],
        complete=snapshot["complete"],
        expected_chapters=snapshot["expected_chapters"],
        published=snapshot["published"],
        updated=snapshot["updated"],
        source=SourceInfo(format="archive"),
    )
    for position, title, epigraph, summary, notes, end_notes, body in snapshot["chapters"]:
        work.chapters.append(
            ParsedChapter(
                number=position,
                title=title,
                epigraph=blocks_from_html(epigraph),
                summary=blocks_from_html(summary),
                notes=blocks_from_html(notes),
                end_notes=blocks_from_html(end_notes),
                blocks=blocks_from_html(body),
            )
        )
    return work


def stored_work(work: Work) -> ParsedWork:
    """A stored work as a ParsedWork with full markup, for the writers."""
    return parsed_from_snapshot(_snapshot(work))


def _identifier(work: Work) -> str:
    """The EPUB's identifier: the same for every download of this work in this archive."""
    stamp = work.created_at.isoformat() if work.created_at else ""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'ficarchive:work:{work.pk}:{stamp}')}"


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def forget_downloads(sender, instance: Work, **kwargs) -> None:
    """A deleted work's cached files go once the deletion commits (a rollback keeps them)."""
    folder = cache_dir() / str(instance.pk)
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def build_download(work: Work, fmt: str) -> Download:
    """The work's file in `fmt`, from the cache when the work has not changed since."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown download format {fmt!r}; choose one of {', '.join(FORMATS)}")
    snapshot = _snapshot(work)
    folder = cache_dir() / str(work.pk)
    path = folder / f"{fmt}-{_key(snapshot, fmt)}.{fmt}"
    name = download_filename(snapshot["title"], snapshot["creators"], fmt)
    try:
        return Download(path, name, MEDIA_TYPES[fmt], path.open("rb"))
    except FileNotFoundError:
        pass
    parsed = parsed_from_snapshot(snapshot)
    if fmt == "epub":
        from ficarchive.formats.epub import write_epub

        data = write_epub(parsed, identifier=_identifier(work))
    else:
        data = render_work(parsed, fmt)
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader never sees half a file, two writers never mix theirs.
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)
    handle = path.open("rb")
    for old in folder.glob(f"{fmt}-*.{fmt}"):
        if old != path:
            old.unlink(missing_ok=True)  # an older version: the work changed since
    return Download(path, name, MEDIA_TYPES[fmt], handle)


def download(request: HttpRequest, work_id: int, fmt: str) -> HttpResponse:
    """`/works/<id>/download/<epub|html|txt>/`: the work as a file to keep."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise Http404(f"There is no “{fmt[:20]}” download; works download as {', '.join(FORMATS)}.")
    work = get_object_or_404(Work, pk=work_id)
    if not can_read(request.user, work):
        from .views import login_to_read

        return login_to_read(request)
    file = build_download(work, fmt)
    if request.headers.get("If-None-Match") == file.etag:
        file.file.close()
        return HttpResponseNotModified(headers={"ETag": file.etag})
    response = FileResponse(
        file.file, as_attachment=True, filename=file.filename, content_type=file.media_type
    )
    # Revalidate (the work may change under the same URL); the ETag makes that a 304.
    # A work for logged-in users only must never sit in a shared cache.
    response["Cache-Control"] = "private, no-cache" if work.restricted else "no-cache"
    response["ETag"] = file.etag
    return response
