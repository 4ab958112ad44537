"""Who speaks each quotation: speech tags, action beats, vocatives, then turn-taking.

Order of evidence, strongest first (after Muzny et al. 2017's sieve of rules):
1. an explicit tag beside the quote (`"…," said Giles`, `Buffy asked, "…"`, `she whispered`),
   or closing the paragraph before with a colon (`Dante said:`), or opening the next one in
   lower case (`her mother demanded.`); `X did this and then said` tags X;
2. a named speaker in the next paragraph's first sentence when the quote stands alone
   (`"BUFFY!"` / `She didn't hear Faith scream her name`);
3. the one just addressed by name answers (`"Snake, lend me your pipe."` / `"Get your own."`),
   also when the answer's tag describes someone not met before (`replied the leader`); in a
   two-person exchange `said the visitor` is the other party;
4. the subject of the paragraph's own narration (an action beat: `He smiled. "…"`), else of the
   last clause of the narration just before a quote-only paragraph;
5. vocatives rule the addressee out (`"I love you, Spike."` is not Spike speaking), and so does
   being at a loss for an answer (`"She's gone." Philip did not know what she meant.`); a line
   told as a voice (`came a harsh reply`) is no one the narration shows, unless answered by name;
6. alternation in a two-person exchange, then the last speaker's interlocutor.
Pronouns and descriptions resolve through the scene's salience (`salience.Resolver`); `I` to the
narrator. One described speaker whom an answer calls by a name the narration never uses goes by
that name (`the youth` / `"Henry, don't you be a fool," his mother replied.`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from .lexicon import OPENING_QUOTES, SPEECH_VERBS
from .model import Character, Quote
from .quotes import narration_parts
from .salience import (
    DETERMINERS,
    LISTENER_WEIGHT,
    POSSESSIVE,
    PRONOUN,
    ROLE_DESC,
    ROLES,
    SOMEONE_ELSE,
    TITLE_ABBREVIATION,
    Resolver,
    description,
    head_gender,
)
from .speaker_choice import LEARNED_STEP, Chooser, decides, shipped_model

_DESC = r"(?:[Tt]he|[Aa]n?|[Aa]nother|[Hh]is|[Hh]er|[Mm]y|[Oo]ur|[Tt]heir)(?:,?\s+(?!(?:and|or|but|then|he|she|they|we|you|it)\b)[a-z][\w’'-]*){1,3}(?:\s+[A-Z][\w’'-]+)?"
_TAG_AFTER = re.compile(
    rf"^[\s,—–-]*(?:(?P<name1>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*){{0,2}}|he|she|I|they|{_DESC})\s+(?:(?:\w+ly|had|then)\s+){{0,2}}(?:{SPEECH_VERBS})\b"
    rf"|(?:{SPEECH_VERBS})\s+(?P<name2>(?:another|one)(?=\s*[.,;!?—–-])|(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*){{0,2}}|(?:he|she|I)\b|{_DESC}))"
)
_SPEAKING = (
    "saying|calling|crying|exclaiming|asking|answering|replying|shouting|whispering|muttering|"
    "murmuring|adding|remarking|calling out|crying out"
)
# (`Nasty Roche had asked:`, `She then said quietly,`)
# (`my father, after showing a great concern at it, said to her, with a sigh,`: a clause
# between subject and verb, a manner after the verb's object; `a baronet, who said`)
_TAG_BEFORE = re.compile(
    rf"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*){{0,2}}|\b[Hh]e|\b[Ss]he|\bI|\b{_DESC})"
    r"(?:,[^,.;:!?\"“”‘’]{1,60},|,?\s+who)?"
    rf"\s+(?:(?:\w+ly|had|has|then|also)\s+){{0,2}}(?:{SPEECH_VERBS})"
    r"(?:\s+\w+){0,3}(?:,\s*(?:with|in)(?:\s+\w+){1,4})?\s*[,:]?\s*$"
)
# A speech verb sharing its subject with the clause before: `He turned and said,`, `and called
# rather than said to him,`, `preceded me up the causeway, calling, as we entered the court,--`.
_AND_SAID = re.compile(
    rf"(?:\band\s+(?:then\s+)?(?:{SPEECH_VERBS})|,\s*(?:{_SPEAKING}))(?:[\s,]+[\w’']+){{0,6}}"
    r"\s*[,:—–-]*\s*$"
)
_SPEECH_LEAD = re.compile(rf"\b(?:{SPEECH_VERBS})\b[^.!?;]*[,:—–-]\s*$")
_SUBJECT = re.compile(
    rf"(?P<desc>{ROLE_DESC})|(\b(?!(?:But|And|Then|So|Yet|Or)\s)(?:{TITLE_ABBREVIATION}\s+)?[A-Z][\w’'-]*(?:\s+(?!{TITLE_ABBREVIATION})[A-Z][\w’'-]*)?\b|\b(?:[Hh]e|[Ss]he|I|[Hh]is|[Hh]im|[Hh]er|[Mm]y)\b)"
)

# (`Mr. Denham`, `Brer Remus`, `Miss Matty`: a title and a name, one form of address)
_ADDRESS = rf"(?:{TITLE_ABBREVIATION}\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?"
_NOT_A_TITLE = r"(?<!\bM[Rr])(?<!\bM[Rr][Ss])(?<!\bM[Ss])(?<!\bD[Rr])(?<!\bS[Tt])"
_VOCATIVE = re.compile(
    rf"(?:^|{_NOT_A_TITLE}[,.!?]\s+)({_ADDRESS})(?=\s*[,.!?]|$)|,\s*({_ADDRESS})\s*[.!?]?$"
)
_REPORTED = re.compile(r"\s+that\b")
# A line told as a voice or reply, not as someone: `came a harsh reply`, `queried a loud voice`,
# `quickly followed the query`, `she heard one voice say`, `a voice called from the dark`.
_VOICES = r"(?:voices?|reply|answer|query|question|response|retort)"
_VOICE_DESC = (
    rf"(?:[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne|[Ss]ome)\s+(?:[a-z][\w’'-]*\s+){{0,2}}?{_VOICES}\b"
)
_VOICE = re.compile(
    rf"[\s,—–-]*(?:(?:\w+ly\s+)?(?:came|comes|followed|follows|{SPEECH_VERBS})\s+(?:\w+ly\s+)?"
    rf"|(?:[A-Z][\w’'-]*|he|she|we|they)\s+(?:\w+ly\s+)?(?:heard|hears|could hear|can hear)\s+)"
    rf"{_VOICE_DESC}|[\s,—–-]*{_VOICE_DESC}(?:\s+from\s+\S+\s+\S+)?\s+(?:{SPEECH_VERBS}|came|comes)\b"
)
_HEARD = re.compile(
    rf"[\s,—–-]*(?P<hearer>[A-Z][\w’'-]*|he|she|we|they)\s+(?:\w+ly\s+)?(?:heard|hears|overheard|"
    rf"could hear|can hear)\s+(?P<heard>{_DESC}|[Oo]ne(?:\s+[a-z][\w’'-]*){{1,3}}|[A-Z][\w’'.-]*"
    rf"(?:\s+[A-Z][\w’'-]*)?)\s+(?:{SPEECH_VERBS}|\w+ing)\b"
)
_POLITE = re.compile(r",\s*(?:sir|madam|ma['’]am|miss|mum|my lord|my lady)\b")
_ADDRESSED = re.compile(r"\s+to\s+([A-Z][\w’'-]*)")
# (A name: `He laughed.` after a quote alone is as often the listener's answer as the speaker.)
_REACTION = re.compile(r"\s+(?:laugh|smil|grin|chuckl|sigh|nod|groan|snort|giggl)\w*\b")
_NEXT_NAMED = re.compile(rf"\b(?!(?:He|She|I|They|We|It)\s)([A-Z][\w’'-]+)\s+(?:{SPEECH_VERBS})\b")


_NESTED = re.compile(r"(?<!\w)‘.*?’(?!\w)|“.*?”|\".*?\"", re.S)


def _vocatives(text: str, resolver: Resolver) -> dict[str, None]:
    """Characters addressed in a quote, in the order they are addressed (a dict keeps it)."""
    found: dict[str, None] = {}
    # (`"Some one said to me, 'Oh, no, Mrs. Hilbery.' What do you read?"`: a speech it quotes
    # addressed someone else)
    if "‘" in text or "“" in text or '"' in text:
        text = _NESTED.sub(" ", text)
    text = text.strip()
    matches = list(_VOCATIVE.finditer(text))
    # `"Pip, sir."`: sir is the one spoken to; Pip is the answer, also when said twice
    # (`"Pip. Pip, sir."`)
    answers = {m.group(1) or m.group(2) for m in matches if _POLITE.match(text, m.end())}
    for m in matches:
        word = (m.group(1) or m.group(2) or "").strip()
        if word in answers or (" " in word and text.strip(" ,.!?") == word):
            continue  # (`"Kaia Fletcher."`: a name given, not a name called)
        c = resolver.by_name(word) or resolver.by_name(word.title())
        if c is None and " " in word:
            # `Brer Remus`, `Mr Easy`: a form of address before the name the cast knows
            c = resolver.by_name(word.split()[-1])
        if c:
            found[c.name] = None
    return found


def attribute_speakers(
    chapters: list[list[str]],
    quotes: list[Quote],
    characters: list[Character],
    narrator: str | None,
    chooser: Chooser | None = None,
) -> None:
    """Set `speaker` and `step` on each quote in place (None when unsure). `chooser` picks among
    candidates for the lines no firm step decides: the shipped model unless given."""
    if chooser is None:
        model = shipped_model()
        chooser = model.choose if model is not None else rules_only
    talk = Talk(Resolver(characters, narrator), quotes)
    for ci, paragraphs in enumerate(chapters, start=1):
        talk.new_chapter()
        for pi in range(len(paragraphs)):
            talk.resolver.next_paragraph()
            if (ci, pi) not in talk.by_para:
                talk.resolver.mention(paragraphs[pi])
                continue
            scene = talk.paragraph(paragraphs, ci, pi)
            for qi in range(len(scene.quotes)):
                line = talk.line(scene, qi)
                q = scene.quotes[qi]
                q.speaker, q.step = decide(line, chooser)
                talk.spoke(scene, line, q.speaker)
            talk.last_speakers = [*talk.last_speakers, scene.speaker][-6:]
    talk.named_as.update(talk.resolver.renamed)
    for q in quotes:
        q.speaker = talk.named_as.get(q.speaker, q.speaker)


_UNREAD = object()


@dataclass
class Paragraph:
    """A paragraph with quotes, and what the talk before it says about them."""

    paragraphs: list[str]
    ci: int
    pi: int
    quotes: list[Quote]
    narration: str  # the paragraph without its quotes
    quote_only: bool
    after_talk: bool  # the paragraph before was talk too
    previous: str  # the paragraph before, if it is narration
    following: str  # the paragraph after, if it is narration
    last_quoted: str | None  # the last speaker, if only narration came between
    addressed_before: dict[str, None]  # who the last paragraph's quotes spoke to by name
    replied_to: str | None  # the last paragraph's speaker, if it was talk
    held: str | None  # the speaker of a speech left open in the paragraph before
    speaker: str | None = None  # this paragraph's first speaker
    voice: str | None = None  # the tag of a line told as a voice (`came a harsh reply`)
    voice_speaker: str | None = None  # who that voice is
    _introduced: object = _UNREAD  # (`introduced`, read once)

    @property
    def text(self) -> str:
        return self.paragraphs[self.pi]

    def introduced(self, resolver: Resolver) -> str | None:
        """Who one of the paragraph's quotes says its speaker is (`"…," the woman continued.
        "Let us begin again. I am Riversong K'Vala."`): a paragraph is one speaker's turn."""
        if self._introduced is _UNREAD:
            self._introduced = next(
                (n for q in self.quotes if (n := _introduced(q.text, resolver))), None
            )
        return self._introduced


@dataclass
class Line:
    """One quotation in its context: everything an attribution step reads."""

    resolver: Resolver
    talk: Talk
    scene: Paragraph
    qi: int
    quote: Quote
    before: str  # the narration before it in its paragraph
    after: str  # the narration after it (or the next paragraph's lower-case opening)
    vocative: dict[str, None]  # who it addresses by name: never its speaker
    listener: str | None  # someone at a loss for an answer after it: not its speaker
    turn: _Turn
    tag: re.Match | None  # its tag after it (`, said Giles`)
    heard: re.Match | None  # `I heard one small urchin grumbling`
    voice: bool  # told as a voice, no one the narration shows
    voiced: bool  # a voice's line going on after its tag
    tagged: str | None = None  # the words a tag names its speaker by, once a tag step read them


class Talk:
    """The conversation so far: who spoke last, to whom, and with whom they talk."""

    def __init__(self, resolver: Resolver, quotes: list[Quote]) -> None:
        self.resolver = resolver
        self.by_para: dict[tuple[int, int], list[Quote]] = {}
        for q in quotes:
            self.by_para.setdefault((q.chapter, q.paragraph), []).append(q)
        self.spoken_to: dict[str, None] = {}  # who the last paragraph's quotes spoke to by name
        # A described speaker the talk names (`the youth` -> `Henry`), and the quote before.
        self.named_as: dict[str, str] = {}
        self.said_before: str | None = None
        self.last_speakers: list[str | None] = []
        # Each speaker's last interlocutor (and the paragraph when they were): one addressed by
        # name, or one answered. `"Hulloa, Emma!" he said.` makes Emma the one who answers him.
        self.partners: dict[str, tuple[str, int]] = {}

    def new_chapter(self) -> None:
        """A chapter's talk does not answer the last chapter's."""
        self.resolver.new_scene()
        self.last_speakers, self.partners = [], {}

    def paragraph(self, paragraphs: list[str], ci: int, pi: int) -> Paragraph:
        by_para, para = self.by_para, paragraphs[pi]
        quotes = by_para[(ci, pi)]
        narration = " ".join(narration_parts(para, [(q.start, q.end) for q in quotes]))
        # A paragraph of talk before this one: also when all between is the last line's tag,
        # split off in lower case (`"…, Katharine?"` / `her mother demanded.` / `"…"`).
        after_talk = pi > 0 and (
            (ci, pi - 1) in by_para
            or (pi > 1 and (ci, pi - 2) in by_para and paragraphs[pi - 1][:1].islower())
        )
        previous = paragraphs[pi - 1] if pi > 0 and not after_talk else ""
        following = (
            paragraphs[pi + 1] if pi + 1 < len(paragraphs) and (ci, pi + 1) not in by_para else ""
        )
        last = self.last_speakers[-1] if self.last_speakers else None
        scene = Paragraph(
            paragraphs, ci, pi, quotes, narration,
            quote_only=not narration.strip(" ,.;:—–-"),
            after_talk=after_talk,
            previous=previous,
            following=following,
            last_quoted=last if previous else None,
            addressed_before=self.spoken_to if after_talk else {},
            replied_to=last if after_talk else None,
            held=_held_open(paragraphs, pi, by_para.get((ci, pi - 1)), quotes[0]),
        )  # fmt: skip
        self.spoken_to = {}
        return scene

    def line(self, scene: Paragraph, qi: int) -> Line:
        resolver, quotes, para = self.resolver, scene.quotes, scene.text
        q = quotes[qi]
        after = para[q.end + 1 : quotes[qi + 1].start - 1 if qi + 1 < len(quotes) else len(para)]
        before = para[(quotes[qi - 1].end + 1) if qi else 0 : max(q.start - 1, 0)]
        vocative = _vocatives(q.text, resolver)
        # (`"Another boy."` / `The woman did not answer.`: the next paragraph, for a quote
        # alone in its own)
        last_in_paragraph = qi + 1 == len(quotes)
        listener = _listener(
            scene.following if scene.quote_only and last_in_paragraph else after, resolver
        )
        resolver.mention(before)
        turn = _Turn(
            scene.last_quoted, scene.speaker, before, scene.previous, scene.addressed_before,
            scene.replied_to, _introduced(q.text, resolver) or scene.introduced(resolver),
        )  # fmt: skip
        next_text = scene.paragraphs[scene.pi + 1] if scene.pi + 1 < len(scene.paragraphs) else ""
        if not after.strip() and last_in_paragraph and next_text[:1].islower():
            # `"My God, girl, what a head of hair!"` / `he exclaimed, …`: the tag opens the
            # next paragraph in lower case, split from its quote
            after = next_text
        after = _lower_speech_verb(after)
        tag = None if _introduced_before(q.text, before, after) else _TAG_AFTER.match(after)
        # (`"That," said a voice in her ear, "is one of…"`: its tag goes on to the end)
        voiced = bool(qi) and scene.voice is not None and before.strip(" ,;—–-") == scene.voice
        voice = voiced or _VOICE.match(after) is not None
        scene.voice = after.strip(" ,;—–-") if voice else None
        heard = None
        if voice:
            tag = None
        elif tag is None and (heard := _HEARD.match(after)):
            # `"…," I heard one small urchin grumbling`: the one heard speaks, the hearer does not
            hearer = resolver.resolve(heard.group("hearer"))
            vocative = {**vocative, hearer: None} if hearer else vocative
        if tag and _REPORTED.match(after, tag.end()):
            # `"Do you know what day it is?" I answered that it was the fourth`: an answer told
            # in the narration, so whoever answers did not ask.
            answerer = resolver.resolve(tag.group("name1") or tag.group("name2"))
            vocative = {**vocative, answerer: None} if answerer else vocative
            tag = None
        addressed = _ADDRESSED.match(after, tag.end()) if tag else None
        if addressed and (c := resolver.by_name(addressed.group(1))):
            vocative = {**vocative, c.name: None}  # "said he to Temple": not the speaker
        return Line(
            resolver, self, scene, qi, q, before, after, vocative, listener, turn, tag, heard,
            voice, voiced,
        )  # fmt: skip

    def spoke(self, scene: Paragraph, line: Line, speaker: str | None) -> None:
        """What a line's speaker changes: who spoke last, who listens, who talks with whom."""
        resolver = self.resolver
        answered = self.said_before if line.qi or scene.after_talk else None
        if answer_names := _named_by_answer(answered, speaker, line.vocative, resolver):
            self.named_as[answered] = answer_names
        self.said_before = speaker
        scene.speaker = scene.speaker or speaker
        scene.last_quoted = speaker
        self.spoken_to.update(line.vocative)
        # Who is spoken to stays in the scene while they listen: the one addressed by name,
        # else the other party of the conversation.
        last = self.last_speakers[-1] if self.last_speakers else None
        listeners = [n for n in line.vocative if n != speaker]
        if not listeners and speaker and self.last_speakers and last != speaker:
            listeners = [last] if last else []
        for name in listeners:
            resolver.touch(name, LISTENER_WEIGHT)
            if speaker:
                self.partners[speaker] = (name, resolver.paragraph)
                self.partners[name] = (speaker, resolver.paragraph)
        if speaker:
            resolver.touch(speaker)
        resolver.mention(line.after)


def rules_only(line: Line, rule: str | None, step: str | None) -> None:
    """A chooser that keeps the rules' answer everywhere."""
    return None


def decide(line: Line, chooser: Chooser) -> tuple[str | None, str | None]:
    """A line's speaker and the step that decided it: the voice rule for a line told as a
    voice; else the first of `EVIDENCE` that finds someone not addressed; a listener at a loss
    is not the speaker; then the first of `TURNS`. The chooser has the last word on the lines
    no firm step decided (`speaker_choice.decides`)."""
    speaker, step = _by_rules(line)
    if line.voice or not decides(step, line.tagged):
        return speaker, step
    choice = chooser(line, speaker, step)
    if choice is None or choice == speaker:
        return speaker, step
    return choice, LEARNED_STEP  # (the rules' step keeps the lines the model agrees with)


def _by_rules(line: Line) -> tuple[str | None, str | None]:
    if line.voice:
        speaker = _voice(line)
        return speaker, ("voice answered or entering" if speaker is not None else None)
    speaker, step = _first(EVIDENCE, line)
    if speaker in line.vocative:
        speaker, step = None, None
    listener = line.listener
    if listener and speaker in (None, listener):
        # the one talking with them, else the last speaker but them
        speaker = _partner(line.talk.partners, listener, line.resolver.paragraph) or next(
            (s for s in reversed(line.talk.last_speakers) if s and s != listener), None
        )
        step = "the listener's partner" if speaker is not None else None
    if speaker is None:
        speaker, step = _first(TURNS, line)
    return speaker, step


def _first(steps, line: Line) -> tuple[str | None, str | None]:
    for name, step in steps:
        if (speaker := step(line)) is not None:
            return speaker, name
    return None, None


# Each step: a line -> the speaker its evidence names, or None to pass the line on.


def _voice(line: Line) -> str | None:
    """`"Wait, huh!" came a harsh reply.` / `"Shut up, Moze."`: a voice, no one the narration
    shows: the one answered by name, or just addressed, else the one who comes in; a voice's
    line after its tag is the same voice's."""
    scene, talk = line.scene, line.talk
    if line.voiced:
        return scene.voice_speaker
    scene.voice_speaker = (
        _addressed_in_reply(
            talk.by_para.get((scene.ci, scene.pi + 1)), line.resolver, line.vocative
        )
        or next((n for n in scene.addressed_before if n not in line.vocative), None)
        or _who_enters(scene.paragraphs, scene.pi, talk.by_para, scene.ci, line.resolver)
    )
    return scene.voice_speaker


def _tag_after(line: Line) -> str | None:
    """`"…," said Giles`, `"…," she whispered`; `said another`: someone of a group."""
    if line.tag is None:
        return None
    tagged = line.tag.group("name1") or line.tag.group("name2")
    if line.tag.group("name2") in ("another", "one"):
        return line.resolver.describe(line.tag.group("name2"))
    return _tag_speaker(line.tag.group(), tagged, line)


def _heard_speaking(line: Line) -> str | None:
    if line.heard is None:
        return None
    return line.resolver.resolve(re.sub(r"^[Oo]ne\b", "a", line.heard.group("heard")))


def _tag_before(line: Line) -> str | None:
    """`Buffy asked, "…"`, or `Dante said:` closing the paragraph before."""
    m = _TAG_BEFORE.search(line.before)
    if m is None and line.qi == 0 and (lead_in := _lead_in(line)):
        m = _TAG_BEFORE.search(_last_sentence(lead_in))
    if m is None:
        return None
    tagged = m.group("name")
    if m.string[max(m.start() - 4, 0) : m.start()] == "the ":
        # `to hear the Heron say to itself,`: a creature known by a capitalised noun is
        # described, not named
        tagged = "the " + tagged
    return _tag_speaker(m.group(), tagged, line)


def _and_then_said(line: Line) -> str | None:
    """`Father Arnall wrote a sum and then said:`: the sentence's subject."""
    before = line.before
    text = before if before.strip(" ,.;:—–-") else line.scene.previous if line.qi == 0 else ""
    clause = _AND_SAID.search(text)
    if clause is None:
        return None
    return _main_subject(_last_sentence(text[: clause.start()]), line.resolver, line.vocative)


def _long_lead_in(line: Line) -> str | None:
    """`…, and leaning across the table she observed, in the tentative manner which always gave
    her phrases …, "…"`: a speech verb a long way before its quote."""
    if line.before.rstrip()[-1:] not in (",", ":", "—", "–", "-"):
        return None
    lead = _SPEECH_LEAD.search(_last_sentence(line.before))
    if lead is None:
        return None
    return _main_subject(lead.string[: lead.start()], line.resolver, line.vocative)


def _held_open_step(line: Line) -> str | None:
    return line.scene.held if line.qi == 0 else None


def _introduces_themself(line: Line) -> str | None:
    return line.turn.introduced


def _same_paragraph(line: Line) -> str | None:
    return line.scene.speaker


def _named_next(line: Line) -> str | None:
    """`"BUFFY!"` / `She didn't hear Faith scream her name`: a quote alone, its speaker named
    speaking in the next paragraph's first sentence (not the one answered laughing)."""
    scene = line.scene
    if not (scene.quote_only and scene.following):
        return None
    m = _NEXT_NAMED.search(_first_sentence(scene.following))
    if m is None:
        return None
    speaker = line.resolver.resolve(m.group(1), exclude=line.vocative)
    if speaker == scene.replied_to and _REACTION.match(scene.following, m.end(1)):
        # `"You are a terrible father," John answers.` / `"Yes, and our kitchen is
        # spotless."` / `John laughs.`: the one answered laughs
        return None
    return speaker


