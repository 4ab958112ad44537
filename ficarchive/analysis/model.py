"""Plain data for what the analysis finds in a work."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Quote:
    chapter: int  # chapter number (1-based)
    paragraph: int  # index of the paragraph within the chapter
    start: int  # character offsets of the quoted text within the paragraph
    end: int
    text: str
    speaker: str | None = None  # a Character.name, or None when unsure
    step: str | None = None  # the attribution step that decided the speaker (speakers.py)


@dataclass(slots=True)
class Character:
    name: str  # the fullest common form ("Buffy Summers" over "Buffy")
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    mentions_by_chapter: dict[int, int] = field(default_factory=dict)
    first_chapter: int = 0
    gender: str | None = None  # "he", "she", "they" or None
    narrator: bool = False
    dialogue_share: float = 0.0
    tag: str | None = None  # canonical character tag when the fandom registry knows them


@dataclass(slots=True)
class Analysis:
    characters: list[Character] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    pov: str | None = None  # "first", "second" or "third"
    tense: str | None = None  # "past" or "present"
    chapter_pov: list[str | None] = field(default_factory=list)
    chapter_tense: list[str | None] = field(default_factory=list)
    words: int = 0
    dialogue_share: float = 0.0  # share of words inside quotations
    # Share of the quoted words spoken by people the text only describes ("said the porter").
    unnamed_share: float = 0.0
    reading_minutes: int = 0
    relationships: list[dict] = field(default_factory=list)
    # Why cast, speakers, point of view and tense were not looked for (a work not in English).
    not_analysed: str = ""
    fandoms: list[dict] = field(default_factory=list)
