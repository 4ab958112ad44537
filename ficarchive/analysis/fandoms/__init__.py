"""Shipped, extensible fandom registry: detected character names -> AO3 tags and fandom guesses."""

from .registry import (
    DATA_DIR,
    Fandom,
    FandomCharacter,
    FandomMatch,
    Registry,
    RegistryError,
    build_registry,
    load_registry,
    normalize_name,
    ship_tag,
)

__all__ = [
    "DATA_DIR",
    "Fandom",
    "FandomCharacter",
    "FandomMatch",
    "Registry",
    "RegistryError",
    "build_registry",
    "load_registry",
    "normalize_name",
    "ship_tag",
]
