"""Named characters: capitalised names with evidence of personhood, clustered into aliases.

No model download. A capitalised word is a name when the text treats it as one and the word
lists do not say it is something else:
- the text: capitalised mid-sentence (not just as a sentence's first word), a title (`Mr.`,
  `Lady`, `aunt`), a speech tag (`said Giles`), a vocative (`…, Spike.`), a possessive, a
  second capitalised word (`Rody Kickham`); against it, the same word written in lower case
  elsewhere in the story, and place prepositions (`in Kent`, `from Chicago`);
- the word lists (`lexicon`): first names shipped by `gender-guesser`, how common the word is
  in ordinary English (wordfreq), places (pycountry and place-shaped words), interjections.
A common word (`Quick`, `Idiot`, `Tell`) that is only ever capitalised because it opens a
sentence or a line of dialogue is not a name, even when some first-names list holds it.

God is not a character here (`god` is a stop word): in fan fiction "Oh God" is an exclamation,
not a member of the cast. LitBank's annotators do count God as a person, so the benchmark in
`bench/analysis_eval.py` loses a few recall points for this choice.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache

from . import lexicon
from .lexicon import (
    ALL_TITLES,
    OPENING_QUOTES,
    PERSON_TITLES,
    SPEECH_VERBS,
    TITLES,
    words,
)
from .model import Character

# Abbreviations that end in a full stop inside a name (`Mr. Giles`, `St. Helena`).
_ABBREVIATIONS = words(
    "mr mrs ms dr st mme mlle m messrs rev capt col gen lt sgt prof hon jr sr esq"
)
# Titles written in lower case before a name: `aunt Petunia`, `her cousin Tom`.
_LOWER_TITLES = words("uncle aunt auntie aunty cousin brother sister grandma grandpa")
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
_TITLE_PREFIX = re.compile(rf"^(?:{_TITLE_RE})\.?\s+", re.I)
_SPEECH_WORDS = frozenset(SPEECH_VERBS.split("|"))
# Before a name these verbs name or address someone rather than tag speech (`a place called Tarry`).
_NAMING_VERBS = words("called calls told tells thought thinks began begins returned added")
_ARTICLES = frozenset(["the", "a", "an"])
_STOP = set(
    ["i", "i'm", "i'll", "i'd", "i've", "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "if", "then", "than", "that", "this", "these", "those", "there", "here", "he", "she", "it", "we", "they", "you", "me", "him", "her", "us", "them", "my", "his", "its", "our", "their", "your", "mine", "yours", "hers", "ours", "theirs", "what", "when", "where", "why", "how", "who", "whom", "whose", "which", "while", "because", "though", "although", "after", "before", "since", "until", "unless", "as", "at", "by", "in", "on", "of", "off", "to", "up", "down", "out", "over", "under", "into", "onto", "from", "with", "without", "about", "not", "no", "yes", "yeah", "yep", "nope", "oh", "ah", "ahh", "uh", "um", "hmm", "hm", "okay", "ok", "well", "now", "just", "still", "even", "only", "also", "too", "very", "really", "maybe", "perhaps", "please", "thanks", "thank", "sorry", "hello", "hi", "hey", "goodbye", "bye", "god", "gods", "jesus", "christ", "hell", "heaven", "damn", "dammit", "christmas", "easter", "halloween", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "chapter", "part", "book", "prologue", "epilogue", "end", "fin", "tbc", "note", "notes", "summary", "disclaimer", "author", "rating", "english", "french", "german", "american", "british", "italian", "spanish", "russian", "chinese", "japanese", "irish", "scottish", "mum", "mom", "dad", "mama", "papa", "mommy", "daddy", "ma'am", "ma’am", "everyone", "everybody", "someone", "somebody", "nobody", "nothing", "something", "anything", "everything", "all", "any", "each", "every", "some", "many", "much", "more", "most", "few", "other", "another", "such", "same", "both", "either", "neither", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first", "last", "next", "never", "always", "sometimes", "often", "again", "once", "today", "tonight", "tomorrow", "yesterday", "morning", "night", "day", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "would", "shall", "should", "can", "could", "must", "let", "let's", "don't", "can't", "won't", "didn't", "isn't", "wasn't", "couldn't", "wouldn't", "shouldn't", "aren't", "weren't", "good", "great", "right", "wrong", "sure", "fine", "whatever", "look", "come", "go", "stop", "wait", "listen", "see", "get", "ma", "pa", "thou", "thee", "thy", "thine", "ye", "tis", "twas", "ere", "nay", "aye", "yea", "wherefore", "whereupon", "thereupon", "therefore", "hence", "thence", "thither", "hither", "whither", "whence", "oft", "perchance", "mayhap", "methinks"]
) | lexicon.INTERJECTIONS  # fmt: skip
_CAP = "A-ZÀ-ÖØ-Þ"
# A run of capitalised words; `Mr.`-style abbreviations may sit inside it. The lookbehind keeps
# to word starts (not the `G` of `McGlade`) and is only tried where a capital matched.
# (A hyphen joins a name's parts, `Mary-Jane`; two are a dash: `Burt--an' that's my stand`.)
# A letter of a name: a word character, but not a Chinese, Japanese or Korean one, which has no
# case and runs straight on from a Latin name (`Marian Evans笔名乔治`).
_L = r"[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_SEQUENCE = re.compile(
    rf"[{_CAP}](?<!\w[{_CAP}])(?:{_L}|[’'])*(?:-(?:{_L}|[’'])+)*"
    rf"(?:\.?[ \t]+[{_CAP}](?:{_L}|[’'])*(?:-(?:{_L}|[’'])+)*)*"
)
_TOKEN = re.compile(r"\S+")
_WORD_AND_SPACE = re.compile(r"\S+\s+")
_CLITIC = re.compile(r"['’](m|ve|ll|d|re|t|[a-z]+)$")
_SPEECH_AFTER = re.compile(rf",?\s+(?:{SPEECH_VERBS})\b")
_ACTS = re.compile(
    r",?\s(?:who|whom|whose|was|had|would|could|did|is|has|must|will|shall|can|may|might|should|"
    r"[a-z]+ed)\b|,\s(?:the|or|a|an)\s"
)
_PRONOUN = re.compile(r"\b(?:(he|him|his|himself)|(she|her|hers|herself))\b")
_PLACE_AFTER = re.compile(r"\s+([A-Z][a-z]+)\b")
_SENTENCE_END = ".!?…:;—–-(["
# Prepositions before a place. `to` and `of` go before people as often, so they do not count.
_PLACE_PREPOSITIONS = words(
    "in at from near into toward towards across through around within beyond outside inside "
    "reached visited"
)
# `to` after a verb of going, and `of` after a word for land, stand before a place
# (`got to Bistritz`, `the plains of Languedoc`); elsewhere they stand before people as often.
_GOING = words(
    "went go goes going gone came come comes coming got get gets drove rode walked sailed "
    "returned return back over way journey road train moved"
)
_LAND = words(
    "parish parishes plains plain town towns city village villages county province kingdom "
    "landscapes streets road roads shores coast hills valley mountains state island isle"
)


@cache
def _first_names():
    """gender-guesser's first-name list: a shipped gazetteer (lower-cased name -> he/she/None)."""
    try:
        import gender_guesser.detector as gd
    except ImportError:  # pragma: no cover - optional dependency
        return None
    return gd.Detector(case_sensitive=False)


