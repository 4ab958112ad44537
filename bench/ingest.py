"""Parsing throughput: MB of story text per second on one core (the first stage of every import).

    python bench/ingest.py                 # synthetic plain-text, Markdown and HTML stories
    python bench/ingest.py --dir FOLDER    # your own folder of story files

Writes bench/results/ingest.json with the machine described. Target: >= 10 MB/s per core for
plain text.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ficarchive.text import StoryError, parse_story  # noqa: E402

WORDS = [
    "the",
    "a",
    "she",
    "he",
    "said",
    "and",
    "of",
    "to",
    "in",
    "was",
    "it",
    "her",
    "his",
    "that",
    "with",
    "for",
    "on",
    "as",
    "at",
    "but",
    "not",
    "they",
    "be",
    "had",
    "by",
    "could",
    "would",
    "there",
    "their",
    "what",
    "when",
    "all",
    "were",
    "into",
    "then",
    "them",
    "been",
    "him",
    "back",
    "only",
    "over",
    "know",
    "like",
]


def _paragraph(rng: random.Random, vocab: list[str]) -> str:
    n = int(rng.lognormvariate(3.5, 0.6)) + 3
    words = [rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(vocab) for _ in range(n)]
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.3:
        text = f'"{text}" she said, and *meant* it.'
    return text


def _story(rng: random.Random, vocab: list[str], shape: str) -> tuple[str, str]:
    chapters = []
    for c in range(rng.randint(1, 12)):
        paras = [_paragraph(rng, vocab) for _ in range(rng.randint(30, 250))]
        paras.insert(len(paras) // 2, "* * *")
        chapters.append((f"Chapter {c + 1}", paras))
    header = "Title: A Synthetic Story\nAuthor: Bench Writer\nRating: PG-13\nSummary: Generated for timing.\n"
    if shape == "html":
        body = "".join(
            f"<h2>{h}</h2>" + "".join("<hr>" if p == "* * *" else f"<p>{p}</p>" for p in paras)
            for h, paras in chapters
        )
        return (
            "html",
            f"<html><head><title>Story</title></head><body><p>{header.replace(chr(10), '<br>')}</p>{body}<p>The End</p></body></html>",
        )
    if shape == "markdown":
        body = "\n\n".join(f"## {h}\n\n" + "\n\n".join(paras) for h, paras in chapters)
        return "md", f"# A Synthetic Story\n\n{body}\n"
    body = "\n\n".join(f"{h}\n\n" + "\n\n".join(paras) for h, paras in chapters)
    if shape == "wrapped":
        body = "\n\n".join(textwrap.fill(p, 72) for p in body.split("\n\n"))
    return "txt", f"{header}\n{body}\n\nThe End\n"


def generate(folder: Path, megabytes: float, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocab = [f"w{rng.randint(0, 10**6):x}" for _ in range(5000)]
    shapes = ["lines", "wrapped", "markdown", "html"]
    total, i = 0, 0
    while total < megabytes * 1e6:
        shape = shapes[i % len(shapes)]
        ext, text = _story(rng, vocab, shape)
        path = folder / f"{i:05d}_{shape}.{ext}"
        path.write_text(text, encoding="utf-8")
        total += path.stat().st_size
        i += 1


def run(folder: Path) -> dict:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    parse_story(b"Warm up the language identifier once before timing anything here.", "w.txt")
    by_format: dict[str, list[float]] = {}
    failed = 0
    for path in files:
        data = path.read_bytes()
        start = time.perf_counter()
        try:
            work = parse_story(data, path.name)
            fmt = work.source.format
        except StoryError:
            failed += 1
            fmt = "failed"
        elapsed = time.perf_counter() - start
        entry = by_format.setdefault(fmt, [0.0, 0.0, 0])
        entry[0] += len(data)
        entry[1] += elapsed
        entry[2] += 1
    total_bytes = sum(e[0] for e in by_format.values())
    total_time = sum(e[1] for e in by_format.values())
    return {
        "files": len(files),
        "failed": failed,
        "megabytes": round(total_bytes / 1e6, 2),
        "mb_per_s_per_core": round(total_bytes / 1e6 / total_time, 1),
        "by_format": {
            fmt: {
                "files": n,
                "megabytes": round(b / 1e6, 2),
                "mb_per_s": round(b / 1e6 / t, 1) if t else None,
            }
            for fmt, (b, t, n) in sorted(by_format.items())
        },
    }


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir", type=Path, help="folder of story files (default: generate synthetic ones)"
    )
    parser.add_argument("--megabytes", type=float, default=40, help="size of the synthetic corpus")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "ingest.json"
    )
    args = parser.parse_args()
    if args.dir:
        result = {"corpus": str(args.dir), **run(args.dir)}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), args.megabytes)
            result = {
                "corpus": f"synthetic, {args.megabytes:g} MB (bench/ingest.py generate)",
                **run(Path(tmp)),
            }
    result["machine"] = machine()
    print(f"{'format':<14}{'files':>7}{'MB':>9}{'MB/s':>8}")
    for fmt, row in result["by_format"].items():
        print(f"{fmt:<14}{row['files']:>7}{row['megabytes']:>9}{row['mb_per_s'] or '-':>8}")
    print(
        f"{'all':<14}{result['files']:>7}{result['megabytes']:>9}{result['mb_per_s_per_core']:>8}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
