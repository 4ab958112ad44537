"""Train the speaker model (`ficarchive/analysis/speaker_choice.py`) on annotated text.

    python bench/speaker_training.py [--data DIR]

Reads the LitBank excerpts of ../shared/corpora/litbank-dev, runs the rules on each, records
for every line no firm step decides its candidates and their features, labels the candidate
who is the gold speaker, and fits a conditional logit (softmax over each line's candidates, L2
penalty) by gradient descent. Writes ficarchive/analysis/data/speaker_model.json and prints
the cross-validated figure (each fold's texts scored by a model fitted on the other folds).
Deterministic: same data, same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.analysis_eval import (  # noqa: E402
    DEFAULT_DATA,
    _covering,
    folds,
    quotation_words,
    same_person,
)
from ficarchive.analysis.analyse import analyse_work  # noqa: E402
from ficarchive.analysis.speaker_choice import (  # noqa: E402
    MODEL_FILE,
    SpeakerModel,
    candidates,
    facts,
    features,
)
from ficarchive.text.parse import parse_story  # noqa: E402

L2 = 0.005  # penalty on the weights, per line
STEPS = 2000
LEARNING_RATE = 0.1

# A line's candidates' features and which candidates are the gold speaker.
Group = tuple[list[dict[str, float]], list[bool]]


class _Recorder:
    """A chooser that keeps the rules' answers and notes each line's candidates."""

    def __init__(self) -> None:
        self.lines: dict[int, tuple[list[str], list[dict[str, float]]]] = {}

    def __call__(self, line, rule, step):
        known = facts(line)
        cands = candidates(line, rule, known)
        feats = [features(line, c, rule, step, known) for c in cands]
        self.lines[id(line.quote)] = (cands, feats)
        return None


def texts(data: Path) -> list[tuple[str, Path, dict]]:
    """(name, text file, gold) for each annotated text, in name order."""
    golds = sorted(data.glob("*.gold.json"))
    return [
        (g.name.removesuffix(".gold.json"), g.with_name(g.name.replace(".gold.json", ".txt")),
         json.loads(g.read_text()))
        for g in golds
    ]  # fmt: skip


def record(path: Path, gold: dict) -> list[Group]:
    """The training groups of one text: its model-decided lines matched to gold quotations."""
    recorder = _Recorder()
    analysis = analyse_work(parse_story(path.read_bytes(), path.name), speaker_chooser=recorder)
    narrator = next((c.name for c in analysis.characters if c.narrator), None)
    predicted = [(quotation_words(q.text), q) for q in analysis.quotes]
    groups: list[Group] = []
    for g in gold["quotes"]:
        found, quote = _covering(quotation_words(g["text_words"]), predicted)
        if not found or id(quote) not in recorder.lines:
            continue
        cands, feats = recorder.lines[id(quote)]
        labels = [same_person(c, g["speaker"], narrator) for c in cands]
        if any(labels):
            groups.append((feats, labels))
    return groups


def fit(groups: list[Group]) -> SpeakerModel:
    """A conditional logit over the groups' candidates: each line's gold candidates share the
    probability mass (most lines have one)."""
    names = sorted({k for feats, _ in groups for f in feats for k in f})
    index = {k: i for i, k in enumerate(names)}
    rows, targets, owners = [], [], []
    for gi, (feats, labels) in enumerate(groups):
        gold = sum(labels)
        for f, ok in zip(feats, labels):
            row = np.zeros(len(names))
            for k, v in f.items():
                row[index[k]] = v
            rows.append(row)
            targets.append(ok / gold)
            owners.append(gi)
    x, y, owner = np.array(rows), np.array(targets), np.array(owners)
    w = np.zeros(len(names))
    n = len(groups)
    for _ in range(STEPS):
        s = x @ w
        s -= np.max(s)  # (a constant shift leaves each group's softmax unchanged)
        e = np.exp(s)
        totals = np.bincount(owner, weights=e, minlength=n)
        p = e / totals[owner]
        grad = x.T @ (p - y) / n + L2 * w
        w -= LEARNING_RATE * grad
    return SpeakerModel({k: round(float(v), 4) for k, v in zip(names, w) if abs(v) >= 1e-4})


def fold_models(data: Path) -> dict[str, SpeakerModel]:
    """For each text, the model fitted on the folds it is not in (`analysis_eval.folds`)."""
    items = texts(data)
    groups = {name: record(path, gold) for name, path, gold in items}
    dealt = folds([{"text": name} for name, _, _ in items])
    models: dict[str, SpeakerModel] = {}
    for fold in dealt:
        held = {r["text"] for r in fold}
        model = fit([g for name in groups if name not in held for g in groups[name]])
        models.update(dict.fromkeys(held, model))
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no annotated data at {args.data}")
    groups = [g for _, path, gold in texts(args.data) for g in record(path, gold)]
    model = fit(groups)
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(model.to_json())
    print(f"{len(groups)} lines, {len(model.weights)} weights -> {MODEL_FILE}")
    for k, v in sorted(model.weights.items(), key=lambda kv: -abs(kv[1]))[:25]:
        print(f"  {v:+.3f}  {k}")


if __name__ == "__main__":
    main()
