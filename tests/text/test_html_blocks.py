"""`read_blocks`: HTML containers to our own blocks (table-driven, fixtures written here)."""

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from ficarchive.text.htmlblocks import read_blocks
from ficarchive.text.model import INLINE_TAGS


def blocks(fragment: str) -> list[tuple]:
    tree = LexborHTMLParser(f"<html><body>{fragment}</body></html>")
    return [(b.kind, b.html, b.align, b.level) for b in read_blocks(tree.body)]


def p(markup: str, align: str = "") -> tuple:
    return ("p", markup, align, 0)


BREAK = ("break", "", "", 0)

CASES = [
    # paragraphs and inline markup
    ("<p>One</p><p>Two</p>", [p("One"), p("Two")]),
    (
        "<p><i>a</i> <b>b</b> <u>c</u> <strike>d</strike> <sup>e</sup><sub>f</sub> <tt>g</tt></p>",
        [
            p(
                "<em>a</em> <strong>b</strong> <u>c</u> <s>d</s> <sup>e</sup><sub>f</sub> <code>g</code>"
            )
        ],
    ),
    (
        "<p><cite>Title</cite> and <var>x</var>, <ins>u</ins> <del>s</del> <em>e</em> <strong>s</strong></p>",
        [p("<em>Title</em> and <em>x</em>, <u>u</u> <s>s</s> <em>e</em> <strong>s</strong>")],
    ),
    # unknown tags are unwrapped, attributes never kept, links and images gone
    (
        '<p><font color="red" face="Arial"><span class="x">kept</span></font> <a href="http://x">link</a><img src="a.png"></p>',
        [p("kept link")],
    ),
    ('<p onclick="evil()">a &lt;script&gt; &amp; b</p>', [p("a &lt;script&gt; &amp; b")]),
    # dropped entirely
    (
        "<script>var x = 1;</script><style>p {}</style><noscript>no</noscript><p>Text</p>"
        "<form><input value=v><button>Go</button><select><option>o</option></select></form><nav>Menu</nav>"
        "<iframe>f</iframe><svg><text>s</text></svg>",
        [p("Text")],
    ),
    # whitespace: runs collapsed, &nbsp; is a space, empty blocks dropped
    ("<p>  a \n\t b&nbsp;&nbsp;c  </p><p>&nbsp;</p><p> </p><div><p></p></div>", [p("a b c")]),
    # legacy bare text: <br><br> splits paragraphs, a single <br> stays inside
    (
        "First para.<br><br>Second para.<br>\n<br>Third para.",
        [p("First para."), p("Second para."), p("Third para.")],
    ),
    (
        "Short line<br>another line<br>third line",
        [("verse", "Short line<br>another line<br>third line", "", 0)],
    ),
    (
        "A long sentence that goes on and on and on, well past what any line of verse would hold, really."
        "<br>And then one more.",
        [
            p(
                "A long sentence that goes on and on and on, well past what any line of verse would hold, really."
                "<br>And then one more."
            )
        ],
    ),
    # a long run of <br> inside flowing text is a scene change
    (
        "Before the gap.<br><br><br><br><br><br>After the gap.",
        [p("Before the gap."), BREAK, p("After the gap.")],
    ),
    ("<p>Before</p><br><br><br><br><p>After</p>", [p("Before"), p("After")]),
    # <br> at the edges of inline tags does not leave empty markup behind
    ("<p>x<em>it<br><br>alic</em> end</p>", [p("x<em>it</em>"), p("<em>alic</em> end")]),
    ("<p><b> <br>Bold</b></p><p><em> </em></p>", [p("<strong>Bold</strong>")]),
    # hr and divider images are scene breaks; never at either end
    ("<hr><p>A</p><hr><hr><p>B</p><hr>", [p("A"), BREAK, p("B")]),
    (
        '<p>A</p><p><img src="images/line-divider.gif"></p><p>B</p><p><img src="photo.jpg"></p>',
        [p("A"), BREAK, p("B")],
    ),
    # alignment
    (
        "<center>Centred</center><p align=center>Also</p><div style='text-align: right'>Right</div>",
        [p("Centred", "center"), p("Also", "center"), p("Right", "right")],
    ),
    ("<center><p>Inherited</p></center>", [p("Inherited", "center")]),
    # quotes, headings, lists, tables
    (
        "<blockquote><p>Q1</p><p>Q2</p></blockquote>",
        [("quote", "Q1", "", 0), ("quote", "Q2", "", 0)],
    ),
    (
        "<h1>Title</h1><h3>Sub<br>head</h3>",
        [("heading", "Title", "", 1), ("heading", "Sub head", "", 3)],
    ),
    (
        "<ul><li>one</li><li>two</li></ul><table><tr><td>cell a</td><td>cell b</td></tr></table>",
        [p("one"), p("two"), p("cell a"), p("cell b")],
    ),
    # nested blocks never duplicate text; text between nested blocks is its own paragraph
    ("<div><div><p>Inner</p>tail</div>after</div>", [p("Inner"), p("tail"), p("after")]),
    # inline markup carried across a block boundary is closed and reopened
    ("<b><div>one</div>two</b>", [p("<strong>one</strong>"), p("<strong>two</strong>")]),
    # nested same tags are not doubled
    ("<p><i><em>x</em></i></p>", [p("<em>x</em>")]),
    # styled spans from word processors
    (
        "<p><span style='font-style: italic'>it</span> <span style='font-weight:bold'>bo</span></p>",
        [p("<em>it</em> <strong>bo</strong>")],
    ),
    # pre keeps its lines; a whole story in <pre> is read as plain text
    ("<pre>line one\nline two</pre>", [p("line one<br>line two")]),
    (
        "<pre>First paragraph.\n\nSecond paragraph.</pre>",
        [p("First paragraph."), p("Second paragraph.")],
    ),
    # invisible characters are removed
    ("<p>a\u200bb\ufeff</p>", [p("ab")]),
]


