"""Importing whole collections: folders of files, saved sites, eFiction archives.

The Django side of ingest. Parsing is pure (`ficarchive.text`, site understanding in
`ficarchive.rescue`); this package runs it over many files in worker processes (`batch`), plans
what an import would do (`plan`), and stores through `archive.actions`, the one write path.
"""
