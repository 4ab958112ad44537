import pytest
from django.urls import reverse

from ficarchive.archive import actions
from ficarchive.archive.models import Pseud, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(parsed_work):
    return actions.import_work(parsed_work(), raw=b"the work").work


def test_home_and_index_show_blurbs(client, work):
    for url in (reverse("archive:home"), reverse("archive:works")):
        page = client.get(url).content.decode()
        assert "A Test Work" in page and "Test Writer" in page and "Ann/Bea" in page
        assert "Original Work" in page and "2/2" in page


def test_index_query_count_does_not_grow_with_works(
    client, parsed_work, django_assert_max_num_queries
):
    for n in range(15):
        actions.import_work(parsed_work(f"Work {n}", creator=f"Writer {n}"), raw=f"{n}".encode())
    # /works/ is a search: the first one after the imports indexes them (and renders their
    # blurbs) once; every list page after it reads the stored blurbs.
    assert client.get(reverse("archive:works")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("archive:works")).status_code == 200


def test_work_page_renders_epigraph_scene_breaks_and_chapters(client, work):
    page = client.get(work.get_absolute_url()).content.decode()
    assert '<blockquote class="epigraph">' in page
    assert '<hr class="scene-break">' in page
    assert "Chapter 1</a>: Part the 1" in page and "Chapter 2</a>: Part the 2" in page


def test_a_work_not_in_english_says_the_analysis_did_not_run(client, parsed_work):
    english = actions.import_work(parsed_work("Harbour"), raw=b"en").work
    french = actions.import_work(parsed_work("Le Port", language="fr"), raw=b"fr").work
    note = "the analysis reads English works only"
    assert note in client.get(french.get_absolute_url()).content.decode()
    assert note not in client.get(english.get_absolute_url()).content.decode()


def test_chapter_navigation(client, work):
    first = client.get(reverse("archive:chapter", args=[work.pk, 1])).content.decode()
    assert "Next chapter" in first and "Previous chapter" not in first
    assert "Chapter 2 begins" not in first
    second = client.get(reverse("archive:chapter", args=[work.pk, 2])).content.decode()
    assert "Previous chapter" in second and "Next chapter" not in second
    assert client.get(reverse("archive:chapter", args=[work.pk, 9])).status_code == 404


