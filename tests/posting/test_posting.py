"""Posting through the form: preview, drafts, suggestions, chapters, series, and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from ficarchive.archive.models import Chapter, Series, Tag, Work, WorkTag
from ficarchive.posting.models import CoCreatorInvitation, Draft
from tests.personas import post

pytestmark = pytest.mark.django_db

STORY = (
    'Mara Quill climbed the hundred steps. "Are you there?" Mara called.\n\n'
    'Tomas Hale answered from the lamp room. "Always," said Tomas.\n\n'
    "Mara laughed, and Tomas lit the lamp."
)


def form_data(writer, **changes) -> dict:
    data = {
        "title": "Salt and Signal",
        "pseuds": [writer.creators.first().pseuds.first().pk],
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M"],
        "fandoms": "Original Work",
        "relationships": "Mara Quill/Tomas Hale",
        "characters": "Mara Quill, Tomas Hale",
        "freeforms": "Lighthouses, Letters",
        "summary": "A keeper and a *signal*.",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "chapter_title": "The Steps",
        "chapter_text": STORY,
        "markup": "markdown",
    }
    data.update(changes)
    return data


def test_posting_a_work_makes_it_public_searchable_and_tagged(client, writer):
    client.force_login(writer)
    response = client.post("/works/new/", {**form_data(writer), "post": "1"})
    work = Work.objects.get(title="Salt and Signal")
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert work.chapter_count == 1 and work.word_count > 20
    assert work.rating == "Teen And Up Audiences" and work.complete is False
    assert work.summary_html == "<p>A keeper and a <em>signal</em>.</p>"
    names = {(wt.tag.type, wt.tag.name) for wt in work.work_tags.select_related("tag")}
    assert {
        ("rating", "Teen And Up Audiences"),
        ("warning", "No Archive Warnings Apply"),
        ("category", "F/M"),
        ("fandom", "Original Work"),
        ("relationship", "Mara Quill/Tomas Hale"),
        ("freeform", "Letters"),
    } <= names
    assert work.creator_pseuds[0].name == "wren"

    anonymous = Client()
    page = anonymous.get(work.get_absolute_url()).content.decode()
    assert "Salt and Signal" in page and "hundred steps" in page
    found = anonymous.get("/search/?q=hundred+steps").content.decode()
    assert "Salt and Signal" in found
    tag = Tag.objects.get(type="freeform", name="Lighthouses")
    assert "Salt and Signal" in anonymous.get(tag.get_absolute_url()).content.decode()


def test_preview_renders_sanitised_text_and_stores_nothing(client, writer):
    client.force_login(writer)
    data = form_data(writer, chapter_text="Hello <script>alert(1)</script>**bold**")
    page = client.post("/works/new/", {**data, "preview": "1"}).content.decode()
    assert 'id="preview"' in page and "<strong>bold</strong>" in page
    assert "<script>alert" not in page
    assert Work.objects.count() == 0


def test_form_errors_are_shown_not_500(client, writer):
    client.force_login(writer)
    response = client.post(
        "/works/new/", {**form_data(writer, fandoms="", warnings=[], chapter_text=""), "post": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give at least one." in page and "Choose at least one archive warning." in page
    assert "The chapter needs text." in page
    assert Work.objects.count() == 0


def test_analysis_suggestions_are_accepted_with_one_click(client, writer):
    client.force_login(writer)
    data = form_data(writer, characters="", relationships="")
    page = client.post("/works/new/", {**data, "preview": "1"}).content.decode()
    assert 'id="suggestions"' in page
    assert 'value="character|Mara Quill"' in page or 'value="character|Mara"' in page
    value = "character|Mara Quill" if 'value="character|Mara Quill"' in page else "character|Mara"
    page = client.post("/works/new/", {**data, "accept": value}).content.decode()
    name = value.split("|")[1]
    # The tag is now in the characters field and no longer offered.
    assert f'value="{name}"' in page and f'value="{value}"' not in page


def test_drafts_are_seen_only_by_their_owner_and_post_later(client, writer, reader):
    client.force_login(writer)
    client.post("/works/new/", {**form_data(writer, fandoms=""), "save_draft": "1"})
    draft = Draft.objects.get(user=writer)
    assert draft.title == "Salt and Signal" and Work.objects.count() == 0
    assert "Salt and Signal" in client.get("/my/works/").content.decode()
    assert "Salt and Signal" not in Client().get("/search/?q=Salt").content.decode()

    client.force_login(reader)
    assert client.get(f"/works/new/?draft={draft.pk}").status_code == 404
    assert client.post(f"/drafts/{draft.pk}/delete/").status_code == 404
    assert "Salt and Signal" not in client.get("/my/works/").content.decode()

    client.force_login(writer)
    page = client.get(f"/works/new/?draft={draft.pk}").content.decode()
    assert "Salt and Signal" in page and "hundred steps" in page
    client.post(f"/works/new/?draft={draft.pk}", {**form_data(writer), "post": "1"})
    assert Work.objects.filter(title="Salt and Signal").exists()
    assert not Draft.objects.exists()


def test_chapters_are_added_edited_reordered_and_deleted(client, writer):
    work = post(writer)
    client.force_login(writer)
    for n in (2, 3):
        response = client.post(
            f"/works/{work.pk}/chapters/new/",
            {
                "chapter_title": f"Letter {n}",
                "chapter_text": f"Chapter {n} text here.",
                "markup": "html",
                "post": "1",
            },
        )
        assert response.status_code == 302
    work.refresh_from_db()
    assert work.chapter_count == 3
    assert list(work.chapters.values_list("title", flat=True)) == ["", "Letter 2", "Letter 3"]

    client.post(
        f"/works/{work.pk}/chapters/2/edit/",
        {
            "chapter_title": "Second",
            "chapter_text": "<p>Changed <em>words</em>.</p>",
            "markup": "html",
            "post": "1",
        },
    )
    second = work.chapters.get(position=2)
    assert second.title == "Second" and second.body_html == "<p>Changed <em>words</em>.</p>"
    assert second.body_text == "Changed words."

    ids = {c.title: c.pk for c in work.chapters.all()}
    response = client.post(
        f"/works/{work.pk}/chapters/order/",
        {
            f"position-{ids['']}": "3",
            f"position-{ids['Second']}": "1",
            f"position-{ids['Letter 3']}": "2",
        },
    )
    assert response.status_code == 302
    assert list(work.chapters.values_list("title", flat=True)) == ["Second", "Letter 3", ""]

    client.post(f"/works/{work.pk}/chapters/1/delete/")
    work.refresh_from_db()
    assert list(work.chapters.values_list("position", "title")) == [(1, "Letter 3"), (2, "")]
    assert work.chapter_count == 2
    assert work.word_count == sum(c.word_count for c in work.chapters.all())


def test_the_only_chapter_cannot_be_deleted(client, writer):
    work = post(writer)
    client.force_login(writer)
    client.post(f"/works/{work.pk}/chapters/1/delete/")
    assert work.chapters.count() == 1


def test_edit_marks_complete_changes_tags_and_adds_to_a_series(client, writer):
    work = post(writer)
    client.force_login(writer)
    page = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert "Mara Quill" in page  # the form starts from the work's tags
    data = form_data(
        writer, title="Renamed", characters="Tomas Hale", complete="on", new_series="Keepers"
    )
    for key in ("chapter_title", "chapter_text"):
        data.pop(key)
    response = client.post(f"/works/{work.pk}/edit/", {**data, "post": "1"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed" and work.complete is True and work.expected_chapters == 1
    characters = set(
        WorkTag.objects.filter(work=work, tag__type="character").values_list("tag__name", flat=True)
    )
    assert characters == {"Tomas Hale"}
    series = Series.objects.get(title="Keepers")
    assert series.owner == writer
    page = Client().get(series.get_absolute_url()).content.decode()
    assert "Renamed" in page and "Part 1" in page
    assert "Keepers" in Client().get(work.get_absolute_url()).content.decode()


def test_deleting_a_work(client, writer):
    work = post(writer)
    client.force_login(writer)
    assert client.get(f"/works/{work.pk}/delete/").status_code == 200
    client.post(f"/works/{work.pk}/delete/")
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Chapter.objects.filter(work_id=work.pk).exists()


def test_autocomplete_offers_canonical_tags_first(client, writer):
    Tag.objects.create(type="character", name="Mara Quinn", slug="mara-quinn")
    Tag.objects.create(type="character", name="Mara Quill", slug="mara-quill", canonical=True)
    response = client.get("/posting/autocomplete/?type=character&q=mara")
    assert response.json() == {"tags": ["Mara Quill", "Mara Quinn"]}
    assert client.get("/posting/autocomplete/?type=nonsense&q=mara").json() == {"tags": []}


def test_co_creators_must_be_other_users(client, writer, reader):
    client.force_login(writer)
    page = client.post(
        "/works/new/", {**form_data(writer, co_creators="nobody-here"), "post": "1"}
    ).content.decode()
    assert "No other user writes as “nobody-here”" in page
    client.post("/works/new/", {**form_data(writer, co_creators="rhea"), "post": "1"})
    work = Work.objects.get()
    assert [p.name for p in work.creator_pseuds] == ["wren"]  # not before rhea accepts

    client.force_login(reader)
    assert client.get(f"/works/{work.pk}/edit/").status_code == 403
    inbox = client.get("/inbox/").content.decode()
    assert "wren invited rhea to be credited on" in inbox
    invitation = CoCreatorInvitation.objects.get()
    other = Client()
    other.force_login(writer)  # the inviter cannot accept for them
    assert other.post(f"/invitations/{invitation.pk}/", {"answer": "accept"}).status_code == 404
    client.post(f"/invitations/{invitation.pk}/", {"answer": "accept"})
    assert [p.name for p in work.creator_pseuds] == ["wren", "rhea"]
    assert client.get(f"/works/{work.pk}/edit/").status_code == 200  # a co-creator edits too
    assert not CoCreatorInvitation.objects.exists()


def test_a_declined_invitation_credits_nobody(client, writer, reader):
    work = post(writer, co_creators=[reader.creators.first().pseuds.first()])
    invitation = CoCreatorInvitation.objects.get(work=work)
    client.force_login(reader)
    client.post(f"/invitations/{invitation.pk}/", {"answer": "decline"})
    assert [p.name for p in work.creator_pseuds] == ["wren"]
    assert not CoCreatorInvitation.objects.exists()


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/works/{id}/edit/"),
        ("post", "/works/{id}/edit/"),
        ("get", "/works/{id}/chapters/new/"),
        ("post", "/works/{id}/chapters/new/"),
        ("get", "/works/{id}/chapters/1/edit/"),
        ("post", "/works/{id}/chapters/1/delete/"),
        ("post", "/works/{id}/chapters/order/"),
        ("get", "/works/{id}/delete/"),
        ("post", "/works/{id}/delete/"),
    ],
)
def test_nobody_changes_another_writers_work(client, writer, stranger, method, path):
    work = post(writer)
    second = {"chapter_text": "Extra.", "markup": "html", "post": "1"}
    url = path.format(id=work.pk)
    client.force_login(stranger)
    response = getattr(client, method)(url, second if method == "post" else None)
    assert response.status_code == 403
    assert "Only the work" in response.content.decode()
    work.refresh_from_db()
    assert work.chapter_count == 1 and Work.objects.filter(pk=work.pk).exists()

    anonymous = Client()
    response = getattr(anonymous, method)(url, second if method == "post" else None)
    assert response.status_code in (302, 403, 405)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert work.chapters.count() == 1


def test_cannot_post_under_someone_elses_pseud(client, writer, reader):
    client.force_login(reader)
    page = client.post("/works/new/", {**form_data(writer), "post": "1"}).content.decode()
    assert Work.objects.count() == 0
    assert "Select a valid choice" in page


def test_archivist_may_delete_but_not_edit(client, writer, archivist):
    work = post(writer)
    client.force_login(archivist)
    assert client.get(f"/works/{work.pk}/edit/").status_code == 403
    client.post(f"/works/{work.pk}/delete/")
    assert not Work.objects.filter(pk=work.pk).exists()


def test_forms_need_the_csrf_token(writer):
    work = post(writer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    response = client.post("/works/new/", {"title": "x", "post": "1"})
    assert response.status_code == 403
    assert client.post(f"/works/{work.pk}/delete/").status_code == 403
    assert client.post(f"/works/{work.pk}/kudos/").status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()
    page = client.get("/works/new/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_only_the_owner_edits_a_series(client, writer, stranger):
    work = post(writer, new_series="Keepers")
    series = Series.objects.get()
    assert [w.pk for w in series.works.all()] == [work.pk]
    client.force_login(stranger)
    assert client.get(f"/series/{series.pk}/edit/").status_code == 403
    client.post(f"/series/{series.pk}/edit/", {"title": "Mine now", "markup": "html"})
    series.refresh_from_db()
    assert series.title == "Keepers"
    client.force_login(writer)
    client.post(
        f"/series/{series.pk}/edit/",
        {
            "title": "The Keepers",
            "summary": "<p onclick=x()>All of them.</p>",
            "markup": "html",
            "complete": "on",
        },
    )
    series.refresh_from_db()
    assert series.title == "The Keepers" and series.complete
    assert series.summary_html == "<p>All of them.</p>"


def test_a_second_work_joins_the_series_as_part_two(client, writer):
    first = post(writer, new_series="Keepers")
    series = Series.objects.get()
    second = post(writer, title="Second", series=series)
    assert list(series.parts.values_list("work_id", "position")) == [(first.pk, 1), (second.pk, 2)]
    page = Client().get(series.get_absolute_url()).content.decode()
    assert page.index("The Lighthouse Letters") < page.index("Second")


def test_adding_to_someone_elses_series_is_refused(writer, reader):
    post(writer, new_series="Keepers")
    with pytest.raises(PermissionDenied):
        post(reader, series=Series.objects.get())


def test_list_pages_query_counts(client, writer, reader, django_assert_max_num_queries):
    from ficarchive.community.actions import give_kudos, save_bookmark, subscribe

    works = [post(writer, title=f"Work {n}") for n in range(5)]
    for work in works:
        save_bookmark(reader, work, note="n", tags="a, b")
        subscribe(reader, work=work)
        give_kudos(work, user=reader)
    client.force_login(reader)
    for work in works:
        client.get(work.get_absolute_url())
    # The same number of queries for five works as for one: no query per row.
    for url, budget in (
        ("/users/rhea/bookmarks/", 12),
        ("/history/", 12),
        ("/inbox/", 12),
        ("/my/works/", 12),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_every_form_refuses_a_post_without_the_csrf_token(writer, reader):
    from ficarchive.community.actions import add_comment, save_bookmark
    from ficarchive.posting.actions import save_draft

    work = post(writer, new_series="Keepers")
    chapter = work.chapters.get()
    comment = add_comment(chapter, "Hi", user=writer)
    bookmark = save_bookmark(writer, work)
    draft = save_draft(writer, {"title": ["Draft"]})
    series = Series.objects.get()
    pseud = work.creator_pseuds[0]
    urls = [
        "/accounts/signup/", "/accounts/login/", "/accounts/logout/", "/accounts/profile/",
        "/accounts/pseuds/", "/accounts/delete/", "/accounts/password/", "/accounts/reset/",
        f"/creators/{pseud.slug}/assign/", f"/creators/{pseud.slug}/subscribe/",
        "/works/new/", f"/works/{work.pk}/edit/", f"/works/{work.pk}/delete/",
        f"/works/{work.pk}/chapters/new/", f"/works/{work.pk}/chapters/order/",
        f"/works/{work.pk}/chapters/1/edit/", f"/works/{work.pk}/chapters/1/delete/",
        f"/drafts/{draft.pk}/delete/", f"/series/{series.pk}/edit/",
        f"/works/{work.pk}/kudos/", f"/works/{work.pk}/comments/", f"/works/{work.pk}/bookmark/",
        f"/works/{work.pk}/subscribe/", f"/works/{work.pk}/later/",
        f"/comments/{comment.pk}/edit/", f"/comments/{comment.pk}/delete/",
        f"/bookmarks/{bookmark.pk}/delete/",
    ]  # fmt: skip
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    for url in urls:
        response = client.post(url, {"title": "x", "text": "x", "post": "1"})
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode() or "Forbidden" in response.content.decode(), url
    assert Work.objects.filter(pk=work.pk).exists() and Draft.objects.filter(pk=draft.pk).exists()
    assert work.comments.count() == 1 and writer.bookmarks.count() == 1


@pytest.mark.parametrize(
    "url",
    ["/works/new/?draft=abc", "/works/new/?draft=999", "/works/999/edit/", "/series/999/edit/",
     "/works/999/chapters/new/", "/works/{id}/chapters/9/edit/"],
)  # fmt: skip
def test_bad_addresses_are_404_pages_not_errors(client, writer, url):
    work = post(writer)
    client.force_login(writer)
    assert client.get(url.format(id=work.pk)).status_code == 404


def test_a_bad_reorder_is_explained(client, writer):
    work = post(writer)
    chapter = work.chapters.get()
    client.force_login(writer)
    response = client.post(f"/works/{work.pk}/chapters/order/", {f"position-{chapter.pk}": "first"})
    assert (
        response.status_code == 400 and "Give every chapter a number." in response.content.decode()
    )
