"""How long planning a big saved site takes: a generated site of N pages, planned once.

    python bench/plan_site.py [PAGES] [WORKERS]

Writes a site of PAGES story pages (stories of 1-5 chapters linked by next/previous, a story
index each, a site index, a stylesheet) to a temporary folder, plans it, prints the time.

Measured (2 shared cores, 2 workers, other jobs running): 1,000 pages 2.5 s; 5,000 pages
15.1 s (3.0 ms a page, linear). Nearly all of it is `text.parse_story`, once per page (about
4 ms a small page on one core); link resolution, grouping and boilerplate are a small share.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ficarchive.rescue.site import plan_site

WORDS = [
    "the",
    "keeper",
    "climbed",
    "stairs",
    "with",
    "oil",
    "and",
    "a",
    "lamp",
    "while",
    "storm",
    "waves",
    "broke",
    "on",
    "rocks",
    "below",
]


def _prose(seed: int, paragraphs: int = 12) -> str:
    out = []
    for p in range(paragraphs):
        words = [WORDS[(seed * 7 + p * 3 + i) % len(WORDS)] for i in range(40)]
        out.append(f"<p>{' '.join(words).capitalize()} {seed}-{p}.</p>")
    return "\n".join(out)


def make_site(root: Path, pages: int) -> None:
    entries, story, made = [], 0, 0
    while made < pages:
        chapters = min(1 + story % 5, pages - made)
        folder = root / "stories" / f"s{story}"
        folder.mkdir(parents=True)
        for n in range(1, chapters + 1):
            nav = (f'<a href="ch{n - 1}.html">&lt;&lt; Previous</a>' if n > 1 else "") + (
                f' <a href="ch{n + 1}.html">Next &gt;&gt;</a>' if n < chapters else ""
            )
            (folder / f"ch{n}.html").write_text(
                f"<html><head><title>Story {story} - Chapter {n}</title></head><body>"
                "<p>Disclaimer: all characters belong to their owners.</p>"
                f"<h2>Story {story}</h2>{_prose(story * 10 + n)}<p>{nav}</p>"
                '<p><a href="../../index.html">&lt;&lt; back</a></p></body></html>'
            )
        links = "".join(
            f'<li><a href="ch{n}.html">Chapter {n}</a></li>' for n in range(1, chapters + 1)
        )
        (folder / "index.html").write_text(
            f"<html><head><title>Story {story}</title></head><body><h2>Story {story}</h2>"
            f"<p>by Writer {story % 40}</p><ul>{links}</ul></body></html>"
        )
        entries.append(
            f'<li><a href="stories/s{story}/index.html">Story {story}</a> by Writer {story % 40}</li>'
        )
        made += chapters
        story += 1
    (root / "index.html").write_text(
        f"<html><body><h1>Big Archive</h1><ul>{''.join(entries)}</ul></body></html>"
    )
    (root / "style.css").write_text("body{}")


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root, pages)
        start = time.perf_counter()
        plan = plan_site(root, workers=workers)
        took = time.perf_counter() - start
    chapters = sum(len(w.chapters) for w in plan.works)
    print(
        f"{pages} story pages: planned in {took:.1f}s ({took / pages * 1000:.2f} ms a page), "
        f"{len(plan.works)} works, {chapters} chapters, {len(plan.skipped)} skipped, "
        f"{len(plan.boilerplate)} boilerplate line(s)"
    )


if __name__ == "__main__":
    main()