def _the_addressed_answers(line: Line) -> str | None:
    """ "Snake, lend me your pipe." / "Get your own.": the one just addressed by name answers."""
    if not (line.scene.quote_only and line.qi == 0):
        return None
    last = line.talk.last_speakers[-1] if line.talk.last_speakers else None
    return next(
        (n for n in line.scene.addressed_before if n not in line.vocative and n != last), None
    )


def _addressed_in_the_reply(line: Line) -> str | None:
    """ "You naughty boy!" / "Hulloa, Emma!" he said.: the one the reply addresses by name
    spoke the line it answers."""
    if not (line.scene.quote_only and line.qi == 0):
        return None
    reply = line.talk.by_para.get((line.scene.ci, line.scene.pi + 1))
    return _addressed_in_reply(reply, line.resolver, line.vocative)


def _action_beat(line: Line) -> str | None:
    """`He smiled. "…"`: the subject of the paragraph's own narration."""
    narration = line.scene.narration.strip()
    return _beat_subject(narration, line.resolver, line.vocative) if narration else None


def _narration_before(line: Line) -> str | None:
    """A quote alone after narration: the one the narration ends with (heard speaking, else
    the subject of its last clause, sentence, or of all of it); a quote with narration of its
    own that names no one: the narration before's subject."""
    previous, resolver, vocative = line.scene.previous, line.resolver, line.vocative
    if not previous:
        return None
    if line.scene.narration.strip():
        return None if line.scene.quote_only else _beat_subject(previous, resolver, vocative)
    return (
        _heard_speak(previous, resolver, vocative)
        or _beat_subject(_last_clause(previous), resolver, vocative)
        or _beat_subject(_last_sentence(previous), resolver, vocative)
        or _beat_subject(previous, resolver, vocative)
    )


