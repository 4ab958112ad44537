import pytest

from ficarchive.analysis.analyse import analyse_paragraphs
from ficarchive.analysis.narration import narration_pov, narration_tense
from ficarchive.analysis.quotes import find_quote_spans, quote_style


@pytest.mark.parametrize(
    ("text", "style", "quotes"),
    [
        ('"Go," he said. "Now."', "double", ["Go,", "Now."]),
        ("“Go,” he said. “Now.”", "double", ["Go,", "Now."]),
        ("‘Go,’ he said, ‘now.’", "single", ["Go,", "now."]),
        ("'I don't know,' said Tom. 'It's late.'", "single", ["I don't know,", "It's late."]),
        ("— Va-t'en, dit-il — et ferme la porte.", "dash", ["Va-t'en, dit-il"]),
        ('"This runs on', "double", ["This runs on"]),
        ("No speech here, only James' hat.", "double", []),
    ],
)
def test_quote_spans(text, style, quotes):
    assert [text[a:b] for a, b in find_quote_spans(text, style)] == quotes


def test_style_prefers_double_quotes_over_apostrophes():
    assert quote_style(["\"Hi,\" she said. It's late and Tom's tired.", '"Yes."']) == "double"
    assert quote_style(["‘Hi,’ she said.", "‘Yes,’ he said."]) == "single"


@pytest.mark.parametrize(
    ("text", "pov", "tense"),
    [
        (
            "I pull the door and I run. My hands shake. I know he is there. I am cold.",
            "first",
            "present",
        ),
        (
            "She walked to the door. He followed her. She turned and he stopped. They waited.",
            "third",
            "past",
        ),
        (
            "You open the door. You see the hall. You walk in and you wait for your friend.",
            "second",
            "present",
        ),
    ],
)
def test_pov_and_tense(text, pov, tense):
    assert (narration_pov(text), narration_tense(text)) == (pov, tense)


def test_speech_tags_and_turn_taking():
    paragraphs = [
        "Mara Quinlan came in out of the rain and Tobias Venn looked up from the fire.",
        '"You\'re late," said Tobias.',
        '"The bridge was out," Mara replied.',
        '"Again?"',
        '"Again."',
    ]
    a = analyse_paragraphs([paragraphs])
    assert [q.speaker for q in a.quotes] == [
        "Tobias Venn",
        "Mara Quinlan",
        "Tobias Venn",
        "Mara Quinlan",
    ]
    assert {c.name for c in a.characters} == {"Mara Quinlan", "Tobias Venn"}


FRENCH = (
    "« Viens ici, Margot », dit Lucien en posant la lanterne sur la table de la cuisine.\n\n"
    "Margot ne répondit pas tout de suite. Elle regardait la mer par la fenêtre, les mains "
    "serrées sur son tablier, et le vent faisait trembler les vitres de la vieille maison.\n\n"
    "« Je ne viendrai pas, Lucien. Pas ce soir, pas avec ce temps. »\n\n"
    "Il soupira et s'assit près du feu. Dehors, la tempête grossissait encore sur le port.\n"
) * 3


def test_a_work_not_in_english_gets_no_english_rule_cast_or_speakers():
    from ficarchive.analysis.analyse import analyse_work
    from ficarchive.text.parse import parse_story

    work = parse_story(FRENCH.encode(), "margot.txt")
    assert work.language == "fr"
    analysis = analyse_work(work)
    assert analysis.characters == [] and analysis.relationships == []
    assert (analysis.pov, analysis.tense) == (None, None)
    assert all(q.speaker is None for q in analysis.quotes)
    assert "'fr'" in analysis.not_analysed and "English works only" in analysis.not_analysed
    assert analysis.words > 200 and analysis.reading_minutes == 1
