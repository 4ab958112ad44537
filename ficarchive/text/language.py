"""Language of a work: a BCP 47 primary code (`en`, `fr`, `zh`), from the text or a site's label."""

from __future__ import annotations

from functools import cache

_NAMES = {
    "english": "en", "français": "fr", "francais": "fr", "french": "fr", "español": "es", "espanol": "es",
    "spanish": "es", "deutsch": "de", "german": "de", "italiano": "it", "italian": "it", "português": "pt",
    "português brasileiro": "pt", "portuguese": "pt", "nederlands": "nl", "dutch": "nl", "polski": "pl",
    "polish": "pl", "русский": "ru", "russian": "ru", "українська": "uk", "日本語": "ja", "japanese": "ja",
    "中文": "zh", "中文-普通话 國語": "zh", "中文-广东话 粵語": "yue", "chinese": "zh", "한국어": "ko",
    "korean": "ko", "suomi": "fi", "finnish": "fi", "svenska": "sv", "swedish": "sv", "norsk": "no",
    "dansk": "da", "čeština": "cs", "magyar": "hu", "türkçe": "tr", "turkish": "tr", "tiếng việt": "vi",
    "bahasa indonesia": "id", "filipino": "tl", "ελληνικά": "el", "עברית": "he", "العربية": "ar",
    "català": "ca", "română": "ro", "hrvatski": "hr", "српски": "sr", "ไทย": "th", "tagalog": "tl",
}  # fmt: skip


def language_code(name: str) -> str:
    """`English` -> `en`, `中文-普通话 國語` -> `zh`; a code passes through; unknown -> ''."""
    key = " ".join(name.strip().lower().split())
    if key in _NAMES:
        return _NAMES[key]
    if len(key) in (2, 3) and key.isalpha():
        return key
    head = key.split("-")[0].split("(")[0].strip()
    return _NAMES.get(head, "")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """Identify the language of a text sample; English when the sample is too short to tell."""
    sample = text[:6000]
    if len(sample.strip()) < 12:
        return "en"
    code, probability = _identifier().classify(sample)
    return code if probability >= 0.5 else "en"
