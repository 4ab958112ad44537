"""Every search backend leaves works for logged-in users only out unless the search says a
logged-in user asks (`Criteria.restricted`, set from `archive.audience`)."""

from __future__ import annotations

import pytest

from ficarchive.search import indexing
from ficarchive.search.criteria import Criteria
from ficarchive.search.query import parse_query
from tests.personas import post

pytestmark = pytest.mark.django_db


def test_a_restricted_work_is_found_only_by_logged_in_searches(engine, writer):
    public = post(writer, title="Open Harbour", text="Gulls over the harbour wall.")
    restricted = post(
        writer, title="Closed Harbour", text="Gulls over the members' harbour.", restricted=True
    )
    backend = indexing.ready()
    for criteria in (
        Criteria(),
        Criteria(query=parse_query("harbour")),
        Criteria(query=parse_query("gulls"), sort="published"),
        Criteria(include=[restricted.work_tags.first().tag_id]),
    ):
        anonymous = backend.search(criteria)
        assert restricted.pk not in anonymous.ids and anonymous.total == 1, (engine, criteria)
        assert public.pk in anonymous.ids
        criteria.restricted = True
        logged_in = backend.search(criteria)
        assert set(logged_in.ids) == {public.pk, restricted.pk}, (engine, criteria)
    # Facets count only what the searcher may see.
    facets = backend.search(Criteria()).facets
    assert all(count == 1 for pairs in facets.values() for _, count in pairs)


def test_opening_a_restricted_work_reindexes_it(engine, writer):
    from ficarchive.posting import actions
    from tests.personas import work_data

    work = post(writer, restricted=True)
    assert indexing.ready().search(Criteria()).ids == []
    actions.update_work(writer, work, work_data(writer, restricted=False))
    assert indexing.ready().search(Criteria()).ids == [work.pk]
