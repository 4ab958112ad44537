"""`analyse_work`: characters, quotations and speakers, point of view, tense and statistics."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ficarchive.text.model import ParsedWork, count_words
from ficarchive.text.structure import is_note

from .characters import detect_characters
from .fandoms import Registry, load_registry
from .model import Analysis, Character, Quote
from .narration import pov_from, pronoun_counts, tense_counts, tense_from
from .narrator import find_narrator
from .quotes import find_quote_spans, narration_parts, quote_style
from .relationships import find_relationships
from .speaker_choice import Chooser
from .speakers import attribute_speakers
from .tagging import merge_by_tag, relationship_tags, suggest_fandoms

WORDS_PER_MINUTE = 230


def work_paragraphs(work: ParsedWork) -> list[list[str]]:
    """Each chapter's body as plain-text paragraphs: no scene breaks, and no author's notes left
    in the body (`Disclaimer: Harry Potter belongs to J.K. Rowling` names no character)."""
    return [
        [b.text for b in chapter.blocks if b.kind != "break" and b.text.strip() and not is_note(b)]
        for chapter in work.chapters
    ]


ANALYSED_LANGUAGES = frozenset({"en"})  # the languages whose rules the analysis has


def analyse_work(
    work: ParsedWork, registry: Registry | None = None, *, speaker_chooser: Chooser | None = None
) -> Analysis:
    """The work's analysis; for a work in a language the rules are not written for, only its
    quotations and length: English rules would find a cast in its capitalised words."""
    if work.language and work.language not in ANALYSED_LANGUAGES:
        return unanalysed(work_paragraphs(work), work.language)
    titles = [chapter.title for chapter in work.chapters]
    creators = [c.name for c in work.creators]
    return analyse_paragraphs(
        work_paragraphs(work),
        registry,
        titles=titles,
        creators=creators,
        speaker_chooser=speaker_chooser,
    )


def unanalysed(chapters: list[list[str]], language: str) -> Analysis:
    """Quotations and word counts, no cast, speakers, point of view or tense."""
    style = quote_style([p for chapter in chapters for p in chapter])
    quotes = [
        Quote(ci, pi, a, b, para[a:b].strip())
        for ci, paragraphs in enumerate(chapters, start=1)
        for pi, para in enumerate(paragraphs)
        for a, b in find_quote_spans(para, style)
    ]
    analysis = Analysis(quotes=quotes, not_analysed=not_analysed_reason(language))
    analysis.words = sum(count_words(p) for chapter in chapters for p in chapter)
    quoted = sum(count_words(q.text) for q in quotes)
    analysis.dialogue_share = round(quoted / analysis.words, 3) if analysis.words else 0.0
    analysis.reading_minutes = (
        max(1, round(analysis.words / WORDS_PER_MINUTE)) if analysis.words else 0
    )
    return analysis


def not_analysed_reason(language: str) -> str:
    return (
        f"the work is in {language!r}: cast, speakers, point of view and tense are found for "
        "English works only"
    )


def _fill_genders(characters: list[Character], words: Counter) -> None:
    """A story full of "he" with no known male character: its main unknown-gender character is he.

    `words`: the narration's pronoun counts.
    """
    counts = {"he": words["he"] + words["him"] + words["his"], "she": words["she"] + words["her"]}
    for gender, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n < 5 or any(c.gender == gender for c in characters):
            continue
        unknown = [c for c in characters if c.gender is None and not c.narrator]
        if unknown:
            unknown[0].gender = gender


_SAID_I = re.compile(
    r"^[\s,—–-]*(?:said|asked|replied|answered|cried|returned|exclaimed) I\b|^[\s,—–-]*I (?:said|asked|replied|answered|cried|returned|exclaimed)\b"
)


def _speaks_as_i(quotes: list[Quote], chapters: list[list[str]]) -> bool:
    """Whether someone who says `I` in the narration speaks (`"…," said I`) twice or more: a
    narrator who tells more of others than of herself (Cranford's) is one all the same."""
    found = 0
    for q in quotes:
        after = chapters[q.chapter - 1][q.paragraph][q.end + 1 : q.end + 40]
        found += _SAID_I.match(after) is not None
        if found >= 2:
            return True
    return False


def analyse_paragraphs(
    chapters: list[list[str]],
    registry: Registry | None = None,
    *,
    titles: Sequence[str] = (),
    creators: Sequence[str] = (),
    speaker_chooser: Chooser | None = None,
) -> Analysis:
    """Analyse a work given as chapters of plain-text paragraphs (`registry`: the shipped one;
    `titles`: the chapters' titles, which may say whose journal it is; `creators`: the work's
    authors, whose pen names sign notes in the text but are no characters; `speaker_chooser`:
    who decides the lines no firm attribution step does, the shipped model unless given)."""
    registry = registry if registry is not None else load_registry()
    style = quote_style([p for chapter in chapters for p in chapter])
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    quotes: list[Quote] = []
    narration_by_chapter: list[str] = []
    for ci, paragraphs in enumerate(chapters, start=1):
        narration: list[str] = []
        for pi, para in enumerate(paragraphs):
            found = find_quote_spans(para, style)
            if found:
                spans[(ci, pi)] = found
                quotes.extend(Quote(ci, pi, a, b, para[a:b].strip()) for a, b in found)
            narration.extend(narration_parts(para, found))
        narration_by_chapter.append("\n".join(narration))

    analysis = Analysis(quotes=quotes)
    # Each chapter's narration is scanned once; the work's figures are the chapters' summed.
    pronouns = [pronoun_counts(n) for n in narration_by_chapter]
    tenses = [tense_counts(n) for n in narration_by_chapter]
    analysis.chapter_pov = [pov_from(c) for c in pronouns]
    analysis.chapter_tense = [tense_from(c) for c in tenses]
    work_pronouns = sum(pronouns, Counter())
    analysis.pov = pov_from(work_pronouns)
    analysis.tense = tense_from(sum(tenses, Counter()))

    pen_names = {" ".join(name.lower().split()) for name in creators}
    characters = [
        c
        for c in detect_characters(chapters, spans)
        if not pen_names & {c.name.lower(), *(a.lower() for a in c.aliases)}
    ]
    analysis.fandoms = suggest_fandoms(characters, registry)
    characters = merge_by_tag(characters)
    _fill_genders(characters, work_pronouns)
    narrator = None
    if analysis.pov == "first" or _speaks_as_i(quotes, chapters):
        narrator_char = find_narrator(chapters, spans, characters, titles)
        if narrator_char is None:
            narrator_char = Character(name="narrator", narrator=True, mentions=0)
        if narrator_char not in characters:
            characters.append(narrator_char)
        narrator_char.narrator = True
        narrator = narrator_char.name
    attribute_speakers(chapters, quotes, characters, narrator, speaker_chooser)

    analysis.words = sum(count_words(p) for chapter in chapters for p in chapter)
    quoted = Counter()
    for q in quotes:
        quoted[q.speaker] += count_words(q.text)
    total_quoted = sum(quoted.values())
    analysis.dialogue_share = round(total_quoted / analysis.words, 3) if analysis.words else 0.0
    for c in characters:
        c.dialogue_share = round(quoted[c.name] / total_quoted, 3) if total_quoted else 0.0
    named = {c.name for c in characters}
    unnamed = sum(n for speaker, n in quoted.items() if speaker and speaker not in named)
    analysis.unnamed_share = round(unnamed / total_quoted, 3) if total_quoted else 0.0
    analysis.characters = characters
    pairs = find_relationships(chapters, characters, quotes)
    analysis.relationships = relationship_tags(analysis, pairs, registry)
    analysis.reading_minutes = (
        max(1, round(analysis.words / WORDS_PER_MINUTE)) if analysis.words else 0
    )
    return analysis
