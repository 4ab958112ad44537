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

import importlib.util
import math
import re
from functools import cache
from pathlib import Path


def words(text: str) -> frozenset[str]:
    """A word list written as one string: `words("ah aha ahem")`."""
    return frozenset(text.split())


INTERJECTIONS = words(
    "ah aha ahem ahoy alas amen aye bah blah blimey bravo crikey damn drat eh egad encore er "
    "faugh fie gad gee gosh golly ha hah haha halloo hallo heigh hem hey hist hm hmm hmph ho "
    "hoo hooray hullo humph hum hurrah hurray huzza huzzah la lo mm nay och oho oi ole ooh oops "
    "ouch ow pah pho phew pish pooh pshaw psst sh shh tch tsk tush tut ugh uh um whew whoa wow "
    "ya yah yay yea yeah yo yoho zounds mhm mhmm mmhm mmhmm mmm hmmm yep yup nope "
    # older spellings of hello, and the French oaths of period fiction
    "halloa hillo hollo holloa hulloa morbleu parbleu pardieu sacrebleu corbleu ventrebleu"
)

# Titles before a name, with the sex they say (None: either).
TITLES = {
    "mr": "he", "mister": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he", "father": "he",
    "uncle": "he", "master": "he", "brother": "he", "monsieur": "he", "herr": "he", "count": "he", "duke": "he",
    "mrs": "she", "miss": "she", "ms": "she", "lady": "she", "queen": "she", "princess": "she", "mother": "she",
    "aunt": "she", "mistress": "she", "sister": "she", "madame": "she", "madam": "she", "dame": "she",
    "dr": None, "doctor": None, "professor": None, "captain": None, "colonel": None, "general": None,
    "major": None, "lieutenant": None, "sergeant": None, "saint": None, "st": None, "agent": None, "detective": None,
}  # fmt: skip
# More forms of address that only ever stand before a name; `St.`/`Saint` name places as often
# as people, so they are not evidence of a person.
MORE_TITLES = {
    "mme": "she", "mlle": "she", "mademoiselle": "she", "frau": "she", "fraulein": "she",
    "señor": "he", "senor": "he", "señora": "she", "signor": "he", "signora": "she", "don": "he",
    "esq": "he", "esquire": "he", "squire": "he", "baron": "he", "baroness": "she", "earl": "he",
    "countess": "she", "duchess": "she", "duc": "he", "marquis": "he", "emperor": "he", "empress": "she",
    "sultan": "he", "rev": None, "reverend": None, "capt": None, "col": None, "gen": None,
    "lt": None, "sgt": None, "di": None, "dci": None, "ds": None, "prof": None, "hon": None, "judge": None, "inspector": None,
    "constable": None, "officer": None, "cardinal": "he", "monsignor": "he", "bishop": None,
    "pope": "he", "father": "he", "aunty": "she", "auntie": "she", "cousin": None,
    "grandma": "she", "granny": "she", "grandpa": "he", "m": "he", "messrs": None,
    # dialect forms of the titles above, as period fiction spells them
    "misser": "he", "mistah": "he", "marse": "he", "massa": "he", "mas'r": "he", "mas’r": "he",
    "cap'n": None, "cap’n": None, "capn": None, "brer": "he", "sis": "she", "miz": "she",
    "widow": "she", "deacon": None, "parson": None, "elder": None, "mam'selle": "she",
}  # fmt: skip
ALL_TITLES = {**MORE_TITLES, **TITLES}
PERSON_TITLES = frozenset(ALL_TITLES) - {"saint", "st"}
# Verbs of speech, as one regular-expression alternation (`said|says|…`).
SPEECH_VERBS = (
    "said|says|say|asked|asks|ask|replied|replies|answered|answers|whispered|whispers|shouted|shouts|"
    "yelled|yells|screamed|screams|scream|yell|shout|cried|cries|called|calls|murmured|murmurs|muttered|"
    "mutters|mumbled|mumbles|added|adds|continued|continues|snapped|snaps|growled|growls|laughed|laughs|"
    "sighed|sighs|exclaimed|exclaims|began|begins|repeated|repeats|demanded|demands|insisted|insists|"
    "pleaded|pleads|sobbed|sobs|breathed|breathes|hissed|hisses|told|tells|thought|thinks|returned|"
    "observed|remarked|rejoined|interrupted|agreed|protested|declared|groaned|gasped|explained|retorted|"
    "offered|admitted|announced|responded|went on|spoke|speaks|grumbled|chuckled|grinned|smiled|nodded|"
    "croaked|drawled|purred|barked|roared|bellowed|stammered|stuttered|teased|joked|warned|promised|"
    "queried|inquired|enquired|urged|sneered|snarled|whimpered|resumed|ventured|faltered|shrieked|moaned|"
    "suggested|assented|pursued|persisted|interposed|ejaculated|objected|broke in|put in|cut in|"
    "chimed in|spoke up|called out|cried out|burst out"
)
# Marks that open a quotation.
OPENING_QUOTES = "\"“‘'"

