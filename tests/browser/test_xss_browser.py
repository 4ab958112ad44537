"""The XSS vectors in every rich-text field, rendered by Chromium: no script runs, no dialog
opens, and the page keeps its layout (the header on top, nothing fixed over the text).

The Content-Security-Policy is bypassed here so that the sanitiser alone is on trial; a test
in tests/accounts checks that the policy is sent as a second wall.
"""

from __future__ import annotations

import pytest

from ficarchive.accounts.actions import update_profile
from ficarchive.community.actions import add_comment, save_bookmark
from ficarchive.posting.actions import ChapterData, add_chapter, post_work
from tests.personas import PASSWORD, make_user, work_data
from tests.xss_vectors import ALL, ALL_AND_WIDE, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAYOUT = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const atHeader = document.elementFromPoint(header.left + 40, header.top + header.height / 2);
  const fixed = [...document.querySelectorAll('main *')].filter(
    el => ['fixed', 'absolute', 'sticky'].includes(getComputedStyle(el).position)
      && !el.classList.contains('visually-hidden') && !el.closest('.visually-hidden'));
  const hidden = [...document.querySelectorAll('.userstuff *')].filter(
    el => getComputedStyle(el).display === 'none' && !el.closest('details:not([open])'));
  const footer = document.querySelector('.site-footer').getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {
    headerOnTop: !!atHeader && !!atHeader.closest('.site-header'),
    headerVisible: header.height > 20,
    fixed: fixed.map(el => el.tagName),
    hidden: hidden.map(el => el.tagName),
    footerBelowMain: footer.top >= main.bottom - 1, footerTop: footer.top, mainBottom: main.bottom,
    pageWidth: document.documentElement.scrollWidth,
    xss: window.__xss,
  };
}"""


def check(page, url: str, dialogs: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # Hover and click everything a handler might hide behind.
    for element in page.locator(".userstuff a, .userstuff p").all()[:40]:
        if element.is_visible():
            element.hover(timeout=2000)
    page.evaluate("window.scrollTo(0, 0)")
    state = page.evaluate(LAYOUT)
    assert state["xss"] is None, url
    assert dialogs == [], url
    assert state["headerOnTop"] and state["headerVisible"], (url, state)
    assert state["fixed"] == [] and state["hidden"] == [], (url, state)
    assert state["footerBelowMain"], (url, state)
    assert state["pageWidth"] <= 1280, url  # nothing widens the page past the window


def test_no_vector_runs_or_breaks_the_layout(browser, live_server):
    writer = make_user("wren")
    reader = make_user("rhea")
    work = post_work(
        writer,
        work_data(writer, summary=ALL, notes=ALL, end_notes=ALL, title="Vectors" + "V" * 240),
        ChapterData(text="Start.\n\n" + ALL_AND_WIDE, summary=ALL, notes=ALL, end_notes=ALL),
        analyse=False,
    )
    add_chapter(writer, work, ChapterData(text=ALL, markup="markdown", notes=ALL))
    chapter = work.chapters.get(position=1)
    first = add_comment(chapter, ALL, user=reader)
    add_comment(chapter, "\n\n".join(v for _, v in WIDE[:2]), user=reader)
    add_comment(chapter, ALL, user=writer, markup="markdown", parent=first)
    save_bookmark(reader, work, note=ALL, tags="<script>window.__xss=1</script>, ok")
    update_profile(reader, ALL, "markdown")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url
    for path in (
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        f"/works/{work.pk}/chapters/2/",
        "/works/",
        "/search/?q=start",
        "/users/rhea/",
        "/users/rhea/bookmarks/",
    ):
        check(page, f"{base}{path}", dialogs)

    # The posting form's preview, typed into in the browser.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "wren")
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button")
    page.goto(f"{base}/works/new/")
    page.fill("#id_title", "Preview vectors")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    page.fill("#id_fandoms", "Original Work")
    page.fill("#id_summary", ALL)
    page.fill("#id_chapter_text", ALL_AND_WIDE)
    page.click("button[name=preview]")
    page.wait_for_selector("#preview")
    state = page.evaluate(LAYOUT)
    assert state["xss"] is None and dialogs == []
    assert state["headerOnTop"] and state["fixed"] == [] and state["hidden"] == []
    assert errors == []
    context.close()
