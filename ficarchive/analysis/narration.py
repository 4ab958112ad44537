"""Point of view and tense of narration (the text outside quotations)."""

from __future__ import annotations

import re
from collections import Counter

_PAST_IRREGULAR = set(
    [
        "was",
        "were",
        "had",
        "did",
        "said",
        "went",
        "came",
        "saw",
        "knew",
        "thought",
        "took",
        "made",
        "got",
        "gave",
        "told",
        "felt",
        "found",
        "left",
        "looked",
        "began",
        "became",
        "brought",
        "kept",
        "held",
        "stood",
        "sat",
        "ran",
        "heard",
        "meant",
        "let",
        "put",
        "set",
        "seemed",
        "turned",
        "tried",
        "asked",
        "could",
        "would",
        "should",
        "might",
        "wrote",
        "spoke",
        "broke",
        "fell",
        "rose",
        "drew",
        "grew",
        "threw",
        "caught",
        "taught",
        "bought",
        "fought",
        "sought",
        "lay",
        "lost",
        "led",
        "met",
        "paid",
        "sent",
        "spent",
        "built",
        "struck",
        "woke",
        "shook",
        "forgot",
        "understood",
        "swallowed",
    ]
)
_PRESENT_IRREGULAR = set(
    [
        "am",
        "is",
        "are",
        "has",
        "does",
        "says",
        "goes",
        "comes",
        "sees",
        "knows",
        "thinks",
        "takes",
        "makes",
        "gets",
        "gives",
        "can",
        "will",
    ]
)
_NOT_VERBS = set(
    [
        "just",
        "only",
        "still",
        "never",
        "always",
        "also",
        "then",
        "now",
        "even",
        "really",
        "almost",
        "already",
        "too",
        "not",
        "so",
        "again",
        "once",
        "quickly",
        "slowly",
        "softly",
        "finally",
        "suddenly",
    ]
)


# The lookahead on the first letter lets the regex engine skip most words cheaply.
_PRONOUN = re.compile(
    r"\b(?=[IiMmYyHhSsTt])(?:I|me|my|myself|I['’]m|you|your|yourself|he|she|him|her|his|they|them|"
    r"hers|himself|herself|Me|My|You|Your|He|She|Him|Her|His|They|Them)\b"
)
# A subject pronoun and the word after it, as pairs ("she", "ran").
_SUBJECT_VERB = re.compile(
    r"\b(?=[IiWwTtYyHhSs])(?<![’'])(I|[Ww]e|[Tt]hey|[Yy]ou|[Hh]e|[Ss]he|[Ii]t)\s+([\w’']+)"
)


def pronoun_counts(narration: str) -> Counter:
    """Personal pronouns in a stretch of narration, lower-cased: what POV and gender rest on."""
    return Counter(w.lower() for w in _PRONOUN.findall(narration))


def tense_counts(narration: str) -> Counter:
    """Subject-verb pairs read as `past` or `present` ("she ran" / "I pull")."""
    counts: Counter = Counter()
    for subject, verb in _SUBJECT_VERB.findall(narration):
        subject, verb = subject.lower(), verb.lower()
        if verb in _NOT_VERBS:
            continue
        if verb in _PAST_IRREGULAR or (verb.endswith("ed") and len(verb) > 3):
            counts["past"] += 1
        elif (
            verb in _PRESENT_IRREGULAR
            or (subject in {"he", "she", "it"} and verb.endswith("s") and not verb.endswith("ss"))
            or (
                subject in {"i", "we", "they", "you"}
                and verb.isalpha()
                and not verb.endswith("ed")
                and len(verb) > 2
            )
        ):
            counts["present"] += 1
    return counts


def pov_from(words: Counter) -> str | None:
    """`first` when the narrator says I/me/my as often as others are he/she; else third/second."""
    first = words["i"] + words["me"] + words["my"] + words["myself"] + words["i'm"] + words["i’m"]
    second = words["you"] + words["your"] + words["yourself"]
    third = sum(
        words[w]
        for w in ("he", "she", "him", "her", "his", "they", "them", "hers", "himself", "herself")
    )
    total = first + second + third
    if total < 5:
        return None
    if first >= 0.25 * total:
        return "first"
    if second >= 0.4 * total and second > first:
        return "second"
    return "third"


def tense_from(counts: Counter) -> str | None:
    """Past or present, whichever the subject-verb pairs show more of."""
    past, present = counts["past"], counts["present"]
    if past + present < 3:
        return None
    return "present" if present > past else "past"


def narration_pov(narration: str) -> str | None:
    return pov_from(pronoun_counts(narration))


def narration_tense(narration: str) -> str | None:
    return tense_from(tense_counts(narration))
