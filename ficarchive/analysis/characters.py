"""Named characters: capitalised names with evidence of personhood, clustered into aliases.

No model download: evidence is what the text shows (a name mid-sentence, a title like `Mr.`, a
speech tag `said Giles`, a vocative `Buffy.`, a possessive, a pronoun that follows) plus the first
names list shipped in `gender-guesser` and the fandom registry's names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from .model import Character

TITLES = {
    "mr": "he", "mister": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he", "father": "he",
    "uncle": "he", "master": "he", "brother": "he", "monsieur": "he", "herr": "he", "count": "he", "duke": "he",
    "mrs": "she", "miss": "she", "ms": "she", "lady": "she", "queen": "she", "princess": "she", "mother": "she",
    "aunt": "she", "mistress": "she", "sister": "she", "madame": "she", "madam": "she", "dame": "she",
    "dr": None, "doctor": None, "professor": None, "captain": None, "colonel": None, "general": None,
    "major": None, "lieutenant": None, "sergeant": None, "saint": None, "st": None, "agent": None, "detective": None,
}  # fmt: skip
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
_NAME = re.compile(
    rf"\b(?:(?i:{_TITLE_RE})\.?\s+)?[A-Z][a-zà-ÿ’']*[a-zà-ÿ](?:[-\s](?!(?i:{_TITLE_RE})\b)[A-Z][a-zà-ÿ’']*[a-zà-ÿ])*\b"
    rf"|\b[A-Z]{{3,}}\b",
)
_TITLE_PREFIX = re.compile(rf"^(?:{_TITLE_RE})\.?\s+", re.I)
SPEECH_VERBS = (
    "said|says|say|asked|asks|ask|replied|replies|answered|answers|whispered|whispers|shouted|shouts|"
    "yelled|yells|screamed|screams|scream|yell|shout|cried|cries|called|calls|murmured|murmurs|muttered|"
    "mutters|mumbled|mumbles|added|adds|continued|continues|snapped|snaps|growled|growls|laughed|laughs|"
    "sighed|sighs|exclaimed|exclaims|began|begins|repeated|repeats|demanded|demands|insisted|insists|"
    "pleaded|pleads|sobbed|sobs|breathed|breathes|hissed|hisses|told|tells|thought|thinks|returned|"
    "observed|remarked|rejoined|interrupted|agreed|protested|declared|groaned|gasped|explained|retorted|"
    "offered|admitted|announced|responded|went on|spoke|speaks|grumbled|chuckled|grinned|smiled|nodded|"
    "croaked|drawled|purred|barked|roared|bellowed|stammered|stuttered|teased|joked|warned|promised"
)
_STOP = set(
    ["i", "i'm", "i'll", "i'd", "i've", "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "if", "then", "than", "that", "this", "these", "those", "there", "here", "he", "she", "it", "we", "they", "you", "me", "him", "her", "us", "them", "my", "his", "its", "our", "their", "your", "mine", "yours", "hers", "ours", "theirs", "what", "when", "where", "why", "how", "who", "whom", "whose", "which", "while", "because", "though", "although", "after", "before", "since", "until", "unless", "as", "at", "by", "in", "on", "of", "off", "to", "up", "down", "out", "over", "under", "into", "onto", "from", "with", "without", "about", "not", "no", "yes", "yeah", "yep", "nope", "oh", "ah", "ahh", "uh", "um", "hmm", "hm", "okay", "ok", "well", "now", "just", "still", "even", "only", "also", "too", "very", "really", "maybe", "perhaps", "please", "thanks", "thank", "sorry", "hello", "hi", "hey", "goodbye", "bye", "god", "gods", "lord", "jesus", "christ", "hell", "heaven", "damn", "dammit", "christmas", "easter", "halloween", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "chapter", "part", "book", "prologue", "epilogue", "end", "fin", "tbc", "note", "notes", "summary", "disclaimer", "author", "rating", "english", "french", "german", "american", "british", "italian", "spanish", "russian", "chinese", "japanese", "irish", "scottish", "mum", "mom", "dad", "mama", "papa", "mommy", "daddy", "sir", "madam", "ma'am", "miss", "mister", "everyone", "everybody", "someone", "somebody", "nobody", "nothing", "something", "anything", "everything", "all", "any", "each", "every", "some", "many", "much", "more", "most", "few", "other", "another", "such", "same", "both", "either", "neither", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first", "last", "next", "never", "always", "sometimes", "often", "again", "once", "today", "tonight", "tomorrow", "yesterday", "morning", "night", "day", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "must", "let", "let's", "don't", "can't", "won't", "didn't", "isn't", "wasn't", "couldn't", "wouldn't", "shouldn't", "aren't", "weren't", "good", "great", "right", "wrong", "sure", "fine", "whatever", "look", "come", "go", "stop", "wait", "listen", "see", "get"]
)  # fmt: skip
_SENTENCE_START = re.compile(
    r"(?:^|[.!?…]\s+|[.!?…][\"”’']\s+|[\"“‘]\s*(?:\.\.\.|…)?|\.\.\.|…|\n|—\s*|:\s+)$"
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|into|near|toward|towards|across|through|of)\s+(?:the\s+)?$", re.I
)


@cache
def _first_names():
    """gender-guesser's first-name list: a shipped gazetteer (lower-cased name -> he/she/None)."""
    try:
        import gender_guesser.detector as gd
    except ImportError:  # pragma: no cover - optional dependency
        return None
    return gd.Detector(case_sensitive=False)


