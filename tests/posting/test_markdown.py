"""Posted text keeps its headings and scene breaks, in every format, through the sanitiser."""

from __future__ import annotations

import pytest

from ficarchive.archive.sanitize import plain_text, render_posted
from ficarchive.text.posted import SCENE_BREAK_HTML

pytestmark = pytest.mark.django_db


def test_a_markdown_heading_survives_the_sanitiser():
    # It used to be an <h1>, which the allow-list dropped, leaving its words loose in the text.
    html = render_posted("# The Lamp Room\n\nMara climbed.", "markdown")
    assert html.startswith("<h2>The Lamp Room</h2>")
    assert plain_text(html).split("\n\n")[0] == "The Lamp Room"


@pytest.mark.parametrize("markup", ["markdown", "html"])
def test_an_h1_in_html_is_kept_as_an_h2(markup):
    html = render_posted("<h1>Part One</h1>\n\n<p>Text.</p>", markup)
    assert "<h2>Part One</h2>" in html and "<h1" not in html


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("One.\n\n***\n\nTwo.", "markdown"),
        ("One.\n\n* * *\n\nTwo.", "markdown"),
        ("One.\n\n---\n\nTwo.", "markdown"),
        ("One.\n\n***\n\nTwo.", "html"),  # plain text in the rich-text box
        ("<p>One.</p><hr><p>Two.</p>", "html"),
    ],
)
def test_scene_breaks_are_stored_as_on_import(text, markup):
    html = render_posted(text, markup)
    assert SCENE_BREAK_HTML in html
    assert plain_text(html) == "One.\n\n* * *\n\nTwo."


def test_a_scene_break_class_cannot_smuggle_anything():
    html = render_posted('<hr class="x" onclick="alert(1)" style="color:red">', "html")
    assert html == SCENE_BREAK_HTML
