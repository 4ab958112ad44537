"""The personas of tests/archive, for the download tests too."""

from tests.archive.conftest import archivist, reader, writer  # noqa: F401
