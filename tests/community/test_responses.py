"""Kudos, comments, bookmarks, subscriptions, the inbox, history; counts feed the search sorts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ficarchive.archive.models import Work
from ficarchive.community.models import Comment, Notification
from tests.personas import make_user, post

pytestmark = pytest.mark.django_db


def comment(client, work, text, parent=None, position=1, **extra):
    chapter = work.chapters.get(position=position)
    data = {"text": text, "markup": "html", "chapter": chapter.pk, **extra}
    if parent:
        data["parent"] = parent.pk
    return client.post(f"/works/{work.pk}/comments/", data)


def test_kudos_once_per_account_and_once_per_guest(client, posted_work, reader):
    client.force_login(reader)
    client.post(f"/works/{posted_work.pk}/kudos/")
    client.post(f"/works/{posted_work.pk}/kudos/")
    guest = Client(REMOTE_ADDR="203.0.113.5")
    guest.post(f"/works/{posted_work.pk}/kudos/")
    guest.post(f"/works/{posted_work.pk}/kudos/")  # same session
    Client(REMOTE_ADDR="203.0.113.5").post(f"/works/{posted_work.pk}/kudos/")  # same address
    Client(REMOTE_ADDR="203.0.113.9").post(f"/works/{posted_work.pk}/kudos/")
    posted_work.refresh_from_db()
    assert posted_work.kudos_count == 3
    page = Client().get(posted_work.get_absolute_url()).content.decode()
    assert "rhea" in page and "2 guests left kudos" in page
    assert "<dt>Kudos</dt><dd>3</dd>" in Client().get("/works/").content.decode()


def test_counts_feed_the_search_sort_orders(client, writer, reader):
    quiet = post(writer, title="Quiet Work", text="The harbour bell rang once.")
    loved = post(writer, title="Loved Work", text="The harbour bell rang twice.")
    client.force_login(reader)
    client.post(f"/works/{loved.pk}/kudos/")
    client.post(f"/works/{loved.pk}/bookmark/", {"note": "", "markup": "html", "tags": ""})
    comment(client, loved, "So good")
    for sort in ("kudos", "bookmarks", "comments"):
        data = Client().get(f"/search.json?q=harbour&sort={sort}").json()
        assert [w["title"] for w in data["works"]] == ["Loved Work", "Quiet Work"], sort
    Client(REMOTE_ADDR="198.51.100.1").get(quiet.get_absolute_url())
    Client(REMOTE_ADDR="198.51.100.1").get(quiet.get_absolute_url())  # the same visitor
    Client(REMOTE_ADDR="198.51.100.2").get(quiet.get_absolute_url())
    quiet.refresh_from_db()
    assert quiet.hits_count == 2
    data = Client().get("/search.json?q=harbour&sort=hits").json()
    assert data["works"][0]["title"] == "Quiet Work"
    page = Client().get("/search/?q=harbour&sort=kudos").content.decode()
    assert "<dt>Bookmarks</dt><dd>1</dd>" in page and "<dt>Comments</dt><dd>1</dd>" in page


def test_threaded_comments_edit_and_delete(client, posted_work, reader, stranger, writer):
    client.force_login(reader)
    comment(client, posted_work, "First!")
    first = Comment.objects.get()
    client.force_login(stranger)
    comment(client, posted_work, "A reply", parent=first)
    reply = Comment.objects.get(parent=first)
    page = Client().get(posted_work.get_absolute_url()).content.decode()
    assert page.index("First!") < page.index("A reply") and "depth-1" in page

    # Only the author edits; the stranger cannot edit or delete the reader's comment.
    assert (
        client.post(f"/comments/{first.pk}/edit/", {"text": "Hacked", "markup": "html"}).status_code
        == 403
    )
    assert client.post(f"/comments/{first.pk}/delete/").status_code == 403
    first.refresh_from_db()
    assert first.body_html == "<p>First!</p>"
    client.force_login(reader)
    client.post(f"/comments/{first.pk}/edit/", {"text": "First, edited", "markup": "html"})
    first.refresh_from_db()
    assert first.body_html == "<p>First, edited</p>" and first.edited_at

    # Deleting a comment with replies leaves a placeholder; the work's creator may delete any.
    client.post(f"/comments/{first.pk}/delete/")
    first.refresh_from_db()
    assert (
        first.deleted
        and "(Previous comment deleted.)"
        in Client().get(posted_work.get_absolute_url()).content.decode()
    )
    client.force_login(writer)
    client.post(f"/comments/{reply.pk}/delete/")
    assert not Comment.objects.exists()  # the placeholder went with its last reply
    posted_work.refresh_from_db()
    assert posted_work.comments_count == 0


def test_guest_comments_follow_the_setting(settings, posted_work):
    guest = Client()
    settings.GUEST_COMMENTS = False
    response = comment(guest, posted_work, "Hello", guest_name="Visitor")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()
    settings.GUEST_COMMENTS = True
    assert comment(guest, posted_work, "Hello").status_code == 400  # a name is needed
    comment(guest, posted_work, "Hello", guest_name="Visitor")
    assert Comment.objects.get().guest_name == "Visitor"
    assert "Visitor (guest)" in guest.get(posted_work.get_absolute_url()).content.decode()


def test_bookmarks_public_private_notes_and_tags(client, posted_work, reader, stranger):
    client.force_login(reader)
    client.post(
        f"/works/{posted_work.pk}/bookmark/",
        {
            "note": "Read *again*",
            "markup": "markdown",
            "tags": "comfort, Comfort, winter",
            "private": "on",
        },
    )
    posted_work.refresh_from_db()
    assert posted_work.bookmarks_count == 0  # private bookmarks are not counted publicly
    own = client.get("/users/rhea/bookmarks/").content.decode()
    assert (
        "Read <em>again</em>" in own
        and "winter" in own
        and own.count(">comfort<") + own.count(">Comfort<") == 1
    )
    assert "The Lighthouse Letters" not in Client().get("/users/rhea/bookmarks/").content.decode()
    client.post(f"/works/{posted_work.pk}/bookmark/", {"note": "", "markup": "html", "tags": ""})
    posted_work.refresh_from_db()
    assert posted_work.bookmarks_count == 1
    assert "The Lighthouse Letters" in Client().get("/users/rhea/bookmarks/").content.decode()
    bookmark = reader.bookmarks.get()
    client.force_login(stranger)
    assert client.post(f"/bookmarks/{bookmark.pk}/delete/").status_code == 403
    client.force_login(reader)
    client.post(f"/bookmarks/{bookmark.pk}/delete/")
    posted_work.refresh_from_db()
    assert posted_work.bookmarks_count == 0


def test_subscriptions_fill_the_inbox_and_mail_when_configured(
    client, settings, writer, reader, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = True
    settings.SITE_URL = "https://archive.example"
    work = post(writer)
    fan = make_user("fan")
    client.force_login(reader)
    client.post(f"/works/{work.pk}/subscribe/")
    Client().post(f"/works/{work.pk}/subscribe/")  # a guest is sent to log in, nothing stored
    fan_client = Client()
    fan_client.force_login(fan)
    fan_client.post(f"/creators/{work.creator_pseuds[0].slug}/subscribe/")

    writer_client = Client()
    writer_client.force_login(writer)
    with_mail = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        writer_client.post(
            f"/works/{work.pk}/chapters/new/",
            {
                "chapter_title": "The Reply",
                "chapter_text": "Tomas wrote back.",
                "markup": "html",
                "post": "1",
            },
        )
    assert Notification.objects.filter(kind="chapter").count() == 2
    sent = mail.outbox[with_mail:]
    assert {m.to[0] for m in sent} == {"rhea@example.invalid", "fan@example.invalid"}
    assert f"https://archive.example/works/{work.pk}/chapters/2/" in sent[0].body
    inbox = client.get("/inbox/").content.decode()
    assert "New chapter" in inbox and "chapter 2: The Reply" in inbox and "New</strong>" in inbox
    assert "New</strong>" not in client.get("/inbox/").content.decode()  # seen since
    # A new work by the creator reaches the creator's subscriber only.
    post(writer, title="Second Work")
    assert "Second Work" in fan_client.get("/inbox/").content.decode()
    assert "Second Work" not in client.get("/inbox/").content.decode()


def test_replies_and_comments_reach_the_inbox(client, posted_work, reader, writer):
    client.force_login(reader)
    comment(client, posted_work, "Question?")
    writer_client = Client()
    writer_client.force_login(writer)
    assert "rhea commented on" in writer_client.get("/inbox/").content.decode()
    comment(writer_client, posted_work, "Answer.", parent=Comment.objects.get())
    assert "wren replied to your comment" in client.get("/inbox/").content.decode()


def test_history_and_marked_for_later(client, posted_work, reader):
    client.force_login(reader)
    client.get(posted_work.get_absolute_url())
    client.get(posted_work.chapters.get().get_absolute_url())
    history = client.get("/history/").content.decode()
    assert "The Lighthouse Letters" in history and "2 visits" in history
    other = post(posted_work.creator_pseuds[0].creator.user, title="For Later")
    client.post(f"/works/{other.pk}/later/")
    later = client.get("/history/?show=later").content.decode()
    assert "For Later" in later and "The Lighthouse Letters" not in later
    client.post(f"/works/{other.pk}/later/", {"action": "remove"})
    assert "For Later" not in client.get("/history/?show=later").content.decode()
    assert Client().get("/history/").status_code == 302


def test_work_deletion_takes_its_responses(client, posted_work, reader):
    client.force_login(reader)
    client.post(f"/works/{posted_work.pk}/kudos/")
    comment(client, posted_work, "Bye")
    posted_work.delete()
    assert not Comment.objects.exists() and not Work.objects.exists()


def test_creator_subscription_toggles_and_subscriptions_are_listed(client, posted_work, reader):
    pseud = posted_work.creator_pseuds[0]
    client.force_login(reader)
    assert "Subscribe to wren" in client.get(pseud.get_absolute_url()).content.decode()
    client.post(f"/creators/{pseud.slug}/subscribe/")
    assert "Unsubscribe from wren" in client.get(pseud.get_absolute_url()).content.decode()
    client.post(f"/works/{posted_work.pk}/subscribe/")
    inbox = client.get("/inbox/").content.decode()
    assert "wren</a> (creator)" in inbox and "The Lighthouse Letters</a> (work)" in inbox
    client.post(f"/creators/{pseud.slug}/subscribe/", {"action": "unsubscribe"})
    client.post(f"/works/{posted_work.pk}/subscribe/", {"action": "unsubscribe"})
    assert "No subscriptions." in client.get("/inbox/").content.decode()


def test_creators_cannot_kudos_their_own_work(client, posted_work, writer):
    client.force_login(writer)
    response = client.post(f"/works/{posted_work.pk}/kudos/", follow=True)
    assert "You can&#x27;t leave kudos on your own work." in response.content.decode()
    posted_work.refresh_from_db()
    assert posted_work.kudos_count == 0


def test_deleting_a_chapter_recounts_its_comments(client, writer, reader):
    work = post(writer)
    from ficarchive.posting.actions import ChapterData, add_chapter

    add_chapter(writer, work, ChapterData(text="Second."))
    client.force_login(reader)
    comment(client, work, "On one")
    comment(client, work, "On two", position=2)
    work.refresh_from_db()
    assert work.comments_count == 2
    writer_client = Client()
    writer_client.force_login(writer)
    writer_client.post(f"/works/{work.pk}/chapters/2/delete/")
    work.refresh_from_db()
    assert work.comments_count == 1 and Comment.objects.get().body_html == "<p>On one</p>"
