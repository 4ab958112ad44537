"""The personas and the analysed work of tests/archive, for the page tests too."""

from tests.archive.conftest import (  # noqa: F401
    analysed_work,
    archivist,
    reader,
    use_analysis,
    writer,
)