@cache
def name_gender(first: str) -> str | None:
    detector = _first_names()
    if detector is None:
        return None
    g = detector.get_gender(first)
    return {"male": "he", "mostly_male": "he", "female": "she", "mostly_female": "she"}.get(g)


@cache
def is_known_first_name(first: str) -> bool:
    detector = _first_names()
    return detector is not None and detector.get_gender(first) != "unknown"


def core_name(name: str) -> str:
    """A name without its title: `Mr. Giles` -> `Giles`."""
    return _TITLE_PREFIX.sub("", name).strip()


def title_gender(name: str) -> str | None:
    m = _TITLE_PREFIX.match(name)
    return TITLES.get(m.group(0).strip(" .").lower()) if m else None


def _title_of(name: str) -> str | None:
    """The title word a name starts with (`Mr. Giles` -> `mr`), from the fuller list of titles."""
    head = name.split(None, 1)[0].rstrip(".").lower()
    return head if head in ALL_TITLES and " " in name else None


def _gender_of_title(name: str) -> str | None:
    title = _title_of(name)
    return ALL_TITLES.get(title) if title else None


def _core(name: str) -> list[str]:
    """A name's words after its titles: `Lady Jane Grey` -> [`Jane`, `Grey`]."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and words[i].rstrip(".").lower() in ALL_TITLES:
        i += 1
    return words[i:]


@dataclass
class _Candidate:
    name: str
    count: int = 0
    mid: int = 0  # capitalised where a sentence does not start: the writer's choice, not grammar's
    titled: int = 0  # `Mr. Giles`, `aunt Petunia`
    speech: int = 0  # `said Giles`, `Giles asked`
    vocative: int = 0  # `…, Spike.` / `"Spike, no!"`
    opening: int = 0  # alone at the head of a line of dialogue: `"Buffy. You have to go"`
    possessive: int = 0
    acts: int = 0  # followed by `who` or a past-tense verb: `Wolsey died`, `Cromwell, who`
    place: int = 0  # after `in`/`at`/`from`…
    article: int = 0  # after `the`/`a`: `the Moonstone`, `a Christian`
    caps: int = 0  # written in capitals: no evidence from case
    chapters: Counter = field(default_factory=Counter)
    he: int = 0
    she: int = 0
    family_of: str | None = None  # `Claytons` -> `Clayton`


def _split_run(run: str, offset: int) -> list[tuple[list[str], int, int, bool]]:
    """A run of capitalised words -> names in it: (words, start, end, possessive).

    Function words (`The`, `And`), interjections and words that close a sentence (`Paris.`)
    end a name; a title starts one (`Lady Howard` / `Mr. Villars`).
    """
    names: list[tuple[list[str], int, int, bool]] = []
    words: list[str] = []
    start = end = 0

    def flush(possessive: bool = False) -> None:
        nonlocal words
        if words:
            names.append((words, start, end, possessive))
            words = []

    for m in _TOKEN.finditer(run):
        token = m.group(0)
        stop = token.endswith(".")
        word = token.rstrip(".")
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word = word[:-2]
        word = word.rstrip("'’")
        clitic = _CLITIC.search(word)
        if clitic:  # `I’m`, `Dinah’ll`; `Don’t` and `D’you` are no names at all
            tail = clitic.group(1)
            word = "" if tail == "t" or tail.lower() in _STOP else word[: clitic.start()]
        lower = word.lower()
        if word.isupper() and len(word) > 1:
            word = word.capitalize()
        if (
            not word
            or (lower in _STOP and not (lower in _MONTHS and _after_title(words)))
            or ("-" in word and not all(p[:1].isupper() for p in word.split("-")))
        ):
            flush()
            continue
        title = lower in ALL_TITLES
        if title and words and words[-1].rstrip(".").lower() not in ALL_TITLES:
            flush()
        if not words:
            start = offset + m.start()
        if stop and (lower in _ABBREVIATIONS or len(word) == 1):
            words.append(word + ".")
            end = offset + m.end()
            continue
        words.append(word)
        end = offset + m.start() + len(word) + (2 if possessive else 0)
        if possessive or stop:
            flush(possessive)
    flush()
    return names


# Months are stop words (`in March`), but after a title they are names: `Aunt May`, `Mrs. March`.
_MONTHS = words("april may june july august march")


def _after_title(words: list[str]) -> bool:
    return bool(words) and words[-1].rstrip(".").lower() in ALL_TITLES


def _at_sentence_start(para: str, start: int) -> bool:
    before = para[max(0, start - 4) : start].rstrip()
    if not before:
        return start < 4 or not para[:start].strip()
    last = before[-1]
    if last in _SENTENCE_END:
        return not before.endswith(("Mr.", "Mrs.", "Dr.", "St.", "Ms."))
    if last in OPENING_QUOTES or last in "”’":
        # An opening quote starts a sentence; a closing one does after `.!?` (`"No." Buffy left.`)
        return len(before) == 1 or before[-2] not in ",—–" or last in "“‘"
    return False


def _gather(
    chapters: list[list[str]], quote_spans: dict[tuple[int, int], list[tuple[int, int]]]
) -> tuple[dict[str, _Candidate], set[str]]:
    """Every capitalised name with its evidence, and the story's words as written (for case)."""
    cands: dict[str, _Candidate] = {}
    words: set[str] = set()
    for ci, paragraphs in enumerate(chapters, start=1):
        for pi, para in enumerate(paragraphs):
            words.update(para.split())
            spans = quote_spans.get((ci, pi), ())
            if not spans and _CREDIT.match(para):
                continue
            for m in _SEQUENCE.finditer(para):
                run = m.group(0)
                if run.isalpha():
                    if run.lower() in _STOP:
                        continue
                    found = [
                        ([run.capitalize() if run.isupper() else run], m.start(), m.end(), False)
                    ]
                else:
                    found = _split_run(run, m.start())
                for tokens, start, end, possessive in found:
                    if len(tokens) > 1 and _is_opening_word(tokens[0], para, start):
                        start = _WORD_AND_SPACE.match(para, start).end()  # `Left Munich`
                        tokens = tokens[1:]
                    _observe(cands, tokens, start, end, possessive, para, spans, ci)
    return cands, words


