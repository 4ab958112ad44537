"""A writer's Markdown: headings kept, scene breaks marked exactly as an import marks them."""

from __future__ import annotations

import pytest

from ficarchive.text.markdown import read_markdown_blocks
from ficarchive.text.posted import SCENE_BREAK_HTML, heading_level, markdown_to_html
from ficarchive.text.render import blocks_to_html


def test_the_scene_break_is_the_importers():
    blocks, _ = read_markdown_blocks("One.\n\n***\n\nTwo.")
    assert SCENE_BREAK_HTML in blocks_to_html(blocks)
    assert SCENE_BREAK_HTML == '<hr class="scene-break">'


@pytest.mark.parametrize("marker", ["***", "* * *", "---", "- - -", "___", "~*~", "oOo"])
def test_a_scene_break_marker_is_a_scene_break(marker):
    html = markdown_to_html(f"She left.\n\n{marker}\n\nHe stayed.")
    assert html.split("\n")[:3] == ["<p>She left.</p>", SCENE_BREAK_HTML, "<p>He stayed.</p>"]


def test_a_rule_right_under_a_paragraph_is_a_break_not_a_heading():
    html = markdown_to_html("She left.\n---\nHe stayed.")
    assert "<h2>" not in html and SCENE_BREAK_HTML in html
    assert "<p>She left.</p>" in html and "<p>He stayed.</p>" in html


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ("# Part One", "h2"),
        ("## Part One", "h2"),
        ("### Part One", "h3"),
        ("###### Part One", "h6"),
    ],
)
def test_headings_are_kept_at_the_importers_levels(source, tag):
    assert markdown_to_html(f"{source}\n\nText.").startswith(f"<{tag}>Part One</{tag}>")


def test_heading_levels_match_the_importer():
    assert [heading_level(n) for n in range(1, 8)] == [2, 2, 3, 4, 5, 6, 6]


def test_ellipsis_and_ordinary_lines_stay_paragraphs():
    html = markdown_to_html("...\n\nThe end of it.")
    assert "<hr" not in html and "<p>...</p>" in html
