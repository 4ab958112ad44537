"""Stored HTML back to blocks: our own markup taken exactly, anything else read as on import."""

from __future__ import annotations

import pytest

from ficarchive.archive.sanitize import clean_html
from ficarchive.formats.stored import blocks_from_html
from ficarchive.text.model import SCENE_BREAK, Block
from ficarchive.text.render import blocks_to_html


@pytest.mark.parametrize(
    "blocks",
    [
        [Block(html="One &amp; <em>two</em>"), SCENE_BREAK, Block(html="three")],
        # Short lines stay lines: a verse epigraph is not rejoined as hard-wrapped prose.
        [Block(kind="verse", html="What ravages of spirit<br>conjured this rage?<br>None.")],
        [Block(html="centred", align="center"), Block(kind="quote", html="a quote")],
        [Block(kind="heading", html="A heading", level=3), Block(html="x\xa0y &lt;z&gt;")],
    ],
)
def test_stored_blocks_come_back_unchanged(blocks):
    assert blocks_from_html(clean_html(blocks_to_html(blocks))) == blocks


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("", []),
        ("<p></p>", []),
        ("<p><b>bold</b> and <i>it</i></p>", [Block(html="<strong>bold</strong> and <em>it</em>")]),
        ("<ul><li>one</li><li>two</li></ul>", [Block(html="one"), Block(html="two")]),
        ("<blockquote><p>a</p><p>b</p></blockquote>", [Block(html="a"), Block(html="b")]),
        ("loose &lt;text&gt;", [Block(html="loose &lt;text&gt;")]),
        # Never passed through: attributes, comments, tags outside the inline set.
        ('<p><em onclick="x()">a</em><!-- c --></p>', [Block(html="<em>a</em>")]),
        ("<p>a<script>alert(1)</script></p>", [Block(html="a")]),
    ],
)
def test_other_markup_is_read_as_the_importer_reads_it(fragment, expected):
    assert blocks_from_html(fragment) == expected
