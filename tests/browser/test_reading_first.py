"""Reading first, in a real browser: a work's first paragraph is on the first screen on a laptop
(1280×800) and a phone (390×844), with a typical header (ten tags, a three-line summary); and
the adult-content question, asked once, then remembered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.personas import make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
SUMMARY = (
    "Two lighthouse keepers on opposite headlands write to each other through one long winter, "
    "first about the weather and the lamps, then about the ships they watch for, and at last "
    "about the things neither of them has ever said aloud to anyone at all."
)
TEXT = "\n\n".join(
    [
        "The lamp was lit at dusk, as it had been every evening for eleven years.",
        "Mara wrote her first letter by its light, the pen scratching against the wind.",
        *["The sea kept its own counsel below the rocks, grey and patient." for _ in range(30)],
    ]
)
TAGS = {
    "warning": ["No Archive Warnings Apply"],
    "category": ["F/F"],
    "fandom": ["Original Work"],
    "relationship": ["Mara Quill/Ines Harrow", "Mara Quill & Tom Abell"],
    "character": ["Mara Quill", "Ines Harrow", "Tom Abell"],
    "freeform": ["Epistolary", "Slow Burn"],
}


@pytest.fixture
def typical_work(db):
    writer = make_user("wren")
    return post(writer, rating="Teen And Up Audiences", tags=TAGS, summary=SUMMARY, text=TEXT)


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 390, 844)])
def test_the_story_starts_on_the_first_screen(
    browser, live_server, typical_work, name, width, height, screenshot_dir
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{typical_work.get_absolute_url()}")
        assert page.locator("ul.tags li").count() == 10
        first = page.locator(".chapter .userstuff p").first
        assert "The lamp was lit at dusk" in first.inner_text()
        box = first.bounding_box()
        assert box is not None
        assert box["y"] < height, f"the first paragraph starts at {box['y']:.0f}px"
        # More than its top: the whole first line is on the screen.
        line = float(first.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)"))
        assert box["y"] + line <= height, f"its first line ends at {box['y'] + line:.0f}px"
        # The header stays compact: the summary shows, notes and downloads are folded.
        assert page.locator(".work-header .summary").is_visible()
        assert not page.locator("details.downloads ul").is_visible()
        path = screenshot_dir / f"reading-{name}.png"
        page.screenshot(path=str(path), full_page=False)
        if name == "desktop":
            DOCS.mkdir(exist_ok=True)
            shutil.copyfile(path, DOCS / "reading.png")
    finally:
        context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def test_the_adult_question_is_asked_once(page, live_server, screenshot, db):
    writer = make_user("wren")
    mature = post(writer, title="Night Watch", rating="Mature", text="The night was long.")
    explicit = post(writer, title="Storm", rating="Explicit", text="The storm broke at last.")
    page.goto(f"{live_server.url}{mature.get_absolute_url()}")
    prompt = page.locator(".adult-prompt")
    assert "This work could have adult content." in prompt.inner_text()
    assert page.locator(".userstuff").count() == 0
    screenshot("adult-prompt")

    page.click("#adult-back")  # Go back: to the works, not the story
    page.wait_for_load_state()
    assert page.url.endswith("/works/")

    page.goto(f"{live_server.url}{mature.get_absolute_url()}")
    page.click("#adult-proceed")
    page.wait_for_load_state()
    assert page.url.endswith(mature.get_absolute_url())
    assert "The night was long." in page.locator(".userstuff").inner_text()

    page.goto(f"{live_server.url}{explicit.get_absolute_url()}")  # remembered for every work
    assert page.locator(".adult-prompt").count() == 0
    assert "The storm broke at last." in page.locator(".userstuff").inner_text()
