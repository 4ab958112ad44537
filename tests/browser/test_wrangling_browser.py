"""Tag wrangling in a real browser: an archivist puts "Marvel Cinematic Universe" under the
metatag "Marvel" on its wrangling page, then filtering works by Marvel finds the MCU work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ficarchive.archive.models import Tag
from ficarchive.wrangling import actions
from tests.personas import PASSWORD, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def tags(fandoms: list[str], characters: list[str]) -> dict:
    return {"fandom": fandoms, "character": characters, "warning": ["No Archive Warnings Apply"]}


def test_an_archivist_makes_marvel_a_metatag_and_filters_by_it(page, live_server, writer, archivist, screenshot):  # fmt: skip
    mcu_work = post(writer, title="Stark Raving", text="Tony builds a suit in a cave.", tags=tags(["Marvel Cinematic Universe"], ["Tony Stark"]))  # fmt: skip
    post(writer, title="Shield Wall", text="Steve holds the line.", tags=tags(["MCU"], ["Steve Rogers"]))  # fmt: skip
    post(writer, title="Tea Leaves", text="A quiet cup of tea.", tags=tags(["Original Work"], ["Mara Quill"]))  # fmt: skip
    post(writer, title="Web Slinger", text="Peter swings past.", tags=tags(["Spider-Man (Comics)"], ["Peter Parker"]))  # fmt: skip
    Tag.objects.create(type="fandom", name="Marvel", slug="marvel")
    for name in ("Marvel Cinematic Universe", "Marvel"):
        actions.make_canonical(Tag.objects.get(type="fandom", name=name), by=archivist)

    page.goto(f"{live_server.url}/accounts/login/?next=/wrangling/")
    page.fill("#id_username", archivist.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:has-text('Log in')")
    page.wait_for_url("**/wrangling/")
    page.click("table.wrangling-types a:has-text('Fandoms')")
    page.wait_for_url("**/wrangling/fandom/")
    # Unwrangled tags come first, each with its number of works.
    first = page.locator("table.wrangling-tags tbody tr").first
    assert "Unwrangled" in first.inner_text()

    page.click("table.wrangling-tags a:has-text('Marvel Cinematic Universe')")
    page.wait_for_url("**/wrangling/fandom/marvel-cinematic-universe/")
    page.fill("#id_add_meta", "Marvel")
    page.click("button:has-text('Add metatag')")
    page.wait_for_load_state()
    assert "“Marvel” is a metatag of “Marvel Cinematic Universe”" in page.locator("ul.messages").inner_text()  # fmt: skip
    assert "Marvel" in page.locator(".wrangling-facts").inner_text()

    page.goto(f"{live_server.url}/wrangling/fandom/")

    def row(name: str):
        link = page.get_by_role("link", name=name, exact=True)
        return page.locator("table.wrangling-tags tbody tr").filter(has=link).locator("td")

    assert row("Marvel Cinematic Universe").nth(4).inner_text() == "Marvel"  # its metatags
    assert row("Marvel").nth(5).inner_text() == "Marvel Cinematic Universe"  # its subtags
    shot = screenshot("wrangling")
    DOCS.mkdir(exist_ok=True)
    shutil.copyfile(shot, DOCS / "wrangling.png")

    # Filter works by Marvel: the MCU work is found, though it is not tagged Marvel.
    page.goto(f"{live_server.url}/search/")
    page.fill("#id_include_names", "Marvel")
    page.click("button:has-text('Sort and filter')")
    page.wait_for_load_state()
    results = page.locator(".search-results").inner_text()
    assert mcu_work.title in results
    assert "Tea Leaves" not in results and "Web Slinger" not in results
    # And the search box's field does the same.
    page.fill("#site-search", "fandom:Marvel")
    page.press("#site-search", "Enter")
    page.wait_for_load_state()
    assert mcu_work.title in page.locator(".search-results").inner_text()
