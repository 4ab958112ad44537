"""Duplicates and new versions: is a work about to be imported already in the archive?

`classify` compares a prepared work with the stored works that could be it, found by indexed
lookups only (never a scan of the archive): the same source bytes or content fingerprint, the
same source URL, the same file name, title and creator, a chapter with the same words, or a
shared LSH band of the near-duplicate signature (`rescue.similarity`). Each candidate is then
judged by an ordered table of rules (`RULES`); the first that holds gives the verdict:

- "duplicate": the same bytes, the same content, or nothing new: skip it;
- "update": a newer version (same source with more or changed chapters, or the stored
  chapters continued): update the stored work in place (`archive.actions.update_work_from`);
- "near-duplicate": similar text, not clearly a newer version: report it, never merge;
- "new": nothing like it is stored.

The plan maker calls `annotate_plan_work`; `ficarchive import --update FILE` calls
`update_from_file`; `backfill_signatures` fills signatures for works stored before they existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count

from ficarchive.archive import actions, ingest
from ficarchive.archive.actions import UpdateResult
from ficarchive.archive.ingest import PreparedWork
from ficarchive.archive.models import Chapter, SignatureBand, Work, WorkSignature
from ficarchive.rescue import similarity
from ficarchive.rescue.plan import PlannedWork
from ficarchive.rescue.similarity import Alignment

NEW, DUPLICATE, UPDATE, NEAR = "new", "duplicate", "update", "near-duplicate"
MAX_CANDIDATES = 20  # stored works compared in full with one new work
MIN_SHARED_CHAPTER_WORDS = 50  # a shorter shared chapter ("Author's note") is no evidence
PREFIX_CONTAINMENT = 0.8  # a band candidate whose text is mostly inside the new one is kept

# Evidence codes; the first three say the new work is the stored one, whatever its text.
BYTES, CONTENT, URL, FILE = "same bytes", "same content", "same source URL", "same file"
TITLE, CHAPTER, TEXT = "same title and creator", "shared chapter", "similar text"
IDENTITY = (URL, FILE)
ALREADY_STORED = ("same bytes", "same content", "same chapter texts")  # rules: nothing to update


class VersionError(ValueError):
    """No stored work, or more than one, matches a file given as a newer version."""


@dataclass(slots=True)
class Candidate:
    """A stored work that could be the new one, with what was found and how they compare."""

    work: Work
    evidence: dict[str, str] = field(default_factory=dict)  # code -> sentence for the report
    similarity: float = 0.0
    alignment: Alignment | None = None

    @property
    def identity(self) -> bool:
        return any(code in self.evidence for code in IDENTITY)


@dataclass(slots=True)
class Verdict:
    kind: str  # NEW, DUPLICATE, UPDATE or NEAR
    work: Work | None = None
    evidence: list[str] = field(default_factory=list)
    similarity: float | None = None
    alignment: Alignment | None = None
    rule: str = ""
    near: list[tuple[Work, float]] = field(default_factory=list)  # other stored works alike
    ambiguous: bool = False  # several stored works could be its earlier version

    @property
    def reason(self) -> str:
        """One line for the plan: the verdict, the work, and the strongest evidence."""
        if self.work is None:
            return ""
        label = {DUPLICATE: "duplicate of", UPDATE: "newer version of", NEAR: "resembles"}
        text = f"{label[self.kind]} #{self.work.pk} {self.work.title!r} ({self.rule}"
        if self.alignment is not None and self.kind == UPDATE:
            a = self.alignment
            text += (
                f": {len(a.added)} chapter(s) new, {len(a.changed)} changed, "
                f"{len(a.missing)} missing"
            )
        text += ")"
        if self.ambiguous:
            others = ", ".join(f"#{w.pk}" for w, _ in self.near)
            text += f"; also like {others}: choose which to update"
        return text


# --- Rules: the first that holds for a candidate is its verdict --------------------------------


def _same_bytes(c: Candidate) -> bool:
    return BYTES in c.evidence


def _same_content(c: Candidate) -> bool:
    return CONTENT in c.evidence


def _same_text(c: Candidate) -> bool:
    a = c.alignment
    return bool(a and a.matches and len(a.same) == a.old_count == a.new_count)


def _same_source_other_text(c: Candidate) -> bool:
    return (
        c.identity and bool(c.alignment) and not c.alignment.matches and c.alignment.old_count > 0
    )


def _newer_from_same_source(c: Candidate) -> bool:
    return c.identity and bool(c.alignment and (c.alignment.added or c.alignment.changed))


def _nothing_new_from_same_source(c: Candidate) -> bool:
    return c.identity and bool(c.alignment) and not (c.alignment.added or c.alignment.changed)


def _stored_chapters_continued(c: Candidate) -> bool:
    return bool(c.alignment and c.alignment.is_extension and c.alignment.added)


def _similar(c: Candidate) -> bool:
    return c.similarity >= similarity.NEAR_DUPLICATE or bool(c.alignment and c.alignment.matches)


RULES: tuple[tuple[str, Callable[[Candidate], bool], str], ...] = (
    ("same bytes", _same_bytes, DUPLICATE),
    ("same content", _same_content, DUPLICATE),
    ("same chapter texts", _same_text, DUPLICATE),
    ("same source, but no chapter in common", _same_source_other_text, NEAR),
    ("same source, more or changed chapters", _newer_from_same_source, UPDATE),
    ("same source, nothing new", _nothing_new_from_same_source, DUPLICATE),
    ("its chapters continue the stored ones", _stored_chapters_continued, UPDATE),
    ("similar text", _similar, NEAR),
)


def judge(candidate: Candidate) -> tuple[int, str, str] | None:
    """(rule index, rule name, verdict kind) of the first rule that holds, or None."""
    for index, (name, holds, kind) in enumerate(RULES):
        if holds(candidate):
            return index, name, kind
    return None


# --- Classify ----------------------------------------------------------------------------------


def classify(prepared: PreparedWork, source_url: str = "", filename: str = "") -> Verdict:
    """Whether `prepared` is new, a duplicate, a newer version or a near-duplicate of a stored work.

    `source_url` and `filename` are where it comes from when the caller knows better than the
    file itself (a page of a saved site, a file of a plan); the prepared work's own are used too.
    """
    candidates = compare(prepared, find_candidates(prepared, source_url, filename))
    judged = []
    for candidate in candidates:
        found = judge(candidate)
        if found is not None:
            judged.append((found, candidate))
    if not judged:
        return Verdict(NEW)
    judged.sort(key=lambda pair: (pair[0][0], -pair[1].similarity, pair[1].work.pk))
    (index, rule, kind), best = judged[0]
    rivals = [c for (i, _, k), c in judged[1:] if k == UPDATE and i == index]
    verdict = Verdict(
        kind=NEAR if kind == UPDATE and rivals else kind,
        work=best.work,
        evidence=list(best.evidence.values()),
        similarity=round(best.similarity, 3),
        alignment=best.alignment,
        rule=rule,
        near=[(c.work, round(c.similarity, 3)) for _, c in judged[1:]],
        ambiguous=bool(kind == UPDATE and rivals),
    )
    return verdict


def find_candidates(
    prepared: PreparedWork, source_url: str = "", filename: str = ""
) -> dict[int, Candidate]:
    """The stored works that could be `prepared`, each with its evidence: indexed lookups only."""
    found: dict[int, Candidate] = {}

    def note(works, code: str, sentence: str) -> None:
        for work in works:
            found.setdefault(work.pk, Candidate(work)).evidence.setdefault(code, sentence)

    by_bytes = Work.all_objects.filter(sources__sha256=prepared.sha256)
    note(by_bytes, BYTES, "the same file bytes were imported before")
    by_content = Work.all_objects.filter(content_hash=prepared.fingerprint)
    note(by_content, CONTENT, "the same title, creators and chapter texts")
    urls = {u for raw in (source_url, prepared.url) for u in _url_variants(raw)}
    if urls:
        by_url = Work.all_objects.filter(sources__url__in=urls).distinct()
        note(by_url, URL, f"the same source URL ({source_url or prepared.url})")
    name = Path(filename or prepared.filename).name
    if name:
        by_file = Work.all_objects.filter(sources__filename__in={name, filename} - {""}).distinct()
        same = [w for w in by_file if _same_title_and_creators(w, prepared)]
        note(same, FILE, f"the same file name ({name}), title and creator")
    note(_by_title_and_creator(prepared), TITLE, "the same title and creator")
    prints = [c.fingerprint for c in prepared.chapters if c.word_count >= MIN_SHARED_CHAPTER_WORDS]
    if prints:
        shared = Work.all_objects.filter(
            chapters__fingerprint__in=prints, chapters__word_count__gte=MIN_SHARED_CHAPTER_WORDS
        ).distinct()[:MAX_CANDIDATES]
        note(shared, CHAPTER, "a chapter with the same words")
    _note_band_candidates(prepared, found)
    return found


def _note_band_candidates(prepared: PreparedWork, found: dict[int, Candidate]) -> None:
    """Works sharing an LSH band with the new one, kept when their text is alike or inside it."""
    sig, size = similarity.from_bytes(prepared.minhash), prepared.shingles
    keys = similarity.band_keys(sig)
    if not keys:
        return
    ids = [
        row["work_id"]
        for row in SignatureBand.objects.filter(key__in=keys)
        .values("work_id")
        .annotate(bands=Count("id"))
        .order_by("-bands", "work_id")[: MAX_CANDIDATES * 2]
    ]
    signatures = WorkSignature.objects.filter(
        work_id__in=ids + list(found), scheme=similarity.SCHEME
    ).select_related("work")
    for stored in signatures:
        estimate = similarity.similarity(sig, similarity.from_bytes(stored.minhash))
        inside = similarity.containment(estimate, stored.shingles, size)
        alike = estimate >= similarity.NEAR_DUPLICATE or inside >= PREFIX_CONTAINMENT
        if stored.work_id in found:
            found[stored.work_id].similarity = estimate
        elif alike:
            found[stored.work_id] = Candidate(stored.work, similarity=estimate)
        if alike:
            found[stored.work_id].evidence.setdefault(
                TEXT,
                f"similar text (estimated similarity {estimate:.2f}, {inside:.0%} of it inside)",
            )


def compare(prepared: PreparedWork, found: dict[int, Candidate]) -> list[Candidate]:
    """The strongest candidates, each with its chapters aligned to the new version's."""
    ranked = (BYTES, CONTENT, URL, FILE, CHAPTER, TEXT, TITLE)
    strength = {code: rank for rank, code in enumerate(ranked)}
    chosen = sorted(
        found.values(),
        key=lambda c: (min(strength[code] for code in c.evidence), -c.similarity, c.work.pk),
    )[:MAX_CANDIDATES]
    texts: dict[int, list[str]] = {c.work.pk: [] for c in chosen}
    for work_id, text in (
        Chapter.objects.filter(work_id__in=list(texts))
        .order_by("work_id", "position")
        .values_list("work_id", "body_text")
    ):
        texts[work_id].append(text)
    new = [c.body_text for c in prepared.chapters]
    for candidate in chosen:
        candidate.alignment = similarity.align_chapters(
            texts[candidate.work.pk], new, by_position=candidate.identity
        )
        if not candidate.similarity:  # no stored signature yet: from the chapters at hand
            candidate.similarity = similarity.text_similarity(
                similarity.story_text(texts[candidate.work.pk]), similarity.story_text(new)
            )
    return chosen