def name_gender(first: str) -> str | None:
    detector = _first_names()
    if detector is None:
        return None
    g = detector.get_gender(first)
    return {"male": "he", "mostly_male": "he", "female": "she", "mostly_female": "she"}.get(g)


def is_known_first_name(first: str) -> bool:
    detector = _first_names()
    return detector is not None and detector.get_gender(first) != "unknown"


def core_name(name: str) -> str:
    """A name without its title: `Mr. Giles` -> `Giles`."""
    return _TITLE_PREFIX.sub("", name).strip()


def title_gender(name: str) -> str | None:
    m = _TITLE_PREFIX.match(name)
    return TITLES.get(m.group(0).strip(" .").lower()) if m else None


@dataclass
class _Candidate:
    name: str
    count: int = 0
    mid: int = 0  # occurrences not at a sentence start
    person: int = 0  # person evidence: title, speech tag, vocative, possessive, known first name
    place: int = 0  # place evidence: after in/at/to/from
    chapters: Counter = field(default_factory=Counter)
    he: int = 0
    she: int = 0


def _normalise_caps(token: str) -> str:
    return token.title() if token.isupper() else token


def detect_characters(
    chapters: list[list[str]],
    quote_spans: dict[tuple[int, int], list[tuple[int, int]]],
    known_names: frozenset[str] = frozenset(),
) -> list[Character]:
    """Characters of a work from its chapters' paragraphs; `quote_spans` marks speech per paragraph."""
    cands: dict[str, _Candidate] = {}
    caps_seen: list[tuple[str, int]] = []
    for ci, paragraphs in enumerate(chapters, start=1):
        for pi, para in enumerate(paragraphs):
            spans = quote_spans.get((ci, pi), [])
            for m in _NAME.finditer(para):
                raw = m.group(0)
                if raw.isupper():
                    caps_seen.append((raw, ci))
                    continue
                name = re.sub(r"\s+", " ", raw)
                if "-" in name and not name.split("-")[0].istitle():
                    continue
                words = name.split()
                while words and words[0].lower().rstrip(".") in _STOP:
                    words = words[1:]
                if not words:
                    continue
                name = " ".join(words)
                if core_name(name).lower() in _STOP or len(core_name(name)) < 2:
                    continue
                start = m.start() + (len(m.group(0)) - len(name))
                before = para[max(0, start - 40) : start]
                after = para[m.end() : m.end() + 60]
                cand = cands.setdefault(name, _Candidate(name))
                cand.count += 1
                cand.chapters[ci] += 1
                at_start = bool(_SENTENCE_START.search(before)) or start == 0
                if not at_start:
                    cand.mid += 1
                in_quote = any(a <= start < b for a, b in spans)
                if title_gender(name) is not None or _TITLE_PREFIX.match(name):
                    cand.person += 2
                if re.match(rf"^,?\s+(?:{SPEECH_VERBS})\b", after) or re.search(
                    rf"\b(?:{SPEECH_VERBS})\s+$", before
                ):
                    cand.person += 2
                if (in_quote or before.rstrip().endswith(",")) and _is_vocative(before, after):
                    cand.person += 2  # vocative: "Buffy. You have to go" / "I love you, Spike."
                if after.startswith(("'s", "’s")):
                    cand.person += 1
                if _PLACE_BEFORE.search(before):
                    cand.place += 1
                if not in_quote:
                    window = after[:80].lower()
                    he = re.search(r"\b(?:he|him|his|himself)\b", window)
                    she = re.search(r"\b(?:she|her|hers|herself)\b", window)
                    if he and (not she or he.start() < she.start()):
                        cand.he += 1
                    elif she:
                        cand.she += 1
    # ALL-CAPS shouts ("BUFFY!") count for a name seen in ordinary case.
    for raw, ci in caps_seen:
        cand = cands.get(raw.title())
        if cand:
            cand.count += 1
            cand.chapters[ci] += 1

    # Evidence for "Mara" is evidence for "Mara Quinlan" (and "Mr. Giles" for "Rupert Giles").
    for cand in list(cands.values()):
        tokens = core_name(cand.name).split()
        if len(tokens) > 1:
            for token in {tokens[0], tokens[-1]}:
                short = cands.get(token)
                if short is not None:
                    cand.person += short.person
                    cand.mid += short.mid
    kept = [c for c in cands.values() if _is_person(c, known_names)]
    return _cluster(kept)


