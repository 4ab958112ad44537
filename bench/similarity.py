"""How well the near-duplicate signature separates the same story from different ones.

Reads ../shared/corpora/fanfic-dev: every story file is parsed, and each is compared with
(a) the other files of the corpus (the AO3 HTML and EPUB of one work are the same story; all
other pairs are different stories), and (b) variants made from it: written out as plain text,
HTML and EPUB by ficarchive's own writers and read back, its text pasted into a bare .txt in
Windows-1252 (GB18030 for Chinese), a one-word edit, a chapter added and one dropped. Prints each figure and a
summary; results go to bench/results/similarity.txt by hand (`... > bench/results/...`).

    python -m bench.similarity
"""

from __future__ import annotations

import itertools
import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from ficarchive.formats import render_work
from ficarchive.rescue import similarity as sim
from ficarchive.text import StoryError, parse_story
from ficarchive.text.model import Block, Chapter

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "fanfic-dev"
SAME_WORK = re.compile(r"^ao3-(?:dl-html|epub)_(.+)\.(?:html|epub)$")


def text_of(work) -> str:
    return "\n".join(chapter.text for chapter in work.chapters)


def stories() -> dict[str, object]:
    found = {}
    for path in sorted(CORPUS.iterdir()):
        if path.name.endswith((".source.txt", ".md")):
            continue
        try:
            found[path.name] = parse_story(path.read_bytes(), path.name)
        except StoryError as exc:
            print(f"# not a story: {path.name}: {exc}")
    return found


def one_word_edit(work):
    chapter = work.chapters[0]
    blocks = list(chapter.blocks)
    for k, block in enumerate(blocks):
        words = block.html.split(" ")
        if block.kind != "break" and len(words) > 8:
            words[len(words) // 2] = "marmalade"
            blocks[k] = replace(block, html=" ".join(words))
            break
    return replace(work, chapters=[replace(chapter, blocks=blocks), *work.chapters[1:]])


def with_extra_chapter(work):
    extra = Chapter(
        number=len(work.chapters) + 1,
        title="An epilogue",
        blocks=[
            Block(html="Years later the house by the sea still stood, and someone lived in it.")
        ],
    )
    return replace(work, chapters=[*work.chapters, extra])


def variants(name: str, work) -> dict[str, str]:
    out = {}
    for fmt in ("txt", "html", "epub"):
        try:
            back = parse_story(render_work(work, fmt), f"copy.{fmt}")
            out[f"written as {fmt}, read back"] = text_of(back)
        except StoryError as exc:
            print(f"# {name} as {fmt} does not read back: {exc}")
    try:
        bare = text_of(work).encode("cp1252")
    except UnicodeEncodeError:
        bare = text_of(work).encode("gb18030")  # what a Chinese text editor of 2005 saved
    try:
        out["bare text, legacy encoding"] = text_of(parse_story(bare, "pasted.txt"))
    except StoryError as exc:
        print(f"# {name} as bare legacy-encoded text does not read back: {exc}")
    out["one-word edit"] = text_of(one_word_edit(work))
    out["one chapter more"] = text_of(with_extra_chapter(work))
    if len(work.chapters) > 1:
        out["last chapter dropped"] = text_of(replace(work, chapters=work.chapters[:-1]))
    return out


def main() -> int:
    if not CORPUS.is_dir():
        print(f"{CORPUS} is not present; nothing to measure")
        return 0
    works = stories()
    started = time.perf_counter()
    sigs = {name: sim.signature(text_of(work)) for name, work in works.items()}
    per_work = (time.perf_counter() - started) / max(len(works), 1)
    same, different = [], []
    print("## corpus pairs (estimated Jaccard, exact Jaccard)")
    for a, b in itertools.combinations(works, 2):
        ma, mb = SAME_WORK.match(a), SAME_WORK.match(b)
        is_same = bool(ma and mb and ma.group(1) == mb.group(1))
        estimate = sim.similarity(sigs[a], sigs[b])
        (same if is_same else different).append(estimate)
        if is_same or estimate > 0.05:
            exact = sim.text_similarity(text_of(works[a]), text_of(works[b]))
            print(f"{'SAME' if is_same else 'diff'} {estimate:.3f} {exact:.3f}  {a} ~ {b}")
    print("\n## variants of each story (estimated Jaccard with the original)")
    by_kind: dict[str, list[float]] = {}
    for name, work in works.items():
        for kind, text in variants(name, work).items():
            score = sim.similarity(sigs[name], sim.signature(text))
            by_kind.setdefault(kind, []).append(score)
            print(f"{score:.3f}  {kind:28} {name}")
    print("\n## summary")
    print(f"signature: {per_work * 1000:.0f} ms per work on average ({len(works)} works)")
    print(f"same work, other format: n={len(same)} min={min(same, default=0):.3f}")
    print(
        f"different works: n={len(different)} max={max(different, default=0):.3f} "
        f"mean={statistics.fmean(different) if different else 0:.4f}"
    )
    for kind, scores in by_kind.items():
        print(
            f"{kind:28} n={len(scores)} min={min(scores):.3f} mean={statistics.fmean(scores):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
