"""Bytes to clean Unicode: detect the encoding, refuse binaries, repair mojibake.

Old archives saved pages in Windows-1252, Latin-1, UTF-16 or UTF-8 with a BOM, and many files
went through a wrong decode on the way (`â€™` for `’`). We try the strict, cheap answers first
(BOM, UTF-8), then what the page declares, then charset-normalizer; ftfy repairs mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes

from .errors import BinaryFile, EmptyFile, UndecodableFile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of formats people drop into an import folder by mistake.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an EPUB or DOCX?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Cheap pre-check: UTF-8 read as a Western code page leaves these pairs; ftfy is slow on clean text.
_MOJIBAKE_HINT = re.compile(
    "[ÂÃâÅÄÆÐÑ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)

_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _western_single_byte(data: bytes) -> str:
    """cp1252 is a superset of Latin-1's printable range; fall back when it has undefined bytes."""
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _guess_encoding(data: bytes) -> str:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec and codec not in {"utf-8", "ascii"}:
            if codec in {"latin-1", "iso8859-1", "cp1252"}:
                return _western_single_byte(data)
            try:
                data.decode(codec)
                return codec
            except UnicodeDecodeError:
                pass
    best = from_bytes(data[:200_000], preemptive_behaviour=False).best()
    if best is None:
        raise UndecodableFile(
            "could not work out the text encoding; save the file as UTF-8 and import it again"
        )
    guess = codecs.lookup(best.encoding).name
    if guess != "cp1252" and _single_byte(guess):
        # Fan fiction in a single-byte code page is overwhelmingly Windows-1252, and detectors
        # often name a sibling code page that maps the same bytes to other letters. Keep
        # cp1252 unless the guess reads as more letters and fewer stray symbols.
        western = _western_single_byte(data)
        if _plausibility(data.decode(western)) >= _plausibility(data.decode(guess, "replace")):
            return western
    return guess


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp125", "iso8859", "latin", "mac-", "cp437", "cp850", "koi8"))


def _plausibility(text: str) -> int:
    """Non-ASCII letters and typographic punctuation count for a decode, stray symbols against."""
    score = 0
    for ch in text:
        if ch < "\x80":
            continue
        if ch.isalpha() or ch in "’‘“”–—…«»€":
            score += 1
        else:
            score -= 2
    return score


_MISREAD_BOM = codecs.BOM_UTF8.decode("cp1252")


def decode_bytes(data: bytes) -> Decoded:
    """Decode a story file. Raises EmptyFile, BinaryFile or UndecodableFile with a fix in the message."""
    if not data.strip():
        raise EmptyFile("the file is empty (no text to import)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFile(f"this is {what}, not a story file; import .txt, .md or .html files")

    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if not encoding:
        encoding = _utf16_without_bom(data) or ""
    if not encoding:
        if b"\x00" in data[:8000]:
            raise BinaryFile(
                "the file holds binary data (NUL bytes), not text; import .txt, .md or .html files"
            )
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = _guess_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableFile(
            f"the file is not valid {encoding} text ({exc.reason}); save it as UTF-8 and import it again"
        ) from exc

    repairs: list[str] = []
    if encoding not in {"utf-8", "ascii"}:
        repairs.append(f"decoded from {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 200):
        raise BinaryFile(
            "the file holds binary data (control characters), not text; import .txt, .md or .html files"
        )
    fixed = ftfy.fix_text(text, _FTFY) if _MOJIBAKE_HINT.search(text) else text
    if fixed != text:
        repairs.append("repaired mis-decoded characters (mojibake)")
        text = fixed
    # A byte-order mark the saving tool decoded as text (`ï»¿`) is no part of the story.
    text = _CONTROL.sub("", text).removeprefix(_MISREAD_BOM).lstrip("\ufeff")
    if not text.strip():
        raise EmptyFile("the file has no text to import")
    return Decoded(text=text, encoding=encoding, repairs=tuple(repairs))
