"""Blocking and muting: what a blocked user can no longer do, what a muting reader no longer sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.community import blocking
from ficarchive.community.actions import add_comment, give_kudos
from ficarchive.posting.actions import update_work
from ficarchive.search import indexing
from tests.personas import post, work_data


def _page(url: str, user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_a_blocked_user_cannot_comment_reply_or_leave_kudos(posted_work, writer, stranger):
    chapter = posted_work.chapters.get()
    mine = add_comment(chapter, "Thanks for reading, all.", user=writer)
    earlier = add_comment(chapter, "Rude words here", user=stranger)
    blocking.block(writer, stranger)
    with pytest.raises(PermissionDenied, match="blocked you"):
        add_comment(chapter, "More rude words", user=stranger)
    with pytest.raises(PermissionDenied, match="blocked you"):
        give_kudos(posted_work, user=stranger)
    other = post(stranger, title="Stan's Own")  # their own works are theirs to comment on
    assert add_comment(other.chapters.get(), "Mine", user=stranger)
    assert "Rude words here" not in _page(posted_work.get_absolute_url(), writer)
    blocking.unblock(writer, stranger)
    assert give_kudos(posted_work, user=stranger)
    assert earlier.pk and mine.pk


def test_a_blocked_user_cannot_invite_the_blocker_as_co_creator(writer, stranger):
    work = post(stranger, title="Shared")
    blocking.block(writer, stranger)
    pseud = writer.creators.first().pseuds.first()
    with pytest.raises(ValidationError, match="cannot be invited"):
        update_work(stranger, work, work_data(stranger, title="Shared", co_creators=[pseud]))


def test_muting_hides_works_and_comments_from_the_muter_only(writer, reader, stranger):
    work = post(writer, title="The Muted Lamp", text="Nocturne lamplight by the sea.")
    theirs = post(stranger, title="A Stranger's Lamp", text="Nocturne lamplight inland.")
    add_comment(theirs.chapters.get(), "Comment by wren", user=writer)
    indexing.drain()
    blocking.mute(reader, writer)
    search = _page("/search/?q=nocturne", reader)
    assert "A Stranger&#x27;s Lamp" in search or "A Stranger's Lamp" in search
    assert "The Muted Lamp" not in search and "by users you muted" in search
    assert "The Muted Lamp" not in _page("/", reader)
    assert "Comment by wren" not in _page(theirs.get_absolute_url(), reader)
    assert "The Muted Lamp" in _page("/search/?q=nocturne", stranger)  # others still see it
    assert "Comment by wren" in _page(theirs.get_absolute_url(), stranger)
    assert work.pk


def test_block_and_mute_pages(writer, reader):
    client = Client()
    client.force_login(reader)
    profile = client.get(f"/users/{writer.username}/").content.decode()
    assert ">Block<" in profile and ">Mute<" in profile
    assert client.post(f"/users/{writer.username}/block/", {"action": "block"}).status_code == 302
    assert client.post(f"/users/{writer.username}/block/", {"action": "dance"}).status_code == 400
    assert client.post(f"/users/{reader.username}/block/", {"action": "mute"}).status_code == 400
    assert client.post("/users/nobody/block/", {"action": "mute"}).status_code == 404
    listing = client.get("/accounts/blocked/").content.decode()
    assert writer.username in listing and "Unblock" in listing
    assert Client().post(f"/users/{writer.username}/block/", {"action": "block"}).status_code == 302
