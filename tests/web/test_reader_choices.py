"""The reader's choices on work pages, persona by persona: the adult-content question, folded
warnings and additional tags, whole works or chapters, who sees the machine's suggestions, and
/works/ as a search with the sidebar."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import update_preferences
from ficarchive.accounts.permissions import can_review_suggestions
from ficarchive.accounts.preferences import ReadingPreferences
from ficarchive.archive import actions
from ficarchive.archive.languages import language_name
from ficarchive.archive.models import Tag, Work, WorkTag
from ficarchive.posting.actions import ChapterData, add_chapter
from ficarchive.search.indexing import enqueue
from tests.personas import post

pytestmark = pytest.mark.django_db

QUESTION = "This work could have adult content."


def asks(client, url: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return QUESTION in page and 'class="userstuff"' not in page


def proceed(client, work, next_url: str):
    return client.post(reverse("archive:adult_consent", args=[work.pk]), {"next": next_url})


# The adult-content question


@pytest.mark.parametrize(
    ("rating", "asked"),
    [
        ("General Audiences", False),
        ("Teen And Up Audiences", False),
        ("Mature", True),
        ("Explicit", True),
        ("Not Rated", True),
        ("", True),  # no rating chosen: anything may be in it
    ],
)
def test_which_ratings_ask(client, writer, rating, asked):
    work = post(writer, rating=rating)
    assert asks(client, work.get_absolute_url()) is asked


def test_a_visitor_is_asked_once_per_session(client, writer):
    mature = post(writer, title="Night Watch", rating="Mature")
    explicit = post(writer, title="Storm", rating="Explicit", text="The storm broke.")
    url = mature.get_absolute_url()
    assert asks(client, url)
    page = client.get(url).content.decode()
    assert "If you continue, you have agreed that you are willing to see such content." in page
    assert 'id="adult-proceed"' in page and 'id="adult-back"' in page and "Proceed" in page
    assert Work.objects.get(pk=mature.pk).hits_count == 0  # no hit before proceeding
    response = proceed(client, mature, url)
    assert response.status_code == 302 and response["Location"] == url
    assert not asks(client, url)
    assert not asks(client, explicit.get_absolute_url())  # remembered for every work
    assert not asks(client, explicit.chapters.first().get_absolute_url())
    assert asks(Client(), url)  # a new browser session is asked again


def test_chapter_pages_ask_too(client, writer):
    work = post(writer, rating="Explicit")
    add_chapter(writer, work, ChapterData(text="The second letter came."))
    chapter = reverse("archive:chapter", args=[work.pk, 2])
    assert asks(client, chapter)
    assert proceed(client, work, chapter)["Location"] == chapter
    assert not asks(client, chapter)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_proceeding_never_leaves_the_site(client, writer, next_url):
    work = post(writer, rating="Mature")
    response = proceed(client, work, next_url)
    assert response["Location"] == work.get_absolute_url()


def test_proceeding_takes_a_post_only(client, writer):
    work = post(writer, rating="Mature")
    assert client.get(reverse("archive:adult_consent", args=[work.pk])).status_code == 405
    assert asks(client, work.get_absolute_url())


def test_a_reader_with_the_question_off_is_never_asked(client, writer, reader):
    work = post(writer, rating="Explicit")
    client.force_login(reader)
    assert asks(client, work.get_absolute_url())  # the default asks, accounts too
    fresh = Client()
    fresh.force_login(reader)
    update_preferences(reader, ReadingPreferences(adult_content_prompt=False))
    assert not asks(fresh, work.get_absolute_url())
    assert not asks(fresh, work.chapters.first().get_absolute_url())


def test_creators_are_not_asked_about_their_own_work(client, writer, archivist):
    work = post(writer, rating="Explicit")
    other = post(archivist, title="Another", rating="Explicit", text="Another text.")
    client.force_login(writer)
    assert not asks(client, work.get_absolute_url())
    assert asks(client, other.get_absolute_url())
    archivist_client = Client()
    archivist_client.force_login(archivist)
    assert asks(archivist_client, work.get_absolute_url())  # archivists are asked like anyone


def test_visitors_are_told_accounts_can_turn_it_off(client, writer, reader):
    work = post(writer, rating="Mature")
    assert (
        "With an account, you can turn them off"
        in client.get(work.get_absolute_url()).content.decode()
    )
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'href="{reverse("accounts:preferences")}">preferences</a>' in page


# Hidden warnings and additional tags


def test_a_reader_with_hide_warnings_sees_warnings_hidden(client, writer, reader):
    work = post(writer, tags={"warning": ["Major Character Death"], "freeform": ["Letters"]})
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Warnings hidden" not in page and "Major Character Death" in page
    update_preferences(reader, ReadingPreferences(hide_warnings=True))
    page = client.get(work.get_absolute_url()).content.decode()
    folded = re.search(
        r'<details class="hidden-tags"><summary>Warnings hidden, click to show</summary>(.*?)</details>',
        page,
        re.S,
    )
    assert folded and "Major Character Death" in folded.group(1)
    assert page.count("Major Character Death") == 1  # only inside the fold
    assert "Additional tags hidden" not in page
    update_preferences(reader, ReadingPreferences(hide_freeforms=True))
    page = client.get(work.get_absolute_url()).content.decode()
    folded = re.search(
        r"<summary>Additional tags hidden, click to show</summary>(.*?)</details>", page, re.S
    )
    assert folded and ">Letters</a>" in folded.group(1) and "Warnings hidden" not in page


# Whole works or chapter by chapter; summary and notes once


@pytest.fixture
def three_chapters(writer):
    work = post(writer, summary="A summary said once.", notes="Notes said once.")
    add_chapter(writer, work, ChapterData(text="Second.", notes="Notes of chapter two."))
    add_chapter(writer, work, ChapterData(text="Third."))
    return work


def test_chapter_by_chapter_readers_open_the_first_chapter(client, three_chapters, reader):
    url = three_chapters.get_absolute_url()
    assert client.get(url).status_code == 200  # visitors read whole works
    client.force_login(reader)
    update_preferences(reader, ReadingPreferences(view_entire_work=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:chapter", args=[three_chapters.pk, 1])
    chapter = client.get(response["Location"]).content.decode()
    entire = f'href="{url}?view_full_work=true">Entire work</a>'
    assert entire in chapter
    whole = client.get(f"{url}?view_full_work=true")
    assert whole.status_code == 200 and "Third." in whole.content.decode()


def test_summary_and_notes_are_not_repeated_on_later_chapters(client, three_chapters):
    first = client.get(reverse("archive:chapter", args=[three_chapters.pk, 1])).content.decode()
    second = client.get(reverse("archive:chapter", args=[three_chapters.pk, 2])).content.decode()
    whole = client.get(three_chapters.get_absolute_url()).content.decode()
    for page in (first, whole):
        assert "A summary said once." in page and "Notes said once." in page
    assert "A summary said once." not in second and "Notes said once." not in second
    assert "Notes of chapter two." in second  # the chapter's own notes stay


def test_the_story_comes_before_the_folded_extras(client, three_chapters):
    page = client.get(three_chapters.get_absolute_url()).content.decode()
    title = page.index('<h1 class="title"')
    assert title < page.index('class="work-meta"') < page.index('class="userstuff"')
    assert re.search(r'<details class="notes"><summary>Notes</summary>', page)
    assert re.search(r'<details class="downloads"><summary>Download</summary>', page)


# Machine suggestions: creators and archivists only


@pytest.fixture
def suggested(posted_work):
    tag = Tag.objects.create(type="character", name="Guessed Keeper", slug="guessed-keeper")
    WorkTag.objects.create(
        work=posted_work, tag=tag, source=WorkTag.Source.ANALYSIS, status=WorkTag.Status.PENDING
    )
    return posted_work


@pytest.mark.parametrize(
    ("persona", "sees"),
    [(None, False), ("reader", False), ("stranger", False), ("writer", True), ("archivist", True)],
)
def test_only_creators_and_archivists_see_suggestions(client, request, suggested, persona, sees):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in (suggested.get_absolute_url(), suggested.chapters.first().get_absolute_url()):
        page = client.get(url).content.decode()
        assert ("Guessed Keeper" in page) is sees
        assert ('id="suggestions"' in page) is sees
        if sees:  # after the story, never above the title
            assert page.index('<h1 class="title"') < page.index('class="userstuff"')
            assert page.index('class="userstuff"') < page.index('id="suggestions"')


def test_can_review_suggestions(suggested, writer, reader, archivist):
    from django.contrib.auth.models import AnonymousUser

    assert can_review_suggestions(writer, suggested) and can_review_suggestions(
        archivist, suggested
    )
    assert not can_review_suggestions(reader, suggested)
    assert not can_review_suggestions(AnonymousUser(), suggested)


def test_reviewers_can_turn_suggestions_off(client, suggested, writer):
    client.force_login(writer)
    update_preferences(writer, ReadingPreferences(show_suggestions=False))
    assert "Guessed Keeper" not in client.get(suggested.get_absolute_url()).content.decode()


# /works/: the search, with its sidebar; languages by name; the favicon


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("en", "English"),
        ("fr", "Français"),
        ("de", "Deutsch"),
        ("zh", "中文"),
        ("pt-br", "Português Brasileiro"),
        ("es", "Español"),
        ("xx", "xx"),
        ("", ""),
    ],
)
def test_language_names(code, name):
    assert language_name(code) == name


def test_works_index_is_newest_first_with_the_search_sidebar(client, parsed_work):
    for n, day in ((1, 3), (2, 9), (3, 5)):
        work = actions.import_work(
            parsed_work(f"Work {n}", creator=f"Writer {n}"), raw=f"{n}".encode()
        ).work
        Work.objects.filter(pk=work.pk).update(
            updated=dt.date(2024, 1, day), language="fr" if n == 3 else "en"
        )
        enqueue([work.pk])
    page = client.get("/works/").content.decode()
    titles = re.findall(r'<h3 class="heading"><a [^>]*>(Work \d)</a>', page)
    assert titles == ["Work 2", "Work 3", "Work 1"]
    assert '<aside class="filters"' in page and 'action="/works/"' in page
    assert '<option value="updated" selected>' in page
    assert '<option value="fr">Français</option>' in page
    by_title = client.get("/works/?sort=title").content.decode()
    assert re.findall(r'<h3 class="heading"><a [^>]*>(Work \d)</a>', by_title) == [
        "Work 1",
        "Work 2",
        "Work 3",
    ]
    french = client.get("/works/?language=fr").content.decode()
    assert re.findall(r'<h3 class="heading"><a [^>]*>(Work \d)</a>', french) == ["Work 3"]
    assert "<dd>Français</dd>" in french  # the blurb names the language


def test_the_work_page_names_its_language(client, writer):
    work = post(writer, language="fr")
    assert '<dd lang="fr">Français</dd>' in client.get(work.get_absolute_url()).content.decode()


def test_favicon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/archive/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/archive/favicon.svg"


def test_only_archivists_count_suggestions_in_a_search(client, suggested, writer, archivist):
    tag = Tag.objects.get(name="Guessed Keeper")
    url = f"/search/?include={tag.pk}&suggested=1"
    for who in (None, writer):  # even its creator: a search spans everyone's works
        if who:
            client.force_login(who)
        page = client.get(url).content.decode()
        assert "0 works" in page and "Counting machine-suggested tags is for archivists" in page
        assert 'name="suggested"' not in page
        api = client.get(f"/api/v1/search?include={tag.pk}&suggested=true").json()
        assert api["total"] == 0 and any("for archivists" in m for m in api["messages"])
    client.force_login(archivist)
    page = client.get(url).content.decode()
    assert "1 work" in page and "Guessed Keeper" in page and 'name="suggested"' in page
    assert client.get(f"/api/v1/search?include={tag.pk}&suggested=true").json()["total"] == 1
