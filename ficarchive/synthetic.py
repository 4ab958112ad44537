"""Synthetic works for search and import benchmarks: AO3 "Download > HTML" files with a real shape.

`generate_corpus(out, works, seed)` writes `works` files that `parse_story` reads as AO3
downloads, one folder per thousand works, plus `counts.jsonl` (kudos, hits, bookmarks, comments:
a download does not carry them). The shape follows the archive's, roughly:

- prose from a Zipfian vocabulary: real English function words at the top ranks, then 50,000
  made-up syllable words, so both "common word" and "rare word" queries have answers, plus a few
  words each work coins for itself (found in that work only, the tail real corpora have); dialogue
  paragraphs in quotes with a character's name and a speech verb;
- log-normal work lengths (median 3,000 words, capped at 100,000); longer works have more chapters;
- Zipfian fandoms (about 5% crossovers), characters and relationships drawn from the work's own
  fandoms, Zipfian additional tags; AO3's ratings, warnings and categories at plausible rates;
  mostly English; dates over fifteen years; complete works and works in progress;
- heavy-tailed kudos, hits, bookmarks and comments.

Same seed, same bytes: each work has its own random stream (seeded by the corpus seed and the
work's number) and the fictional world (vocabulary, fandoms, casts, tags, creators) does not
depend on the seed at all, so names stay the same across corpora and benchmark queries carry
over. Pure Python: no Django.
"""

from __future__ import annotations

import html
import json
import math
import random
import time
from array import array
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from statistics import NormalDist
from urllib.parse import quote

VOCABULARY_SIZE = 50_000  # made-up words, after the real function words
MEDIAN_WORDS = 3_000
LENGTH_SIGMA = 0.8  # log-normal spread of work lengths: the mean is about 4,100 words (405 M per 100,000 works, as in issue 4)
MAX_WORDS = 100_000
WORKS_PER_FOLDER = 1_000
FANDOMS = 2_000
FREEFORMS = 5_000
CREATORS = 30_000
FIRST_DAY = date(2010, 1, 1)
LAST_DAY = date(2024, 12, 31)
COUNTS_FILE = "counts.jsonl"
AO3 = "https://archiveofourown.org/"

# Zipf–Mandelbrot ranks: weight 1 / (rank + offset) ** exponent.
_WORD_ZIPF = (1.0, 2.7)
_TAG_ZIPF = (1.0, 3.0)
_SAMPLE_BITS = 20  # word sampling table: 2**20 slots, so the rarest word still has one or two


def _listed(text: str) -> list[str]:
    """A word list written as running text (easier to read and edit than a list literal)."""
    return text.split()


# The commonest English words, roughly in frequency order: the head of every Zipf curve.
_FUNCTION_WORDS = _listed(
    """the and to of a I he she was in it you that her his had with for on at as
him but not they be what said me my is so do this we there were all out have up from by back one
would could no if them like just or an about been into then know when their your did over only
didn't don't it's I'm something could've down time now get way again eyes before still even more
here looked how who thought want why can going through around too much never some away think
made right felt off go face hand head than because see us where other any make little long always
come things room after while turned knew let something's told tell what's that's can't wasn't
couldn't good yes well maybe our very first last next though its those these every own same each
against under without nothing anything everything someone people day night moment voice door
enough already almost really another took gave got went came looked smiled nodded asked"""
)

