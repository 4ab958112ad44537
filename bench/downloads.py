"""Download speed: a 100,000-word work as EPUB, HTML and TXT, cold (built) and cached.

    python bench/downloads.py                  # 100,000 words in 25 chapters
    python bench/downloads.py --words 300000 --chapters 60

A deterministic work (paragraphs with emphasis and dialogue, scene breaks, an epigraph and notes
per chapter, tags) is imported into a fresh SQLite archive in a temporary data directory. Each
format is then requested through Django's test client at `/works/ID/download/FMT/` (view, cache
and all): "cold" with the download cache emptied before every request (the work read from the
database, its stored HTML read back to blocks, the file written), "cached" with the file already
on disk. The phases of a cold EPUB (database, stored HTML to blocks, writing) are timed apart,
and so is the writer alone on the parsed work (`ficarchive convert`'s path).

Writes bench/results/downloads.json (milliseconds: wall-clock median and max of `--runs` runs,
and the median CPU time) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
_VOCABULARY = (
    "the lamp was still burning and nobody knew why she said he turned towards harbour light "
    "storm glass keeper tower night morning water salt rope stairs door quietly again never "
    "always window wind sea boat letter hand voice long cold small old under over through"
)
WORDS = _VOCABULARY.split()


def make_work(words: int, chapters: int):
    """A ParsedWork of about `words` words, the same on every run."""
    from ficarchive.text.model import SCENE_BREAK, Block, Chapter, Creator, ParsedWork, Tag, TagType

    rng = random.Random(6)
    work = ParsedWork(
        title="The Long Light",
        creators=[Creator("Bench Writer")],
        summary=[Block(html="A keeper, a storm, and a <em>very</em> long night.")],
        notes=[Block(html="Written for the download benchmark.")],
        rating="Teen And Up Audiences",
        tags=[Tag(TagType.FANDOM, "Original Work"), Tag(TagType.FREEFORM, "Lighthouses")],
        language="en",
        complete=True,
        published="2020-01-01",
    )
    per_chapter = words // chapters
    for number in range(1, chapters + 1):
        blocks: list[Block] = []
        count = 0
        while count < per_chapter:
            n = rng.randint(20, 90)
            text = [rng.choice(WORDS) for _ in range(n)]
            text[rng.randrange(n)] = f"<em>{rng.choice(WORDS)}</em>"
            if rng.random() < 0.3:
                text = ["“" + text[0]] + text[1:] + ["”"]
            blocks.append(Block(html=" ".join(text) + "."))
            count += n
            if rng.random() < 0.01:
                blocks.append(SCENE_BREAK)
        work.chapters.append(
            Chapter(
                number=number,
                title=f"Part {number}",
                epigraph=[Block(kind="verse", html="Light, light,<br>against the night")],
                notes=[Block(html=f"Notes for part {number}.")],
                blocks=blocks,
            )
        )
    return work


def timed(fn, runs: int) -> dict:
    """Wall-clock median and max, and the median CPU time (what a loaded shared machine does not
    inflate: everything here, SQLite included, runs in this process)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(wall), 1),
        "max_ms": round(max(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--chapters", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="ficarchive-bench-downloads-"))
    os.environ["FICARCHIVE_DATA"] = str(data)
    os.environ.pop("FICARCHIVE_DATABASE_URL", None)
    os.environ["FICARCHIVE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ficarchive.archive import actions, downloads
    from ficarchive.formats import FORMATS, render_work

    try:
        call_command("migrate", interactive=False, verbosity=0)
        parsed = make_work(args.words, args.chapters)
        work = actions.import_work(parsed, raw=b"bench downloads", analyse=False).work
        client = Client()
        cache = downloads.cache_dir()

        def fetch(fmt: str, cold: bool) -> None:
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            response = client.get(f"/works/{work.pk}/download/{fmt}/")
            assert response.status_code == 200, response.status_code
            b"".join(response.streaming_content)

        results: dict = {"words": work.word_count, "chapters": work.chapter_count, "formats": {}}
        for fmt in FORMATS:
            fetch(fmt, cold=True)  # warm up imports and the database
            cold = timed(lambda fmt=fmt: fetch(fmt, cold=True), args.runs)
            cached = timed(lambda fmt=fmt: fetch(fmt, cold=False), args.runs)
            size = next(cache.glob(f"*/{fmt}-*")).stat().st_size
            results["formats"][fmt] = {"cold": cold, "cached": cached, "bytes": size}

        snapshot: dict = {}
        rebuilt: dict = {}
        phases = {
            "database": timed(lambda: snapshot.update(downloads._snapshot(work)), args.runs),
            "stored_html_to_blocks": timed(
                lambda: rebuilt.update(w=downloads.parsed_from_snapshot(snapshot)), args.runs
            ),
            "write_epub": timed(lambda: render_work(rebuilt["w"], "epub"), args.runs),
        }
        results["epub_cold_phases"] = phases
        results["writer_alone"] = {
            fmt: timed(lambda fmt=fmt: render_work(parsed, fmt), args.runs) for fmt in FORMATS
        }
        results["runs"] = args.runs
        results["database"] = "sqlite3"
        results["machine"] = machine()
    finally:
        shutil.rmtree(data, ignore_errors=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "downloads.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results['words']:,} words, {results['chapters']} chapters ({out})")
    print(
        f"{'format':8} {'cold median':>12} {'cold cpu':>10} {'cold max':>10} {'cached':>8} {'size':>10}"
    )
    for fmt, row in results["formats"].items():
        cold = row["cold"]
        print(
            f"{fmt:8} {cold['median_ms']:>9} ms {cold['cpu_median_ms']:>7} ms {cold['max_ms']:>7} ms "
            f"{row['cached']['median_ms']:>5} ms {row['bytes'] / 1024:>7.0f} KB"
        )
    for name, row in phases.items():
        print(f"  epub phase {name}: {row['median_ms']} ms (cpu {row['cpu_median_ms']} ms)")


if __name__ == "__main__":
    main()
