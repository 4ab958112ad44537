"""Gifts (a work for one or more users or names; the recipient is told and may refuse) and
backdating (a published date in the past, shown on the work and used to sort by date)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ficarchive.archive.models import Work
from ficarchive.community.models import Notification
from ficarchive.posting import actions
from ficarchive.posting.models import Gift
from tests.personas import post
from tests.posting.test_posting import form_data

pytestmark = pytest.mark.django_db


# --- Gifts --------------------------------------------------------------------------------------


def test_a_gift_to_users_and_a_name_tells_each_user(client, writer, reader, stranger):
    client.force_login(writer)
    response = client.post(
        "/works/new/", {**form_data(writer, gifts="rhea, Stan, my sister Ada"), "post": "1"}
    )
    work = Work.objects.get()
    assert response.status_code == 302
    gifts = list(work.gifts.order_by("id"))
    assert [(g.recipient, g.recipient_name) for g in gifts] == [
        (reader, "rhea"),
        (stranger, "stan"),
        (None, "my sister Ada"),
    ]
    for user in (reader, stranger):
        assert Notification.objects.filter(user=user, kind="gift", work=work).count() == 1
    page = Client().get(work.get_absolute_url()).content.decode()
    assert '<p class="gifts">for <a href="/users/rhea/">rhea</a>, ' in page
    assert "my sister Ada</p>" in page


def test_the_recipient_sees_it_in_the_inbox_and_on_their_profile(client, writer, reader):
    work = post(writer, gifts=[reader])
    client.force_login(reader)
    inbox = client.get("/inbox/").content.decode()
    assert "A gift for you" in inbox and work.title in inbox
    profile = Client().get("/users/rhea/").content.decode()
    gifts = profile[profile.index('id="gifts"') :]
    assert work.title in gifts and "Refuse" not in gifts  # only the recipient refuses
    assert "Refuse the gift" in client.get("/users/rhea/").content.decode()


def test_the_recipient_refuses_a_gift(client, writer, reader):
    work = post(writer, gifts=[reader, "Ada"])
    gift = Gift.objects.get(recipient=reader)
    other = Client()
    other.force_login(writer)
    assert other.post(f"/gifts/{gift.pk}/refuse/").status_code == 404  # not theirs to refuse
    client.force_login(reader)
    response = client.post(f"/gifts/{gift.pk}/refuse/")
    assert response.status_code == 302 and response["Location"] == "/users/rhea/#gifts"
    gift.refresh_from_db()
    assert gift.refused
    page = Client().get(work.get_absolute_url()).content.decode()
    assert '<p class="gifts">for Ada</p>' in page
    assert work.title not in Client().get("/users/rhea/").content.decode().split('id="gifts"')[1]
    # Editing the work and listing them again does not give it again, nor notify again.
    actions.update_work(writer, work, _data(writer, gifts=[reader, "Ada"]))
    gift.refresh_from_db()
    assert gift.refused and Notification.objects.filter(user=reader, kind="gift").count() == 1


def test_only_the_recipient_refuses_through_the_action(writer, reader, stranger):
    post(writer, gifts=[reader])
    gift = Gift.objects.get()
    with pytest.raises(PermissionDenied):
        actions.refuse_gift(stranger, gift)


def test_the_edit_form_shows_the_gifts_and_date(client, writer, reader):
    work = post(writer, gifts=[reader, "Ada"], published=dt.date(2010, 5, 4))
    client.force_login(writer)
    page = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert 'name="gifts" value="rhea, Ada"' in page
    assert 'name="published" value="2010-05-04"' in page


def test_editing_the_gifts_replaces_them(writer, reader, stranger):
    work = post(writer, gifts=[reader])
    actions.update_work(writer, work, _data(writer, gifts=[stranger]))
    assert [g.recipient for g in actions.gifts_of(work)] == [stranger]


def test_a_gift_to_yourself_is_a_form_error(client, writer):
    client.force_login(writer)
    page = client.post("/works/new/", {**form_data(writer, gifts="wren"), "post": "1"})
    assert "A work cannot be a gift to yourself." in page.content.decode()
    assert not Work.objects.exists()
    with pytest.raises(ValidationError):
        post(writer, gifts=[writer])


def test_gifts_of_a_restricted_work_are_not_shown_to_visitors(writer, reader):
    work = post(writer, gifts=[reader], restricted=True)
    profile = Client().get("/users/rhea/").content.decode()
    assert work.title not in profile


def _data(user, **changes):
    from tests.personas import work_data

    return work_data(user, **changes)


# --- Backdating ---------------------------------------------------------------------------------


def test_a_backdated_work_shows_its_date_and_sorts_by_it(client, writer):
    client.force_login(writer)
    post(writer, title="Fresh Work", text="Written today, by the sea.")
    client.post("/works/new/", {**form_data(writer, published="2014-06-30"), "post": "1"})
    work = Work.objects.get(title="Salt and Signal")
    assert work.published == dt.date(2014, 6, 30) and work.updated == dt.date(2014, 6, 30)
    assert "Published 2014-06-30" in Client().get(work.get_absolute_url()).content.decode()
    for sort in ("published", "updated"):
        page = Client().get(f"/search/?sort={sort}").content.decode()
        assert page.index("Fresh Work") < page.index("Salt and Signal"), sort
        oldest = Client().get(f"/search/?sort={sort}&order=asc").content.decode()
        assert oldest.index("Salt and Signal") < oldest.index("Fresh Work"), sort


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tomorrow", "A work cannot be published in the future"),
        ("1899-12-31", "Give a date from 1900-01-01 on"),
        ("0001-01-01", "Give a date from 1900-01-01 on"),
        ("2014-02-30", "Give the date as YYYY-MM-DD"),
        ("30/06/2014x", "Give the date as YYYY-MM-DD"),
        ("99999-01-01", "Give the date as YYYY-MM-DD"),
        ("2014-06-30\x00", "Give the date as YYYY-MM-DD"),
    ],
)
def test_bad_published_dates_are_a_clear_form_error(client, writer, value, message):
    if value == "tomorrow":
        value = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(writer)
    response = client.post("/works/new/", {**form_data(writer, published=value), "post": "1"})
    assert response.status_code == 200 and not Work.objects.exists()
    page = response.content.decode()
    assert message in page
    assert 'href="#id_published">Published date: ' in page  # in the summary at the top


def test_the_action_refuses_bad_dates_too(writer):
    with pytest.raises(ValidationError):
        post(writer, published=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        post(writer, published=dt.date(1899, 1, 1))


def test_backdating_on_edit_moves_a_one_shot(writer):
    work = post(writer)
    actions.update_work(writer, work, _data(writer, published=dt.date(2001, 9, 1)))
    work.refresh_from_db()
    assert work.published == work.updated == dt.date(2001, 9, 1)
