"""Planning a saved site: files classified, chapter pages grouped in order, metadata found."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficarchive.rescue.plan import Plan
from ficarchive.rescue.site import ChapterUnreadable, build_work, entry_metadata, plan_site
from ficarchive.text import StoryError
from tests.shared_data import SHARED

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


@pytest.fixture(scope="module")
def personal() -> Plan:
    return plan_site(SITES / "personal1999")


@pytest.fixture(scope="module")
def efiction() -> Plan:
    return plan_site(SITES / "efiction-wget")


def _work(plan: Plan, title: str):
    (work,) = [w for w in plan.works if w.title == title]
    return work


def _kinds(plan: Plan) -> dict[str, str]:
    return {s.source: s.kind for s in plan.skipped}


# --- a 1999 personal site -----------------------------------------------------------------------


def test_personal_site_plans_three_works(personal):
    assert personal.kind == "site"
    assert sorted(w.title for w in personal.works) == ["Owl Post", "Salt", "The Lamp Room"]


def test_chapter_pages_are_one_work_in_reading_order(personal):
    salt = _work(personal, "Salt")
    # Alphabetical order would be road, storm, tide: the index and the links say otherwise.
    assert [c.source for c in salt.chapters] == [
        "salt-storm.html",
        "salt-road.html",
        "salt-tide.html",
    ]
    assert [c.title for c in salt.chapters] == [
        "Part One: The Storm", "Part Two: The Road", "Part Three: The Tide"
    ]  # fmt: skip
    assert any("story index salt.html" in e for e in salt.evidence)
    assert any("next/previous links" in e for e in salt.evidence)


def test_metadata_comes_from_the_index_and_the_author_pages(personal):
    salt = _work(personal, "Salt")
    assert salt.creators == ["Mara"]
    assert salt.metadata["rating"] == "General Audiences"
    assert salt.metadata["summary"].startswith("Two lighthouse keepers")
    owls = _work(personal, "Owl Post")
    assert owls.creators == ["Juniper"]
    assert owls.metadata["summary"] == "A misdelivered owl visits the lighthouse"


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("index.html", "site index"),
        ("salt.html", "story index"),
        ("mara.html", "author page"),
        ("juniper.html", "author page"),
        ("authors.html", "navigation page"),
        ("guestbook.html", "guestbook"),
        ("links.html", "links page"),
        ("news.html", "news page"),
        ("style.css", "asset"),
        ("images/lighthouse.gif", "asset"),
        ("robots.txt", "not a story"),
        ("lamp.html.bak", "backup"),
    ],
)
def test_every_other_file_is_skipped_with_its_kind(personal, source, kind):
    assert _kinds(personal)[source] == kind
    assert all(s.reason for s in personal.skipped)


def test_every_file_is_either_planned_or_skipped(personal):
    planned = {c.source for w in personal.works for c in w.chapters}
    skipped = {s.source for s in personal.skipped}
    files = {
        p.relative_to(SITES / "personal1999").as_posix()
        for p in (SITES / "personal1999").rglob("*")
        if p.is_file()
    }
    assert planned | skipped == files and not planned & skipped


def test_the_repeated_disclaimer_is_boilerplate(personal):
    assert any(b.startswith("Disclaimer: the keepers") for b in personal.boilerplate)


def test_build_work_joins_the_chapters_without_the_boilerplate(personal):
    salt = _work(personal, "Salt")
    work = build_work(salt, Path(personal.root), personal.boilerplate)
    assert work.title == "Salt"
    assert [c.name for c in work.creators] == ["Mara"]
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "Part One: The Storm"), (2, "Part Two: The Road"), (3, "Part Three: The Tide")
    ]  # fmt: skip
    assert work.chapters[1].text.startswith("Bea came up the coast road")
    everything = " ".join(
        b.text for c in work.chapters for b in [*c.blocks, *c.notes, *c.end_notes]
    ) + " ".join(b.text for b in [*work.notes, *work.end_notes])
    for gone in ("Disclaimer", "<< back", "Next >>", "mara@example.com", "Contents"):
        assert gone not in everything
    assert work.rating == "General Audiences"
    assert work.summary and work.summary[0].text.startswith("Two lighthouse keepers")


def test_plan_survives_its_json_round_trip(personal):
    again = Plan.from_json(personal.to_json())
    assert again == personal


# --- eFiction as wget saves it ----------------------------------------------------------------


def test_efiction_chapters_grouped_by_sid(efiction):
    ledger = _work(efiction, "The Lost Ledger")
    assert [c.source.rsplit("/", 1)[1] for c in ledger.chapters] == [
        f"viewstory.php?sid=12&chapter={n}.html" for n in (1, 2, 3)
    ]
    assert [c.title for c in ledger.chapters] == ["The Harbour Master", "Green Ink", "Low Water"]
    assert ledger.creators == ["Wren Harlow"]
    assert ledger.metadata["summary"].startswith("A harbour master's daughter")
    assert ledger.metadata["rating"] == "Teen And Up Audiences"
    foghorn = _work(efiction, "Foghorn")
    assert len(foghorn.chapters) == 1
    assert foghorn.metadata["rating"] == "General Audiences"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("viewstory.php?sid=12.html", "story index"),
        ("viewuser.php?uid=3.html", "author page"),
        ("index.php.html", "site index"),
        ("style.css", "asset"),
        ("wget-log", "not a story"),
    ],
)
def test_efiction_pages_kinds(efiction, name, kind):
    kinds = {source.rsplit("/", 1)[-1]: k for source, k in _kinds(efiction).items()}
    assert kinds[name] == kind


def test_efiction_work_builds(efiction):
    ledger = _work(efiction, "The Lost Ledger")
    work = build_work(ledger, Path(efiction.root), efiction.boilerplate)
    assert [c.title for c in work.chapters] == ["The Harbour Master", "Green Ink", "Low Water"]
    assert work.summary[0].text.startswith("A harbour master's daughter")
    assert "Powered by" not in " ".join(c.text for c in work.chapters)


# --- fanfiction.net and AO3 chapter pages ------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "title", "creator", "first_words"),
    [
        (
            "ffn-story",
            "The Eleventh Lamp",
            "Quill and Lantern",
            ["The fog", "The eleventh", "On the last"],
        ),
        ("ao3-work", "The Island Road", "tidewriter", ["The tide", "The island", "They drank"]),
    ],
)
def test_site_chapter_pages_make_one_work(site, title, creator, first_words):
    plan = plan_site(SITES / site)
    (planned,) = plan.works
    assert planned.title == title and planned.creators == [creator]
    work = build_work(planned, Path(plan.root), plan.boilerplate)
    assert [c.number for c in work.chapters] == [1, 2, 3]
    assert [c.text[: len(w)] for c, w in zip(work.chapters, first_words)] == first_words
    assert work.summary, "the story's summary, repeated on every chapter page, is kept"


# --- plain folders and single files ------------------------------------------------------------


def test_a_single_file_plans_one_work():
    plan = plan_site(SITES / "personal1999" / "owls.html")
    assert plan.kind == "files"
    assert [(w.title, [c.source for c in w.chapters]) for w in plan.works] == [
        ("Owl Post", ["owls.html"])
    ]


def test_development_corpus_plans_one_work_per_story_file():
    corpus = SHARED / "corpora" / "fanfic-dev"
    if not corpus.is_dir():
        pytest.skip("../shared/corpora/fanfic-dev is not present")
    plan = plan_site(corpus)
    assert plan.kind == "files"
    assert all(len(w.chapters) == 1 for w in plan.works)
    kinds = _kinds(plan)
    assert kinds["README.md"] == "not a story"
    assert all(kinds[s] == "not a story" for s in kinds if s.endswith(".source.txt"))
    index = next(s for s in kinds if s.startswith("efiction-") and s.endswith(".html"))
    assert kinds[index] == "story index"
    planned = {c.source for w in plan.works for c in w.chapters}
    assert not any(s.endswith((".md", ".source.txt")) for s in planned)


# --- building fails whole -----------------------------------------------------------------------


def test_a_missing_chapter_file_fails_the_whole_work(personal, tmp_path):
    salt = _work(personal, "Salt")
    for chapter in salt.chapters[:2]:
        (tmp_path / chapter.source).write_bytes((Path(personal.root) / chapter.source).read_bytes())
    with pytest.raises(ChapterUnreadable) as caught:
        build_work(salt, tmp_path, [])
    assert isinstance(caught.value, StoryError)
    assert "chapter 3 of 'Salt' (salt-tide.html)" in str(caught.value)
    assert "plan" in str(caught.value)


def test_an_unreadable_chapter_says_which(personal, tmp_path):
    salt = _work(personal, "Salt")
    for chapter in salt.chapters:
        (tmp_path / chapter.source).write_bytes(b"")
    with pytest.raises(ChapterUnreadable, match="chapter 1 of 'Salt'"):
        build_work(salt, tmp_path, [])


@pytest.mark.parametrize(
    ("context", "link", "expected"),
    [
        ("Salt by Mara. Rated PG. Two keepers wait out a storm.", "Salt",
         {"author": "Mara", "rating": "General Audiences", "summary": "Two keepers wait out a storm"}),
        ("Foghorn by Wren Harlow Rated: G", "Foghorn", {"author": "Wren Harlow", "rating": "General Audiences"}),
        ("The Lamp Room by Mara (G) - A short piece about a lens.", "The Lamp Room",
         {"author": "Mara", "rating": "General Audiences", "summary": "A short piece about a lens"}),
        ("Owl Post", "Owl Post", {}),
        # A title line with its facts over the summary (a <dt> and its <dd>, a cell and a row).
        ("Salt (PG-13, 3 chapters, complete)\nTwo keepers and a storm. Chapters:", "Salt",
         {"rating": "Teen And Up Audiences", "summary": "Two keepers and a storm"}),
        ("The Lamp Room (G) - 2 parts\nA lens, a keeper, a winter.\n| |", "Part 1",
         {"rating": "General Audiences", "summary": "A lens, a keeper, a winter"}),
        ("Owl Post\nR\nA letter that comes forty years late.", "Owl Post",
         {"rating": "Mature", "summary": "A letter that comes forty years late"}),
        ("Tidewater (G, one-shot, with Ann Lee)\nShort and sad. Read it", "Read it",
         {"rating": "General Audiences", "summary": "Short and sad"}),
    ],
)  # fmt: skip
def test_index_entries(context, link, expected):
    assert entry_metadata(context, link) == expected


# --- an archive of 2002: banner, menu and disclaimer above every story's header -----------------


@pytest.fixture(scope="module")
def quarry() -> Plan:
    return plan_site(SITES / "archive2002")


def test_front_news_essay_and_list_pages_are_no_works(quarry):
    assert sorted(w.title for w in quarry.works) == ["Ember", "Slate and Water", "The Lantern Test"]
    kinds = _kinds(quarry)
    assert kinds["index.html"] == "site index"  # a welcome and the latest news, linked as Home
    assert kinds["news.html"] == "news page"
    assert kinds["authors/pell/notes.html"] == "not a story"
    assert kinds["authors/pell/index.html"] == "author page"  # a one-shot beside the chapters
    assert kinds["guest.html"] != "story page"  # one entry and a sentence about it


def test_metadata_comes_from_the_entries_not_the_news(quarry):
    slate = _work(quarry, "Slate and Water")
    assert [c.source for c in slate.chapters] == [
        "authors/pell/slate-1.html",
        "authors/pell/slate-2.html",
    ]
    assert (
        slate.metadata["summary"]
        == "The lower gallery floods and Ottilie goes down after her brother"
    )
    assert slate.metadata["rating"] == "Teen And Up Audiences"
    assert _work(quarry, "Ember").metadata["summary"].startswith("Bram keeps the lamp house")
    lantern = _work(quarry, "The Lantern Test")
    assert lantern.creators == ["Moss"]
    assert lantern.metadata["summary"].startswith("Nell has one night")


def test_the_header_under_the_site_banner_is_read_and_the_chrome_removed(quarry):
    slate = build_work(_work(quarry, "Slate and Water"), Path(quarry.root), quarry.boilerplate)
    assert (slate.title, [c.name for c in slate.creators]) == ("Slate and Water", ["Pell"])
    assert slate.rating == "Teen And Up Audiences"
    assert slate.expected_chapters == 2  # `Part 1 of 2` under the by-line
    assert any("For my sister" in b.text for b in slate.notes)  # the rest of the Rating line
    everything = "\n".join(
        b.text
        for c in slate.chapters
        for b in [*c.blocks, *c.notes, *c.end_notes, *slate.notes, *slate.summary]
    )
    for chrome in ("The Quarry Lamp", "fan fiction since", "Disclaimer", "Archive home",
                   "Back to Pell", "Slate and Water", "Part 1 of 2", "pell@example.org"):  # fmt: skip
        assert chrome not in everything
    assert slate.chapters[0].text.startswith("Ran down past the lamp house")


# --- a second site, written after the rules (frames, .htm, tale-N names, image links) ----------


def test_held_out_frames_site():
    plan = plan_site(SITES / "heldout-frames")
    works = {w.title: [c.source for c in w.chapters] for w in plan.works}
    assert works == {
        "The Drowned Valley": [f"stories/tale-{n}.htm" for n in (1, 2, 3)],
        "Two for Joy": ["stories/crow1.htm", "stories/crow2.htm"],
        "Winter Orchard": ["stories/winter.htm"],
    }
    kinds = _kinds(plan)
    assert kinds["index.htm"] == "navigation page"  # the frameset
    assert kinds["library.htm"] == "site index"
    assert kinds["links.htm"] == "links page"
    assert kinds["hts-log.txt"] == "not a story"
    valley = _work(plan, "The Drowned Valley")
    assert valley.metadata["summary"].startswith("A map, a dry summer")
    work = build_work(valley, Path(plan.root), plan.boilerplate)
    assert work.chapters[1].text.startswith("The summer was the driest")


# --- journal entries -----------------------------------------------------------------------------

JOURNAL = Path(__file__).resolve().parents[1] / "fixtures" / "journal" / "lj_s2_generator.html"
PART_OPENINGS = {
    1: "The boat came in at dusk with Jonah asleep on the nets, and Marit carried his bag up.",
    2: "The forge had gone cold in the night, and Marit broke the crust of ash with the poker.",
    3: "On the last morning the sea was flat as pewter, and the sword went into it without a sound.",
}


def _journal_part(number: int, entry: str) -> str:
    """The saved entry fixture as part `number` of 3, with its own text (every part different)."""
    page = JOURNAL.read_text(encoding="utf-8")
    page = page.replace("part 2/3", f"part {number}/3").replace("(2/3)", f"({number}/3)")
    body_start = page.index("The forge had gone cold")
    body_end = page.index("<center>~ to be continued ~</center>")
    words = PART_OPENINGS[number] + " " + f"Part {number} goes on, tide after tide. " * 12
    return page[:body_start] + words + "<br><br>\n" + page[body_end:].replace("77123", entry)


def test_a_story_posted_across_journal_entries_is_one_work(tmp_path):
    # The entry numbers do not sort in part order: the parts say their order.
    for number, entry in ((2, "77101"), (1, "77123"), (3, "77160")):
        (tmp_path / f"{entry}.html").write_text(_journal_part(number, entry), encoding="utf-8")
    plan = plan_site(tmp_path, workers=1)
    (planned,) = plan.works
    assert planned.title == "Salt and Iron" and planned.creators == ["tidewright"]
    assert [c.source for c in planned.chapters] == ["77123.html", "77101.html", "77160.html"]
    work = build_work(planned, tmp_path, plan.boilerplate)
    assert [c.text[:20] for c in work.chapters] == [PART_OPENINGS[n][:20] for n in (1, 2, 3)]
    text = " ".join(c.text for c in work.chapters)
    assert "Current Mood" not in text and "Waiting for part three" not in text


# --- a blog of 2005: posts of several stories, interleaved, with comments and a sidebar ----------


@pytest.fixture(scope="module")
def blog() -> Plan:
    return plan_site(SITES / "blog2005")


def test_blog_posts_group_by_story_not_by_the_blogs_previous_and_next_links(blog):
    works = {w.title: [c.source for c in w.chapters] for w in blog.works}
    assert works == {
        "Salt Lamps": ["archives/000010.html", "archives/000013.html"],
        "The Ferry Bell": ["archives/000012.html"],
    }
    kinds = _kinds(blog)
    assert kinds["archives/000011.html"] == "not a story"  # `Meta: …`
    assert "Meta" in {s.reason for s in blog.skipped if s.source == "archives/000011.html"}.pop()
    assert kinds["archives/cat_fic.html"] != "story page" and kinds["index.html"] == "site index"


def test_a_blog_post_ends_at_its_posted_by_line(blog):
    salt = build_work(_work(blog, "Salt Lamps"), Path(blog.root), blog.boilerplate)
    assert [c.name for c in salt.creators] == ["gullwing"]
    everything = "\n".join(
        b.text for c in salt.chapters for b in [*c.blocks, *c.notes, *c.end_notes, *salt.notes]
    )
    for chrome in ("Posted by", "tidepool", "About gullwing", "Fic masterlist", "Recent Entries",
                   "Gull Light", "Main"):  # fmt: skip
        assert chrome not in everything
    assert salt.chapters[0].text.startswith("Through the grey water")
    assert len(salt.chapters[0].blocks) == 6 and len(salt.chapters[1].blocks) == 6
