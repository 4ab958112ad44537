"""The one HTML allow-list: every stored HTML field passes through `clean_html` (nh3/Ammonia)."""

from __future__ import annotations

import re

import nh3

from ficarchive.text.posted import SCENE_BREAK_HTML, markdown_to_html
from ficarchive.text.structure import is_scene_break

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


# People's own writing (posting, comments, bookmark notes, profiles) may also link out and use a
# few more structural tags. Imports keep the narrower list above: an old page's links are
# navigation, not story. Links may only go to the web or to mail (no javascript:, data:, ...).
POSTED_TAGS = ALLOWED_TAGS | {
    "a", "abbr", "cite", "del", "ins", "q", "small", "span", "pre", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
POSTED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer ugc"


def clean_posted_html(fragment: str) -> str:
    """Sanitise HTML a person typed: `clean_html`'s list plus links (web and mail only), tables."""
    return nh3.clean(
        fragment,
        tags=POSTED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=POSTED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        # Every rule is a scene break, marked as the importer marks one (`text.render`).
        set_tag_attribute_values={"hr": {"class": "scene-break"}},
    )


# A writer's <h1> is kept as an <h2>, as on import: the page's <h1> is the work's title. Done
# before sanitising (which would drop the tag and leave its words loose in the text).
_H1 = re.compile(r"<(/?)h1(?=[\s/>])", re.IGNORECASE)


def render_posted(text: str, markup: str) -> str:
    """A person's text as safe HTML: `markup` is "html" (rich text) or "markdown".

    Markdown may carry inline HTML, as on the Archive of Our Own; either way the result goes
    through the allow-list, so what is stored never holds script, handlers or styles.
    """
    if not text.strip():
        return ""
    if markup == "markdown":
        # Headings and scene breaks as on import (`text.posted`); inline HTML is allowed.
        text = markdown_to_html(text)
    elif "<" not in text:
        # Plain text typed into the rich-text box: blank lines make paragraphs.
        import html as html_module

        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join(
            SCENE_BREAK_HTML
            if is_scene_break(p)
            else f"<p>{html_module.escape(p).replace(chr(10), '<br>')}</p>"
            for p in paragraphs
        )
    return clean_posted_html(_H1.sub(r"<\1h2", text)).strip()


_BLOCKS = {
    "p",
    "li",
    "blockquote",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "dt",
    "dd",
    "caption",
}


def plain_text(fragment: str) -> str:
    """The text of sanitised HTML: blocks separated by blank lines, scene breaks as `* * *`.

    The same shape `Chapter.body_text` has for imports (search reads it, the analysis too).
    """
    from selectolax.lexbor import LexborHTMLParser

    if not fragment.strip():
        return ""
    root = LexborHTMLParser(f"<div>{fragment}</div>").css_first("div")
    out: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = "".join(line).strip()
        line.clear()
        if text:
            out.append(text)

    def walk(node) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                line.append(child.text_content)
            elif child.tag == "br":
                line.append("\n")
            elif child.tag == "hr":
                flush()
                out.append("* * *")
            elif child.tag in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return "\n\n".join(out)
