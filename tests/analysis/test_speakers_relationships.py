"""Speakers, the named narrator, relationships and fandom suggestions, on invented snippets."""

import pytest

from ficarchive.analysis.analyse import analyse_paragraphs
from ficarchive.analysis.quotes import find_quote_spans, quote_style
from ficarchive.analysis.salience import description


def speakers(analysis) -> dict[str, str | None]:
    return {q.text: q.speaker for q in analysis.quotes}


def test_tag_inside_dash_dialogue_splits_the_line():
    text = "—I was, Tobias said with some heat. Out on the moor all night."
    assert [text[a:b] for a, b in find_quote_spans(text, "dash")] == [
        "I was,",
        " Out on the moor all night.",
    ]


def test_dash_dialogue_speakers_come_from_inner_tags():
    a = analyse_paragraphs(
        [
            [
                "Tobias Venn climbed the stair. Orla Briggs waited at the top.",
                "—Late again, Orla said. The kettle is cold.",
                "—I was held up, Tobias said. Forgive me.",
            ]
        ]
    )
    got = speakers(a)
    assert got["Late again,"] == "Orla Briggs"
    assert got["I was held up,"] == "Tobias Venn"


@pytest.mark.parametrize(
    ("chapters", "expected"),
    [
        pytest.param(
            [
                [
                    "Tobias Venn and Orla Briggs sat by the stove.",
                    "Then Orla Briggs had asked:",
                    "—Where were you?",
                    "Tobias Venn wiped the slate clean and then said:",
                    "—Out.",
                ]
            ],
            {"Where were you?": "Orla Briggs", "Out.": "Tobias Venn"},
            id="a-tag-closing-the-paragraph-before-with-a-colon",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn and Orla Briggs sat by the stove.",
                    '"Listen," said Orla. "It begins in the north, where the ferries stop.',
                    '"My mother kept the lamp at the quay there.',
                    '"That is all," she finished.',
                    '"Thank you," said Tobias.',
                ]
            ],
            {"My mother kept the lamp at the quay there.": "Orla Briggs"},
            id="a-speech-of-several-paragraphs-left-open-goes-on",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn found Orla Briggs in the waiting room.",
                    '"Rough day?" Tobias asks.',
                    '"Get up," Tobias says.',
                    'Orla’s voice is flat. "I am done for the day, Venn."',
                ]
            ],
            {"I am done for the day, Venn.": "Orla Briggs"},
            id="a-possessive-opening-the-beat-is-its-speaker",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn knelt beside the stretcher.",
                    'Grey eyes stare up at him. "What is going to happen?" the boy strains to say.',
                    '"You will wake up at home," Tobias says.',
                ]
            ],
            {"What is going to happen?": "the boy"},
            id="a-description-ends-before-the-verb-of-its-tag",
        ),
        pytest.param(
            [
                ["Ada Penrose walked out. Ada Penrose was seventeen.", '"Goodbye," said Ada.'],
                [
                    "Mr. Penrose kept a small estate. Mr. Penrose was a kind man.",
                    '"Come in," said Penrose.',
                ],
            ],
            {"Come in,": "Mr. Penrose"},
            id="a-shared-surname-is-whoever-is-in-focus",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs kept the lodge. Tobias Venn was her nephew.",
                    "Tobias was building a fort of cushions when the door opened.",
                    '"Hello, Orla!" he said.',
                    "The lamp was lit; Nell Harrow came in and turned it down.",
                    '"Is it time?" he asked.',
                    '"Yes, I have come to fetch you."',
                ]
            ],
            {"Yes, I have come to fetch you.": "Orla Briggs"},
            id="the-one-addressed-answers-after-an-aside",
        ),
        pytest.param(
            [
                [
                    "The camp woke slowly. Once a lanky soldier went down to the brook. He came running back with news.",
                    '"We march at dawn," he said.',
                    '"Nonsense," said another soldier.',
                ]
            ],
            {"We march at dawn,": "the lanky soldier", "Nonsense,": "another soldier"},
            id="a-described-subject-goes-on-as-he-and-another-is-someone-new",
        ),
        pytest.param(
            [
                ["A nurse carried the little boy upstairs. The little boy slept on."],
                [
                    "Tobias Venn sat on the stairs, and Orla Briggs came down to him.",
                    "She hugged the little boy, and then she let go.",
                    '"I will not go," he answered.',
                ],
            ],
            {"I will not go,": "Tobias Venn"},
            id="an-old-description-is-the-named-person-now-in-focus",
        ),
        pytest.param(
            [
                [
                    "Mr. Venn came late to the tea-table.",
                    '"Surely she could learn Dutch," broke in a thin, elderly gentleman.',
                    '"Is there a school?" asked Mr. Venn.',
                    '"There is the college," said the thin gentleman.',
                ]
            ],
            {
                "Surely she could learn Dutch,": "the thin elderly gentleman",
                "There is the college,": "the thin elderly gentleman",
            },
            id="a-new-described-speaker-is-not-the-man-in-focus",
        ),
        pytest.param(
            [
                [
                    "Ada Penrose and Nell Harrow sat by the fire.",
                    "Ada lit the lamp, and even Nell sat up to warm the slippers.",
                    '"They are quite worn out."',
                ]
            ],
            {"They are quite worn out.": "Nell Harrow"},
            id="a-quote-alone-goes-to-who-acts-last-before-it",
        ),
        pytest.param(
            [
                [
                    "Corvin Ashdown paced the room while I sat by the fire, as I always did. I was tired and I said so.",
                    '"The dog is at the door," said Corvin.',
                    "There was such a ring in his voice that I glanced up in surprise.",
                    '"How can you be so sure?"',
                ]
            ],
            {"How can you be so sure?": "narrator"},
            id="a-quote-alone-goes-to-who-acts-last-before-it-2",
        ),
        pytest.param(
            [
                [
                    "Mr. Venn came in with Ada Venn.",
                    "It seemed to Ada that he was a much older man tonight.",
                    '"Is it cold?" he asked.',
                    "Tobias Penrose came in. In the chair by the window sat an aged man.",
                    '"This is a strange place," said he to Tobias.',
                ]
            ],
            {"Is it cold?": "Mr. Venn", "This is a strange place,": "the aged man"},
            id="a-predicate-or-indefinite-description-is-not-the-man-in-focus",
        ),
        pytest.param(
            [
                [
                    "Mr. Penrose read. Mrs. Penrose sewed. Ada Penrose sat between them.",
                    "Ada Penrose looked up from her book.",
                    '"Was it Waterloo or Trafalgar, Ada?"',
                    "her mother asked.",
                ]
            ],
            {"Was it Waterloo or Trafalgar, Ada?": "Mrs. Penrose"},
            id="her-mother-in-a-tag-split-from-its-quote",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow brought the tray. Tobias Venn stood at the window.",
                    'She set down the tray with some emphasis, and called rather than said to him, "Your lunch is served, sir."',
                    '"What is your name?" said Tobias.',
                    '"Nell, sir."',
                ]
            ],
            {"Your lunch is served, sir.": "Nell Harrow", "Nell, sir.": "Nell Harrow"},
            id="and-said-after-a-longer-clause-and-a-polite-answer",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn limped in. Nell Harrow wept by the fire.",
                    '"You should not have gone, Nell," said her sister.',
                ]
            ],
            {"You should not have gone, Nell,": "her sister"},
            id="said-her-sister-is-not-said-he",
        ),
        pytest.param(
            [
                [
                    "I paid the bill and I packed my bag. I was to leave at noon, and I said so.",
                    '"Must you go?" said the landlady.',
                    '"I must," I said.',
                    '"Do you know what day it is?" I answered that it was the fourth of May.',
                ]
            ],
            {"Do you know what day it is?": "the landlady"},
            id="an-answer-told-in-the-narration-is-not-the-tag",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow sat by the window of the train.",
                    '"Is it?" Nell said.',
                    "A woman should some day write the whole philosophy of clothes. She would know them at a glance.",
                    '"Oh, do you?" she asked.',
                ]
            ],
            {"Oh, do you?": "Nell Harrow"},
            id="a-generic-description-is-nobody-in-the-scene",
        ),
        pytest.param(
            [
                [
                    "Gabriel Oak leaned on the gate.",
                    '"Pay up or turn back," said Gabriel.',
                    "The gatekeeper surveyed the retreating cart.",
                    '"That is a handsome maid," he said to Gabriel.',
                ]
            ],
            {"That is a handsome maid,": "the gatekeeper"},
            id="trades-and-compounds-are-people-in-narration",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow opened the gate for Tobias Venn.",
                    'When Tobias came in, she walked ahead of him up the path, calling, as they reached the door, "Put the kettle on!"',
                ]
            ],
            {"Put the kettle on!": "Nell Harrow"},
            id="a-participle-tag-before-the-quote",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn lay awake. The bell of the chapel rang out.",
                    '"Tobias, don\'t be a fool," his mother had replied.',
                ]
            ],
            {"Tobias, don't be a fool,": "his mother"},
            id="a-tag-with-had",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs held up a wet cloth. Then, gazing over the cloth, she said:",
                    '"Look at the state of it!"',
                ]
            ],
            {"Look at the state of it!": "Orla Briggs"},
            id="a-thing-before-the-pronoun-is-not-the-speaker",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn waited at the inn. A stout elderly woman brought his bread.",
                    "He ate it slowly. The rain went on and on over the yard.",
                    "The coach was late. It was always late in the spring.",
                    '"Must you go?" I asked. The old lady shook her head as she said again:',
                    '"Do not go tonight."',
                ]
            ],
            {"Do not go tonight.": "the stout elderly woman"},
            id="a-colon-after-a-quote-and-a-definite-description-of-someone-met",
        ),
        pytest.param(
            [
                [
                    "Ansel Roke stood by the gate, and Nell Harrow came up to him.",
                    '"They came at dawn," Ansel began. "Three carts."',
                    "A murmur went round the yard.",
                    '"Then," continued the sergeant, "they turned back."',
                ]
            ],
            {"Then,": "Ansel Roke"},
            id="continued-after-narration-is-the-last-speaker",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs came into the parlour. Tobias Venn sat on the floor with his bricks.",
                    '"You bad boy, look at this mess!"',
                    '"Hello, Orla!" he said.',
                ]
            ],
            {"You bad boy, look at this mess!": "Orla Briggs"},
            id="the-one-the-reply-addresses-spoke-before-it",
        ),
        pytest.param(
            [
                [
                    "Ansel Roke and Tobias Venn walked all day behind their guide.",
                    "At the ford the guide stood still on the bank and raised his stick.",
                    '"Water is sweet up there," he told them.',
                ]
            ],
            {"Water is sweet up there,": "the guide"},
            id="a-person-noun-in-narration-is-someone",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn paid the money over the bar.",
                    '"That makes ten," the innkeeper counted. "Take him," he added.',
                ]
            ],
            {"Take him,": "the innkeeper"},
            id="he-after-a-described-speaker-in-the-paragraph-is-them",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn paid his toll and drove on through the gate.",
                    'The tollkeeper watched the cart go. "A fine horse," he said to Nell.',
                ]
            ],
            {"A fine horse,": "the tollkeeper"},
            id="he-after-a-described-subject-opening-the-paragraph-is-them",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn kept a small farm and was known for a generous man.",
                    '"You are a kind soul," said a young soldier to him one day.',
                    '"Tell me how I can help," said Tobias.',
                    '"Come with me, then," said the young man.',
                ]
            ],
            {"Come with me, then,": "the young soldier"},
            id="a-description-replying-is-not-the-last-speaker-but-the-one-met-before",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs and Tobias Venn sat round the fire with the others.",
                    '"Orla, where are the horses?" asked Tobias.',
                    '"Down by the river," replied the leader.',
                ]
            ],
            {"Down by the river,": "Orla Briggs"},
            id="a-new-description-answering-is-the-one-just-addressed",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow opened the door. Ansel Roke stood on the step in the rain.",
                    '"Good evening," said Ansel Roke.',
                    '"Good evening," said Nell.',
                    '"I am your cousin," said the visitor.',
                ]
            ],
            {"I am your cousin,": "Ansel Roke"},
            id="the-visitor-in-a-two-person-exchange-is-the-other-party",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn and an old prospector walked the desert all day.",
                    '"Shall we share the trail?" said the prospector.',
                    '"I walk alone," replied Tobias.',
                    '"Then I will follow," replied his companion.',
                ]
            ],
            {"Then I will follow,": "the old prospector"},
            id="his-companion-in-a-two-person-exchange-is-the-other-party",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs waited in the empty hall. A tall soldier came in and stared.",
                    '"Who are you?" he asked.',
                    '"I am Orla Briggs," the girl said.',
                ]
            ],
            {"I am Orla Briggs,": "Orla Briggs"},
            id="a-quote-introducing-its-speaker-by-name",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn and Ansel Roke followed the guide all morning.",
                    "At noon the guide pointed to his river.",
                    "The guide drank from it, and so did they.",
                    '"Sweet water," said Ansel.',
                    '"Cold, too," said Tobias.',
                    "It was a long climb after that. Tobias found a strip of red cloth.",
                    "The guide stood quietly on the bank.",
                    '"Red cloth, up there," he told them.',
                ]
            ],
            {"Red cloth, up there,": "the guide"},
            id="a-described-person-met-all-chapter-stays-themselves",
        ),
        pytest.param(
            [
                [
                    "A tall man caught Tobias Venn by the collar in the churchyard.",
                    '"What are you called?" said the man.',
                    '"Tobias, sir."',
                    '"Again," said the man.',
                    '"Tobias. Tobias, sir."',
                ]
            ],
            {"Tobias. Tobias, sir.": "Tobias Venn"},
            id="a-name-said-twice-before-sir-is-the-answer",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs sat on the bank in the sun.",
                    'Then she heard the Heron say to itself, "Too late again!"',
                ]
            ],
            {"Too late again!": "the Heron"},
            id="a-tag-before-with-the-and-a-capitalised-creature",
        ),
        pytest.param(
            [
                [
                    "I came to the inn at dusk. A stout landlady stood at the door. When I came"
                    ' close she bowed and said, "The traveller from the coast?" "Yes," I said, "Tobias'
                    ' Venn." She smiled.',
                ]
            ],
            {"Tobias Venn.": "narrator"},
            id="a-tag-before-a-split-quote-beats-the-next-sentence",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn sat by the fire with his men.",
                    '"Where is Rook?" said Tobias.',
                    '"Gone for water," said Rook\'s brother.',
                    "At dusk Rook came back.",
                    '"Boss, horses coming," he said.',
                ]
            ],
            {"Boss, horses coming,": "Rook"},
            id="he-after-a-named-subject-of-no-known-sex-is-them",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn found Orla Briggs in the kitchen.",
                    '"Where is Nell?" he asked.',
                    '"Out."',
                    '"She has gone for good, then." Orla did not know what he meant.',
                ]
            ],
            {"She has gone for good, then.": "Tobias Venn"},
            id="one-at-a-loss-after-a-quote-did-not-speak-it",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs found Tobias Venn by the fire.",
                    '"Where is Nell?" asked Orla.',
                    "Tobias looked away.",
                    '"Gone for good?"',
                    "Tobias did not answer.",
                ]
            ],
            {"Gone for good?": "Orla Briggs"},
            id="one-who-does-not-answer-in-the-next-paragraph-did-not-speak",
        ),
        pytest.param(
            [
                [
                    "I sat on my step at dusk. I had my pipe, and I watched the river.",
                    "Tobias Venn came up the bank and sat down beside me.",
                    '"What were you thinking of?" he asked.',
                    '"Of the old days."',
                    "He laughed and filled his pipe.",
                ]
            ],
            {"Of the old days.": "narrator"},
            id="a-pronoun-reacting-in-the-next-paragraph-is-not-named-there",
        ),
        pytest.param(
            [
                [
                    "I sat on my step at dusk. I had my pipe, and I watched the river.",
                    "Nell Harrow came up from the mill. My mother told her all I had said; and my"
                    ' father, after hearing her out, said to her, with a sigh, "The boy will go."',
                ]
            ],
            {"The boy will go.": "my father"},
            id="a-tag-before-with-a-clause-between-subject-and-verb",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn came in with Nell Harrow.",
                    'He put on his hat, and, pausing at the door, added, "Mind the fire."',
                ]
            ],
            {"Mind the fire.": "Tobias Venn"},
            id="a-description-ending-in-and-is-not-a-tag-subject",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn lay still in the loft. Riders came up to the cabin below.",
                    "Nell Harrow and her men got down from their horses.",
                    '"Anyone here?" queried a loud voice.',
                    "There was no reply. Spurs jingled below.",
                    '"We wait, then," came a harsh reply.',
                    '"Shut up, Nell. Put the horses away."',
                ]
            ],
            {"Anyone here?": None, "We wait, then,": "Nell Harrow"},
            id="a-voice-is-not-the-hidden-viewpoint-and-is-the-one-answered-by-name",
        ),
        pytest.param(
            [
                [
                    "I sent the children out into the yard. I stood at the window.",
                    '"She is chasing us out," I heard one small urchin grumbling.',
                ]
            ],
            {"She is chasing us out,": "the small urchin"},
            id="one-heard-saying-is-the-speaker-not-the-hearer",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn, the surgeon, stood by the bed. Nell Harrow, the old nurse, sat"
                    " in the corner.",
                    '"She must rest now," said Tobias.',
                    '"Bless her heart, yes!" said Nell.',
                    '"When she has had six of her own, sir, she will know better."',
                ]
            ],
            {"When she has had six of her own, sir, she will know better.": "Nell Harrow"},
            id="sir-said-to-the-man-whose-turn-it-was-is-the-woman-going-on",
        ),
        pytest.param(
            [
                [
                    "The class bent over their sums. Orla Briggs sat in the front row.",
                    "Then Tobias Venn cracked his fingers and Orla Briggs looked at his slate and"
                    " said:",
                    '"Right. Well done."',
                ]
            ],
            {"Right. Well done.": "Orla Briggs"},
            id="and-said-after-a-clause-with-its-own-subject-is-that-subject",
        ),
        pytest.param(
            [
                [
                    "We set out at dawn, Tobias Venn and I. I carried the maps.",
                    "By noon we came to a lake. Our guide told us that boats could cross it:"
                    ' "long way, all day."',
                ]
            ],
            {"long way, all day.": "the guide"},
            id="our-guide-is-a-described-person",
        ),
        pytest.param(
            [
                [
                    "I sat by the fire with Tobias Venn. There was a knock at the door.",
                    '"Come in!" cried Tobias Venn.',
                    "The arrival of our visitor was a surprise to me, since I had expected someone"
                    " older. He was a tall, thin man with a long nose. He looked about the room."
                    ' "I am so very glad," said he. "I had feared I was lost."',
                ]
            ],
            {"I am so very glad,": "the visitor"},
            id="he-after-a-sentence-about-a-newcomer-alone-is-the-newcomer",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs sat on top of the load while the porter walked beside it.",
                    '"The tailboard is gone, Miss," said the porter. "I\'ll run back."',
                    '"Do," Orla Briggs answered.',
                    "The sun was low. The porter's steps were heard returning. She put the mirror"
                    " back in its paper and looked up.",
                    '"Did you find it?"',
                ]
            ],
            {"Did you find it?": "Orla Briggs"},
            id="a-newcomer-who-only-owns-the-subject-is-not-the-she-after-it",
        ),
        pytest.param(
            [
                [
                    "I rode up to the gate of the farm. I had come a long way.",
                    '"The house is mine, sir," said Tobias Venn. "Come in!"',
                    "His words were said through his teeth, and I felt drawn to a man who seemed"
                    " more reserved than myself.",
                    "When he saw my horse at the gate, he opened it and went before me, calling,"
                    ' "Orla, take the horse!"',
                ]
            ],
            {"Orla, take the horse!": "Tobias Venn"},
            id="a-man-in-the-middle-of-a-sentence-is-no-stronger-than-the-one-in-focus",
        ),
        pytest.param(
            [
                [
                    "The youth lay awake all night. At dawn he went down to his mother's room and"
                    ' said: "Ma, I am going to sea."',
                    '"Tobias, don\'t you be a fool," his mother replied.',
                ]
            ],
            {"Ma, I am going to sea.": "Tobias"},
            id="a-described-speaker-is-the-name-the-answer-calls-him",
        ),
        pytest.param(
            [
                [
                    '"Out with it," said Tobias Venn.',
                    "Orla Briggs had been his partner for years. She only hoped that he would take"
                    " it well.",
                    '"I found a girl in the forest last night."',
                ]
            ],
            {"I found a girl in the forest last night.": "Orla Briggs"},
            id="a-clause-after-hoped-that-is-not-the-one-who-acts-last",
        ),
        pytest.param(
            [
                [
                    '"Go in and tell them I am here," said Tobias Venn.',
                    "Orla Briggs knocked at the door and walked in. He heard her speak.",
                    '"Master Tobias wants to say good-bye, ma\'am."',
                ]
            ],
            {"Master Tobias wants to say good-bye, ma'am.": "Orla Briggs"},
            id="the-one-heard-to-speak-speaks-the-lone-quote-after",
        ),
        pytest.param(
            [
                [
                    "Orla Briggs waited by the fire.",
                    '"Anyone home?" called a voice from the dark.',
                    '"Who is it?" asked Orla Briggs.',
                    '"Only me," she added.',
                    "The stranger stepped in. He was tall and wet through.",
                ]
            ],
            {"Anyone home?": "the stranger"},
            id="a-voice-is-the-one-who-comes-in-after-it",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn sent his three clones into the forest.",
                    '"Read the scrolls and tell me what they say." Said Tobias Venn.',
                    '"Fire needs a special exercise." Said the clone.',
                ]
            ],
            {"Fire needs a special exercise.": "the clone"},
            id="a-capitalised-speech-verb-after-the-quote-is-its-tag",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn lay still in the loft. Riders came into the barn below.",
                    '"Cold tonight," said one. Boots stamped on the boards.',
                    '"Light the lamp, Nell," said another.',
                ]
            ],
            {"Light the lamp, Nell,": "another"},
            id="said-another-is-someone-of-the-group-not-the-one-in-view",
        ),
        pytest.param(
            [
                [
                    "Squire Hollis, Dr. Pell, and the rest of them having asked me to set it"
                    " down, I go back to the day the tall old seaman came to our door.",
                    "I remember him as he stood there, whistling to himself.",
                    '"A quiet cove," says he at length.',
                ]
            ],
            {"A quiet cove,": "the tall old seaman"},
            id="one-of-a-plural-subject-is-not-the-topic",
        ),
        pytest.param(
            [
                [
                    "Squire Hollis sat by the fire.",
                    "The old seaman came to the door.",
                    '"A quiet cove," said the old seaman.',
                ]
            ],
            {"A quiet cove,": "the old seaman"},
            id="a-role-is-someone-of-its-own-not-the-man-in-focus",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow poured the tea.",
                    '"Would it be Leeds or York, Nell?"',
                    "her mother demanded.",
                    '"York, mother."',
                ]
            ],
            {"York, mother.": "Nell Harrow"},
            id="a-tag-split-into-its-own-paragraph-leaves-the-answer-to-the-one-addressed",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow sat by the carriage window.",
                    '"That," said a voice in her ear, "is the finest town in the valley."',
                    '"Is it?" she answered.',
                    "For some time she had been aware of a man behind her.",
                ]
            ],
            {"That,": "the man", "is the finest town in the valley.": "the man"},
            id="a-voice-is-the-one-met-next-and-its-tag-covers-the-quote-it-splits",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow had refused an amiable handsome baronet, who said"
                    ' "Quite so" to all her remarks.',
                ]
            ],
            {"Quite so": "the amiable handsome baronet"},
            id="a-relative-clause-tags-its-noun",
        ),
        pytest.param(
            [
                [
                    "Tom Venn stood by the door.",
                    "The old porter sat up, pointed to the letter in Venn's hand, and said,"
                    ' "That is mine."',
                ]
            ],
            {"That is mine.": "the old porter"},
            id="a-verb-after-a-comma-shares-the-sentence-s-subject",
        ),
        pytest.param(
            [
                [
                    "Tom Venn came in and sat down. He was tired. Jack Hale stirred on the couch.",
                    'Venn\'s eyes never leave the window. "It upset me too," he says.',
                ]
            ],
            {"It upset me too,": "Tom Venn"},
            id="a-possessive-opening-a-sentence-is-its-topic",
        ),
        pytest.param(
            [
                [
                    "Tom Venn and Jack Hale waited on the step.",
                    "When the cab came, telling them it was outside, Tom Venn handed Jack Hale a"
                    ' note. "Bye," he said.',
                ]
            ],
            {"Bye,": "Tom Venn"},
            id="the-subject-after-a-leading-clause-opens-the-sentence",
        ),
        pytest.param(
            [
                [
                    '"Tea?" Jack Hale asked.',
                    '"You are a terrible host," Tom Venn answered.',
                    '"Yes, and my kitchen is spotless."',
                    "Tom Venn laughed, wishing he could tell Ada.",
                ]
            ],
            {"Yes, and my kitchen is spotless.": "Jack Hale"},
            id="the-one-answered-laughs-after-the-answer",
        ),
        pytest.param(
            [
                [
                    "Tom Venn and Jack Hale stood by the car.",
                    '"But-" Jack Hale began.',
                    '"Leave it." His hand rests on Jack\'s shoulder. "It\'s fine."',
                ]
            ],
            {"Leave it.": "Tom Venn"},
            id="a-beat-s-pronoun-is-not-the-one-its-sentence-names",
        ),
        pytest.param(
            [
                [
                    "Ada Venn sat with Nell Harrow by the fire.",
                    '"So," Harrow said finally. Ada started. She tore her eyes away from her tea'
                    " and fixed them on Harrow's face.",
                    '"I didn\'t mean to," she said, in a very small voice.',
                ]
            ],
            {"I didn't mean to,": "Ada Venn"},
            id="a-possessive-elsewhere-keeps-someone-in-focus-only",
        ),
        pytest.param(
            [
                [
                    "Tom Venn met an old man on the trail.",
                    "They made camp together. But Tom Venn's companion, when he had packed his"
                    ' burro, faced about and said: "We might stay together."',
                ]
            ],
            {"We might stay together.": "the old man"},
            id="someone-s-companion-is-whoever-is-with-them",
        ),
        pytest.param(
            [
                [
                    "Nell Harrow sat by the carriage window.",
                    '"That," said a voice in her ear, "is the finest town in the valley."',
                    '"Is it?" she answered.',
                ]
            ],
            {"That,": None, "is the finest town in the valley.": None},
            id="an-unknown-voice-is-not-the-one-it-speaks-to-on-either-side-of-its-tag",
        ),
        pytest.param(
            [
                [
                    "Mrs. Harrow and Tom Venn came in. Mr. Harrow stood up at once.",
                    '"Sit down, Mrs. Harrow," said Tom Venn.',
                    '"Thank you."',
                ]
            ],
            {"Thank you.": "Mrs. Harrow"},
            id="a-titled-name-is-one-word-of-address",
        ),
        pytest.param(
            [
                [
                    "Mr. Harrow, Tom Venn and Mrs. Harrow sat at tea.",
                    "Mr. Harrow spoke of the law for an hour. Then Mrs. Harrow rose.",
                    '"More tea?"',
                ]
            ],
            {"More tea?": "Mrs. Harrow"},
            id="a-title-s-full-stop-ends-no-sentence",
        ),
        pytest.param(
            [
                [
                    "Tom Venn and Mr. Harrow stood at the gate.",
                    '"Who is there?"',
                    "Mr. Harrow called it twice, but no one answered.",
                ]
            ],
            {"Who is there?": "Mr. Harrow"},
            id="a-title-s-full-stop-ends-no-sentence-in-the-next-paragraph-either",
        ),
        pytest.param(
            [
                [
                    "Mr. Harrow, Mrs. Harrow and Nell Harrow sat at tea.",
                    "Mr. Harrow talked of the law to the guest for some time. But Mrs. Harrow"
                    " was quick to feel a silence, and leaning across the table she observed,"
                    " in the soft manner which gave all her words the air of a question,"
                    ' "Do you read Byron? Some one said to me, ‘We never read him, Mrs.'
                    ' Harrow.’ What do you read?"',
                ]
            ],
            {
                "Do you read Byron? Some one said to me, ‘We never read him, Mrs. Harrow.’ "
                "What do you read?": "Mrs. Harrow"
            },
            id="a-speech-verb-far-from-its-quote-and-a-quoted-address-to-someone-else",
        ),
        pytest.param(
            [
                [
                    "Dr. Ansel Marrow drove out to the farm. Dr. Marrow was a tall man.",
                    '"How is the child?" asked the physician.',
                    "Mrs. Quill met him at the door.",
                    '"Sleeping," said the old doctor, and put down his bag.',
                ]
            ],
            {"How is the child?": "Dr. Ansel Marrow", "Sleeping,": "Dr. Ansel Marrow"},
            id="a-role-is-the-one-character-with-that-title",
        ),
        pytest.param(
            [
                [
                    "Mr. Corrie came in from the barn. Mr. Corrie shook the snow from his hat.",
                    "Mrs. Corrie stood by the stove.",
                    '"Is supper ready?" he asked.',
                    '"Nearly," said his wife.',
                ]
            ],
            {"Nearly,": "Mrs. Corrie"},
            id="a-wife-is-the-mrs-of-her-husbands-name",
        ),
        pytest.param(
            [
                [
                    "A tall man stood at the gate. He wore a grey coat. His name was Wendel Orr.",
                    '"Who lives here?" asked the man.',
                    'Anna Price looked up from the well. "We do," she said.',
                    "Wendel Orr sat down on the step.",
                ]
            ],
            {"Who lives here?": "Wendel Orr", "We do,": "Anna Price"},
            id="a-described-person-named-by-the-narration-goes-by-the-name",
        ),
        pytest.param(
            [
                [
                    "The porter, Tom Abell, came out with a lantern. Tom Abell was old.",
                    '"Who is there?" said the porter.',
                ]
            ],
            {"Who is there?": "Tom Abell"},
            id="a-description-in-apposition-to-a-name-is-that-name",
        ),
        pytest.param(
            [
                [
                    "Mr. Greeve, the detective, came up the steps. Mr. Greeve was stout.",
                    "I opened the door to him.",
                    '"A bad business," said the detective.',
                ]
            ],
            {"A bad business,": "Mr. Greeve"},
            id="a-name-with-a-description-in-apposition-goes-by-the-name",
        ),
        pytest.param(
            [
                [
                    "Kaia Moss sat on the floor of the tree-house. Riversong Vael came in.",
                    '"Oh," she said, upon seeing Kaia\'s face. "I am sorry."',
                ]
            ],
            {"Oh,": "Riversong Vael"},
            id="a-pronoun-tag-is-no-one-its-own-clause-names",
        ),
        pytest.param(
            [
                [
                    "Kaia Moss climbed the ladder. Riversong Vael watched her from the branch.",
                    '"We got off on the wrong foot," the woman continued. "I am Riversong Vael."',
                ]
            ],
            {"We got off on the wrong foot,": "Riversong Vael"},
            id="a-paragraphs-self-introduction-names-its-speaker",
        ),
        pytest.param(
            [
                [
                    "Tobias Venn sat by the fire. The Colonel came in and took off his hat.",
                    "The Colonel looked at the flames. He rubbed his hands.",
                    '"A cold night," he said.',
                ]
            ],
            {"A cold night,": "the Colonel"},
            id="someone-known-by-a-title-is-followed-in-the-narration",
        ),
    ],
)
def test_speaker_rules(chapters, expected):
    """Each row: invented chapters and the speakers the rules give their quotes."""
    got = speakers(analyse_paragraphs(chapters))
    assert {quote: got[quote] for quote in expected} == expected


