"""Atom feeds (Django's syndication) for a tag, a creator, a series and a work's chapters, and
the OPDS 1.2 catalog e-reader apps browse, search and download from (built by formats/opds.py)."""
