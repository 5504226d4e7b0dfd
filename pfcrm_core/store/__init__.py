"""The data-access layer: the only package that opens the DuckDB file or runs SQL.

``core`` holds the connection handling, the canonical tables, imports and undo;
``cases`` the follow-up cases of the feedback loop; ``sql`` the shared helpers.
"""

from .core import (
    DB_ENV_VAR,
    DEFAULT_DB_PATH,
    MIGRATIONS,
    Store,
    default_db_path,
)
from .sql import quote_identifier

__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB_PATH",
    "MIGRATIONS",
    "Store",
    "default_db_path",
    "quote_identifier",
]