def test_private_contact_is_never_rendered(client, work, admin_client):
    pseud = Pseud.objects.get()
    tag = Tag.objects.get(type="fandom")
    urls = [
        reverse("archive:home"),
        reverse("archive:works"),
        work.get_absolute_url(),
        reverse("archive:chapter", args=[work.pk, 1]),
        pseud.get_absolute_url(),
        tag.get_absolute_url(),
        reverse("archive:tags", args=["fandom"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"secret.writer" not in response.content, url
    from ficarchive.archive.models import Source

    source = Source.objects.get()
    for url in (
        "/admin/archive/pseud/",
        f"/admin/archive/pseud/{pseud.pk}/change/",
        "/admin/archive/creator/",
        f"/admin/archive/creator/{pseud.creator_id}/change/",
        "/admin/archive/source/",
        f"/admin/archive/source/{source.pk}/change/",
        "/admin/archive/work/",
        f"/admin/archive/work/{work.pk}/change/",
        f"/admin/archive/work/{work.pk}/delete/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert b"secret.writer" not in response.content, url
    assert admin_client.get("/admin/archive/contact/").status_code == 404


def test_creator_and_tag_pages_list_works(client, work):
    assert "A Test Work" in client.get(Pseud.objects.get().get_absolute_url()).content.decode()
    tag = Tag.objects.get(type="relationship")
    page = client.get(tag.get_absolute_url()).content.decode()
    assert "Relationship: Ann/Bea" in page and "A Test Work" in page


def test_synonym_tag_page_shows_the_canonical_tags_works(client, work):
    canonical = Tag.objects.get(type="relationship")
    synonym = Tag.objects.create(
        type="relationship", name="Bea/Ann", slug="bea-ann", merger=canonical
    )
    page = client.get(synonym.get_absolute_url()).content.decode()
    assert "Relationship: Ann/Bea" in page and "A Test Work" in page


@pytest.mark.parametrize(
    "url",
    [
        "/works/?page=abc",
        "/works/?page=99999",
        "/works/123456/",
        "/nowhere/",
        "/tags/bogus/",
        "/creators/nobody/",
    ],
)
def test_errors_are_pages_not_tracebacks(client, work, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Not found" in response.content and b"Traceback" not in response.content


def test_untitled_work_is_marked(client, parsed_work):
    work = actions.import_work(parsed_work("Untitled", title_missing=True), raw=b"u").work
    assert "(untitled)" in client.get(work.get_absolute_url()).content.decode()


def test_plural_tag_labels(client, parsed_work):
    from ficarchive.text.model import Tag as ParsedTag
    from ficarchive.text.model import TagType

    work = parsed_work()
    work.tags += [ParsedTag(TagType.CATEGORY, "F/M"), ParsedTag(TagType.CATEGORY, "Gen")]
    stored = actions.import_work(work, raw=b"plural").work
    page = client.get(stored.get_absolute_url()).content.decode()
    assert "<dt>Categories</dt>" in page and "<dt>Relationship</dt>" in page
    assert (
        "<h1>Categories</h1>"
        in client.get(reverse("archive:tags", args=["category"])).content.decode()
    )


def test_chapter_index_form_works_without_javascript(client, work):
    jump = reverse("archive:chapter_jump", args=[work.pk])
    page = client.get(reverse("archive:chapter", args=[work.pk, 1])).content.decode()
    assert f'action="{jump}"' in page and '<option value="1" selected>' in page
    response = client.get(jump, {"chapter": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:chapter", args=[work.pk, 2])
    assert client.get(jump, {"chapter": "two"}).status_code == 404
    assert client.get(jump, {"chapter": "9"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "is not a page number"),
        ("page=99999", "they fill 1 page."),
        ("page=-1", "There is no page -1"),
        ("page=1e400", "is not a page number"),
        ("page=99999999999999999999999999", "There is no page"),
    ],
)
def test_absurd_page_numbers_get_a_helpful_404(client, work, query, message):
    response = client.get(f"{reverse('archive:works')}?{query}")
    assert response.status_code == 404 and message in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/works/99999999999999999999999/", "/works/1/chapters/99999999999999999999999/"]
)
def test_huge_ids_are_not_found_not_errors(client, work, url):
    assert client.get(url).status_code == 404


def test_server_errors_render_the_error_page(client, monkeypatch):
    from ficarchive.archive import views

    def broken():
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(views, "blurb_queryset", broken)
    client.raise_request_exception = False
    response = client.get(reverse("archive:home"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"simulated" not in response.content


def test_blurb_shows_rating_badge_status_and_chapter_count(client, parsed_work):
    in_progress = parsed_work("Ongoing", complete=False, rating="Explicit")
    planned = parsed_work("Planned", complete=False, expected_chapters=5, rating=None)
    actions.import_work(in_progress, raw=b"ongoing")
    actions.import_work(planned, raw=b"planned")
    page = client.get(reverse("archive:works")).content.decode()
    assert 'rating-badge rating-explicit" title="Rating: Explicit"' in page
    assert 'rating-badge rating-not-rated" title="Rating: Not Rated"' in page
    assert "<dd>2/?</dd>" in page and "<dd>2/5</dd>" in page
    assert '<span class="status incomplete">In progress</span>' in page


def test_home_query_count_does_not_grow_with_works(
    client, parsed_work, django_assert_max_num_queries
):
    for n in range(12):
        actions.import_work(parsed_work(f"Work {n}", creator=f"Writer {n}"), raw=f"{n}".encode())
    with django_assert_max_num_queries(5):
        assert client.get(reverse("archive:home")).status_code == 200


def test_pages_use_no_external_resources_or_scripts(client, work):
    for url in (reverse("archive:home"), work.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "http://" not in page and "https://" not in page and "<script" not in page
        assert 'href="/static/archive/site.css"' in page


def test_pending_and_rejected_tags_are_not_public(client, work, archivist):
    from ficarchive.archive.models import WorkTag

    for name, status in (("Maybe Angst", "pending"), ("Not Fluff", "rejected")):
        tag = Tag.objects.create(type="freeform", name=name, slug=name.lower().replace(" ", "-"))
        WorkTag.objects.create(work=work, tag=tag, source="analysis", status=status)
    listing = client.get(reverse("archive:works")).content.decode()
    assert "Ann/Bea" in listing and "Maybe Angst" not in listing and "Not Fluff" not in listing
    # Readers never see a suggestion on the work page; an archivist sees a pending one only in
    # its own block, after the work's tags.
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Ann/Bea" in page and "Maybe Angst" not in page and "Not Fluff" not in page
    client.force_login(archivist)
    tags, _, suggested = (
        client.get(work.get_absolute_url()).content.decode().partition('id="suggestions"')
    )
    assert "Ann/Bea" in tags and "Maybe Angst" not in tags and "Maybe Angst" in suggested
    assert "Not Fluff" not in tags and "Not Fluff" in suggested.split("Reviewed suggestions")[1]
    client.logout()
    pending = Tag.objects.get(name="Maybe Angst")
    assert "A Test Work" not in client.get(pending.get_absolute_url()).content.decode()
    assert (
        "Maybe Angst" not in client.get(reverse("archive:tags", args=["freeform"])).content.decode()
    )


def test_creator_page_lists_the_creators_other_pseuds(client, work):
    pseud = Pseud.objects.get()
    Pseud.objects.create(creator=pseud.creator, name="Another Name", slug="another-name")
    page = client.get(pseud.get_absolute_url()).content.decode()
    assert "Also writes as" in page and "/creators/another-name/" in page
