"""A small random archive and a brute-force search over it, to check every backend against.

The vocabulary has one word per stem (no "run"/"running" pairs), so matching lower-cased
whole words here is what the stemming engines do.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.db import connection

from ficarchive.archive import actions
from ficarchive.archive.models import Tag, Work, WorkTag
from ficarchive.search import indexing
from ficarchive.search.criteria import FACET_TYPES, SUGGESTED_TYPES, Criteria
from ficarchive.search.documents import html_text, sortable
from ficarchive.text.model import Block, Chapter, Creator, ParsedWork, SourceInfo, TagType
from ficarchive.text.model import Tag as ParsedTag

VOCAB = [
    "lantern",
    "harbor",
    "violin",
    "pepper",
    "garden",
    "mirror",
    "velvet",
    "anchor",
    "meadow",
    "copper",
    "kettle",
    "willow",
    "thunder",
    "saddle",
    "marble",
    "crimson",
    "falcon",
    "ginger",
    "pillow",
    "rocket",
]
FANDOMS = ["Lighthouse Tales", "Copper Kingdom", "Willow Street", "Falcon Academy"]
CHARACTERS = ["Ada Finch", "Bram Cole", "Cleo Marsh", "Dov Reyes", "Esme Lark", "Fenn Okoro"]
FREEFORMS = ["Fluff", "Angst", "Hurt/Comfort", "Slow Burn", "Crack"]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]
WARNINGS = ["No Archive Warnings Apply", "Major Character Death", "Graphic Depictions Of Violence"]
WORD = re.compile(r"\w+")


def backends() -> list[str]:
    return ["tantivy", "postgres"] if connection.vendor == "postgresql" else ["tantivy"]


@pytest.fixture(params=["tantivy", "postgres"])
def engine(request, settings):
    """Each search backend this database supports (PostgreSQL's only on PostgreSQL)."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the postgres search backend needs the PostgreSQL run (make test runs it)")
    settings.SEARCH_BACKEND = request.param
    indexing._backends.clear()
    yield request.param
    indexing._backends.clear()


def random_work(rng: random.Random, n: int) -> ParsedWork:
    fandoms = rng.sample(FANDOMS, 2 if rng.random() < 0.2 else 1)
    characters = rng.sample(CHARACTERS, rng.randint(1, 3))
    tags = [ParsedTag(TagType.FANDOM, f) for f in fandoms]
    tags += [ParsedTag(TagType.CHARACTER, c) for c in characters]
    if len(characters) > 1 and rng.random() < 0.7:
        tags.append(ParsedTag(TagType.RELATIONSHIP, "/".join(sorted(characters[:2]))))
    tags += [ParsedTag(TagType.FREEFORM, f) for f in rng.sample(FREEFORMS, rng.randint(0, 2))]
    tags.append(ParsedTag(TagType.WARNING, rng.choice(WARNINGS)))
    rating = rng.choice(RATINGS)
    chapters = []
    for number in range(1, rng.randint(1, 3) + 1):
        paragraphs = [
            " ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 12))).capitalize() + "."
            for _ in range(rng.randint(1, 4))
        ]
        chapters.append(
            Chapter(number=number, title="", blocks=[Block(html=p) for p in paragraphs])
        )
    published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
    return ParsedWork(
        title=f"The {rng.choice(VOCAB).title()} {rng.choice(VOCAB).title()} {n}",
        creators=[Creator(rng.choice(["Quill", "inkwell", "Zed Writes", "amaranth"]))],
        summary=[Block(html=" ".join(rng.choice(VOCAB) for _ in range(5)))],
        rating=rating,
        tags=tags,
        language=rng.choice(["en", "en", "en", "fr"]),
        complete=rng.choice([True, False, None]),
        published=published.isoformat(),
        updated=(published + dt.timedelta(days=rng.randint(0, 300))).isoformat(),
        chapters=chapters,
        source=SourceInfo(format="text", filename=f"work-{n}.txt"),
    )


@pytest.fixture
def corpus(db):
    """Sixty works with random words, tags, dates, counts, POV and tense, and a few suggestions."""
    rng = random.Random(20261123)
    works = []
    for n in range(60):
        parsed = random_work(rng, n)
        work = actions.import_work(parsed, raw=f"raw {n}".encode(), analyse=False).work
        Work.objects.filter(pk=work.pk).update(
            kudos_count=rng.randint(0, 50),
            hits_count=rng.randint(0, 900),
            bookmarks_count=rng.randint(0, 9),
            comments_count=rng.randint(0, 30),
            pov=rng.choice(["first", "third", ""]),
            tense=rng.choice(["past", "present"]),
        )
        works.append(work)
    # A synonym of a character, and suggestions from the analysis (pending) on some works.
    ada = Tag.objects.get(type="character", name="Ada Finch")
    actions._tag("character", "Ada F.")
    Tag.objects.filter(type="character", name="Ada F.").update(merger=ada)
    cleo = Tag.objects.get(type="character", name="Cleo Marsh")
    for work in works[::7]:
        if not WorkTag.objects.filter(work=work, tag=cleo).exists():
            WorkTag.objects.create(
                work=work, tag=cleo, source=WorkTag.Source.ANALYSIS,
                status=WorkTag.Status.PENDING, confidence=0.6,
            )  # fmt: skip
    indexing.enqueue(w.pk for w in works)  # `update()` sends no signals
    return works


# --- The brute-force search ---------------------------------------------------------------------


class Facts:
    """Everything a search looks at, read from the database the slow, obvious way."""

    def __init__(self, work: Work):
        self.work = work
        self.id = work.pk
        rows = list(work.work_tags.select_related("tag"))
        self.tags = {
            (wt.tag.merger_id or wt.tag_id) for wt in rows if wt.status == WorkTag.Status.ACCEPTED
        }
        self.suggested = {
            (wt.tag.merger_id or wt.tag_id)
            for wt in rows
            if wt.status == WorkTag.Status.PENDING and wt.tag.type in SUGGESTED_TYPES
        }
        self.by_type = {t: set() for t in FACET_TYPES}
        self.suggested_by_type = {t: set() for t in FACET_TYPES}
        for wt in rows:
            canonical = wt.tag.merger_id or wt.tag_id
            if wt.status == WorkTag.Status.ACCEPTED:
                self.by_type[wt.tag.type].add(canonical)
            elif wt.status == WorkTag.Status.PENDING and wt.tag.type in SUGGESTED_TYPES:
                self.suggested_by_type[wt.tag.type].add(canonical)
        names = [wt.tag.name for wt in rows if wt.status == WorkTag.Status.ACCEPTED]
        self.field_words = {
            "title": WORD.findall(work.title.lower()),
            "summary": WORD.findall(html_text(work.summary_html).lower()),
            "creator": WORD.findall(" ".join(p.name for p in work.creator_pseuds).lower()),
            "tag": WORD.findall(" ".join(names).lower()),
            **{
                t: WORD.findall(
                    " ".join(
                        wt.tag.name
                        for wt in rows
                        if wt.status == WorkTag.Status.ACCEPTED and wt.tag.type == t
                    ).lower()
                )
                for t in FACET_TYPES
            },
        }
        self.texts = [
            WORD.findall(text.lower())
            for text in (
                work.title,
                html_text(work.summary_html),
                "\n".join(c.body_text for c in work.chapters.all()),
                " ".join(p.name for p in work.creator_pseuds),
                " ".join(names),
            )
        ]

    def has(self, clause) -> bool:
        """The clause's words, in a row, in one of the searched texts (or in its field), or
        one of the tags the field names (`Clause.tags`, resolved by search.tags)."""
        if self.tags & set(clause.tags):
            return True
        texts = [self.field_words[clause.field]] if clause.field else self.texts
        wanted = WORD.findall(clause.text.lower())
        n = len(wanted)
        return any(words[i : i + n] == wanted for words in texts for i in range(len(words) - n + 1))

    def matches(self, c: Criteria) -> bool:
        tags = self.tags | (self.suggested if c.suggested else set())
        w = self.work
        date = getattr(w, c.date_field) or (w.published if c.date_field == "updated" else None)
        return (
            all(any(self.has(cl) for cl in group) for group in c.query.groups)
            and not any(self.has(cl) for cl in c.query.excluded)
            and all(t in tags for t in c.include)
            and all(tags & set(g) for g in c.any_of if g)
            and not (self.tags & set(c.exclude))
            and (c.complete is None or w.complete is c.complete)
            and (c.words_min is None or w.word_count >= c.words_min)
            and (c.words_max is None or w.word_count <= c.words_max)
            and (c.date_from is None or (date is not None and date >= c.date_from))
            and (c.date_to is None or (date is not None and date <= c.date_to))
            and (not c.language or w.language == c.language)
            and (not c.pov or w.pov == c.pov)
            and (not c.tense or w.tense == c.tense)
            and (c.crossover is None or (len(self.by_type["fandom"]) >= 2) == c.crossover)
        )

    def sort_key(self, sort: str):
        w = self.work
        value = {
            "updated": lambda: (w.updated or w.published or dt.date(1970, 1, 1)).toordinal(),
            "published": lambda: (w.published or dt.date(1970, 1, 1)).toordinal(),
            "title": lambda: sortable(w.title),
            "creator": lambda: sortable(w.creator_pseuds[0].name),
            "words": lambda: w.word_count,
            "kudos": lambda: w.kudos_count,
            "hits": lambda: w.hits_count,
            "bookmarks": lambda: w.bookmarks_count,
            "comments": lambda: w.comments_count,
        }[sort]()
        return (value, self.id)


def brute_force(facts: list[Facts], c: Criteria):
    """(ids of the page in order, or the set of matches when sorted by relevance; total; facets)."""
    found = [f for f in facts if f.matches(c)]
    facets = {}
    for t in FACET_TYPES:
        counts: dict[int, int] = {}
        for f in found:
            for tag_id in f.by_type[t] | (f.suggested_by_type[t] if c.suggested else set()):
                counts[tag_id] = counts.get(tag_id, 0) + 1
        facets[t] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: c.facet_size]
    sort = c.effective_sort
    if sort == "relevance":
        return {f.id for f in found}, len(found), facets
    descending = c.effective_descending
    found.sort(key=lambda f: f.sort_key(sort), reverse=descending)
    return [f.id for f in found[c.offset : c.offset + c.limit]], len(found), facets
