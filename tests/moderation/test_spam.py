"""Spam and abuse: sign-up modes, confirming an address, honeypots, rate limits, held comments."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts import signup as joining
from ficarchive.accounts.models import Invitation, InvitationRequest
from ficarchive.archive.models import Work
from ficarchive.community.actions import add_comment, approve_comment
from ficarchive.community.spam import hold_reason, link_count
from ficarchive.posting.actions import ChapterData, post_work
from tests.personas import PASSWORD, work_data

User = get_user_model()


def _form(name: str = "newbie", **changes) -> dict:
    return {
        "username": name,
        "email": f"{name}@example.invalid",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def _link(path: str) -> str:
    body = mail.outbox[-1].body
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body).group(1)


# --- Sign-up modes --------------------------------------------------------------------------------


def test_closed_signup_makes_no_account(client, settings, db):
    settings.SIGNUP = "closed"
    assert "Sign-up is closed" in client.get("/accounts/signup/").content.decode()
    client.post("/accounts/signup/", _form())
    assert not User.objects.exists()


def test_invite_mode_queues_visitors_and_an_invitation_signs_up_once(
    client, settings, archivist, django_capture_on_commit_callbacks
):
    settings.SIGNUP = "invite"
    assert "invitation" in client.get("/accounts/signup/").content.decode()  # the queue
    client.post("/accounts/signup/", {"email": "queued@example.invalid"})
    client.post("/accounts/signup/", {"email": "queued@example.invalid"})  # keeps its place
    assert InvitationRequest.objects.count() == 1
    staff = Client()
    staff.force_login(archivist)
    assert "1 address waiting" in staff.get("/accounts/invitations/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/accounts/invitations/", {"next": 1, "emails": ""})
    link = _link("/accounts/signup/")
    assert mail.outbox[-1].to == ["queued@example.invalid"]
    # The invited address is the account's, whatever the form says; it needs no confirming.
    made = client.post(link, _form("invitee", email="other@example.invalid"))
    assert made.status_code == 302
    invitee = User.objects.get(username="invitee")
    assert invitee.email == "queued@example.invalid"
    assert not joining.awaiting_confirmation(invitee)
    assert Invitation.objects.get().used_by == invitee
    again = Client().post(link, _form("second"))
    assert again.status_code == 400 and not User.objects.filter(username="second").exists()
    assert Client().get("/accounts/invitations/").status_code == 302
    reader_page = Client()
    reader_page.force_login(invitee)
    assert reader_page.get("/accounts/invitations/").status_code == 403


# --- Confirming the address ---------------------------------------------------------------------


def test_a_new_account_confirms_its_address_before_posting_or_commenting(
    client, posted_work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/signup/", _form()).status_code == 302
    user = User.objects.get(username="newbie")
    chapter = posted_work.chapters.get()
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        post_work(user, work_data(user), _chapter(), analyse=False)
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        add_comment(chapter, "Hello", user=user)
    assert "Send the link again" in client.get("/users/newbie/").content.decode()
    assert "Confirm your email" in client.get("/works/new/").content.decode()
    assert client.get("/accounts/confirm/not-a-token/").status_code == 400
    assert client.get(_link("/accounts/confirm/")).status_code == 200
    add_comment(chapter, "Hello", user=user)
    assert post_work(user, work_data(user), _chapter(), analyse=False).pk


def test_a_confirmation_link_dies_with_a_changed_address(db):
    user = joining.sign_up("newbie", "old@example.invalid", PASSWORD)
    token = joining.confirmation_token(user)
    user.email = "new@example.invalid"
    user.save()
    with pytest.raises(ValidationError, match="no account has now"):
        joining.confirm_email(token)
    assert joining.awaiting_confirmation(user)


def _chapter() -> ChapterData:
    return ChapterData(text="A first line.")


# --- Honeypots and rate limits -------------------------------------------------------------------


def test_a_filled_honeypot_makes_no_account_and_no_comment(client, posted_work, reader):
    response = client.post("/accounts/signup/", _form(website="http://spam.example"))
    assert response.status_code == 400 and not User.objects.filter(username="newbie").exists()
    client.force_login(reader)
    chapter = posted_work.chapters.get()
    response = client.post(
        f"/works/{posted_work.pk}/comments/",
        {"text": "Nice", "markup": "html", "chapter": chapter.pk, "website": "x"},
    )
    assert response.status_code == 400 and not chapter.comments.exists()


def test_signups_and_comments_are_rate_limited(client, posted_work, reader):
    codes = [Client().post("/accounts/signup/", _form(f"user{i}")).status_code for i in range(6)]
    assert codes[-1] == 429 and User.objects.filter(username__startswith="user").count() == 5
    commenter = Client()
    commenter.force_login(reader)
    chapter = posted_work.chapters.get()
    codes = [
        commenter.post(
            f"/works/{posted_work.pk}/comments/",
            {"text": f"Comment number {i}", "markup": "html", "chapter": chapter.pk},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [302] * 10 and codes[10] == 429


# --- Held comments ------------------------------------------------------------------------------


def test_spam_signs():
    assert link_count('<p><a href="http://a">http://a</a> www.b.example and https://c</p>') == 3
    assert hold_reason("<p>see http://a http://b http://c</p>")
    assert not hold_reason("<p>I loved the lighthouse at http://a</p>")
    assert hold_reason("<p>Great  story!</p>", ["<p>great story!</p>"])
    assert not hold_reason("<p>Great story!</p>", ["<p>Great chapter!</p>"])


def test_a_link_heavy_comment_waits_for_a_moderator(posted_work, writer, reader, stranger):
    chapter = posted_work.chapters.get()
    spam = add_comment(
        chapter, "Cheap lamps http://a.example http://b.example http://c.example", user=stranger
    )
    assert spam.held_reason and Work.objects.get(pk=posted_work.pk).comments_count == 0
    url = posted_work.get_absolute_url()
    assert "a.example" not in _page(url, reader)
    assert "a.example" in _page(url, stranger) and "Waiting for approval" in _page(url, stranger)
    assert "Approve" in _page(url, writer)
    with pytest.raises(PermissionDenied):
        approve_comment(reader, spam)
    approve_comment(writer, spam)
    assert "a.example" in _page(url, reader)
    assert Work.objects.get(pk=posted_work.pk).comments_count == 1


def test_a_repeated_comment_is_held(posted_work, stranger):
    chapter = posted_work.chapters.get()
    assert not add_comment(chapter, "Update soon!", user=stranger).held_reason
    assert add_comment(chapter, "update  soon!", user=stranger).held_reason


def test_creators_choose_to_approve_comments_and_to_take_them_from_accounts_only(
    posted_work, writer, reader, settings
):
    settings.GUEST_COMMENTS = True
    Work.objects.filter(pk=posted_work.pk).update(moderate_comments=True)
    chapter = Work.objects.get(pk=posted_work.pk).chapters.get()
    assert add_comment(chapter, "Lovely", user=reader).held_reason
    assert not add_comment(chapter, "Thank you all", user=writer).held_reason  # its creator
    assert add_comment(chapter, "From a guest", guest_name="Guest").held_reason
    Work.objects.filter(pk=posted_work.pk).update(comments_from_users_only=True)
    chapter = Work.objects.get(pk=posted_work.pk).chapters.get()
    with pytest.raises(PermissionDenied, match="with an account"):
        add_comment(chapter, "Another guest", guest_name="Guest")
    assert "Log in" in _page(posted_work.get_absolute_url(), None)


def _page(url: str, user) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url).content.decode()
