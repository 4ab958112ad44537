"""A small archive for the catalog and feed tests, and validators for Atom and OPDS 1.2."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ficarchive.archive import actions
from ficarchive.archive.models import Pseud, Tag
from ficarchive.text.model import Tag as ParsedTag
from ficarchive.text.model import TagType
from tests.conftest import make_parsed_work

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SECRET_EMAIL = "secret.writer@example.invalid"  # make_parsed_work's private contact


def _validator(name: str):
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / f"{name}.rng")))

    def validate(body: bytes) -> etree._Element:
        document = etree.fromstring(body)
        if not schema.validate(document):
            raise AssertionError(f"not valid {name}: {schema.error_log}")
        return document

    return validate


@pytest.fixture(scope="session")
def valid_atom():
    return _validator("atom")


@pytest.fixture(scope="session")
def valid_opds():
    return _validator("opds")


@pytest.fixture
def shelf(db):
    """Three works: two by Test Writer in Original Work, one by Other Hand in another fandom."""
    lanterns = make_parsed_work("Lanterns at Dusk")
    salt = make_parsed_work("The Salt Road", chapters=3)
    orchard = make_parsed_work("Winter Orchard & Co <b>", creator="Other Hand")
    orchard.tags = [
        ParsedTag(TagType.FANDOM, "Harbour Tales"),
        ParsedTag(TagType.CHARACTER, "Mira"),
    ]
    works = [
        actions.import_work(parsed, raw=parsed.title.encode(), analyse=False).work
        for parsed in (lanterns, salt, orchard)
    ]
    # A synonym: works tagged "Annie" are found under "Ann".
    ann = Tag.objects.get(type="character", name="Ann")
    Tag.objects.create(type="character", name="Annie", slug="annie", merger=ann)
    assert Pseud.objects.count() == 2
    return works
