"""Near-duplicate stories: MinHash signatures over word shingles, LSH band keys, chapter alignment.

The same story saved as HTML and as plain text, in another encoding, or with a word fixed, has
nearly the same word sequence. Its text is reduced to tokens (NFKC, case folded, punctuation
and markup gone; Chinese and Japanese read a character at a time, having no spaces), cut into
overlapping shingles of `SHINGLE_WORDS` tokens, and summarised by a MinHash `signature`: the
share of equal values between two signatures estimates the Jaccard similarity of their shingle
sets (`similarity`). `band_keys` cuts a signature into LSH bands (datasketch's banding math),
so the archive finds candidates with an indexed lookup of keys, never by comparing every work.

Chapters are compared exactly (`text_similarity`) and matched old to new by `align_chapters`,
which is what tells a newer version (the same chapters, some changed, more at the end) from a
different story. Pure: no Django.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 5  # a one-word edit changes at most five shingles
NUM_PERM = 128
SEED = 1
MINHASH_SCHEME = "affine32"  # datasketch >= 2.0; 32-bit values, 4 bytes each
# Candidates share at least one band. (BANDS, ROWS) is datasketch's `_optimal_param` for
# LSH_THRESHOLD and NUM_PERM (a test checks it), fixed here because stored keys depend on it:
# a work 40% similar is a candidate about half the time, one 70% similar almost always.
LSH_THRESHOLD = 0.4
BANDS, ROWS = 32, 4
# Names what the stored signatures and keys were made with; a change means a rebuild.
SCHEME = f"minhash-{MINHASH_SCHEME}-{NUM_PERM}-s{SEED}-w{SHINGLE_WORDS}-b{BANDS}x{ROWS}"

NEAR_DUPLICATE = 0.5  # work-level similarity from which two works are reported as alike
CHAPTER_MATCH = 0.5  # chapter-level similarity from which a chapter is "the same, changed"
REWRITE_MATCH = 0.1  # ... or, at its own position in the same work, "rewritten"; less: another
ALIGN_WINDOW = 20  # changed chapters are looked for this many positions around their own

_EMPTY = np.uint32(0xFFFFFFFF)  # the value of a slot no shingle reached
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_BATCH = 4096  # shingles permuted per numpy step (keeps the temporary matrix small)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it loses no bits
_LOW32 = np.uint64(0xFFFFFFFF)


def tokens(text: str) -> list[str]:
    """The words of a text as the comparison sees them: no case, punctuation or markup."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct shingles of a text as 64-bit hashes, stable across processes and runs.

    A shingle is a run of SHINGLE_WORDS tokens (a text shorter than that is one shingle). Each
    distinct token is hashed once (BLAKE2b), and a shingle's hash mixes its tokens' in order,
    in numpy: hashing every shingle's bytes instead costs ten times as long on a novel.
    """
    words = tokens(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    vocabulary: dict[str, int] = {}
    for word in words:
        if word not in vocabulary:
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            vocabulary[word] = int.from_bytes(digest, "little")
    ids = np.fromiter((vocabulary[w] for w in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(ids))
    count = len(ids) - width + 1
    mixed = ids[:count].copy()
    for k in range(1, width):
        mixed = mixed * _MIX ^ ids[k : k + count]
    return np.unique(_finalise(mixed))


def _finalise(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit (array ops wrap mod 2**64)."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def text_fingerprint(text: str) -> str:
    """A short hash of the tokens: equal for the same words in any format, wrapping or quotes."""
    return hashlib.sha256(" ".join(tokens(text)).encode()).hexdigest()[:32]


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles: NUM_PERM uint32 values.

    Compatible with datasketch: `MinHash(NUM_PERM, SEED, scheme=MINHASH_SCHEME,
    hashvalues=signature(text))`. A text with no words has the empty signature (`is_empty`).
    """
    return sketch(text)[0]


def sketch(text: str) -> tuple[np.ndarray, int]:
    """The signature of a text and its number of distinct shingles (for `containment`)."""
    found = (shingle_hashes(text) & _LOW32).astype(np.uint32)
    return _minhash(found), len(found)


def _minhash(found: np.ndarray) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=MINHASH_SCHEME, hashfunc=int)
    for start in range(0, len(found), _BATCH):
        minhash.update_batch(found[start : start + _BATCH].tolist())  # ints: 3x faster
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def story_text(chapter_texts: Iterable[str]) -> str:
    """The text a work's signature is made of: its chapters' texts, in order."""
    return "\n\n".join(chapter_texts)


def is_empty(sig: np.ndarray) -> bool:
    return bool(np.all(sig == _EMPTY))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either has none)."""
    if len(a) != len(b):
        raise ValueError(
            f"signatures of {len(a)} and {len(b)} values cannot be compared; "
            "rebuild the stored ones with the current SCHEME"
        )
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def containment(similarity_ab: float, size_a: int, size_b: int) -> float:
    """The share of A's shingles also in B, from their Jaccard similarity and set sizes."""
    if not size_a:
        return 0.0
    common = similarity_ab * (size_a + size_b) / (1 + similarity_ab)
    return min(1.0, common / size_a)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band; two works sharing any key are candidates."""
    if is_empty(sig):
        return []
    values = np.asarray(sig, dtype="<u4")
    keys = []
    for band in range(BANDS):
        rows = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


class SketchIndex:
    """The works seen so far in one plan, found again by LSH band: which earlier ones a new
    work resembles, without comparing every pair."""

    def __init__(self) -> None:
        self._by_band: dict[int, list[str]] = {}
        self._sketches: dict[str, np.ndarray] = {}

    def resembled(self, key: str, sig: np.ndarray, threshold: float = NEAR_DUPLICATE) -> list[str]:
        """The earlier keys whose signature is at least `threshold` alike; then `key` is added."""
        keys = band_keys(sig)
        seen = {other for band in keys for other in self._by_band.get(band, [])}
        alike = sorted(o for o in seen if similarity(sig, self._sketches[o]) >= threshold)
        self._sketches[key] = sig
        for band in keys:
            self._by_band.setdefault(band, []).append(key)
        return alike


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def _shingle_set(text: str) -> set[int]:
    return set(shingle_hashes(text).tolist())


def text_similarity(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for chapters, where both are at hand)."""
    return _jaccard(_shingle_set(a), _shingle_set(b))