def _url_variants(url: str) -> set[str]:
    """The same address with http or https, with or without www. and a trailing slash."""
    url = url.strip()
    if not url:
        return set()
    rest = re.sub(r"^https?://(?:www\.)?", "", url, flags=re.IGNORECASE).rstrip("/")
    return {
        f"{scheme}://{www}{rest}{slash}"
        for scheme in ("http", "https")
        for www in ("", "www.")
        for slash in ("", "/")
    }


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _by_title_and_creator(prepared: PreparedWork) -> list[Work]:
    """Stored works of the same title by one of the same creators (through the pseud index)."""
    if prepared.title_missing or not prepared.creators:
        return []
    works = Work.all_objects.filter(
        creatorships__pseud__name__in=prepared.creators, title__iexact=prepared.title
    ).distinct()[:MAX_CANDIDATES]
    return list(works)


def _same_title_and_creators(work: Work, prepared: PreparedWork) -> bool:
    if _key(work.title) != _key(prepared.title):
        return False
    stored = {_key(name) for name in work.pseuds.values_list("name", flat=True)}
    new = {_key(name) for name in prepared.creators}
    return bool(stored & new) or not (stored or new)


# --- The plan and the command line --------------------------------------------------------------


def annotate_plan_work(
    planned: PlannedWork, prepared: PreparedWork, *, source_url: str = "", filename: str = ""
) -> Verdict:
    """Fill a `rescue.plan.PlannedWork`'s action, update_of, duplicate_of and near_duplicates.

    Only a work the plan would import is changed: a skip or update the archivist (or the plan
    maker) chose stays. Near-duplicates stay imports, listed for the archivist to look at.
    """
    filename = filename or (planned.chapters[0].source if planned.chapters else "")
    verdict = classify(prepared, source_url=source_url, filename=filename)
    if verdict.work is None:
        return verdict
    planned.near_duplicates = [work.pk for work, _ in verdict.near]
    if planned.action != "import":
        return verdict
    if verdict.kind == DUPLICATE:
        planned.action, planned.duplicate_of = "skip", verdict.work.pk
    elif verdict.kind == UPDATE:
        planned.action, planned.update_of = "update", verdict.work.pk
    else:
        planned.near_duplicates = [verdict.work.pk, *planned.near_duplicates]
    planned.reason = verdict.reason
    return verdict


