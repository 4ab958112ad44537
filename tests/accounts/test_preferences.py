"""Reading preferences: the action that stores them, the visitors' defaults, the page's form."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ficarchive.accounts.actions import update_preferences
from ficarchive.accounts.models import Profile
from ficarchive.accounts.preferences import VISITOR, ReadingPreferences, preferences_of

pytestmark = pytest.mark.django_db

URL = "/accounts/preferences/"


def test_update_preferences_stores_every_choice(reader):
    chosen = ReadingPreferences(
        hide_warnings=True,
        hide_freeforms=True,
        view_entire_work=False,
        show_suggestions=False,
        adult_content_prompt=False,
    )
    update_preferences(reader, chosen)
    assert preferences_of(reader) == chosen
    update_preferences(reader, VISITOR)
    assert preferences_of(reader) == VISITOR


def test_update_preferences_makes_a_missing_profile(reader):
    Profile.objects.filter(user=reader).delete()
    assert preferences_of(reader) == VISITOR  # reading writes nothing
    assert not Profile.objects.filter(user=reader).exists()
    update_preferences(reader, ReadingPreferences(hide_warnings=True))
    assert Profile.objects.get(user=reader).hide_warnings


def test_visitors_cannot_store_preferences():
    from django.contrib.auth.models import AnonymousUser

    assert preferences_of(AnonymousUser()) == VISITOR
    with pytest.raises(PermissionDenied):
        update_preferences(AnonymousUser(), VISITOR)


def test_defaults_show_everything_and_ask_about_adult_content():
    assert (
        ReadingPreferences(
            hide_warnings=False,
            hide_freeforms=False,
            view_entire_work=True,
            show_suggestions=True,
            adult_content_prompt=True,
        )
        == VISITOR
    )


def test_the_page_needs_an_account(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"hide_warnings": "on"}).status_code == 302
    assert not Profile.objects.filter(hide_warnings=True).exists()


def test_the_account_menu_links_to_it(client, reader):
    client.force_login(reader)
    page = client.get("/").content.decode()
    assert f'href="{reverse("accounts:preferences")}" id="preferences-link"' in page


def test_the_form_shows_and_saves_the_choices(client, reader):
    client.force_login(reader)
    page = client.get(URL).content.decode()
    assert re.search(r'<input type="checkbox" name="adult_content_prompt"[^>]* checked>', page)
    assert not re.search(r'<input type="checkbox" name="hide_warnings"[^>]* checked>', page)
    response = client.post(URL, {"hide_warnings": "on", "view_entire_work": "on"}, follow=True)
    assert (
        response.redirect_chain == [(URL, 302)]
        and "Preferences saved." in response.content.decode()
    )
    assert preferences_of(reader) == ReadingPreferences(
        hide_warnings=True,
        hide_freeforms=False,
        view_entire_work=True,
        show_suggestions=False,
        adult_content_prompt=False,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"hide_warnings": "x" * 100_000},
        {"hide_warnings": ["on", "off", ""], "adult_content_prompt": "false"},
        {"view_entire_work": "\x00", "unknown": "1"},
        {},
    ],
)
def test_a_bad_form_is_never_an_error(client, reader, data):
    client.force_login(reader)
    response = client.post(URL, data)
    assert response.status_code == 302
    assert preferences_of(reader).adult_content_prompt is False  # unticked: off
    assert client.get(URL).status_code == 200


def test_a_form_without_csrf_token_is_refused_not_an_error(reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(URL, {"hide_warnings": "on"}).status_code == 403
    assert preferences_of(reader).hide_warnings is False
