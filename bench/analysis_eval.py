"""Score the analysis on annotated literary text (LitBank excerpts in ../shared/corpora/litbank-dev)
and on hand-annotated fan fiction (bench/data/fanfic-speakers.gold.json over ../shared/corpora/fanfic-dev).

    python bench/analysis_eval.py [--data DIR] [--out bench/results/analysis.json]

Figures: the mean over five folds of texts (each held out once, and scored with a speaker model
fitted on the other four), the figure over all texts with the shipped model for comparison, and
each attribution step's decisions and accuracy (held out). The texts of the fifth fold are left
out of the per-text table: rules are written without looking at them. With `--data` naming
other annotated texts (our blind sets), every figure is held out already: the shipped model never
saw them; gold files there may list each speaker's other names (`aliases`).

Scoring as the corpus README describes it, made strict (a description never matches a name):
- person names: recall = gold names matched by some predicted character's name or alias;
  precision = predicted characters that match some gold name (a shared name token, no clash of
  Mr/Mrs-type titles; every gold entry is a proper name, `the lovely Charlotte Temple` too);
- speaker accuracy = share of gold quotations covered (>= 70% of their words) by a predicted
  quotation whose speaker names the same person (a narrator matches `I`/`Narrator`); the
  predicted quotation taken is the one covering most of the gold one's words;
- speed = words analysed per second of CPU time on one core (parsing excluded), each text timed
  as its fastest of REPEATS passes through all the texts: CPU time and the best pass, so that
  other work on a shared machine does not count against the analysis.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import machine  # noqa: E402
from ficarchive.analysis.analyse import analyse_work  # noqa: E402
from ficarchive.analysis.characters import title_gender  # noqa: E402
from ficarchive.analysis.lexicon import TITLES  # noqa: E402
from ficarchive.analysis.tagging import listed_cast  # noqa: E402
from ficarchive.text.parse import parse_story  # noqa: E402

REPEATS = 20  # passes: about ten seconds, longer than the slow spells of a shared machine
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "litbank-dev"
FANFIC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fanfic-dev"
FANFIC_GOLD = Path(__file__).resolve().parent / "data" / "fanfic-speakers.gold.json"
_WORDS = re.compile(r"[A-Za-z0-9]+")
# The gold quotations' words come from LitBank's Penn Treebank tokens with punctuation taken out:
# `didn't` is `did n t`, `can't` is `ca n t`, `cannot` is `can not`. A predicted quotation is
# split the same way, or a short line with a contraction falls under the 70% its words must
# cover ("I didn't say that": 4 of 6 words).
_NOT = re.compile(r"(?i)n['’]t\b")
_CANNOT = re.compile(r"(?i)\b(can)(not)\b")


def quotation_words(text: str) -> Counter:
    """A quotation's words as the gold data has them: lower case, contractions split."""
    text = _CANNOT.sub(r"\1 \2", _NOT.sub(" n t", text))
    return Counter(w.lower() for w in _WORDS.findall(text))


# Determiners are not name tokens: "the man" and "the doctor" are not the same person.
_NOT_NAME = {"the", "a", "an", "his", "her", "my", "our", "their", "your", "its", "of", "and"}


def name_tokens(name: str) -> set[str]:
    """Name words without determiners, and without titles unless the title is all there is."""
    words = {t for t in _WORDS.findall(name.lower()) if t not in _NOT_NAME and len(t) > 1}
    return {t for t in words if t not in TITLES} or words


def is_description(name: str) -> bool:
    """`the doctor`, `a girl`, `convict`: someone described, not named (no capital word)."""
    words = _WORDS.findall(name)
    initial = name.lstrip()[:2] in ("A.", "I.")  # `A. J. Raffles`: an initial, no article
    article = bool(words) and words[0].lower() in _NOT_NAME and not initial
    return bool(words) and (article or not any(w[0].isupper() for w in words))


def same_person(predicted: str, gold: str, narrator: str | None = None) -> bool:
    """Whether a predicted name (or description) and a gold one name the same person.

    Strict: a name matches a name, and a description a description, by a shared word (no clash
    of Mr/Mrs-type titles; determiners do not count: `the porter` is `porter`); a description
    never matches a name because they share a word (`the old man` is not `Old Jolyon`). `narrator` is the predicted narrator's name: it matches `I`/`Narrator` too.
    """
    if gold.lower() in ("i", "narrator"):
        return predicted in ("narrator", narrator)
    if predicted == "narrator":
        return False
    if is_description(predicted) != is_description(gold):
        return False  # a description is never a name: `the old man` is not `Old Jolyon`
    a, b = title_gender(predicted), title_gender(gold)
    if a and b and a != b:
        return False
    return bool(name_tokens(predicted) & name_tokens(gold))


