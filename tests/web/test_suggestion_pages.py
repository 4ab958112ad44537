"""The work page's suggested tags and cast list, and the review buttons behind them."""

import re

import pytest
from django.urls import reverse

from ficarchive.archive.models import Tag, WorkTag
from tests.archive.conftest import BTVS, SPIKE
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def review_url(work_tag: WorkTag) -> str:
    return reverse("archive:review_suggestion", args=[work_tag.work_id, work_tag.pk])


def suggestion(work, name: str) -> WorkTag:
    return WorkTag.objects.get(work=work, source="analysis", tag__name=name)


def named(name: str) -> str:
    """A suggestion's name as the block shows it (not as part of a relationship)."""
    return f'<span class="name">{name}</span>'


def split_page(client, work) -> tuple[str, str]:
    """(the page up to the suggested block, the block and after) of the work page."""
    page = client.get(work.get_absolute_url()).content.decode()
    before, marker, after = page.partition('id="suggestions"')
    assert marker, "no suggested block on the page"
    return before, after


def test_suggestions_are_shown_apart_with_confidence(client, analysed_work, writer):
    client.force_login(writer)  # the work's creator: suggestions are for the people who review
    before, block = split_page(client, analysed_work)
    block = block[: block.index("</section>")]
    assert BTVS not in before and "Original Work" in before  # creator's tags above, not mixed
    assert 'class="userstuff"' in before  # after the story, never above the title
    assert "Suggested by analysis" in block and "(machine-made, not yet reviewed)" in block
    assert re.search(
        rf'<span class="name">{BTVS}</span>\s*<span class="confidence"[^>]*>93%', block
    )
    assert re.search(
        r"Buffy Summers/Spike \(Buffy the Vampire Slayer\)</span>\s*<span[^>]*>71%", block
    )


def test_readers_never_see_suggestions(client, analysed_work, reader):
    for who in (None, reader):
        if who:
            client.force_login(who)
        page = client.get(analysed_work.get_absolute_url()).content.decode()
        assert 'id="suggestions"' not in page and '<span class="name">' not in page
        assert "Accept" not in page and "machine-made, not yet reviewed" not in page


def test_reviewers_get_buttons_and_see_rejected_ones(client, analysed_work, writer):
    WorkTag.objects.filter(pk=suggestion(analysed_work, SPIKE).pk).update(status="rejected")
    assert named(SPIKE) not in client.get(analysed_work.get_absolute_url()).content.decode()

    client.force_login(writer)
    _, block = split_page(client, analysed_work)
    pending = suggestion(analysed_work, BTVS)
    assert f'action="{review_url(pending)}"' in block and "csrfmiddlewaretoken" in block
    assert 'value="accept">Accept</button>' in block and 'value="reject">Reject</button>' in block
    reviewed = block[block.index("Reviewed suggestions") :]
    assert named(SPIKE) in reviewed and "Rejected" in reviewed
    assert f'action="{review_url(suggestion(analysed_work, SPIKE))}"' in reviewed


def test_cast_list_with_dialogue_shares(client, analysed_work):
    page = client.get(analysed_work.get_absolute_url()).content.decode()
    start = page.index('<details class="cast"')
    cast = page[start : page.index("</details>", start)]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>", cast, re.S)
    shown = [(re.sub(r"<[^>]+>", "|", name), re.findall(r"(\d+)%", share)) for name, share in rows]
    assert shown == [
        ("The narrator", ["8", "8"]),  # bar width and the figure
        ("Buffy Summers", ["46", "46"]),  # its canonical tag is its name: not repeated
        (f"Spike|{SPIKE}|", ["31", "31"]),
        ("Dawn Summers", ["5", "5"]),
    ]
    assert "Dialogue is 42% of the text; 10% could not be given to anyone." in cast
    assert "Clem" not in page
    stats = re.search(r'<p class="stats">(.*?)</p>', page, re.S).group(1)
    assert "Reading time 1 h 15 min" in stats
    assert "Narration: first person, past tense" in stats


