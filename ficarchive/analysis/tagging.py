"""From what the analysis found to suggested tags: fandoms, canonical character tags, relationships.

The fandom registry maps detected names to fandoms; a second fandom is suggested only when it
explains characters the first does not (a crossover), not because it shares the first's cast
(Spike is in both *Buffy* and *Angel*).
"""

from __future__ import annotations

import math
import re

from ficarchive.text.model import TagType

from .characters import core_name, title_gender
from .fandoms import Registry, ship_tag
from .fandoms.registry import FandomCharacter, normalize_name
from .model import Analysis, Character

MIN_FANDOM_CONFIDENCE = 0.5
# Machine suggestions a reviewer has to read, per work: the strongest few of each kind, and
# nothing the analysis itself is unsure of.
SUGGESTION_CAPS = {TagType.FANDOM: 3, TagType.RELATIONSHIP: 5, TagType.CHARACTER: 10}
MIN_SUGGESTION_CONFIDENCE = 0.25
MIN_CHARACTER_MENTIONS = 2  # one mention is too little evidence for a character tag


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
                (
                    match.characters[n]
                    for n in (c.name, *c.aliases)
                    if n in match.characters
                    and _names_them(c, n, fandom.character(match.characters[n]))
                ),
                None,
            )
            if tag and c.tag is None:
                c.tag = tag
                listed = fandom.character(tag)
                if c.gender is None and listed is not None:
                    c.gender = listed.gender
    return fandoms


def merge_by_tag(characters: list[Character]) -> list[Character]:
    """One entry per canonical character: names the text keeps apart that the fandom knows as
    one person (`Blaise Zabini` and `Ms Zabini`) become one character, known by the most
    mentioned name; a title among the names says their sex (a story may make Blaise a woman)."""
    by_tag: dict[str, Character] = {}
    kept: list[Character] = []
    for c in characters:  # (most mentioned first)
        main = by_tag.get(c.tag) if c.tag else None
        if main is not None and _titles(main) and _titles(c) and not _titles(main) & _titles(c):
            main = None  # `Captain Harrow` and `Miss Harrow`: two people, whatever the tag
        if main is None:
            if c.tag:
                by_tag[c.tag] = c
            kept.append(c)
            continue
        main.aliases = sorted({*main.aliases, c.name, *c.aliases} - {main.name})
        main.mentions += c.mentions
        for chapter, n in c.mentions_by_chapter.items():
            main.mentions_by_chapter[chapter] = main.mentions_by_chapter.get(chapter, 0) + n
        main.first_chapter = min(main.first_chapter, c.first_chapter) or c.first_chapter
        main.gender = title_gender(c.name) or title_gender(main.name) or main.gender or c.gender
    return kept


def _titles(c: Character) -> set[str]:
    return {
        name.split()[0].rstrip(".").lower()
        for name in (c.name, *c.aliases)
        if " " in name and name != core_name(name)
    }


def _names_them(c: Character, name: str, listed: FandomCharacter | None) -> bool:
    """Whether `name`, one of a character's names, may give them a listed character's tag.
    Not their surname alone when their given name is not the listed one's: Izuna Uchiha is not
    Uchiha Sasuke, though the fandom knows Sasuke as "Uchiha" too."""
    words = core_name(c.name).split()
    if listed is None or len(words) < 2 or name != words[-1]:
        return True
    known = {normalize_name(n) for n in (listed.tag, *listed.names, *listed.weak_names)}
    return normalize_name(c.name) in known or normalize_name(words[0]) in known


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


_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)\s*$")  # "Spike (Buffy the Vampire Slayer)"


def tag_key(tag_type: str, name: str) -> str:
    """A tag name in the form two tags that mean the same thing share.

    Case and spacing never matter. A character is the same without AO3's disambiguator, so a
    creator's "Spike" blocks the suggestion "Spike (Buffy the Vampire Slayer)"; a relationship
    is the same in any order ("Spike/Buffy Summers" = "Buffy Summers/Spike").
    """

    def person(text: str) -> str:
        return " ".join(_DISAMBIGUATOR.sub("", text).casefold().split())

    if tag_type == TagType.CHARACTER:
        return person(name)
    if tag_type == TagType.RELATIONSHIP:
        for separator in ("/", "&"):
            if separator in name:
                return separator.join(sorted(person(part) for part in name.split(separator)))
    return " ".join(name.casefold().split())


def listed_cast(analysis: Analysis) -> list[Character]:
    """The characters worth listing for a work: a narrator, anyone who speaks, anyone named
    twice; the narrator first, then by mentions."""
    cast = [
        c
        for c in analysis.characters
        if c.narrator or c.dialogue_share > 0 or c.mentions >= MIN_CHARACTER_MENTIONS
    ]
    return sorted(cast, key=lambda c: (not c.narrator, -c.mentions, -c.dialogue_share))


def suggested_tags(analysis: Analysis) -> list[tuple[str, str, float]]:
    """(type, name, confidence) of the tags worth suggesting for a work, strongest first within
    each type: what import and posting both offer a person to review."""

    def strongest(items: list[dict], key: str, cap: int) -> list[tuple[str, float]]:
        found = [
            (item[key], float(item.get("confidence") or 0))
            for item in items
            if str(item.get(key) or "").strip()
            and float(item.get("confidence") or 0) >= MIN_SUGGESTION_CONFIDENCE
        ]
        return sorted(found, key=lambda pair: -pair[1])[:cap]

    out = [
        (TagType.FANDOM, name, confidence)
        for name, confidence in strongest(analysis.fandoms, "name", SUGGESTION_CAPS[TagType.FANDOM])
    ]
    out += [
        (TagType.RELATIONSHIP, name, confidence)
        for name, confidence in strongest(
            analysis.relationships, "tag", SUGGESTION_CAPS[TagType.RELATIONSHIP]
        )
    ]
    named = [
        c
        for c in analysis.characters
        if c.mentions >= MIN_CHARACTER_MENTIONS and not (c.narrator and c.name == "narrator")
    ]
    named.sort(key=lambda c: -c.mentions)
    for c in named[: SUGGESTION_CAPS[TagType.CHARACTER]]:
        # The analysis gives characters no confidence of their own: evidence grows with each
        # mention and never reaches certainty (2 mentions 40%, 10 mentions 77%).
        confidence = round(c.mentions / (c.mentions + 3), 2)
        out.append((TagType.CHARACTER, character_tag(c), confidence))
    return out