def _not_the_one_addressed(line: Line) -> str | None:
    """A line addressing someone by name: the last speaker who is not them."""
    if not line.vocative or not line.talk.last_speakers:
        return None
    others = [
        s for s in dict.fromkeys(reversed(line.talk.last_speakers)) if s and s not in line.vocative
    ]
    return others[0] if others else None


def _alternation(line: Line) -> str | None:
    """Two people taking turns: the one who spoke before the last speaker."""
    last_speakers = line.talk.last_speakers
    if len(last_speakers) < 2 or last_speakers[-1] == last_speakers[-2]:
        return None
    return _not_the_addressed(line.quote.text, last_speakers[-2], last_speakers[-1], line.resolver)


def _answers_the_last_speaker(line: Line) -> str | None:
    """An answer to the last speaker: the one they were talking with, else whoever else was
    just in the scene."""
    talk, resolver = line.talk, line.resolver
    last = talk.last_speakers[-1] if talk.last_speakers else None
    if not (line.scene.quote_only and last):
        return None
    narrator = resolver.narrator
    return _partner(talk.partners, last, resolver.paragraph) or next(
        (
            n
            for n in reversed(resolver.recent)
            if n != last and resolver.paragraph - resolver.seen.get(n, -99) <= 3
        ),
        narrator if narrator != last else None,
    )


