"""The shipped fandom registry: name -> AO3 tag mapping, fandom guesses, validation."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ficarchive.analysis.analyse import analyse_paragraphs
from ficarchive.analysis.fandoms import (
    DATA_DIR,
    RegistryError,
    build_registry,
    load_registry,
    normalize_name,
)
from ficarchive.analysis.fandoms.registry import load_file

BTVS = "Buffy the Vampire Slayer"
HP = "Harry Potter - J. K. Rowling"
SPIKE = "Spike (Buffy the Vampire Slayer)"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def top(registry, names):
    matches = registry.match_characters(names)
    return matches[0] if matches else None


@pytest.mark.parametrize(
    ("names", "fandom", "min_confidence", "tags"),
    [
        (
            ["Buffy", "Spike", "Faith"],
            BTVS,
            0.85,
            {"Spike": SPIKE, "Buffy": "Buffy Summers", "Faith": "Faith Lehane"},
        ),
        (["Spike"], BTVS, 0.5, {"Spike": SPIKE}),
        (
            ["Mr. Giles", "Willow", "Xander"],
            BTVS,
            0.85,
            {"Mr. Giles": "Rupert Giles", "Xander": "Xander Harris"},
        ),
        (
            ["Harry", "Hermione", "Ron"],
            HP,
            0.7,
            {"Harry": "Harry Potter", "Hermione": "Hermione Granger", "Ron": "Ron Weasley"},
        ),
        (["Professor Snape"], HP, 0.5, {"Professor Snape": "Severus Snape"}),
        (
            ["Sherlock", "John"],
            "Sherlock (TV)",
            0.55,
            {"Sherlock": "Sherlock Holmes", "John": "John Watson"},
        ),
        (["Castiel", "Dean", "Sam"], "Supernatural", 0.8, {"Castiel": "Castiel (Supernatural)"}),
        (
            ["Angel", "Wesley", "Gunn", "Fred", "Lorne"],
            "Angel: the Series",
            0.9,
            {"Fred": "Winifred Burkle"},
        ),
        (["Éowyn", "Faramir"], "The Lord of the Rings - J. R. R. Tolkien", 0.8, {"Éowyn": "Éowyn"}),
        (["Eowyn", "Faramir"], "The Lord of the Rings - J. R. R. Tolkien", 0.8, {"Eowyn": "Éowyn"}),
        (["Aziraphale", "Crowley"], "Good Omens (TV)", 0.7, {"Crowley": "Crowley (Good Omens)"}),
        (["Naruto", "Sasuke", "Kakashi"], "Naruto", 0.9, {"Sasuke": "Uchiha Sasuke"}),
        (
            ["Elizabeth", "Darcy", "Bingley"],
            "Pride and Prejudice - Jane Austen",
            0.8,
            {"Darcy": "Fitzwilliam Darcy"},
        ),
    ],  # fmt: skip
)
def test_detected_names_suggest_the_fandom(registry, names, fandom, min_confidence, tags):
    match = top(registry, names)
    assert match is not None and match.fandom == fandom
    assert match.confidence >= min_confidence
    for name, tag in tags.items():
        assert match.characters[name] == tag


@pytest.mark.parametrize(
    "names",
    [
        ["John", "Sarah"],
        ["William"],
        ["John"],
        ["Sarah", "Tom", "Mary"],
        ["Harry"],
        ["England"],
        [],
    ],
)
def test_common_first_names_alone_are_not_confident(registry, names):
    assert all(m.confidence < 0.5 for m in registry.match_characters(names))


def test_matches_are_sorted_and_bounded(registry):
    matches = registry.match_characters(["Angel", "Spike", "Willow", "Cordelia", "Gunn"])
    confidences = [m.confidence for m in matches]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < c <= 1 for c in confidences)
    assert registry.match_characters(["Spike"], min_confidence=0.5)[0].fandom == BTVS
    assert registry.match_characters(["Nobody Known Here"]) == []


def test_more_distinct_characters_mean_more_confidence(registry):
    one = top(registry, ["Spike"]).confidence
    two = top(registry, ["Spike", "Giles"]).confidence
    same_character_twice = top(registry, ["Spike", "William the Bloody"]).confidence
    assert one < same_character_twice < two


@pytest.mark.parametrize(
    ("fandom", "name", "tag"),
    [
        (BTVS, "Spike", SPIKE),
        ("BtVS", "Mr Giles", "Rupert Giles"),  # aliases and dotless titles work
        (BTVS, "Rupert Giles", "Rupert Giles"),  # a tag maps to itself
        (BTVS, "Hermione", None),
        (HP, "Voldemort", "Tom Riddle | Voldemort"),
        ("Sherlock", "Mrs. Hudson", "Mrs. Hudson (Sherlock)"),
    ],
)
def test_canonical_tag(registry, fandom, name, tag):
    assert registry.canonical_tag(fandom, name) == tag


def test_unknown_fandom_is_a_key_error(registry):
    with pytest.raises(KeyError, match="unknown fandom"):
        registry.canonical_tag("No Such Fandom", "Spike")


@pytest.mark.parametrize(
    ("fandom", "a", "b", "romantic", "tag"),
    [
        (BTVS, "Spike", "Buffy", True, "Buffy Summers/Spike"),
        (BTVS, "Buffy", "Spike", True, "Buffy Summers/Spike"),
        (BTVS, "Xander", "Spike", False, "Spike & Xander Harris"),
        (BTVS, "Tara", "Willow", True, "Willow Rosenberg/Tara Maclay"),  # the listed ship's order
        ("Sherlock (TV)", "John", "Sherlock", True, "Sherlock Holmes/John Watson"),
        ("The X-Files", "Scully", "Mulder", True, "Fox Mulder/Dana Scully"),
        (HP, "Draco", "Harry", True, "Draco Malfoy/Harry Potter"),
        (HP, "Harry", "Someone Original", False, "Harry Potter & Someone Original"),
    ],
)
def test_relationship_tag(registry, fandom, a, b, romantic, tag):
    assert registry.relationship_tag(fandom, a, b, romantic=romantic) == tag


def test_registry_has_many_valid_fandoms(registry):
    names = registry.fandom_names()
    assert len(names) >= 25
    for required in (BTVS, HP, "Sherlock (TV)", "Naruto", "Supernatural", "Doctor Who"):
        assert required in names
    assert registry.fandom("Harry Potter").name == HP


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_shipped_file_is_valid(path):
    fandom = load_file(path)  # raises RegistryError on anything malformed
    tags = Counter(c.tag for c in fandom.characters)
    assert not [t for t, n in tags.items() if n > 1], "duplicate canonical tags"
    assert 10 <= len(fandom.characters) <= 80
    # a fandom's own cast should not reuse a name for two characters by accident too often
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["name"] == fandom.name


def test_shipped_fandom_names_are_unique():
    names = Counter(load_file(p).name for p in DATA_DIR.glob("*.json"))
    assert [n for n, c in names.items() if c > 1] == []


def test_extra_dir_adds_and_merges_fandoms(tmp_path):
    (tmp_path / "new.json").write_text(
        json.dumps(
            {
                "name": "Original Work",
                "characters": [
                    {"tag": "Zebediah Quux", "names": ["Zebediah", "Quux"], "gender": "he"},
                    {"tag": "Ottoline Fenwick", "names": ["Ottoline"]},
                ],
                "relationships": [["Zebediah Quux", "Ottoline Fenwick"]],
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "more_buffy.json").write_text(
        json.dumps(
            {"name": BTVS, "characters": [{"tag": "Rupert Giles", "names": ["Ripper Giles"]}]}
        ),
        encoding="utf-8",
    )
    registry = load_registry([tmp_path])
    assert "Original Work" in registry.fandom_names()
    assert top(registry, ["Zebediah", "Ottoline"]).fandom == "Original Work"
    assert (
        registry.relationship_tag("Original Work", "Ottoline", "Zebediah")
        == "Zebediah Quux/Ottoline Fenwick"
    )
    assert registry.canonical_tag(BTVS, "Ripper Giles") == "Rupert Giles"
    assert registry.canonical_tag(BTVS, "Spike") == SPIKE  # shipped data still there
    assert "Original Work" not in load_registry().fandom_names()  # the default is untouched


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"name": "X", "characters": [}', "invalid JSON"),
        ("[]", "top level is list"),
        ('{"characters": [{"tag": "A", "names": ["A"]}]}', "name: missing"),
        ('{"name": "X", "characters": []}', "characters: missing or empty"),
        (
            '{"name": "X", "characters": [{"tag": "A", "names": "A"}]}',
            "characters[0].names: expected a list",
        ),
        ('{"name": "X", "characters": [{"tag": "A", "gender": "it"}]}', "characters[0].gender"),
        ('{"name": "X", "characters": [{"tag": "A"}, {"tag": "A"}]}', "duplicate tag 'A'"),
        ('{"name": "X", "characters": [{"tag": "A", "nmes": ["A"]}]}', "unknown keys ['nmes']"),
        (
            '{"name": "X", "characters": [{"tag": "A"}], "relationships": [["A", "B"]]}',
            "'B' is not a character tag",
        ),
    ],
)
def test_bad_extra_file_says_which_file_and_how_to_fix(tmp_path, content, message):
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        build_registry([tmp_path])
    text = str(info.value)
    assert "broken.json" in text and message in text and "Fix:" in text


def test_missing_extra_dir_is_a_clear_error(tmp_path):
    with pytest.raises(RegistryError, match="not a directory"):
        load_registry([tmp_path / "nope"])


def test_default_registry_is_cached():
    assert load_registry() is load_registry()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Mr. Giles", "mr giles"),
        ("  Spike’s ", "spike's"),
        ("ÉOWYN", "eowyn"),
        ("Rupert  Giles", "rupert giles"),
    ],
)
def test_normalize_name(raw, key):
    assert normalize_name(raw) == key


def test_package_has_no_django_import():
    for path in Path(DATA_DIR).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+django", source, re.M), path


def test_extra_dirs_from_the_environment(tmp_path, monkeypatch):
    (tmp_path / "mine.json").write_text(
        json.dumps(
            {
                "name": "Lanternfall",
                "characters": [
                    {"tag": "Ysolde Varrick", "names": ["Ysolde", "Ysolde Varrick"]},
                    {"tag": "Brannoch Teague", "names": ["Brannoch"]},
                ],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("FICARCHIVE_FANDOMS", str(tmp_path))
    from ficarchive.analysis.analyse import analyse_paragraphs

    a = analyse_paragraphs(
        [["Ysolde Varrick lit the lantern.", '"Late again," Brannoch said to Ysolde.']]
    )
    assert [f["name"] for f in a.fandoms] == ["Lanternfall"]


def _registry_with(tmp_path, fandom: str, characters: list[dict]):
    """The shipped registry plus one invented fandom of these characters."""
    data = {"name": fandom, "characters": characters}
    (tmp_path / "invented.json").write_text(json.dumps(data), encoding="utf-8")
    return load_registry([tmp_path])


def test_no_pairing_of_two_names_the_fandom_knows_as_one_person(tmp_path):
    registry = _registry_with(
        tmp_path,
        "Harbour Tales",
        [
            {"tag": "Quennick Arl", "names": ["Quennick", "Ripper"], "gender": "he"},
            {"tag": "Ottoline Fenwick", "names": ["Ottoline"], "gender": "she"},
        ],
    )
    talk = ['"Ready?" Quennick asked.', '"Always," said Ripper.', '"Go," said Ottoline.']
    story = [
        ["Quennick stood at the rail with Ottoline and the one they called Ripper."] + talk * 6
    ]
    analysis = analyse_paragraphs(story, registry)
    tags = [r["tag"] for r in analysis.relationships]
    assert tags == ["Ottoline Fenwick & Quennick Arl"]  # once, and not Quennick with himself
    assert all(len(set(r["characters"])) == 2 for r in analysis.relationships)


def test_a_surname_alone_gives_no_other_member_of_the_family(tmp_path):
    registry = _registry_with(
        tmp_path,
        "Clan Tales",
        [
            {"tag": "Vasko Merrow", "names": ["Vasko", "Merrow"], "gender": "he"},
            {"tag": "Aldra Fenn", "names": ["Aldra"], "gender": "she"},
            {"tag": "Tobin Grey", "names": ["Tobin"], "gender": "he"},
        ],
    )
    story = [
        [
            "Ilric Merrow walked with Aldra and Tobin to the gate. Merrow was tired.",
            '"Stay," Aldra said.',
            '"I cannot," Merrow said.',
            "Tobin watched them go.",
        ]
        * 3
    ]
    analysis = analyse_paragraphs(story, registry)
    tags = {c.name: c.tag for c in analysis.characters}
    assert tags["Aldra"] == "Aldra Fenn"
    assert tags["Ilric Merrow"] is None  # not Vasko Merrow, whom the fandom calls "Merrow"


def test_brothers_are_family_though_they_speak_of_love():
    story = [
        [
            "Tobin Merrow and Ilric Merrow walked to the gate.",
            '"I love you, brother," Ilric said. "Stay."',
            '"I cannot, brother," Tobin said to Ilric, his younger brother, and held him.',
            "Ilric Merrow wept. Tobin loved his brother.",
        ]
        * 3
    ]
    (rel,) = analyse_paragraphs(story).relationships
    assert rel["kind"] == "family" and rel["tag"] == "Ilric Merrow & Tobin Merrow"


def test_two_names_of_one_canonical_character_are_one_entry():
    from ficarchive.analysis.model import Character
    from ficarchive.analysis.tagging import merge_by_tag

    cast = [
        Character("Blaise Zabini", ["Blaise"], mentions=9, gender="he", tag="Blaise Zabini"),
        Character("Harry Potter", mentions=7, gender="he", tag="Harry Potter"),
        Character("Ms Zabini", mentions=2, gender="she", tag="Blaise Zabini"),
        Character("Captain Harrow", mentions=3, tag="Harrow"),
        Character("Miss Harrow", mentions=2, gender="she", tag="Harrow"),
    ]
    merged = merge_by_tag(cast)
    assert [c.name for c in merged] == [
        "Blaise Zabini",
        "Harry Potter",
        "Captain Harrow",
        "Miss Harrow",
    ]
    blaise = merged[0]
    assert blaise.aliases == ["Blaise", "Ms Zabini"] and blaise.mentions == 11
    assert blaise.gender == "she"  # the story's title says so, whatever the name list thinks
