"""Each wrangling action: what it changes, what it refuses (nothing changed, a message saying
what to do), the works it queues for re-indexing, and its audit record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ficarchive.accounts.permissions import can_wrangle
from ficarchive.archive.models import Tag, WorkTag
from ficarchive.moderation.models import AuditEntry
from ficarchive.search import indexing
from ficarchive.search.criteria import Criteria
from ficarchive.search.models import IndexQueue
from ficarchive.search.query import parse_query
from ficarchive.search.tags import resolve
from ficarchive.wrangling import actions
from ficarchive.wrangling.actions import WranglingError
from tests.wrangling.conftest import tag

pytestmark = pytest.mark.django_db


class AuditLog:
    """The audit log's entries so far, read afresh each time: (user, action, target, reason)."""

    def _rows(self) -> list[tuple]:
        entries = AuditEntry.objects.select_related("actor").order_by("id")
        return [(e.actor, e.action, e.target_label, e.reason) for e in entries]

    def __eq__(self, other) -> bool:
        return self._rows() == other

    def __getitem__(self, index):
        return self._rows()[index]

    def __iter__(self):
        return iter(self._rows())


@pytest.fixture
def audit():
    return AuditLog()


def queued() -> set[int]:
    return set(IndexQueue.objects.values_list("work_id", flat=True))


def found(**criteria) -> set[int]:
    return set(indexing.ready().search(resolve(Criteria(limit=100, **criteria))).ids)


def test_make_canonical(marvel, archivist, audit):
    mcu = tag("Marvel Cinematic Universe")
    IndexQueue.objects.all().delete()
    outcome = actions.make_canonical(mcu, by=archivist)
    mcu.refresh_from_db()
    assert mcu.canonical and mcu.merger is None
    assert outcome.reindexed == 0 and not queued()  # indexed under its own id already
    assert audit == [(archivist, "make_canonical", "Marvel Cinematic Universe", "")]
    with pytest.raises(WranglingError, match="canonical already"):
        actions.make_canonical(mcu, by=archivist)


def test_make_synonym_moves_filtering_to_the_canonical_tag(marvel, archivist, audit):
    mcu, alias = tag("Marvel Cinematic Universe"), tag("MCU")
    actions.make_canonical(mcu, by=archivist)
    indexing.drain()
    assert found(include=[mcu.pk]) == {marvel["mcu"].pk, marvel["both"].pk}
    outcome = actions.make_synonym(alias, mcu, by=archivist)
    alias.refresh_from_db()
    assert alias.merger == mcu and not alias.canonical
    assert outcome.reindexed == 2 and queued() >= {marvel["alias"].pk, marvel["both"].pk}
    assert "2 works will be re-indexed" in outcome.summary
    indexing.drain()
    everything = {marvel[k].pk for k in ("mcu", "alias", "both")}
    assert found(include=[mcu.pk]) == everything
    assert found(include=[alias.pk]) == everything
    assert audit[-1][:3] == (archivist, "make_synonym", "MCU")


def test_a_canonical_tag_made_a_synonym_takes_its_synonyms_and_fandoms_along(marvel, archivist):
    mcu, alias = tag("Marvel Cinematic Universe"), tag("MCU")
    third = Tag.objects.create(type="fandom", name="Marvel Movies", slug="marvel-movies")
    for t in (mcu, alias):
        actions.make_canonical(t, by=archivist)
    actions.make_synonym(third, alias, by=archivist)
    steve = tag("Steve Rogers", "character")
    actions.attach_fandom(steve, alias, by=archivist)
    actions.make_synonym(alias, mcu, by=archivist)
    third.refresh_from_db()
    assert third.merger == mcu
    # Steve still belongs to the alias; the canonical tag gained the alias's own fandoms (none).
    assert list(steve.fandoms.all()) == [alias]


@pytest.mark.parametrize(
    "case, message",
    [
        ("self", "synonym of itself"),
        ("not canonical", "not canonical; make it canonical first"),
        ("other type", "only tags of one type"),
        ("has metatags", "has metatags or subtags"),
    ],
)
def test_make_synonym_refuses(marvel, archivist, case, message):
    mcu, alias = tag("Marvel Cinematic Universe"), tag("MCU")
    target = {"self": alias, "not canonical": mcu, "other type": tag("Tony Stark", "character")}
    if case == "other type":
        actions.make_canonical(target[case], by=archivist)
    if case == "has metatags":
        for t in (mcu, alias, tag("Marvel")):
            actions.make_canonical(t, by=archivist)
        actions.add_metatag(alias, tag("Marvel"), by=archivist)
        target[case] = mcu
    with pytest.raises(WranglingError, match=message):
        actions.make_synonym(alias, target[case], by=archivist)
    alias.refresh_from_db()
    assert alias.merger is None


