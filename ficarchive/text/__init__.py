"""Story files to plain data. Pure Python: no Django import anywhere below this package."""

from .errors import StoryError
from .model import Block, Chapter, Contact, Creator, ParsedWork, SourceInfo, Tag, TagType
from .parse import parse_story

__all__ = [
    "Block",
    "Chapter",
    "Contact",
    "Creator",
    "ParsedWork",
    "SourceInfo",
    "StoryError",
    "Tag",
    "TagType",
    "parse_story",
]