# The attribution steps, in the order they are tried (Muzny et al. 2017's sieve): evidence in
# and around the line, then turn-taking for lines no evidence decides. Each quote records the
# step that decided its speaker (`Quote.step`), so the benchmark can score each step apart.
EVIDENCE = (
    ("tag after", _tag_after),
    ("heard speaking", _heard_speaking),
    ("tag before", _tag_before),
    ("and then said", _and_then_said),
    ("long lead-in", _long_lead_in),
    ("held open", _held_open_step),
    ("introduces themself", _introduces_themself),
    ("same paragraph", _same_paragraph),
    ("named in the next paragraph", _named_next),
    ("the addressed answers", _the_addressed_answers),
    ("addressed in the reply", _addressed_in_the_reply),
    ("action beat", _action_beat),
    ("narration before", _narration_before),
)
TURNS = (
    ("not the one addressed", _not_the_one_addressed),
    ("alternation", _alternation),
    ("answers the last speaker", _answers_the_last_speaker),
)
STEPS = (
    "voice answered or entering", *(n for n, _ in EVIDENCE), "the listener's partner",
    *(n for n, _ in TURNS), LEARNED_STEP,
)  # fmt: skip


def _named_by_answer(
    answered: str | None, speaker: str | None, vocative: dict[str, None], resolver: Resolver
) -> str | None:
    """The name an answer calls a described speaker by (`"Ma, I'm going to enlist." / "Henry,
    don't you be a fool," his mother replied.`: the youth is Henry), if that name is no one the
    narration has shown: a character known to it only by what others call him."""
    if not answered or answered in resolver.named or not speaker or speaker == answered:
        return None
    if len(vocative) != 1:
        return None
    name = next(iter(vocative))
    if name == speaker or name in resolver.seen:
        return None
    theirs, its = resolver.lookup[answered].gender, resolver.lookup[name].gender
    return name if None in (theirs, its) or theirs == its else None