def test_rename(marvel, archivist, audit):
    alias = tag("MCU")
    IndexQueue.objects.all().delete()
    outcome = actions.rename(alias, "  Marvel   Cinematic Universe (Films) ", by=archivist)
    alias.refresh_from_db()
    assert alias.name == "Marvel Cinematic Universe (Films)"
    assert alias.slug == "marvel-cinematic-universe-films"
    assert outcome.reindexed == 2 and queued() == {marvel["alias"].pk, marvel["both"].pk}
    indexing.drain()
    query = parse_query('fandom:"Cinematic Universe (Films)"')
    assert set(indexing.ready().search(Criteria(query=query)).ids) == {marvel["alias"].pk, marvel["both"].pk}  # fmt: skip
    actions.rename(alias, "marvel cinematic universe (films)", by=archivist)  # case only
    alias.refresh_from_db()
    assert alias.slug == "marvel-cinematic-universe-films"
    assert audit[0] == (archivist, "rename", "Marvel Cinematic Universe (Films)", "was MCU")


@pytest.mark.parametrize(
    "name, message",
    [
        ("   ", "needs a name"),
        ("x" * 301, "at most 300 characters"),
        ("marvel cinematic universe", "exists already: merge into it"),
        ("MCU", "has that name already"),
    ],
)
def test_rename_refuses(marvel, archivist, name, message):
    with pytest.raises(WranglingError, match=message):
        actions.rename(tag("MCU"), name, by=archivist)
    assert tag("MCU").slug == "mcu"


def test_merge_moves_the_work_tags_once(marvel, archivist, audit):
    mcu, alias = tag("Marvel Cinematic Universe"), tag("MCU")
    # On "both", the kept tag was only a pending suggestion: the creator's own tag wins.
    WorkTag.objects.filter(work=marvel["both"], tag=mcu).update(
        status=WorkTag.Status.PENDING, source=WorkTag.Source.ANALYSIS
    )
    for t in (alias, tag("Marvel")):
        actions.make_canonical(t, by=archivist)
    actions.add_metatag(alias, tag("Marvel"), by=archivist)
    spelling = Tag.objects.create(type="fandom", name="M.C.U.", slug="m-c-u")
    actions.make_synonym(spelling, alias, by=archivist)
    alias_id = alias.pk
    outcome = actions.merge(alias, mcu, by=archivist)
    assert not Tag.objects.filter(name="MCU").exists()
    rows = WorkTag.objects.filter(tag=mcu)
    assert sorted(rows.values_list("work_id", flat=True)) == sorted(marvel[k].pk for k in ("mcu", "alias", "both"))  # fmt: skip
    assert rows.get(work=marvel["both"]).status == WorkTag.Status.ACCEPTED
    mcu.refresh_from_db()
    assert mcu.canonical  # it took over a canonical tag's synonyms and metatags
    assert list(mcu.meta_tags.all()) == [tag("Marvel")]
    spelling.refresh_from_db()
    assert spelling.merger == mcu
    assert outcome.reindexed == 2
    assert audit[-1] == (archivist, "merge", "Marvel Cinematic Universe", f"merged MCU (#{alias_id}) into it")  # fmt: skip


def test_merge_refuses(marvel, archivist):
    mcu = tag("Marvel Cinematic Universe")
    with pytest.raises(WranglingError, match="into itself"):
        actions.merge(mcu, mcu, by=archivist)
    with pytest.raises(WranglingError, match="only tags of one type"):
        actions.merge(mcu, tag("Tony Stark", "character"), by=archivist)
    actions.make_canonical(mcu, by=archivist)
    actions.make_synonym(tag("MCU"), mcu, by=archivist)
    with pytest.raises(
        WranglingError, match="merge “MCU” into “Marvel Cinematic Universe” instead"
    ):
        actions.merge(mcu, tag("MCU"), by=archivist)
    assert WorkTag.objects.filter(tag=mcu).count() == 2


def test_metatags_cycles_and_their_refusals(marvel, archivist, audit):
    mcu, marvel_tag = tag("Marvel Cinematic Universe"), tag("Marvel")
    with pytest.raises(WranglingError, match="make it canonical first"):
        actions.add_metatag(mcu, marvel_tag, by=archivist)
    comics = Tag.objects.create(type="fandom", name="Marvel Comics Universes", slug="mcus", canonical=True)  # fmt: skip
    for t in (mcu, marvel_tag):
        actions.make_canonical(t, by=archivist)
    outcome = actions.add_metatag(mcu, marvel_tag, by=archivist)
    assert outcome.reindexed == 0 and "no re-indexing needed" in outcome.summary
    actions.add_metatag(mcu, comics, by=archivist)  # several metatags
    assert set(mcu.meta_tags.values_list("name", flat=True)) == {"Marvel", "Marvel Comics Universes"}  # fmt: skip
    actions.add_metatag(marvel_tag, comics, by=archivist)
    with pytest.raises(WranglingError, match="cycle"):
        actions.add_metatag(comics, mcu, by=archivist)  # mcu is below comics, twice over
    with pytest.raises(WranglingError, match="its own metatag"):
        actions.add_metatag(mcu, mcu, by=archivist)
    with pytest.raises(WranglingError, match="already"):
        actions.add_metatag(mcu, marvel_tag, by=archivist)
    actions.make_canonical(tag("Tony Stark", "character"), by=archivist)
    with pytest.raises(WranglingError, match="only tags of one type"):
        actions.add_metatag(tag("Tony Stark", "character"), marvel_tag, by=archivist)
    actions.remove_metatag(mcu, marvel_tag, by=archivist)
    assert list(mcu.meta_tags.all()) == [comics]
    with pytest.raises(WranglingError, match="is not a metatag"):
        actions.remove_metatag(mcu, marvel_tag, by=archivist)
    assert [a[1] for a in audit].count("add_metatag") == 3


