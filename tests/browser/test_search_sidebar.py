"""The search sidebar in a real browser: facets, the filter form, the URL and the back button."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from ficarchive.archive.models import Tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def count(page) -> int:
    return int(page.locator("p.count").inner_text().split()[0].replace(",", ""))


def test_filtering_from_the_sidebar(page, live_server, corpus, screenshot):
    page.goto(f"{live_server.url}/")
    page.fill("#site-search", "lantern")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=lantern")
    everything = count(page)
    assert everything > 5
    screenshot("search")

    # One click includes a fandom: the count is the facet's, the state is in the URL.
    fandoms = page.locator("fieldset.facet-fandom li").first
    name = fandoms.locator("a").first.inner_text()
    expected = int(fandoms.locator(".facet-count").inner_text().strip("()"))
    fandoms.locator("a").first.click()
    page.wait_for_load_state()
    assert count(page) == expected
    tag = Tag.objects.get(type="fandom", name=name)
    assert parse_qs(urlparse(page.url).query)["include"] == [str(tag.pk)]
    assert page.locator(".active-filters").inner_text().count(name) == 1

    # The form (no JavaScript needed): complete works only, sorted by kudos.
    page.select_option("#id_complete", "complete")
    page.select_option("#id_sort", "kudos")
    page.click("button:has-text('Sort and filter')")
    page.wait_for_load_state()
    query = parse_qs(urlparse(page.url).query)
    assert query["complete"] == ["complete"] and query["sort"] == ["kudos"]
    assert query["include"] == [str(tag.pk)]  # the checked facet stays included
    narrowed = count(page)
    assert narrowed <= expected

    # Back returns to the page before, with its own results.
    page.go_back()
    page.wait_for_load_state()
    assert count(page) == expected
    page.go_back()
    page.wait_for_load_state()
    assert count(page) == everything

    # Excluding the fandom leaves the rest.
    page.locator("fieldset.facet-fandom li").first.locator("a.exclude").click()
    page.wait_for_load_state()
    assert count(page) == everything - expected
    screenshot("search-excluding")


def test_a_malformed_query_in_the_browser_explains_itself(page, live_server, corpus):
    page.goto(f"{live_server.url}/search/?q=%22pepper+garden")
    assert "was not closed" in page.locator(".search-messages").inner_text()
    assert page.locator("h1").inner_text() == "Search works"