# Before a name these make it a thing or a kind, as an article does (`some Taylor`); after it,
# these nouns make it a singer's or a writer's name (`Mitski albums`, `a Fleetwood Mac moment`).
_QUANTIFIERS = words("some enough more much any")
_WORK_AFTER = re.compile(
    r"\s+(?:songs?|albums?|records?|lyrics|concerts?|tracks?|playlists?|fans?|posters?|tours?"
    r"|videos?|novels?|poems?|moment|vinyl|cds?)\b"
)
# A line that credits an epigraph or a song (`- Anne Carson, Plainwater`): its name is an
# author's, not a character's.
_CREDIT = re.compile(
    r"^\s*[-—–~]+\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*(?:,[^.!?\n]{0,60})?$"
)
_AUXILIARIES = words("will may can shall must did does do could would should")
_SENTENCE_CLOSE = re.compile(r"[.!?]")
_SIGN_OFFS = words("love yours sincerely regards cheers dearest thanks from")


def _is_opening_word(word: str, para: str, start: int) -> bool:
    """A word that is capitalised only because it opens the sentence (`Left Munich at dawn`,
    `Lastly Kakashi…`), or a speech verb some writers capitalise (`"Hi," Said Naruto`)."""
    lower = word.lower()
    if lower in _SPEECH_WORDS or (lower in _SIGN_OFFS and not para[:start].strip()):
        return True  # (and a letter's closing: `Love, Kushina`, written `Love Kushina`)
    if lower in _AUXILIARIES and _at_sentence_start(para, start):
        end = _SENTENCE_CLOSE.search(para, start)
        if end and end.group() == "?":
            return True  # `Will John get to see him?`, `May Orla come?`: a question's verb
    return (
        lower not in ALL_TITLES
        and (lexicon.word_zipf(lower) >= 4.0 or lower.endswith(("ly", "ing")))
        and not is_known_first_name(word)
        and _at_sentence_start(para, start)
    )


