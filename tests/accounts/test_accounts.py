"""Accounts: sign up, log in (throttled), passwords by mail, profiles, pseuds, claiming imported
creators, deleting an account, and private data never shown."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from ficarchive import config
from ficarchive.archive.actions import import_work
from ficarchive.archive.models import Pseud, Work
from ficarchive.community.models import Comment
from ficarchive.posting.actions import answer_invitation
from ficarchive.posting.models import CoCreatorInvitation
from tests.personas import PASSWORD, make_user, post

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, name="newbie", **changes):
    data = {
        "username": name,
        "email": f"{name}@example.invalid",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post("/accounts/signup/", {**data, **changes})


def test_sign_up_makes_a_user_a_pseud_and_logs_in(client):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/users/newbie/"
    user = User.objects.get(username="newbie")
    assert [p.name for p in Pseud.objects.filter(creator__user=user)] == ["newbie"]
    page = client.get("/users/newbie/").content.decode()
    assert "Edit profile" in page  # logged in as its owner
    assert "newbie@example.invalid" not in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"username": "a b"}, "no spaces"),
        ({"password2": "something else 123"}, "The two passwords differ"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"email": "not-an-email"}, "valid email"),
    ],
)
def test_sign_up_errors_are_explained(client, changes, message):
    response = signup(client, **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.exists()


def test_user_names_are_unique_in_any_case(client, writer):
    response = signup(client, name="WREN")
    assert "That user name is taken" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(writer):
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "wren", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "wren", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()  # the window passes
    response = client.post("/accounts/login/", {"username": "wren", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(writer.pk)


def test_password_reset_by_mail(client, writer):
    response = client.post("/accounts/reset/", {"email": "wren@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wren@example.invalid"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session one
    new = "a brand new passphrase 42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.check_password(new)
    # Nothing is mailed for an unknown address, and the page does not say so.
    client.post("/accounts/reset/", {"email": "nobody@example.invalid"})
    assert len(mail.outbox) == 1


def test_password_change_needs_the_old_password(client, writer):
    assert client.get("/accounts/password/").status_code == 302  # log in first
    client.force_login(writer)
    new = "another good passphrase 7"
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    writer.refresh_from_db()
    assert writer.check_password(new)


def test_pseuds_and_posting_under_one(client, writer):
    client.force_login(writer)
    client.post("/accounts/pseuds/", {"name": "Lamplighter"})
    client.post("/accounts/pseuds/", {"name": "lamplighter"})  # refused: already has it
    pseuds = Pseud.objects.filter(creator__user=writer)
    assert sorted(p.name for p in pseuds) == ["Lamplighter", "wren"]
    work = post(writer, pseuds=[pseuds.get(name="Lamplighter")])
    page = Client().get(work.get_absolute_url()).content.decode()
    assert "Lamplighter" in page
    assert "Lamplighter" in Client().get("/users/wren/").content.decode()


def test_profile_text_is_sanitised_and_private_data_never_shown(client, writer, parsed_work):
    client.force_login(writer)
    client.post("/accounts/profile/", {"about": "I *write*.", "about_markup": "markdown"})
    page = Client().get("/users/wren/").content.decode()
    assert "<em>write</em>" in page and "wren@example.invalid" not in page
    imported = import_work(parsed_work(), raw=b"imported").work
    creator_page = Client().get(imported.creator_pseuds[0].get_absolute_url()).content.decode()
    assert "secret.writer@example.invalid" not in creator_page
    assert "secret.writer" not in Client().get(imported.get_absolute_url()).content.decode()


def test_an_archivist_assigns_an_imported_creator_to_a_user(client, writer, archivist, parsed_work):
    imported = import_work(parsed_work(), raw=b"imported").work
    pseud = imported.creator_pseuds[0]
    client.force_login(writer)
    assert client.get(f"/works/{imported.pk}/edit/").status_code == 403
    assert client.post(f"/creators/{pseud.slug}/assign/", {"username": "wren"}).status_code == 403
    client.force_login(archivist)
    assert "Assign this creator" in client.get(pseud.get_absolute_url()).content.decode()
    client.post(f"/creators/{pseud.slug}/assign/", {"username": "nobody"})
    pseud.creator.refresh_from_db()
    assert pseud.creator.user is None
    client.post(f"/creators/{pseud.slug}/assign/", {"username": "wren"})
    pseud.creator.refresh_from_db()
    assert pseud.creator.user == writer
    client.force_login(writer)
    assert client.get(f"/works/{imported.pk}/edit/").status_code == 200
    assert imported.title in client.get("/users/wren/").content.decode()


@pytest.mark.parametrize("choice", ["orphan", "delete"])
def test_deleting_an_account_orphans_or_deletes_its_works(client, writer, reader, choice):
    solo = post(writer, title="Solo")
    shared = post(writer, title="Shared", co_creators=[reader.creators.first().pseuds.first()])
    answer_invitation(reader, CoCreatorInvitation.objects.get(work=shared), accept=True)
    theirs = post(reader, title="Theirs")
    client.force_login(writer)
    client.post(f"/works/{theirs.pk}/kudos/")
    client.post(
        f"/works/{theirs.pk}/comments/",
        {"text": "Kept", "markup": "html", "chapter": theirs.chapters.get().pk},
    )
    response = client.post("/accounts/delete/", {"works": choice, "password": "wrong"})
    assert response.status_code == 200 and User.objects.filter(username="wren").exists()
    client.post("/accounts/delete/", {"works": choice, "password": PASSWORD})
    assert not User.objects.filter(username="wren").exists()
    assert "_auth_user_id" not in client.session
    if choice == "orphan":
        solo.refresh_from_db()
        assert [p.name for p in solo.creator_pseuds] == ["orphan_account"]
    else:
        assert not Work.objects.filter(pk=solo.pk).exists()
    shared.refresh_from_db()
    assert [p.name for p in shared.creator_pseuds] == ["rhea"]
    theirs.refresh_from_db()
    assert theirs.kudos_count == 0 and theirs.comments_count == 1
    assert Comment.objects.get().author_name == "(deleted account)"


def test_mail_settings(monkeypatch, tmp_path):
    monkeypatch.delenv("FICARCHIVE_EMAIL", raising=False)
    assert config.email(tmp_path)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    monkeypatch.setenv("FICARCHIVE_EMAIL", "file")
    assert config.email(tmp_path)["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    monkeypatch.setenv("FICARCHIVE_EMAIL", "smtp://me:p%40ss@mail.example:587")
    smtp = config.email(tmp_path)
    assert smtp["EMAIL_HOST"] == "mail.example" and smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] and not smtp["EMAIL_USE_SSL"]
    monkeypatch.setenv("FICARCHIVE_EMAIL", "smtps://mail.example")
    assert config.email(tmp_path)["EMAIL_PORT"] == 465
    monkeypatch.setenv("FICARCHIVE_EMAIL", "pigeon://me:secret@loft")
    with pytest.raises(ImproperlyConfigured) as error:
        config.email(tmp_path)
    assert "secret" not in str(error.value) and "smtp://" in str(error.value)


def test_site_url_setting(monkeypatch):
    monkeypatch.setenv("FICARCHIVE_SITE_URL", "https://archive.example/")
    assert config.site_url() == "https://archive.example"
    monkeypatch.setenv("FICARCHIVE_SITE_URL", "archive.example")
    with pytest.raises(ImproperlyConfigured, match="FICARCHIVE_SITE_URL"):
        config.site_url()


def test_every_page_sends_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy


def test_roles(writer, archivist):
    from ficarchive.accounts.permissions import is_archivist

    assert is_archivist(archivist) and not is_archivist(writer)
    assert make_user("another").is_staff is False