_ONSETS = _listed("b c d f g h j k l m n p r s t v w y z br ch cl cr dr fl fr gl gr pl pr sc sh sk sl sm sn sp st str th tr wh")  # fmt: skip
_NUCLEI = _listed("a e i o u a e i o u ai ea ee oo ou ie oa y")
_CODAS = ["", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rn", "ck", "ng", "sh", "th", "x", "rd", "lt"]  # fmt: skip
_NAME_ENDINGS = _listed("a el en is on ia ar eth in ora an us ic ie ette ander")

RATINGS = (
    ("General Audiences", 24), ("Teen And Up Audiences", 30), ("Mature", 16),
    ("Explicit", 22), ("Not Rated", 8),
)  # fmt: skip
WARNINGS = (
    ("No Archive Warnings Apply", 56), ("Creator Chose Not To Use Archive Warnings", 26),
    ("Graphic Depictions Of Violence", 10), ("Major Character Death", 5),
    ("Rape/Non-Con", 2), ("Underage", 1),
)  # fmt: skip
CATEGORY_ORDER = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
_ROMANCE = (("M/M", 50), ("F/M", 35), ("F/F", 15))
LANGUAGES = (
    ("English", 880), ("Español", 25), ("中文-普通话 國語", 25), ("Русский", 20),
    ("Français", 12), ("Deutsch", 10), ("Português brasileiro", 8), ("日本語", 5),
    ("Italiano", 5), ("Polski", 4), ("한국어", 3), ("Tiếng Việt", 3),
)  # fmt: skip
_MEDIA = ("", "", "", " (TV)", " (Anime)", " (Video Game)", " (Movies)", " - All Media Types", " (Comics)", " (Cartoon)")  # fmt: skip
_FANDOM_SHAPES = ("{a}", "The {a} {b}", "{a} {b}", "{a}: {b} of {c}", "{a} Academy", "{a} Chronicles")  # fmt: skip
_COMMON_FREEFORMS = """Fluff|Angst|Hurt/Comfort|Alternate Universe - Modern Setting|Slow Burn|
Friends to Lovers|Established Relationship|Humor|Romance|Canon Compliant|Post-Canon|Smut|
Happy Ending|Enemies to Lovers|Found Family|Whump|Mutual Pining|First Kiss|Oneshot|Drabble|
Canon Divergence|Missing Scene|Fix-It|Domestic Fluff|Sick Fic|Pining|Light Angst|Fluff and Angst|
Getting Together|Christmas|Soulmates|Time Travel|Coffee Shop AU|Character Study|Introspection|
Grief/Mourning|Nightmares|Hand Holding|Cuddling & Snuggling|Emotional Hurt/Comfort|
Alternate Universe - College/University|Alternate Universe - Soulmates|Alternate Universe - Royalty|
Minor Character Death|Fake Dating|Banter|Crack|Family|Friendship|Angst with a Happy Ending|
Protective Siblings|Kissing|Holidays|Tags May Change|Tags to be added|Sharing a Bed|Dreams|
Panic Attacks|Recovery|Healing|Trust Issues|Misunderstandings|Secret Relationship|Road Trips""".replace(
    "\n", ""
).split("|")
_SPEECH_VERBS = ("said",) * 8 + ("asked", "whispered", "murmured", "called", "replied", "snapped")
_ENDINGS = "." * 14 + "?" * 3 + "!" + "…"


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What `generate_corpus` wrote."""

    works: int
    words: int
    bytes: int
    seconds: float

    @property
    def megabytes(self) -> float:
        return self.bytes / 1e6

    def __str__(self) -> str:
        return (
            f"{self.works:,} works, {self.words:,} words, {self.megabytes:,.1f} MB "
            f"in {self.seconds:.1f} s"
        )


@dataclass(slots=True)
class SyntheticChapter:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)  # inline HTML; "" is a scene break
    notes: str = ""
    end_notes: str = ""


@dataclass(slots=True)
class SyntheticWork:
    """One made-up work: the metadata an AO3 download shows, its text, and its reader counts."""

    number: int
    work_id: int
    title: str
    creators: list[str]  # [] means Anonymous
    rating: str
    warnings: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    language: str
    published: str
    updated: str | None  # None for a work posted all at once
    complete: bool
    expected_chapters: int | None  # None when the creator does not know ("?")
    summary: str
    notes: str
    end_notes: str
    chapters: list[SyntheticChapter]
    words: int
    kudos: int
    hits: int
    bookmarks: int
    comments: int

    @property
    def path(self) -> str:
        """Where the work goes inside the corpus folder (POSIX separators)."""
        return f"{self.number // WORKS_PER_FOLDER:03d}/work-{self.number:06d}.html"


# --- the world: vocabulary, fandoms and their casts, tags, creators -------------------------------


def _zipf_cumulative(n: int, exponent: float, offset: float) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(n):
        total += 1.0 / (rank + 1 + offset) ** exponent
        cumulative.append(total)
    return cumulative


def _made_up_word(rng: random.Random, syllables: int) -> str:
    parts = []
    for i in range(syllables):
        onset = rng.choice(_ONSETS) if i or rng.random() < 0.8 else ""
        parts.append(
            onset + rng.choice(_NUCLEI) + (rng.choice(_CODAS) if rng.random() < 0.5 else "")
        )
    return "".join(parts)


def _made_up_name(rng: random.Random) -> str:
    stem = _made_up_word(rng, rng.choice((1, 1, 2)))
    return (stem + rng.choice(_NAME_ENDINGS)).capitalize()


class World:
    """The fictional archive every corpus is drawn from; built once, the same for every seed."""

    def __init__(self) -> None:
        rng = random.Random("ficarchive synthetic world v1")
        function_words = list(dict.fromkeys(_FUNCTION_WORDS))
        seen = {w.lower() for w in function_words}
        made_up: list[tuple[float, str]] = []
        while len(made_up) < VOCABULARY_SIZE:
            syllables = rng.choices((1, 2, 3, 4), (25, 40, 25, 10))[0]
            word = _made_up_word(rng, syllables)
            if word not in seen:
                seen.add(word)
                # Shorter words rank higher, as in real languages, with plenty of overlap.
                made_up.append((syllables + 1.5 * rng.random(), word))
        made_up.sort()
        self.vocabulary = function_words + [word for _, word in made_up]
        self.word_table = self._sampling_table(self.vocabulary, *_WORD_ZIPF)

        self.fandoms = self._fandom_names(rng)
        self.fandom_weights = _zipf_cumulative(len(self.fandoms), 0.9, *_TAG_ZIPF[1:])
        self.freeforms = self._freeform_names(rng)
        self.freeform_weights = _zipf_cumulative(len(self.freeforms), *_TAG_ZIPF)
        self.creators = self._creator_names(rng)
        self.creator_weights = _zipf_cumulative(len(self.creators), 0.8, 5.0)
        self._casts: dict[int, Cast] = {}

    @staticmethod
    def _sampling_table(words: list[str], exponent: float, offset: float) -> list[str]:
        """2**20 slots, each word in proportion to its Zipf weight: sampling is one lookup."""
        size = 1 << _SAMPLE_BITS
        cumulative = _zipf_cumulative(len(words), exponent, offset)
        table: list[str] = []
        previous = 0
        for word, upto in zip(words, cumulative):
            end = round(upto / cumulative[-1] * size)
            table.extend([word] * (end - previous))
            previous = end
        return table

    def sample_words(self, rng: random.Random, k: int) -> list[str]:
        """k Zipf-distributed words, without a Python-level step per word."""
        raw = rng.randbytes(3 * k)
        # Three random bytes per word, widened to four with the top bits masked: 20-bit indices.
        wide = bytearray(4 * k)
        wide[0::4] = raw[0::3]
        wide[1::4] = raw[1::3]
        wide[2::4] = raw[2::3].translate(_LOW_NIBBLE)
        indices = array("I", wide)
        return list(map(self.word_table.__getitem__, indices))

    def _fandom_names(self, rng: random.Random) -> list[str]:
        names: dict[str, None] = {}
        while len(names) < FANDOMS:
            if len(names) == 2:
                names["Original Work"] = None
                continue
            a, b, c = (_made_up_name(rng) for _ in range(3))
            shape = rng.choice(_FANDOM_SHAPES)
            names[shape.format(a=a, b=b, c=c) + rng.choice(_MEDIA)] = None
        return list(names)

    def _freeform_names(self, rng: random.Random) -> list[str]:
        names = dict.fromkeys(_COMMON_FREEFORMS)
        common = [w for w in self.vocabulary[200:3000]]
        shapes = (
            "{A} {B}",
            "Alternate Universe - {A}",
            "{A} Week",
            "{A}",
            "{a} and {b}",
            "Post-{A}",
            "{A} {B} {C}",
        )
        while len(names) < FREEFORMS:
            a, b, c = (rng.choice(common) for _ in range(3))
            shape = rng.choice(shapes)
            name = shape.format(a=a, b=b, A=a.capitalize(), B=b.capitalize(), C=c.capitalize())
            names[name] = None
        return list(names)

    def _creator_names(self, rng: random.Random) -> list[str]:
        names: dict[str, None] = {}
        while len(names) < CREATORS:
            name = _made_up_word(rng, rng.choice((2, 2, 3)))
            style = rng.random()
            if style < 0.3:
                name += str(rng.randrange(1, 1000))
            elif style < 0.45:
                name += "_" + _made_up_word(rng, 1)
            elif style < 0.55:
                name = name.capitalize()
            names[name] = None
        return list(names)

    def cast(self, fandom: int) -> Cast:
        """A fandom's characters and relationships (popular fandoms have bigger casts)."""
        if fandom not in self._casts:
            self._casts[fandom] = Cast(fandom)
        return self._casts[fandom]


_LOW_NIBBLE = bytes(b & ((1 << (_SAMPLE_BITS - 16)) - 1) for b in range(256))


class Cast:
    """Characters with a gender (for categories) and Zipfian relationships among them."""

    def __init__(self, fandom: int) -> None:
        rng = random.Random(f"ficarchive synthetic cast {fandom}")
        size = 8 + int(200 / math.sqrt(fandom + 1))
        names: dict[str, str] = {}
        while len(names) < size:
            name = _made_up_name(rng)
            if rng.random() < 0.8:
                name += " " + _made_up_name(rng)
            names[name] = "M" if rng.random() < 0.55 else "F"
        self.characters = list(names)
        self.genders = names
        self.character_weights = _zipf_cumulative(size, 1.0, 1.0)
        by_gender = {g: [c for c in self.characters if names[c] == g] for g in "FM"}
        gender_weights = {g: _zipf_cumulative(len(by_gender[g]), 1.0, 1.0) for g in "FM"}
        relationships: dict[str, str] = {}  # name -> category ("" for a friendship)
        for _ in range(size * 2):
            if rng.random() < 0.25:
                a, b = rng.choices(self.characters, cum_weights=self.character_weights, k=2)
                if a != b:
                    relationships.setdefault(f"{a} & {b}", "")
                continue
            category = rng.choices([c for c, _ in _ROMANCE], [w for _, w in _ROMANCE])[0]
            if not by_gender[category[0]] or not by_gender[category[2]]:
                continue
            # Zipf within each gender, so the leads pair up most.
            a = rng.choices(by_gender[category[0]], cum_weights=gender_weights[category[0]])[0]
            b = rng.choices(by_gender[category[2]], cum_weights=gender_weights[category[2]])[0]
            if a != b:
                relationships.setdefault(f"{a}/{b}", category)
        self.relationships = list(relationships)
        self.categories = relationships
        self.relationship_weights = _zipf_cumulative(len(self.relationships), 1.0, 1.0)


@cache
def world() -> World:
    """The shared fictional world (about half a second to build, then cached)."""
    return World()


# --- one work ---------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def _zipf_pick(rng: random.Random, items: list[str], cumulative: list[float], k: int) -> list[str]:
    """Up to k distinct items, Zipf-weighted, in the order drawn."""
    picked = dict.fromkeys(rng.choices(items, cum_weights=cumulative, k=k))
    return list(picked)[:k]


def _work_length(rng: random.Random) -> int:
    words = int(rng.lognormvariate(math.log(MEDIAN_WORDS), LENGTH_SIGMA))
    return max(50, min(words, MAX_WORDS))


def _chapter_count(rng: random.Random, words: int) -> int:
    if words < 1_500 and rng.random() < 0.95:
        return 1
    chapter = rng.lognormvariate(math.log(3_500), 0.5)
    return max(1, min(round(words / chapter), 200))


def _split(rng: random.Random, words: int, parts: int) -> list[int]:
    """A work's words over its chapters, at random cut points (chapters vary, as real ones do)."""
    cuts = sorted(rng.randrange(1, words) for _ in range(parts - 1)) if words > parts else []
    bounds = [0, *cuts, words]
    return [max(bounds[i + 1] - bounds[i], 20) for i in range(parts)]


class _Writer:
    """Turns a stream of Zipf words into sentences and paragraphs; counts the words it adds.

    Hot path: one `getrandbits(64)` per sentence or paragraph, its bit fields making every
    choice, instead of a `random` call per decision.
    """

    def __init__(self, rng: random.Random, characters: list[str], curly: bool) -> None:
        self.rng = rng
        self.characters = characters or ["Someone"]
        self.name_words = [len(name.split()) for name in self.characters]
        self.open, self.close = ("“", "”") if curly else ('"', '"')
        self.extra = 0  # words added on top of the sampled ones: names, speech verbs, lead-ins

    def sentence(self, words: list[str], end: str = "") -> str:
        bits = self.rng.getrandbits(64)
        n = len(words)
        if n >= 8 and bits & 1:  # half the long sentences get a comma
            cut = 3 + (bits >> 30) % (n - 5)
            text = " ".join(words[:cut]) + ", " + " ".join(words[cut:])
        else:
            text = " ".join(words)
        if not (bits >> 1) & 31 and n > 1:  # 1 in 32: an emphasised last word
            head, last = text.rsplit(" ", 1)
            text = f"{head} <em>{last}</em>"
        if not (bits >> 6) & 7:  # 1 in 8 starts with a character's name
            who = (bits >> 14) % len(self.characters)
            self.extra += self.name_words[who]
            text = f"{self.characters[who]} {text}"
        else:
            text = text[0].upper() + text[1:]
        return text + (end or _ENDINGS[(bits >> 46) % len(_ENDINGS)])

    def paragraphs(self, words: list[str]) -> list[str]:
        out: list[str] = []
        position, total = 0, len(words)
        lengths, spread = _SENTENCE_LENGTHS, len(_SENTENCE_LENGTHS)
        while position < total:
            bits = self.rng.getrandbits(64)
            dialogue = bits % 100 < 35
            counts = _DIALOGUE_SENTENCES if dialogue else _NARRATION_SENTENCES
            count = counts[(bits >> 8) % len(counts)]
            sentences = []
            bits >>= 16
            for _ in range(count):
                n = lengths[bits % spread]
                bits //= spread
                chunk = words[position : position + n]
                position += n
                if chunk:
                    sentences.append(chunk)
            if not sentences:
                break
            if dialogue:
                out.append(self._dialogue(sentences))
            else:
                out.append(" ".join([self.sentence(s) for s in sentences]))
        return out

    def _dialogue(self, sentences: list[list[str]]) -> str:
        o, c = self.open, self.close
        bits = self.rng.getrandbits(64)
        who = bits % len(self.characters)
        verb = _SPEECH_VERBS[(bits >> 16) % len(_SPEECH_VERBS)]
        first = self.sentence(sentences[0], end="?" if verb == "asked" else ",")
        rest = " ".join([self.sentence(s) for s in sentences[1:]])
        style = (bits >> 24) % 10
        if style < 6:  # "Words," Name said. "More words."
            self.extra += self.name_words[who] + 1
            text = f"{o}{first}{c} {self.characters[who]} {verb}."
            return f"{text} {o}{rest}{c}" if rest else text
        first = first[:-1] + ".?!"[(bits >> 32) % 3]
        quoted = f"{o}{first} {rest}{c}" if rest else f"{o}{first}{c}"
        if style < 8:  # a bare quote
            return quoted
        lead_in = sentences[0][:3]  # narration, then the quote
        self.extra += len(lead_in)
        return f"{self.sentence(lead_in)} {quoted}"


# Sentence lengths: 32 quantiles of a log-normal (median 11 words), drawn uniformly.
_SENTENCE_LENGTHS = [
    max(2, min(45, round(math.exp(math.log(11) + 0.5 * NormalDist().inv_cdf((i + 0.5) / 32)))))
    for i in range(32)
]
_NARRATION_SENTENCES = (1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 1, 2, 3)
_DIALOGUE_SENTENCES = (1, 1, 1, 2, 2, 2, 3, 1)


def synthetic_work(number: int, seed: int = 1) -> SyntheticWork:
    """Work number `number` of the corpus with this seed; independent of every other work."""
    w = world()
    rng = random.Random(f"{seed}:{number}")

    fandom_count = 2 if rng.random() < 0.05 else 1
    fandom_ids: list[int] = []
    while len(fandom_ids) < fandom_count:
        pick = rng.choices(range(len(w.fandoms)), cum_weights=w.fandom_weights)[0]
        if pick not in fandom_ids:
            fandom_ids.append(pick)
    casts = [w.cast(f) for f in fandom_ids]

    relationships: list[str] = []
    categories: set[str] = set()
    wanted = rng.choice((0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 3, 4))
    for i in range(wanted):
        cast = casts[i % len(casts)]
        name = _zipf_pick(rng, cast.relationships, cast.relationship_weights, 1)[0]
        if name not in relationships:
            relationships.append(name)
            if cast.categories[name]:
                categories.add(cast.categories[name])
    if len(casts) == 2 and rng.random() < 0.3:
        a = _zipf_pick(rng, casts[0].characters, casts[0].character_weights, 1)[0]
        b = _zipf_pick(rng, casts[1].characters, casts[1].character_weights, 1)[0]
        relationships.append(f"{a}/{b}")
        categories.add(f"{casts[0].genders[a]}/{casts[1].genders[b]}".replace("M/F", "F/M"))
    if not categories or (any("&" in r for r in relationships) and rng.random() < 0.3):
        categories.add("Gen")
    if len(categories) >= 3 or (len(relationships) >= 2 and rng.random() < 0.05):
        categories.add("Multi")
    if rng.random() < 0.01:
        categories.add("Other")

    characters: list[str] = []
    for name in relationships:
        for person in name.replace(" & ", "/").split("/"):
            if person not in characters:
                characters.append(person)
    for cast in casts:
        extra = rng.choice((0, 1, 1, 2, 2, 3, 4, 6))
        for name in _zipf_pick(rng, cast.characters, cast.character_weights, extra):
            if name not in characters:
                characters.append(name)

    rating = _weighted(rng, RATINGS)
    warnings = [_weighted(rng, WARNINGS)]
    if warnings[0] not in (
        "No Archive Warnings Apply",
        "Creator Chose Not To Use Archive Warnings",
    ):
        second = _weighted(rng, WARNINGS[2:])
        if second != warnings[0] and rng.random() < 0.25:
            warnings.append(second)
    freeform_count = min(int(rng.lognormvariate(math.log(4), 0.8)), 40)
    freeforms = _zipf_pick(rng, w.freeforms, w.freeform_weights, freeform_count)
    language = _weighted(rng, LANGUAGES)

    roll = rng.random()
    if roll < 0.01:
        creators: list[str] = []
    else:
        creators = _zipf_pick(rng, w.creators, w.creator_weights, 2 if roll > 0.95 else 1)

    words = _work_length(rng)
    posted = _chapter_count(rng, words)
    span = (LAST_DAY - FIRST_DAY).days
    published = FIRST_DAY + timedelta(days=int(span * rng.random() ** 0.7))  # more works lately
    if posted == 1:
        complete = rng.random() < 0.97
        expected = 1 if complete else rng.choice((None, 2, 3, 5))
    else:
        complete = rng.random() < 0.6
        expected = posted if complete else rng.choice((None, posted + rng.randint(1, posted)))
    updated = None
    if posted > 1 and (not complete or rng.random() < 0.8):
        gaps = sum(rng.lognormvariate(math.log(12), 1.0) for _ in range(posted - 1))
        updated = min(published + timedelta(days=int(gaps) + 1), LAST_DAY)

    writer = _Writer(rng, characters, curly=rng.random() < 0.3)
    title_words = w.sample_words(rng, rng.choice((1, 2, 2, 3, 3, 4, 5)))
    title = " ".join(t if t == "I" else t.capitalize() for t in title_words)
    summary_words = w.sample_words(rng, rng.randint(12, 60))
    summary = writer.paragraphs(summary_words)[0] if summary_words else ""
    notes = " ".join(writer.paragraphs(w.sample_words(rng, 20))[:1]) if rng.random() < 0.4 else ""
    end_notes = "Thank you for reading!" if rng.random() < 0.2 else ""
    titled = posted > 1 and rng.random() < 0.4

    # Words only this work uses (its places, spells, slang): the long tail past the vocabulary,
    # so a corpus has words found in a single work, as real ones do.
    coinages = [_made_up_word(rng, rng.choice((2, 3))) for _ in range(rng.randint(1, 8))]
    coinages = [c.capitalize() if i % 2 else c for i, c in enumerate(coinages)]
    chapters = []
    counted = 0
    for size in _split(rng, words, posted):
        tokens = w.sample_words(rng, size)
        for _ in range(size // 400):
            tokens[rng.randrange(size)] = rng.choice(coinages)
        writer.extra = 0
        paragraphs = writer.paragraphs(tokens)
        counted += len(tokens) + writer.extra
        for _ in range(rng.choice((0, 0, 1, 1, 2)) if len(paragraphs) > 6 else 0):
            paragraphs.insert(rng.randrange(2, len(paragraphs) - 2), "")
        chapter = SyntheticChapter(paragraphs=paragraphs)
        if titled:
            chapter.title = " ".join(t.capitalize() for t in w.sample_words(rng, rng.randint(1, 4)))
        if rng.random() < 0.15:
            chapter.notes = "Thanks to my beta for reading this over."
        chapters.append(chapter)

    age_years = (LAST_DAY - published).days / 365.25
    hits = int(
        rng.lognormvariate(math.log(700), 1.3) * math.sqrt(1 + age_years) * (1 + words / 20_000)
    )
    kudos = int(hits * min(rng.lognormvariate(math.log(0.07), 0.5), 0.6))
    bookmarks = int(kudos * rng.lognormvariate(math.log(0.12), 0.6))
    comments = int(kudos * rng.lognormvariate(math.log(0.08), 0.7) * math.sqrt(posted))

    return SyntheticWork(
        number=number,
        work_id=1_000_000 + number,
        title=title,
        creators=creators,
        rating=rating,
        warnings=warnings,
        categories=[c for c in CATEGORY_ORDER if c in categories],
        fandoms=[w.fandoms[f] for f in fandom_ids],
        relationships=relationships,
        characters=characters,
        freeforms=freeforms,
        language=language,
        published=published.isoformat(),
        updated=updated.isoformat() if updated else None,
        complete=complete,
        expected_chapters=expected,
        summary=summary,
        notes=notes,
        end_notes=end_notes,
        chapters=chapters,
        words=counted,
        kudos=kudos,
        hits=max(hits, kudos),
        bookmarks=bookmarks,
        comments=comments,
    )


# --- AO3 download markup ----------------------------------------------------------------------


def _tag_links(names: list[str]) -> str:
    return ", ".join(
        f'<a href="{AO3}tags/{quote(n.replace("/", "*s*").replace("&", "*a*"))}">'
        f"{html.escape(n, quote=False)}</a>"
        for n in names
    )


def _box(label: str, inline: str) -> str:
    return f'<p>{label}</p>\n<blockquote class="userstuff"><p>{inline}</p></blockquote>\n'


def _body(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{p}</p>" if p else "<hr />" for p in paragraphs)


def render_ao3_download(work: SyntheticWork) -> str:
    """The work as AO3's "Download > HTML" file (the markup `ficarchive.text.sites.ao3` reads)."""
    e = html.escape
    url = f"{AO3}works/{work.work_id}"
    fields = [
        ("Rating", [work.rating]),
        ("Archive Warning" + ("s" if len(work.warnings) > 1 else ""), work.warnings),
        ("Categor" + ("ies" if len(work.categories) > 1 else "y"), work.categories),
        ("Fandom" + ("s" if len(work.fandoms) > 1 else ""), work.fandoms),
        ("Relationship" + ("s" if len(work.relationships) > 1 else ""), work.relationships),
        ("Character" + ("s" if len(work.characters) > 1 else ""), work.characters),
        ("Additional Tags", work.freeforms),
    ]
    tags = "".join(
        f"<dt>{label}:</dt>\n<dd>{_tag_links(names)}</dd>\n" for label, names in fields if names
    )
    posted = len(work.chapters)
    expected = work.expected_chapters if work.expected_chapters is not None else "?"
    stats = [f"Published: {work.published}"]
    if work.updated:
        stats.append(f"{'Completed' if work.complete else 'Updated'}: {work.updated}")
    stats += [f"Words: {work.words:,}", f"Chapters: {posted}/{expected}"]
    if work.creators:
        byline = ", ".join(
            f'<a rel="author" href="{AO3}users/{c}/pseuds/{c}">{e(c)}</a>' for c in work.creators
        )
    else:
        byline = "Anonymous"
    creators = ", ".join(work.creators) or "Anonymous"
    parts = [
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
        '<meta charset="utf-8" />\n'
        f"<title>{e(work.title)} - {e(creators)} - {e(work.fandoms[0])}</title>\n"
        "</head>\n<body>\n"
        '<div id="preface">\n<h2 class="toc-heading">Preface</h2>\n'
        f'<p class="message"><b>{e(work.title)}</b><br />\n'
        f'Posted originally on the <a href="{AO3}">Archive of Our Own</a> at '
        f'<a href="{url}">{url}</a>.</p>\n'
        '<div class="meta">\n<dl class="tags">\n'
        f"{tags}<dt>Language:</dt>\n<dd>{work.language}</dd>\n"
        f"<dt>Stats:</dt>\n<dd>\n{chr(10).join(stats)}\n</dd>\n</dl>\n"
        f"<h1>{e(work.title)}</h1>\n"
        f'<div class="byline">by {byline}</div>\n'
        + _box("Summary", work.summary)
        + (_box("Notes", work.notes) if work.notes else "")
        + "</div>\n</div>\n"
        '<div id="chapters" class="userstuff">\n'
    ]
    for number, chapter in enumerate(work.chapters, start=1):
        if posted > 1:
            heading = f"Chapter {number}" + (f": {e(chapter.title)}" if chapter.title else "")
            notes = _box("Chapter Notes", chapter.notes) if chapter.notes else ""
            parts.append(
                f'<div class="meta group">\n<h2 class="heading">{heading}</h2>\n{notes}</div>\n'
            )
        parts.append(f'<div class="userstuff">\n{_body(chapter.paragraphs)}\n</div>\n')
        if chapter.end_notes:
            parts.append(
                f'<div class="meta" id="endnotes{number}">{_box("Chapter End Notes", chapter.end_notes)}</div>\n'
            )
    parts.append('</div>\n<div id="afterword">\n<h2 class="toc-heading">Afterword</h2>\n')
    if work.end_notes:
        parts.append(f'<div class="meta">\n{_box("End Notes", work.end_notes)}</div>\n')
    parts.append(
        f'<p class="message">Please <a href="{url}/comments/new">drop by the Archive and comment</a>'
        " to let the creator know if you enjoyed their work!</p>\n</div>\n</body>\n</html>\n"
    )
    return "".join(parts)


# --- a corpus -----------------------------------------------------------------------------------


def _write_works(out: Path, numbers: range, seed: int) -> list[tuple[str, int, int, dict]]:
    """Write a run of works; (path, words, bytes, counts) for each, in order."""
    written = []
    for number in numbers:
        work = synthetic_work(number, seed)
        data = render_ao3_download(work).encode("utf-8")
        path = out / work.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts = {
            "file": work.path,
            "kudos": work.kudos,
            "hits": work.hits,
            "bookmarks": work.bookmarks,
            "comments": work.comments,
        }
        written.append((work.path, work.words, len(data), counts))
    return written


def _batches(works: int, size: int) -> Iterator[range]:
    for start in range(0, works, size):
        yield range(start, min(start + size, works))


def generate_corpus(out: Path, works: int, seed: int = 1, *, processes: int = 1) -> CorpusStats:
    """Write `works` synthetic AO3 downloads into `out` (created if missing) and `counts.jsonl`.

    Files go to `out/000/work-000000.html`, a folder per 1,000 works; counts.jsonl has one line
    per work, in order: {"file", "kudos", "hits", "bookmarks", "comments"}. The same seed writes
    the same bytes, whatever `processes` (worker processes; 1 writes in this process).
    """
    if works < 0:
        raise ValueError(f"works must be 0 or more, not {works}")
    start = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world()  # built before any worker starts, so forked workers share it
    words = size = 0
    batches = _batches(works, 100)
    with (out / COUNTS_FILE).open("w", encoding="utf-8") as counts_file:
        if processes > 1:
            with ProcessPoolExecutor(processes) as pool:
                results = pool.map(_write_works, *zip(*((out, b, seed) for b in batches)))
                for batch in results:
                    words, size = _record(batch, counts_file, words, size)
        else:
            for numbers in batches:
                words, size = _record(_write_works(out, numbers, seed), counts_file, words, size)
    return CorpusStats(works, words, size, time.perf_counter() - start)


def _record(batch, counts_file, words: int, size: int) -> tuple[int, int]:
    for _, work_words, work_bytes, counts in batch:
        counts_file.write(json.dumps(counts) + "\n")
        words += work_words
        size += work_bytes
    return words, size