def _observe(cands, tokens, start, end, possessive, para, spans, ci) -> None:
    name = " ".join(tokens)
    cand = cands.get(name)
    if cand is None:
        cand = cands[name] = _Candidate(name)
    cand.count += 1
    cand.chapters[ci] += 1
    raw = para[start:end]
    if raw.isupper() and len(raw) > 1:
        cand.caps += 1
    elif len(tokens) > 1 and tokens[-1][0].isupper() and not _title_of(name):
        cand.mid += 1  # `Rody Kickham`: the second word is capitalised whatever starts the sentence
    elif not _at_sentence_start(para, start):
        cand.mid += 1
    after = _PLACE_AFTER.match(para, end) if possessive else None
    if after and lexicon.has_place_shape(after.group(1)):
        cand.place += 1  # `Leichardt's Town`, `St. Mary's Church`: a place named after someone
    elif possessive:
        cand.possessive += 1
    elif _ACTS.match(para, end):
        cand.acts += 1
    before = para[max(0, start - 24) : start].split()
    previous = before[-1].lower() if before else ""
    earlier = before[-2].lower() if len(before) > 1 else ""
    # `Mr. Giles`, `aunt Petunia`, `a trader named Jennings`, `a man called Tobias`
    if (
        _title_of(name) in PERSON_TITLES
        or previous in _LOWER_TITLES
        or previous == "named"
        or (previous == "called" and earlier in lexicon.PERSON_NOUNS)
    ):
        cand.titled += 1
    if (previous in _SPEECH_WORDS and previous not in _NAMING_VERBS) or _SPEECH_AFTER.match(
        para, end
    ):
        cand.speech += 1
    if previous in _PLACE_PREPOSITIONS or (
        (previous == "to" and earlier in _GOING) or (previous == "of" and earlier in _LAND)
    ):
        cand.place += 1
    elif previous in _ARTICLES or previous in _QUANTIFIERS or _WORK_AFTER.match(para, end):
        cand.article += 1  # (`enough Mitski`, `Mitski albums`, `a Fleetwood Mac song`: a thing)
    following = para[end : end + 2].lstrip()[:1]
    closes = bool(following) and following in ",.!?-—–"
    # `I love you, Spike.` / `let go, Spike.`; not a list (`Grimpen, Dartmoor, Devon.`)
    if (
        closes
        and previous.endswith(",")
        and (before[-1][:1].islower() or previous.strip(",\"“‘'") in _STOP)
    ):
        cand.vocative += 1
        closes = False
    in_quote = False
    for a, b in spans:
        if a <= start < b:
            in_quote = True
            if closes and not para[a:start].strip(" \"“‘'—–-…."):
                if following == ",":
                    cand.vocative += 1  # `"Spike, no!"`
                else:
                    cand.opening += 1  # `"Buffy. You…"` — or `"Idiot."`
            break
    if not in_quote:
        pronoun = _PRONOUN.search(para, end, end + 80)
        if pronoun:
            if pronoun.group(1):
                cand.he += 1
            else:
                cand.she += 1


