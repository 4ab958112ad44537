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
