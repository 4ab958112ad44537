"""The analysis fixture of tests/archive, for a dump with suggestions in it."""

from tests.archive.conftest import use_analysis  # noqa: F401
