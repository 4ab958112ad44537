"""Metatags and synonyms in every search path: include and exclude filters, the search box's
tag fields, tag pages, feeds and the tag index, on each backend; facets count direct tags."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from ficarchive.archive.models import Tag, Work, WorkTag
from ficarchive.search import indexing
from ficarchive.search.forms import SearchForm
from ficarchive.wrangling import actions

pytestmark = pytest.mark.django_db


def named(tag_type: str, name: str) -> Tag:
    return Tag.objects.get(type=tag_type, name=name)


def canonical(tag_type: str, name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(type=tag_type, name=name, defaults={"slug": name.lower().replace(" ", "-")})  # fmt: skip
    Tag.objects.filter(pk=tag.pk).update(canonical=True)
    tag.canonical = True
    return tag


def works_with(*tags: Tag) -> set[int]:
    """Works carrying any of these tags or their synonyms, accepted: read the obvious way."""
    ids = {t.pk for t in tags}
    return set(
        WorkTag.objects.filter(tag__in=Tag.objects.filter(pk__in=ids) | Tag.objects.filter(merger__in=ids))
        .filter(status=WorkTag.Status.ACCEPTED)
        .values_list("work_id", flat=True)
    )  # fmt: skip


def search(query: str = "", limit: int = 200, **params):
    data = QueryDict(mutable=True)
    if query:
        data["q"] = query
    for key, value in params.items():
        data.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    criteria, messages = SearchForm(data).criteria()
    criteria.limit = limit
    return indexing.ready().search(criteria)


@pytest.fixture
def wrangled(corpus, archivist):
    """Kingdoms over Copper Kingdom over Lighthouse Tales (three levels), Ada F. a synonym."""
    copper, lighthouse = named("fandom", "Copper Kingdom"), named("fandom", "Lighthouse Tales")
    for tag in (copper, lighthouse):
        actions.make_canonical(tag, by=archivist)
    kingdoms = canonical("fandom", "Kingdoms")
    actions.add_metatag(copper, kingdoms, by=archivist)
    actions.add_metatag(lighthouse, copper, by=archivist)
    return {"kingdoms": kingdoms, "copper": copper, "lighthouse": lighthouse}


def test_a_metatag_filter_finds_its_subtags_works_transitively(engine, wrangled):
    k, c, lh = wrangled["kingdoms"], wrangled["copper"], wrangled["lighthouse"]
    expected = works_with(c, lh)
    assert expected and works_with(k) == set()  # no work carries the metatag itself
    assert set(search(include=k.pk).ids) == expected
    assert set(search(include=c.pk).ids) == expected
    assert set(search(include=lh.pk).ids) == works_with(lh)  # a subtag does not widen upwards
    everything = set(Work.objects.values_list("pk", flat=True))
    assert set(search(exclude=k.pk).ids) == everything - expected


def test_facets_count_the_direct_tags_not_the_metatag(engine, wrangled):
    k, c, lh = wrangled["kingdoms"], wrangled["copper"], wrangled["lighthouse"]
    fandoms = dict(search(include=k.pk).facets["fandom"])
    assert k.pk not in fandoms
    assert fandoms[c.pk] == len(works_with(c)) and fandoms[lh.pk] == len(works_with(lh))


def test_the_search_box_fields_resolve_metatags_and_synonyms(engine, wrangled):
    c, lh = wrangled["copper"], wrangled["lighthouse"]
    assert set(search("fandom:Kingdoms").ids) == works_with(c, lh)
    assert set(search("fandom:kingdoms", sort="title").ids) == works_with(c, lh)  # any case
    everything = set(Work.objects.values_list("pk", flat=True))
    assert set(search("-fandom:Kingdoms").ids) == everything - works_with(c, lh)
    # A synonym's name finds the works of its canonical tag, which never carry the synonym.
    ada = named("character", "Ada Finch")
    assert set(search('character:"Ada F."').ids) == works_with(ada)
    assert works_with(ada) - set(WorkTag.objects.filter(tag__name="Ada F.").values_list("work_id", flat=True))  # fmt: skip
    # Words still match as before: a tag field's words, or the tag it names, in one group.
    lantern = set(search("lantern", limit=500).ids)
    assert set(search("fandom:Kingdoms OR lantern", limit=500).ids) == works_with(c, lh) | lantern
    assert set(search("fandom:Kingdoms lantern").ids) == works_with(c, lh) & lantern
    # Words in a tag field that name no tag search the words only.
    assert set(search("fandom:copper").ids) == works_with(c)


def test_a_synonym_of_a_metatag_filters_as_the_metatag(engine, wrangled, archivist):
    k = wrangled["kingdoms"]
    alias = Tag.objects.create(type="fandom", name="The Kingdoms", slug="the-kingdoms")
    actions.make_synonym(alias, k, by=archivist)
    expected = works_with(wrangled["copper"], wrangled["lighthouse"])
    assert set(search(include=alias.pk).ids) == expected
    assert set(search(include_names="the kingdoms").ids) == expected
    assert set(search('fandom:"The Kingdoms"').ids) == expected


def test_the_tag_page_feed_and_index(client, wrangled, archivist):
    k, c, lh = wrangled["kingdoms"], wrangled["copper"], wrangled["lighthouse"]
    page = client.get(k.get_absolute_url())
    assert page.status_code == 200
    assert page.context["total"] == len(works_with(c, lh))
    assert "Subtags" in page.content.decode() and "Copper Kingdom" in page.content.decode()
    feed = client.get(f"/tags/fandom/{k.slug}/feed/").content.decode()
    some = Work.objects.filter(pk__in=works_with(lh)).order_by("-modified_at").first()
    assert some.title in feed
    # The index counts a canonical tag's works with its synonyms', each work once.
    ada = named("character", "Ada Finch")
    synonym = named("character", "Ada F.")
    lone = Work.objects.exclude(pk__in=works_with(ada)).first()
    WorkTag.objects.create(work=lone, tag=synonym)
    both = Work.objects.filter(pk__in=works_with(ada)).exclude(pk=lone.pk).first()
    WorkTag.objects.create(work=both, tag=synonym)  # carries both: counted once
    index = client.get("/tags/character/")
    row = next(t for t in index.context["page"].object_list if t.pk == ada.pk)
    assert row.uses == len(works_with(ada)) and lone.pk in works_with(ada)
