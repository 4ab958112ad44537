"""Character detection on invented snippets: names kept, places and ordinary words left out."""

import pytest

from ficarchive.analysis import lexicon
from ficarchive.analysis.analyse import analyse_paragraphs, analyse_work
from ficarchive.analysis.characters import detect_characters
from ficarchive.text.parse import parse_story


def cast(*paragraphs: str) -> dict[str, list[str]]:
    """Character name -> aliases, for one chapter of paragraphs."""
    analysis = analyse_paragraphs([list(paragraphs)])
    return {c.name: c.aliases for c in analysis.characters if not c.narrator}


def test_all_caps_names_in_a_letter_heading():
    found = cast(
        "MR. VILLARS TO LADY HOWARD",
        "Dear madam, your letter reached me at last.",
        "Yours, ARTHUR VILLARS",
    )
    assert set(found) == {"Arthur Villars", "Lady Howard"}
    assert "Mr. Villars" in found["Arthur Villars"]


def test_shouted_name_counts_for_the_name():
    a = analyse_paragraphs([['"BUFFY!" Faith screamed.', '"Buffy, go," said Spike.']])
    buffy = next(c for c in a.characters if c.name == "Buffy")
    assert buffy.mentions == 2


def test_titled_names_cluster_into_one_character():
    found = cast(
        "Mr. Giles polished his glasses.",
        '"Rupert Giles, you are late," said Jenny.',
        "Giles sighed. Rupert Giles was never late.",
    )
    assert set(found) == {"Rupert Giles", "Jenny"}
    assert set(found["Rupert Giles"]) == {"Giles", "Mr. Giles"}


def test_miss_and_a_surname_is_the_elder_of_sisters_one_called_miss_and_her_first_name():
    found = cast(
        "Miss Orla Briggs kept the school with her sister, Dora Briggs.",
        '"Are the trunks packed, Miss Orla?" asked Miss Briggs.',
        '"They are, sister," replied Miss Orla. Miss Orla Briggs was proud of them.',
    )
    assert "Miss Briggs" in found["Dora Briggs"]
    assert "Miss Briggs" not in found["Miss Orla Briggs"]


def test_a_second_name_given_outright_is_the_same_person():
    found = cast(
        "When Orla Briggs boarded the train, her purse held four dollars.",
        "Orla, or Sister Dilly, as she had been termed at home, was eighteen.",
        '"Oh, yes," answered Dilly. "I live at Fenwick."',
        "Tobias Venn, known as Toby, tipped his hat.",
        '"Then we are neighbours," said Toby.',
    )
    assert set(found) == {"Orla Briggs", "Tobias Venn"}
    assert {"Dilly", "Sister Dilly"} <= set(found["Orla Briggs"])
    assert "Toby" in found["Tobias Venn"]


def test_a_pet_form_of_a_first_name_is_that_person():
    found = cast(
        "Dan Harrow leaned on the bar while Orla Briggs counted the glasses.",
        '"Go on, Danny, drink up," said Orla Briggs.',
        '"No," said Dan.',
    )
    assert set(found) == {"Dan Harrow", "Orla Briggs"}
    assert "Danny" in found["Dan Harrow"]


def test_family_plural_joins_the_name():
    found = cast(
        "The Claytons had lived at the hall for a century.",
        "John Clayton was the last of them, and Clayton liked it that way.",
        '"Ask Clayton," said the maid.',
    )
    assert set(found) == {"John Clayton"}
    assert "Claytons" in found["John Clayton"]


def test_a_plural_is_a_family_only_of_a_surname_in_the_cast():
    found = cast(
        "The Harrows had long been friends of the Venns. Nell Harrow said so often.",
        "The Brahmins guarded the shrine, and Nell watched the Brahmins at their prayers.",
        '"Come away," said Nell Harrow.',
    )
    assert "Brahmins" not in found
    assert "Harrows" in found  # the family of Nell Harrow


