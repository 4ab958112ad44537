"""Where ../shared lives beside the repository, and the founding seeds read from it (skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficarchive.text.model import ParsedWork
from ficarchive.text.parse import parse_story

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def read_seed(prefix: str) -> tuple[bytes, ParsedWork]:
    """The raw bytes and parsed work of the seed whose file name starts with `prefix`."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present")
    (path,) = seeds.glob(f"{prefix}_*")
    raw = path.read_bytes()
    return raw, parse_story(raw, path.name)
