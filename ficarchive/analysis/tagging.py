"""From what the analysis found to suggested tags: fandoms, canonical character tags, relationships.

The fandom registry maps detected names to fandoms; a second fandom is suggested only when it
explains characters the first does not (a crossover), not because it shares the first's cast
(Spike is in both *Buffy* and *Angel*).
"""

from __future__ import annotations

import math

from .characters import core_name
from .fandoms import Registry, ship_tag
from .model import Analysis, Character

MIN_FANDOM_CONFIDENCE = 0.5


def suggest_fandoms(characters: list[Character], registry: Registry) -> list[dict]:
    """Fandoms the cast points at, with confidence; fills each character's canonical `tag`."""
    cast = [c for c in characters if c.name != "narrator"]
    names = [n for c in cast for n in (c.name, *c.aliases)]
    total = sum(c.mentions for c in cast) or 1
    chosen = []
    explained: set[str] = set()
    for match in registry.match_characters(names, min_confidence=MIN_FANDOM_CONFIDENCE):
        tags = set(match.characters.values())
        if chosen and tags <= explained:
            continue
        # A fandom must explain a good part of the cast: one minor "Pike" in an original story
        # is not Star Trek, while a story all about "Spike" is Buffy.
        share = sum(c.mentions for c in cast if {c.name, *c.aliases} & match.characters.keys())
        confidence = match.confidence * math.sqrt(share / total)
        if confidence < MIN_FANDOM_CONFIDENCE:
            continue
        chosen.append((match, confidence))
        explained |= tags
    fandoms = []
    for match, confidence in chosen:
        fandoms.append({"name": match.fandom, "confidence": round(confidence, 2)})
        fandom = registry.fandom(match.fandom)
        for c in characters:
            tag = next(
                (match.characters[n] for n in (c.name, *c.aliases) if n in match.characters), None
            )
            if tag and c.tag is None:
                c.tag = tag
                listed = fandom.character(tag)
                if c.gender is None and listed is not None:
                    c.gender = listed.gender
    return fandoms


def character_tag(c: Character) -> str:
    """The tag for a character: the fandom's canonical one, else the name without its title."""
    return c.tag or core_name(c.name)


def relationship_tags(analysis: Analysis, pairs: list[dict], registry: Registry) -> list[dict]:
    """`A/B` or `A & B` tags for the pairs, with the fandom's canonical names where known."""
    by_name = {c.name: c for c in analysis.characters}
    fandom = analysis.fandoms[0]["name"] if analysis.fandoms else None
    out = []
    for pair in pairs:
        a, b = (by_name[n] for n in pair["pair"])
        tags = {character_tag(a), character_tag(b)}
        if len(tags) < 2 or any(tags == set(r["characters"]) for r in out):
            continue  # two names the text keeps apart that the fandom knows as one person
        romantic = pair["kind"] == "romantic"
        if fandom:
            tag = registry.relationship_tag(fandom, character_tag(a), character_tag(b), romantic)
        else:
            tag = ship_tag(character_tag(a), character_tag(b), romantic)
        out.append(
            {
                "tag": tag,
                "kind": pair["kind"],
                "confidence": pair["confidence"],
                "characters": [character_tag(a), character_tag(b)],
            }
        )
    return out