_PLACE_WORDS = set(
    [
        "street",
        "square",
        "park",
        "hall",
        "city",
        "valley",
        "railway",
        "boulevard",
        "gate",
        "house",
        "road",
        "lane",
        "river",
        "island",
        "bay",
        "mountain",
        "mountains",
        "lake",
        "church",
        "abbey",
        "castle",
        "states",
        "county",
        "station",
        "bridge",
        "court",
        "place",
        "hill",
        "hills",
        "forest",
        "wood",
        "woods",
        "sea",
        "ocean",
        "cathedral",
        "college",
        "university",
        "school",
        "hospital",
        "hotel",
        "inn",
        "farm",
        "manor",
        "palace",
        "tower",
    ]
)
_DEMONYM = re.compile(r"(?:ian|ean|ish|ese|ans|ists?)$")


def _is_vocative(before: str, after: str) -> bool:
    """`…, Spike.` or `Buffy. You…` or `"Spike!"`: a name said to someone, not a sentence's first word."""
    if before.rstrip().endswith(","):
        return bool(re.match(r"^\s*[,.!?]", after))
    return bool(re.match(r"^\s*[.!?]", after)) and bool(re.search(r"(?:^|[\"“‘]\s*)$", before))


def _is_person(c: _Candidate, known: frozenset[str]) -> bool:
    core = core_name(c.name)
    tokens = core.split()
    first = tokens[0]
    if core in known or first in known:
        return True
    if tokens[-1].lower() in _PLACE_WORDS and not _TITLE_PREFIX.match(c.name):
        return False
    if c.person == 0 and (c.place or _DEMONYM.search(core.lower())):
        return False
    known_first = is_known_first_name(first)
    if c.place > max(c.person, 1) and not known_first:
        return False
    if known_first and (c.mid or c.person or c.count >= 2):
        return True
    if c.person >= 2:
        return True
    return bool(c.mid >= 2 and c.person >= 1 and c.place == 0)


def _cluster(cands: list[_Candidate]) -> list[Character]:
    """Group `Buffy`, `Buffy Summers`, `Summers` into one character, fullest name first."""
    cands.sort(key=lambda c: (-len(core_name(c.name).split()), -c.count))
    groups: list[list[_Candidate]] = []
    token_index: dict[str, list[int]] = defaultdict(list)
    for cand in cands:
        tokens = core_name(cand.name).split()
        gender = title_gender(cand.name)
        target = None
        if len(tokens) == 1 or gender is not None:
            options = [
                g for g in dict.fromkeys(i for t in tokens for i in token_index.get(t, []))
                if set(tokens) <= {t for c in groups[g] for t in core_name(c.name).split()}
                and _compatible(gender, groups[g])
            ]  # fmt: skip
            if options:
                target = max(options, key=lambda g: sum(c.count for c in groups[g]))
        if target is None:
            groups.append([cand])
            target = len(groups) - 1
        else:
            groups[target].append(cand)
        for t in tokens:
            if target not in token_index[t]:
                token_index[t].append(target)

    characters = []
    for group in groups:
        total = sum(c.count for c in group)
        # The fullest name that is used at least a little; else the most used.
        best = max(
            group, key=lambda c: (len(core_name(c.name).split()) if c.count >= 1 else 0, c.count)
        )
        by_chapter: Counter = Counter()
        for c in group:
            by_chapter.update(c.chapters)
        he = sum(c.he for c in group)
        she = sum(c.she for c in group)
        gender = next((title_gender(c.name) for c in group if title_gender(c.name)), None)
        if gender is None:
            first = core_name(best.name).split()[0]
            gender = name_gender(first)
        if he + she >= 2 and max(he, she) >= 2 * min(he, she) + 1:
            gender = "he" if he > she else "she"
        characters.append(
            Character(
                name=best.name,
                aliases=sorted({c.name for c in group} - {best.name}),
                mentions=total,
                mentions_by_chapter=dict(sorted(by_chapter.items())),
                first_chapter=min(by_chapter) if by_chapter else 0,
                gender=gender,
            )
        )
    characters.sort(key=lambda c: -c.mentions)
    return characters


def _compatible(gender: str | None, group: list[_Candidate]) -> bool:
    if gender is None:
        return True
    return all(title_gender(c.name) in (None, gender) for c in group)