def detect_characters(
    chapters: list[list[str]],
    quote_spans: dict[tuple[int, int], list[tuple[int, int]]],
    known_names: frozenset[str] = frozenset(),
) -> list[Character]:
    """Characters of a work from its chapters' paragraphs; `quote_spans` marks speech per paragraph."""
    lexicon.load()
    _first_names()
    cands, words = _gather(chapters, quote_spans)
    links = _other_names(chapters)
    # Shouts in capitals ("BUFFY!") count for the name seen in ordinary case.
    for cand in list(cands.values()):
        if cand.caps == cand.count:
            other = cands.get(cand.name.title())
            if other is None or other is cand:
                continue
            other.count += cand.count
            other.chapters.update(cand.chapters)
            other.titled += cand.titled
            other.speech += cand.speech
            del cands[cand.name]

    # Evidence for "Mara" is evidence for "Mara Quinlan" (and "Mr. Giles" for "Rupert Giles").
    shared: dict[str, list[_Candidate]] = defaultdict(list)
    for cand in cands.values():
        tokens = _core(cand.name)
        if len(tokens) == 1:
            shared[tokens[0]].append(cand)
    support: dict[str, int] = {}
    for cand in cands.values():
        tokens = _core(cand.name)
        if len(tokens) > 1 or _title_of(cand.name):
            for token in {tokens[0], tokens[-1]}:
                for short in shared.get(token, ()):
                    if short is not cand:
                        support[cand.name] = support.get(cand.name, 0) + _strength(short)
    # Full names first: a word of an accepted full name is that person's name too (`Charlotte`
    # of `Charlotte Temple`, even where a preposition stands before it).
    full = [c for c in cands.values() if len(_core(c.name)) > 1 or _title_of(c.name)]
    kept = [c for c in full if _is_person(c, words, known_names, support.get(c.name, 0))]
    parts = {t for c in kept for t in (_core(c.name)[0], _core(c.name)[-1])}
    plurals = []
    for cand in cands.values():
        if len(_core(cand.name)) > 1 or _title_of(cand.name):
            continue
        singular = cand.name[:-1] if cand.name.endswith("s") else ""
        if singular in cands and not singular.endswith("s"):
            plurals.append((cand, singular))  # `the Claytons`: the family of a Clayton
        elif _is_person(
            cand, words, known_names, support.get(cand.name, 0), cand.name in parts, parts
        ):
            kept.append(cand)
    names = {c.name for c in kept}
    for cand, singular in plurals:
        if singular in names:
            cand.family_of = singular
            kept.append(cand)
        elif cands[singular].article * 2 >= cands[singular].count:
            continue  # `the Hawkbrothers` of `a Hawkbrother`: a kind of people
        elif _is_person(cand, words, known_names, support.get(cand.name, 0), surnames=parts):
            kept.append(cand)
    return _cluster(kept, links)


_NAME = rf"[{_CAP}][\w’'-]*(?:\s+[{_CAP}][\w’'-]*){{0,2}}"
# One person's other name, said outright: `Caroline, or Sister Carrie, as she had been termed`,
# `Thomas Dunne, known as Red`, `Edward, nicknamed Ned`. (Not `called`: `Orla waved at Dora,
# called Tobias over` is two people.)
_OTHER_NAME = re.compile(
    rf"(?<![\w’'-])({_NAME}),\s+(?:or\s+({_NAME}),\s+as\s+(?:he|she)\b|(?:better\s+|also\s+)?"
    rf"(?:known\s+as|nicknamed)\s+({_NAME})\b)"
)


def _other_names(chapters: list[list[str]]) -> list[tuple[str, str]]:
    """Pairs of names the narration gives one person (`Caroline, or Sister Carrie, as she …`)."""
    links = []
    for paragraphs in chapters:
        for para in paragraphs:
            if "known as" in para or "nicknamed" in para or (", or " in para and " as " in para):
                for m in _OTHER_NAME.finditer(para):
                    links.append((m.group(1), m.group(2) or m.group(3)))
    return links


def _strength(c: _Candidate) -> int:
    return 2 * (c.titled + c.speech) + c.vocative + c.possessive + c.mid


def _written_lower(word: str, words: set[str]) -> bool:
    """Whether the story also writes this word in lower case (so it is a word here, not a name)."""
    lower = word.lower()
    return lower in words or f"{lower}," in words or f"{lower}." in words or f"{lower};" in words


def _is_wordy(word: str, words: set[str]) -> bool:
    return _written_lower(word, words) or lexicon.word_zipf(word.lower()) >= 4.0


def _is_common(word: str, words: set[str]) -> bool:
    """An ordinary English word: written in lower case in this story, or frequent in English and
    not a first name. (wordfreq lower-cases its sources: `Smith` is as frequent as `smith`.)"""
    if _written_lower(word, words):
        return True
    return lexicon.word_zipf(word.lower()) >= COMMON_ZIPF and not is_known_first_name(word)