def test_description_speakers():
    assert description("a fearful man with a great iron") == "the fearful man"
    assert description("the man, shaking his head") == "the man"
    assert description("the undertaker solemnly, his") == "the undertaker"
    assert description("the old porter") == "the old porter"
    assert description("the same figure which had reported") == "the same figure"
    assert description("the door") is None
    a = analyse_paragraphs(
        [
            [
                "Nell Harrow knocked at the lodge.",
                '"Who goes there?" said the porter, raising his lamp.',
                '"A friend," said Nell.',
            ]
        ]
    )
    got = speakers(a)
    assert got["Who goes there?"] == "the porter"
    assert got["A friend,"] == "Nell Harrow"
    assert "the porter" not in {c.name for c in a.characters}  # a description, not a character
    # The porter's three words of the five quoted are the unnamed people's share.
    assert a.unnamed_share == 0.6
    assert {c.name: c.dialogue_share for c in a.characters} == {"Nell Harrow": 0.4}


def test_first_person_narrator_named_by_the_others():
    a = analyse_paragraphs(
        [
            [
                "I set my bag down. Corvin Ashdown looked up from his papers.",
                '"Well, Marlowe, you are late," said Corvin.',
                '"The trains," I said.',
                '"Sit down, my dear Marlowe, and tell me everything."',
                "I sat. Corvin poured the tea and waited.",
            ]
        ]
    )
    narrator = next(c for c in a.characters if c.narrator)
    assert narrator.name == "Marlowe"
    assert speakers(a)["The trains,"] == "Marlowe"
    assert speakers(a)["Well, Marlowe, you are late,"] == "Corvin Ashdown"


