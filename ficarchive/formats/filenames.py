"""Download file names from a work's title and creators, safe on Windows, macOS and Linux."""

from __future__ import annotations

import re
import unicodedata

# Characters Windows refuses, path separators, and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$", re.I)
MAX_BYTES = 150  # well under every file system's 255-byte limit, leaving room for " (2)" etc.


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub(" ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    return " ".join(text.split())


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore").rstrip()


def download_filename(title: str, creators: list[str], ext: str) -> str:
    """`Title - Creator.epub`: no separators or reserved characters, never a reserved device name
    (`CON`, `NUL`...), no trailing dot or space, at most MAX_BYTES bytes of UTF-8 before the
    extension; `work.EXT` when nothing usable is left."""
    stem = _clean(title)
    names = [n for n in (_clean(c) for c in creators) if n]
    if names:
        byline = names[0] + (" et al" if len(names) > 1 else "")
        stem = f"{stem} - {byline}" if stem else byline
    stem = _truncate(stem, MAX_BYTES).strip(" .")
    if not stem or _RESERVED.match(stem):
        stem = f"work {stem}".strip() if stem else "work"
    return f"{stem}.{ext}"
