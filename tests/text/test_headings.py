import pytest

from ficarchive.text.headings import match_heading, parse_number


@pytest.mark.parametrize(
    ("line", "kind", "number", "title"),
    [
        ("Chapter 1", "chapter", 1, ""),
        ("Chapter One", "chapter", 1, ""),
        ("CHAPTER TWENTY-ONE", "chapter", 21, ""),
        ("Chapter 1: The Beginning", "chapter", 1, "The Beginning"),
        ("Chapter 12 - Ashes", "chapter", 12, "Ashes"),
        ("Chapter XIV. Homecoming", "chapter", 14, "Homecoming"),
        ("~*~ Chapter 3 ~*~", "chapter", 3, ""),
        ("**Chapter 4**", "chapter", 4, ""),
        ("Ch. 5: Storm", "chapter", 5, "Storm"),
        ("Chapitre 2 : La fuite", "chapter", 2, "La fuite"),
        ("Capítulo 3", "chapter", 3, ""),
        ("The First Chapter", "chapter", 1, ""),
        ("Part II", "part", 2, "Part II"),
        ("Part Three: Winter", "part", 3, "Part Three: Winter"),
        ("Prologue", "special", None, "Prologue"),
        ("EPILOGUE", "special", None, "Epilogue"),
        ("Epilogue: After", "special", None, "Epilogue: After"),
        ("Un : Kiba", "bare", 1, "Kiba"),
        ("3.", "bare", 3, ""),
        ("II", "bare", 2, ""),
    ],
)
def test_headings_are_recognised(line, kind, number, title):
    heading = match_heading(line)
    assert heading is not None
    assert (heading.kind, heading.number, heading.title) == (kind, number, title)


@pytest.mark.parametrize(
    "line",
    [
        "Part of me wanted to stay.",
        "Chapter and verse, she said, was all he ever quoted at her.",
        "Prologues are for people with patience, and I have none, she thought, and left.",
        "One more thing.",
        "Chapters",
        "",
        "The chapter 1 of the book was dull",
    ],
)
def test_prose_is_not_a_heading(line):
    assert match_heading(line) is None


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("7", 7),
        ("vii", 7),
        ("XL", 40),
        ("seven", 7),
        ("forty-two", 42),
        ("first", 1),
        ("cheese", None),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value
