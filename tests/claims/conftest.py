"""Imported works for the claims and hiding tests: a creator with a private address, two works.

`juniper` is as an eFiction or site import leaves a person: a creator with no account, a pseud,
a private `Contact` and the works' `Source`s. `other` is a second imported creator, as a control.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ficarchive.archive import actions
from ficarchive.archive.models import Creator, Pseud, Work
from ficarchive.text.model import Contact, SourceInfo, Tag, TagType
from tests.conftest import make_parsed_work

ADDRESS = "juniper.vale@example.org"


def imported(title: str, creator: str, *, address: str = "", url: str = "", **fields) -> Work:
    parsed = make_parsed_work(
        title,
        creator=creator,
        contacts=[Contact("email", address)] if address else [],
        source=SourceInfo(format="html", filename=f"{title.lower().replace(' ', '-')}.html",
                          url=url, site="efiction"),
        **fields,
    )  # fmt: skip
    return actions.import_work(parsed, raw=title.encode(), analyse=False).work


@dataclass
class Imported:
    creator: Creator
    pseud: Pseud
    hidden: Work  # the work the hiding tests hide
    kept: Work  # a work of the same creator, fandom and search words that stays visible
    other: Work  # another creator's work


@pytest.fixture
def juniper(db) -> Imported:
    hidden = imported(
        "Moonlit Orchard",
        "Juniper Vale",
        address=ADDRESS,
        url="http://old-archive.example.net/viewstory.php?sid=12",
        tags=[
            Tag(TagType.FANDOM, "Original Work"),
            Tag(TagType.FREEFORM, "Orchard Secrets"),  # a tag only the hidden work carries
        ],
    )
    kept = imported("Brass Lantern", "Juniper Vale", address=ADDRESS)
    other = imported("Copper Kettle", "Rowan Ash", address="rowan@example.com")
    pseud = Pseud.objects.get(name="Juniper Vale")
    return Imported(pseud.creator, pseud, hidden, kept, other)