COMMON_ZIPF = 4.5
_OFTEN_A_PLACE = 4  # mentions after `in`, `at`, `from`…: a place, whatever else it does
SINGLE_MENTION = "evidence"
WORDY = 3.5


def _is_person(
    c: _Candidate,
    words: set[str],
    known: frozenset[str],
    support: int,
    part: bool = False,
    surnames: Collection[str] = (),
) -> bool:
    """Whether a candidate is a person. `part`: a word of an accepted full name; `surnames`:
    the words of those names, so `the Blaines` is a family (of Amory Blaine) where `the
    Brahmins` and `the Fates` are kinds."""
    tokens = _core(c.name)
    core = " ".join(tokens)
    if core in known or tokens[0] in known:
        return True
    last = tokens[-1].rstrip(".").lower()
    if last in ALL_TITLES or len(core) < 2 or (last in lexicon.demonyms() and not c.titled):
        # a title alone (`the Colonel`, `Queen`) names a role, not a character; `Miss Pole` is
        # one, where `the Pole` is a nation's man
        return False
    if _COUNTRYMAN.search(last) and lexicon.word_zipf(last) >= 3:
        return False  # `Herr Englishman`: a title before a nation's man addresses a stranger
    strong = c.titled + c.speech
    if part and (c.mid or strong or not _written_lower(core, words)):
        return True
    named = is_known_first_name(tokens[0])
    single = len(tokens) == 1
    if not c.titled and not (named and single):
        if _NOT_A_NAME.search(last) or (c.mid == 0 and _WORD_SHAPE.search(last)):
            return False  # `Englishman`, `Homeric`; `Supposing` opening a sentence
        if not c.speech and lexicon.has_place_shape(core):
            return False  # `Baker Street`, `Dorsetshire`, `Lake George`, `Tract Society`
    place = lexicon.place_kind(core) or (_FAMILY.search(core) and lexicon.place_kind(core[:-1]))
    if place and not c.titled and c.speech < 2:
        # `in Virginia`, `London`; but `Virginia said`, and a first name that some far-off
        # province also bears (`Mary smiled`) unless a preposition makes it a place.
        if place == "familiar" and not (c.vocative and not c.place):
            return False
        if place == "foreign" and (c.place or not (named and single)):
            return False
    if c.place * 2 >= c.count and not strong:
        return False
    if c.place >= _OFTEN_A_PLACE and c.place >= 3 * c.speech and not (c.titled or c.vocative):
        return False  # `at Medicine Bow` eight times: a town, though `Medicine Bow swept in`
    if c.place and not (strong or named or c.vocative or c.possessive or c.opening):
        return False  # `people in Avonlea`, `went to Sunnyside`: a place, and never a person
    family = single and _FAMILY.search(core) and core[:-1] in surnames
    if c.article * 2 >= c.count and not c.titled and not family:
        return False  # `the Moonstone`, `a Christian`, `the Rabbit said`: a thing or a kind
    if strong:
        return True
    # Alone at the head of a line (`"Spike!"`) counts once the word is a name elsewhere too.
    addressed = c.vocative + c.possessive + (c.opening if c.mid else 0)
    if c.mid == 0:
        # Capitalised only where any word would be: a name only if it is no English word, or
        # a first name no commoner than `Elizabeth` (`Tell`, `Soon` and `Love` are in lists too).
        if any(_written_lower(t, words) for t in tokens) or not all(
            lexicon.word_zipf(t.lower()) < (4.5 if is_known_first_name(t) else 3) for t in tokens
        ):
            return False
        return addressed + support + c.acts > 0
    if not single and lexicon.place_kind(tokens[-1]) == "familiar" and not named:
        return False  # `New London`, `Analogue London`
    if not single and _is_common(tokens[-1], words) and not is_known_first_name(tokens[-1]):
        return False  # `White Rabbit`, `Free Trade`, `Thirty Years War`
    if (
        not single
        and not support
        and not any(map(is_known_first_name, tokens))
        and any(_is_wordy(t, words) for t in tokens)
    ):
        return False  # `Coenties Slip`, `High Barrow`, `Green Gables`: a place, not a person
    if all(_is_common(t, words) for t in tokens):
        # `I told Will`: a first name capitalised mid-sentence, though also a word.
        return named and (not _written_lower(tokens[0], words) or c.mid + addressed + c.acts >= 2)
    if single and not named and not addressed and not support and lexicon.word_zipf(last) >= WORDY:
        return False  # `Latitude`: a dictionary word that the text happens to capitalise
    if c.count == 1 and single and SINGLE_MENTION == "evidence":
        return named or addressed + support + c.acts > 0
    return True