# Roles a title and a description share (`Dr. Archie` is `the doctor`), by one word for each.
# Titles that say only sex or rank in a family (`Mr.`, `Lady`, `Father`) are no role.
ROLE_TITLES = {
    "dr": "doctor", "doctor": "doctor", "physician": "doctor", "surgeon": "doctor",
    "parson": "parson", "reverend": "parson", "rev": "parson", "vicar": "parson",
    "rector": "parson", "curate": "parson", "clergyman": "parson", "minister": "parson",
    "pastor": "parson", "captain": "captain", "capt": "captain", "colonel": "colonel",
    "col": "colonel", "major": "major", "general": "general", "gen": "general",
    "lieutenant": "lieutenant", "lt": "lieutenant", "sergeant": "sergeant", "sgt": "sergeant",
    "corporal": "corporal", "professor": "professor", "prof": "professor", "judge": "judge",
    "inspector": "inspector", "detective": "detective", "constable": "constable",
    "squire": "squire", "nurse": "nurse", "count": "count", "countess": "countess",
    "duke": "duke", "duchess": "duchess", "baron": "baron", "baroness": "baroness",
    "king": "king", "queen": "queen", "prince": "prince", "princess": "princess",
    "aunt": "aunt", "uncle": "uncle", "governor": "governor", "bishop": "bishop",
    "earl": "earl", "marquis": "marquis", "marquess": "marquis", "viscount": "viscount",
    "emperor": "emperor", "empress": "empress", "sultan": "sultan", "cardinal": "cardinal",
    "commandant": "commandant", "admiral": "admiral", "commodore": "commodore",
    "sheriff": "sheriff", "deacon": "deacon", "elder": "elder", "padre": "parson",
}  # fmt: skip


def role_of(word: str) -> str | None:
    """The role a title or a description's word names (`Dr.` and `physician`: `doctor`)."""
    return ROLE_TITLES.get(word.rstrip(".,").lower())


