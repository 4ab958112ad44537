"""Where an import's CPU goes: each stage's cost per work, against the budget the targets allow.

    python bench/import_profile.py                  # 400 works of the cached 100,000-work corpus
    python bench/import_profile.py --works 1000 --corpus DIR

`bench/search.py` measures the import end to end; this says why it runs at the speed it does.
It also runs `ficarchive import --no-analysis` on the same works and reports its CPU time over
all processes: running in parallel costs more than the stages' sum (two busy cores slow each
other; results cross between processes).
Every stage of `ficarchive import` runs here in one process, one after the other, timed as CPU
time (threads included, so tantivy's indexing threads count too):

- worker stages (a pool of processes runs these): read, decode, the HTML tree (selectolax, C),
  the rest of the parsing (our Python over that tree), rendering blocks to HTML and sanitising
  them (nh3, Rust), the content fingerprint, the word counts, and the analysis;
- main-process stages (one process, one SQLite writer): storing the rows, and indexing them
  (reading the search documents back, tantivy, rendering and storing the blurbs).

On two cores the import can at best run at 2 x (megabytes / total CPU seconds); the targets
(2 MB/s with analysis, 20 MB/s without) thus allow a CPU budget per work that the report sets
beside the measured total. Writes bench/results/import-profile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import machine  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
RESULTS = Path(__file__).resolve().parent / "results" / "import-profile.json"
TARGETS_MB_PER_S = {"with_analysis": 2.0, "without_analysis": 20.0}
CORES = 2


class Clock:
    """CPU seconds per stage, summed over calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def time(self, stage: str, fn, *args, **kwargs):
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds[stage] += time.process_time() - started


def _worker_stages(files: list[Path], clock: Clock) -> list:
    """Run (and time) everything a worker does but the analysis; returns the PreparedWorks."""
    from selectolax.lexbor import LexborHTMLParser

    from ficarchive.archive import ingest
    from ficarchive.text import parse_story
    from ficarchive.text.decoding import decode_bytes
    from ficarchive.text.fingerprint import content_hash
    from ficarchive.text.model import count_words

    prepared = []
    for path in files:
        raw = clock.time("read", path.read_bytes)
        text = clock.time("decode", decode_bytes, raw).text
        clock.time("html tree (selectolax)", LexborHTMLParser, text)
        parsed = clock.time("parse", parse_story, raw, path.name)
        for chapter in parsed.chapters:
            clock.time("render + sanitise", ingest.html_of, chapter.blocks)
            clock.time("word count", count_words, chapter.text)
        clock.time("fingerprint", content_hash, parsed)
        prepared.append(ingest.prepare(parsed, raw=raw, filename=path.name, analysis=False))
    # parse_story decodes and builds the tree itself: the rest is our own parsing.
    clock.seconds["parse"] -= clock.seconds["decode"] + clock.seconds["html tree (selectolax)"]
    return prepared


def _analysis_ms(files: list[Path]) -> float:
    """The analysis's CPU milliseconds per work (on a sample: it is the slowest stage)."""
    from ficarchive.analysis.analyse import analyse_work
    from ficarchive.text import parse_story

    clock = Clock()
    for path in files:
        clock.time("analysis", analyse_work, parse_story(path.read_bytes(), path.name))
    return clock.seconds["analysis"] / len(files) * 1000


def _main_stages(prepared: list, clock: Clock, data: Path) -> None:
    """Store and index the works in a fresh archive, timing each part of the indexing."""
    os.environ["FICARCHIVE_DATA"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ficarchive.archive import actions
    from ficarchive.importing.batch import IMPORT_BATCH_WORKS
    from ficarchive.search import indexing

    call_command("migrate", verbosity=0)
    engine = indexing.backend()
    documents, apply, blurbs = indexing.documents, engine.apply, indexing.render_blurbs
    indexing.documents = lambda ids: clock.time(
        "index: read documents", lambda: list(documents(ids))
    )
    engine.apply = lambda *a, **k: clock.time("index: tantivy", apply, *a, **k)
    indexing.render_blurbs = lambda ids: clock.time("index: blurbs", blurbs, ids)
    try:
        with indexing.deferred():
            for start in range(0, len(prepared), IMPORT_BATCH_WORKS):
                clock.time(
                    "store rows", actions.store_works, prepared[start : start + IMPORT_BATCH_WORKS]
                )
            started = time.process_time()
        clock.seconds["index: total"] = time.process_time() - started
    finally:
        indexing.documents, engine.apply, indexing.render_blurbs = documents, apply, blurbs


def _run_import(files: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of every process) of `ficarchive import --no-analysis`."""
    with tempfile.TemporaryDirectory(prefix="ficarchive-import-") as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        for path in files:
            (folder / path.name).symlink_to(path.resolve())
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from ficarchive.cli import main; raise SystemExit(main())",
             "import", "--no-analysis", "--data", str(Path(tmp) / "data"), str(folder)],
            check=True, stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measured_import(files: list[Path]) -> dict:
    """`ficarchive import --no-analysis` of the same files, as a user runs it (a worker per
    core): wall time and the CPU of every process, less an empty import's (start-up and
    migrations), to set beside the stages' sum."""
    empty_wall, empty_cpu = _run_import([])
    wall, cpu = _run_import(files)
    wall, cpu = wall - empty_wall, cpu - empty_cpu
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    return {
        "seconds": round(wall, 1),
        "mb_per_s": round(megabytes / wall, 2),
        "cpu_ms_per_work": round(cpu / len(files) * 1000, 2),
        "cores_busy": round(cpu / wall, 2),
    }


