"""The fandom registry: shipped JSON files of fandoms, their casts and popular ships.

Character detection finds names in a story ("Spike", "Mr. Giles", "Hermione"); this module maps
them to AO3-style canonical character tags ("Spike (Buffy the Vampire Slayer)", "Rupert Giles")
and suggests which fandom the work belongs to. It is plain Python and JSON, so it runs anywhere
the analysis does (no Django, no network), and an archivist extends it by dropping more JSON
files in a folder and passing that folder to `load_registry`.

A data file looks like::

    {"name": "Buffy the Vampire Slayer", "aliases": ["BtVS"],
     "characters": [{"tag": "Buffy Summers", "names": ["Buffy", "Summers"], "gender": "she"},
                    {"tag": "Wesley Wyndam-Pryce", "names": ["Wesley"], "guest": true},
                    {"tag": "England (Hetalia)", "names": ["Arthur Kirkland"],
                     "weak_names": ["England"]}],
     "relationships": [["Buffy Summers", "Spike (Buffy the Vampire Slayer)"]]}

`guest` marks a character who belongs mainly to another fandom (a crossover or spin-off
visitor): they still get their tag here, but count for less when guessing the fandom, so
"Spike" alone suggests Buffy rather than Angel. `weak_names` are names that are also ordinary
words or places ("England", "Doctor"): they map to the character but weigh like a common
first name, so a history essay does not look like Hetalia. A fandom named again (in a later file or an
extra folder) is merged into the first: new characters are added, known tags gain names.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GENDERS = ("he", "she", "they")
_FANDOM_KEYS = {"name", "aliases", "characters", "relationships", "notes"}
_CHARACTER_KEYS = {"tag", "names", "weak_names", "gender", "guest", "notes"}

# Titles stripped when "Mr. Giles" is not itself listed but "Giles" is.
_TITLES = (
    "mr|mrs|ms|miss|mister|sir|lady|lord|dr|doctor|prof|professor|captain|capt|commander|"
    "lieutenant|lt|colonel|col|major|general|agent|detective|inspector|sergeant|sgt|officer|"
    "king|queen|prince|princess|uncle|aunt|auntie|madam|madame|dame|master|mistress|father|"
    "brother|sister|saint|st|principal|mayor|headmaster|headmistress|admiral|ensign|"
    "senator|chancellor|emperor|empress|president"
)
_TITLE_PREFIX = re.compile(rf"^(?:the\s+)?(?:{_TITLES})\s+(?=\S)")
# an AO3 disambiguator: "Spike (Buffy the Vampire Slayer)"
_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")

# Very common English given names and short forms: on their own they say little about the
# fandom ("John", "Sarah", "William"), so they weigh much less than "Spike" or "Hermione".
_COMMON_GIVEN_NAMES = """
    aaron adam adrian alan albert alex alexander alexandra alice alison allison amanda amelia amy
    andrea andrew andy angela ann anna anne annie anthony arthur ashley barbara ben benjamin beth
    betty bill billy bob bobby brandon brenda brian bruce carl carol caroline catherine charles
    charlie charlotte chris christina christine christopher claire daniel danny david debbie
    deborah dennis diana diane donald donna dorothy doug douglas ed eddie edward elizabeth ellen
    emily emma eric eva evelyn frances frank fred gary george grace greg gregory hannah harold
    harry heather helen henry ian jack jacob jake james jamie jane janet jason jeff jeffrey
    jennifer jenny jerry jessica jim jimmy joan joe joey john johnny jonathan joseph josh joshua
    joyce judy julia julie justin karen kate katherine kathleen kathy katie keith kelly kenneth
    kevin kim larry laura lauren leo linda lisa liz louise lucy luke margaret maria marie mark
    martha martin mary matt matthew megan melissa michael michelle mike nancy nathan nicholas
    nick nicole oliver pamela pat patricia patrick paul peter phil philip rachel ray raymond
    rebecca richard rick rob robert robin roger ron ronald rose ruth ryan sam samantha samuel
    sandra sara sarah scott sean sharon shirley simon sophie stephanie stephen steve steven sue
    susan thomas tim timothy tom tommy tony victoria walter will william zach