def test_narrator_says_their_name():
    a = analyse_paragraphs(
        [
            [
                "My name is Wren, and I keep the lighthouse. I light the lamp at dusk and I"
                " trim the wick at midnight. I have done it for years.",
                "Tamsin Hale visits on Sundays. I make her tea.",
                '"You look tired," Tamsin said.',
                '"I am," I said. I am, too.',
            ]
        ]
    )
    assert [c.name for c in a.characters if c.narrator] == ["Wren"]


def test_a_chapter_title_names_whose_journal_it_is():
    paragraphs = [
        "I left the inn at dawn. I had slept badly and I told the landlord so.",
        "Tobias Venn met me at the gate. I shook his hand.",
        '"You are late," Tobias said.',
        '"The coach," I said.',
    ]
    a = analyse_paragraphs([paragraphs], titles=["WREN HOLLOWAY'S JOURNAL"])
    assert [c.name for c in a.characters if c.narrator] == ["Wren Holloway"]
    assert speakers(a)["The coach,"] == "Wren Holloway"


def test_romance_gives_a_slash_pairing_and_friends_an_ampersand():
    lovers = analyse_paragraphs(
        [
            [
                "Ilse Marren waited by the river. Teodor Kask came running.",
                '"I love you," Teodor said, and kissed her.',
                '"I love you too," Ilse said. She kissed him back, her lips warm.',
                "Teodor held her close. Ilse smiled against his shoulder, his darling.",
                '"Stay," Ilse said.',
                '"Always," said Teodor.',
            ]
        ]
    )
    (rel,) = lovers.relationships
    assert rel["tag"] == "Ilse Marren/Teodor Kask"
    assert rel["kind"] == "romantic" and 0 < rel["confidence"] <= 1

    friends = analyse_paragraphs(
        [
            [
                "Ilse Marren and Teodor Kask fixed the boat all morning.",
                '"Pass the hammer," Teodor said.',
                '"Here," Ilse said. She handed it over.',
                "Teodor nailed the plank. Ilse held the lantern.",
                '"Done," said Teodor.',
                '"About time," said Ilse.',
            ]
        ]
    )
    assert [r["tag"] for r in friends.relationships] == ["Ilse Marren & Teodor Kask"]
    assert friends.relationships[0]["kind"] == "platonic"