# A nation's man (`Englishman`, `Frenchman`, `Dutchman`), not a surname such as `Ashman`.
_COUNTRYMAN_END = r"(?:sh|ch)m[ae]n"
_COUNTRYMAN = re.compile(_COUNTRYMAN_END + "$")
# Demonyms, adjectives and doctrines made of names (`Englishman`, `Homeric`, `Puritanism`).
_NOT_A_NAME = re.compile(rf"(?:ians?|eans?|ese|ish|ic|ical|isms?|ists?|ites?|{_COUNTRYMAN_END})$")
# English word endings: only a capital at a sentence's start makes such a word look like a name.
_FAMILY = re.compile(r"[^siu]s$")
_WORD_SHAPE = re.compile(r"(?:ing|ed|ly|less|ness|ful|ous|ments?|tions?|ity|ance|ence|ings)$")


def _cluster(
    cands: list[_Candidate], links: list[tuple[str, str]] | None = None
) -> list[Character]:
    """Group `Buffy`, `Buffy Summers`, `Summers` into one character, fullest name first; and
    names the narration says are one person's (`links`)."""
    cands.sort(key=lambda c: (-len(_core(c.name)), -c.count))
    groups: list[list[_Candidate]] = []
    token_index: dict[str, list[int]] = defaultdict(list)
    group_of: dict[str, int] = {}
    families = [c for c in cands if c.family_of]
    couples = _couples(cands)
    younger = _younger_sisters(cands)
    for cand in [c for c in cands if not c.family_of]:
        tokens = _core(cand.name)
        gender = _gender_of_title(cand.name)
        target = None
        if len(tokens) == 1 or gender is not None:
            options = [
                g for g in dict.fromkeys(i for t in tokens for i in token_index.get(t, []))
                if set(tokens) <= {t for c in groups[g] for t in _core(c.name)}
                and _compatible(gender, groups[g])
                and _same_standing(cand.name, groups[g])
                and not (tokens[0] in couples and gender and _has_first_name(groups[g]))
            ]  # fmt: skip
            if len(options) > 1 and _title_of(cand.name) == "miss":
                options = [g for g in options if not _younger(groups[g], younger)] or options
            if options:
                target = max(options, key=lambda g: sum(c.count for c in groups[g]))
            elif len(tokens) == 1 and gender is None:
                target = _pet_form_of(tokens[0], groups, token_index)
        else:
            target = next(
                (
                    g
                    for g in token_index.get(tokens[0], [])
                    if any(_shortened(tokens, _core(c.name)) for c in groups[g])
                    and _compatible(name_gender(tokens[0]), groups[g])  # not `Mrs. Joe Gargery`
                ),
                None,
            )
        if target is None:
            groups.append([cand])
            target = len(groups) - 1
        else:
            groups[target].append(cand)
        group_of[cand.name] = target
        for t in tokens:
            if target not in token_index[t]:
                token_index[t].append(target)
    for cand in families:
        groups[group_of[cand.family_of]].append(cand)
    for name, other in links or ():
        _join(groups, group_of, name, other)
    groups = [g for g in groups if g]

    characters = []
    for group in groups:
        total = sum(c.count for c in group)
        # The fullest name that is used at least a little; else the most used.
        best = max(group, key=lambda c: (not c.family_of, len(_core(c.name)), c.count))
        by_chapter: Counter = Counter()
        for c in group:
            by_chapter.update(c.chapters)
        he = sum(c.he for c in group)
        she = sum(c.she for c in group)
        # A title says it outright and a first name nearly so; the pronouns that follow a
        # name are only a guess (`Temple … he` may be her father), for names with neither.
        # But a story may make a Blaise a woman: the pronouns after the name, many and nearly
        # all the other way, outweigh the name list.
        gender = next((g for c in group if (g := _gender_of_title(c.name))), None)
        # (the first word that is a first name: `Pore Jim` is a Jim)
        first = next((t for t in _core(best.name) if is_known_first_name(t)), _core(best.name)[0])
        named = name_gender(first) if gender is None else None
        counted = "he" if he > she else "she"
        if he + she >= 2 and max(he, she) >= 2 * min(he, she) + 1:
            overruled = named and named != counted and max(he, she) >= _OVERRULE * min(he, she) + 3
            gender = gender or (counted if named is None or overruled else named)
        gender = gender or named
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


_OVERRULE = 3  # how many times more pronouns of the other sex overrule a first name's


