"""The test personas (like healthchecks' alice/bob/charlie): writer, reader, archivist, stranger.

Each is a full account (user, creator, pseud named after the user), made as a sign-up makes it;
tests/conftest.py offers them to every test. `posted_work` is a work the writer posted.
"""

from __future__ import annotations

import pytest

from ficarchive.accounts.actions import create_account
from ficarchive.posting.actions import ChapterData, WorkData, post_work

PASSWORD = "correct horse battery staple"


def make_user(username: str, *, staff: bool = False):
    user = create_account(username, f"{username}@example.invalid", PASSWORD)
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def writer(db):
    return make_user("wren")


@pytest.fixture
def reader(db):
    return make_user("rhea")


@pytest.fixture
def archivist(db):
    return make_user("arch", staff=True)


@pytest.fixture
def stranger(db):
    return make_user("stan")


def work_data(user, **changes) -> WorkData:
    fields = {
        "title": "The Lighthouse Letters",
        "pseuds": [user.creators.first().pseuds.first()],
        "rating": "General Audiences",
        "tags": {
            "warning": ["No Archive Warnings Apply"],
            "category": ["Gen"],
            "fandom": ["Original Work"],
            "character": ["Mara Quill"],
            "freeform": ["Letters"],
        },
        "summary": "Two keepers write to each other.",
        "language": "en",
    }
    fields.update(changes)
    return WorkData(**fields)


def post(
    user, *, text: str = "The lamp was lit at dusk.\n\nMara wrote her first letter.", **changes
):
    return post_work(user, work_data(user, **changes), ChapterData(text=text), analyse=False)


@pytest.fixture
def posted_work(writer):
    return post(writer)
