"""The archive's stored HTML back to blocks for the writers: `ficarchive.text.ownblocks`."""

from ficarchive.text.ownblocks import blocks_from_html

__all__ = ["blocks_from_html"]