def test_a_kiss_between_others_in_the_scene_is_no_romance_for_the_pair():
    scene = [
        "Quennick Arl watched Orla Briggs train at the quay.",
        '"Again," Quennick said.',
        '"Yes, master," said Orla.',
        "Berit Holm ran up and kissed Orla on the cheek, her darling sister.",
        '"Love you," Berit called to Orla, and kissed her again.',
    ]
    tags = [r["tag"] for r in analyse_paragraphs([scene * 4]).relationships]
    assert "Orla Briggs & Quennick Arl" in tags


def test_pairings_rank_by_evidence_and_a_brief_meeting_is_none():
    talk = [
        '"Pass the hammer," Teodor said.',
        '"Here," Ilse said. She handed it over.',
        "Teodor nailed the plank while Ilse held the lantern.",
    ]
    story = [
        ["Ilse Marren and Teodor Kask fixed the boat."] + talk * 12,
        [
            "Berit Holm kissed Teodor on the cheek at the market.",
            '"Darling," Berit said, and kissed him again.',
            '"Not here," said Teodor.',
            "Berit laughed, kissed her fingers to him and left.",
            '"Goodbye, darling," called Berit.',
        ],
        ["Ilse Marren waited by the river, and Teodor came."] + talk * 12,
    ]
    tags = [r["tag"] for r in analyse_paragraphs(story).relationships]
    assert tags == ["Ilse Marren & Teodor Kask"]


