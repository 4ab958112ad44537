"""An archivist imports a saved site from the browser: upload, the plan, apply, the report.

The jobs run on the database queue; the test runs the worker itself (`worker.run_pending`), as
`ficarchive worker --batch` would. Screenshots: test-artifacts/import-plan.png and
import-report.png; docs/import-plan.png is a copy of the first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.test import Client

from ficarchive.archive.models import Work
from ficarchive.importing import worker
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SITE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "personal1999"


def site_zip(tmp_path: Path) -> Path:
    path = tmp_path / "personal1999.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(SITE.rglob("*")):
            if file.is_file():
                archive.write(file, f"personal1999/{file.relative_to(SITE).as_posix()}")
    return path


def logged_in(browser, live_server, user):
    """A browser context with the user's session (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_an_archivist_imports_a_saved_site_from_the_browser(
    browser, live_server, tmp_path, screenshot_path
):
    context, page = logged_in(browser, live_server, make_user("arch", staff=True))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/imports/new/")
    page.check("input[name=kind][value=site]")
    page.set_input_files("input[name=site_zip]", str(site_zip(tmp_path)))
    page.click("form.import-upload button[type=submit]")
    page.wait_for_url("**/imports/*/")
    assert not Work.objects.exists()

    worker.run_pending()  # the planning job
    page.reload()
    page.wait_for_selector("table.import-plan")
    rows = page.locator("table.import-plan tbody tr")
    assert rows.count() == 3
    assert "guestbook" in page.locator("table.import-skipped").inner_text()
    page.locator("table.import-plan details summary").first.click()  # Salt's chapters
    assert "salt-road.html" in page.locator("ol.import-chapters").first.inner_text()
    page.screenshot(path=str(screenshot_path("import-plan")), full_page=False)

    page.click("text=Apply: import 3 work(s)")
    worker.run_pending()  # the applying job
    page.reload()
    page.wait_for_selector("td.outcome")
    outcomes = page.locator("td.outcome").all_inner_texts()
    assert len(outcomes) == 3 and all(text.startswith("imported #") for text in outcomes)
    page.screenshot(path=str(screenshot_path("import-report")), full_page=False)
    assert Work.objects.get(title="Salt").chapters.count() == 3
    assert errors == []
    context.close()


@pytest.fixture
def screenshot_path():
    from tests.browser.conftest import ARTIFACTS

    def path(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        return ARTIFACTS / f"{name}.png"

    return path
