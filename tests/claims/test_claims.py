"""Claims: an archivist invites an imported creator by mail; the link claims or removes works."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ficarchive.accounts import secret_tokens
from ficarchive.accounts.permissions import can_edit_work as can_edit
from ficarchive.archive.hiding import REMOVED_BY_CREATOR
from ficarchive.archive.models import Creator, Work
from ficarchive.claims import actions
from ficarchive.claims.models import ClaimInvitation
from tests.claims.conftest import ADDRESS
from tests.personas import PASSWORD

LINK = re.compile(r"http://[^/\s]+/claim/([A-Za-z0-9_-]+)/")


@pytest.fixture
def invite(archivist, django_capture_on_commit_callbacks):
    """Invite as an archivist, running the after-commit mail as a real commit would."""

    def run(creator, by=archivist) -> ClaimInvitation:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.invite_to_claim(creator, by=by)

    return run


@pytest.fixture
def invited(juniper, invite):
    invitation = invite(juniper.creator)
    return juniper, invitation, invitation.token


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match[1]


# --- The invitation -------------------------------------------------------------------------------


def test_the_invitation_is_mailed_with_the_works_their_origin_and_both_choices(invited):
    juniper, invitation, token = invited
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert "Juniper Vale" in message.subject
    body = message.body
    assert "Moonlit Orchard" in body and "Brass Lantern" in body
    assert "Copper Kettle" not in body  # another creator's work
    assert "http://old-archive.example.net/viewstory.php?sid=12" in body  # where it came from
    assert "brass-lantern.html (efiction)" in body  # a work with no address: its file and site
    assert f"/works/{juniper.hidden.pk}/" in body
    assert "Remove my works" in body
    assert link_in(message) == token
    assert invitation.sent_at is None  # this instance predates the mail; the row records it
    assert ClaimInvitation.objects.get(pk=invitation.pk).sent_at is not None


def test_only_a_hash_of_the_token_is_stored(invited):
    _, invitation, token = invited
    row = ClaimInvitation.objects.values().get(pk=invitation.pk)
    assert token not in str(row)
    assert row["token_hash"] == secret_tokens.token_hash(token)
    assert len(token) >= 40  # 32 random bytes


def test_inviting_again_soon_mails_nothing_new(invited, invite):
    juniper, first, _ = invited
    again = invite(juniper.creator)
    assert again.pk == first.pk and again.token == ""
    assert len(mail.outbox) == 1
    assert ClaimInvitation.objects.filter(creator=juniper.creator).count() == 1


def test_inviting_after_the_period_replaces_the_old_link(invited, invite, client):
    juniper, first, old_token = invited
    ClaimInvitation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - actions.RESEND_AFTER - dt.timedelta(hours=1)
    )
    second = invite(juniper.creator)
    assert second.pk != first.pk and second.token
    assert len(mail.outbox) == 2 and link_in(mail.outbox[1]) == second.token
    response = client.get(f"/claim/{old_token}/")
    assert response.status_code == 400 and b"newer invitation" in response.content


def test_a_failed_mail_is_not_counted_as_sent(juniper, invite, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(actions, "send_mail", broken)
    first = invite(juniper.creator)
    assert ClaimInvitation.objects.get(pk=first.pk).sent_at is None
    monkeypatch.undo()
    second = invite(juniper.creator)  # not the unsent one: a new link, mailed this time
    assert second.pk != first.pk and len(mail.outbox) == 1


@pytest.mark.parametrize("who", ["reader", "stranger", "writer"])
def test_only_archivists_invite(juniper, request, who):
    with pytest.raises(PermissionDenied):
        actions.invite_to_claim(juniper.creator, by=request.getfixturevalue(who))
    assert not ClaimInvitation.objects.exists()


def test_a_creator_without_an_address_or_with_an_account_is_not_invited(archivist, writer):
    from tests.claims.conftest import imported

    imported("Silent Work", "No Address Person")
    nobody = Creator.objects.get(pseuds__name="No Address Person")
    with pytest.raises(ValidationError, match="No private mail address"):
        actions.invite_to_claim(nobody, by=archivist)
    with pytest.raises(ValidationError, match="already linked"):
        actions.invite_to_claim(writer.creators.first(), by=archivist)


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("juniper.vale@example.org", "j***@example.org"),
        ("a@b.example", "a***@b.example"),
        ("not-an-address", "***"),
    ],
)
def test_addresses_are_masked(address, masked):
    assert actions.mask_email(address) == masked


# --- Answering ------------------------------------------------------------------------------------


def test_accepting_links_the_creator_and_the_works_become_editable(invited, reader):
    juniper, invitation, _ = invited
    assert not can_edit(reader, juniper.hidden)
    creator = actions.accept_claim(invitation, reader)
    assert creator.user == reader
    assert all(can_edit(reader, w) for w in (juniper.hidden, juniper.kept))
    assert not can_edit(reader, juniper.other)
    row = ClaimInvitation.objects.get(pk=invitation.pk)
    assert (row.outcome, row.used_by) == (ClaimInvitation.Outcome.ACCEPTED, reader)


def test_removing_hides_every_work_of_the_creator(invited):
    juniper, invitation, _ = invited
    assert actions.remove_my_works(invitation, None) == 2
    works = Work.all_objects.filter(pk__in=[juniper.hidden.pk, juniper.kept.pk])
    assert {w.hidden_reason for w in works} == {REMOVED_BY_CREATOR}
    assert not Work.all_objects.get(pk=juniper.other.pk).is_hidden


@pytest.mark.parametrize("first", ["accept", "remove"])
@pytest.mark.parametrize("then", ["accept", "remove"])
def test_a_used_link_cannot_be_used_again(invited, reader, stranger, first, then):
    _, invitation, _ = invited
    answer = {
        "accept": lambda user: actions.accept_claim(invitation, user),
        "remove": lambda user: actions.remove_my_works(invitation, user),
    }
    answer[first](reader)
    with pytest.raises(actions.InvitationUnusable, match="already used"):
        answer[then](stranger)
    assert Creator.objects.get(pk=invitation.creator_id).user in (None, reader)


def test_an_expired_link_is_refused(invited, reader):
    _, invitation, _ = invited
    ClaimInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(actions.InvitationUnusable, match="expired"):
        actions.accept_claim(invitation, reader)
    with pytest.raises(actions.InvitationUnusable, match="expired"):
        actions.remove_my_works(invitation, None)


def test_accepting_needs_an_account(invited):
    with pytest.raises(PermissionDenied, match="Log in or sign up"):
        actions.accept_claim(invited[1], None)


# --- The pages ------------------------------------------------------------------------------------


def test_the_claim_link_from_the_mail_claims_after_logging_in(invited, client, reader):
    juniper, _, _ = invited
    path = f"/claim/{link_in(mail.outbox[0])}/"
    page = client.get(path)
    assert page.status_code == 200
    assert b"Moonlit Orchard" in page.content and b"Log in" in page.content
    assert client.post(path + "accept/")["Location"].startswith("/accounts/login/")
    response = client.post(
        f"/accounts/login/?next={path}", {"username": reader.username, "password": PASSWORD}
    )
    assert response["Location"] == path
    assert b"Claim them as rhea" in client.get(path).content
    response = client.post(path + "accept/")
    assert response.status_code == 302
    assert Creator.objects.get(pk=juniper.creator.pk).user == reader
    profile = client.get(response["Location"]).content.decode()
    assert "Moonlit Orchard" in profile and "Brass Lantern" in profile
    assert client.get(f"/works/{juniper.hidden.pk}/edit/").status_code == 200
    assert client.get(path).status_code == 400  # used


def test_signing_up_from_the_claim_page_comes_back_to_it(invited, client):
    path = f"/claim/{invited[2]}/"
    response = client.post(
        f"/accounts/signup/?next={path}",
        {
            "username": "juniper",
            "email": "new@example.invalid",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response["Location"] == path


def test_removing_from_the_page_needs_no_account(invited, client):
    juniper, _, token = invited
    response = client.post(f"/claim/{token}/remove/")
    assert response.status_code == 200 and b"Your works are removed" in response.content
    assert b"Moonlit Orchard" not in client.get("/works/").content
    assert client.get(f"/works/{juniper.hidden.pk}/").status_code == 404
    assert client.post(f"/claim/{token}/remove/").status_code == 400


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 500, "%00", "%C3%A9t%C3%A9"], ids=len)
def test_a_wrong_token_is_a_clear_404(db, client, token):
    for method, suffix in (("get", ""), ("post", "accept/"), ("post", "remove/")):
        response = getattr(client, method)(f"/claim/{token}/{suffix}")
        assert response.status_code == 404
        assert b"claim link is not known" in response.content


def test_an_expired_link_page_says_what_to_do(invited, client):
    _, invitation, token = invited
    ClaimInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    for response in (client.get(f"/claim/{token}/"), client.post(f"/claim/{token}/remove/")):
        assert response.status_code == 400
        assert b"expired" in response.content and b"new invitation" in response.content


@pytest.mark.django_db(transaction=True)  # real commits: the mail goes out before the redirect
def test_the_archivists_page_lists_creators_masked_and_invites(juniper, client, archivist):
    client.force_login(archivist)
    page = client.get("/claims/").content.decode()
    assert "Juniper Vale" in page and "Rowan Ash" in page
    assert "j***@example.org" in page and "r***@example.com" in page
    assert "Not invited" in page
    response = client.post(f"/claims/creators/{juniper.creator.pk}/invite/", follow=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADDRESS]
    assert b"Invitation mailed to Juniper Vale" in response.content
    assert b"Invited on" in response.content
    response = client.post(f"/claims/creators/{juniper.creator.pk}/invite/", follow=True)
    assert b"already invited" in response.content and len(mail.outbox) == 1


def test_the_archivists_page_costs_a_fixed_number_of_queries(
    juniper, client, archivist, django_assert_max_num_queries
):
    from tests.claims.conftest import imported

    for n in range(5):
        imported(f"Extra Work {n}", f"Extra Person {n}", address=f"p{n}@example.net")
    client.force_login(archivist)
    with django_assert_max_num_queries(12):
        assert client.get("/claims/").status_code == 200


@pytest.mark.parametrize("who", ["reader", "stranger", "writer"])
def test_others_cannot_see_the_claims_page_or_invite(juniper, client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/claims/").status_code == 403
    assert client.post(f"/claims/creators/{juniper.creator.pk}/invite/").status_code == 403
    assert not ClaimInvitation.objects.exists() and not mail.outbox


def test_anonymous_visitors_are_sent_to_log_in(juniper, client):
    assert client.get("/claims/")["Location"].startswith("/accounts/login/")
    assert client.post(f"/claims/creators/{juniper.creator.pk}/invite/").status_code == 302
    assert not ClaimInvitation.objects.exists()


def test_inviting_needs_a_post_with_a_csrf_token(juniper, archivist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(archivist)
    assert client.get(f"/claims/creators/{juniper.creator.pk}/invite/").status_code == 405
    assert client.post(f"/claims/creators/{juniper.creator.pk}/invite/").status_code == 403
    assert not ClaimInvitation.objects.exists()


def test_no_page_shows_an_address(invited, client, archivist, reader):
    juniper, _, token = invited
    pages = []
    client.force_login(archivist)
    pages += [client.get(p) for p in ("/claims/", f"/works/{juniper.hidden.pk}/", "/works/")]
    pages.append(client.post(f"/claims/creators/{juniper.creator.pk}/invite/", follow=True))
    client.force_login(reader)
    pages.append(client.get(f"/claim/{token}/"))
    pages.append(client.post(f"/claim/{token}/accept/", follow=True))
    pages.append(client.get(f"/users/{reader.username}/"))
    pages.append(client.get(juniper.pseud.get_absolute_url()))
    for response in pages:
        assert response.status_code == 200, response.request
        text = response.content.decode()
        assert ADDRESS not in text and "juniper.vale@" not in text
        assert "rowan@example.com" not in text
