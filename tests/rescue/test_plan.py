"""The import plan: JSON round trip, validation that names the field, and the report."""

from __future__ import annotations

import json
import re

import pytest

from ficarchive.rescue.plan import Plan, PlanError, PlannedChapter, PlannedWork, SkippedFile


def _plan() -> Plan:
    return Plan(
        kind="site",
        root="/saved/site",
        works=[
            PlannedWork(
                key="tale/ch1.html",
                title="A Tale",
                creators=["Wren"],
                chapters=[
                    PlannedChapter("tale/ch1.html", "Arrival"),
                    PlannedChapter("tale/ch2.html"),
                ],
                evidence=["next/previous links"],
            ),
            PlannedWork(
                key="old.html",
                title="Old",
                chapters=[PlannedChapter("old.html")],
                action="update",
                update_of=7,
                reason="a newer version of work #7",
            ),  # fmt: skip
            PlannedWork(
                key="copy.txt",
                title="Copy",
                chapters=[PlannedChapter("copy.txt")],
                action="skip",
                duplicate_of=3,
                reason="the same story as work #3",
            ),  # fmt: skip
        ],
        skipped=[SkippedFile("style.css", "asset", "a stylesheet")],
        tag_mappings={"category:2": [["fandom", "Star Trek"]]},
        boilerplate=["Disclaimer: not mine."],
    )


def test_json_round_trip_keeps_everything():
    plan = _plan()
    assert Plan.from_json(plan.to_json()) == plan


def test_report_lists_each_section():
    report = _plan().report()
    assert "1 work(s) to import, 1 to update, 1 to skip; 1 file(s) not stories" in report
    assert "'A Tale' by Wren: 2 chapter(s)" in report
    assert "tale/ch1.html, tale/ch2.html" in report
    assert "a newer version of work #7" in report
    assert "category:2 -> fandom: Star Trek" in report
    assert "Disclaimer: not mine." in report
    assert "style.css: asset, a stylesheet" in report


def _edited(change) -> str:
    data = json.loads(_plan().to_json())
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["works"][0].update(action="imprt"), "works[0].action must be one of"),
        (lambda d: d["works"][0].update(chapters=[]), "has no chapters"),
        (lambda d: d["works"][1].update(update_of=None), "update_of (a work id) is not set"),
        (lambda d: d["works"][0].update(colour="red"), "works[0]: unknown field(s) colour"),
        (
            lambda d: d["works"][0]["chapters"][0].update(source=3),
            "chapters[0].source has the wrong type",
        ),
        (lambda d: d["works"][2].update(key="tale/ch1.html"), "two works have the key"),
        (lambda d: d.update(kind="ftp"), "kind must be one of files, site, efiction"),
        (lambda d: d.pop("root"), "'root' is missing"),
        (lambda d: d.update(version=9), "plan version 9"),
        (lambda d: d.update(tag_mappings={"x": "fandom"}), "tag_mappings must map"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_field(change, message):
    with pytest.raises(PlanError, match=re.escape(message)):
        Plan.from_json(_edited(change), "plan")


def test_not_json_says_so():
    with pytest.raises(PlanError, match="my.json is not valid JSON"):
        Plan.from_json("{works: [", "my.json")


def test_a_skipped_work_needs_no_chapters():
    plan = Plan.from_json(_edited(lambda d: d["works"][0].update(action="skip", chapters=[])))
    assert plan.works[0].action == "skip"