"""
COMMON_GIVEN_NAMES = frozenset(_COMMON_GIVEN_NAMES.split())

_COMMON_FACTOR = 0.3  # a common given name counts this much of a distinctive one
_GUEST_FACTOR = 0.5  # a visiting character counts this much for the visited fandom
_TITLE_FALLBACK_FACTOR = 0.8  # "Mr. Giles" matched through "Giles" is a little less sure
_EXTRA_NAME_FACTOR = 0.2  # more names for the same character add little: it is one character
_STEEPNESS = 0.9  # confidence = 1 - exp(-steepness * evidence); one distinctive name -> ~0.6


class RegistryError(ValueError):
    """A fandom data file is unreadable or malformed; the message names the file and the fix."""


@dataclass(slots=True)
class FandomCharacter:
    tag: str  # AO3 canonical character tag
    names: list[str]  # how stories refer to them, the tag (without disambiguator) included
    weak_names: list[str] = field(default_factory=list)  # also ordinary words or places
    gender: str | None = None
    guest: bool = False  # belongs mainly to another fandom


@dataclass(slots=True)
class Fandom:
    name: str
    aliases: list[str] = field(default_factory=list)
    characters: list[FandomCharacter] = field(default_factory=list)
    relationships: list[tuple[str, str]] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)

    def character(self, tag: str) -> FandomCharacter | None:
        return next((c for c in self.characters if c.tag == tag), None)


@dataclass(slots=True)
class FandomMatch:
    fandom: str
    confidence: float  # 0-1: how sure the names point at this fandom
    characters: dict[str, str]  # detected name -> canonical tag


def normalize_name(name: str) -> str:
    """Folds case, accents, curly quotes, dots and spacing so "Mr. Giles" meets "mr giles"."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))  # "Éowyn" == "Eowyn"
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("’", "'").replace("‘", "'").replace(".", " ")
    return " ".join(s.split())


def _display_name(tag: str) -> str:
    return _SUFFIX.sub("", tag).strip()


def _name_distinctiveness(key: str) -> float:
    """How much a name, read alone, singles out one character (before sharing is counted)."""
    words = key.split()
    if len(words) > 1:
        return 1.0  # "John Watson", "Mr Giles": a full name or titled name is specific
    weight = _COMMON_FACTOR if key in COMMON_GIVEN_NAMES else 1.0
    letters = sum(ch.isalpha() for ch in key)
    if letters <= 1:
        weight *= 0.25  # "B", "Q"
    elif letters == 2:
        weight *= 0.6  # "Oz", "Al"
    elif letters == 3:
        weight *= 0.85
    return weight


