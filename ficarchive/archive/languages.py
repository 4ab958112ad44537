"""Language names for work pages and lists: each language in its own words ("Français"), from
the code the work stores (`fr`), using Django's table of languages; unknown codes show as is."""

from __future__ import annotations

from functools import lru_cache

from django.conf.locale import LANG_INFO

# Codes works carry that Django's table names only with a script or not at all.
EXTRA = {"zh": "中文", "la": "Latina", "grc": "Ἀρχαία ἑλληνικά", "yue": "粵語", "tl": "Tagalog"}


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """The language's own name, capitalised ("Español"); the code itself when unknown."""
    key = (code or "").strip().lower().replace("_", "-")
    if not key:
        return ""
    for candidate in (key, key.split("-")[0]):
        if candidate in EXTRA:
            return EXTRA[candidate]
        info = LANG_INFO.get(candidate)
        if info and "fallback" in info:
            info = LANG_INFO.get(info["fallback"][0])
        if info and info.get("name_local"):
            name = info["name_local"]
            return name[:1].upper() + name[1:]
    return code
