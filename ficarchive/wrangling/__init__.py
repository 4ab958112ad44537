"""Tag wrangling for archivists: canonical tags, synonyms, renames, merges, metatags and the
fandoms characters and relationships belong to.

    actions.py   the write path (each change checked, in one transaction, audited, re-indexed)
    forms.py     tag names typed on the pages, resolved to tags
    views.py     /wrangling/ and one page per tag type and per tag
"""