def test_no_pairing_for_a_lone_character():
    a = analyse_paragraphs([["Ilse Marren walked alone by the river.", '"Quiet," Ilse said.']])
    assert a.relationships == []


def test_fandom_and_canonical_tags_from_the_cast():
    a = analyse_paragraphs(
        [
            [
                "Willow opened the book. Xander leaned over her shoulder.",
                '"Giles will kill us," Xander said.',
                '"Giles is at the library," Willow said. "Buffy is patrolling."',
                "Buffy came in later. Giles sighed and cleaned his glasses.",
            ]
        ]
    )
    assert a.fandoms[0]["name"] == "Buffy the Vampire Slayer"
    assert a.fandoms[0]["confidence"] >= 0.5
    tags = {c.name: c.tag for c in a.characters}
    assert tags["Giles"] == "Rupert Giles"
    assert tags["Xander"] == "Xander Harris"


def test_original_work_gets_no_fandom():
    a = analyse_paragraphs(
        [["Ilse Marren waited by the river.", '"Late," said Teodor Kask, running up.']]
    )
    assert a.fandoms == []
    assert all(c.tag is None for c in a.characters)


def test_one_minor_registry_name_does_not_make_a_fandom():
    """An original story whose lighthouse keeper meets one Mr. Pike is not Star Trek."""
    a = analyse_paragraphs(
        [
            [
                "Odile Fenwright climbed to the lamp room. Odile trimmed the wick.",
                '"Storm tonight," Odile said. Odile looked at the sea.',
                "Later Mr. Aldous Pike brought the post. Odile thanked him.",
                '"Mind the steps," said Odile. "Odile always minds them," she added.',
            ]
        ]
    )
    assert a.fandoms == []
    assert all("Mr." not in r["tag"] for r in a.relationships)