def test_known_names_are_kept_whatever_the_evidence():
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    chars = detect_characters([["Nobody saw Xyzzy."]], spans, known_names=frozenset({"Xyzzy"}))
    assert [c.name for c in chars] == ["Xyzzy"]


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("London", True),
        ("Kent", True),
        ("Transylvania", True),
        ("Dorsetshire", True),
        ("Baker Street", True),
        ("Lake George", True),
        ("Mary", False),
        ("Charlotte", False),
        ("Bartleby", False),
    ],
)
def test_places_by_list_or_shape(name, place):
    assert bool(lexicon.place_kind(name) == "familiar" or lexicon.has_place_shape(name)) is place


def test_word_lists():
    assert lexicon.word_zipf("the") > 6 > lexicon.word_zipf("idiot") > 3
    assert lexicon.word_zipf("bartleby") == 0
    assert {"french", "englishman", "christian"} <= lexicon.demonyms() | {"englishman"}
    assert "humph" in lexicon.INTERJECTIONS


def test_police_ranks_are_titles():
    found = cast("DI Lestrade rang twice. Lestrade never rang twice.")
    ((name, aliases),) = found.items()
    assert {name, *aliases} == {"Di Lestrade", "Lestrade"}


def test_a_name_without_its_middle_or_end_is_the_same_person():
    found = cast(
        "Dr. Tobias J. Venn signed the form. Tobias J. Venn was tired.",
        '"Sit," said Tobias Venn. Tobias Venn sat down himself.',
        "Lin Mei Orla waited outside. Lin Mei knocked twice.",
        '"Come in," said Lin Mei.',
    )
    assert set(found) == {"Dr. Tobias J. Venn", "Lin Mei Orla"}
    assert {"Tobias Venn", "Tobias J. Venn"} <= set(found["Dr. Tobias J. Venn"])


def test_a_name_without_its_start_or_under_a_wife_s_title_is_someone_else():
    found = cast(
        "Harold Jasper Quinlan was born in June. His father, Jasper Quinlan, was away.",
        '"A boy," said Jasper Quinlan when he came home. Jasper Quinlan smiled.',
        "Mrs. Tom Briggs called. Tom Briggs stayed at the forge.",
        '"Hello," said Tom Briggs.',
    )
    assert {"Harold Jasper Quinlan", "Jasper Quinlan", "Mrs. Tom Briggs", "Tom Briggs"} <= set(
        found
    )