class Registry:
    """Fandoms by name plus a precomputed name index, so matching a work is a few dict lookups."""

    def __init__(self, fandoms: Iterable[Fandom]):
        self._fandoms: dict[str, Fandom] = {}
        self._by_alias: dict[str, str] = {}
        for fandom in fandoms:
            self._fandoms[fandom.name] = fandom
        for fandom in self._fandoms.values():
            for alias in (fandom.name, *fandom.aliases):
                self._by_alias.setdefault(normalize_name(alias), fandom.name)
            # full fandom names win over another fandom's alias ("Angel" the show vs an alias)
            self._by_alias[normalize_name(fandom.name)] = fandom.name
        self._tags = {f.name: {c.tag for c in f.characters} for f in self._fandoms.values()}
        self._ships: dict[str, dict[frozenset[str], tuple[str, str]]] = {
            f.name: {frozenset(pair): pair for pair in reversed(f.relationships)}
            for f in self._fandoms.values()
        }
        # name -> {fandom: (tag, guest factor, weak)}: the first character listed wins a name
        index: dict[str, dict[str, tuple[str, float, bool]]] = {}
        for fandom in self._fandoms.values():
            for char in fandom.characters:
                factor = _GUEST_FACTOR if char.guest else 1.0
                for names, weak in ((char.names, False), (char.weak_names, True)):
                    for name in names:
                        index.setdefault(normalize_name(name), {}).setdefault(
                            fandom.name, (char.tag, factor, weak)
                        )
        self._index: dict[str, tuple[tuple[str, str, float], ...]] = {}
        for key, hits in index.items():
            # IDF over distinct characters: a tag shared by two fandoms (Spike in BtVS and
            # Angel) is one character, while "John" means a different man in each fandom.
            sharing = len({tag for tag, _, _ in hits.values()})
            strong = _name_distinctiveness(key)
            weak = min(strong, _COMMON_FACTOR)
            self._index[key] = tuple(
                (fandom, tag, (weak if is_weak else strong) * factor / sharing)
                for fandom, (tag, factor, is_weak) in hits.items()
            )

    def __len__(self) -> int:
        return len(self._fandoms)

    def fandom_names(self) -> list[str]:
        """All fandom names, sorted, for menus and validation."""
        return sorted(self._fandoms, key=str.casefold)

    def fandom(self, name: str) -> Fandom:
        """The fandom by its name or an alias ("BtVS"); KeyError names the unknown fandom."""
        key = self._by_alias.get(normalize_name(name))
        if key is None:
            raise KeyError(f"unknown fandom {name!r}; known: {', '.join(self.fandom_names())}")
        return self._fandoms[key]

    def _lookup(self, name: str) -> tuple[tuple[tuple[str, str, float], ...], float]:
        key = normalize_name(name)
        hits = self._index.get(key)
        if hits:
            return hits, 1.0
        for candidate in (
            key[:-2] if key.endswith("'s") else None,  # "Spike's"
            _TITLE_PREFIX.sub("", key),  # "Professor Snape" when only "Snape" is listed
        ):
            if candidate and candidate != key and (hits := self._index.get(candidate)):
                return hits, _TITLE_FALLBACK_FACTOR
        return (), 0.0

    def canonical_tag(self, fandom: str, name: str) -> str | None:
        """The canonical tag for a name (or a tag) within one fandom, None when not listed."""
        target = self.fandom(fandom).name
        if name in self._tags[target]:
            return name
        hits, _ = self._lookup(name)
        return next((tag for f, tag, _ in hits if f == target), None)

    def match_characters(
        self, names: Iterable[str], min_confidence: float = 0.0
    ) -> list[FandomMatch]:
        """Fandoms the detected names point at, most likely first.

        Evidence for a fandom is the sum over its distinct characters of their best name's
        weight (distinctive, unshared names weigh most; more names for the same character add
        little), mapped to 0-1 so one distinctive name is a hint and three are near-certain.
        """
        evidence: dict[str, dict[str, list[float]]] = {}
        found: dict[str, dict[str, str]] = {}
        seen: set[str] = set()
        for name in names:
            name = name.strip() if name else ""
            key = normalize_name(name)
            if not key or key in seen:  # "Spike" and "spike" are one detection
                continue
            seen.add(key)
            hits, factor = self._lookup(name)
            for fandom, tag, weight in hits:
                evidence.setdefault(fandom, {}).setdefault(tag, []).append(weight * factor)
                found.setdefault(fandom, {})[name] = tag
        matches = []
        for fandom, by_tag in evidence.items():
            score = 0.0
            for weights in by_tag.values():
                weights.sort(reverse=True)
                score += weights[0] + _EXTRA_NAME_FACTOR * sum(weights[1:])
            confidence = round(1.0 - math.exp(-_STEEPNESS * score), 4)
            if confidence >= min_confidence:
                matches.append(FandomMatch(fandom, confidence, found[fandom]))
        matches.sort(key=lambda m: (-m.confidence, -len(m.characters), m.fandom.casefold()))
        return matches

    def relationship_tag(self, fandom: str, a: str, b: str, romantic: bool = True) -> str:
        """AO3 relationship tag: "A/B" (romantic) or "A & B" (platonic) with canonical tags.

        Order follows the fandom's listed ship when there is one, else the names sorted
        alphabetically (AO3's usual wrangling), so the same pair always gives the same tag.
        As on AO3, relationship tags drop the fandom disambiguator ("Buffy Summers/Spike").
        Names not in the registry are kept as given.
        """
        tag_a = self.canonical_tag(fandom, a) or a.strip()
        tag_b = self.canonical_tag(fandom, b) or b.strip()
        listed = self._ships[self.fandom(fandom).name].get(frozenset((tag_a, tag_b)))
        if listed:
            return ship_tag(*(_display_name(t) for t in listed), romantic=romantic, ordered=True)
        return ship_tag(_display_name(tag_a), _display_name(tag_b), romantic=romantic)