def test_pronoun_goes_to_the_subject_not_the_last_name_mentioned():
    # Salience: the sentence's subject outranks a name mentioned after it.
    a = analyse_paragraphs(
        [
            [
                "Greta Vance lit the fire and set the kettle on, while the maid, Ada Pell,"
                " swept the hearth.",
                "She turned to the window.",
                '"Rain again," she said.',
            ]
        ]
    )
    assert speakers(a)["Rain again,"] == "Greta Vance"


def test_pronouns_in_narration_keep_their_person_in_the_scene():
    # "He tied his horse… He lit his pipe": the friend stays in focus for the later "he", over
    # a man mentioned more often before the friend came in.
    a = analyse_paragraphs(
        [
            [
                "I thought of old Mr. Harlow Stroud and his sermons. Mr. Stroud preached"
                " for two hours on Sundays.",
                "Tobias Crane, my friend, rode up to the gate.",
                '"Late again," he said.',
                "He tied his horse to the rail and sat down on the step beside me.",
                "He lit his pipe and looked at the river for a long while.",
                '"Too high to ford," he said at last.',
            ]
        ]
    )
    got = speakers(a)
    assert got["Late again,"] == "Tobias Crane"
    assert got["Too high to ford,"] == "Tobias Crane"


def test_double_hyphen_dash_dialogue():
    paragraphs = ["--What is your name?", "Wilf looked at the ground.", "--Wilf Carrow."]
    assert quote_style(paragraphs) == "dash"
    assert [p[a:b] for p in paragraphs for a, b in find_quote_spans(p, "dash")] == [
        "What is your name?",
        "Wilf Carrow.",
    ]


