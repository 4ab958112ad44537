import codecs

import pytest

from ficarchive.text.decoding import decode_bytes
from ficarchive.text.errors import BinaryFile, EmptyFile
from ficarchive.text.parse import parse_story

TEXT = "“Don’t,” she said — and the café was quiet. Ça va? Naïve façade, señor. " * 3


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == TEXT


def test_latin1_bytes_decode_to_the_same_letters():
    text = "Ça va, señor? Naïve façade, déjà vu, and the café was quiet once again at noon. " * 3
    assert decode_bytes(text.encode("latin-1")).text == text


def test_mojibake_is_repaired():
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252", as Windows decodes)

    broken = TEXT.encode("utf-8").decode("sloppy-windows-1252")  # what a wrong decode once saved
    decoded = decode_bytes(broken.encode("utf-8"))
    assert decoded.text == TEXT
    assert any("mojibake" in r for r in decoded.repairs)


def test_crlf_is_normalised():
    assert decode_bytes(b"one\r\ntwo\rthree").text == "one\ntwo\nthree"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyFile),
        (b"  \n\t\n", EmptyFile),
        (b"%PDF-1.4 binary", BinaryFile),
        (b"PK\x03\x04zipdata", BinaryFile),
        (b"\x89PNG\r\n\x1a\nxxxx", BinaryFile),
        (bytes(range(256)) * 8, BinaryFile),
    ],
)
def test_bad_files_have_clear_errors(data, error):
    with pytest.raises(error) as info:
        decode_bytes(data)
    assert len(str(info.value)) > 15


def test_cp1252_crlf_story_parses():
    raw = (
        "Title: Crème\r\nAuthor: Zoë\r\n\r\n" + "Elle n’était pas là, et l’été finissait. " * 10
    ).encode("cp1252")
    work = parse_story(raw, "story.txt")
    assert (work.title, work.creators[0].name, work.source.encoding) == ("Crème", "Zoë", "cp1252")
    assert "n’était" in work.chapters[0].text