def update_from_file(
    path: str | Path, *, work: Work | None = None, analyse: bool = True
) -> tuple[Work, UpdateResult]:
    """Update the stored work a newer file is a version of (or `work`, when given), in place.

    The archivist says the file is a newer version, so a near-duplicate counts as the match
    too; VersionError says when none matches, several do, or the file is already stored.
    """
    from ficarchive.text import StoryError, parse_story

    path = Path(path)
    try:
        raw = path.read_bytes()
        prepared = ingest.prepare(
            parse_story(raw, path.name), raw=raw, filename=path.name, analysis=analyse
        )
    except OSError as exc:
        raise VersionError(f"cannot read {path} ({exc.strerror})") from None
    except StoryError as exc:
        raise VersionError(f"{path.name}: {exc}") from None
    if work is None:
        work = _work_to_update(prepared, path)
    try:
        result = actions.update_work_from(work, prepared)
    except ValueError as exc:
        raise VersionError(str(exc)) from None
    return result.work, result


def _work_to_update(prepared: PreparedWork, path: Path) -> Work:
    verdict = classify(prepared, filename=path.name)
    if verdict.kind == DUPLICATE and verdict.rule in ALREADY_STORED:
        raise VersionError(
            f"{path.name} is already work #{verdict.work.pk} {verdict.work.title!r} "
            f"({verdict.rule}): nothing to update"
        )
    if verdict.kind == NEW:
        raise VersionError(
            f"no stored work matches {path.name}: none has its source URL, file name, title "
            "and creator, a chapter of it or similar text. Import it as a new work with "
            "`ficarchive import FILE`, or name the work to update (`--work ID`)"
        )
    rivals = [w for w, _ in verdict.near] if verdict.ambiguous or verdict.kind == NEAR else []
    if rivals:
        listed = ", ".join(f"#{w.pk} {w.title!r}" for w in [verdict.work, *rivals])
        raise VersionError(
            f"several stored works match {path.name}: {listed}; name the one to update "
            "(`--work ID`)"
        )
    return verdict.work


