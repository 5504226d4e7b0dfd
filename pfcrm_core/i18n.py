"""The translation catalogue: every UI string in English and Simplified Chinese.

Entries live in ``pfcrm_core/locales/*.json``, one file per area of the product.
Each file maps a key to ``{"en": ..., "zh": ...}``; both languages must carry the
same ``{placeholders}``. A key defined in two files is an error, so areas cannot
silently overwrite each other.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}

_LOCALE_DIR = Path(__file__).with_name("locales")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Load and merge every catalogue file.

    Raises
    ------
    ValueError
        When a key is defined twice, or an entry lacks a language.
    """
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(_LOCALE_DIR.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"translation key {key!r} is defined in both "
                                 f"{origin[key]} and {path.name}; keep one")
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise ValueError(f"translation key {key!r} in {path.name} has no "
                                 f"text for {', '.join(missing)}")
            merged[key] = texts
            origin[key] = path.name
    return merged


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{placeholders}`` in ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, formatted with ``values``.

    An unknown key raises ``KeyError`` so a typo fails in tests rather than showing
    a raw key to a user. An unknown language falls back to English. ``key`` and
    ``lang`` are positional-only, so a placeholder may also be called ``key``.
    """
    texts = catalogue()[key]
    text = texts.get(lang, texts[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


class Translator:
    """A translate function bound to one language: ``t = Translator("zh"); t(key)``."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, /, **values: object) -> str:
        return translate(key, self.lang, **values)