def _pet_form_of(
    name: str, groups: list[list[_Candidate]], token_index: dict[str, list[int]]
) -> int | None:
    """The group whose full name starts with the first name `name` is a pet form of
    (`Johnny`, `Tommy`, `Annie`, `Freddie`: John, Tom, Ann, Fred), if its sex agrees."""
    if not name.endswith(("y", "ie")) or len(name) < 5:
        return None
    stem = name[:-2] if name.endswith("ie") else name[:-1]
    bases = {stem, stem[:-1]} if stem[-1] == stem[-2] and stem[-1] not in "aeiou" else {stem}
    found = {
        g
        for base in bases
        if len(base) >= 3
        for g in token_index.get(base, [])
        if any(len(core := _core(c.name)) > 1 and core[0] == base for c in groups[g])
    }
    if not found:
        return None
    g = max(found, key=lambda g: sum(c.count for c in groups[g]))  # as for a first name alone
    return g if _compatible(name_gender(name), groups[g]) else None


def _join(groups: list[list[_Candidate]], group_of: dict[str, int], name: str, other: str) -> None:
    """Put the group of `other` into that of `name`, if both are characters and may be one."""
    a, b = group_of.get(name), group_of.get(other)
    if a is None or b is None or a == b:
        return
    genders = {g for c in groups[a] + groups[b] if (g := _gender_of_title(c.name))}
    if len(genders) > 1:
        return
    groups[a].extend(groups[b])
    for c in groups[b]:
        group_of[c.name] = a
    groups[b] = []


def _shortened(short: list[str], full: list[str]) -> bool:
    """Whether `short` is `full` (`John Watson`: `Dr. John Watson`), or `full` without its
    middle (`John H. Watson`) or its end (`Soo Lin`: `Soo Lin Yao`). Not without its start:
    `James Potter` is the father of `Harry James Potter`."""
    if len(short) > len(full):
        return False
    return full[: len(short)] == short or (full[0] == short[0] and full[-1] == short[-1])


def _compatible(gender: str | None, group: list[_Candidate]) -> bool:
    """Whether a titled name can be one of a group's: `Mr. Woodhouse` is not `Emma Woodhouse`."""
    if gender is None:
        return True
    # (`Miss Innes` is not `Halsey B. Innes`, whom the narration calls `he`, though no list
    # knows the name Halsey)
    he, she = sum(c.he for c in group), sum(c.she for c in group)
    other, same = (she, he) if gender == "he" else (he, she)
    if other >= 2 * same + 2:
        return False
    return all(
        _gender_of_title(c.name) in (None, gender)
        and (len(_core(c.name)) < 2 or name_gender(_core(c.name)[0]) in (None, gender))
        for c in group
    )


def _same_standing(name: str, group: list[_Candidate]) -> bool:
    """`Mrs. Sedley` is not `Miss Amelia Sedley`: a married and an unmarried woman's titles
    on one surname are mother and daughter (or sisters-in-law), not one woman; nor is `Miss
    Eldridge` the `Captain Eldridge` whose daughter she is."""
    others = _OTHER_STANDING.get(_title_of(name), ())
    return all(_title_of(c.name) not in others for c in group)


_RANKS = words("captain capt colonel col general gen major lieutenant lt sergeant sgt admiral")
_OTHER_STANDING = {
    "mrs": {"miss", *_RANKS},
    "miss": {"mrs", *_RANKS},
    **{rank: {"mrs", "miss"} for rank in _RANKS},
}


def _couples(cands: list[_Candidate]) -> set[str]:
    """Surnames borne with both a man's and a woman's title (`Mr. Hilbery`, `Mrs. Hilbery`): a
    family's name, so `Mrs. Hilbery` is no more `Katharine Hilbery` than her husband is."""
    titled: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        tokens = _core(c.name)
        if len(tokens) == 1 and (gender := _gender_of_title(c.name)):
            titled[tokens[0]].add(gender)
    return {surname for surname, genders in titled.items() if len(genders) > 1}


def _younger_sisters(cands: list[_Candidate]) -> set[str]:
    """First names said after `Miss` (`Miss Jemima`): by custom the younger sisters, whose
    eldest is `Miss Pinkerton` by surname alone."""
    return {
        _core(c.name)[0] for c in cands if _title_of(c.name) == "miss" and len(_core(c.name)) == 1
    }


def _younger(group: list[_Candidate], younger: set[str]) -> bool:
    """Whether a group is a woman called `Miss Jemima`: given a sister of her surname to go to,
    `Miss Pinkerton` is that sister (`Miss Jemima Pinkerton`, `Barbara Pinkerton`)."""
    return any(len(core := _core(c.name)) > 1 and core[0] in younger for c in group)


def _has_first_name(group: list[_Candidate]) -> bool:
    return any(len(_core(c.name)) > 1 for c in group)
