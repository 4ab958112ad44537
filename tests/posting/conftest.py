"""Personas (writer, reader, archivist, stranger) and a posted work."""

from tests.personas import archivist, posted_work, reader, stranger, writer  # noqa: F401