def test_author_notes_and_the_author_s_pen_name_are_no_characters():
    text = (
        "Title: Harbour Lights\nAuthor: Quill Hartwell\n\n"
        "Orla Briggs walked down to the harbour. Tobias Venn was mending nets.\n\n"
        "Disclaimer: the harbour and its people belong to Mirabel Stonecastle.\n\n"
        '"Late again," said Tobias.\n\n'
        '"Always," Orla answered.\n\n'
        "Thanks for reading! Quill Hartwell\n"
    )
    analysis = analyse_work(parse_story(text.encode(), "harbour.txt"))
    assert {c.name for c in analysis.characters} == {"Orla Briggs", "Tobias Venn"}


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        pytest.param(
            [
                "Mr. Fairlie dozed by the fire. Clara Fairlie poured his tea.",
                '"Papa, you will burn," said Clara Fairlie. Mr. Fairlie did not stir.',
            ],
            {"Clara Fairlie", "Mr. Fairlie"},
            id="a-title-against-the-first-name",
        ),
        pytest.param(
            [
                "Mr. Penrose read the paper. Mrs. Penrose sewed. Ada Penrose sat between them.",
                '"Ada, dear," said Mrs. Penrose. Ada Penrose looked up; Mr. Penrose did not.',
            ],
            {"Ada Penrose", "Mrs. Penrose", "Mr. Penrose"},
            id="a-couples-surname-is-not-their-daughters",
        ),
        pytest.param(
            [
                "Mrs. Harrow poured the tea. Miss Nell Harrow took a cup.",
                '"Thank you," said Miss Nell Harrow. Mrs. Harrow smiled.',
            ],
            {"Miss Nell Harrow", "Mrs. Harrow"},
            id="mrs-and-miss-are-mother-and-daughter",
        ),
        pytest.param(
            [
                "Captain Harrow sat by the window. Miss Harrow painted beside him.",
                '"Sit down," said Captain Harrow. Miss Harrow looked up.',
            ],
            {"Captain Harrow", "Miss Harrow"},
            id="a-rank-and-miss-are-father-and-daughter",
        ),
        pytest.param(
            [
                "Mara Quinlan took the night train from London to Kent.",
                "In Kent the rain had stopped. Mara walked to the harbour, where Tobias Venn"
                " was waiting.",
                '"You came," said Tobias.',
                '"I said I would," Mara answered. She had been to Chicago and back for him.',
            ],
            {"Mara Quinlan", "Tobias Venn"},
            id="cities-counties-and-towns",
        ),
        pytest.param(
            [
                "Orla Briggs left Fenwick Street for the Tract Society on Lake Harrow.",
                "She crossed into Dorsetshire by noon, and Orla was glad of it.",
            ],
            {"Orla Briggs"},
            id="place-shaped-names",
        ),
        pytest.param(
            [
                "The Englishman bowed. He was a good Christian and a Puritan at heart, thought"
                " Nell Harrow.",
                "Nell smiled at the Frenchmen.",
            ],
            {"Nell Harrow"},
            id="peoples-and-faiths",
        ),
        pytest.param(
            [
                "It was dark when Orla Briggs got to Varnholt, and the people in Quellby were"
                " asleep.",
                "Beyond the plains of Ostmark the road ran on. Orla went to Quellby at dawn.",
                '"Quellby is a cold town," said Orla.',
            ],
            {"Orla Briggs"},
            id="unlisted-places-by-their-prepositions",
        ),
        pytest.param(
            [
                "Orla Briggs kept the inn at Varnholt's Town. Varnholt's Town was quiet.",
                '"Varnholt\'s Town sleeps early," said Orla.',
            ],
            {"Orla Briggs"},
            id="a-place-named-after-someone",
        ),
        pytest.param(
            [
                '"Humph!" Orla Briggs folded her arms.',
                '"Nonsense. Quick, hide the letter!"',
                '"Bah."',
                "Tell me no more, she thought. Soon the tea was cold and Orla was alone.",
                '"Excellent," said Orla.',
            ],
            {"Orla Briggs"},
            id="interjections-and-sentence-openers-are-not-characters",
        ),
        pytest.param(
            [
                '"Hulloa, Orla!" cried Tobias Venn from the gate.',
                '"Morbleu, what a night," said Orla Briggs. "Hulloa, the house!"',
                '"Halloa there!" called Tobias.',
            ],
            {"Orla Briggs", "Tobias Venn"},
            id="old-greetings-and-oaths-are-not-characters",
        ),
        pytest.param(
            [
                "Corvin Ashdown dropped the lamp.",
                '"Idiot."',
                "Corvin said nothing and picked up the glass.",
            ],
            {"Corvin Ashdown"},
            id="a-word-alone-in-dialogue-is-not-a-name",
        ),
        pytest.param(
            [
                '"Wren!" I shout, and pull at his sleeve.',
                "I will not let go, Wren.",
            ],
            {"Wren"},
            id="a-name-alone-in-dialogue-counts-once-it-is-a-name-elsewhere",
        ),
        pytest.param(
            [
                "Lord Greystoke rode out. Lady Greystoke stayed with the child.",
                "Lady Greystoke wrote to him daily, and Lord Greystoke never answered.",
            ],
            {"Lord Greystoke", "Lady Greystoke"},
            id="titles-of-different-genders-stay-apart",
        ),
        pytest.param(
            [
                '"Do you speak German, Herr Englishman?" asked Orla Briggs at the inn.',
            ],
            {"Orla Briggs"},
            id="a-title-before-a-countryman-addresses-a-stranger",
        ),
        pytest.param(
            [
                '"Aunt May will be home by June," said Orla Briggs.',
                "In May the house was quiet, and Aunt May liked it so.",
            ],
            {"Aunt May", "Orla Briggs"},
            id="a-month-after-a-title-is-a-name",
        ),
        pytest.param(
            [
                "The King rode out with the Colonel. Queen or no Queen, thought Nell Harrow, he would go.",
            ],
            {"Nell Harrow"},
            id="a-title-alone-is-no-character",
        ),
        pytest.param(
            [
                "Grace turned to Will and laughed.",
                '"I will," said Grace, and she kissed Will on the cheek.',
            ],
            {"Grace", "Will"},
            id="first-name-that-is-also-a-word",
        ),
        pytest.param(
            [
                "Liddy's cat sat on the mat. I'm sure Liddy’ll be back, thought Rody Kickham.",
            ],
            {"Liddy", "Rody Kickham"},
            id="possessive-and-contractions-are-not-part-of-names",
        ),
        pytest.param(
            [
                '"We leave at dawn," Said Tobias Venn.',
                "Lastly Orla packed the lamp. Orla Briggs hated mornings.",
                '"Fine," Groaned Orla.',
            ],
            {"Tobias Venn", "Orla Briggs"},
            id="capitalised-speech-verbs-and-opening-adverbs-are-not-part-of-names",
        ),
        pytest.param(
            [
                "Orla Briggs was sold to a trader named Quennick.",
                "\u201cYou\u2019re dead right, Harlan--an\u2019 that\u2019s my stand,\u201d said Orla.",
            ],
            {"Orla Briggs", "Quennick", "Harlan"},
            id="one-mention-counts-when-introduced-by-name-or-addressed-before-a-dash",
        ),
        pytest.param(
            [
                "Tobias Venn read the letter twice. It ended:",
                "Love Orla Briggs",
                "Waiting Tobias out was a trial in itself, thought Orla.",
                '"Mmhm," Tobias hummed.',
            ],
            {"Tobias Venn", "Orla Briggs"},
            id="letter-closings-participles-and-hums-do-not-join-names",
        ),
        pytest.param(
            [
                "她读过Orla Briggs写的信。Orla Briggs笔名奥拉。",
                '"Orla Briggs," she said.',
            ],
            {"Orla Briggs"},
            id="a-latin-name-ends-where-chinese-text-begins",
        ),
        pytest.param(
            [
                "Tobias Venn waited at the quay. Will Tobias ever see her again?",
                '"Not today," said Orla Briggs. May Orla come too?',
            ],
            {"Tobias Venn", "Orla Briggs"},
            id="a-question-s-opening-verb-does-not-join-the-name-after-it",
        ),
    ],
)
def test_who_is_in_the_cast(paragraphs, expected):
    """Names kept and words left out, one invented snippet each."""
    assert set(cast(*paragraphs)) == expected


def test_kinds_of_people_credits_and_bands_are_no_characters():
    chapters = [
        [
            "- Wren Halloway, Salt Songs",
            "Kaia Moss lived in the Vale. Kaia was a Hawkbrother, and the Hawkbrothers kept"
            " the Vale. Every Hawkbrother guarded it.",
            "Kaia put on some Ferrowind. Kaia played Ferrowind albums all night; it was a"
            " Ferrowind moment.",
            '"Come in," said Kaia.',
        ]
    ]
    names = {c.name for c in detect_characters(chapters, {})}
    assert "Kaia Moss" in names
    assert not names & {"Hawkbrothers", "Hawkbrother", "Ferrowind", "Wren Halloway"}