def test_the_note_tells_unnamed_speakers_from_unknown_ones(client, parsed_work, use_analysis):
    from ficarchive.analysis.model import Analysis, Character
    from ficarchive.archive import actions

    nell = Character("Nell Harrow", mentions=4, dialogue_share=0.5)
    use_analysis(Analysis(characters=[nell], dialogue_share=0.3, unnamed_share=0.3))
    work = actions.import_work(parsed_work(), raw=b"nell").work
    assert work.analysis["unnamed_share"] == 0.3 and work.analysis["unattributed_share"] == 0.2
    page = client.get(work.get_absolute_url()).content.decode()
    assert (
        "Dialogue is 30% of the text; 30% of it is spoken by people the story does not name;"
        " 20% could not be given to anyone."
    ) in page


def test_a_named_narrator_is_marked(client, parsed_work, use_analysis):
    from ficarchive.analysis.model import Analysis, Character
    from ficarchive.archive import actions

    narrator = Character("Faith Lehane", mentions=3, narrator=True, dialogue_share=1.0)
    use_analysis(Analysis(characters=[narrator], pov="first", dialogue_share=0.2))
    work = actions.import_work(parsed_work(), raw=b"faith").work
    page = client.get(work.get_absolute_url()).content.decode()
    assert '<th scope="row">Faith Lehane <span class="narrator">narrator</span></th>' in page


def test_a_work_without_analysis_shows_neither(client, parsed_work):
    from ficarchive.archive import actions

    work = actions.import_work(parsed_work(), raw=b"plain", analyse=False).work
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'id="suggestions"' not in page and 'class="cast"' not in page
    assert "Reading time" not in page and "Narration" not in page


def test_chapter_pages_show_them_too(client, analysed_work, writer):
    url = reverse("archive:chapter", args=[analysed_work.pk, 2])
    page = client.get(url).content.decode()
    assert 'id="suggestions"' not in page and 'class="cast"' in page  # the cast is for everyone
    client.force_login(writer)
    page = client.get(url).content.decode()
    assert 'id="suggestions"' in page and 'class="cast"' in page


@pytest.mark.parametrize(("persona", "decision"), [("writer", "accept"), ("archivist", "reject")])
def test_reviewers_decide(client, request, analysed_work, persona, decision):
    client.force_login(request.getfixturevalue(persona))
    work_tag = suggestion(analysed_work, BTVS)
    response = client.post(review_url(work_tag), {"decision": decision}, follow=True)
    assert response.redirect_chain == [(f"{analysed_work.get_absolute_url()}#suggestions", 302)]
    assert WorkTag.objects.get(pk=work_tag.pk).status == f"{decision}ed".replace("ee", "e")
    assert ("Accepted “" if decision == "accept" else "Rejected “") in response.content.decode()


