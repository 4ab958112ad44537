"""The first-person narrator's name, when the text gives it.

Three kinds of evidence: the narrator says it (`my name is Pip`, `I called myself Pip`, `call me
Ishmael`, `I, Amelia Butterworth,`), a heading names whose account it is (`JONATHAN HARKER'S JOURNAL`), or the others keep saying it to them (`"Really, Watson, …"`) while the narration hardly ever
mentions that name, since a narrator says `I`, not their own name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Character
from .quotes import narration_parts

_SAYS_NAME = re.compile(
    r"\b(?:[Mm]y name (?:is|was)|I called myself|(?:[Tt]hey|[Ee]veryone|[Pp]eople|[Ss]he|[Hh]e) called me|"
    r"(?:[Cc]all|[Cc]alled|[Nn]amed) me|I am called|I was called|I was named)\s+"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
    # `I, Amelia Butterworth, …`, `to me, Robinson Crusoe,`: the narrator's name beside `I`
    # (a full name, not a list: `I, Tom, and Dick`)
    r"|\b(?:I|me),\s+(?P<apposed>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2}),(?!\s+(?:and|or)\b)"
)
# A heading that says whose account this is: `JONATHAN HARKER'S JOURNAL`.
_ACCOUNT_OF = re.compile(
    r"^\s*(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)['’]s\s+"
    r"(?:journal|diary|narrative|statement|account|letters?)\s*$",
    re.IGNORECASE,
)
_VOCATIVE = r"(?:(?:^|[,—–]\s*|\bmy dear\s+|\bdear\s+)(?:{names})(?=\s*[,.!?;—–]|$))"
_MIN_VOCATIVES = 2
# A narrator's name is said to them far more often than the narration says it (`Rachel Innes,
# spinster,` once in a document they copy out).
_SAID_TO_THEM = 4


def _key(characters: list[Character]) -> dict[str, Character]:
    return {n: c for c in characters if not c.narrator for n in (c.name, *c.aliases)}


def _named(said: str, names: dict[str, Character]) -> Character:
    """The character a narrator's name is (`JONATHAN HARKER` is Jonathan Harker), or a new one."""
    said = said.title() if said.isupper() else said
    return names.get(said) or names.get(said.split()[0]) or Character(said, mentions=1)


def find_narrator(
    chapters: list[list[str]],
    quote_spans: dict[tuple[int, int], list[tuple[int, int]]],
    characters: list[Character],
    titles: Sequence[str] = (),
) -> Character | None:
    """The first-person narrator (a new Character when only their own words name them), or None."""
    names = _key(characters)
    for title in titles:
        if m := _ACCOUNT_OF.match(title):
            return _named(m.group("name"), names)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"
    vocative = re.compile(_VOCATIVE.format(names=alternation))
    mention = re.compile(rf"\b(?:{alternation})\b")
    vocatives: dict[str, int] = {}
    narrated: dict[str, int] = {}
    for ci, paragraphs in enumerate(chapters, start=1):
        for pi, para in enumerate(paragraphs):
            spans = quote_spans.get((ci, pi), [])
            for outside in narration_parts(para, spans):
                if m := _SAYS_NAME.search(outside) or _ACCOUNT_OF.match(outside):
                    return _named(m.group("name") or m.group("apposed"), names)
                for n in mention.findall(outside):
                    narrated[names[n].name] = narrated.get(names[n].name, 0) + 1
            for a, b in spans:
                for m in vocative.finditer(para[a:b].strip()):
                    name = m.group(0).lstrip(",—– ").removeprefix("my dear ").removeprefix("dear ")
                    c = names.get(name.strip())
                    if c:
                        vocatives[c.name] = vocatives.get(c.name, 0) + 1
    addressed = [
        (count, name)
        for name, count in vocatives.items()
        if count >= _MIN_VOCATIVES and narrated.get(name, 0) * _SAID_TO_THEM <= count
    ]
    if not addressed:
        return None
    return next(c for c in characters if c.name == max(addressed)[1])