@pytest.mark.parametrize(("fragment", "expected"), CASES)
def test_read_blocks(fragment, expected):
    assert blocks(fragment) == expected


def test_hard_wrapped_lines_are_joined():
    line = "word " * 14
    fragment = "<p>" + "<br>".join([line.strip()] * 4 + ["last words."]) + "</p>"
    ((kind, markup, _, _),) = blocks(fragment)
    assert kind == "p" and "<br>" not in markup


def test_only_inline_tags_are_written():
    fragment = '<div class="x"><p style="color:red"><a href="#"><i>a</i></a><script>x</script><b>b</b></p></div>'
    for _, markup, _, _ in blocks(fragment):
        tags = {t.strip("/") for t in __import__("re").findall(r"</?(\w+)", markup)}
        assert tags <= set(INLINE_TAGS)
        assert "=" not in markup


def test_deep_nesting_does_not_recurse():
    fragment = "<font>" * 5000 + "deep text" + "</font>" * 5000
    assert blocks(fragment) == [p("deep text")]


def test_node_itself_is_not_a_block():
    tree = LexborHTMLParser("<html><body><blockquote><p>inside</p></blockquote></body></html>")
    assert [b.kind for b in read_blocks(tree.css_first("blockquote"))] == ["p"]


def test_reads_a_megabyte_quickly():
    para = "<p>She said it <em>twice</em>, and then once more for luck, before the door shut.</p>\n"
    page = "<html><body>" + (para * 300 + "<hr>\n") * 40 + "</body></html>"
    tree = LexborHTMLParser(page)
    start = time.perf_counter()
    result = read_blocks(tree.body)
    elapsed = time.perf_counter() - start
    assert len(result) == 300 * 40 + 39
    assert elapsed < 2.0  # about 0.1 s on a laptop; generous for slow CI