# Common nouns that name a person by sex, age, role, trade or rank (`said the stranger`, `the
# guide stood by`): a description with one of these heads can speak. Words that are as often
# adjectives or things (`general`, `private`, `page`, `count`, `native`) are left out, since
# `the general idea` must not become someone; compounds in -man, -keeper, -maker, -master and
# -smith are matched by shape.
PERSON_NOUNS = words(
    "man woman boy girl gentleman lady fellow lad lass child youth maiden stranger visitor "
    "guest newcomer traveller traveler wanderer companion comrade interlocutor neighbour neighbor servant "
    "maid footman butler valet housekeeper nurse governess doctor physician surgeon priest "
    "vicar parson curate clergyman minister bishop monk nun officer soldier sergeant corporal "
    "captain lieutenant colonel trooper sentry sentinel guard constable inspector detective "
    "magistrate judge lawyer attorney clerk merchant tradesman pedlar peddler hawker beggar "
    "tramp thief robber bandit outlaw prisoner convict captive slave landlord landlady "
    "waiter porter coachman driver groom ostler messenger sailor mariner farmer shepherd "
    "labourer laborer blacksmith carpenter tailor baker butcher miller weaver hunter trapper "
    "guide scout rider leader chief king queen prince princess duke duchess countess baron "
    "baroness knight squire widow widower bride bridegroom husband wife orphan spinster "
    "bachelor peasant villager auctioneer prospector undertaker jailer gaoler warder "
    "kidnapper gardener cook waggoner wagoner hostess host urchin"
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
    "port point cove creek falls moor heath common green mall row terrace crescent landing rock "
    "rocks reef head beach shore cliff cliffs "
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
def _places() -> dict[str, str]:
    """Place name -> "familiar" (a country, a continent, a state or county of an English-speaking
    country, a large city) or "foreign" (another country's province or region)."""
    places: dict[str, str] = {}
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        pycountry = None
    if pycountry is not None:
        for sub in pycountry.subdivisions:
            if sub.type in _SUBDIVISION_TYPES:
                places[sub.name] = "familiar" if sub.country_code in _ENGLISH else "foreign"
        for country in pycountry.countries:
            for attr in ("name", "common_name"):
                if hasattr(country, attr):
                    places[getattr(country, attr)] = "familiar"
    places.update(dict.fromkeys(_REGIONS, "familiar"))
    for name, population in _cities():
        # A city that is also a first name (`Florence`, `Charlotte`) is only a place if huge.
        if population >= 1_000_000 or (population >= CITY_POPULATION and not _is_first_name(name)):
            places.setdefault(name, "familiar")
    return places


CITY_POPULATION = 100_000


def _geonames_file(name: str) -> Path | None:
    """A data file of the `geotext` package (GeoNames extracts), found without importing it:
    its import builds indexes this module does not need."""
    spec = importlib.util.find_spec("geotext")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    return path if path.is_file() else None


def _cities() -> list[tuple[str, int]]:
    """(name, population) of the world's towns of 15,000 people or more (GeoNames)."""
    path = _geonames_file("cities15000.txt")
    if path is None:  # pragma: no cover - a dependency, but the analysis still runs
        return []
    cities = []
    with path.open(encoding="utf-8") as rows:
        for row in rows:
            columns = row.split("\t", 15)
            population = int(columns[14] or 0)
            if population >= CITY_POPULATION:
                cities.append((columns[1], population))
    return cities


@cache
def demonyms() -> frozenset[str]:
    """`french`, `malaysian`: peoples' adjectives (geotext's list), lower-cased, with plurals."""
    path = _geonames_file("nationalities.txt")
    names = set()
    if path is not None:
        for row in path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#") and ":" in row:
                name = row.split(":", 1)[0].strip().lower()
                if " " not in name:
                    names.update([name, name + "s"])
    return frozenset(names) | NOT_NAMES


def _is_first_name(name: str) -> bool:
    import gender_guesser.detector as gd

    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = gd.Detector(case_sensitive=False)
    return _DETECTOR.get_gender(name) in ("male", "female", "mostly_male", "mostly_female")


_DETECTOR = None
_ENGLISH = frozenset(["GB", "US", "CA", "AU", "IE", "NZ"])
# Continents and the commonest shortened or historical names, which ISO lists do not hold.
_REGIONS = words(
    "Africa America Asia Europe Antarctica Oceania Britain Holland Russia Persia Prussia "
    "Bohemia Siberia Arabia Flanders Gascony Normandy Brittany Burgundy Provence Bavaria "
    "Saxony Transylvania Wallachia Moldavia Lapland Tartary Cathay Indies Palestine Judea "
    "Galilee Egypt Mesopotamia Babylon Troy Carthage Sparta Athens Rome Jerusalem Scotland "
    "Wales Ireland England Ulster Cornwall Yorkshire Devon Dorset Kent Sussex Essex Surrey"
)


# Only the larger administrative units: districts and municipalities share names with people.
_SUBDIVISION_TYPES = frozenset(
    ["State", "Province", "Country", "County", "Two-tier county", "Region", "Territory", "Nation",
     "Autonomous region", "Autonomous community", "Department", "Canton", "Land", "Prefecture",
     "Outlying area", "Metropolitan department", "Oblast", "Republic"]
)  # fmt: skip


def place_kind(name: str) -> str | None:
    """ "familiar" for a place English writers name often (country, continent, US state, English
    county, large city); "foreign" for another country's region; None when no list holds it."""
    return _places().get(name)


def load() -> None:
    """Read every list now (about half a second, once per process) rather than mid-analysis."""
    _frequencies()
    _places()
    demonyms()


def has_place_shape(name: str) -> bool:
    """Whether a name is shaped like a place's or an institution's (`…shire`, `… Street`,
    `Lake …`, `… Society`)."""
    words = name.lower().split()
    if words[-1] in _PLACE_WORDS or _PLACE_SUFFIX.search(words[-1]):
        return True
    return len(words) > 1 and words[0] in _PLACE_HEADS
