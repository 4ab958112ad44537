"""Whole-archive export and import-dump: how long each takes for a synthetic archive.

    python bench/dump.py --works 500

A synthetic corpus (`ficarchive gen-corpus`, cached in bench/.cache/) is imported without the
analysis into a fresh SQLite archive (or the archive bench/search.py left in
bench/.cache/data-N is copied); then `ficarchive export` writes it to a folder and
`ficarchive import-dump` restores that into a second fresh archive, each timed as people run
them (a process each, migrations included). Writes bench/results/dump-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import machine  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"


def ficarchive(*args: str, data: Path) -> float:
    """Run one command in its own process against `data`; its wall time in seconds."""
    env = {**os.environ, "FICARCHIVE_DATA": str(data)}
    env.pop("FICARCHIVE_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ficarchive.cli", *args], check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=500)
    args = parser.parse_args()
    corpus = CACHE / f"corpus-{args.works}-seed1"
    imported = CACHE / f"data-{args.works}"
    with tempfile.TemporaryDirectory(prefix="bench-dump-") as tmp:
        tmp = Path(tmp)
        if (imported / "ficarchive.sqlite3").is_file():
            (tmp / "first").mkdir()
            for name in ("ficarchive.sqlite3", "secret_key"):
                shutil.copy(imported / name, tmp / "first" / name)
        else:
            if not corpus.is_dir():
                ficarchive(
                    "gen-corpus", "--works", str(args.works), "--out", str(corpus), data=CACHE
                )
            ficarchive("import", "--no-analysis", str(corpus), data=tmp / "first")
        export_s = ficarchive("export", str(tmp / "dump"), data=tmp / "first")
        import_s = ficarchive("import-dump", str(tmp / "dump"), data=tmp / "second")
        manifest = json.loads((tmp / "dump" / "manifest.json").read_text())
        rows = sum(entry["rows"] for entry in manifest["files"].values())
        size = sum(p.stat().st_size for p in (tmp / "dump").rglob("*") if p.is_file())
        shutil.rmtree(tmp / "dump")
    result = {
        "works": args.works,
        "rows": rows,
        "dump_mb": round(size / 1e6, 1),
        "export_s": round(export_s, 2),
        "import_dump_s": round(import_s, 2),
        "export_rows_per_s": round(rows / export_s),
        "import_rows_per_s": round(rows / import_s),
        "note": "wall time of the CLI process, Django start-up and migrations included; SQLite",
        "machine": machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"dump-{args.works}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