def test_fandoms_of_characters(marvel, archivist, audit):
    tony, mcu, alias = tag("Tony Stark", "character"), tag("Marvel Cinematic Universe"), tag("MCU")
    with pytest.raises(WranglingError, match="make it canonical first"):
        actions.attach_fandom(tony, mcu, by=archivist)
    actions.make_canonical(mcu, by=archivist)
    actions.make_synonym(alias, mcu, by=archivist)
    actions.attach_fandom(tony, alias, by=archivist)  # a synonym stands for its canonical tag
    assert list(tony.fandoms.all()) == [mcu]
    with pytest.raises(WranglingError, match="already"):
        actions.attach_fandom(tony, mcu, by=archivist)
    with pytest.raises(WranglingError, match="Only characters and relationships"):
        actions.attach_fandom(mcu, mcu, by=archivist)
    with pytest.raises(WranglingError, match="is not a fandom"):
        actions.attach_fandom(tony, tag("Steve Rogers", "character"), by=archivist)
    actions.detach_fandom(tony, mcu, by=archivist)
    assert not tony.fandoms.exists()
    with pytest.raises(WranglingError, match="does not belong"):
        actions.detach_fandom(tony, mcu, by=archivist)
    assert [a[1] for a in audit][-2:] == ["attach_fandom", "detach_fandom"]


def test_bulk_is_all_or_nothing(marvel, archivist):
    mcu, alias, marvel_tag = tag("Marvel Cinematic Universe"), tag("MCU"), tag("Marvel")
    outcome = actions.bulk([mcu, marvel_tag], "canonical", None, by=archivist)
    assert outcome.message == "2 tags wrangled."
    spelling = Tag.objects.create(type="fandom", name="M.C.U.", slug="m-c-u")
    with pytest.raises(WranglingError, match="Nothing was changed. “Marvel Cinematic Universe” cannot be a synonym of itself"):  # fmt: skip
        actions.bulk([alias, spelling, mcu], "synonym", mcu, by=archivist)
    assert not Tag.objects.filter(merger=mcu).exists()
    outcome = actions.bulk([alias, spelling], "synonym", mcu, by=archivist)
    assert set(Tag.objects.filter(merger=mcu).values_list("name", flat=True)) == {"MCU", "M.C.U."}
    assert outcome.reindexed == 2
    tony, steve = tag("Tony Stark", "character"), tag("Steve Rogers", "character")
    actions.bulk([tony, steve], "fandom", mcu, by=archivist)
    assert list(steve.fandoms.all()) == [mcu] and list(tony.fandoms.all()) == [mcu]
    with pytest.raises(WranglingError, match="Name the tag"):
        actions.bulk([tony], "fandom", None, by=archivist)
    with pytest.raises(WranglingError, match="not a bulk action"):
        actions.bulk([tony], "delete", None, by=archivist)


@pytest.mark.parametrize(
    "call",
    [
        lambda t, o, by: actions.make_canonical(t, by=by),
        lambda t, o, by: actions.make_synonym(t, o, by=by),
        lambda t, o, by: actions.rename(t, "New", by=by),
        lambda t, o, by: actions.merge(t, o, by=by),
        lambda t, o, by: actions.add_metatag(t, o, by=by),
        lambda t, o, by: actions.remove_metatag(t, o, by=by),
        lambda t, o, by: actions.attach_fandom(t, o, by=by),
        lambda t, o, by: actions.detach_fandom(t, o, by=by),
        lambda t, o, by: actions.bulk([t], "canonical", None, by=by),
    ],
)
def test_only_archivists_wrangle(marvel, writer, call):
    alias, mcu = tag("MCU"), tag("Marvel Cinematic Universe")
    with pytest.raises(PermissionDenied):
        call(alias, mcu, writer)
    alias.refresh_from_db()
    assert (alias.name, alias.canonical, alias.merger) == ("MCU", False, None)
    assert can_wrangle(writer) is False