_CAPITAL_VERB = re.compile(rf"^(\s*)((?:{SPEECH_VERBS.title()})\s+(?:the\s|[A-Z]))")


def _lower_speech_verb(after: str) -> str:
    """`'You got it, boss.' Said the clone.`: a speech verb some writers capitalise after the
    quote is its tag all the same (`said the clone`)."""
    m = _CAPITAL_VERB.match(after)
    if m is None:
        return after
    return m.group(1) + m.group(2)[0].lower() + after[m.end(1) + 1 :]


_ENTERS = re.compile(
    rf"\s*(?P<who>{_DESC}|[A-Z][\w’'-]*)\s+(?:\w+ly\s+)?(?:entered|came in|walked in|stepped in"
    r"|stepped out|appeared|came out)\b"
)
_SOMEONE_NEW = re.compile(rf"(?={ROLE_DESC})\b[Aa]n?\s[^.!?;:]*?\b(?:{ROLES})\b")
_VOICE_LOOKAHEAD = 5  # paragraphs: a short exchange before the unseen speaker comes into view


def _who_enters(
    paragraphs: list[str],
    pi: int,
    by_para: dict[tuple[int, int], list[Quote]],
    ci: int,
    resolver: Resolver,
) -> str | None:
    """The one who comes into view after a voice is heard: the first narration after the talk
    opens with someone entering (`"Ho there, inside!" called a voice from the darkness.` …
    `The newcomer entered.`), else brings someone new in (`For some time she had been
    conscious of a man behind.`)."""
    for j in range(pi + 1, min(pi + 1 + _VOICE_LOOKAHEAD, len(paragraphs))):
        if (ci, j) in by_para:
            continue
        if m := _ENTERS.match(paragraphs[j]):
            return resolver.resolve(m.group("who"))
        m = _SOMEONE_NEW.search(paragraphs[j])
        return resolver.resolve(m.group()) if m else None
    return None


