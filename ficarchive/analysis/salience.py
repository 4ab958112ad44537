"""Who is in focus as a story goes: named and described people, pronouns, salience.

A `Resolver` reads the narration a sentence at a time. Each mention weighs on its person's
salience, more when it opens its sentence (most often its subject); each paragraph halves it
(after Lappin & Leass 1994, simplified). A pronoun goes to the most salient person of its gender.
Unnamed people are tracked by their descriptions (`the doctor`, `a thin, elderly gentleman`): a
definite `the old lady` is the unnamed woman met before, `a man` brings someone new in.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from . import lexicon
from .characters import core_name
from .lexicon import TITLES, role_of
from .model import Character

PRONOUN = {
    "he": "he",
    "him": "he",
    "his": "he",
    "she": "she",
    "her": "she",
    "i": "i",
    "my": "i",
    "me": "i",
}
# Heads of descriptions that name a person in narration (`the doctor bent down`, `a woman
# servant came in`, a first-person narrator's `our guide told us`): tracked like characters,
# since many speakers are only ever described.
ROLES = "|".join([*sorted(lexicon.PERSON_NOUNS), r"[a-z]+(?:keeper|man|woman|master|maker|smith)"])
ROLE_DESC = rf"\b(?:[Tt]he|[Aa]n?|[Oo]ur)\s+(?:(?!(?:the|an?|of|and|to|in)\s)[a-z][\w’'-]*\s+){{0,2}}?(?:{ROLES})\b"
# `Mr. Temple` is one mention, not `Mr` and a sentence's end before `Temple`.
TITLE_ABBREVIATION = r"(?:M[Rr][Ss]?|M[Ss]|D[Rr]|S[Tt])\."
_OWNERS = {"he", "she", "his"}
_RELATIVE_TITLES = {"mother": "Mrs.", "father": "Mr.", "wife": "Mrs.", "husband": "Mr."}
_OPENING = 12  # characters before a sentence's first mention: "Then the doctor", not "As soon as…"
_BARE = {"the man", "the boy", "the woman", "the girl"}
DETERMINERS = {"the", "a", "an", "another", "his", "her", "my", "our", "their"}
_CAPITAL_DETERMINERS = {d.capitalize() for d in DETERMINERS}
# A description ends where a preposition, conjunction or participle starts its modifier.
_DESC_END = {
    "with", "in", "as", "and", "to", "at", "from", "for", "who", "whom", "whose", "which", "that",
    "on", "by", "of", "but", "while", "when", "after", "before", "again", "then", "now", "too", "once", "presently",
    "had", "has", "have", "was", "were", "is", "are", "would", "could", "should", "did", "will",
    "might", "must", "can", "said", "says", "asked", "always", "never", "also", "only", "just",
}  # fmt: skip
_DESC_GENDER = {
    "man": "he", "boy": "he", "gentleman": "he", "fellow": "he", "father": "he", "lad": "he",
    "husband": "he", "son": "he", "brother": "he", "uncle": "he", "king": "he", "lord": "he",
    "woman": "she", "girl": "she", "lady": "she", "mother": "she", "wife": "she", "daughter": "she",
    "sister": "she", "aunt": "she", "queen": "she", "maid": "she", "widow": "she", "nurse": "she",
    "landlord": "he", "landlady": "she", "priest": "he", "clergyman": "he", "waiter": "he",
    "lass": "she", "maiden": "she", "bride": "she", "nun": "she", "spinster": "she",
    "governess": "she", "prince": "he", "duke": "he", "baron": "he", "monk": "he",
    "bridegroom": "he", "widower": "he", "bachelor": "he", "knight": "he", "footman": "he",
    "butler": "he", "valet": "he", "youth": "he",
}  # fmt: skip
# Adjectives in -ly, which is otherwise an adverb's ending (`said the man gravely`).
_LY_ADJECTIVES = lexicon.words(
    "elderly friendly lovely ugly surly burly lonely sickly stately portly comely kindly homely"
    " jolly holy silly curly manly womanly saintly ghostly lively deadly orderly"
)


# Heads that say no more than sex and age: `the old lady` may re-describe someone met before,
# where `the nurse` or `the doctor` brings a role of their own.
_GENERIC_HEADS = {"man", "woman", "lady", "gentleman", "girl", "boy", "fellow", "lad"}
_OLD = {"old", "elderly", "aged", "older", "grey-haired", "gray-haired", "white-haired"}
_YOUNG = {"young", "younger", "little", "youthful"}


def _age(desc: str) -> str | None:
    """ "old", "young" or None: what a description's adjectives say of age."""
    words = set(desc.lower().split())
    if words & _OLD:
        return "old"
    return "young" if words & _YOUNG else None


