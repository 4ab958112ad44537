"""A learned choice among candidate speakers, for the lines no firm step decides.

The firm steps of `speakers.EVIDENCE` (a tag naming someone, a speaker introducing themself, a
speech held open) decide most lines and are rarely wrong. The rest (a `he said`, an action beat,
a line alone in a run of talk) were each a rule once, and each rule held on the texts it was
written for and failed on others. Here they are evidence instead: for each candidate (the
speakers of the last turns, the one talked with, the people in focus, the narrator) a few
features say what the talk and the rules say of them, and a conditional logit (a softmax over
the line's candidates) trained on annotated text weighs them (`bench/train_speaker_model.py`).

The model is a JSON file of feature weights shipped with the code: loading it is reading a
small file, scoring a line a few dozen additions. Nothing is downloaded or fitted at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .salience import PRONOUN

if TYPE_CHECKING:  # (a type only: speakers imports this module)
    from .speakers import Line

MODEL_FILE = Path(__file__).parent / "data" / "speaker_model.json"

# Steps whose evidence names the speaker outright: the model does not second-guess them, unless
# the tag's word is only a pronoun (`he said` is as good as the guess of who `he` is).
FIRM_STEPS = frozenset(
    {
        "tag after", "tag before", "heard speaking", "introduces themself", "held open",
        "voice answered or entering", "and then said", "long lead-in",
    }
)  # fmt: skip
LEARNED_STEP = "learned choice"
_SALIENT = 4  # the people most in focus who stand as candidates
_RANKS = 6  # salience ranks with a feature of their own


def decides(step: str | None, tagged: str | None) -> bool:
    """Whether a line the rules gave to `step` (after a tag naming `tagged`) is the model's."""
    if step not in FIRM_STEPS:
        return True
    return tagged is not None and tagged.strip().lower() in ("he", "she")


@dataclass(frozen=True)
class Facts:
    """What is the same for every candidate of a line, worked out once."""

    ranked: list[str]  # the people in focus, most salient first
    rank: dict[str, int]
    where: str  # where the line stands: in its paragraph, after talk, after narration
    crowd: bool  # three or more people spoke in the last four turns
    partner: str | None  # whom the last speaker was talking with
    pronoun: str | None  # `he`/`she` when a tag names the speaker by a pronoun only


def facts(line: Line) -> Facts:
    salience, talk, last = line.resolver.salience, line.talk, line.talk.last_speakers
    ranked = sorted(salience, key=salience.get, reverse=True)
    where = (
        "in its paragraph"
        if line.qi
        else "after talk"
        if line.scene.after_talk
        else "after narration"
    )
    partner = talk.partners.get(last[-1], (None, 0))[0] if last and last[-1] else None
    pronoun = PRONOUN.get((line.tagged or "").strip().lower())
    return Facts(
        ranked, {n: i for i, n in enumerate(ranked)}, where,
        len({s for s in last[-4:] if s}) >= 3, partner,
        pronoun if pronoun in ("he", "she") else None,
    )  # fmt: skip


def candidates(line: Line, rule: str | None, known: Facts) -> list[str]:
    """Who may have spoken the line: the rules' answer, the last three turns' speakers, the
    last speaker's partner, the one the last line addressed, the people most in focus and the
    narrator; in that order, once each."""
    found: dict[str, None] = {}
    if rule:
        found[rule] = None
    for s in reversed(line.talk.last_speakers[-3:]):
        if s:
            found[s] = None
    if known.partner:
        found[known.partner] = None
    found.update(line.scene.addressed_before)
    for name in known.ranked[:_SALIENT]:
        found[name] = None
    if line.resolver.narrator:
        found[line.resolver.narrator] = None
    return list(found)


def features(
    line: Line, candidate: str, rule: str | None, step: str | None, known: Facts
) -> dict[str, float]:
    """What the talk and the rules say of one candidate for one line."""
    resolver, scene, last = line.resolver, line.scene, line.talk.last_speakers
    f: dict[str, float] = {}
    is_rule = candidate == rule
    if is_rule:
        f["rule"] = 1.0
        f[f"rule:{step}"] = 1.0
    # (The turns before: a new paragraph of talk is most often a new speaker's; two people
    # take turns, where in a crowd the one who spoke two turns ago is a guess.)
    for back in (1, 2, 3):
        if len(last) >= back and last[-back] == candidate:
            f[f"turn-{back}"] = 1.0
            f[f"turn-{back} {known.where}"] = 1.0
    if line.qi and candidate == scene.speaker:
        f["spoke earlier in the paragraph"] = 1.0
    if known.crowd:
        for key in [k for k in f if k.startswith("turn-") or k == "rule"]:
            f[f"{key} in a crowd"] = 1.0
        if is_rule:
            f[f"rule:{step} in a crowd"] = 1.0
    if candidate == known.partner:
        f["partner of the last"] = 1.0
    if candidate in scene.addressed_before:
        f["addressed before"] = 1.0
    if candidate in line.vocative:
        f["addressed"] = 1.0
    if candidate == line.listener:
        f["at a loss"] = 1.0
    rank = known.rank.get(candidate)
    if rank is not None:
        f[f"focus {rank}" if rank < _RANKS else "focus low"] = 1.0
        f["salience"] = math.log1p(resolver.salience[candidate]) / 5
    seen = resolver.seen.get(candidate)
    if seen == resolver.paragraph:
        f["in this paragraph"] = 1.0
    elif seen == resolver.paragraph - 1:
        f["in the paragraph before"] = 1.0
    person = resolver.lookup.get(candidate)
    if person is not None and person.narrator:
        f["narrator"] = 1.0
    if candidate not in resolver.named:
        f["described"] = 1.0
    if known.pronoun:
        gender = person.gender if person is not None else None
        agrees = gender == known.pronoun
        f["sex agrees" if agrees else "sex unknown" if gender is None else "sex clashes"] = 1.0
    return f


@dataclass(frozen=True)
class SpeakerModel:
    """Feature weights: a candidate's score is the sum of its features' weights."""

    weights: Mapping[str, float]

    def score(self, feats: Mapping[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def choose(self, line: Line, rule: str | None, step: str | None) -> str | None:
        """The candidate with the highest score (the earliest listed on a tie)."""
        best, best_score = None, -math.inf
        known = facts(line)
        for c in candidates(line, rule, known):
            s = self.score(features(line, c, rule, step, known))
            if s > best_score:
                best, best_score = c, s
        return best

    def to_json(self) -> str:
        return json.dumps({"weights": dict(sorted(self.weights.items()))}, indent=1) + "\n"


@cache
def shipped_model() -> SpeakerModel | None:
    """The model trained on the development data, if the file is there."""
    if not MODEL_FILE.is_file():
        return None
    return SpeakerModel(json.loads(MODEL_FILE.read_text())["weights"])


# A chooser: given a line, the rules' answer and step, the speaker (or None: keep the rules').
Chooser = Callable[["Line", str | None, str | None], str | None]
