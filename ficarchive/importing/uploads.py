"""Uploaded archives, checked before they are kept and unpacked within limits.

No Django here: the form checks a zip's directory (cheap, in the web request) and the planning job
unpacks it (in the background), both with the same limits. A zip may not name files outside the
folder it unpacks into (`../evil.txt`, `/etc/passwd`, `C:\\x`), hold more files or unpack to more
bytes than the limits allow, or hold encrypted entries; symbolic links in it are ignored, never
followed or made. Every refusal is an `UploadError` whose message says what to do instead.
"""

from __future__ import annotations

import gzip
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

CHUNK = 1 << 20
MB = 1024 * 1024
# Folders of Finder metadata that macOS adds to every zip it makes: not part of the material.
JUNK_PREFIXES = ("__MACOSX/",)
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


class UploadError(ValueError):
    """An upload that cannot be used; the message says why and what to upload instead."""


@dataclass(frozen=True, slots=True)
class Limits:
    upload_bytes: int  # all files of one upload together, as sent
    unpacked_bytes: int  # what a zip or .sql.gz unpacks to
    unpacked_files: int  # entries in one zip


@dataclass(frozen=True, slots=True)
class ZipContents:
    files: int
    unpacked_bytes: int
    ignored: tuple[str, ...]  # symbolic links and macOS metadata, left out


def _mb(size: int) -> str:
    if size < MB:
        return f"{size / 1024:.0f} KB"
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size / MB:.0f} MB"


def unsafe_name(name: str) -> str:
    """Why a zip entry's name would land outside the folder it is unpacked into ('' when safe)."""
    if "\x00" in name:
        return "has a NUL byte in its name"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return "is an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "climbs out of the folder with '..'"
    return ""


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _kept(info: zipfile.ZipInfo) -> bool:
    return not _is_symlink(info) and not info.filename.startswith(JUNK_PREFIXES)


ENTRY_CHECKS = (  # (problem, test): the first that applies refuses the whole zip
    ("is encrypted; upload it without a password", lambda info: info.flag_bits & 0x1),
    (
        "uses a compression method this server cannot read; zip it again with the usual 'deflate'",
        lambda info: info.compress_type not in READABLE_METHODS,
    ),
)


def check_zip(upload: BinaryIO | Path, name: str, limits: Limits) -> ZipContents:
    """What the zip holds, read from its directory only; UploadError when it must be refused."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise UploadError(
            f"{name} is not a zip file (or it is damaged); make it again with a zip tool"
        ) from None
    kept, ignored, total = 0, [], 0
    for info in entries:
        problem = unsafe_name(info.filename)
        if problem:
            raise UploadError(
                f"{name} is refused: the entry {info.filename!r} {problem}; zip the folder "
                "itself, with names relative to it"
            )
        if not _kept(info):
            ignored.append(info.filename)
            continue
        if info.is_dir():
            continue
        for problem, applies in ENTRY_CHECKS:
            if applies(info):
                raise UploadError(f"{name} is refused: {info.filename!r} {problem}")
        kept += 1
        total += info.file_size
    if kept > limits.unpacked_files:
        raise UploadError(
            f"{name} holds {kept} files, more than the {limits.unpacked_files} allowed "
            "(FICARCHIVE_MAX_UNPACKED_FILES); split it into several uploads"
        )
    if total > limits.unpacked_bytes:
        raise UploadError(
            f"{name} unpacks to {_mb(total)}, more than the {_mb(limits.unpacked_bytes)} allowed "
            "(FICARCHIVE_MAX_UNPACKED_MB); split it into several uploads"
        )
    if not kept:
        raise UploadError(f"{name} holds no files")
    return ZipContents(kept, total, tuple(ignored))


def unpack_zip(path: Path, dest: Path, limits: Limits) -> ZipContents:
    """Unpack the zip into `dest`, checked again and counted as it is written.

    The directory's sizes could lie, so the bytes written are counted too; going over the limit
    stops the unpacking with an UploadError (the caller removes `dest`).
    """
    contents = check_zip(path, path.name, limits)
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    written = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not _kept(info) or info.is_dir():
                continue
            target = (root / info.filename.replace("\\", "/")).resolve()
            if not target.is_relative_to(root):  # belt and braces after unsafe_name
                raise UploadError(f"{path.name}: {info.filename!r} is outside the folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > limits.unpacked_bytes:
                            raise UploadError(
                                f"{path.name} unpacks to more than the "
                                f"{_mb(limits.unpacked_bytes)} allowed (FICARCHIVE_MAX_UNPACKED_MB)"
                            )
                        out.write(chunk)
            except zipfile.BadZipFile as exc:
                raise UploadError(
                    f"{path.name} is damaged at {info.filename!r} ({exc}); make the zip again"
                ) from None
    return contents


def check_gzip(upload: BinaryIO, name: str) -> None:
    """A .gz upload must at least start like one (its size is checked when it is unpacked)."""
    head = upload.read(2)
    upload.seek(0)
    if head != b"\x1f\x8b":
        raise UploadError(f"{name} is not gzip-compressed; upload the .sql file itself instead")


def gunzip(path: Path, dest: Path, limits: Limits) -> int:
    """Decompress a .gz file to `dest` within the unpacked-size limit; returns the bytes written."""
    written = 0
    try:
        with gzip.open(path, "rb") as source, dest.open("wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > limits.unpacked_bytes:
                    raise UploadError(
                        f"{path.name} unpacks to more than the {_mb(limits.unpacked_bytes)} "
                        "allowed (FICARCHIVE_MAX_UNPACKED_MB); upload the dump uncompressed or "
                        "raise the limit"
                    )
                out.write(chunk)
    except (OSError, EOFError) as exc:
        dest.unlink(missing_ok=True)
        raise UploadError(f"{path.name} cannot be decompressed ({exc}); upload it again") from None
    return written


def safe_filename(name: str, taken: set[str]) -> str:
    """A plain file name for an uploaded file (no folders, no dotfile), unique among `taken`."""
    base = re.sub(r"[\x00-\x1f/\\:]+", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    base = base[:150] or "upload"
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{base}-{n}"
    taken.add(candidate.lower())
    return candidate


def copy_upload(upload: BinaryIO, dest: Path) -> int:
    """Write an uploaded file to `dest` (created privately); returns its size."""
    upload.seek(0)
    with dest.open("xb") as out:
        shutil.copyfileobj(upload, out, CHUNK)
    dest.chmod(0o600)
    return dest.stat().st_size
