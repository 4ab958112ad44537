"""Likely pairings: which characters share scenes and talk to each other, and whether it reads as romance.

Evidence for a pair, counted over a sliding window of three paragraphs:
- presence together (both named, or one named and the other speaking),
- dialogue between them (one quotation answered by the other),
- romantic or sexual cues (`kissed`, `lover`, `I love you`) in the paragraphs they share.
Pairs with enough evidence become tags in the Archive of Our Own's convention: `A/B` when the
shared paragraphs carry romantic cues, `A & B` otherwise, and for family (kinship words as
often as love's, `brother`, `nii-san`, or one surname) even where love is spoken of.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import combinations

from .lexicon import TITLES
from .model import Character, Quote

# Matched against lower-cased text; the lookahead skips words that cannot start a cue.
_ROMANCE = re.compile(
    r"\b(?=[abcdeghklmnstw])(?:kiss(?:ed|es|ing)?|lips|lover|lovers|love[ds]?|loving|darling|sweetheart|honey|beloved|"
    r"embrac(?:e|ed|es|ing)|caress(?:ed|es|ing)?|naked|moan(?:ed|s|ing)?|desire[ds]?|aroused|"
    r"bed|blush(?:ed|es|ing)?|husband|wife|married|marry|wedding|boyfriend|girlfriend|date|"
    r"cuddl(?:e|ed|es|ing)|nuzzl(?:e|ed|es|ing)|breasts?|thighs?|my girl|my boy)\b"
)
# Kinship (`brother`, `her mother`, `nii-san`): a pair that is family, whatever love it shows.
_KIN = re.compile(
    r"\b(?=[abcdfgimnostu])(?:brothers?|sisters?|siblings?|twins?|mother|father|sons?|daughters?|"
    r"cousins?|uncle|aunt|nephew|niece|grand(?:father|mother|son|daughter|pa|ma)|mum|mom|dad|"
    r"papa|mama|aniki|aniue|otouto|imouto|nii-?(?:san|sama|chan)|nee-?(?:san|sama|chan))\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
_WINDOW = 3  # paragraphs
_MAX_PAIRS = 3
_MIN_CONFIDENCE = 0.35


def _mentions_by_paragraph(
    chapters: list[list[str]], characters: list[Character]
) -> list[set[str]]:
    """Which characters each paragraph names, by any word of their names except titles."""
    lookup: dict[str, str] = {}
    for c in characters:
        if c.name != "narrator":
            for name in (c.name, *c.aliases):
                for word in name.split():
                    if word[-1] != "." and word.lower() not in TITLES:
                        lookup.setdefault(word, c.name)
    get = lookup.get
    return [
        {name for word in _CAPITALISED.findall(para) if (name := get(word))}
        for paragraphs in chapters
        for para in paragraphs
    ]


def find_relationships(
    chapters: list[list[str]], characters: list[Character], quotes: list[Quote]
) -> list[dict]:
    """Pairs of named characters with evidence: `{"pair", "kind", "confidence", "evidence"}`."""
    named = {c.name for c in characters if c.name != "narrator"}
    present = _mentions_by_paragraph(chapters, characters)
    offsets, n = {}, 0
    for ci, paragraphs in enumerate(chapters, start=1):
        offsets[ci] = n
        n += len(paragraphs)
    spoken: dict[int, list[str]] = {}
    for q in quotes:
        if q.speaker in named:
            index = offsets[q.chapter] + q.paragraph
            present[index].add(q.speaker)
            spoken.setdefault(index, []).append(q.speaker)
    if len({name for here in present for name in here}) < 2:
        return []
    paras = [para for paragraphs in chapters for para in paragraphs]

    together: Counter = Counter()
    cues: Counter = Counter()
    kin: Counter = Counter()
    for i in range(len(present)):
        window = set().union(*present[max(0, i - _WINDOW + 1) : i + 1])
        if len(window) < 2:
            continue
        romance = kinship = None
        for pair in combinations(sorted(window), 2):
            if pair[0] in present[i] or pair[1] in present[i]:
                together[pair] += 1
            # Cues count in a paragraph of the two alone, both in it or one just before (`"I
            # love you," Teodor said, and kissed her.`): a kiss in a scene shared with others
            # says nothing of a mentor and his pupil.
            near = present[i] | present[i - 1] if i else present[i]
            if present[i] and present[i] <= set(pair) and set(pair) <= near:
                if romance is None:
                    lower = paras[i].lower()
                    romance, kinship = len(_ROMANCE.findall(lower)), len(_KIN.findall(lower))
                cues[pair] += romance
                kin[pair] += kinship
    talk: Counter = Counter()
    turns = [s for i in sorted(spoken) for s in spoken[i]]
    for a, b in zip(turns, turns[1:]):
        if a != b:
            talk[tuple(sorted((a, b)))] += 1

    evidence = {pair: shared + 2 * talk[pair] for pair, shared in together.items()}
    strongest = max(evidence.values(), default=0)
    results = []
    for pair, shared in together.items():
        # Evidence counts for itself (a few shared scenes say little) and against the work's
        # strongest pair: in a long story, a couple of scenes together is a meeting, not a
        # pairing, however many words the story has.
        found = 1 - math.exp(-evidence[pair] / 8)
        confidence = found * math.sqrt(evidence[pair] / strongest)
        if confidence < _MIN_CONFIDENCE:
            continue
        # Brothers who love each other are family: kinship said as often as love is (a shared
        # surname counts once for it), and a married couple's `wife` is love's cue.
        family = kin[pair] + _same_surname(pair) >= max(2, cues[pair])
        romantic = not family and cues[pair] >= 2 and cues[pair] / shared >= 0.1
        kind = "family" if family else "romantic" if romantic else "platonic"
        results.append(
            {
                "pair": pair,
                "kind": kind,
                "confidence": round(confidence * (0.9 if romantic else 0.7), 2),
                "evidence": {
                    "together": shared,
                    "exchanges": talk[pair],
                    "cues": cues[pair],
                    "kin": kin[pair],
                },  # fmt: skip
            }
        )
    results.sort(key=lambda r: -evidence[r["pair"]])
    return results[:_MAX_PAIRS]


def _same_surname(pair: tuple[str, str]) -> int:
    """1 when both of a pair have full names ending in one surname (`Madara Uchiha`, `Izuna
    Uchiha`), else 0."""
    last = set()
    for name in pair:
        words = [w for w in name.split() if w.rstrip(".").lower() not in TITLES]
        if len(words) < 2:
            return 0
        last.add(words[-1])
    return int(len(last) == 1)
