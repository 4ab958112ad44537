"""Moderation in a real Chromium: a spammer is held back, a visitor reports a work, an archivist
works the queue (hides, closes with an outcome the reporter is mailed, restores) and reads the
audit log.

Screenshots go to test-artifacts/; docs/moderation-queue.png is a copy of the queue's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from ficarchive.moderation.models import Report
from tests.browser.conftest import ARTIFACTS
from tests.personas import make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _context(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_spammer_reporter_and_archivist(browser, live_server):
    base = live_server.url
    writer, spammer = make_user("wren"), make_user("spamton")
    archivist = make_user("arch", staff=True)
    work = post(writer, title="The Lamp Room", text="Mara trimmed the wick at dusk.")
    url = f"{base}{work.get_absolute_url()}"

    # A spammer's comment full of links is held: they see it waiting, a visitor does not.
    _, spam_page = _context(browser, live_server, spammer)
    spam_page.goto(url)
    spam_page.fill(
        "#id_comment_text", "Cheap lamps http://a.example http://b.example http://c.example"
    )
    spam_page.click("#comment-form button[type=submit]")
    spam_page.wait_for_selector(".messages")
    assert "waits for a moderator" in spam_page.locator(".messages").inner_text()
    _, visitor = _context(browser, live_server)
    visitor.goto(url)
    assert "a.example" not in visitor.locator("main").inner_text()

    # The visitor reports the work, leaving an address for the answer.
    visitor.click("text=Report work")
    visitor.check("input[name=reason][value=mistagged]")
    visitor.fill("#id_details", "It needs a warning for the storm scene.")
    visitor.fill("#id_email", "visitor@example.invalid")
    visitor.click(".report-form button[type=submit]")
    visitor.wait_for_selector("h1:has-text('Thank you')")
    report = Report.objects.get()

    # The archivist sees it in the queue, hides the work, closes the report with an outcome.
    _, staff = _context(browser, live_server, archivist)
    staff.goto(f"{base}/")
    assert "1" in staff.locator("#moderation-link").inner_text()
    staff.click("#moderation-link")
    staff.wait_for_selector("table.reports")
    assert "The Lamp Room" in staff.locator("table.reports").inner_text()
    shutil.copyfile(_shot(staff, "moderation-queue"), DOCS / "moderation-queue.png")
    staff.click(f"table.reports a[href='/moderation/reports/{report.pk}/'] >> nth=1")
    staff.click("text=Take this report")
    staff.click(".moderation-tools summary:has-text('Hide')")
    staff.fill(".moderation-tools input[name=reason]", "under review: missing warning")
    staff.click(".moderation-tools button:has-text('Hide from readers')")
    staff.wait_for_selector(".messages")
    visitor.goto(url)
    assert "There is no work" in visitor.locator("main").inner_text()
    staff.goto(f"{base}/moderation/reports/{report.pk}/")
    staff.fill("#id_outcome", "We asked the creator to add the warning.")
    staff.click("#close-form button[type=submit]")
    staff.wait_for_selector(".messages")
    (outcome,) = [m for m in mail.outbox if m.to == ["visitor@example.invalid"]]
    assert "We asked the creator to add the warning." in outcome.body

    # The writer sees why the work is hidden; the archivist restores it and reads the log.
    _, own = _context(browser, live_server, writer)
    own.goto(url)
    assert "under review: missing warning" in own.locator(".hidden-notice").inner_text()
    staff.goto(url)
    staff.click(".moderation-tools button:has-text('Restore')")
    staff.wait_for_selector(".messages")
    visitor.goto(url)
    assert "Mara trimmed the wick" in visitor.locator("main").inner_text()
    staff.goto(f"{base}/moderation/audit/")
    log = staff.locator("table.audit").inner_text()
    for action in ("took report", "hid", "resolved report", "restored"):
        assert action in log
    _shot(staff, "moderation-audit")