class _Turn(NamedTuple):
    """What a tag's words are read against."""

    last_quoted: str | None  # the last quote's speaker, if only narration came between
    earlier: str | None  # this paragraph's speaker so far
    before: str  # the narration before the quote in its paragraph
    previous: str  # the paragraph before, if it is narration only
    addressed: dict[str, None]  # who the last paragraph's quotes addressed by name
    replied_to: str | None  # the last paragraph's speaker, if it was a quote's
    introduced: str | None  # who the quote says the speaker is (`"I am Orla Briggs."`)


def _tag_speaker(tag: str, tagged: str, line: Line) -> str | None:
    """Who a tag names: whoever goes on, a described speaker again, the one just addressed or
    talked with, else the words' own referent (never one the line addresses)."""
    turn, vocative, resolver = line.turn, line.vocative, line.resolver
    replied_to = turn.replied_to
    line.tagged = tagged
    if tagged.endswith(".") and not re.search(rf"(?:^|\s){TITLE_ABBREVIATION}$", tagged):
        tagged = tagged[:-1]  # `said Elinor.`: the sentence's stop, not a `Mr.`
    if turn.introduced and (tagged.split()[0].lower() in DETERMINERS or tagged in PRONOUN):
        return turn.introduced  # `"I am Orla Briggs," the girl said.`
    titled = resolver.titled_as(tagged) if tagged.split()[0].lower() == "the" else None
    if titled and titled not in vocative:
        return titled  # `continued the doctor`: Dr. Middleton, whoever spoke last
    if tagged.strip().lower() in ("he", "she"):
        # `"Oh," she said, upon seeing Kaia's expression`: not anyone her own clause names
        vocative = {**vocative, **_named_in_clause(line.after, resolver)}
    return (
        _continuing(tag, tagged, turn.last_quoted, resolver)
        or _described_goes_on(tagged, turn.earlier, turn.before, turn.previous, resolver)
        or _addressed_answers(tagged, turn.addressed, vocative, resolver)
        or _other_party(tagged, line.talk.partners, replied_to, vocative, resolver)
        or resolver.resolve(tagged, exclude=_not_described(tagged, vocative, replied_to))
    )


def _named_in_clause(after: str, resolver: Resolver) -> dict[str, None]:
    """The characters named in a tag's own sentence, after the quote."""
    sentence = after[: _sentence_end(after, 0)]
    named: dict[str, None] = {}
    for word in _NAME.findall(sentence):
        if c := resolver.by_name(POSSESSIVE.sub("", word)):
            named[c.name] = None
    return named


_INTRODUCTION = re.compile(
    r"(?:^|[.!?,;]\s+)(?:I am|I['’]m|[Mm]y name is)\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)(?![\w’'])"
)


def _introduced(text: str, resolver: Resolver) -> str | None:
    """The character a quote introduces its speaker as: `"I am Orla Briggs."`, `"My name is
    Tobias."` (not `"I am Orla's friend."`)."""
    m = _INTRODUCTION.search(text)
    if m is None or text.startswith(("'s", "’s"), m.end()):
        return None
    c = resolver.by_name(m.group(1))
    return c.name if c else None


# `Philip did not know what she meant.`, `He made no answer.`, `Jack doesn't reply.`: someone
# left at a loss by the words.
_WHO = r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?|[Tt]he\s+[a-z]+"
_AT_A_LOSS = re.compile(
    rf"\s*(?P<who>{_WHO})\s+(?:(?:(?:did|could|does|can)(?:\s+not|n['’]t)|cannot)\s+(?:quite\s+)?"
    r"(?:answer|reply|respond|understand|know what)|(?:made|makes|gave|gives)\s+no\s+(?:answer|reply)"
    r"|(?:said|says)\s+nothing(?!\s+(?:more|else|further)))\b"
)


def _listener(after: str, resolver: Resolver) -> str | None:
    """The one a quote's words were said to, when the narration after it in its paragraph opens
    with someone at a loss for an answer (`"She has gone away." Philip did not know what she
    meant.`): the one who does not answer or understand did not speak."""
    m = _AT_A_LOSS.match(after)
    return resolver.resolve(m.group("who")) if m else None


# (Not a title: `Sir Walter`, `Madam Ling`.)
_SIR = re.compile(r"\b(?:[Ss]ir|[Mm]y lord)\b(?!\s+[A-Z])")
_MADAM = re.compile(r"\b(?:[Mm]adam|[Mm]a['’]am|[Mm]y lady)\b(?!\s+[A-Z])")


def _not_the_addressed(
    text: str, turn: str | None, last: str | None, resolver: Resolver
) -> str | None:
    """Whose turn it is (`turn`), unless the line says `sir` and they are the man the last
    speaker, a woman, talks to (`'Lor bless her, no!' interposed the nurse.` / `'When she has
    lived as long as I have, sir, …'`: the nurse goes on; likewise `madam` to a woman)."""
    if not turn or not last:
        return turn
    addressed = "he" if _SIR.search(text) else "she" if _MADAM.search(text) else None
    if addressed is None or turn not in resolver.lookup or last not in resolver.lookup:
        return turn
    their, mine = resolver.lookup[turn].gender, resolver.lookup[last].gender
    if their == addressed and mine and mine != addressed:
        return last
    return turn


def _held_open(
    paragraphs: list[str], pi: int, before: list[Quote] | None, first: Quote
) -> str | None:
    """The speaker of a speech running on from the paragraph before: its quote was left open
    (no closing mark: the convention for a speech of several paragraphs) and this paragraph
    opens with a quote mark again. Not dash dialogue, where no line has a closing mark."""
    if not before or first.start > 1:
        return None
    last, text = before[-1], paragraphs[pi - 1]
    opened = last.start > 0 and text[last.start - 1] in OPENING_QUOTES
    return last.speaker if opened and not text[last.end :].strip() else None


_CONTINUING = re.compile(r"\b(?:continued|continues|went on|goes on|resumed|resumes|pursued)\b")


