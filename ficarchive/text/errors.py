"""Why a file cannot become a work. Every message says what is wrong and what to do about it."""


class StoryError(Exception):
    """A file that cannot be imported as a story; nothing of it is stored."""


class EmptyFile(StoryError):
    pass


class BinaryFile(StoryError):
    pass


class UndecodableFile(StoryError):
    pass


class TruncatedFile(StoryError):
    pass


class TooLarge(StoryError):
    pass


class NoStoryText(StoryError):
    pass


class UnsupportedFormat(StoryError):
    pass


class BrokenFile(StoryError):
    """A container format (EPUB) whose structure is damaged: bad zip, no package document."""