def ship_tag(a: str, b: str, romantic: bool = True, ordered: bool = False) -> str:
    """ "A/B" or "A & B"; unless `ordered`, the names sorted so a pair always gives one tag."""
    if not ordered:
        a, b = sorted((a, b), key=lambda t: (t.casefold(), t))
    return f"{a}/{b}" if romantic else f"{a} & {b}"


# --- loading ---------------------------------------------------------------------------------


def _fail(path: Path, where: str, problem: str, fix: str) -> RegistryError:
    place = f"{path}: {where}: " if where else f"{path}: "
    return RegistryError(f"{place}{problem}. Fix: {fix}")


def _string_list(path: Path, where: str, value: object, fix: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"expected a list of non-empty strings, got {value!r}", fix)
    return [v.strip() for v in value]


def parse_fandom(path: Path, data: object) -> Fandom:
    """Validates one file's JSON and builds its Fandom; errors say where and how to fix it."""
    if not isinstance(data, dict):
        raise _fail(
            path,
            "",
            f"top level is {type(data).__name__}",
            'make it an object {"name": ..., "characters": [...]}',
        )
    unknown = set(data) - _FANDOM_KEYS
    if unknown:
        raise _fail(path, "", f"unknown keys {sorted(unknown)}", f"use only {sorted(_FANDOM_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(
            path, "name", f"missing or empty (got {name!r})", 'add "name": "<AO3 fandom tag>"'
        )
    aliases = _string_list(
        path, "aliases", data.get("aliases", []), 'write "aliases": ["Short", ...] or drop it'
    )
    chars = data.get("characters")
    if not isinstance(chars, list) or not chars:
        raise _fail(
            path,
            "characters",
            "missing or empty",
            'add "characters": [{"tag": ..., "names": [...]}, ...]',
        )
    fandom = Fandom(name.strip(), aliases, sources=[path])
    seen: dict[str, int] = {}
    for i, raw in enumerate(chars):
        where = f"characters[{i}]"
        if not isinstance(raw, dict):
            raise _fail(
                path,
                where,
                f"expected an object, got {raw!r}",
                'write {"tag": "...", "names": ["..."]}',
            )
        unknown = set(raw) - _CHARACTER_KEYS
        if unknown:
            raise _fail(
                path,
                where,
                f"unknown keys {sorted(unknown)}",
                f"use only {sorted(_CHARACTER_KEYS)}",
            )
        tag = raw.get("tag")
        if not isinstance(tag, str) or not tag.strip():
            raise _fail(
                path,
                f"{where}.tag",
                f"missing or empty (got {tag!r})",
                "give the AO3 canonical character tag",
            )
        tag = tag.strip()
        if tag in seen:
            raise _fail(
                path,
                f"{where}.tag",
                f"duplicate tag {tag!r} (also characters[{seen[tag]}])",
                "merge the two entries",
            )
        seen[tag] = i
        names = _string_list(
            path, f"{where}.names", raw.get("names", []), 'write "names": ["First", "Surname", ...]'
        )
        gender = raw.get("gender")
        if gender is not None and gender not in GENDERS:
            raise _fail(
                path,
                f"{where}.gender",
                f"{gender!r} is not one of {GENDERS}",
                "use he, she, they or null",
            )
        guest = raw.get("guest", False)
        if not isinstance(guest, bool):
            raise _fail(
                path,
                f"{where}.guest",
                f"expected true or false, got {guest!r}",
                "use true or false",
            )
        weak = _string_list(
            path,
            f"{where}.weak_names",
            raw.get("weak_names", []),
            'write "weak_names": ["England", ...] or drop it',
        )
        display = _display_name(tag)
        if normalize_name(display) not in {normalize_name(w) for w in weak}:
            names = list(dict.fromkeys([*names, display]))
        if not names:
            raise _fail(
                path, f"{where}.names", "no usable names", 'list at least one name in "names"'
            )
        fandom.characters.append(FandomCharacter(tag, names, weak, gender, guest))
    ships = data.get("relationships", [])
    if not isinstance(ships, list):
        raise _fail(
            path,
            "relationships",
            f"expected a list, got {ships!r}",
            'write [["Tag A", "Tag B"], ...]',
        )
    for i, pair in enumerate(ships):
        where = f"relationships[{i}]"
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
        ):
            raise _fail(
                path,
                where,
                f"expected two character tags, got {pair!r}",
                'write ["Tag A", "Tag B"]',
            )
        for tag in pair:
            if tag not in seen:
                raise _fail(
                    path,
                    where,
                    f"{tag!r} is not a character tag in this file",
                    "use a tag from characters exactly as spelled",
                )
        fandom.relationships.append((pair[0], pair[1]))
    return fandom


