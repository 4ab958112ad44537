"""The synthetic corpus generator: same seed same bytes, files the AO3 reader reads back exactly,
and a shape close enough to a real archive's (lengths, chapters, tags, counts) to benchmark with."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import Counter
from pathlib import Path
from statistics import median

import pytest

from ficarchive.synthetic import (
    COUNTS_FILE,
    MAX_WORDS,
    generate_corpus,
    render_ao3_download,
    synthetic_work,
    world,
)
from ficarchive.text import TagType, parse_story
from ficarchive.text.language import language_code

WORKS = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    stats = generate_corpus(out, WORKS, seed=5)
    assert stats.works == WORKS and stats.bytes > 0 and stats.words > WORKS * 50
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    generate_corpus(tmp_path / "a", 6, seed=3)
    generate_corpus(tmp_path / "b", 6, seed=3)
    generate_corpus(tmp_path / "c", 6, seed=4)
    a, b, c = (files(tmp_path / name) for name in "abc")
    assert a == b
    assert a.keys() == c.keys()
    assert all(a[name] != c[name] for name in a)


def test_worker_processes_write_the_same_bytes(tmp_path):
    generate_corpus(tmp_path / "one", 30, seed=2)
    generate_corpus(tmp_path / "two", 30, seed=2, processes=2)
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["000", COUNTS_FILE]


def test_counts_file_has_one_line_per_work_file(corpus):
    lines = [json.loads(line) for line in (corpus / COUNTS_FILE).read_text().splitlines()]
    works = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.html"))
    assert [line["file"] for line in lines] == works
    for number, line in enumerate(lines):
        assert set(line) == {"file", "kudos", "hits", "bookmarks", "comments"}
        assert all(isinstance(line[k], int) and line[k] >= 0 for k in line if k != "file")
        assert line["hits"] >= line["kudos"]
        assert line["kudos"] == synthetic_work(number, seed=5).kudos


def expected_tags(work) -> dict[TagType, list[str]]:
    tags = {
        TagType.RATING: [work.rating],
        TagType.WARNING: work.warnings,
        TagType.CATEGORY: work.categories,
        TagType.FANDOM: work.fandoms,
        TagType.RELATIONSHIP: work.relationships,
        TagType.CHARACTER: work.characters,
        TagType.FREEFORM: work.freeforms,
    }
    return {tag_type: names for tag_type, names in tags.items() if names}


def test_every_file_parses_back_to_its_metadata(corpus):
    for number in range(WORKS):
        work = synthetic_work(number, seed=5)
        parsed = parse_story((corpus / work.path).read_bytes(), Path(work.path).name)
        tags: dict[TagType, list[str]] = {}
        for tag in parsed.tags:
            tags.setdefault(tag.type, []).append(tag.name)
        assert parsed.source.format == "ao3-download"
        assert parsed.title == work.title
        assert [c.name for c in parsed.creators] == (work.creators or ["Anonymous"])
        assert parsed.source.url == f"https://archiveofourown.org/works/{work.work_id}"
        assert tags == expected_tags(work)
        assert parsed.rating == work.rating
        assert parsed.language == language_code(work.language) != ""
        assert (parsed.published, parsed.updated) == (work.published, work.updated)
        assert parsed.complete is work.complete
        assert parsed.expected_chapters == work.expected_chapters
        assert len(parsed.chapters) == len(work.chapters)
        assert [c.title for c in parsed.chapters] == [c.title for c in work.chapters]
        assert parsed.word_count == work.words  # the Words: stat is the truth
        assert parsed.summary and parsed.chapters[0].blocks


def test_the_sample_covers_the_shapes_the_parser_must_handle(corpus):
    works = [synthetic_work(n, seed=5) for n in range(WORKS)]
    assert any(len(w.chapters) > 1 for w in works)
    assert any(len(w.chapters) == 1 for w in works)
    assert any(not w.complete for w in works)
    assert any(w.updated for w in works)
    assert any(c.title for w in works for c in w.chapters)
    assert any(p == "" for w in works for c in w.chapters for p in c.paragraphs)  # scene breaks
    text = " ".join(p for w in works for c in w.chapters for p in c.paragraphs)
    assert re.search(
        r'"[^"]+," \w+( \w+)? (said|asked|whispered|murmured|called|replied|snapped)', text
    )


def test_anonymous_and_crossover_works_parse_back():
    work = synthetic_work(0, seed=5)
    crossover = next(w for n in range(400) if len((w := synthetic_work(n, seed=9)).fandoms) == 2)
    for variant in (dataclasses.replace(work, creators=[]), crossover):
        parsed = parse_story(render_ao3_download(variant).encode(), "work.html")
        assert [c.name for c in parsed.creators] == (variant.creators or ["Anonymous"])
        assert [t.name for t in parsed.tags if t.type == TagType.FANDOM] == variant.fandoms


def test_shape_over_three_hundred_works():
    works = [synthetic_work(n, seed=11) for n in range(300)]
    lengths = sorted(w.words for w in works)
    assert 2_000 <= median(lengths) <= 4_500
    assert lengths[-1] <= MAX_WORDS * 1.01 and lengths[0] >= 50
    by_length = sorted(works, key=lambda w: w.words)
    short, long = by_length[:75], by_length[-75:]  # longer works have more chapters
    assert sum(len(w.chapters) for w in long) > 2 * sum(len(w.chapters) for w in short)
    assert sum(w.language == "English" for w in works) > 0.75 * len(works)
    assert 0.01 < sum(len(w.fandoms) == 2 for w in works) / len(works) < 0.12
    ratings = Counter(w.rating for w in works)
    assert len(ratings) == 5 and ratings["Teen And Up Audiences"] > ratings["Not Rated"]
    fandoms = Counter(f for w in works for f in w.fandoms)
    assert fandoms.most_common(1)[0][1] >= 5 and len(fandoms) > 50  # a head and a long tail
    for w in works:  # characters and relationships come from the work's own fandoms
        casts = [world().cast(world().fandoms.index(f)) for f in w.fandoms]
        people = {c for cast in casts for c in cast.characters}
        assert set(w.characters) <= people
        for name in w.relationships:
            assert set(re.split(r"/| & ", name)) <= set(w.characters)
    published = sorted(w.published for w in works)
    assert published[0] < "2013" and published[-1] > "2022"
    assert all(w.updated is None or w.updated >= w.published for w in works)


def test_vocabulary_is_zipfian_with_common_and_rare_words():
    vocabulary = world().vocabulary
    assert len(vocabulary) == len(set(vocabulary)) > 50_000
    sample = Counter(world().sample_words(random.Random(1), 200_000))
    top = [word for word, _ in sample.most_common(3)]
    assert top == ["the", "and", "to"]
    assert sample["the"] / 200_000 > 0.02
    assert sum(1 for n in sample.values() if n == 1) > 5_000  # plenty of rare words
