"""Analysis suggestions through the write path: stored on import, creator tags win, review, reanalysis."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ficarchive.analysis import tagging
from ficarchive.analysis.model import Character
from ficarchive.archive import actions, ingest
from ficarchive.archive.models import Tag, Work, WorkTag
from ficarchive.text import parse_story
from ficarchive.text.model import Tag as ParsedTag
from ficarchive.text.model import TagType
from tests.archive.conftest import BTVS, SPIKE, make_analysis

pytestmark = pytest.mark.django_db


def suggestions(work, status="pending") -> dict[tuple[str, str], float]:
    rows = WorkTag.objects.filter(work=work, source="analysis", status=status)
    return {(wt.tag.type, wt.tag.name): wt.confidence for wt in rows.select_related("tag")}


def test_import_stores_pending_suggestions_with_confidence(analysed_work):
    assert suggestions(analysed_work) == {
        ("fandom", BTVS): 0.93,
        ("relationship", f"Buffy Summers/{SPIKE}"): 0.71,
        # Canonical tags where the registry knows the character; confidence grows with mentions.
        ("character", "Buffy Summers"): pytest.approx(14 / 17, abs=0.01),
        ("character", SPIKE): pytest.approx(9 / 12, abs=0.01),
    }  # not: Angel (12% sure), Dawn and Clem (one mention each), the unnamed narrator
    # The creator's own tags are untouched: imported, accepted, no confidence.
    own = WorkTag.objects.filter(work=analysed_work).exclude(source="analysis")
    assert {(wt.source, wt.status, wt.confidence) for wt in own} == {("imported", "accepted", None)}
    assert own.count() == 4


def test_import_stores_narration_and_the_cast(analysed_work):
    work = Work.objects.get(pk=analysed_work.pk)
    assert (work.pov, work.tense, work.dialogue_share) == ("first", "past", 0.42)
    assert work.analysis["reading_minutes"] == 75
    assert work.analysis["unattributed_share"] == pytest.approx(0.10)
    cast = work.analysis["characters"]
    # The narrator first, then by mentions; Dawn speaks, so she is listed; Clem does not.
    assert [(c["name"], c["tag"], c["narrator"]) for c in cast] == [
        ("narrator", None, True),
        ("Buffy Summers", "Buffy Summers", False),
        ("Spike", SPIKE, False),
        ("Dawn Summers", None, False),
    ]
    assert set(cast[1]) == {"name", "tag", "mentions", "gender", "narrator", "dialogue_share"}
    assert [c["dialogue_share"] for c in cast] == [0.08, 0.46, 0.31, 0.05]
    assert [c["label"] for c in work.cast][:2] == ["The narrator", "Buffy Summers"]
    assert work.reading_time == "1 h 15 min"


def test_import_without_analysis_stores_none(parsed_work, monkeypatch):
    def must_not_run(parsed):
        raise AssertionError("analyse_work ran")

    monkeypatch.setattr(ingest, "analyse_work", must_not_run)
    work = actions.import_work(parsed_work(), raw=b"plain", analyse=False).work
    assert suggestions(work) == {}
    assert (work.pov, work.tense, work.dialogue_share, work.analysis) == ("", "", None, {})
    assert work.cast == [] and work.reading_time == ""


def test_a_failing_analysis_does_not_cost_the_work(parsed_work, monkeypatch, caplog):
    def broken(parsed):
        raise RuntimeError("heuristic bug")

    monkeypatch.setattr(ingest, "analyse_work", broken)
    result = actions.import_work(parsed_work(), raw=b"still stored", filename="s.txt")
    assert result.status == "imported" and result.work.chapters.count() == 2
    assert suggestions(result.work) == {} and result.work.analysis == {}
    assert "analysing s.txt failed" in caplog.text


def test_a_failure_after_the_analysis_leaves_nothing(parsed_work, use_analysis, monkeypatch):
    use_analysis(make_analysis())

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "_suggest", explode)
    with pytest.raises(RuntimeError):
        actions.import_work(parsed_work(), raw=b"x")
    assert (Work.objects.count(), WorkTag.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("creator_tag", "blocked"),
    [
        ((TagType.FANDOM, BTVS), ("fandom", BTVS)),
        ((TagType.FANDOM, "buffy the  vampire slayer"), ("fandom", BTVS)),  # case and spaces
        ((TagType.CHARACTER, "Spike"), ("character", SPIKE)),  # without the disambiguator
        (
            (TagType.RELATIONSHIP, "Spike/Buffy Summers"),  # the other order
            ("relationship", f"Buffy Summers/{SPIKE}"),
        ),
    ],
)
def test_creator_tags_win(parsed_work, use_analysis, creator_tag, blocked):
    use_analysis(make_analysis())
    parsed = parsed_work()
    parsed.tags.append(ParsedTag(*creator_tag))
    work = actions.import_work(parsed, raw=b"tagged by the creator").work
    found = suggestions(work)
    assert blocked not in found
    assert len(found) == 3  # the other suggestions still come
    creator_row = WorkTag.objects.get(work=work, tag__name=creator_tag[1])
    assert (creator_row.source, creator_row.status) == ("imported", "accepted")


@pytest.mark.parametrize("creator_uses", ["synonym", "canonical"])
def test_a_synonym_of_a_creator_tag_is_not_suggested(parsed_work, use_analysis, creator_uses):
    canonical = Tag.objects.create(type="fandom", name="BtVS", slug="btvs", canonical=True)
    synonym = Tag.objects.create(type="fandom", name=BTVS, slug="buffy", merger=canonical)
    use_analysis(make_analysis())  # suggests BTVS, the synonym's name
    parsed = parsed_work()
    tag = synonym if creator_uses == "synonym" else canonical
    parsed.tags.append(ParsedTag(TagType.FANDOM, tag.name))
    work = actions.import_work(parsed, raw=b"synonyms").work
    assert not [key for key in suggestions(work) if key[0] == "fandom"]


def test_a_suggestion_uses_the_canonical_tag(parsed_work, use_analysis):
    canonical = Tag.objects.create(type="fandom", name="BtVS", slug="btvs", canonical=True)
    Tag.objects.create(type="fandom", name=BTVS, slug="buffy", merger=canonical)
    use_analysis(make_analysis())
    work = actions.import_work(parsed_work(), raw=b"canonical").work
    assert ("fandom", "BtVS") in suggestions(work)


def test_suggestions_are_capped(parsed_work, use_analysis):
    crowd = [Character(f"Person{n:02d}", mentions=30 - n) for n in range(25)]
    use_analysis(make_analysis(characters=crowd, fandoms=[], relationships=[]))
    work = actions.import_work(parsed_work(), raw=b"crowd").work
    names = sorted(name for _, name in suggestions(work))
    assert names == [f"Person{n:02d}" for n in range(tagging.SUGGESTION_CAPS[TagType.CHARACTER])]
    assert len(work.analysis["characters"]) == actions.CAST_SIZE


def test_a_real_story_gets_its_cast_and_character_suggestions(parsed_work):
    """End to end with the real analysis (no monkeypatch), on a story written for this test."""
    raw = (
        b"Title: The Lamplighter's Niece\nAuthor: Ada Fenwick\n\n"
        b"Mara Quinlan came in from the rain, and Tobias Venn looked up from the ledger.\n\n"
        b'"You\'re late," said Tobias.\n\n"The bridge was out," Mara replied. "I went round."\n\n'
        b"Tobias closed the ledger. Mara hung her coat by the stove.\n\n"
        b'"Did you see Corin Ashe on the road?" Tobias asked.\n\n'
        b'"Only his cart," said Mara. "He will be here by dark."\n\n'
        b"Tobias lit the lamps one by one, and Mara counted the matches left in the tin.\n"
    )
    work = actions.import_work(parse_story(raw, "lamp.txt"), raw=raw).work
    characters = {name for kind, name in suggestions(work) if kind == "character"}
    assert {"Mara Quinlan", "Tobias Venn"} <= characters and "Corin Ashe" not in characters
    cast = {c["name"]: c for c in work.analysis["characters"]}
    assert {"Mara Quinlan", "Tobias Venn"} <= set(cast)
    assert 0 < cast["Mara Quinlan"]["dialogue_share"] <= 1
    assert work.dialogue_share > 0 and work.analysis["reading_minutes"] == 1


# --- Review ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("anonymous", False), ("reader", False), ("writer", True), ("archivist", True)],
)
@pytest.mark.parametrize("accept", [True, False])
def test_who_may_review(request, analysed_work, persona, allowed, accept):
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    work_tag = WorkTag.objects.get(work=analysed_work, tag__name=BTVS)
    if not allowed:
        with pytest.raises(PermissionDenied):
            actions.review_suggestion(work_tag, user, accept=accept)
        assert WorkTag.objects.get(pk=work_tag.pk).status == "pending"
        return
    actions.review_suggestion(work_tag, user, accept=accept)
    assert WorkTag.objects.get(pk=work_tag.pk).status == ("accepted" if accept else "rejected")


def test_the_creators_own_tags_are_not_reviewed(analysed_work, archivist):
    own = WorkTag.objects.get(work=analysed_work, tag__name="Original Work")
    with pytest.raises(ValueError, match="only tags suggested by the analysis"):
        actions.review_suggestion(own, archivist, accept=False)
    assert WorkTag.objects.get(pk=own.pk).status == "accepted"


def test_a_decision_can_be_changed(analysed_work, writer):
    work_tag = WorkTag.objects.get(work=analysed_work, tag__name=BTVS)
    actions.review_suggestion(work_tag, writer, accept=False)
    actions.review_suggestion(work_tag, writer, accept=True)
    assert WorkTag.objects.get(pk=work_tag.pk).status == "accepted"


# --- Reanalysis -------------------------------------------------------------------------------


def test_reanalyse_replaces_pending_and_keeps_decisions(analysed_work, archivist, use_analysis):
    rows = {wt.tag.name: wt for wt in WorkTag.objects.filter(work=analysed_work, source="analysis")}
    actions.review_suggestion(rows[BTVS], archivist, accept=True)
    actions.review_suggestion(rows[SPIKE], archivist, accept=False)

    newer = make_analysis(
        pov="third",
        fandoms=[{"name": BTVS, "confidence": 0.5}],
        relationships=[{"tag": "Buffy Summers & Willow Rosenberg", "confidence": 0.6}],
    )
    newer.characters[0].mentions = 20  # Buffy: new confidence
    use_analysis(newer)
    pending = actions.reanalyse_work(analysed_work)

    assert suggestions(analysed_work, "accepted") == {("fandom", BTVS): 0.93}  # as decided
    assert suggestions(analysed_work, "rejected") == {("character", SPIKE): pytest.approx(0.75)}
    assert suggestions(analysed_work) == {  # Spike, rejected, is not suggested again
        ("relationship", "Buffy Summers & Willow Rosenberg"): 0.6,
        ("character", "Buffy Summers"): pytest.approx(20 / 23, abs=0.01),
    }
    assert {wt.tag.name for wt in pending} == {"Buffy Summers & Willow Rosenberg", "Buffy Summers"}
    assert Work.objects.get(pk=analysed_work.pk).pov == "third"
    own = WorkTag.objects.filter(work=analysed_work).exclude(source="analysis")
    assert own.count() == 4 and {wt.status for wt in own} == {"accepted"}


def test_reanalyse_reads_the_stored_text(analysed_work, monkeypatch):
    seen = []
    monkeypatch.setattr(
        actions, "analyse_work", lambda parsed: seen.append(parsed) or make_analysis()
    )
    actions.reanalyse_work(analysed_work)
    (parsed,) = seen
    assert [[b.kind for b in c.blocks] for c in parsed.chapters] == [["p", "break", "p"]] * 2
    assert parsed.chapters[0].blocks[0].text == "Chapter 1 begins A Test Work."
    assert ParsedTag(TagType.FANDOM, "Original Work") in parsed.tags
    assert not [t for t in parsed.tags if t.name == BTVS]  # suggestions are not the work's tags


def test_parsed_from_stored_keeps_markup_characters_as_text(parsed_work):
    from ficarchive.text.model import Block

    parsed = parsed_work()
    parsed.chapters[0].blocks = [Block(html="Tom &amp; Jerry &lt;3 <em>always</em>")]
    work = actions.import_work(parsed, raw=b"amp", analyse=False).work
    again = actions.parsed_from_stored(work)
    assert again.chapters[0].blocks[0].text == "Tom & Jerry <3 always"


def test_a_batch_of_imports_suggests_what_one_work_at_a_time_would(parsed_work, use_analysis):
    """The import asks for a whole batch's suggestions at once, reanalysis for one work's (its
    lookups shared or not): same tags, confidences and positions, whatever lookup finds the tag."""
    use_analysis(make_analysis())
    actions._tag("character", "buffy summers")  # found by its name in another case
    canonical = actions._tag("fandom", "BtVS")
    synonym = actions._tag("fandom", BTVS)  # a synonym: suggested as its canonical tag
    synonym.merger = canonical
    synonym.save()
    works = []
    for n, tags in enumerate(([], [ParsedTag(TagType.CHARACTER, SPIKE)], None)):
        parsed = parsed_work(f"Batch {n}")
        if tags is not None:
            parsed.tags = tags
        works.append(parsed)
    prepared = [ingest.prepare(w, raw=f"batch {n}".encode()) for n, w in enumerate(works)]
    stored = [result.work for result in actions.store_works(prepared)]

    def pending(work) -> list[tuple[int, int, float]]:
        rows = WorkTag.objects.filter(work=work, source="analysis", status="pending")
        return sorted(rows.values_list("tag_id", "position", "confidence"))

    batch = [pending(work) for work in stored]
    assert all(batch) and canonical.pk in {tag for tag, _, _ in batch[0]}
    for work, expected in zip(stored, batch):
        actions.reanalyse_work(work)
        assert pending(work) == expected
