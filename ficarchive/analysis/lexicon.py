"""Word lists for telling names from other capitalised words, loaded once and lazily.

- `word_zipf`: how common a word is in ordinary English (wordfreq's small English list, on
  the Zipf scale: 6 is "the"-like, 3 is once per million words). wordfreq lower-cases its
  sources, so a common word may still be a name ("Will"), and a name may be common ("London").
- `is_place`: countries, their first-level subdivisions (US states, English counties) from
  pycountry, plus suffix rules (`-shire`, `-land`, ...) for the many places no list holds.
- `INTERJECTIONS`: exclamations that stand capitalised alone in dialogue (`"Humph!"`).

Both packages ship their data: nothing is downloaded at run time.
"""

from __future__ import annotations

import math
import re
from functools import cache


def words(text: str) -> frozenset[str]:
    """A word list written as one string: `words("ah aha ahem")`."""
    return frozenset(text.split())


INTERJECTIONS = words(
    "ah aha ahem ahoy alas amen aye bah blah blimey bravo crikey damn drat eh egad encore er "
    "faugh fie gad gee gosh golly ha hah haha halloo hallo heigh hem hey hist hm hmm hmph ho "
    "hoo hooray hullo humph hum hurrah hurray huzza huzzah la lo mm nay och oho oi ole ooh oops "
    "ouch ow pah pho phew pish pooh pshaw psst sh shh tch tsk tush tut ugh uh um whew whoa wow "
    "ya yah yay yea yeah yo yoho zounds"
)

# Places are usually named by a few shapes of word; a person's name is rarely one of them.
_PLACE_SUFFIX = re.compile(
    r"(?:shire|land|landia|stan|burgh|borough|polis|ville|minster|chester|caster|mouth|ania|onia|"
    r"avia|ovina|sylvania|ium)$"
)
# Last words of a place's or an institution's name (`Baker Street`, `Tract Society`), and first
# words of a place's (`Lake George`, `Fort Edward`).
_PLACE_WORDS = words(
    "street streets square park hall city town village valley railway boulevard gate road lane "
    "river island isle islands bay mountain mountains mount lake church chapel abbey castle "
    "states county station bridge court place hill hills forest wood woods sea ocean cathedral "
    "college university school hospital hotel inn farm manor palace tower avenue harbour harbor "
    "port point cove creek falls moor heath common green mall row terrace crescent landing "
    "springs fort camp desert plains coast cape canyon gulch ranch wharf quay dock docks market "
    "cross bank club house home office works mill mills grange priory lodge gardens garden basin "
    "channel strait straits pass gap gorge glen dale vale field fields marsh fen downs indies "
    "society association company corporation institute institution museum library academy "
    "observatory asylum orphanage office ministry department committee council parliament "
    "congress senate navy army regiment war wars revolution rebellion treaty act bill times "
    "gazette telegraph review journal magazine herald chronicle post news tribune directory "
    "dictionary encyclopedia encyclopaedia bible testament gospel hymn psalm circle auxiliary "
    "missions mission union league party empire kingdom republic commonwealth colony colonies"
)
_PLACE_HEADS = words(
    "lake mount mt fort cape port isle river bay gulf point glen loch north south east west "
    "upper lower new central northern southern eastern western"
)
# Peoples, faiths and forms of address: capitalised, person-like, but nobody's name.
NOT_NAMES = words(
    "christian christians catholic catholics protestant protestants jew jews jewish gentile "
    "gentiles puritan puritans quaker quakers methodist baptist anglican presbyterian papist "
    "pagan heathen moslem muslim mussulman hindu hindoo buddhist roman romans greek greeks "
    "dutch scotch welsh saxon saxons celt celtic norse turk turks moor moors arab arabs "
    "negro negroes indian indians yankee yankees ladyship lordship majesty highness excellency "
    "eminence holiness honour honor worship reverence sahib memsahib ayah "
    "sundays mondays tuesdays wednesdays thursdays fridays saturdays"
)


@cache
def _frequencies() -> dict[str, float]:
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a dependency, but the analysis still runs
        return {}
    return wordfreq.get_frequency_dict("en", wordlist="small")


@cache
def word_zipf(word: str) -> float:
    """Zipf frequency of a lower-cased word in English (0 when rare or unknown)."""
    freq = _frequencies().get(word)
    return math.log10(freq) + 9 if freq else 0.0


@cache
def _places() -> frozenset[str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return frozenset()
    names: set[str] = set()
    for country in pycountry.countries:
        names.add(country.name)
        names.update(
            getattr(country, a) for a in ("common_name", "official_name") if hasattr(country, a)
        )
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_TYPES:
            names.add(sub.name)
    # Continents and the commonest shortened forms are not ISO names.
    names.update(["Africa", "America", "Asia", "Europe", "Antarctica", "Oceania", "Britain", "Great Britain", "Holland", "Russia", "Persia", "Prussia", "Bohemia", "Siberia", "Arabia"])  # fmt: skip
    return frozenset(names)


# Only the larger administrative units: districts and municipalities share names with people.
_SUBDIVISION_TYPES = frozenset(
    ["State", "Province", "Country", "County", "Two-tier county", "Region", "Territory", "Nation",
     "Autonomous region", "Autonomous community", "Department", "Canton", "Land", "Prefecture",
     "Outlying area", "Metropolitan department", "Oblast", "Republic"]
)  # fmt: skip


def is_known_place(name: str) -> bool:
    """A country or a first-level subdivision (`Kent`, `Virginia`), or a continent."""
    return name in _places()


def has_place_shape(name: str) -> bool:
    """Whether a name is shaped like a place's or an institution's (`…shire`, `… Street`,
    `Lake …`, `… Society`)."""
    words = name.lower().split()
    if words[-1] in _PLACE_WORDS or _PLACE_SUFFIX.search(words[-1]):
        return True
    return len(words) > 1 and words[0] in _PLACE_HEADS