def head_gender(head: str) -> str | None:
    """The gender a description's head says (`landlady`, `postman`), else None (`gatekeeper`)."""
    if head in _DESC_GENDER:
        return _DESC_GENDER[head]
    if head.endswith("woman") or (head.endswith("ess") and head in lexicon.PERSON_NOUNS):
        return "she"  # (`hostess`, `duchess`)
    return "he" if head.endswith("man") else None


_NOT_PEOPLE = {"door", "voice", "words", "word", "wind", "clock", "bell", "letter", "note", "sign"}


def _epithet(word: str) -> bool:
    """A capitalised word after `the` that calls a person by a role or a people (`the
    Colonel`, `the Squire`, `the Virginian`), not a place or a paper (`the Hague`)."""
    low = word.lower()
    return bool(role_of(low)) or low in lexicon.PERSON_NOUNS or low in lexicon.demonyms()


def description(phrase: str) -> str | None:
    """`a fearful man with a great iron` -> `the fearful man`; None if it isn't a person."""
    words = phrase.split()
    if not words or words[0].lower() not in DETERMINERS:
        return None
    kept: list[str] = []
    for i, w in enumerate(words[1:], start=2):
        word = w.rstrip(",")
        if (
            # `the boy strains to say`: a verb, where `a young officer to him` is a noun
            (kept and word[-1:] == "s" and word[-2:] != "ss" and words[i : i + 1] == ["to"])
            or word in _DESC_END
            or word in DETERMINERS
            or word in PRONOUN
            or (word.endswith(("ing", "ly")) and word not in _LY_ADJECTIVES)
        ):
            break
        if kept and kept[-1].endswith(","):
            kept[-1] = kept[-1][:-1]  # `a thin, elderly gentleman`: adjectives in a row
        kept.append(w)
    if kept:
        kept[-1] = kept[-1].rstrip(",")
    if not kept or kept[-1] in _NOT_PEOPLE:
        return None
    head = words[0].lower()
    head = "the" if head in ("a", "an") else head
    return f"{head} {' '.join(kept)}"