def load_file(path: Path) -> Fandom:
    """Reads and validates one fandom file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise _fail(path, "", f"not UTF-8 ({exc.reason})", "save the file as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"line {exc.lineno} column {exc.colno}", f"invalid JSON ({exc.msg})",
            "check for a missing comma or quote, or a trailing comma, there",
        ) from exc  # fmt: skip
    return parse_fandom(path, data)


def _merge(into: Fandom, extra: Fandom) -> None:
    into.aliases.extend(a for a in extra.aliases if a not in into.aliases)
    for char in extra.characters:
        known = into.character(char.tag)
        if known is None:
            into.characters.append(char)
        else:
            known.names.extend(n for n in char.names if n not in known.names)
            known.weak_names.extend(n for n in char.weak_names if n not in known.weak_names)
            known.gender = char.gender or known.gender
    into.relationships.extend(r for r in extra.relationships if r not in into.relationships)
    into.sources.extend(extra.sources)


def _json_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RegistryError(
            f"{directory}: not a directory. Fix: pass a folder of fandom .json files"
        )
    return sorted(directory.glob("*.json"))


def build_registry(directories: Iterable[Path]) -> Registry:
    """Loads every *.json in the folders, in order, merging fandoms that share a name."""
    fandoms: dict[str, Fandom] = {}
    for directory in directories:
        for path in _json_files(Path(directory)):
            fandom = load_file(path)
            if fandom.name in fandoms:
                _merge(fandoms[fandom.name], fandom)
            else:
                fandoms[fandom.name] = fandom
    return Registry(fandoms.values())


@lru_cache(maxsize=16)
def _cached(directories: tuple[Path, ...], stamp: tuple[tuple[str, int], ...]) -> Registry:
    return build_registry(directories)


def _stamp(directories: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    """File names and mtimes of the extra folders, so an edited file is picked up."""
    stamp = []
    for directory in directories:
        for path in _json_files(directory):
            stamp.append((str(path), os.stat(path).st_mtime_ns))
    return tuple(stamp)


EXTRA_DIRS_VARIABLE = "FICARCHIVE_FANDOMS"


def load_registry(extra_dirs: Iterable[Path | str] | None = None) -> Registry:
    """The shipped registry plus any archivist folders; cached, since works are matched in bulk.

    Extra folders default to `FICARCHIVE_FANDOMS` (paths separated by the OS path separator).
    The shipped data is read once per process; extra folders are re-read when their files
    change. Raises RegistryError naming the file and the fix when a file is broken.
    """
    if extra_dirs is None:
        extra_dirs = [d for d in os.environ.get(EXTRA_DIRS_VARIABLE, "").split(os.pathsep) if d]
    extra = tuple(Path(d).expanduser().resolve() for d in extra_dirs)
    return _cached((DATA_DIR, *extra), _stamp(extra))
