"""The JSON form of an analysis, merged into `ficarchive inspect --json`."""

from __future__ import annotations

from typing import Any

from .model import Analysis


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    return {
        "characters": [
            {
                "name": c.name,
                "aliases": c.aliases,
                "mentions": c.mentions,
                "gender": c.gender,
                "narrator": c.narrator,
                "dialogue_share": c.dialogue_share,
                "tag": c.tag,
            }
            for c in analysis.characters
        ],
        "quotes": [
            {"chapter": q.chapter, "text": q.text, "speaker": q.speaker} for q in analysis.quotes
        ],
        "relationships": analysis.relationships,
        "fandoms": analysis.fandoms,
        "pov": analysis.pov,
        "tense": analysis.tense,
        "dialogue_share": analysis.dialogue_share,
        "unnamed_share": analysis.unnamed_share,
        "reading_minutes": analysis.reading_minutes,
        "not_analysed": analysis.not_analysed,
    }
