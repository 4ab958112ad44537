"""The writer-and-reader journey in a real Chromium: sign up (confirming the address), post a two-chapter work, find it,
kudos, comment, bookmark, subscribe, a third chapter, and the reader's inbox shows it.

Screenshots go to test-artifacts/ (journey-*.png); docs/responses.png is a copy of
journey-responses.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from ficarchive.archive.models import Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase 9"


def sign_up(page, base: str, name: str) -> None:
    page.goto(f"{base}/")
    page.click("header >> text=Sign up")
    page.fill("#id_username", name)
    page.fill("#id_email", f"{name}@example.invalid")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#signup-form button[type=submit]")
    page.wait_for_url(f"**/users/{name}/")
    assert page.locator("#profile-link").inner_text() == name
    # The address is confirmed by the link mailed to it before the account posts or comments.
    link = re.search(r"https?://\S+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(base + link)
    assert "Address confirmed" in page.locator("h1").inner_text()


def test_writer_and_reader_journey(browser, live_server):
    base = live_server.url
    errors: list[str] = []
    writer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    writer = writer_context.new_page()
    writer.set_default_timeout(15_000)
    writer.on("pageerror", lambda exc: errors.append(str(exc)))

    # The writer signs up and posts a work, previewing it first.
    sign_up(writer, base, "wren")
    writer.click("header >> text=Post")
    writer.wait_for_url("**/works/new/")
    writer.select_option("#id_rating", "General Audiences")
    writer.check("input[name=warnings][value='No Archive Warnings Apply']")
    writer.check("input[name=categories][value='Gen']")
    writer.fill("#id_fandoms", "Original Work")
    writer.fill("#id_characters", "Mara Quill, Tomas Hale")
    writer.fill("#id_freeforms", "Lighthouse Keepers")
    writer.fill("#id_title", "Letters from the Lamp Room")
    writer.fill("#id_summary", "Two keepers write across the *strait*.")
    writer.select_option("#id_markup", "markdown")
    writer.fill("#id_chapter_title", "The First Letter")
    writer.fill(
        "#id_chapter_text",
        "Mara Quill trimmed the wick and wrote to Tomas about the phosphorescent tide.\n\n"
        "*The strait is quiet tonight,* she wrote.",
    )
    writer.click("button[name=preview]")
    writer.wait_for_selector("#preview")
    assert "phosphorescent tide" in writer.locator("#preview").inner_text()
    assert writer.locator("#preview em").first.inner_text() == "strait"
    screenshot_page(writer, "journey-posting-form")
    writer.click("button[name=post]")
    writer.wait_for_selector("h1.title")
    assert writer.locator("h1.title").inner_text() == "Letters from the Lamp Room"
    work = Work.objects.get(title="Letters from the Lamp Room")

    writer.click("nav.owner-tools >> text=Add chapter")
    writer.fill("#id_chapter_title", "The Answer")
    writer.fill("#id_chapter_text", "Tomas Hale answered by the morning boat.")
    writer.click("button[name=post]")
    writer.wait_for_url(f"**/works/{work.pk}/chapters/2/")
    assert "morning boat" in writer.locator(".chapter").inner_text()

    # It is found in search and on its tag page at once.
    writer.fill("#site-search", "phosphorescent")
    writer.press("#site-search", "Enter")
    writer.wait_for_url("**/search/?q=phosphorescent")
    assert "Letters from the Lamp Room" in writer.locator("main").inner_text()
    writer.goto(f"{base}{work.get_absolute_url()}")
    writer.click(".work-meta a:has-text('Lighthouse Keepers')")
    writer.wait_for_url("**/tags/freeform/**")
    assert "Letters from the Lamp Room" in writer.locator("main").inner_text()

    # A reader signs up, leaves kudos and a comment, bookmarks and subscribes.
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    reader.set_default_timeout(15_000)
    reader.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_up(reader, base, "rhea")
    reader.goto(f"{base}{work.get_absolute_url()}")
    reader.click("#kudos-form button")
    reader.wait_for_selector("#kudos:has-text('rhea left kudos')")
    reader.fill("#id_comment_text", "The tide line made me cry.")
    reader.click("#comment-form button[type=submit]")
    reader.wait_for_selector(".comment-body:has-text('The tide line made me cry.')")
    reader.click("#responses a:has-text('Bookmark')")
    reader.fill("#id_note", "Reread in winter.")
    reader.fill("#id_tags", "comfort, letters")
    reader.click("#bookmark-form button[type=submit]")
    reader.wait_for_url(f"**{work.get_absolute_url()}")
    reader.click("#responses button:has-text('Subscribe')")
    reader.wait_for_selector("#responses button:has-text('Unsubscribe')")
    screenshot_page(reader, "journey-work-page")
    reader.locator("#responses").scroll_into_view_if_needed()
    screenshot_page(reader, "journey-responses")
    work.refresh_from_db()
    assert (work.kudos_count, work.comments_count, work.bookmarks_count) == (1, 1, 1)

    # The writer posts chapter 3; the reader's inbox shows it.
    writer.goto(f"{base}/works/{work.pk}/chapters/new/")
    writer.fill("#id_chapter_title", "The Storm")
    writer.fill("#id_chapter_text", "The storm came in from the west.")
    writer.click("button[name=post]")
    writer.wait_for_url(f"**/works/{work.pk}/chapters/3/")
    writer.goto(f"{base}/inbox/")
    assert "rhea commented on" in writer.locator("main").inner_text()

    reader.goto(f"{base}/")
    assert reader.locator("#inbox-link .badge").inner_text() == "1"
    reader.click("#inbox-link")
    inbox = reader.locator("main").inner_text()
    assert "New chapter" in inbox and "chapter 3: The Storm" in inbox
    path = screenshot_page(reader, "journey-inbox")
    reader.click("text=chapter 3: The Storm")
    assert "storm came in from the west" in reader.locator(".chapter").inner_text()

    reader.goto(f"{base}/users/rhea/bookmarks/")
    assert "Reread in winter." in reader.locator("main").inner_text()
    assert errors == []
    assert path.exists()
    writer_context.close()
    reader_context.close()


def screenshot_page(page, name: str) -> Path:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_tag_autocomplete_on_the_posting_form(browser, live_server):
    from ficarchive.archive.models import Tag
    from tests.personas import PASSWORD as PERSONA_PASSWORD
    from tests.personas import make_user

    make_user("wren")
    Tag.objects.create(type="character", name="Mara Quill", slug="mara-quill", canonical=True)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/works/new/")
    page.fill("#id_username", "wren")
    page.fill("#id_password", PERSONA_PASSWORD)
    page.click("form.login-form button")
    page.wait_for_url("**/works/new/")
    page.fill("#id_characters", "Tomas Hale, mara q")
    page.locator("#tag-suggestions option").first.wait_for(state="attached", timeout=5000)
    options = page.eval_on_selector_all("#tag-suggestions option", "os => os.map(o => o.value)")
    assert options == ["Tomas Hale, Mara Quill"]
    assert page.get_attribute("#id_characters", "list") == "tag-suggestions"
    context.close()