_NAME_WORDS = rf"(?:{TITLE_ABBREVIATION}\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*"
_NAMING = re.compile(
    rf"(?P<desc>{ROLE_DESC})(?:,?\s+(?:named|called|by the name of|whose name was)\s+|,\s+(?={_NAME_WORDS},))"
    rf"(?P<name>{_NAME_WORDS})"
    rf"|\b(?P<owner>[Hh]is|[Hh]er)\s+name\s+(?:was|is)\s+(?P<name2>{_NAME_WORDS})"
    rf"|(?<![\w’'-])(?P<name3>{_NAME_WORDS}),\s+(?P<desc3>{ROLE_DESC})(?=\s*[,.;:])"
)
_NAMING_HINT = re.compile(
    r"\b(?:named|called|name (?:was|is)|by the name)\b|,\s+[A-Z][^,.;!?]{0,40},"
    r"|[A-Z][\w’'-]+,\s+(?:the|a|an|our)\s"
)
_SUBORDINATE = re.compile(
    r"\s*(?:When|As|If|After|Before|While|Once|Since|Although|Though|Because|Until|Whenever)\s"
)
_AFTER_COMMA = re.compile(r",\s*$")
_INSIDE = re.compile(
    r"(?:,|\b(?:in|to|at|with|of|for|from|on|by|like|than|into|upon|towards?|about))\s+$"
)
_GENERIC = re.compile(r"\s+(?:should|must|can|may|might|will|would|could|always|never)\b")
_PREDICATE = re.compile(r"\b(?:was|is|were|are|be|been|seemed|became|become)\s+$")
# Tried at word starts that can open a mention only (`\b(?=[A-Zhsta]|our\b)`), for speed.
_MENTION = re.compile(
    rf"(?P<stop>[.!?;:](?=\s))|\b(?=[A-Zhsta]|our\b)(?:(?P<pronoun>[Hh]e|[Ss]he|[Hh]im|[Hh]er|[Hh]is)\b"
    rf"|(?P<desc>{ROLE_DESC})|(?P<name>(?:{TITLE_ABBREVIATION}\s+)?[A-Z][\w’'-]*(?:\s+(?!{TITLE_ABBREVIATION})[A-Z][\w’'-]*)*))"
)
# Salience weights (after Lappin & Leass 1994): a mention, and a bonus for opening its sentence
# (most often its subject); each paragraph halves what a person has.
_MENTIONED = 100.0
_SUBJECT_BONUS = 80.0
_DECAY = 0.5
_PRONOUN_WEIGHT = 60.0  # "his"/"her" keep their person in focus, but a name is news
LISTENER_WEIGHT = 30.0  # someone spoken to is in the scene, though not its topic
_PRESENT = 20.0  # a speech tag's "he": someone mentioned within about two paragraphs
_ANTECEDENT = 10.0  # a pronoun in narration reaches back about three paragraphs
_RECURRING = 3  # paragraphs of a chapter in which a described person is met: one of its own
_FORGOTTEN = 2.0  # below this a person leaves the salience list (they stay in the chapter's cast)
_COORDINATED = re.compile(r"(?:,\s*|\s+and\s+)(?:[A-Z]|the\b)")
SOMEONE_ELSE = re.compile(
    rf"\s+(?:[a-z][\w’'-]*\s+)?(?:{ROLES}|{'|'.join(_DESC_GENDER)}|friend|friends|people)\b"
)
POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class Resolver:
    characters: list[Character]
    narrator: str | None

    def __post_init__(self) -> None:
        self.lookup: dict[str, Character] = {}
        for c in self.characters:
            for name in (c.name, *c.aliases):
                self.lookup[name] = c
                self.lookup[name.lower()] = c
        # A word of one character's name names them alone (`Rolfe` for `Master John Rolfe`),
        # unless another character's name has that word too.
        owners: dict[str, set[str]] = {}
        for c in self.characters:
            for name in (c.name, *c.aliases):
                for word in core_name(name).split():
                    if word[:1].isupper() and word.rstrip(".").lower() not in TITLES:
                        owners.setdefault(word, set()).add(c.name)
        for word, names in owners.items():
            if len(names) == 1 and word not in self.lookup:
                self.lookup[word] = self.lookup[next(iter(names))]
        self.shared = {word: names for word, names in owners.items() if len(names) > 1}
        # Salience (Lappin & Leass 1994, simplified): a mention adds weight, more when it opens
        # its sentence (the subject, most often); each paragraph halves it. A pronoun in the
        # narration goes to the most salient person of its gender and keeps them salient, so
        # "Mrs. Hall … Millie … she … she" stays with Mrs. Hall.
        self.salience: dict[str, float] = {}
        self.named = {c.name for c in self.characters}
        # `the doctor` -> the one character whose name carries that role as a title (`Dr.
        # Archie`, `Parson Tringham`, `Captain Eldridge`).
        titled: dict[str, list[str]] = {}
        for c in self.characters:
            for name in (c.name, *c.aliases):
                role = role_of(name.split()[0]) if " " in name else None
                if role and c.name not in titled.get(role, []):
                    titled.setdefault(role, []).append(c.name)
        self.titled = {t: names[0] for t, names in titled.items() if len(names) == 1}
        self.by_head: dict[str, str] = {}  # `doctor` -> the description last met with that head
        # A described person the narration names later (`a tall man … His name was Weary`).
        self.renamed: dict[str, str] = {}
        # Who has been mentioned in this chapter's narration, with in how many paragraphs (a
        # dict keeps the order: ties in the fallback must not depend on hash randomisation).
        self.cast: dict[str, int] = {}
        self.recent: list[str] = []  # character names, most recent last
        self.seen: dict[str, int] = {}  # name -> paragraph counter at its last mention
        self.paragraph = 0
        self.topic: str | None = None  # the person the last sentence opened with
        self.newcomer: str | None = None  # the last sentence's first person, if its only one

    def next_paragraph(self) -> None:
        self.paragraph += 1
        self.salience = {n: v * _DECAY for n, v in self.salience.items() if v > _FORGOTTEN}

    def new_scene(self) -> None:
        self.topic = None
        self.recent.clear()
        self.salience.clear()
        self.cast.clear()

    def mention(self, text: str) -> None:
        """Names and third-person pronouns of a stretch of narration, a sentence at a time."""
        # (character name, pronoun, whether it opens its sentence: most often, its subject)
        sentence: list[tuple[str | None, str | None, bool]] = []
        start = 0
        whole = True  # begun after a full stop, not a semicolon or colon
        owned = False  # its first person only owns its subject: `The waggoner's steps were heard`
        for m in _MENTION.finditer(text):
            if _SUBORDINATE.match(text, start):
                # `When they get a ring from the cab, telling them it's outside, John hands
                # Jake a tenner.`: the subject comes after the clause, at a comma
                opens = (
                    not any(o for _, _, o in sentence)
                    and _AFTER_COMMA.search(text, max(start, m.start() - 3), m.start()) is not None
                )
            else:
                opens = not sentence and m.start() - start <= _OPENING
            if stop := m.group("stop"):
                self._mention_sentence(sentence, whole and not owned)
                sentence = []
                start = m.end()
                whole, owned = stop in ".!?", False
            elif pronoun := m.group("pronoun"):
                sentence.append((None, pronoun.lower(), opens))
            elif desc := m.group("desc"):
                if _PREDICATE.search(text[max(0, m.start() - 12) : m.start()]):
                    continue  # `he was a much older man`: said of someone, not someone new
                if desc[:1] in "Aa" and _GENERIC.match(text, m.end()):
                    continue  # `A woman should some day write…`: anyone, not someone here
                if desc[:1] in "Aa" and text[m.end() : m.end() + 2] in ("'s", "’s"):
                    continue  # `she wore a man's long ulster`: a kind of thing, not a man
                name = self.described(desc)
                owned = owned or (not sentence and text.startswith(("'s", "’s"), m.end()))
                if (
                    desc[:1] in "Aa"
                    and name
                    and _INSIDE.search(text, max(0, m.start() - 12), m.start())
                ):
                    # `I felt interested in a man who seemed reserved`, `our guide, a rather
                    # superior fellow`: someone new met after a preposition or in apposition is
                    # not yet the topic; "he" after it is whoever was. (But `In the chair sat
                    # an aged man`: the subject, come late.)
                    self.touch(name, _PRONOUN_WEIGHT)
                    continue
                sentence.append((name, None if name else head_gender(desc.split()[-1]), opens))
            else:
                words = m.group("name").split()
                if POSSESSIVE.search(words[-1]):
                    # `Riversong's lips thinned and she said`: a possessive opening a sentence
                    # is its topic; elsewhere (`at Stephen's face`) it keeps them in focus only
                    words[-1] = POSSESSIVE.sub("", words[-1])
                    if not opens or SOMEONE_ELSE.match(text, m.end()):
                        # (`But Cameron's companion faced about`: the companion is the topic.
                        # Not the latest of a tie either: `fixed her eyes on Riversong's face`.)
                        c = self.by_name(" ".join(words)) or self.by_name(words[-1])
                        if c and self.salience.get(c.name, 0.0) < _PRONOUN_WEIGHT:
                            self.touch(c.name, _PRONOUN_WEIGHT)
                        continue
                # `Squire Trelawney, Dr. Livesey, and the rest having asked me`: one of a
                # plural subject is not the topic a later "he" goes on with.
                opens = opens and not _COORDINATED.match(text, m.end())
                if words[0] in ("The", "the") and len(words) == 2 and _epithet(words[1]):
                    # `The Colonel nodded his head`, `the Virginian`: someone known by a title
                    sentence.append((self.described("the " + words[1]), None, opens))
                    continue
                for candidate in (" ".join(words), words[0], words[-1]):
                    if c := self.by_name(candidate):
                        sentence.append((c.name, None, opens))
                        break
        self._mention_sentence(sentence, whole and not owned)
        if "name" in text or "called" in text or "," in text:
            self._learn_names(text)

    def _mention_sentence(
        self, mentions: list[tuple[str | None, str | None, bool]], whole: bool = True
    ) -> None:
        resolved: dict[str, str] = {}  # pronoun kind -> who it was in this sentence
        for i, (name, pronoun, opens) in enumerate(mentions):
            weight = _MENTIONED + (_SUBJECT_BONUS if opens else 0)
            if name:
                self.touch(name, weight)
                continue
            kind = PRONOUN[pronoun.lower()]
            subject = mentions[0][0]
            if (
                i == 0
                and opens
                and pronoun in ("he", "she")
                and self.genderless(self.topic)
                and self._salient(kind) is None
            ):
                # "A certain tall soldier went to wash a shirt. He came flying back": with no
                # one else for "he" to be, the subject goes on from the sentence before.
                self.lookup[self.topic].gender = kind
                resolved[kind] = self.topic
            elif i == 0 and opens and pronoun in ("he", "she") and (new := self._newcomer(kind)):
                # "The appearance of our visitor was a surprise to me. He was a very tall,
                # thin man": the one just described, of no known sex, outweighs one of that
                # sex who was in focus a paragraph ago.
                self.lookup[new].gender = kind
                resolved[kind] = new
            # (Not "him"/"her": an object in the subject's own clause is someone else.)
            if i and subject and subject not in self.named and not resolved and pronoun in _OWNERS:
                described = self.lookup[subject]
                if described.gender is None:
                    # "Then the doctor felt his patient's pulse": the sentence's described
                    # subject owns the pronoun after it, and so has a gender now.
                    described.gender = kind
                    resolved[kind] = subject
            # "She didn't hear Faith scream her name, she didn't…": a pronoun is not someone
            # named after it in its own sentence, and a sentence's "she"s are one person.
            name = resolved.get(kind)
            if name is None:
                later = {n for n, _, _ in mentions[i + 1 :] if n}
                name = self._salient(kind, later)
                if name is None or self.salience[name] < _ANTECEDENT:
                    continue
                resolved[kind] = name
            # "She" as a subject is as strong as a name; "his"/"her" only keep someone in focus.
            nominative = pronoun in ("he", "she")
            self.touch(name, weight if nominative else _PRONOUN_WEIGHT)
        # (Not after `…; carried it like a young soldier), and a round plush cap.`: a clause;
        # nor `The waggoner's steps were heard returning.`: the steps are its topic, not him)
        first = mentions[0][0] if whole and mentions else None
        others = [n for n, _, _ in mentions if n] + list(resolved.values())
        self.newcomer = first if first is not None and set(others) == {first} else None
        if mentions and mentions[0][2]:
            first, pronoun, _ = mentions[0]
            self.topic = first or resolved.get(PRONOUN.get(pronoun or "", ""))

    def _learn_names(self, text: str) -> None:
        """A described person's name, as the narration gives it: `a tall man named Weary`, `the
        doctor, Howard Archie,`, `Mr. Gryce, the detective,`, `… His name was Weary.` (the one
        described last)."""
        # (The costly pattern is tried only around a cheap one's hits: few paragraphs name
        # anyone so.)
        windows = [text[max(0, h.start() - 60) : h.end() + 40] for h in _NAMING_HINT.finditer(text)]
        for m in (m for window in windows for m in _NAMING.finditer(window)):
            c = self.by_name(m.group("name") or m.group("name2") or m.group("name3"))
            if c is None:
                continue
            if desc := m.group("desc") or m.group("desc3"):
                described = self.described(desc)
            else:
                kind = PRONOUN[m.group("owner").lower()]
                unnamed = [
                    n for n in self.salience
                    if n not in self.named and self.lookup[n].gender in (kind, None)
                ]  # fmt: skip
                described = max(unnamed, key=self.salience.get, default=None)
            if described and described not in self.named and described != c.name:
                c.gender = c.gender or self.lookup[described].gender
                self.renamed[described] = c.name
                self.lookup[described] = c

    def genderless(self, name: str | None) -> bool:
        """Whether `name` is a described person (not a named one) of no known gender yet."""
        return name is not None and name not in self.named and self.lookup[name].gender is None

    def _newcomer(self, kind: str) -> str | None:
        """The most salient described person of no known sex, if more salient than anyone of
        that sex."""
        best = self.newcomer
        if not self.genderless(best) or best not in self.salience:
            return None
        rival = self._salient(kind)
        return None if rival and self.salience[rival] >= self.salience[best] else best

    def _salient(self, kind: str, exclude: Collection[str] = frozenset()) -> str | None:
        """The most salient person of that gender; on a tie, the one mentioned last."""
        best, score = None, 0.0
        for name, value in self.salience.items():
            c = self.lookup[name]
            if c.gender == kind and value >= score and name not in exclude and not c.narrator:
                best, score = name, value
        return best

    def companion_of(self, name: str | None, exclude: Collection[str]) -> str | None:
        """The one most in focus besides `name`: who `his companion` is."""
        others = {
            n: v
            for n, v in self.salience.items()
            if n != name and n not in exclude and not self.lookup[n].narrator
        }
        return max(others, key=others.get, default=None)

    def describe(self, desc: str) -> str:
        """A speaker known only by a description (`the man`), tracked like a character."""
        c = self.lookup.get(desc)
        if c is None:
            gender = head_gender(desc.split()[-1])
            c = Character(name=desc, gender=gender)
            self.lookup[desc] = c
        self.by_head[desc.split()[-1]] = c.name
        return c.name

    def described(self, phrase: str) -> str | None:
        """A description in narration: `the doctor` is the doctor met before, `a woman servant`
        someone new."""
        desc = " ".join(phrase.split())
        head = desc.split()[-1]
        definite = desc[:3].lower() == "the"
        if definite and (titled := self.titled_as(desc)):
            return titled
        known = self.lookup.get(desc.lower()) or (
            self.lookup.get(self.by_head[head]) if definite and head in self.by_head else None
        )
        if known:
            if definite and self._left(known.name):
                # `the little boy` of the last chapter, now that Philip has a name and is here
                return self._named_in_focus(known.gender) or known.name
            return known.name
        if definite and desc.lower() in _BARE:
            return None  # "all she could see was him. The man in front of her": a pronoun
        desc = "the " + desc.split(None, 1)[1]
        # `an aged man sat there`: `a` brings someone new in
        return (self.corefer(desc) if definite else None) or self.describe(desc)

    def corefer(self, desc: str, exclude: Collection[str] = frozenset()) -> str | None:
        """The named character a new definite description stands for, if any: `the sergeant`
        is the one Sergeant in the cast; `the little girl` is the girl in focus (a description
        that brings a new person in comes with `a`, or before anyone of that gender is near)."""
        if not desc.startswith("the ") or desc in self.lookup:
            return None
        words = desc.split()[1:]
        if titled := self.titled_as(desc):
            return titled
        gender = head_gender(words[-1])
        if gender is None or desc in _BARE:
            return None  # a bare `the man` in a tag is as often the stranger as the hero
        if words[-1] not in _GENERIC_HEADS:
            return None  # `the sailor` brings a role of its own, not just a sex and an age
        return self._named_in_focus(gender, exclude) or self._described_in_focus(
            desc, gender, exclude
        )

    def titled_as(self, desc: str) -> str | None:
        """The one named character whose title is the role a description gives (`the old
        doctor` -> `Dr. Howard Archie`, `the clergyman` -> `Parson Tringham`)."""
        for word in desc.split()[1:]:
            role = role_of(word)
            if role in self.titled:
                return self.titled[role]
        return None

    def _named_in_focus(
        self, gender: str | None, exclude: Collection[str] = frozenset()
    ) -> str | None:
        """The named person of that gender most in focus, if they are in the scene."""
        name = self._salient(gender, exclude) if gender else None
        if name and name in self.named and self.salience[name] >= _PRESENT:
            return name
        return None

    def _described_in_focus(self, desc: str, gender: str, exclude: Collection[str]) -> str | None:
        """The unnamed person of that gender in the scene, else the only one met in the chapter:
        `the old lady` after `a cheery-looking elderly woman` came in is her again (the definite
        article says she is known), unless their ages disagree (`the old woman` is not `the
        young woman`); `the young man` may be `a young officer`, whose sex no word has said."""
        age = _age(desc)
        met = [
            n
            for n in self.cast
            if n not in self.named
            and n not in exclude
            and self.lookup[n].gender in (gender, None)
            and age in (None, _age(n) or age)
        ]
        name = max(met, key=lambda n: self.salience.get(n, 0.0), default=None)
        if name and self.salience.get(name, 0.0) >= _PRESENT:
            return name
        met = [n for n in met if self.lookup[n].gender == gender]
        return met[0] if len(met) == 1 else None

    def _left(self, name: str) -> bool:
        """Whether a described (unnamed) person has left the scene. One met all through the
        chapter has not: `the guide` who led the party all day is himself when he comes back,
        not whichever named man is in focus then."""
        return (
            name not in self.named
            and self.cast.get(name, 0) < _RECURRING
            and self.salience.get(name, 0.0) < _PRESENT
        )

    def touch(self, name: str, weight: float = _MENTIONED) -> None:
        if name in self.recent:
            self.recent.remove(name)
        self.recent.append(name)
        if self.seen.get(name) != self.paragraph or name not in self.cast:
            self.cast[name] = self.cast.get(name, 0) + 1
        self.seen[name] = self.paragraph
        # Re-inserted, so the dict runs from least to most recent: on a tie, the latest wins.
        self.salience[name] = max(self.salience.pop(name, 0.0), weight)

    def resolve(self, token: str, exclude: Collection[str] = frozenset()) -> str | None:
        token = POSSESSIVE.sub("", token.strip())  # `Robby's voice is empty.`: Robby speaks
        low = token.lower()
        if low in PRONOUN:
            kind = PRONOUN[low]
            if kind == "i":
                return self.narrator
            # The most salient person of that gender (named or referred to in the last couple of
            # paragraphs); else the most-mentioned one named in this chapter's narration (the
            # scene's protagonist is "she" long after her name); else the work's most-mentioned.
            # Mentions inside speech do not count: "Dale's times" said in a quote does not bring
            # Dale in.
            name = self._salient(kind, exclude)
            if name and self.salience[name] >= _PRESENT:
                return name
            candidates = [
                self.lookup[n]
                for n in self.cast
                if self.lookup[n].gender == kind
                and n not in exclude
                and not self.lookup[n].narrator
            ]
            if candidates:
                return max(
                    candidates, key=lambda c: (c.mentions, self.salience.get(c.name, 0.0))
                ).name
            for c in self.characters:
                if c.gender == kind and c.name not in exclude and not c.narrator:
                    return c.name
            return None
        words = token.split()
        if len(words) > 2 and words[-1][:1].isupper() and words[0].lower() in DETERMINERS:
            # "the poet Syme": the description's own name says who
            named = self.lookup.get(words[-1])
            if named:
                return named.name
            token = " ".join(words[:-1])
        if relative := self.relative((description(token) or token).split(), exclude):
            return relative
        if token[:1].islower() or words[0] in _CAPITAL_DETERMINERS:
            desc = description(token)
            if desc is not None and not (
                desc.startswith("the ") and self.lookup.get(desc[4:].title())
            ):
                # `said a thin, elderly gentleman`: `a` brings someone new in; `the thin
                # gentleman` after it is him again.
                titled = self.titled_as(desc) if desc.startswith("the ") else None
                if titled and titled not in exclude:
                    return titled
                if words[0].lower() in ("a", "an", "another"):
                    return self.describe(desc)
                if (known := self.lookup.get(desc)) and self._left(known.name):
                    return self._named_in_focus(known.gender, exclude) or known.name
                met = self.by_head.get(desc.split()[-1])
                if desc not in self.lookup and met and set(desc.split()) <= set(met.split()):
                    return met
                return self.corefer(desc, exclude) or self.describe(desc)
        for candidate in (
            token,
            token.removeprefix("the ").removeprefix("The "),
            token.split()[0],
            token.split()[-1],
        ):
            if c := self.by_name(candidate):
                return c.name
        return None

    def relative(self, words: list[str], exclude: Collection[str]) -> str | None:
        """`her mother` or `his wife`, said of a Hilbery, is Mrs. Hilbery when the story has
        one; said of someone of no known surname (or `the mother`), the story's one Mrs.
        (`Mr.` for a father or a husband), if it has only one."""
        if len(words) != 2 or words[0].lower() not in ("his", "her", "the"):
            return None
        title = _RELATIVE_TITLES.get(words[1].lower())
        if title is None:
            return None
        of = self.resolve(words[0].lower()) if words[0].lower() != "the" else None
        if of and " " in of:
            surname = of.split()[-1]
            relative = self.lookup.get(f"{title} {surname}") or self.lookup.get(
                f"{title.rstrip('.')} {surname}"
            )  # (`Mrs. Easy` or `Mrs Easy`)
            if relative and relative.name != of:
                return relative.name
        gender = "she" if title == "Mrs." else "he"
        if present := self._named_in_focus(gender, {*exclude, of} if of else exclude):
            return present  # `said his father`, of Diamond: Joseph, who is in the scene
        titled = [
            c.name
            for c in self.characters
            if " " in c.name and c.name.split()[0].rstrip(".") == title.rstrip(".")
        ]
        if len(titled) == 1 and titled[0] != of and titled[0] not in exclude:
            return titled[0]
        return None

    def by_name(self, name: str) -> Character | None:
        """The character a name stands for; a surname several bear (`Temple`: Mr. Temple and
        Charlotte Temple) is whichever of them is in focus."""
        c = self.lookup.get(name) or self.lookup.get(name.lower())
        bearers = self.shared.get(name)
        if bearers:
            focus = max(bearers, key=lambda n: self.salience.get(n, 0.0))
            if self.salience.get(focus, 0.0) > 0:
                return self.lookup[focus]
        return c
