"""Model-level promises: migrations match the models; display helpers."""

import pytest
from django.core.management import call_command

from ficarchive.archive.models import Work


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "archive", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("chapters", "expected", "complete", "shown"),
    [(1, None, True, "1/1"), (2, None, False, "2/?"), (2, 5, False, "2/5"), (3, None, None, "3/?")],
)
def test_chapters_display(chapters, expected, complete, shown):
    work = Work(chapter_count=chapters, expected_chapters=expected, complete=complete)
    assert work.chapters_display == shown


@pytest.mark.parametrize(
    ("rating", "badge"),
    [
        ("General Audiences", ("G", "general", "General Audiences")),
        ("Explicit", ("E", "explicit", "Explicit")),
        ("", ("NR", "not-rated", "Not Rated")),
        ("Not Rated", ("NR", "not-rated", "Not Rated")),
    ],
)
def test_rating_badge(rating, badge):
    assert Work(rating=rating).rating_badge == badge


@pytest.mark.parametrize(
    ("analysis", "shown"),
    [({}, ""), ({"reading_minutes": 0}, ""), ({"reading_minutes": 7}, "7 min"),
     ({"reading_minutes": 60}, "1 h 0 min"), ({"reading_minutes": 135}, "2 h 15 min")],
)  # fmt: skip
def test_reading_time(analysis, shown):
    assert Work(analysis=analysis).reading_time == shown


def test_cast_labels_and_percentages():
    work = Work(
        analysis={
            "characters": [
                {"name": "narrator", "narrator": True, "dialogue_share": 0.126},
                {"name": "Ann", "narrator": False, "dialogue_share": 0.5, "tag": None},
            ]
        }
    )
    assert [(c["label"], c["share_percent"]) for c in work.cast] == [
        ("The narrator", 13),
        ("Ann", 50),
    ]
