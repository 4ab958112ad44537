"""Importing an eFiction archive: works, coauthors, series, reviews as comments, private emails.

Uses the hand-written sites in tests/fixtures/efiction (see tests/rescue/test_efiction_plan.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse

from ficarchive.archive.models import Chapter, Contact, Pseud, Series, Tag, Work
from ficarchive.community.models import Comment
from ficarchive.importing.efiction import import_efiction, run
from ficarchive.rescue.efiction import plan_efiction, read_dump
from ficarchive.rescue.plan import Plan, PlanError
from ficarchive.search.documents import documents

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "efiction"
DUMP, STORIES = HERE / "moonlit35.sql", HERE / "stories"
EMAILS = (
    "wren.hollow@example.invalid", "ashe.marlow@example.invalid", "kirino@example.invalid",
    "tamsin.vale@example.invalid", "admin@moonlit.example.invalid",
)  # fmt: skip


@pytest.fixture
def imported() -> Plan:
    return run(DUMP, STORIES, analyse=False)


def _work(title: str) -> Work:
    return Work.objects.get(title=title)


def test_every_validated_story_becomes_one_work(imported):
    outcomes = {w.key: w.outcome for w in imported.works}
    assert all(outcomes[f"efiction:story:{sid}"].startswith("imported #") for sid in (1, 2, 3, 4))
    assert outcomes["efiction:story:5"] == outcomes["efiction:story:6"] == "skipped"
    assert sorted(Work.objects.values_list("title", flat=True)) == [
        "A Study in Ink", "Ink, Continued", "The Dancing Men Revisited", "蟲の声"
    ]  # fmt: skip
    assert "-> imported #" in imported.report()
    dancing = _work("The Dancing Men Revisited")
    assert list(dancing.chapters.values_list("title", flat=True)) == [
        "The Dancing Men Revisited", "Little Figures", "The Last Message"
    ]  # fmt: skip
    assert not Chapter.objects.filter(body_text__contains="never published").exists()
    assert (dancing.rating, dancing.complete, str(dancing.published)) == (
        "Teen And Up Audiences", True, "2004-01-20"
    )  # fmt: skip
    assert dancing.word_count == sum(c.word_count for c in dancing.chapters.all()) > 60
    tags = {(t.type, t.name) for t in dancing.tags.all()}
    assert {("fandom", "Sherlock Holmes"), ("character", "John Watson"),
            ("warning", "Graphic Depictions Of Violence"), ("freeform", "Mystery")} <= tags  # fmt: skip
    assert "café au lait" in dancing.chapters.get(position=1).body_text
    assert _work("蟲の声").language == "ja"


def test_coauthors_are_creators_and_every_email_is_a_private_contact(imported):
    ink = _work("A Study in Ink")
    assert [p.name for p in ink.creator_pseuds] == ["Ashe Marlow", "Tamsin Vale"]
    contacts = {(c.pseud.name, c.kind, c.value) for c in Contact.objects.select_related("pseud")}
    assert contacts == {
        ("Wren Hollow", "email", "wren.hollow@example.invalid"),
        ("Wren Hollow", "url", "http://wren.example.org/"),
        ("Ashe Marlow", "email", "ashe.marlow@example.invalid"),
        ("Tamsin Vale", "email", "tamsin.vale@example.invalid"),
        ("霧野", "email", "kirino@example.invalid"),
    }
    assert Pseud.objects.filter(name="Ashe Marlow").count() == 1  # one creator for both works


def test_a_series_keeps_its_order(imported):
    series = Series.objects.get()
    assert series.title == "The Ink Papers" and "inkwell" in series.summary_html
    assert [(p.position, p.work.title) for p in series.parts.select_related("work")] == [
        (1, "A Study in Ink"), (2, "Ink, Continued")
    ]  # fmt: skip


def test_reviews_become_comments_on_their_chapters_with_name_and_date(imported):
    dancing = _work("The Dancing Men Revisited")
    comments = list(Comment.objects.filter(work=dancing).select_related("chapter"))
    assert [(c.chapter.position, c.guest_name, c.created_at.date()) for c in comments] == [
        (1, "Reader One", dt.date(2004, 3, 2)),
        (2, "霧野", dt.date(2004, 4, 1)),  # a member's review: their pen name
        (3, "Baker St. Fan", dt.date(2004, 6, 1)),
    ]
    assert "Bravo, Wren \u2013 truly." in comments[2].body_html  # cp1252 en dash
    dancing.refresh_from_db()
    assert dancing.comments_count == 3
    ink = _work("A Study in Ink")
    (review,) = Comment.objects.filter(work=ink)
    assert review.chapter.position == 2 and review.guest_name == "Ink Drinker"


def test_no_email_in_any_page_search_document_or_download(imported, client):
    urls = [reverse("archive:home"), reverse("archive:works")]
    for work in Work.objects.all():
        urls.append(work.get_absolute_url())
        urls += [c.get_absolute_url() for c in work.chapters.all()]
        urls += [
            reverse("archive:download", args=[work.pk, fmt]) for fmt in ("html", "txt", "epub")
        ]
        urls += [reverse("posting:series", args=[s.pk]) for s in work.series.all()]
    urls += [p.get_absolute_url() for p in Pseud.objects.all()]
    urls += [t.get_absolute_url() for t in Tag.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not any(email.encode() in body for email in EMAILS), url
    for document in documents(Work.objects.values_list("pk", flat=True)):
        text = json.dumps(dataclasses.asdict(document), ensure_ascii=False)
        assert not any(email in text for email in EMAILS)


def test_importing_the_same_archive_again_stores_nothing_twice(imported):
    again = run(DUMP, STORIES, analyse=False)
    assert all(w.outcome.startswith("duplicate of #") for w in again.works if w.action == "import")
    assert (
        Work.objects.count() == 4 and Comment.objects.count() == 4 and Series.objects.count() == 1
    )


def test_plan_edit_apply(tmp_path):
    plan_file = tmp_path / "plan.json"
    planned = run(DUMP, STORIES, plan_out=plan_file)
    assert Work.objects.count() == 0 and all(w.outcome == "" for w in planned.works)
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    data["tag_mappings"]["category:1"] = [["relationship", "Holmes/Watson"]]
    for work in data["works"]:
        if work["key"] == "efiction:story:4":
            work["action"], work["reason"] = "skip", "the archivist asked the author first"
    plan_file.write_text(json.dumps(data), encoding="utf-8")
    applied = run(DUMP, STORIES, plan_in=plan_file, analyse=False)
    assert {w.key for w in applied.works if w.outcome.startswith("imported")} == {
        "efiction:story:1", "efiction:story:2", "efiction:story:3"
    }  # fmt: skip
    dancing = _work("The Dancing Men Revisited")
    assert dancing.tags.filter(type="relationship", name="Holmes/Watson").exists()
    assert not dancing.tags.filter(type="fandom").exists()


def test_a_plan_from_another_dump_is_refused_before_anything_is_written(tmp_path):
    plan_file = tmp_path / "plan.json"
    run(HERE / "legacy_efic.sql", HERE / "legacy_stories", plan_out=plan_file)
    with pytest.raises(PlanError, match="no story of this dump"):
        run(DUMP, STORIES, plan_in=plan_file)
    assert Work.objects.count() == 0


def test_a_broken_story_costs_only_itself(monkeypatch):
    from ficarchive.importing import efiction

    real = efiction._store_reviews

    def flaky(work, reviews):
        if work.title == "A Study in Ink":
            raise RuntimeError("simulated bug")
        return real(work, reviews)

    monkeypatch.setattr(efiction, "_store_reviews", flaky)
    archive = read_dump(DUMP)
    plan = import_efiction(plan_efiction(archive, STORIES), archive, analyse=False)
    outcome = {w.title: w.outcome for w in plan.works}
    assert outcome["A Study in Ink"].startswith("failed: unexpected error (RuntimeError")
    assert not Work.objects.filter(title="A Study in Ink").exists()  # nothing half-stored
    assert not Contact.objects.filter(value="tamsin.vale@example.invalid").exists()
    # Its series partner is still stored, as the first part of the series now.
    assert Series.objects.get().parts.get().work.title == "Ink, Continued"
    assert Work.objects.count() == 3


def test_a_site_with_text_in_the_database_and_an_older_shape(tmp_path):
    fog = run(HERE / "fog35_mysql.sql", tmp_path, analyse=False)
    assert [w.outcome[:10] for w in fog.works] == ["imported #", "imported #"]
    river = _work("Fog on the River")
    assert list(river.chapters.values_list("title", flat=True)) == ["Fog", "River"]
    legacy = run(HERE / "legacy_efic.sql", HERE / "legacy_stories")  # with the analysis
    assert [w.outcome[:10] for w in legacy.works] == ["imported #", "imported #", "skipped"]
    lanterns = _work("Lanterns at the Bronze")
    assert [p.name for p in lanterns.creator_pseuds] == ["Lantern Keeper", "Moth"]
    assert Contact.objects.filter(
        pseud__name="Moth", value="moth@lanterns.example.invalid"
    ).exists()
    (review,) = Comment.objects.filter(work=lanterns)
    assert (review.chapter.position, review.guest_name) == (2, "Sunnydale Sue")
