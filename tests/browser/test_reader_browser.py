"""A reader's choices in a real Chromium: they turn on "hide archive warnings" on their
preferences page; a work then shows its warnings folded (click to show), and the analysis's
unreviewed suggestions on it are not shown to them, while its creator sees them."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.archive.models import Tag, WorkTag
from tests.personas import make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_reader_hides_warnings_and_never_sees_machine_tags(browser, live_server, screenshot):
    writer, reader = make_user("wren"), make_user("rook")
    work = post(
        writer,
        title="Harbour Lights",
        rating="Teen And Up Audiences",
        tags={"warning": ["Major Character Death"], "character": ["Mara Quill"]},
        text="The harbour lights came on one by one.",
    )
    guess = Tag.objects.create(type="character", name="Guessed Sailor", slug="guessed-sailor")
    WorkTag.objects.create(
        work=work, tag=guess, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
    )
    url = f"{live_server.url}{work.get_absolute_url()}"

    context, page = _logged_in(browser, live_server, reader)
    try:
        page.goto(url)  # before choosing: the warning shows, the machine's guess does not
        assert page.locator("li.tag.warning").first.is_visible()
        assert "Guessed Sailor" not in page.content()

        page.goto(f"{live_server.url}/accounts/preferences/")
        page.check("#id_hide_warnings")
        page.click(".preferences-form button[type=submit]")
        page.wait_for_load_state()

        page.goto(url)
        folded = page.locator("details.hidden-tags", has_text="Warnings hidden, click to show")
        assert folded.count() == 1
        assert not page.locator("li.tag.warning").first.is_visible()
        assert "Guessed Sailor" not in page.content()
        assert page.locator("#suggestions").count() == 0
        assert "The harbour lights came on" in page.locator(".userstuff").inner_text()
        screenshot("reader-warnings-hidden")
        folded.locator("summary").click()
        assert "Major Character Death" in page.locator("li.tag.warning").first.inner_text()
    finally:
        context.close()

    context, page = _logged_in(browser, live_server, writer)  # the creator reviews the guess
    try:
        page.goto(url)
        assert "Guessed Sailor" in page.locator("#suggestions").inner_text()
    finally:
        context.close()