def _continuing(tag: str, tagged: str, last: str | None, resolver: Resolver) -> str | None:
    """The last quote's speaker when a tag says they go on and only describes who (`"…,"
    continued the sergeant` after Bibot spoke is Bibot), if their sexes agree. `last`: None
    when someone else spoke in between (then the one described resumes their own talk)."""
    if not last or last not in resolver.named or not _CONTINUING.search(tag):
        return None
    words = tagged.split()
    if words[0].lower() not in DETERMINERS:
        return None  # a name or a pronoun says who goes on
    gender = head_gender(words[-1].lower())
    known = resolver.lookup[last].gender
    return last if gender is None or known is None or gender == known else None


def _described_goes_on(
    tagged: str, earlier: str | None, before: str, previous: str, resolver: Resolver
) -> str | None:
    """`"…," laughed the saloon-keeper. "…," he added.`: a `he`/`she` tag after a described
    speaker of no known sex in the same paragraph is them again, and says their sex; so is one
    after the narration opening the paragraph with such a subject (`The gatekeeper looked
    after the cart. "…," he said`), or after a named one's, of no known sex either."""
    kind = PRONOUN.get(tagged.strip().lower())
    if kind not in ("he", "she"):
        return None
    if not (earlier and resolver.genderless(earlier)):
        earlier = resolver.topic if before.strip() else None
        if not resolver.genderless(earlier) or resolver.seen[earlier] != resolver.paragraph:
            earlier = _named_topic(before, previous, resolver)
            if earlier is None:
                return None
    resolver.lookup[earlier].gender = kind
    return earlier


def _named_topic(before: str, previous: str, resolver: Resolver) -> str | None:
    """The named subject of the narration just before a quote, when no word has said their
    sex (`At dusk Rook came back.` / `"Boss, riders," he said.`): the likeliest `he`."""
    narration = before if before.strip() else previous
    for m in _SUBJECT.finditer(_last_sentence(narration)) if narration else ():
        if m.group("desc") or m.group(2).lower() in PRONOUN:
            return None  # someone else opens the sentence
        if c := resolver.by_name(m.group(2)):
            named = c.gender is None and not c.narrator and c.name in resolver.named
            return c.name if named else None
    return None


def _not_described(tagged: str, vocative: dict[str, None], last: str | None) -> Collection[str]:
    """Who a description in a reply's tag cannot be: the one addressed, and the last speaker
    (`"…," said Tobias.` / `"…," said the young man.`: a new turn, a new speaker)."""
    if last and tagged.split()[0].lower() in DETERMINERS:
        return {**vocative, last: None}
    return vocative


def _addressed_answers(
    tagged: str, addressed: Collection[str], vocative: Collection[str], resolver: Resolver
) -> str | None:
    """The one the last quote addressed by name, when the tag of its answer describes someone
    not met before (`"Orla, where is it?" asked Tobias.` / `"Wait," replied the captain.`):
    the narrator varies how they call the one who answers, it brings in no one new."""
    desc = _new_description(tagged, resolver) if addressed else None
    if desc is None:
        return None
    gender = head_gender(desc.split()[-1])
    for name in addressed:
        if name not in vocative and gender in (None, resolver.lookup[name].gender or gender):
            return name
    return None


# Heads that say only how someone stands to the scene, not who they are or do.
_RELATIONAL = {
    "other",
    "visitor",
    "stranger",
    "newcomer",
    "guest",
    "companion",
    "comrade",
    "interlocutor",
}


def _other_party(
    tagged: str,
    partners: dict[str, tuple[str, int]],
    last: str | None,
    vocative: Collection[str],
    resolver: Resolver,
) -> str | None:
    """In a two-person exchange, `the visitor` or `the other` in a reply's tag, never met before,
    is the last speaker's interlocutor (`"Yes," said Tobias.` / `"Good," said the visitor.`):
    such a head places someone in the scene, it does not bring them in. So is `his companion`,
    met before or not: it is whoever is with him."""
    if not last:
        return None
    words = tagged.split()
    possessive = len(words) == 2 and words[0].lower() in ("his", "her") and words[1] in _RELATIONAL
    relational = possessive or _new_description(tagged, resolver, _RELATIONAL)
    if not relational and not (new := _new_description(tagged, resolver)):
        return None
    other = _partner(partners, last, resolver.paragraph)
    if not other or other in vocative:
        return None
    if not relational:
        # `"…," said the stone-breaker`: a new description in a reply is the one talked with,
        # if that is someone named whose sex does not clash with it
        gender, known = head_gender(new.split()[-1]), resolver.lookup[other].gender
        if other not in resolver.named or (gender and known and gender != known):
            return None
    return other


def _new_description(
    tagged: str, resolver: Resolver, heads: Collection[str] | None = None
) -> str | None:
    """`the …` not met before (by its words or its head), if its head is one of `heads`."""
    if tagged.split()[0].lower() != "the":
        return None
    desc = description(tagged)
    if desc is None or desc in resolver.lookup:
        return None
    head = desc.split()[-1]
    if head in resolver.by_head or (heads is not None and head not in heads):
        return None
    return desc


def _introduced_before(text: str, before: str, after: str) -> bool:
    """Whether a quote's own tag comes before it and what follows is a new sentence: in
    `"Yes," I said, "Tobias Venn." She smiled.` the smile is hers, the words are mine."""
    return (
        text.rstrip()[-1:] in ".!?"
        and after.lstrip()[:1].isupper()
        and before.rstrip()[-1:] in ",:"
        and _TAG_BEFORE.search(before) is not None
    )


def _lead_in(line: Line) -> str:
    """The narration closing the paragraph before with a colon (`Dante said:`), if it does: it
    introduces this paragraph's first quote, even after a quote of its own (`"Do you know?" I
    answered no. She shook her head as she said again:`)."""
    scene = line.scene
    if scene.pi == 0 or not scene.paragraphs[scene.pi - 1].rstrip().endswith(":"):
        return ""
    prior = scene.paragraphs[scene.pi - 1]
    quotes = line.talk.by_para.get((scene.ci, scene.pi - 1))
    return prior[quotes[-1].end + 1 :] if quotes else prior


def _addressed_in_reply(
    reply: list[Quote] | None, resolver: Resolver, exclude: Collection[str]
) -> str | None:
    """The person the next paragraph's first quote addresses by name, if it has one: the last
    such word, as a greeting goes first (`"Hulloa, Emma!"`)."""
    if not reply:
        return None
    addressed = [n for n in _vocatives(reply[0].text, resolver) if n not in exclude]
    return addressed[-1] if addressed else None


