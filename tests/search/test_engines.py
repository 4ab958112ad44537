"""Every search backend gives what a brute-force scan of the database gives."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ficarchive.archive.models import Tag, Work
from ficarchive.search import indexing
from ficarchive.search.criteria import SORTS, Criteria
from ficarchive.search.query import parse_query
from tests.search.conftest import Facts, brute_force


def tag(tag_type: str, name: str) -> int:
    return Tag.objects.get(type=tag_type, name=name).pk


def cases() -> list[Criteria]:
    fandom, other = tag("fandom", "Lighthouse Tales"), tag("fandom", "Copper Kingdom")
    ada, cleo = tag("character", "Ada Finch"), tag("character", "Cleo Marsh")
    death = tag("warning", "Major Character Death")
    mature, explicit = tag("rating", "Mature"), tag("rating", "Explicit")
    q = parse_query
    out = [
        Criteria(),
        Criteria(query=q("lantern")),
        Criteria(query=q("lantern harbor")),
        Criteria(query=q('"pepper garden"')),
        Criteria(query=q("lantern -violin")),
        Criteria(query=q("-violin")),
        Criteria(query=q("mirror OR velvet")),
        Criteria(query=q("fandom:copper")),
        Criteria(query=q('character:"Bram Cole" -anchor')),
        Criteria(query=q("creator:quill thunder")),
        Criteria(query=q('tag:angst OR tag:"slow burn"')),
        Criteria(query=q("rating:explicit")),
        Criteria(query=q("zzzunknownword")),
        Criteria(include=[fandom]),
        Criteria(include=[fandom, ada]),
        Criteria(exclude=[death]),
        Criteria(include=[other], exclude=[ada]),
        Criteria(any_of=[[mature, explicit]]),
        Criteria(include=[cleo]),
        Criteria(include=[cleo], suggested=True),
        Criteria(complete=True),
        Criteria(complete=False, query=q("garden")),
        Criteria(words_min=20, words_max=60),
        Criteria(date_from=dt.date(2012, 1, 1), date_to=dt.date(2015, 6, 30)),
        Criteria(date_field="published", date_from=dt.date(2014, 1, 1)),
        Criteria(language="fr"),
        Criteria(pov="first", tense="present"),
        Criteria(crossover=True),
        Criteria(crossover=False, include=[fandom]),
        Criteria(query=q("meadow"), include=[fandom], exclude=[death], complete=True),
    ]
    for sort, (_, descending) in SORTS.items():
        out.append(Criteria(sort=sort, descending=descending, limit=7, offset=3))
        out.append(Criteria(sort=sort, descending=not descending, limit=5))
        out.append(Criteria(query=q("copper"), sort=sort, descending=descending, limit=50))
    out.append(Criteria(sort="kudos", include=[fandom], offset=40))  # past the end: empty page
    return out


def test_backend_matches_brute_force(engine, corpus):
    facts = [Facts(w) for w in Work.objects.all()]
    backend = indexing.ready()
    for criteria in cases():
        expected_ids, expected_total, expected_facets = brute_force(facts, criteria)
        results = backend.search(dataclasses.replace(criteria))
        what = f"{engine}: {criteria}"
        assert results.total == expected_total, what
        if isinstance(expected_ids, set):
            assert set(results.ids) <= expected_ids and len(results.ids) == min(
                len(expected_ids), criteria.limit
            ), what
        else:
            assert results.ids == expected_ids, what
        assert results.facets == expected_facets, what


def test_a_synonym_searches_as_its_canonical_tag(engine, corpus):
    synonym = Tag.objects.get(type="character", name="Ada F.")
    ada = synonym.merger
    backend = indexing.ready()
    # The form resolves synonyms; a work tagged with the synonym is found under the canonical.
    work = corpus[0]
    from ficarchive.archive.models import WorkTag

    WorkTag.objects.filter(work=work, tag=ada).delete()
    WorkTag.objects.get_or_create(work=work, tag=synonym)
    results = indexing.ready().search(Criteria(include=[ada.pk], limit=100))
    assert work.pk in results.ids
    assert backend.search(Criteria(query=parse_query('character:"Ada F."'), limit=100)).ids