def profile(files: list[Path], sample: int) -> dict:
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    clock = Clock()
    analysis_ms = _analysis_ms(files[:sample])
    prepared = _worker_stages(files, clock)
    with tempfile.TemporaryDirectory(prefix="ficarchive-profile-") as tmp:
        _main_stages(prepared, clock, Path(tmp))
    seconds = dict(clock.seconds)
    seconds["index: blurbs"] = seconds.get("index: blurbs", 0.0)
    accounted = sum(
        v for k, v in seconds.items() if k.startswith("index: ") and k != "index: total"
    )
    seconds["index: queue and other"] = max(0.0, seconds.pop("index: total") - accounted)
    n = len(files)
    per_work = {stage: round(s / n * 1000, 2) for stage, s in seconds.items()}
    total_without = sum(per_work.values())
    total_with = total_without + analysis_ms
    mb_per_work = megabytes / n
    result = {
        "works": n,
        "megabytes": round(megabytes, 1),
        "kb_per_work": round(mb_per_work * 1000, 1),
        "analysis_sample": sample,
        "ms_cpu_per_work": per_work | {"analysis": round(analysis_ms, 2)},
        "mb_per_s_per_core": {
            stage: round(mb_per_work / (ms / 1000), 1) if ms else None
            for stage, ms in (per_work | {"analysis": analysis_ms}).items()
        },
        "total_ms_per_work": {
            "without_analysis": round(total_without, 2),
            "with_analysis": round(total_with, 2),
        },
        # The best two cores could do with every stage perfectly parallel.
        "ceiling_mb_per_s_on_2_cores": {
            "without_analysis": round(CORES * mb_per_work / (total_without / 1000), 2),
            "with_analysis": round(CORES * mb_per_work / (total_with / 1000), 2),
        },
        "budget_ms_per_work_at_target": {
            phase: round(CORES * mb_per_work / target * 1000, 2)
            for phase, target in TARGETS_MB_PER_S.items()
        },
        "measured_import_without_analysis": measured_import(files),
        "machine": machine(),
    }
    return result


def _table(result: dict) -> str:
    lines = [f"{'stage':<28}{'ms CPU/work':>12}{'MB/s/core':>11}"]
    for stage, ms in sorted(result["ms_cpu_per_work"].items(), key=lambda kv: -kv[1]):
        lines.append(f"{stage:<28}{ms:>12.2f}{result['mb_per_s_per_core'][stage] or 0:>11.1f}")
    for phase in ("without_analysis", "with_analysis"):
        lines.append(
            f"{phase}: {result['total_ms_per_work'][phase]} ms/work, ceiling on 2 cores "
            f"{result['ceiling_mb_per_s_on_2_cores'][phase]} MB/s; the target allows "
            f"{result['budget_ms_per_work_at_target'][phase]} ms/work"
        )
    real = result["measured_import_without_analysis"]
    lines.append(
        f"ficarchive import --no-analysis of the same works: {real['mb_per_s']} MB/s, "
        f"{real['cpu_ms_per_work']} ms of CPU per work over all processes, "
        f"{real['cores_busy']} cores busy"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, help="default: bench/search.py's cached corpus, else a new one"
    )
    parser.add_argument("--works", type=int, default=400)
    parser.add_argument("--analysis-sample", type=int, default=100)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.corpus is None:
        args.corpus = CACHE / "corpus-100000-seed1"
        if not (args.corpus / "counts.jsonl").exists():
            args.corpus = CACHE / f"corpus-{args.works}-seed1"
    if not (args.corpus / "counts.jsonl").exists():
        from ficarchive.synthetic import generate_corpus

        shutil.rmtree(args.corpus, ignore_errors=True)
        generate_corpus(args.corpus, args.works, seed=1, processes=CORES)
    files = sorted(args.corpus.glob("*/*.html"))[: args.works]
    result = profile(files, min(args.analysis_sample, len(files)))
    result["corpus"] = f"{args.corpus.name} (ficarchive gen-corpus, AO3 downloads)"
    print(_table(result))
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
