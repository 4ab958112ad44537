"""Search: the query language, the engines (tantivy embedded, PostgreSQL for several hosts), the
index queue that keeps them in step with the database, and the search and tag pages.

    query.py      the search box's language, parsed (pure)
    criteria.py   a resolved search (Criteria) and its Results, shared by every backend
    documents.py  a work as the engines see it, built in batches from the database
    backends/     tantivy_engine.py (default), postgres.py (FICARCHIVE_SEARCH=postgres)
    indexing.py   the durable queue: enqueue on every write, drain after commit, reindex
    forms.py      URL parameters -> Criteria (every mistake is a message, never a 500)
    views.py      /search/, /search.json and the tag pages
"""
