"""The analysed work of tests/archive, for the page tests too."""

from tests.archive.conftest import analysed_work, use_analysis  # noqa: F401
