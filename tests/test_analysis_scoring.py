"""The analysis benchmark's scoring rules (bench/analysis_eval.py), on invented names and lines."""

import json
from collections import Counter

import pytest

from bench.analysis_eval import (
    FANFIC,
    FANFIC_GOLD,
    _covering,
    folds,
    quotation_words,
    same_name,
    same_person,
    step_table,
)
from ficarchive.analysis.analyse import work_paragraphs
from ficarchive.text.parse import parse_story


def words(text: str) -> Counter:
    return Counter(text.lower().split())


def test_a_shared_name_word_is_the_same_person():
    assert same_person("Elinor Vane", "Elinor")
    assert same_person("the porter", "porter")  # determiners do not count, the noun does
    assert not same_person("the man", "the doctor")
    assert not same_person("Elinor Vane", "Tobias Venn")


def test_a_description_never_matches_a_name_by_a_shared_word():
    assert not same_person("the old man", "Old Jolyon")
    assert not same_person("the doctor", "Dr. Howard Archie")
    assert not same_person("Old Jolyon", "the old man")
    assert same_person("the old convict", "old convict") and not same_person(
        "the convict", "a girl"
    )


def test_an_initial_is_no_article():
    assert same_person("J. Raffles", "A. J. Raffles")
    assert not same_person("a man", "A. J. Raffles")


def test_a_gold_proper_name_with_a_determiner_is_still_a_name():
    assert same_name("Charlotte Temple", "the lovely Charlotte Temple")
    assert not same_name("Mrs. Temple", "Mr. Temple")
    assert not same_name("Charlotte Temple", "the second Sir Walter")


def test_every_text_is_held_out_in_exactly_one_fold():
    rows = [{"text": f"t{n:02d}"} for n in range(12)]
    dealt = folds(rows, k=5)
    assert len(dealt) == 5 and sorted(r["text"] for f in dealt for r in f) == [
        r["text"] for r in rows
    ]
    assert all(2 <= len(f) <= 3 for f in dealt)


def test_step_table_adds_up_each_steps_decisions_across_texts():
    rows = [{"steps": {"tag after": [3, 2], "beat": [1, 1]}}, {"steps": {"tag after": [1, 0]}}]
    assert step_table(rows) == [
        {"step": "tag after", "decided": 4, "right": 2, "accuracy": 0.5},
        {"step": "beat", "decided": 1, "right": 1, "accuracy": 1.0},
    ]


def test_titles_of_the_other_sex_clash():
    assert same_person("Mr. Vane", "Mr Vane")
    assert not same_person("Mrs. Vane", "Mr Vane")  # the surname alone does not make them one
    assert same_person("Vane", "Mrs Vane")  # no title on one side: no clash


def test_the_narrator_matches_i_and_narrator_only():
    assert same_person("narrator", "I") and same_person("narrator", "Narrator")
    assert same_person("Pip Gargery", "I", narrator="Pip Gargery")
    assert not same_person("Joe", "I", narrator="Pip Gargery")
    assert not same_person("narrator", "Pip")


def test_the_covering_quotation_is_the_one_covering_most_words():
    gold = words("and the dog")
    predicted = [
        (words("and the dog barked at the moon all night"), "Elinor"),  # covers all, and more
        (words("and the dog"), "Tobias"),  # covers all, nothing else
        (words("the dog"), "Mara"),  # 2 of 3 words: under 70%
    ]
    assert _covering(gold, predicted) == (True, "Tobias")
    assert _covering(gold, predicted[2:]) == (False, None)
    assert _covering(gold, predicted[:1]) == (True, "Elinor")


def test_predicted_quotations_split_contractions_as_the_gold_words_do():
    assert quotation_words("I didn’t say that, Tobias.") == words("i did n t say that tobias")
    assert quotation_words("He can't; I cannot.") == words("he ca n t i can not")
    assert quotation_words("I've won.") == words("i ve won")
    gold = words("i did n t say that")
    assert _covering(gold, [(quotation_words("I didn't say that"), "Elinor")]) == (True, "Elinor")


def test_the_fan_fiction_gold_points_at_quotations_and_holds_no_story_text():
    """Its offsets index the parser's paragraphs: a parser change that moves them shows here."""
    gold = json.loads(FANFIC_GOLD.read_text(encoding="utf-8"))
    allowed = {"chapter", "paragraph", "start", "end", "speaker", "speaker_desc", "kind", "note"}
    assert all(set(q) <= allowed for t in gold["texts"] for q in t["quotes"])
    if not FANFIC.is_dir():
        pytest.skip("../shared/corpora/fanfic-dev is not here")
    for text in gold["texts"]:
        chapters = work_paragraphs(parse_story((FANFIC / text["file"]).read_bytes(), text["file"]))
        for q in text["quotes"]:
            paragraph = chapters[q["chapter"] - 1][q["paragraph"]]
            assert 0 < q["start"] < q["end"] <= len(paragraph)
            assert paragraph[q["start"] - 1] in "\"'“‘«„"