# --- Works stored before signatures -------------------------------------------------------------


def backfill_signatures(batch: int = 200, progress: Callable[[int], None] | None = None) -> int:
    """Give every work without a current signature one, and its chapters fingerprints.

    For an archive that existed before near-duplicate detection (or after SCHEME changed):
    run once after migrating; idempotent, resumable, a transaction per batch. Returns how
    many works it signed.
    """
    done = 0
    while True:
        ids = list(
            Work.all_objects.exclude(signature__scheme=similarity.SCHEME)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with transaction.atomic():
            texts: dict[int, list[str]] = {pk: [] for pk in ids}
            unprinted = []
            for pk, work_id, text, fingerprint in (
                Chapter.objects.filter(work_id__in=ids)
                .order_by("work_id", "position")
                .values_list("pk", "work_id", "body_text", "fingerprint")
            ):
                texts[work_id].append(text)
                if not fingerprint:
                    unprinted.append(Chapter(pk=pk, fingerprint=similarity.text_fingerprint(text)))
            # Derived data, like the search index: no signals, no search re-index.
            Chapter.objects.bulk_update(unprinted, ["fingerprint"], batch_size=500)
            actions.sign_works(
                [(work, texts[work.pk]) for work in Work.all_objects.filter(pk__in=ids).only("pk")]
            )
        done += len(ids)
        if progress:
            progress(len(ids))
