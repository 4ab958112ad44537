"""The one HTML allow-list: every stored HTML field passes through `clean_html` (nh3/Ammonia)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "i", "b", "u", "s", "sup", "sub", "code", "blockquote", "hr",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
}  # fmt: skip
# Only the classes our own renderer writes; nothing that styles or positions content.
ALLOWED_CLASSES = {
    "p": {"verse", "align-center", "align-right"},
    "hr": {"scene-break"},
    "blockquote": {"align-center", "align-right"},
    **{h: {"align-center", "align-right"} for h in ("h2", "h3", "h4", "h5", "h6")},
}


def clean_html(fragment: str) -> str:
    """Sanitise HTML for storage and display: scripts, handlers, styles and links are removed."""
    return nh3.clean(
        fragment, tags=ALLOWED_TAGS, attributes={}, allowed_classes=ALLOWED_CLASSES, link_rel=None
    )
