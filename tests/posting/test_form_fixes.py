"""The posting form as a new writer meets it: the text format remembered and above the text,
one-shots complete by default, errors summarised at the top, required fields marked, and
co-creators who have never posted."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from ficarchive.accounts.actions import posting_markup, remember_posting_markup
from ficarchive.accounts.models import Profile
from ficarchive.archive.models import Work
from ficarchive.community.models import Notification
from ficarchive.posting.models import CoCreatorInvitation
from tests.personas import post
from tests.posting.test_posting import form_data

pytestmark = pytest.mark.django_db


def _selected_markup(page: str) -> str:
    select = page[page.index('name="markup"') :]
    return re.search(r'<option value="(\w+)" selected>', select[: select.index("</select>")])[1]


def test_the_text_format_sits_above_the_text_areas(client, writer):
    client.force_login(writer)
    page = client.get("/works/new/").content.decode()
    assert page.index('name="markup"') < page.index('name="summary"')
    assert page.index('name="markup"') < page.index('name="chapter_text"')
    work = post(writer)
    chapter_page = client.get(f"/works/{work.pk}/chapters/new/").content.decode()
    assert chapter_page.index('name="markup"') < chapter_page.index('name="chapter_text"')


def test_the_form_remembers_the_writers_last_text_format(client, writer):
    client.force_login(writer)
    assert _selected_markup(client.get("/works/new/").content.decode()) == "html"
    client.post("/works/new/", {**form_data(writer, markup="markdown"), "post": "1"})
    assert Profile.objects.get(user=writer).posting_markup == "markdown"
    assert _selected_markup(client.get("/works/new/").content.decode()) == "markdown"
    work = Work.objects.get()
    page = client.get(f"/works/{work.pk}/chapters/new/").content.decode()
    assert _selected_markup(page) == "markdown"
    # Editing stored text is always in rich text, and does not change the remembered choice.
    assert (
        _selected_markup(client.get(f"/works/{work.pk}/chapters/1/edit/").content.decode())
        == "html"
    )
    client.post(
        f"/works/{work.pk}/chapters/new/",
        {"chapter_text": "<p>More.</p>", "markup": "html", "post": "1"},
    )
    assert posting_markup(writer) == "html"


def test_remembering_a_format_takes_only_known_formats(writer):
    remember_posting_markup(writer, "markdown")
    remember_posting_markup(writer, "<script>")
    assert posting_markup(writer) == "markdown"


def test_a_new_work_starts_complete_and_a_one_shot_reads_one_of_one(client, writer):
    client.force_login(writer)
    page = client.get("/works/new/").content.decode()
    assert re.search(r'<input type="checkbox" name="complete"[^>]* checked', page)
    assert "Uncheck it for a work in progress" in page
    client.post("/works/new/", {**form_data(writer, complete="on"), "post": "1"})
    work = Work.objects.get()
    assert work.complete is True and work.chapters_display == "1/1"
    assert "1/1" in client.get(work.get_absolute_url()).content.decode()


def test_a_work_in_progress_is_one_of_what_is_planned(client, writer):
    client.force_login(writer)
    client.post("/works/new/", {**form_data(writer, expected_chapters="5"), "post": "1"})
    work = Work.objects.get()
    assert work.complete is False and work.chapters_display == "1/5"


def test_complete_with_more_chapters_planned_is_a_clear_error(client, writer):
    client.force_login(writer)
    response = client.post(
        "/works/new/", {**form_data(writer, complete="on", expected_chapters="5"), "post": "1"}
    )
    assert response.status_code == 200 and not Work.objects.exists()
    assert "uncheck “This work is complete” for a work in progress" in response.content.decode()


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(client, writer):
    client.force_login(writer)
    page = client.post(
        "/works/new/", {**form_data(writer, title="", fandoms=""), "post": "1"}
    ).content.decode()
    assert not Work.objects.exists()
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))
    ]
    assert page.index('id="error-summary"') < page.index('name="rating"')
    assert 'href="#id_title">Title: This field is required.</a>' in summary
    assert 'href="#id_fandoms">Fandoms: Give at least one.</a>' in summary
    assert summary.count("<li>") == 2
    assert re.search(r'<input type="text" name="title"[^>]*aria-invalid="true"', page)


def test_required_fields_are_marked(client, writer):
    client.force_login(writer)
    page = client.get("/works/new/").content.decode()
    for name in ("title", "fandoms"):
        assert re.search(rf'<input type="text" name="{name}"[^>]* required', page)
        label = page[page.index(f'<label for="id_{name}">') :][:300]
        assert 'class="required-mark"' in label and "(required)" in label
    assert re.search(r'<textarea name="chapter_text"[^>]* required', page)
    warnings = page[page.index('id="field-warnings"') :][:400]
    assert "(required)" in warnings
    summary_label = page[page.index('<label for="id_summary">') :][:200]
    assert "required" not in summary_label.split("</label>")[0]


def test_a_user_who_never_posted_can_be_invited_by_username(client, writer):
    # Made as `createsuperuser` or the admin makes users: no creator, no pseud, never posted.
    newcomer = get_user_model().objects.create_user("Nell", "nell@example.invalid", "pw-12345678")
    client.force_login(writer)
    response = client.post("/works/new/", {**form_data(writer, co_creators="nell"), "post": "1"})
    assert response.status_code == 302
    invitation = CoCreatorInvitation.objects.get()
    assert invitation.pseud.creator.user == newcomer and invitation.pseud.name == "Nell"
    assert Notification.objects.filter(user=newcomer).exists()
    client.force_login(newcomer)
    client.post(f"/invitations/{invitation.pk}/", {"answer": "accept"})
    assert [p.name for p in Work.objects.get().creator_pseuds] == ["wren", "Nell"]


def test_a_signed_up_user_who_never_posted_is_found_by_pseud_or_username(client, writer, reader):
    client.force_login(writer)
    client.post("/works/new/", {**form_data(writer, co_creators="RHEA"), "post": "1"})
    assert CoCreatorInvitation.objects.get().pseud.creator.user == reader


def test_inviting_yourself_or_nobody_is_a_form_error(client, writer):
    client.force_login(writer)
    for name in ("wren", "nobody-here"):
        page = client.post(
            "/works/new/", {**form_data(writer, co_creators=name), "post": "1"}
        ).content.decode()
        assert f"No other user writes as “{name}”" in page
    assert not Work.objects.exists()


def test_a_user_without_a_pseud_can_post(client):
    user = get_user_model().objects.create_user("oona", "oona@example.invalid", "pw-12345678")
    client.force_login(user)
    page = client.get("/works/new/").content.decode()
    assert 'name="pseuds"' in page and "oona" in page


def test_the_chapter_form_summarises_its_errors_too(client, writer):
    work = post(writer)
    client.force_login(writer)
    page = client.post(
        f"/works/{work.pk}/chapters/new/", {"chapter_text": "", "markup": "html", "post": "1"}
    ).content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_chapter_text">Chapter text: The chapter needs text.</a>' in page
