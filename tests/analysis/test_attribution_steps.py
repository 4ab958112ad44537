"""Each attribution rule of `speakers.EVIDENCE` and `speakers.TURNS` on a passage it decides
(the rules alone: the learned choice, which may overrule the later ones, is tested apart).

Each invented passage has one quotation the step named decides: the first steps found no one.
"""

import pytest

from ficarchive.analysis.analyse import analyse_paragraphs
from ficarchive.analysis.speaker_choice import LEARNED_STEP
from ficarchive.analysis.speakers import STEPS, rules_only

CASES = [
    pytest.param(
        [
            "Elinor Vane kept the lamp.",
            '"Come in," said Elinor.',
        ],
        "Come in,",
        "Elinor Vane",
        id="tag-after",
    ),
    pytest.param(
        [
            "Tobias Venn walked down the lane. Tobias was tired.",
            '"Give us a penny," I heard one small urchin grumbling.',
        ],
        "Give us a penny,",
        "the small urchin",
        id="heard-speaking",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp.",
            'Elinor said, "Come in."',
        ],
        "Come in.",
        "Elinor Vane",
        id="tag-before",
    ),
    pytest.param(
        [
            "Tobias Venn came in. Elinor Vane kept the lamp.",
            'Tobias shut the door and then said, "It is cold."',
        ],
        "It is cold.",
        "Tobias Venn",
        id="and-then-said",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in.",
            'Elinor, leaning across the table, observed in the slow manner which always gave her phrases a weight they did not have, "It is cold."',
        ],
        "It is cold.",
        "Elinor Vane",
        id="long-lead-in",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp.",
            '"It was a long winter," said Elinor. "The boats stayed in.',
            '"Then the spring came."',
        ],
        "Then the spring came.",
        "Elinor Vane",
        id="held-open",
    ),
    pytest.param(
        [
            "Tobias Venn kept the boats. Orla Briggs came to the door.",
            '"I am Orla Briggs."',
        ],
        "I am Orla Briggs.",
        "Orla Briggs",
        id="introduces-themself",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp.",
            '"Come in," said Elinor. "It is cold."',
        ],
        "It is cold.",
        "Elinor Vane",
        id="same-paragraph",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn kept the boats.",
            '"Help!"',
            "Tobias shouted again, but nobody came.",
        ],
        "Help!",
        "Tobias Venn",
        id="named-in-the-next-paragraph",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn kept the boats.",
            '"Tobias, lend me your knife," said Elinor.',
            '"Get your own."',
        ],
        "Get your own.",
        "Tobias Venn",
        id="the-addressed-answers",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn kept the boats.",
            '"You are late."',
            '"Good evening, Elinor," said Tobias.',
        ],
        "You are late.",
        "Elinor Vane",
        id="addressed-in-the-reply",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp.",
            'Elinor smiled. "Come in."',
        ],
        "Come in.",
        "Elinor Vane",
        id="action-beat",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in.",
            "Elinor looked up from her book.",
            '"Come in."',
        ],
        "Come in.",
        "Elinor Vane",
        id="narration-before",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in.",
            '"Good evening, Elinor," said Tobias.',
            '"Come in," said Elinor.',
            '"The boats are lost." Elinor did not know what he meant.',
        ],
        "The boats are lost.",
        "Tobias Venn",
        id="the-listeners-partner",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in. Orla Briggs followed.",
            '"Come in," said Elinor.',
            '"Thank you," said Tobias.',
            '"Sit down, Tobias."',
        ],
        "Sit down, Tobias.",
        "Elinor Vane",
        id="not-the-one-addressed",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in.",
            '"Come in," said Elinor.',
            '"Thank you," said Tobias.',
            '"Sit down."',
            '"I will."',
        ],
        "Sit down.",
        "Elinor Vane",
        id="alternation",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn came in.",
            '"Come in," said Elinor.',
            '"Sit down."',
        ],
        "Sit down.",
        "Tobias Venn",
        id="answers-the-last-speaker",
    ),
    pytest.param(
        [
            "Elinor Vane kept the lamp. Tobias Venn kept the boats.",
            '"Who is there?" said Elinor.',
            '"Open up!" came a harsh reply.',
            "Tobias came in, shaking the snow off.",
        ],
        "Open up!",
        "Tobias Venn",
        id="voice-answered-or-entering",
    ),
]


@pytest.mark.parametrize(("paragraphs", "line", "speaker"), CASES)
def test_step_decides_its_line(request, paragraphs, line, speaker):
    quotes = {
        q.text: q for q in analyse_paragraphs([paragraphs], speaker_chooser=rules_only).quotes
    }
    decided = quotes[line]
    assert (decided.speaker, _id(decided.step)) == (speaker, request.node.callspec.id)


def test_every_step_has_a_case():
    ids = {p.id for p in CASES}
    assert ids == {_id(s) for s in STEPS if s != LEARNED_STEP}


def _id(step: str) -> str:
    return step.replace(" ", "-").replace("'", "")
