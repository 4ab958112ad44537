"""What the API writes, through the site's own write paths: a work and its chapters are posted
by `posting.actions` (sanitised, tagged, analysed, indexed, subscribers told) exactly as the
posting form does, and bookmarks by `community.actions`. This module only turns API input into
their arguments, and posts a work with all its chapters in one transaction.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.db import transaction

from ficarchive.accounts.actions import add_pseud, user_pseuds
from ficarchive.archive.models import Chapter, Pseud, Work
from ficarchive.posting import actions as posting
from ficarchive.text.structure import is_scene_break


@dataclass
class ChapterInput:
    text: str
    title: str = ""
    format: str = "text"  # "text", "html" or "markdown"


def chapter_data(chapter: ChapterInput) -> posting.ChapterData:
    """The posting form's chapter: plain text becomes escaped paragraphs (blank lines between
    them, a line of `* * *` or the like a scene break); HTML and Markdown go as they are."""
    if chapter.format != "text":
        return posting.ChapterData(text=chapter.text, title=chapter.title, markup=chapter.format)
    paragraphs = [p.strip() for p in chapter.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(
        '<hr class="scene-break">'
        if is_scene_break(p)
        else f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>"
        for p in paragraphs
    )
    return posting.ChapterData(text=body, title=chapter.title, markup="html")


def posting_pseud(user, slug: str | None) -> Pseud:
    """The pseud to post under: the one named, else the user's first (made from the user name
    for a user who has none yet). LookupError for a pseud that is not the user's."""
    pseuds = user_pseuds(user)
    if slug:
        pseud = pseuds.filter(slug=slug).first()
        if pseud is None:
            raise LookupError(f"you have no pseud “{slug[:100]}”")
        return pseud
    return pseuds.first() or add_pseud(user, user.get_username())


def post_work(
    user,
    *,
    title: str,
    chapters: list[ChapterInput],
    pseud: str | None = None,
    summary: str = "",
    notes: str = "",
    rating: str = "",
    language: str = "",
    complete: bool = False,
    expected_chapters: int | None = None,
    tags: dict[str, list[str]] | None = None,
) -> Work:
    """Post a work with all its chapters, or nothing (ValidationError, PermissionDenied,
    LookupError say why)."""
    with transaction.atomic():
        data = posting.WorkData(
            title=title,
            pseuds=[posting_pseud(user, pseud)],
            rating=rating or "Not Rated",
            tags={k: list(v) for k, v in (tags or {}).items()},
            summary=summary,
            notes=notes,
            markup="html",
            language=language or "en",
            complete=bool(complete),
            expected_chapters=expected_chapters,
        )
        work = posting.post_work(user, data, chapter_data(chapters[0]))
        for chapter in chapters[1:]:
            posting.add_chapter(user, work, chapter_data(chapter))
    return work


def add_chapter(user, work: Work, chapter: ChapterInput) -> Chapter:
    """A new last chapter (the work's creators only)."""
    return posting.add_chapter(user, work, chapter_data(chapter))