def test_a_described_person_in_narration_can_speak():
    # Nobody names the doctor: "The doctor bent down" makes him the one who speaks next, and
    # "the man" after "him" is a pronoun in other words.
    a = analyse_paragraphs(
        [
            [
                "Mara Quell lay in the bed, very weak. The doctor came forward and bent down.",
                '"Let me take the child."',
                "She gave the child up. All she could see was him. The man by the window wept.",
                '"Oh, Tomas," she said.',
            ]
        ]
    )
    got = speakers(a)
    assert got["Let me take the child."] == "the doctor"
    assert got["Oh, Tomas,"] == "Mara Quell"


def test_a_definite_description_can_be_someone_named():
    # `the little girl` is the girl in focus; `the sergeant` is the one Sergeant in the cast.
    a = analyse_paragraphs(
        [
            [
                "Nell Harrow ran down the lane to the guard-house. Sergeant Ambrose Pike was"
                " asleep on a bench by the door.",
                '"I am lost," said the little girl.',
                '"Then go home," said the sergeant, without opening his eyes.',
            ]
        ]
    )
    got = speakers(a)
    assert got["I am lost,"] == "Nell Harrow"
    assert got["Then go home,"] == "Sergeant Ambrose Pike"


def test_the_one_addressed_by_name_answers():
    a = analyse_paragraphs(
        [
            [
                "Odo Marsh and Piet Vand sat by the fire with the others.",
                '"Piet, lend me your pipe," said Odo.',
                '"Get your own."',
            ]
        ]
    )
    assert speakers(a)["Get your own."] == "Piet Vand"


