"""Moderation: reports and their queue, hiding and restoring chapters and comments, the audit log."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.archive.models import Chapter, Work
from ficarchive.community.actions import add_comment, delete_comment
from ficarchive.moderation import actions
from ficarchive.moderation.models import AuditEntry, Report
from ficarchive.posting.actions import ChapterData, add_chapter, delete_work
from ficarchive.search import indexing
from ficarchive.search.criteria import Criteria
from ficarchive.search.query import parse_query
from tests.personas import post

SECRET_WORD = "quillfeather"  # only in the second chapter


@pytest.fixture
def two_chapters(writer):
    work = post(writer, title="Two Lamps")
    add_chapter(writer, work, ChapterData(text=f"The {SECRET_WORD} chapter, said Mara."))
    return Work.objects.get(pk=work.pk)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _found(word: str) -> set[int]:
    indexing.drain()
    return set(indexing.ready().search(Criteria(query=parse_query(word))).ids)


# --- Reports -------------------------------------------------------------------------------------


def test_a_guest_reports_with_an_address_and_a_reader_with_their_account(posted_work, reader):
    with pytest.raises(ValidationError):
        actions.file_report(posted_work, reason="spam")  # a guest with no address to answer
    with pytest.raises(ValidationError):
        actions.file_report(posted_work, reason="because", email="g@example.invalid")
    guest = actions.file_report(posted_work, reason="spam", email="g@example.invalid")
    mine = actions.file_report(
        posted_work, reason="mistagged", details="No warning", reporter=reader
    )
    assert (guest.kind, guest.target_label, guest.reporter_email) == (
        "work", "The Lighthouse Letters", "g@example.invalid",
    )  # fmt: skip
    assert mine.reporter == reader and mine.reporter_email == ""  # their account's address answers
    with pytest.raises(ValidationError, match="already reported"):
        actions.file_report(posted_work, reason="spam", reporter=reader)


def test_the_report_form_summarises_errors_and_never_fails(posted_work):
    client = _client()
    url = f"/report/work/{posted_work.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"reason": "nonsense", "email": "not an address"})
    assert bad.status_code == 400
    assert b'class="form-errors"' in bad.content and not Report.objects.exists()
    good = client.post(url, {"reason": "spam", "email": "g@example.invalid", "details": "Ads"})
    assert good.status_code == 201 and Report.objects.get().details == "Ads"
    for wrong in ("/report/planet/1/", f"/report/work/{2**70}/", "/report/comment/999/"):
        assert client.get(wrong).status_code == 404


def test_the_queue_is_for_archivists_only(posted_work, reader, archivist):
    actions.file_report(posted_work, reason="spam", email="g@example.invalid")
    assert _client().get("/moderation/").status_code == 302  # to the log-in page
    for page in ("/moderation/", "/moderation/audit/", "/moderation/reports/1/"):
        assert _client(reader).get(page).status_code == 403
    queue = _client(archivist).get("/moderation/")
    assert queue.status_code == 200 and b"The Lighthouse Letters" in queue.content
    assert b"g@example.invalid" not in queue.content  # a reporter's address stays private


def test_an_archivist_works_a_report_and_the_reporter_is_told(
    posted_work, reader, archivist, django_capture_on_commit_callbacks
):
    report = actions.file_report(posted_work, reason="mistagged", reporter=reader)
    client = _client(archivist)
    client.post(f"/moderation/reports/{report.pk}/take/")
    client.post(f"/moderation/reports/{report.pk}/note/", {"text": "Asked the creator."})
    empty = client.post(f"/moderation/reports/{report.pk}/close/", {"status": "resolved"})
    assert empty.status_code == 400 and not mail.outbox  # an outcome is needed to close
    with pytest.raises(ValidationError):
        actions.close_report(report, by=archivist, status="new", outcome="x")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/reports/{report.pk}/close/",
            {"status": "resolved", "outcome": "The creator added the warning."},
        )
    report.refresh_from_db()
    assert (report.status, report.assignee, report.outcome_mailed) == ("resolved", archivist, True)
    assert report.notes.get().text == "Asked the creator."
    (message,) = mail.outbox
    assert message.to == [reader.email] and "The creator added the warning." in message.body
    assert "Asked the creator." not in message.body  # notes stay among archivists
    actions_logged = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions_logged == ["took report", "resolved report"]
    with pytest.raises(PermissionDenied):
        actions.reopen_report(report, by=reader)


# --- Hiding chapters and comments ----------------------------------------------------------------


def test_a_hidden_chapter_is_gone_for_readers_and_kept_for_its_creator(
    two_chapters, writer, reader, archivist
):
    second = two_chapters.chapters.get(position=2)
    assert two_chapters.pk in _found(SECRET_WORD)
    with pytest.raises(PermissionDenied):
        actions.hide(second, by=reader, reason="I dislike it")
    actions.hide(second, by=archivist, reason="copied from a published novel")
    assert two_chapters.pk not in _found(SECRET_WORD)
    for client in (_client(), _client(reader)):
        assert SECRET_WORD not in client.get(two_chapters.get_absolute_url()).content.decode()
        assert client.get(second.get_absolute_url()).status_code == 404
        download = client.get(f"/works/{two_chapters.pk}/download/txt/")
        assert SECRET_WORD.encode() not in b"".join(download.streaming_content)
        assert client.get(f"/api/v1/works/{two_chapters.pk}/chapters/2").status_code == 404
    page = _client(writer).get(second.get_absolute_url()).content.decode()
    assert SECRET_WORD in page and "copied from a published novel" in page
    with pytest.raises(PermissionDenied):
        actions.restore(second, by=writer)  # what moderation hid does not come back on its own
    actions.restore(second, by=archivist)
    assert two_chapters.pk in _found(SECRET_WORD)
    entries = AuditEntry.objects.order_by("id")
    assert [(e.actor_name, e.action, e.target_label) for e in entries] == [
        ("arch", "hid", 'Chapter 2 of "Two Lamps"'),
        ("arch", "restored", 'Chapter 2 of "Two Lamps"'),
    ]
    assert entries[0].reason == "copied from a published novel"


def test_a_hidden_comment_and_its_replies_leave_the_thread(posted_work, writer, reader, stranger):
    chapter = posted_work.chapters.get()
    spam = add_comment(chapter, "Buy cheap lamps at spam.example", user=stranger)
    add_comment(chapter, "Ignore this one", user=reader, parent=spam)
    add_comment(chapter, "A lovely letter.", user=reader)
    actions.hide(spam, by=writer, reason="advertising")  # the work's creator keeps its threads
    assert Work.objects.get(pk=posted_work.pk).comments_count == 2
    for client in (_client(), _client(reader)):
        page = client.get(posted_work.get_absolute_url()).content.decode()
        assert "A lovely letter." in page
        assert "spam.example" not in page and "Ignore this one" not in page
    own = _client(stranger).get(posted_work.get_absolute_url()).content.decode()
    assert "spam.example" in own and "advertising" in own  # its author sees why
    assert _client(reader).get(f"/report/comment/{spam.pk}/").status_code == 404
    actions.restore(spam, by=writer)
    assert "spam.example" in _client().get(posted_work.get_absolute_url()).content.decode()


def test_hiding_asks_for_a_reason_and_refuses_what_is_already_hidden(posted_work, archivist):
    chapter = posted_work.chapters.get()
    client = _client(archivist)
    assert (
        client.post(f"/moderation/hide/chapter/{chapter.pk}/", {"reason": " "}).status_code == 400
    )
    assert (
        client.post(f"/moderation/hide/chapter/{chapter.pk}/", {"reason": "x"}).status_code == 302
    )
    assert (
        client.post(f"/moderation/hide/chapter/{chapter.pk}/", {"reason": "y"}).status_code == 400
    )
    assert Chapter.objects.get(pk=chapter.pk).hidden_reason == "x"
    assert _client().post(f"/moderation/restore/chapter/{chapter.pk}/").status_code == 302  # log in
    assert Chapter.objects.get(pk=chapter.pk).is_hidden


def test_the_audit_log_shows_archivists_deletions_and_hides(posted_work, writer, archivist):
    comment = add_comment(posted_work.chapters.get(), "Hello", user=writer)
    delete_comment(archivist, comment)
    actions.hide(posted_work, by=archivist, reason="under review")
    delete_work(archivist, Work.all_objects.get(pk=posted_work.pk))
    log = _client(archivist).get("/moderation/audit/").content.decode()
    for text in ("deleted", "under review", "The Lighthouse Letters", "hid"):
        assert text in log
    assert AuditEntry.objects.filter(actor_name="arch").count() == 3
    assert (
        "Nothing logged for nobody"
        in _client(archivist).get("/moderation/audit/?actor=nobody").content.decode()
    )
