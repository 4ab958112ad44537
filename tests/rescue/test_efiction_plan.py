"""An eFiction archive read from its dump and stories folder, planned, and built into works.

Three hand-written sites: `moonlit35.sql` (eFiction 3.5, chapter files, cp1252 and Japanese
text), `fog35_mysql.sql` (3.5 keeping chapter text in the database) and `legacy_efic.sql`
(another prefix, a 2.x-era shape: genres/warnings tables, no coauthors table, no endnotes,
DATETIME dates, rating names in stories.rid, no settings).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ficarchive.rescue.efiction import (
    build_work,
    check_plan,
    decode_value,
    plan_efiction,
    read_dump,
    read_dump_bytes,
    story_blocks,
    when,
)
from ficarchive.rescue.efiction_dump import DumpError
from ficarchive.rescue.plan import Plan, PlanError
from ficarchive.text.headers import classify_warning, rating_of
from ficarchive.text.model import TagType

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "efiction"
STORIES = HERE / "stories"


@pytest.fixture(scope="module")
def moonlit():
    return read_dump(HERE / "moonlit35.sql")


@pytest.fixture(scope="module")
def plan(moonlit):
    return plan_efiction(moonlit, STORIES)


def _work(plan: Plan, sid: int):
    return next(w for w in plan.works if w.key == f"efiction:story:{sid}")


def _built(plan, archive, sid, stories=STORIES):
    return build_work(_work(plan, sid), archive, stories, plan.tag_mappings)


def test_the_prefix_settings_and_tables_are_read(moonlit):
    assert moonlit.prefix == "fanfiction_" and moonlit.store == "files"
    assert (moonlit.charset, moonlit.codepage) == ("latin1", "cp1252")
    assert len(moonlit.stories) == 6 and len(moonlit.chapters) == 10
    assert moonlit.coauthors == {2: [4]}
    assert moonlit.authors[3].penname == "霧野"
    assert moonlit.labels["category:3"].parent == "Anime & Manga"
    assert "1 review(s) of series or challenges are not imported" in moonlit.notes


def test_validated_stories_with_chapters_are_planned_and_the_rest_skipped_with_reasons(plan):
    actions = {w.key: (w.action, w.reason) for w in plan.works}
    assert actions == {
        "efiction:story:1": ("import", ""),
        "efiction:story:2": ("import", ""),
        "efiction:story:3": ("import", ""),
        "efiction:story:4": ("import", ""),
        "efiction:story:5": ("skip", "not validated on the site (never published)"),
        "efiction:story:6": ("skip", "no validated chapters"),
    }


def test_chapters_follow_inorder_not_their_ids_and_unvalidated_chapters_are_left_out(plan):
    work = _work(plan, 1)
    assert [c.source for c in work.chapters] == [
        "efiction:chapter:12", "efiction:chapter:9", "efiction:chapter:5"
    ]  # fmt: skip
    assert work.metadata["unvalidated_chapters"] == [14]
    assert any("not validated" in line for line in work.evidence)


def test_creators_are_the_author_then_the_coauthors(plan):
    assert _work(plan, 2).creators == ["Ashe Marlow", "Tamsin Vale"]


def test_proposed_tag_mappings(plan):
    assert plan.tag_mappings["category:1"] == [["fandom", "Sherlock Holmes"]]
    assert plan.tag_mappings["character:3"] == [["character", "Ginko"]]
    assert plan.tag_mappings["rating:2"] == [["rating", "Teen And Up Audiences"]]
    assert plan.tag_mappings["class:5"] == [["warning", "Graphic Depictions Of Violence"]]
    assert plan.tag_mappings["class:6"] == [["freeform", "Mild Language"]]
    assert plan.tag_mappings["class:3"] == [["freeform", "Mystery"]]
    assert "category:4" not in plan.tag_mappings  # only the skipped stories use it


def test_series_in_their_order_and_the_plan_survives_json(plan, moonlit):
    assert plan.extra["series"] == [
        {"id": 1, "title": "The Ink Papers", "works": ["efiction:story:2", "efiction:story:3"]}
    ]
    again = Plan.from_json(plan.to_json())
    assert again == plan
    check_plan(again, moonlit)
    assert (
        "Import (4)" in plan.report() and "category:1 -> fandom: Sherlock Holmes" in plan.report()
    )


def test_a_plan_from_another_dump_is_refused(plan):
    legacy = read_dump(HERE / "legacy_efic.sql")
    with pytest.raises(PlanError, match="efiction:story:1"):
        check_plan(plan, legacy)


def test_a_multi_chapter_cp1252_story(plan, moonlit):
    work = _built(plan, moonlit, 1)
    assert work.title == "The Dancing Men Revisited" and [c.name for c in work.creators] == [
        "Wren Hollow"
    ]
    assert [c.title for c in work.chapters] == [
        "The Dancing Men Revisited", "Little Figures", "The Last Message"
    ]  # fmt: skip
    assert work.summary[0].text == (
        "Holmes meets a cipher he can\u2019t read \u2014 and a caf\u00e9 owner who can."
    )
    assert work.notes[0].text.startswith("Written for the 2004 Baker Street exchange. It's my")
    first, second, third = work.chapters
    assert "\u201cA child\u2019s game,\u201d said Watson, over his caf\u00e9 au lait." in first.text
    assert "na\u00efve" in second.text and "\u2014 every word" in second.text
    assert [b.text for b in third.blocks][:2] == [
        "The last message came on a Tuesday.", "Holmes read it at once and went pale."
    ]  # fmt: skip
    assert first.notes[0].text == "Thanks to my beta, Ashe."
    assert third.end_notes[0].text == "The end\u2026 for now."
    assert work.word_count == sum(c.word_count for c in work.chapters) > 60
    assert (work.rating, work.complete, work.published, work.updated) == (
        "Teen And Up Audiences", True, "2004-01-20", "2004-06-01"
    )  # fmt: skip
    assert work.tags_of(TagType.FANDOM) == ["Sherlock Holmes"]
    assert work.tags_of(TagType.CHARACTER) == ["John Watson", "Sherlock Holmes"]
    assert work.tags_of(TagType.WARNING) == ["Graphic Depictions Of Violence"]
    assert work.tags_of(TagType.FREEFORM) == ["Mystery", "Mild Language"]
    assert work.source.url == "http://moonlit.example.org/viewstory.php?sid=1"
    assert work.source.encoding == "cp1252"


def test_a_japanese_story(plan, moonlit):
    work = _built(plan, moonlit, 4)
    assert work.title == "蟲の声" and work.creators[0].name == "霧野"
    assert work.language == "ja" and work.summary[0].text == "ギンコが山で不思議な声を聞く。"
    assert work.chapters[0].title == ""  # a one-chapter story's chapter named after the story
    assert work.chapters[0].text.startswith("ギンコは山道を歩いていた。")
    assert work.word_count > 30  # CJK characters count one word each


def test_a_coauthors_chapter_is_read_from_the_coauthors_folder(plan, moonlit):
    work = _built(plan, moonlit, 2)
    assert [c.name for c in work.creators] == ["Ashe Marlow", "Tamsin Vale"]
    assert work.chapters[1].text.startswith("Tamsin took the inkwell")
    assert work.contacts and all(c.value != "tamsin.vale@example.invalid" for c in work.contacts)


def test_emails_stay_out_of_the_works_text(plan, moonlit):
    for planned in plan.works:
        if planned.action == "import":
            work = _built(plan, moonlit, planned.metadata["sid"])
            visible = " ".join(
                [work.title, *(b.text for b in work.summary + work.notes)]
                + [c.text for c in work.chapters]
                + [b.text for c in work.chapters for b in c.notes + c.end_notes]
                + [t.name for t in work.tags]
            )
            assert "@" not in visible


def test_an_archivists_mapping_decides_the_tags(plan, moonlit):
    mappings = dict(plan.tag_mappings)
    mappings["category:1"] = [["relationship", "Holmes/Watson"]]
    mappings["class:6"] = []
    work = build_work(_work(plan, 1), moonlit, STORIES, mappings)
    assert work.tags_of(TagType.FANDOM) == [] and work.tags_of(TagType.RELATIONSHIP) == [
        "Holmes/Watson"
    ]
    assert "Mild Language" not in work.tags_of(TagType.FREEFORM)


def test_a_site_that_kept_text_in_the_database(tmp_path):
    archive = read_dump(HERE / "fog35_mysql.sql")
    plan = plan_efiction(archive, tmp_path)  # no stories folder at all
    work = _work(plan, 1)
    assert work.action == "import" and [c.source for c in work.chapters] == [
        "efiction:chapter:21", "efiction:chapter:20"
    ]  # fmt: skip
    built = build_work(work, archive, tmp_path, plan.tag_mappings)
    assert built.chapters[0].text.startswith("The fog came up the Thames like a tide.")
    assert "\u201cMind your step,\u201d said Holmes." in built.chapters[0].text
    assert built.rating == "Explicit" or plan.tag_mappings["rating:2"]
    assert built.source.url == "http://fog.example.org/efiction/viewstory.php?sid=1"


def test_another_prefix_and_an_older_shape():
    archive = read_dump(HERE / "legacy_efic.sql")
    assert archive.prefix == "efic_" and archive.store == ""
    assert archive.coauthors == {31: [8]}  # from stories.coauthors: there is no coauthors table
    plan = plan_efiction(archive, HERE / "legacy_stories")
    assert [(w.key, w.action) for w in plan.works] == [
        ("efiction:story:31", "import"), ("efiction:story:32", "import"),
        ("efiction:story:33", "skip"),
    ]  # fmt: skip
    assert plan.tag_mappings["rating:PG-13"] == [["rating", "Teen And Up Audiences"]]
    assert plan.tag_mappings["rating:Fiction Rated R"] == [["rating", "Mature"]]
    assert plan.tag_mappings["warning:2"] == [["freeform", "Spoilers for Season 6"]]
    assert any("'Spike/Buffy'" in note and "pairing" in note for note in plan.notes)

    lanterns = build_work(plan.works[0], archive, HERE / "legacy_stories", plan.tag_mappings)
    assert [c.name for c in lanterns.creators] == ["Lantern Keeper", "Moth"]  # stories.coauthors
    assert [c.title for c in lanterns.chapters] == ["The Bronze", "After Patrol"]
    assert lanterns.chapters[1].text.endswith("\u201cYou\u2019re buying,\u201d said Buffy.")
    assert lanterns.summary[0].text.startswith(
        "Buffy and Spike meet at the caf\u00e9 after patrol."
    )
    assert lanterns.chapters[0].notes[0].text == 'Set after "Fool for Love".'
    assert (lanterns.published, lanterns.updated, lanterns.complete) == (
        "2002-10-31", "2003-01-05", True
    )  # fmt: skip
    assert lanterns.tags_of(TagType.FREEFORM) == ["Drama", "Spoilers for Season 6"]

    notebook = build_work(plan.works[1], archive, HERE / "legacy_stories", plan.tag_mappings)
    assert notebook.title == "Willow's Notebook" and notebook.rating == "Mature"
    assert notebook.chapters[0].text.startswith("Willow wrote the first spell")  # text in the dump
    assert notebook.updated == "2003-02-14"  # no update date: the posting date


def test_a_dump_without_efiction_tables_says_so():
    with pytest.raises(DumpError, match="no eFiction stories and chapters tables"):
        read_dump_bytes(b"CREATE TABLE `wp_posts` (`ID` int);\nINSERT INTO `wp_posts` VALUES (1);")


@pytest.mark.parametrize(
    ("name", "rating"),
    [
        ("G", "General Audiences"), ("K+", "General Audiences"), ("PG", "General Audiences"),
        ("All Ages", "General Audiences"), ("PG-13", "Teen And Up Audiences"),
        ("T", "Teen And Up Audiences"), ("Teen", "Teen And Up Audiences"),
        ("Young Adult", "Teen And Up Audiences"), ("R", "Mature"), ("M", "Mature"),
        ("Mature", "Mature"), ("NC-17", "Explicit"), ("MA", "Explicit"), ("Adult", "Explicit"),
        ("Adults Only (18+)", "Explicit"), ("Fiction Rated NC-17", "Explicit"),
        ("Unrated", "Not Rated"), ("Fluffy", None),
    ],
)  # fmt: skip
def test_site_ratings_become_ao3_ratings(name, rating):
    assert rating_of(name) == rating


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("Character Death", "Major Character Death"), ("Violence", "Graphic Depictions Of Violence"),
        ("Non-Con", "Rape/Non-Con"), ("Underage", "Underage"), ("None", "No Archive Warnings Apply"),
        ("Slash", None), ("Spoilers", None),
    ],
)  # fmt: skip
def test_site_warnings_become_ao3_warnings_or_stay_the_sites_own(name, warning):
    assert classify_warning(name) == warning


@pytest.mark.parametrize(
    ("raw", "codepage", "text"),
    [
        (b"plain", "", "plain"),
        ("caf\u00e9 \u2014 \u201cok\u201d".encode(), "cp1252", "caf\u00e9 \u2014 \u201cok\u201d"),
        (
            "caf\u00e9 \u2014 \u201cok\u201d".encode("cp1252"),
            "cp1252",
            "caf\u00e9 \u2014 \u201cok\u201d",
        ),
        (b"The end\x85", "", "The end\u2026"),  # a guess leaving C1 controls is wrong
        ("caf\u00e9".encode().decode("latin-1").encode(), "", "caf\u00e9"),  # UTF-8 read as Latin-1
        ("蟲の声".encode(), "cp1252", "蟲の声"),  # UTF-8 stays UTF-8 in a cp1252 site
        ("ギンコが山で声を聞く".encode("shift_jis"), "shift_jis", "ギンコが山で声を聞く"),
        (None, "", ""),
        (7, "", "7"),
    ],
)
def test_dump_values_decode_honestly(raw, codepage, text):
    assert decode_value(raw, codepage) == text


@pytest.mark.parametrize(
    ("values", "codepage"),
    [
        (["Short \u2014 caf\u00e9 \u201cquoted\u201d".encode("cp1252")] * 3, "cp1252"),
        (
            [
                "\u3053\u308c\u306f\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002".encode(
                    "shift_jis"
                )
            ]
            * 20,
            "cp932",
        ),
        ([b"ascii only", "utf-8 caf\u00e9".encode()], "cp1252"),
    ],
)
def test_the_sites_code_page_is_judged_on_all_its_values(values, codepage):
    from ficarchive.rescue.efiction import site_codepage

    assert site_codepage(values) == codepage


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        (1075982400, "2004-02-05 12:00:00"), (0, None), (b"2002-10-31 23:15:00", "2002-10-31 23:15:00"),
        (b"0000-00-00 00:00:00", None), (b"2003-01-05", "2003-01-05 00:00:00"), (None, None),
    ],
)  # fmt: skip
def test_dates_from_unix_times_and_datetimes(raw, iso):
    assert when(raw) == iso


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("<p>One.</p><p>Two.</p>", ["One.", "Two."]),
        ("One.<br><br>Two.", ["One.", "Two."]),
        ("<i>One.</i>\n\nTwo &amp; three.", ["One.", "Two & three."]),  # HTML without <br>: nl2br
        ('It\\\'s \\"here\\".', ['It\'s "here".']),  # stripslashes
        ("One.\n\n* * *\n\nTwo.", ["One.", "", "Two."]),
    ],
)
def test_text_reads_as_efiction_showed_it(text, blocks):
    assert [b.text for b in story_blocks(text)] == blocks


BACKUP = b"""# Dump of table eff_stories
INSERT INTO eff_stories VALUES ("7","Backup Tale","From the admin backup.","","1","","","1","1104580800","1104580800","2",NULL,"0","1","1","0","0","0","0","0","0");
INSERT INTO eff_chapters VALUES ("70","Only","1","","","","1","0","0","0","7","2","0");
INSERT INTO eff_authors VALUES ("2","Quill","","quill@example.invalid","","","","0","0","x");
INSERT INTO eff_settings VALUES ("k","Backup Site","","http://backup.example.org","","","skin","","en","0","tales","files","0","1","0","0","1");
"""


def test_the_sites_own_backup_without_create_table_and_files_in_a_moved_folder(tmp_path):
    """eFiction's admin backup writes no CREATE TABLE; the chapter file sits in another uid."""
    archive = read_dump_bytes(BACKUP)
    assert archive.prefix == "eff_" and archive.storiespath == "tales"
    assert any("no CREATE TABLE" in note for note in archive.notes)
    moved = tmp_path / "site" / "tales" / "9" / "70.txt"  # not the author's folder (2)
    moved.parent.mkdir(parents=True)
    moved.write_text("The tale, moved with its story.\n", encoding="utf-8")
    plan = plan_efiction(archive, tmp_path / "site")
    (work,) = plan.works
    assert work.action == "import" and work.creators == ["Quill"]
    built = build_work(work, archive, tmp_path / "site", plan.tag_mappings)
    assert built.chapters[0].text == "The tale, moved with its story."
    assert built.published == "2005-01-01" and built.complete is True
