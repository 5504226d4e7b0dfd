"""Per-session context: the chosen language and the active database."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

import streamlit as st

from ..errors import PfcrmError
from ..i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, catalogue, translate
from ..money import format_amount
from ..store import Store, default_db_path

logger = logging.getLogger(__name__)

LANG_KEY = "lang"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _db_from_argv() -> Path | None:
    """Read ``--db PATH`` from the arguments after ``streamlit run app.py --``."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return Path(known.db) if known.db else None


def active_store() -> Store:
    """Return the store for the database chosen by ``--db``, ``PFCRM_DB`` or the default."""
    path = _db_from_argv() or default_db_path()
    return Store(path)


def language() -> str:
    """Return the session's language code, from the sidebar or ``?lang=`` in the URL."""
    if LANG_KEY not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANG_KEY] = (requested if requested in LANGUAGES
                                      else DEFAULT_LANGUAGE)
    return st.session_state[LANG_KEY]


def t(key: str, **values: object) -> str:
    """Translate ``key`` into the session's language."""
    return translate(key, language(), **values)


def markdown_text(text: object) -> str:
    """Return ``text`` with Markdown punctuation escaped, so user text shows as typed.

    Streamlit renders captions, messages and headers as Markdown; a client name
    such as ``![x](http://host/p.png)`` would otherwise load an image.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def labeller(prefix: str):
    """Return a ``format_func`` that translates ``prefix.<value>`` in today's language.

    The language is bound now because Streamlit may call a format function outside
    the script run (AppTest does), where the session's language is not available.
    """
    lang = language()
    return lambda value: translate(f"{prefix}.{value}", lang)


def label_of(prefix: str, value: object) -> str:
    """Translate a stored category value (``client_type.bank``), or show it as stored.

    Categories imported from files may hold values the catalogue does not know;
    those are shown verbatim rather than failing.
    """
    key = f"{prefix}.{value}"
    if key in catalogue():
        return t(key)
    return str(value)


def render_sidebar(store: Store) -> None:
    """Draw the shared sidebar: the language switch and the active database."""
    language()
    with st.sidebar:
        st.selectbox(
            t("app.sidebar.language"),
            options=list(LANGUAGES),
            format_func=LANGUAGE_NAMES.get,
            key=LANG_KEY,
        )
        st.query_params["lang"] = st.session_state[LANG_KEY]
        st.caption(t("app.sidebar.database", path=str(store.path)))


def error_text(exc: Exception) -> str:
    """Return an error's message in the session's language when it carries a key.

    Model and import errors store their catalogue key with the placeholder values
    (``values`` or ``params``); other errors are shown as they are.
    """
    key = getattr(exc, "key", None)
    if key and key in catalogue():
        values = getattr(exc, "values", None) or getattr(exc, "params", None) or {}
        return t(key, **values)
    return str(exc)


def show_error(exc: Exception) -> None:
    """Show an error a user can act on; log anything unexpected with its traceback."""
    if isinstance(exc, PfcrmError):
        st.error(error_text(exc))
        return
    logger.exception("unexpected error in the app")
    st.error(t("app.error.unexpected", error=f"{type(exc).__name__}: {exc}"))


def fmt_money(value: float | None, currency: str = "USD") -> str:
    """Format an amount compactly in the session's language: 1.2 bn USD, 12.0 亿美元."""
    return format_amount(value, language(), currency)


def column_label(table: str, column: str) -> str:
    """Return the translated label of a canonical column, or its name."""
    key = f"column.{table}.{column}"
    return t(key) if key in catalogue() else column