def test_anonymous_is_sent_to_log_in_and_back_to_the_work(client, analysed_work):
    work_tag = suggestion(analysed_work, BTVS)
    response = client.post(review_url(work_tag), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={analysed_work.get_absolute_url()}"
    assert WorkTag.objects.get(pk=work_tag.pk).status == "pending"


def test_a_creator_logs_in_and_reviews(client, analysed_work, writer):
    """Not staff: the site's own login page admits any account, then the buttons work."""
    url = analysed_work.get_absolute_url()
    page = client.get(f"/accounts/login/?next={url}")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    login = {"username": writer.username, "next": url}
    bad = client.post("/accounts/login/", {**login, "password": "nope"})
    assert bad.status_code == 200 and "didn't match" in bad.content.decode()
    response = client.post("/accounts/login/", {**login, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    work_tag = suggestion(analysed_work, BTVS)
    client.post(review_url(work_tag), {"decision": "accept"})
    assert WorkTag.objects.get(pk=work_tag.pk).status == "accepted"
    client.post("/accounts/logout/")
    assert "Log in" in client.get(url).content.decode()


def test_another_user_is_refused(client, analysed_work, reader):
    client.force_login(reader)
    work_tag = suggestion(analysed_work, BTVS)
    response = client.post(review_url(work_tag), {"decision": "accept"})
    assert (
        response.status_code == 403 and "Only the work&#x27;s creators" in response.content.decode()
    )
    assert WorkTag.objects.get(pk=work_tag.pk).status == "pending"


@pytest.mark.parametrize(
    ("method", "data", "status"),
    [
        ("get", None, 405),
        ("post", {"decision": "maybe"}, 400),
        ("post", {}, 400),
        ("post", {"decision": ["accept", "reject"]}, 200),  # the last value wins, as in Django
    ],
)
def test_bad_requests_are_4xx_pages(client, analysed_work, archivist, method, data, status):
    client.force_login(archivist)
    work_tag = suggestion(analysed_work, BTVS)
    response = getattr(client, method)(review_url(work_tag), data, follow=status == 200)
    assert response.status_code == status
    assert b"Traceback" not in response.content
    if status == 400:
        assert b"Choose Accept or Reject" in response.content
        assert WorkTag.objects.get(pk=work_tag.pk).status == "pending"


def test_only_this_works_suggestions_are_reviewed(client, analysed_work, archivist):
    client.force_login(archivist)
    own = WorkTag.objects.get(work=analysed_work, tag__name="Original Work")
    pending = suggestion(analysed_work, BTVS)
    for url in (
        review_url(own),  # the creator's tag is not a suggestion
        reverse("archive:review_suggestion", args=[analysed_work.pk + 1, pending.pk]),
        reverse("archive:review_suggestion", args=[analysed_work.pk, 99999999999999999999999]),
    ):
        assert client.post(url, {"decision": "reject"}).status_code == 404, url
    assert WorkTag.objects.get(pk=own.pk).status == "accepted"


def test_the_form_needs_its_csrf_token(analysed_work, writer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    work_tag = suggestion(analysed_work, BTVS)
    assert client.post(review_url(work_tag), {"decision": "accept"}).status_code == 403
    assert WorkTag.objects.get(pk=work_tag.pk).status == "pending"


def test_accepted_suggestions_count_publicly_pending_and_rejected_do_not(
    client, analysed_work, writer
):
    fandom = Tag.objects.get(type="fandom", name=BTVS)
    spike = Tag.objects.get(type="character", name=SPIKE)
    buffy = Tag.objects.get(type="character", name="Buffy Summers")
    client.force_login(writer)
    client.post(review_url(suggestion(analysed_work, BTVS)), {"decision": "accept"})
    client.post(review_url(suggestion(analysed_work, SPIKE)), {"decision": "reject"})
    client.logout()

    def lists_the_work(url: str) -> bool:
        return "A Test Work" in client.get(url).content.decode()

    assert lists_the_work(fandom.get_absolute_url())
    assert not lists_the_work(spike.get_absolute_url())  # rejected
    assert not lists_the_work(buffy.get_absolute_url())  # still pending
    fandoms = client.get(reverse("archive:tags", args=["fandom"])).content.decode()
    characters = client.get(reverse("archive:tags", args=["character"])).content.decode()
    assert BTVS in fandoms and SPIKE not in characters and "Buffy Summers" not in characters
    page = client.get(analysed_work.get_absolute_url()).content.decode()
    assert BTVS in page and 'id="suggestions"' not in page  # a tag now; readers see no others
    client.force_login(writer)
    before, block = split_page(client, analysed_work)
    assert BTVS in before  # now one of the work's tags, with the creator's
    assert named(BTVS) not in block.split("Reviewed suggestions")[0]
    assert named(SPIKE) not in block.split("Reviewed suggestions")[0]
    assert named("Buffy Summers") in block


def test_private_contact_is_not_on_the_analysed_pages(client, analysed_work, writer):
    client.force_login(writer)
    for url in (
        analysed_work.get_absolute_url(),
        reverse("archive:chapter", args=[analysed_work.pk, 1]),
    ):
        assert b"secret.writer" not in client.get(url).content


def test_work_page_query_count(client, analysed_work, writer, django_assert_max_num_queries):
    # A first visit also counts a hit (an update and a search queue row) and looks up the
    # work's series; logged in, the reading history, inbox badge, the reader's bookmark and
    # subscription state, the editing tools, the viewer's own held comments, the reader's
    # preferences and the work's gifts add a query each.
    with django_assert_max_num_queries(8):
        assert client.get(analysed_work.get_absolute_url()).status_code == 200
    client.force_login(writer)
    with django_assert_max_num_queries(18):
        assert client.get(analysed_work.get_absolute_url()).status_code == 200