def _partner(partners: dict[str, tuple[str, int]], speaker: str, paragraph: int) -> str | None:
    """Whom `speaker` was last talking with, if that was within the last few paragraphs."""
    other, since = partners.get(speaker, (None, -99))
    return other if paragraph - since <= _CONVERSATION_GAP else None


_CONVERSATION_GAP = 4  # paragraphs after which a conversation may have moved on


# Parts of a sentence with no subject of their own: `pointed to the dagger`, `perhaps a little
# piqued by the traveller's indifference`, `when he had packed his burro`.
_SUBJECTLESS = re.compile(
    r"\s*(?:[a-z]+ed|[a-z]+ing|(?:[a-z]+\s+){0,3}[a-z]+ed\s+by"
    r"|when|while|as|if|though|although|because|after|before|since|until|till)\b"
)
_MAIN_CLAUSE_BREAK = re.compile(r",\s+|\s+and\s+(?=[A-Z]|(?:he|she|the)\s)")


def _main_subject(sentence: str, resolver: Resolver, exclude: Collection[str]) -> str | None:
    """The subject of a sentence's last main clause: after a leading subordinate clause
    (`Just before I was leaving, the old lady came up`), the first person after its comma; after
    `and` opening a clause of its own, its subject (`Then Jack cracked his fingers and Father
    Arnall looked at his copybook and said:`). A part opening with a verb has no subject of
    its own (`The dying Indian sank to his knees, pointed to the dagger in Herncastle's hand,
    and said`)."""
    for part in reversed(_MAIN_CLAUSE_BREAK.split(sentence)):
        if _SUBJECTLESS.match(part):
            continue
        if subject := _beat_subject(part, resolver, exclude):
            return subject
    return None


# `He heard her speak.`, `Orla heard Tobias call out`: the one heard speaks next.
_HEARD_SPEAK = re.compile(
    r"\b(?:heard|hears|could hear)\s+(?P<heard>[Hh]er|[Hh]im|[A-Z][\w’'-]*)\s+"
    r"(?:speak|say|said|call|cry|shout|whisper|ask|answer|reply)\b"
)


def _heard_speak(previous: str, resolver: Resolver, exclude: Collection[str]) -> str | None:
    """The one the narration's last sentence hears speak, for a quote alone after it (`Emma
    knocked at the door and walked in. He heard her speak.` / `"Master Philip wants to say
    good-bye to you, miss."`: Emma, not the one who hears)."""
    sentence = _last_sentence(previous)
    m = _HEARD_SPEAK.search(sentence)
    if m is None:
        return None
    # (`She heard her speak`: the one heard is not the hearer)
    hearer = _beat_subject(sentence[: m.start()], resolver, exclude)
    heard = m.group("heard")
    heard = {"her": "she", "him": "he"}.get(heard.lower(), heard)
    return resolver.resolve(heard, exclude={*exclude, hearer} if hearer else exclude)


def _last_clause(text: str) -> str:
    """The last sentence's last clause (`Meg lit the lamp, and even Jo sat up`; `such a ring
    in his voice that I glanced up`): whoever acts last before a quote alone in its paragraph
    most often speaks it. A clause after `that` is one only after `so`/`such` (a result):
    in `She only hoped that he would feel the same` she does the hoping, and speaks."""
    clause = _CLAUSE_BREAK.split(_last_sentence(text))[-1]
    if _SO_OR_SUCH.search(clause):
        clause = _RESULT.split(clause)[-1]
    return clause


_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but)\s+")
_SO_OR_SUCH = re.compile(r"\b(?:[Ss]o|[Ss]uch)\b")
_RESULT = re.compile(r"\s+that\s+(?=(?:I|he|she)\s)")


def _last_sentence(text: str) -> str:
    text = text.rstrip()
    # (From near the end: a long paragraph has many sentences before its last.)
    near_end = max(0, len(text) - _LONG_SENTENCE)
    ends = _sentence_ends(text, near_end) or (_sentence_ends(text, 0) if near_end else [])
    return text[ends[-1] :] if ends else text


def _sentence_ends(text: str, start: int) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text, start) if m.end() < len(text)]


_LONG_SENTENCE = 400  # characters


# (Not `Mrs. Hilbery`'s full stop.)
_SENTENCE_END = re.compile(
    r"[.!?…](?<!\bM[Rr]\.)(?<!\bM[Rr][Ss]\.)(?<!\bM[Ss]\.)(?<!\bD[Rr]\.)(?<!\bS[Tt]\.)(?:\s|$)"
)


def _first_sentence(text: str) -> str:
    return text[: _sentence_end(text, 0)]


def _narration(para: str, para_quotes: list[Quote]) -> str:
    return " ".join(narration_parts(para, [(q.start, q.end) for q in para_quotes]))


_NAME = re.compile(r"\b[A-Z][\w’'-]+")


def _sentence_end(text: str, start: int) -> int:
    m = _SENTENCE_END.search(text, start)
    return m.end() if m else len(text)


def _beat_subject(text: str, resolver: Resolver, exclude: Collection[str]) -> str | None:
    """The first person named, described or pronoun in a stretch of narration."""
    for m in _SUBJECT.finditer(text):
        if desc := m.group("desc"):
            name = resolver.described(desc)
            if name is None:
                return resolver.resolve(head_gender(desc.split()[-1]), exclude=exclude)
            return None if name in exclude else name
        token = m.group(2)
        low = token.lower()
        if low in PRONOUN:
            # (`His hand fits on Sherlock's shoulder.`: not anyone the sentence goes on to name)
            named = {
                c.name
                for later in _NAME.findall(text, m.end(), _sentence_end(text, m.end()))
                if (c := resolver.by_name(POSSESSIVE.sub("", later)))
            }
            return resolver.resolve(low, exclude={*exclude, *named} if named else exclude)
        if POSSESSIVE.search(token) and (other := SOMEONE_ELSE.match(text, m.end())):
            # `Cameron's companion faced about`: whoever is with Cameron, not Cameron
            head = other.group().split()[-1]
            owner = resolver.resolve(token)
            if head in _RELATIONAL:
                return resolver.companion_of(owner, exclude)
            return resolver.resolve("the " + head, exclude={*exclude, owner})
        name = resolver.resolve(token, exclude=exclude)
        if name:
            return name
    return None
