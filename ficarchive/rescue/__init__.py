"""Rescue whole archives: understand a saved site, an eFiction dump or a folder, and plan the import.

Pure code (no Django), like `text/`: it reads files and returns plain data (`plan.Plan`,
`text.model.ParsedWork`). Storing a plan is `ficarchive.importing`'s job.
"""
