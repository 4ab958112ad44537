"""Hidden works: gone from every public surface, still open to their creators and archivists."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficarchive.accounts.actions import assign_creator, delete_account
from ficarchive.archive import actions
from ficarchive.archive.models import Tag, Work
from ficarchive.moderation.actions import hide as hide_work
from ficarchive.moderation.actions import restore as restore_work
from ficarchive.search import indexing
from tests.claims.conftest import imported
from tests.conftest import make_parsed_work

HIDDEN, KEPT = "Moonlit Orchard", "Brass Lantern"


def _tag_url(name: str, suffix: str = "") -> str:
    return Tag.objects.get(name=name).get_absolute_url() + suffix


# Every surface that lists works, with its address (built from the imported works). Each shows
# the kept work, so an empty page cannot pass for a hidden work.
SURFACES = {
    "home page": lambda j: "/",
    "work list": lambda j: "/works/",
    "pseud page": lambda j: j.pseud.get_absolute_url(),
    "tag page": lambda j: _tag_url("Original Work"),
    "search": lambda j: "/search/?q=juniper",
    "search json": lambda j: "/search.json?q=juniper",
    "tag feed (Atom)": lambda j: _tag_url("Original Work", "feed/"),
    "creator feed (Atom)": lambda j: f"/creators/{j.pseud.slug}/feed/",
    "newest (OPDS)": lambda j: "/opds/new/",
    "creator (OPDS)": lambda j: f"/opds/creators/{j.pseud.slug}/",
    "tag (OPDS)": lambda j: f"/opds/tags/{Tag.objects.get(name='Original Work').pk}/",
    "search (OPDS)": lambda j: "/opds/search/?q=juniper",
    "work list (API)": lambda j: "/api/v1/works",
    "creator (API)": lambda j: f"/api/v1/creators/{j.pseud.slug}",
    "search (API)": lambda j: "/api/v1/search?q=juniper",
}


@pytest.fixture
def hidden(juniper, archivist):
    hide_work(juniper.hidden, by=archivist, reason="under review for plagiarism")
    return juniper


@pytest.mark.parametrize("surface", SURFACES)
def test_a_hidden_work_is_on_no_public_surface(client, hidden, surface):
    response = client.get(SURFACES[surface](hidden))
    assert response.status_code == 200
    page = response.content.decode()
    assert KEPT in page
    assert HIDDEN not in page


@pytest.mark.parametrize("surface", SURFACES)
def test_a_restored_work_is_back_on_every_surface(client, hidden, archivist, surface):
    restore_work(hidden.hidden, by=archivist)
    assert HIDDEN in client.get(SURFACES[surface](hidden)).content.decode()


def test_the_search_index_drops_a_hidden_work_and_takes_it_back(juniper, archivist):
    def found() -> set[int]:
        from ficarchive.search.criteria import Criteria
        from ficarchive.search.query import parse_query

        return set(indexing.ready().search(Criteria(query=parse_query("juniper"))).ids)

    assert found() == {juniper.hidden.pk, juniper.kept.pk}
    hide_work(juniper.hidden, by=archivist, reason="a reason")
    assert found() == {juniper.kept.pk}
    indexing.reindex()  # a rebuild from the database leaves it out too
    assert found() == {juniper.kept.pk}
    restore_work(juniper.hidden, by=archivist)
    assert found() == {juniper.hidden.pk, juniper.kept.pk}


def test_a_tag_only_hidden_works_carry_is_not_listed(client, hidden):
    assert "Orchard Secrets" not in client.get("/tags/freeform/").content.decode()
    assert "Orchard Secrets" not in client.get("/opds/tags/type/freeform/").content.decode()
    tags = client.get("/api/v1/tags", {"type": "freeform"}).json()["items"]
    assert all(t["name"] != "Orchard Secrets" or t["works"] == 0 for t in tags)


def test_counts_leave_hidden_works_out(client, hidden):
    assert client.get(f"/api/v1/creators/{hidden.pseud.slug}").json()["works"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/works/{id}/",
        "/works/{id}/chapters/1/",
        "/works/{id}/download/epub/",
        "/works/{id}/chapters/feed/",
        "/api/v1/works/{id}",
        "/api/v1/works/{id}/chapters/1",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "reader", "stranger"])
def test_others_cannot_open_a_hidden_work(client, hidden, request, path, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(path.format(id=hidden.hidden.pk)).status_code == 404


def test_its_creator_opens_it_and_sees_why(client, hidden, archivist, writer):
    assign_creator(archivist, hidden.creator, writer)
    client.force_login(writer)
    for path in (f"/works/{hidden.hidden.pk}/", f"/works/{hidden.hidden.pk}/chapters/1/"):
        page = client.get(path).content.decode()
        assert HIDDEN in page
        assert "This work is hidden" in page
        assert "under review for plagiarism" in page
    assert HIDDEN not in client.get("/works/").content.decode()  # still in no list


def test_an_archivist_opens_it(client, hidden, archivist):
    client.force_login(archivist)
    page = client.get(f"/works/{hidden.hidden.pk}/").content.decode()
    assert HIDDEN in page and "under review for plagiarism" in page


def test_who_may_hide_and_restore(juniper, archivist, reader, writer):
    with pytest.raises(PermissionDenied):
        hide_work(juniper.hidden, by=reader, reason="I dislike it")
    assign_creator(archivist, juniper.creator, writer)
    hide_work(juniper.hidden, by=writer, reason="taking it down for a rewrite")  # its creator
    assert juniper.hidden.is_hidden
    with pytest.raises(PermissionDenied):  # hidden by anyone, restored by archivists only
        restore_work(juniper.hidden, by=writer)
    restore_work(juniper.hidden, by=archivist)
    assert not Work.objects.get(pk=juniper.hidden.pk).is_hidden


def test_hiding_needs_a_reason_and_keeps_the_first_one(juniper, archivist):
    with pytest.raises(ValidationError):
        hide_work(juniper.hidden, by=archivist, reason="   ")
    hide_work(juniper.hidden, by=archivist, reason="first")
    with pytest.raises(ValidationError):
        hide_work(juniper.hidden, by=archivist, reason="second")
    assert Work.all_objects.get(pk=juniper.hidden.pk).hidden_reason == "first"


def test_importing_a_hidden_work_again_finds_it_instead_of_failing(hidden):
    again = actions.import_work(
        make_parsed_work("Moonlit Orchard", creator="Juniper Vale"), raw=b"other bytes"
    )
    assert (again.status, again.work.pk) == ("duplicate", hidden.hidden.pk)  # same text
    assert imported("Moonlit Orchard", "Juniper Vale").pk == hidden.hidden.pk  # same bytes
    assert Work.all_objects.get(pk=hidden.hidden.pk).is_hidden  # and it stays hidden


def test_deleting_an_account_deletes_its_hidden_works_too(hidden, archivist, writer):
    assign_creator(archivist, hidden.creator, writer)
    delete_account(writer, "delete")
    assert not Work.all_objects.filter(pk__in=[hidden.hidden.pk, hidden.kept.pk]).exists()


def test_the_admin_lists_hidden_works(client, hidden):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.invalid", "pw")
    client.force_login(admin)
    assert HIDDEN in client.get("/admin/archive/work/").content.decode()


def test_a_backup_keeps_hidden_works(hidden, tmp_path):
    from ficarchive.archive.dump import archive_contents, export_archive

    assert archive_contents()["archive.work"] == 3
    assert export_archive(tmp_path / "dump").counts["archive.work"] == 3
