"""A new writer posts a one-shot in a real Chromium: a Markdown heading and a `***` scene break,
the text format chosen above the text, "complete" already checked, and a co-creator invitation
to a user who signed up and never posted. The result page shows the heading, the scene break,
1/1 and Complete; the invited user finds the invitation in their inbox and accepts it.

Screenshots: test-artifacts/one-shot-form.png, one-shot-work.png.
"""

from __future__ import annotations

import pytest

from ficarchive.archive.models import Work
from tests.browser.test_journey import screenshot_page, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = (
    "# The Lamp Room\n\n"
    "Mara Quill climbed the hundred steps and trimmed the wick.\n\n"
    "***\n\n"
    "Morning came grey over the strait, and Tomas rowed out to meet her."
)


def test_a_writer_posts_a_one_shot_with_a_heading_a_scene_break_and_a_co_creator(
    browser, live_server
):
    base = live_server.url
    errors: list[str] = []

    # The co-creator-to-be signs up and never posts.
    newcomer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    newcomer = newcomer_context.new_page()
    newcomer.set_default_timeout(15_000)
    sign_up(newcomer, base, "nell")

    writer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    writer = writer_context.new_page()
    writer.set_default_timeout(15_000)
    writer.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_up(writer, base, "wren")
    writer.click("header >> text=Post")
    writer.wait_for_url("**/works/new/")

    # The format sits above the text areas; a new work starts complete; required is marked.
    markup_box = writer.locator("#id_markup").bounding_box()
    assert markup_box["y"] < writer.locator("#id_summary").bounding_box()["y"]
    assert markup_box["y"] < writer.locator("#id_chapter_text").bounding_box()["y"]
    assert writer.locator("#id_complete").is_checked()
    assert writer.locator("#id_title").get_attribute("required") is not None
    assert "(required)" in writer.locator("label[for=id_title]").inner_text()

    writer.select_option("#id_rating", "General Audiences")
    writer.check("input[name=warnings][value='No Archive Warnings Apply']")
    writer.fill("#id_fandoms", "Original Work")
    writer.fill("#id_title", "The Hundred Steps")
    writer.fill("#id_co_creators", "nell")
    writer.select_option("#id_markup", "markdown")
    writer.fill("#id_chapter_text", STORY)
    screenshot_page(writer, "one-shot-form")
    writer.click("button[name=post]")
    writer.wait_for_selector("h1.title")

    work = Work.objects.get(title="The Hundred Steps")
    assert writer.url.endswith(f"/works/{work.pk}/")
    chapter = writer.locator(".chapter")
    assert chapter.locator("h2").filter(has_text="The Lamp Room").count() == 1
    assert chapter.locator("hr.scene-break").count() == 1
    texts = chapter.locator("h2, p, hr").evaluate_all(
        "nodes => nodes.map(n => n.tagName === 'HR' ? '<hr>' : n.textContent.trim())"
    )
    heading = texts.index("The Lamp Room")
    assert texts[heading + 1].startswith("Mara Quill climbed")
    assert texts[heading + 2] == "<hr>" and texts[heading + 3].startswith("Morning came grey")
    stats = writer.locator(".work-header p.stats").inner_text()
    assert "Chapters 1/1" in stats and "Complete" in stats
    assert writer.locator("p.byline").inner_text() == "by wren"  # nell not before accepting
    screenshot_page(writer, "one-shot-work")

    # The next new work starts in Markdown: the choice was remembered.
    writer.goto(f"{base}/works/new/")
    assert writer.locator("#id_markup").input_value() == "markdown"

    # The invited newcomer accepts from the inbox and is credited.
    newcomer.goto(f"{base}/inbox/")
    invitation = newcomer.locator("#invitations li")
    assert "wren invited nell to be credited on The Hundred Steps" in invitation.inner_text()
    invitation.locator("button[value=accept]").click()
    newcomer.wait_for_url(f"**/works/{work.pk}/")
    assert newcomer.locator("p.byline").inner_text() == "by wren, nell"
    assert errors == []
    writer_context.close()
    newcomer_context.close()