def same_name(predicted: str, gold: str) -> bool:
    """Whether a character's name matches one of LitBank's proper-name mentions: a shared name
    word, no clash of Mr/Mrs-type titles. Every gold entry there is a proper name (PROP_PER),
    so its determiner (`the lovely Charlotte Temple`) does not make it a description."""
    a, b = title_gender(predicted), title_gender(gold)
    if a and b and a != b:
        return False
    return bool(name_tokens(predicted) & name_tokens(gold))


def _covering(
    words: Counter, predicted: list[tuple[Counter, str | None]]
) -> tuple[bool, str | None]:
    """Whether some predicted quotation covers a gold one, and the speaker of the one that does.

    The corpus README's rule: "a gold quotation counts as right when a predicted quotation
    covers at least 70% of its words and the predicted speaker names the same person". The
    quotation that stands for the gold one is the one covering most of its words, on a tie the
    one with fewest words besides: a short gold line ("And the dog?") is also covered by any
    long speech that happens to hold its three words, and the first such speech is not it.
    """
    total = sum(words.values())
    best, best_key = None, None
    for counts, speaker in predicted:  # speaker: anything that stands for the quotation
        overlap = sum((words & counts).values())
        if total and overlap / total >= 0.7:
            key = (overlap, overlap - sum(counts.values()))
            if best_key is None or key > best_key:
                best, best_key = speaker, key
    return best_key is not None, best


def fastest_analyses(works: list) -> tuple[list, list[float]]:
    """Each work's analysis, and its fastest in CPU seconds over REPEATS passes through all.

    Passes, not repeats of one text in a row: a burst of load on a shared machine then slows
    one pass of a text, not every run of it.
    """
    analyses = [None] * len(works)
    seconds = [float("inf")] * len(works)
    for _ in range(REPEATS):
        for i, work in enumerate(works):
            start = time.process_time()
            analyses[i] = analyse_work(work)
            seconds[i] = min(seconds[i], time.process_time() - start)
    return analyses, seconds


def score_text(txt: Path, analysis, seconds: float, gold: dict) -> dict:
    characters = [c for c in analysis.characters if c.name != "narrator"]
    gold_names = list(gold["person_names"])
    recalled = sum(
        1
        for g in gold_names
        if any(same_name(n, g) for c in characters for n in [c.name, *c.aliases])
    )
    precise = sum(
        1
        for c in characters
        if any(same_name(n, g) for g in gold_names for n in [c.name, *c.aliases])
    )

    narrator = next((c.name for c in analysis.characters if c.narrator), None)
    predicted = [(quotation_words(q.text), (q.speaker, q.step)) for q in analysis.quotes]
    # Gold files of our own may list the other names each speaker goes by (LitBank's do not).
    aliases = gold.get("aliases", {})
    right = covered = 0
    steps: dict[str, list[int]] = {}  # step -> [quotes it decided, right]
    for q in gold["quotes"]:
        words = quotation_words(q["text_words"])
        found, best = _covering(words, predicted)
        covered += found
        if not found:
            continue
        speaker, step = best
        forms = [q["speaker"], *aliases.get(q["speaker"], ())]
        ok = bool(speaker) and any(same_person(speaker, f, narrator) for f in forms)
        right += ok
        tally = steps.setdefault(step or "(no speaker)", [0, 0])
        tally[0] += 1
        tally[1] += ok
    return {
        "text": txt.stem,
        "words": analysis.words,
        "seconds": seconds,
        "gold_names": len(gold_names),
        "recalled": recalled,
        "predicted": len(characters),
        "precise": precise,
        "gold_quotes": len(gold["quotes"]),
        "quotes_found": covered,
        "speakers_right": right,
        "steps": steps,
    }


FOLDS = 5
SEALED_FOLD = 4  # its texts' rows are never printed: rules are written without seeing them


