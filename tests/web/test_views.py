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
    with django_assert_max_num_queries(6):
        assert client.get(reverse("archive:works")).status_code == 200


def test_work_page_renders_epigraph_scene_breaks_and_chapters(client, work):
    page = client.get(work.get_absolute_url()).content.decode()
    assert '<blockquote class="epigraph">' in page
    assert '<hr class="scene-break">' in page
    assert "Chapter 1</a>: Part the 1" in page and "Chapter 2</a>: Part the 2" in page


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
    for url in (
        "/admin/archive/pseud/",
        f"/admin/archive/pseud/{pseud.pk}/change/",
        "/admin/archive/source/",
    ):
        assert b"secret.writer" not in admin_client.get(url).content, url


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
