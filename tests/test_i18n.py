"""The translation catalogue: complete in both languages, and covering every key in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pfcrm_core import i18n, schema
from pfcrm_core.i18n import Translator, catalogue, placeholders, translate

ROOT = Path(__file__).resolve().parent.parent
UI_SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")),
              *sorted((ROOT / "pfcrm_core" / "ui").rglob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_][\w.]*)"\s*[,)]""")


def test_every_entry_has_both_languages():
    for key, texts in catalogue().items():
        for lang in i18n.LANGUAGES:
            assert texts[lang].strip(), f"{key} has no {lang} text"


def test_placeholders_match_across_languages():
    for key, texts in catalogue().items():
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), key


def test_chinese_text_is_chinese():
    untranslated = [key for key, texts in catalogue().items()
                    if re.search(r"[A-Za-z]{4,}", texts["zh"]) and texts["zh"] == texts["en"]
                    and len(texts["en"]) > 12]
    assert untranslated == []


@pytest.mark.parametrize("source", UI_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_keys_used_in_ui_exist(source):
    keys = LITERAL_KEY.findall(source.read_text(encoding="utf-8"))

    missing = sorted(set(keys) - set(catalogue()))

    assert missing == []


def test_table_and_client_type_labels_exist():
    for name in schema.LOAD_ORDER:
        assert f"table.{name}" in catalogue()
    for client_type in schema.CLIENT_TYPES:
        assert f"client_type.{client_type}" in catalogue()


def test_translate_formats_values():
    text = translate("data.browse.count", "zh", rows=12)

    assert "12" in text


def test_unknown_key_raises():
    with pytest.raises(KeyError, match="no.such.key"):
        translate("no.such.key", "en")


def test_unknown_language_falls_back_to_english():
    assert Translator("fr")("app.page.data") == translate("app.page.data", "en")
