"""The learned choice among candidate speakers (`analysis/speaker_choice.py`)."""

import json

from ficarchive.analysis.analyse import analyse_paragraphs
from ficarchive.analysis.speaker_choice import (
    LEARNED_STEP,
    MODEL_FILE,
    SpeakerModel,
    decides,
    shipped_model,
)
from ficarchive.analysis.speakers import rules_only

TALK = [
    "Elinor Vane kept the lamp. Tobias Venn came in from the boats.",
    '"You are late," said Elinor.',
    '"The tide turned," he said.',
    '"Sit down."',
    '"Thank you."',
]


def test_the_shipped_model_loads_the_same_every_time():
    data = json.loads(MODEL_FILE.read_text())
    model = shipped_model()
    assert model is not None and dict(model.weights) == data["weights"]
    assert model.weights["rule"] > 0  # the rules' answer is evidence, weighed with the rest
    first = [q.speaker for q in analyse_paragraphs([TALK]).quotes]
    assert first == [q.speaker for q in analyse_paragraphs([TALK]).quotes]


def test_firm_steps_are_not_second_guessed_but_a_pronoun_tag_is():
    assert not decides("tag after", "Elinor")
    assert decides("tag after", "he")
    assert decides("alternation", None) and decides(None, None)


def test_a_chooser_overrules_the_rules_only_where_it_decides():
    calls = []

    def always_tobias(line, rule, step):
        calls.append(step)
        return "Tobias Venn"

    quotes = analyse_paragraphs([TALK], speaker_chooser=always_tobias).quotes
    ruled = analyse_paragraphs([TALK], speaker_chooser=rules_only).quotes
    assert quotes[0].speaker == "Elinor Vane"  # `said Elinor`: firm, never asked
    assert "tag after" in calls  # `he said` was asked
    changed = [q for q, r in zip(quotes, ruled) if q.speaker != r.speaker]
    assert changed and all(q.step == LEARNED_STEP for q in changed)


def test_a_model_scores_a_candidate_by_its_features_weights():
    model = SpeakerModel({"rule": 2.0, "turn-2": 1.0, "addressed": -3.0})
    assert model.score({"rule": 1.0, "turn-2": 1.0}) == 3.0
    assert model.score({"addressed": 1.0, "turn-2": 1.0}) == -2.0
