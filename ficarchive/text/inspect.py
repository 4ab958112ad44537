"""The public JSON form of a parsed work (`ficarchive inspect --json`). Private contact never appears."""

from __future__ import annotations

from typing import Any

from .model import ParsedWork, TagType, blocks_text


def work_to_dict(work: ParsedWork) -> dict[str, Any]:
    return {
        "title": work.title,
        "title_missing": work.title_missing,
        "creators": [{"name": c.name} for c in work.creators],
        "summary": blocks_text(work.summary),
        "notes": blocks_text(work.notes),
        "end_notes": blocks_text(work.end_notes),
        "rating": work.rating,
        "tags": {
            t.value: work.tags_of(t) for t in TagType if t != TagType.RATING and work.tags_of(t)
        },
        "complete": work.complete,
        "expected_chapters": work.expected_chapters,
        "part": work.part,
        "language": work.language,
        "published": work.published,
        "updated": work.updated,
        "word_count": work.word_count,
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "epigraph": blocks_text(c.epigraph),
                "summary": blocks_text(c.summary),
                "notes": blocks_text(c.notes),
                "end_notes": blocks_text(c.end_notes),
                "word_count": c.word_count,
                "text": c.text,
            }
            for c in work.chapters
        ],
        "source": {
            "format": work.source.format,
            "encoding": work.source.encoding,
            "site": work.source.site,
        },
        "warnings": list(work.warnings),
    }