def figures(rows: list[dict]) -> dict:
    """Names precision/recall/F1, quotations found and speaker accuracy over some texts."""
    total = {k: sum(r[k] for r in rows) for k in rows[0] if k not in ("text", "steps")}
    precision = total["precise"] / total["predicted"] if total["predicted"] else 0.0
    recall = total["recalled"] / total["gold_names"] if total["gold_names"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    quotes = total["gold_quotes"]
    return {
        "character_precision": round(precision, 3),
        "character_recall": round(recall, 3),
        "character_f1": round(f1, 3),
        "quote_recall": round(total["quotes_found"] / quotes, 3) if quotes else 0.0,
        "speaker_accuracy": round(total["speakers_right"] / quotes, 3) if quotes else 0.0,
        "words": total["words"],
        "seconds": total["seconds"],
        "gold_quotes": quotes,
    }


def folds(rows: list[dict], k: int = FOLDS) -> list[list[dict]]:
    """Texts dealt into `k` folds in name order: every text is held out exactly once."""
    ordered = sorted(rows, key=lambda r: r["text"])
    return [ordered[i::k] for i in range(k)]


def cross_validated(rows: list[dict]) -> dict:
    """Each figure as the mean over held-out folds of texts. The rows must come from a system
    fitted without the texts of their fold (`main` scores each fold with a speaker model fitted
    on the others)."""
    per_fold = [figures(fold) for fold in folds(rows)]
    keys = ("speaker_accuracy", "character_f1", "quote_recall")
    mean = {key: round(sum(f[key] for f in per_fold) / len(per_fold), 3) for key in keys}
    spread = {key: [min(f[key] for f in per_fold), max(f[key] for f in per_fold)] for key in keys}
    return {"folds": len(per_fold), "mean": mean, "range": spread, "per_fold": per_fold}


def step_table(rows: list[dict]) -> list[dict]:
    """For each attribution step: the gold quotations it decided and how often it was right."""
    merged: dict[str, list[int]] = {}
    for row in rows:
        for step, (decided, right) in row["steps"].items():
            tally = merged.setdefault(step, [0, 0])
            tally[0] += decided
            tally[1] += right
    table = [
        {"step": step, "decided": d, "right": r, "accuracy": round(r / d, 3) if d else 0.0}
        for step, (d, r) in merged.items()
    ]
    return sorted(table, key=lambda t: -t["decided"])


def score_fanfic(gold_path: Path = FANFIC_GOLD, stories: Path = FANFIC) -> dict | None:
    """Speaker accuracy and cast precision on hand-annotated fan fiction (`bench/data/`).

    The gold holds offsets into `work_paragraphs(parse_story(file))`, speakers and each story's
    cast, no story text. Speech only (thoughts and UNKNOWN left out); a gold quotation is found
    when a predicted one in its paragraph covers 70% of its characters. An unnamed speaker is
    right when we give a description. Cast precision: the share of suggested characters whose
    name or an alias is one of the story's cast (named, or unnamed like `the mayor`), over every
    character found, and over the cast the work page lists and tags are drawn from
    (`tagging.listed_cast`: the narrator, speakers, anyone named twice).
    """

    if not stories.is_dir() or not gold_path.is_file():
        return None
    right = found = total = unnamed = 0
    suggested = cast_right = listed_total = listed_right = 0
    per_text = []
    for text in json.loads(gold_path.read_text())["texts"]:
        analysis = analyse_work(parse_story((stories / text["file"]).read_bytes(), text["file"]))
        names = {n: [n, *text.get("aliases", {}).get(n, [])] for n in text["cast"]}
        names.update({n: [n, *a] for n, a in text.get("aliases", {}).items() if n not in names})
        chapters = set(text["chapters_annotated"])
        t_right = t_total = 0
        for gold in text["quotes"]:
            if gold.get("kind") == "thought" or gold["speaker"] == "UNKNOWN":
                continue
            t_total += 1
            quote = _quote_at(analysis.quotes, gold)
            if quote is None:
                continue
            found += 1
            if gold["speaker"] == "UNNAMED":
                unnamed += 1
                ok = bool(quote.speaker) and is_description(quote.speaker)
            else:
                forms = names.get(gold["speaker"], [gold["speaker"]])
                ok = bool(quote.speaker) and any(same_person(quote.speaker, f) for f in forms)
            t_right += ok
        people = [f for fs in names.values() for f in fs] + text.get("unnamed_characters", [])

        def is_cast(c, people=people) -> bool:
            return any(same_person(n, f) for n in [c.name, *c.aliases] for f in people)

        characters = [
            c for c in analysis.characters if c.name != "narrator" and c.first_chapter in chapters
        ]
        listed = [c for c in listed_cast(analysis) if c in characters]
        known = [c for c in characters if is_cast(c)]
        suggested += len(characters)
        cast_right += len(known)
        listed_total += len(listed)
        listed_right += sum(map(is_cast, listed))
        right += t_right
        total += t_total
        per_text.append({"file": text["file"], "quotes": t_total, "speakers_right": t_right,
                         "cast_suggested": len(characters), "cast_right": len(known)})  # fmt: skip
    return {
        "data": f"{gold_path.name}: {len(per_text)} fan fiction works, {total} gold quotations",
        "speaker_accuracy": round(right / total, 3) if total else 0.0,
        "quote_recall": round(found / total, 3) if total else 0.0,
        "unnamed_speakers": unnamed,
        "cast_precision": round(cast_right / suggested, 3) if suggested else 0.0,
        "listed_cast_precision": round(listed_right / listed_total, 3) if listed_total else 0.0,
        "per_text": per_text,
    }


def _quote_at(quotes, gold: dict):
    """The predicted quotation covering most of a gold one (>= 70% of its characters)."""
    length = gold["end"] - gold["start"]
    best, best_overlap = None, 0
    for q in quotes:
        if (q.chapter, q.paragraph) != (gold["chapter"], gold["paragraph"]):
            continue
        overlap = min(q.end, gold["end"]) - max(q.start, gold["start"])
        if overlap > best_overlap and length and overlap / length >= 0.7:
            best, best_overlap = q, overlap
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "analysis.json"
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(
            f"no annotated data at {args.data}: pass --data DIR (folder of NAME.txt + NAME.gold.json)"
        )
    analyse_work(parse_story(b"Warm up the language identifier once before timing.", "w.txt"))
    golds = sorted(args.data.glob("*.gold.json"))
    texts = [g.with_name(g.name.replace(".gold.json", ".txt")) for g in golds]
    works = [parse_story(t.read_bytes(), t.name) for t in texts]
    gold_data = [json.loads(g.read_text()) for g in golds]
    analyses, seconds = fastest_analyses(works)
    rows = [
        score_text(txt, analysis, time_, gold)
        for txt, analysis, time_, gold in zip(texts, analyses, seconds, gold_data)
    ]
    pooled = figures(rows)
    if args.data.resolve() == DEFAULT_DATA.resolve():
        # The speaker model is fitted on these texts: each fold is scored by a model fitted on
        # the other folds (`speaker_training.fold_models`), or the figure is no held-out one.
        from bench.speaker_training import fold_models

        models = fold_models(args.data)
        held_out = [
            score_text(
                txt, analyse_work(work, speaker_chooser=models[txt.stem].choose), time_, gold
            )
            for txt, work, time_, gold in zip(texts, works, seconds, gold_data)
        ]
    else:
        held_out = rows  # texts the shipped model never saw
    cv = cross_validated(held_out)
    steps = step_table(held_out)
    speed = pooled["words"] / pooled["seconds"]

    sealed = {r["text"] for r in folds(rows)[SEALED_FOLD]}
    print(f"{'text':<48}{'names P':>8}{'names R':>8}{'quotes':>8}{'speaker':>8}")
    for r in rows:
        if r["text"] in sealed:
            continue  # never looked at while rules are written: in the figures only
        p = r["precise"] / r["predicted"] if r["predicted"] else 0
        rr = r["recalled"] / r["gold_names"] if r["gold_names"] else 0
        sp = f"{r['speakers_right'] / r['gold_quotes']:.2f}" if r["gold_quotes"] else "-"
        print(f"{r['text'][:47]:<48}{p:>8.2f}{rr:>8.2f}{r['gold_quotes']:>8}{sp:>8}")
    print(f"({len(sealed)} texts of the sealed fold {SEALED_FOLD + 1} not shown)")
    print(f"\n{'attribution step':<36}{'decided':>8}{'right':>8}{'accuracy':>9}")
    for t in steps:
        print(f"{t['step']:<36}{t['decided']:>8}{t['right']:>8}{t['accuracy']:>9.3f}")
    m = cv["mean"]
    print(
        f"\ncross-validated by text ({cv['folds']} folds, mean of held-out folds): speaker "
        f"accuracy {m['speaker_accuracy']:.3f} (folds {cv['range']['speaker_accuracy']}), names "
        f"F1 {m['character_f1']:.3f}, quotations found {m['quote_recall']:.3f}\n"
        f"all texts at once (for comparison): speaker accuracy {pooled['speaker_accuracy']:.3f}, "
        f"names P {pooled['character_precision']:.3f} R {pooled['character_recall']:.3f} "
        f"F1 {pooled['character_f1']:.3f}\nspeed {speed:,.0f} words/s on one core"
    )
    fanfic = score_fanfic()
    if fanfic is not None:
        print(
            f"fan fiction ({fanfic['data']}): speaker accuracy {fanfic['speaker_accuracy']:.3f}, "
            f"quotations found {fanfic['quote_recall']:.3f}, cast precision "
            f"{fanfic['cast_precision']:.3f} (all found), {fanfic['listed_cast_precision']:.3f} "
            "(listed)"
        )
    result = {
        "fan_fiction": fanfic,
        "data": f"{args.data.name}: {len(rows)} LitBank excerpts ({pooled['words']} words, {pooled['gold_quotes']} gold quotations)",
        "matching": "strict: names by a shared name word without a title clash; descriptions only to the same description",
        "cross_validated": cv,
        "all_texts": {k: v for k, v in pooled.items() if k not in ("words", "seconds")},
        "steps": steps,
        "tokens_per_second_per_core": round(speed),
        "targets": {
            "speaker_accuracy_cross_validated": 0.75,
            "character_f1_cross_validated": 0.85,
            "tokens_per_second_per_core": 200000,
        },
        "machine": machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
