import pytest

from ficarchive.text.plaintext import inline_markup, read_text_blocks


@pytest.mark.parametrize(
    ("raw", "html"),
    [
        ("plain", "plain"),
        ("*soft*", "<em>soft</em>"),
        ("_soft_ word", "<em>soft</em> word"),
        ("**loud**", "<strong>loud</strong>"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("*one\ntwo*", "<em>one<br>two</em>"),
    ],
)
def test_inline_markup(raw, html):
    assert inline_markup(raw) == html


WRAPPED = """\
She had walked the length of the harbour wall twice before the ferry
came in, counting the gulls and losing count, and when it finally
docked she found she did not want to get on it at all.

The captain waved. She waved back, the way you wave at someone you
will never see again, and turned towards the town and the long hill
that climbed away from the water into the old quarter of the city.

A third paragraph exists only so the wrap width can be measured well
enough: wrapped text has many lines that sit close to the same width.
"""


def test_hard_wrapped_paragraphs_are_rejoined():
    blocks, notes = read_text_blocks(WRAPPED)
    assert [b.kind for b in blocks] == ["p", "p", "p"]
    assert blocks[0].text.startswith(
        "She had walked the length of the harbour wall twice before the ferry came in,"
    )
    assert "\n" not in blocks[1].text
    assert any("rejoined" in note for note in notes)


def test_verse_keeps_its_line_breaks():
    text = (
        "*I walked the line\nand the line walked me\nall the way home*\n\n"
        + "A paragraph of prose that runs on for quite a while, longer than any line of the song above it by far, so that it is clearly prose. "
        * 2
    )
    blocks, _ = read_text_blocks(text)
    assert blocks[0].kind == "verse"
    assert (
        blocks[0].html == "<em>I walked the line<br>and the line walked me<br>all the way home</em>"
    )


def test_one_paragraph_per_line_without_blank_lines():
    lines = [
        f"Line {i} is a whole paragraph of its own, written long enough that it is obviously prose and not a verse line at all, nor a header."
        for i in range(30)
    ]
    blocks, _ = read_text_blocks("\n".join(lines))
    assert len(blocks) == 30
    assert all(b.kind == "p" for b in blocks)


def test_centred_lines_are_marked():
    blocks, _ = read_text_blocks("                    * * *\n\nText.")
    assert blocks[0].align == "center"
