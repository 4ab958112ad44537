"""Near-duplicate signatures, band keys and chapter alignment (rescue.similarity): plain pytest."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from ficarchive.rescue import similarity as sim

STORM = (
    "The storm came in sideways off the grey water, and Mara climbed the hundred and twelve "
    "steps of the tower with the oil can knocking against her knee. She had counted the steps "
    "every night for nine years; counting kept her from thinking about the boats. At the top "
    "the great lens waited, cold and patient, and she trimmed the wick and wiped the brass."
)
LETTER = (
    "The supply boat brought flour, lamp oil, a sack of potatoes gone soft at one end, and a "
    "letter with a blue stamp that Mara did not recognise. She set it on the kitchen table and "
    "looked at it for the length of a pot of tea before she opened it and read it twice."
)
TIDES = (
    "Ines kept the tide tables in a green ledger on the kitchen shelf, and every morning she "
    "copied out the high and low water in pencil, because the printed almanac had been wrong "
    "twice and Mara did not forgive things that were wrong twice. The tower smelled of oil."
)
EPILOGUE = (
    "Years later the tower still stood on the reef, and the lamp still turned, though no one "
    "climbed the stairs with an oil can any more; a motor did the work, and the gulls had "
    "grown used to its hum, and on the mainland children were told about the keeper."
)


def edit_one_word(text: str) -> str:
    words = text.split(" ")
    words[len(words) // 2] = "marmalade"
    return " ".join(words)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mara’s “lamp” — lit.", 'mara\'s "LAMP" - lit'),  # typography, case, punctuation
        ("The  lamp\nwas\r\n\r\nlit.", "The lamp was lit."),  # wrapping and line ends
        ("ﬁne ｗｏｒｄｓ", "fine words"),  # compatibility forms (NFKC)
        ("<p>never parsed</p>", "p never parsed p"),  # markup is not the job, tokens are
    ],
)
def test_fingerprint_ignores_what_formats_change(a, b):
    assert sim.text_fingerprint(a) == sim.text_fingerprint(b)


def test_fingerprint_sees_a_changed_word():
    assert sim.text_fingerprint(STORM) != sim.text_fingerprint(edit_one_word(STORM))


def test_chinese_is_read_a_character_at_a_time():
    assert sim.tokens("灯塔守护者Mara说") == ["灯", "塔", "守", "护", "者", "mara", "说"]


def test_signature_is_a_datasketch_minhash():
    sig = sim.signature(STORM)
    assert sig.dtype == np.uint32 and len(sig) == sim.NUM_PERM
    minhash = MinHash(sim.NUM_PERM, sim.SEED, scheme=sim.MINHASH_SCHEME, hashvalues=sig)
    other = MinHash(
        sim.NUM_PERM, sim.SEED, scheme=sim.MINHASH_SCHEME, hashvalues=sim.signature(LETTER)
    )
    assert minhash.jaccard(other) == sim.similarity(sig, sim.signature(LETTER))


def test_signature_is_stable_and_round_trips_through_bytes():
    sig = sim.signature(STORM)
    assert np.array_equal(sig, sim.signature(STORM))
    stored = sim.to_bytes(sig)
    assert len(stored) == 4 * sim.NUM_PERM
    assert np.array_equal(sim.from_bytes(stored), sig)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (STORM, STORM, 1.0, 1.0),
        (STORM, STORM.upper().replace(",", ""), 1.0, 1.0),
        (STORM + " " + LETTER, edit_one_word(STORM) + " " + LETTER, 0.8, 1.0),
        (STORM + " " + LETTER, STORM + " " + LETTER + " " + EPILOGUE, 0.5, 0.85),
        (STORM, TIDES, 0.0, 0.1),  # same people, same place, another story
        (STORM, LETTER, 0.0, 0.1),
    ],
)
def test_similarity_estimates_shingle_overlap(a, b, low, high):
    estimate = sim.similarity(sim.signature(a), sim.signature(b))
    exact = sim.text_similarity(a, b)
    assert low <= estimate <= high
    assert low <= exact <= high


def test_empty_text_is_like_nothing():
    empty = sim.signature("  ... ")
    assert sim.is_empty(empty)
    assert sim.similarity(empty, empty) == 0.0
    assert sim.band_keys(empty) == []


def test_short_text_is_one_shingle():
    assert len(sim.shingle_hashes("The End.")) == 1
    assert sim.similarity(sim.signature("The End."), sim.signature("the end")) == 1.0


def test_signatures_of_other_lengths_cannot_be_compared():
    with pytest.raises(ValueError, match="rebuild"):
        sim.similarity(sim.signature(STORM), sim.signature(STORM)[:64])


def test_banding_is_datasketchs_optimum_for_the_threshold():
    assert _optimal_param(sim.LSH_THRESHOLD, sim.NUM_PERM, 0.5, 0.5) == (sim.BANDS, sim.ROWS)
    assert sim.BANDS * sim.ROWS <= sim.NUM_PERM


def test_band_keys_meet_for_alike_texts_only():
    story = STORM + " " + LETTER
    keys = set(sim.band_keys(sim.signature(story)))
    assert len(keys) == sim.BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert keys & set(sim.band_keys(sim.signature(edit_one_word(story))))
    assert not keys & set(sim.band_keys(sim.signature(TIDES + " " + EPILOGUE)))


def test_containment_of_a_prefix():
    old, new = STORM, STORM + " " + LETTER + " " + EPILOGUE
    estimate = sim.text_similarity(old, new)
    inside = sim.containment(estimate, len(sim.shingle_hashes(old)), len(sim.shingle_hashes(new)))
    assert inside == pytest.approx(1.0, abs=0.01)
    assert sim.containment(0.0, 0, 10) == 0.0


# --- Chapter alignment ------------------------------------------------------------------------


def kinds(alignment: sim.Alignment) -> list[tuple[int, int, str]]:
    return [(m.old, m.new, m.kind) for m in alignment.matches]


def test_one_more_chapter_extends_the_stored_ones():
    a = sim.align_chapters([STORM, LETTER], [STORM, LETTER, EPILOGUE])
    assert kinds(a) == [(0, 0, "same"), (1, 1, "same")]
    assert a.added == [2] and a.missing == [] and a.is_extension
    assert a.order() == [("old", 0), ("old", 1), ("new", 2)]


def test_a_changed_chapter_is_matched_as_changed():
    a = sim.align_chapters([STORM, LETTER], [STORM, edit_one_word(LETTER)])
    assert kinds(a) == [(0, 0, "same"), (1, 1, "changed")]
    assert a.changed[0].step == "similar text"
    assert not a.added and a.is_extension


def test_a_chapter_inserted_in_the_middle_keeps_reading_order():
    a = sim.align_chapters([STORM, LETTER], [STORM, TIDES, LETTER])
    assert kinds(a) == [(0, 0, "same"), (1, 2, "same")]
    assert a.order() == [("old", 0), ("new", 1), ("old", 1)]


def test_a_chapter_the_new_version_lacks_is_kept_in_place():
    a = sim.align_chapters([STORM, TIDES, LETTER], [STORM, LETTER, EPILOGUE])
    assert a.missing == [1] and a.added == [2]
    assert not a.is_extension
    assert a.order() == [("old", 0), ("old", 1), ("old", 2), ("new", 2)]


def test_a_missing_first_chapter_stays_first():
    a = sim.align_chapters([TIDES, STORM], [STORM, LETTER])
    assert a.order() == [("old", 0), ("old", 1), ("new", 1)]


def test_reordered_chapters_are_not_an_extension():
    a = sim.align_chapters([STORM, LETTER], [LETTER, STORM])
    assert not a.in_order and not a.is_extension


def test_a_rewritten_chapter_is_matched_by_position_only_when_asked():
    rewritten = [STORM, LETTER[:90] + " " + TIDES]  # chapter 2 mostly rewritten
    assert 0.1 < sim.text_similarity(LETTER, rewritten[1]) < sim.CHAPTER_MATCH
    assert sim.align_chapters([STORM, LETTER], rewritten).missing == [1]
    a = sim.align_chapters([STORM, LETTER], rewritten, by_position=True)
    assert kinds(a) == [(0, 0, "same"), (1, 1, "changed")]
    assert a.changed[0].step == "position"


def test_a_chapter_with_nothing_in_common_is_never_paired_by_position():
    a = sim.align_chapters([STORM, LETTER], [STORM, TIDES], by_position=True)
    assert a.missing == [1] and a.added == [1]


def test_repeated_chapters_match_their_own_positions():
    a = sim.align_chapters([STORM, STORM], [STORM, STORM, LETTER])
    assert kinds(a) == [(0, 0, "same"), (1, 1, "same")]


def test_nothing_stored_is_no_extension():
    a = sim.align_chapters([], [STORM])
    assert a.added == [0] and not a.is_extension
