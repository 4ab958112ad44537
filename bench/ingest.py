"""Parsing throughput: MB of story text per second on one core (the first stage of every import).

    python bench/ingest.py                 # synthetic works as plain text, Markdown, HTML and AO3
    python bench/ingest.py --dir FOLDER    # your own folder of story files

Writes bench/results/ingest.json with the machine described. Target: >= 10 MB/s per core for
plain text.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ficarchive.synthetic import SyntheticWork, render_ao3_download, synthetic_work  # noqa: E402
from ficarchive.text import StoryError, parse_story  # noqa: E402

SHAPES = ("lines", "wrapped", "markdown", "html", "ao3")


def _plain(paragraph: str) -> str:
    """A paragraph's inline HTML as the text formats write it: emphasis as *stars*."""
    return paragraph.replace("<em>", "*").replace("</em>", "*") or "* * *"


def _story(work: SyntheticWork, shape: str) -> tuple[str, str]:
    """The work written in one of the shapes the importer reads: (file extension, text)."""
    if shape == "ao3":
        return "html", render_ao3_download(work)
    headings = [
        f"Chapter {n}" + (f": {c.title}" if c.title else "")
        for n, c in enumerate(work.chapters, start=1)
    ]
    creators = ", ".join(work.creators) or "Anonymous"
    header = (
        f"Title: {work.title}\nAuthor: {creators}\nRating: {work.rating}\n"
        f"Summary: {_plain(work.summary)}\n"
    )
    if shape == "html":
        body = "".join(
            f"<h2>{h}</h2>" + "".join(f"<p>{p}</p>" if p else "<hr>" for p in c.paragraphs)
            for h, c in zip(headings, work.chapters)
        )
        head = header.replace("\n", "<br>")
        return "html", (
            f"<html><head><title>{work.title}</title></head><body><p>{head}</p>{body}"
            "<p>The End</p></body></html>"
        )
    paragraphs = [[_plain(p) for p in c.paragraphs] for c in work.chapters]
    if shape == "markdown":
        body = "\n\n".join(f"## {h}\n\n" + "\n\n".join(ps) for h, ps in zip(headings, paragraphs))
        return "md", f"# {work.title}\n\n{body}\n"
    if shape == "wrapped":
        paragraphs = [[textwrap.fill(p, 72) for p in ps] for ps in paragraphs]
    body = "\n\n".join(f"{h}\n\n" + "\n\n".join(ps) for h, ps in zip(headings, paragraphs))
    return "txt", f"{header}\n{body}\n\nThe End\n"


def generate(folder: Path, megabytes: float, seed: int = 7) -> None:
    """Synthetic works (ficarchive.synthetic) in turn as plain text, wrapped text, Markdown,
    generic HTML and AO3 downloads, until the folder holds `megabytes`."""
    total, number = 0, 0
    while total < megabytes * 1e6:
        shape = SHAPES[number % len(SHAPES)]
        ext, text = _story(synthetic_work(number, seed), shape)
        path = folder / f"{number:05d}_{shape}.{ext}"
        path.write_text(text, encoding="utf-8")
        total += path.stat().st_size
        number += 1


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
                "corpus": f"synthetic, {args.megabytes:g} MB (ficarchive.synthetic works in 5 shapes)",
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