def _jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --- Chapters of an old and a new version -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChapterMatch:
    old: int  # index in the stored chapters
    new: int  # index in the new version's chapters
    kind: str  # "same" (same words) or "changed"
    similarity: float
    step: str  # the alignment step that matched them


@dataclass(slots=True)
class Alignment:
    """Which stored chapter each new chapter is; the rest are added (new) or missing (old)."""

    old_count: int
    new_count: int
    matches: list[ChapterMatch] = field(default_factory=list)

    @property
    def added(self) -> list[int]:
        matched = {m.new for m in self.matches}
        return [j for j in range(self.new_count) if j not in matched]

    @property
    def missing(self) -> list[int]:
        matched = {m.old for m in self.matches}
        return [i for i in range(self.old_count) if i not in matched]

    @property
    def changed(self) -> list[ChapterMatch]:
        return [m for m in self.matches if m.kind == "changed"]

    @property
    def same(self) -> list[ChapterMatch]:
        return [m for m in self.matches if m.kind == "same"]

    @property
    def in_order(self) -> bool:
        """The matched chapters keep their reading order in the new version."""
        news = [m.new for m in sorted(self.matches, key=lambda m: m.old)]
        return news == sorted(news)

    @property
    def is_extension(self) -> bool:
        """Every stored chapter is in the new version, in order (some perhaps changed)."""
        return self.old_count > 0 and not self.missing and self.in_order

    def order(self) -> list[tuple[str, int]]:
        """The reading order after an update: ("old", i) and ("new", j) entries.

        The new version's order, each stored chapter where its match is, and a stored chapter
        the new version lacks kept right after the stored chapter before it (never dropped).
        """
        by_new = {m.new: m.old for m in self.matches}
        order: list[tuple[str, int]] = [
            ("old", by_new[j]) if j in by_new else ("new", j) for j in range(self.new_count)
        ]
        for i in self.missing:
            at = 0
            for k, entry in enumerate(order):
                if entry[0] == "old" and entry[1] < i:
                    at = k + 1
            order.insert(at, ("old", i))
        return order


def align_chapters(
    old: Sequence[str], new: Sequence[str], *, by_position: bool = False
) -> Alignment:
    """Match stored chapter texts (`old`) to a new version's (`new`), in ordered steps.

    1. same words (equal `text_fingerprint`), the nearest position first;
    2. similar text (`text_similarity` >= CHAPTER_MATCH) within ALIGN_WINDOW positions;
    3. with `by_position` (the caller knows it is the same work: same source or file), a
       chapter still unmatched is the one at its own position, rewritten, if they still share
       some text (REWRITE_MATCH): an update replaces a matched chapter's text, so a chapter
       with nothing in common stays unmatched (kept as missing, the other added), never lost.
    """
    alignment = Alignment(len(old), len(new))
    free_old = set(range(len(old)))
    free_new = list(range(len(new)))
    for step in _STEPS if by_position else _STEPS[:-1]:
        for match in step(old, new, free_old, free_new):
            alignment.matches.append(match)
            free_old.discard(match.old)
            free_new.remove(match.new)
    alignment.matches.sort(key=lambda m: m.new)
    return alignment


def _same_words(old, new, free_old: set[int], free_new: list[int]):
    by_print: dict[str, list[int]] = {}
    for i in sorted(free_old):
        by_print.setdefault(text_fingerprint(old[i]), []).append(i)
    for j in list(free_new):
        olds = by_print.get(text_fingerprint(new[j]))
        if olds:
            i = min(olds, key=lambda i: abs(i - j))
            olds.remove(i)
            yield ChapterMatch(i, j, "same", 1.0, "same words")


def _similar_text(old, new, free_old: set[int], free_new: list[int]):
    old_sets = {i: _shingle_set(old[i]) for i in free_old}
    taken: set[int] = set()
    for j in list(free_new):
        new_set = _shingle_set(new[j])
        scored = [
            (_jaccard(old_sets[i], new_set), -abs(i - j), i)
            for i in old_sets
            if i not in taken and abs(i - j) <= ALIGN_WINDOW
        ]
        best = max(scored, default=None)
        if best and best[0] >= CHAPTER_MATCH:
            taken.add(best[2])
            yield ChapterMatch(best[2], j, "changed", round(best[0], 3), "similar text")


def _same_position(old, new, free_old: set[int], free_new: list[int]):
    for j in list(free_new):
        if j in free_old:
            score = text_similarity(old[j], new[j])
            if score >= REWRITE_MATCH:
                yield ChapterMatch(j, j, "changed", round(score, 3), "position")


_STEPS = (_same_words, _similar_text, _same_position)
