"""Search engines behind one interface; `indexing.backend()` picks one (FICARCHIVE_SEARCH).

Every backend has `name`, `needs_rebuild` (an empty index while works exist: rebuild it),
`apply(upserts, deletes=(), *, bulk=False, clear=False, wait=5.0) -> int` (replace those works'
documents, remove `deletes`, commit), `search(Criteria) -> Results` and `count() -> int`. The
test suite in tests/search runs against each of them and a brute-force scan.
"""


class IndexBusy(Exception):
    """Another writer holds the index; the queued changes wait for the next drain."""
