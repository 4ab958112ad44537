"""Every rich-text field, fed XSS vectors through the real forms, stores and renders inert HTML.

The same vectors run in Chromium in tests/browser/test_xss_browser.py (no script runs there,
with the Content-Security-Policy bypassed so the sanitiser alone is tested).
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from ficarchive.accounts.actions import profile_of
from ficarchive.archive.models import Chapter, Work
from ficarchive.archive.sanitize import clean_html, render_posted
from ficarchive.community.models import Bookmark, Comment
from tests.personas import post
from tests.xss_vectors import ALL, ALL_AND_WIDE, VECTORS, WIDE, page_problems, problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("markup", ["html", "markdown"])
@pytest.mark.parametrize(
    "vector", [v for _, v in VECTORS + WIDE], ids=[n for n, _ in VECTORS + WIDE]
)
def test_each_vector_is_made_inert(vector, markup):
    rendered = render_posted(f"Before.\n\n{vector}\n\nAfter.", markup)
    assert problems(rendered) == []
    assert "Before." in rendered
    if "<style>" not in vector or "</style>" in vector:  # an unclosed <style> eats the rest
        assert "After." in rendered  # the rest of the text survives
    assert problems(clean_html(vector)) == []  # the import path's narrower list too


def test_the_check_itself_catches_what_it_should():
    assert problems('<p onclick="x()">a</p><script>1</script>') == ["p[onclick]", "<script>"]
    assert problems('<a href="javascript:x">a</a>') == ["a[href=javascript:x]"]
    assert problems('<p style="color:red">a</p>') == ["p[style]"]
    assert problems('<a href="https://example.org/a:b">ok</a><a href="/rel">ok</a>') == []


def test_formatting_and_safe_links_are_kept():
    rendered = render_posted(
        '<p><em>a</em> <strong>b</strong> <a href="https://example.org/">link</a></p>'
        "<blockquote><p>q</p></blockquote><ul><li>x</li></ul><hr>",
        "html",
    )
    assert "<em>a</em>" in rendered and "<strong>b</strong>" in rendered
    assert (
        'href="https://example.org/"' in rendered
        and 'rel="nofollow noopener noreferrer ugc"' in rendered
    )
    assert (
        "<blockquote>" in rendered
        and "<li>x</li>" in rendered
        and '<hr class="scene-break">' in rendered
    )


def _user_html(page: str) -> list[str]:
    """The HTML of every place a page shows people's text."""
    tree = LexborHTMLParser(page)
    selectors = ".userstuff, .summary, .notes, .chapter-summary, .chapter-notes, .comment-body"
    return [node.inner_html for node in tree.css(selectors)]


def _page_scripts(page: str) -> list[str]:
    return [node.attributes.get("src") or "inline" for node in LexborHTMLParser(page).css("script")]


@pytest.mark.parametrize("markup", ["html", "markdown"])
def test_every_field_of_the_posting_form(client, writer, markup):
    client.force_login(writer)
    data = {
        "title": "<script>window.__xss=1</script>Title",
        "pseuds": [writer.creators.first().pseuds.first().pk],
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Original Work, <script>x</script>",
        "characters": '<img src=x onerror="window.__xss=1">',
        "summary": ALL,
        "notes": ALL,
        "end_notes": ALL,
        "language": "en",
        "chapter_title": "<svg onload=alert(1)>",
        "chapter_summary": ALL,
        "chapter_notes": ALL,
        "chapter_text": "The story.\n\n" + ALL_AND_WIDE,
        "chapter_end_notes": ALL,
        "markup": markup,
    }
    preview = client.post("/works/new/", {**data, "preview": "1"}).content.decode()
    for html in _user_html(preview):
        assert problems(html) == []
    response = client.post("/works/new/", {**data, "post": "1"})
    assert response.status_code == 302
    work = Work.objects.get()
    chapter = Chapter.objects.get(work=work)
    for html in (work.summary_html, work.notes_html, work.end_notes_html, chapter.summary_html,
                 chapter.notes_html, chapter.end_notes_html, chapter.body_html):  # fmt: skip
        assert problems(html) == [] and html
    for url in (work.get_absolute_url(), chapter.get_absolute_url(), "/works/", "/search/?q=story"):
        page = client.get(url).content.decode()
        assert _page_scripts(page) == []  # the reading pages have no script at all
        assert page_problems(page) == []
        for html in _user_html(page):
            assert problems(html) == []


def test_comments_bookmark_notes_and_profiles(client, writer, reader):
    work = post(writer)
    chapter = work.chapters.get()
    client.force_login(reader)
    client.post(
        f"/works/{work.pk}/comments/", {"text": ALL, "markup": "html", "chapter": chapter.pk}
    )
    comment = Comment.objects.get()
    client.post(
        f"/works/{work.pk}/comments/",
        {"text": ALL, "markup": "markdown", "chapter": chapter.pk, "parent": comment.pk},
    )
    client.post(
        f"/works/{work.pk}/bookmark/",
        {"note": ALL, "markup": "html", "tags": "<b>x</b>, <script>y</script>"},
    )
    client.post("/accounts/profile/", {"about": ALL, "about_markup": "markdown"})
    stored = [c.body_html for c in Comment.objects.all()]
    stored += [Bookmark.objects.get().note_html, profile_of(reader).about_html]
    assert len(stored) == 4
    for html in stored:
        assert html and problems(html) == []
    for url in (work.get_absolute_url(), "/users/rhea/bookmarks/", "/users/rhea/"):
        page = client.get(url).content.decode()
        assert _page_scripts(page) == [] and page_problems(page) == []
        assert "<script>y</script>" not in page  # bookmark tags are escaped text
        for html in _user_html(page):
            assert problems(html) == []
