"""A writer's own Markdown as HTML, marked up as the importer marks a story.

Headings keep their place in the text (a `#` heading is an `<h2>`, as an imported `<h1>` is: the
page's own `<h1>` is the work's title), and a thematic break (`***`, `* * *`, `---`) or a
paragraph that is only a scene-break marker (`~*~`, `oOo`) is the importer's scene break,
`<hr class="scene-break">`. Setext headings (a line underlined with `---` or `===`) are off: in
fiction a `---` under a paragraph is a scene break, not a heading. The result is still sanitised
(`archive.sanitize`) before it is stored.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import SCENE_BREAK
from .render import block_to_html
from .structure import is_scene_break

SCENE_BREAK_HTML = block_to_html(SCENE_BREAK)


def heading_level(level: int) -> int:
    """The stored level of a heading the writer gave `level`: h1 is the page's title, so h2–h6."""
    return min(max(level, 2), 6)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True}).disable("lheading")
    md.add_render_rule("hr", lambda *args: SCENE_BREAK_HTML + "\n")
    return md


def _marked(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{heading_level(int(token.tag[1:]))}"
        if (
            token.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
            and "\n" not in tokens[i + 1].content
            and is_scene_break(tokens[i + 1].content)
        ):
            out.append(Token("hr", "hr", 0, block=True))
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def markdown_to_html(text: str) -> str:
    """HTML of a writer's Markdown (inline HTML passes, to be sanitised by the caller)."""
    md = _parser()
    env: dict = {}
    return md.renderer.render(_marked(md.parse(text, env)), md.options, env)