def test_a_described_subject_owns_the_pronoun_after_it():
    # "the surgeon" has no gender until "his" follows it; then "he said" can be the surgeon.
    a = analyse_paragraphs(
        [
            [
                "Ansel Grey lay asleep. The surgeon felt his pulse and frowned.",
                '"Nothing more to be done," he said.',
            ]
        ]
    )
    assert speakers(a)["Nothing more to be done,"] == "the surgeon"


def test_each_decided_quote_says_which_step_decided_it():
    from ficarchive.analysis.speakers import STEPS

    chapters = [[
        "Elinor Vane kept the lamp, and Tobias Venn kept the boats. Elinor liked Tobias.",
        '"Come in," said Elinor.',
        'Tobias shut the door behind him. "It is cold out."',
        '"Sit by the fire, Tobias."',
        '"Thank you."',
    ]]  # fmt: skip
    analysis = analyse_paragraphs(chapters)
    decided = [(q.speaker, q.step) for q in analysis.quotes]
    assert decided[0] == (
        "Elinor Vane",
        "tag after",
    )  # `said Elinor.`: its stop is no part of her name
    assert decided[1] == ("Tobias Venn", "action beat")
    assert all(step in STEPS for speaker, step in decided if speaker)
    assert all(step is None for speaker, step in decided if speaker is None)


def test_a_narrator_who_gives_her_name_beside_i_is_named():
    a = analyse_paragraphs(
        [
            [
                "I, Amelia Thornbury, have never been a curious woman. I keep my house and my"
                " own counsel, and I watch the street.",
                "I, Tom, and Dick went out. I saw the lamp lit next door.",
                '"Who is there?" I called.',
                '"Only the lamplighter, ma\'am," said Peter Voss.',
            ]
        ]
    )
    narrator = next(c for c in a.characters if c.narrator)
    assert narrator.name == "Amelia Thornbury"
    assert speakers(a)["Who is there?"] == "Amelia Thornbury"
