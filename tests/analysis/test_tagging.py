"""The tag-suggestion policy both import and posting use (`analysis.tagging`)."""

from ficarchive.analysis.model import Analysis, Character
from ficarchive.analysis.tagging import SUGGESTION_CAPS, suggested_tags, tag_key
from ficarchive.text.model import TagType


def test_tag_key_is_the_same_for_tags_that_mean_the_same():
    assert tag_key(TagType.CHARACTER, "Spike (Buffy the Vampire Slayer)") == tag_key(
        TagType.CHARACTER, "  spike "
    )
    assert tag_key(TagType.RELATIONSHIP, "Spike/Buffy Summers") == tag_key(
        TagType.RELATIONSHIP, "Buffy  Summers/Spike"
    )
    assert tag_key(TagType.RELATIONSHIP, "Spike & Buffy") != tag_key(
        TagType.RELATIONSHIP, "Spike/Buffy"
    )  # friendship is not romance
    assert tag_key(TagType.FANDOM, "Star  Trek") == "star trek"


def test_suggested_tags_keep_the_strongest_few_and_nothing_unsure():
    analysis = Analysis(
        characters=[Character(f"Person{n:02d}", mentions=20 - n) for n in range(14)]
        + [Character("Once", mentions=1), Character("narrator", narrator=True, mentions=9)],
        fandoms=[
            {"name": "Sure", "confidence": 0.9},
            {"name": "Unsure", "confidence": 0.1},
        ],
        relationships=[{"tag": f"A/B{n}", "confidence": 0.5 + n / 100} for n in range(7)],
    )
    got = suggested_tags(analysis)
    by_type = {t: [name for tt, name, _ in got if tt == t] for t in SUGGESTION_CAPS}
    assert by_type[TagType.FANDOM] == ["Sure"]
    assert by_type[TagType.RELATIONSHIP] == [f"A/B{n}" for n in (6, 5, 4, 3, 2)]
    assert by_type[TagType.CHARACTER] == [f"Person{n:02d}" for n in range(10)]  # not "Once"
    confidences = [c for t, _, c in got if t == TagType.CHARACTER]
    assert confidences == sorted(confidences, reverse=True) and 0 < confidences[-1] < 1
