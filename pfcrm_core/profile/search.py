"""Client search by id or name, in any script, width and case."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

SEARCH_LIMIT = 20
# Characters ignored by the compact comparison, so "C0243" finds "C-0243".
_SEPARATORS = re.compile(r"[\s\-_./·・]+")


def normalise_text(value: object) -> str:
    """Return ``value`` in NFKC form, case-folded and trimmed.

    NFKC maps full-width letters and digits to ASCII ("ｃ-０２４３" to "c-0243"),
    and case folding compares "Heron" and "HERON" equal. Missing values give "".
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) \
            or value is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(value)).casefold().strip()


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def search_clients(clients: pd.DataFrame, query: str, *,
                   limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Find clients whose id or name contains ``query``, best matches first.

    Both sides are compared after ``normalise_text``, and again with spaces,
    hyphens, underscores, dots and slashes removed. Matches rank as: exact id,
    exact name, id prefix, name prefix, then any other part; ties go by client id.

    Parameters
    ----------
    clients : pandas.DataFrame
        The canonical ``clients`` table (``client_id``, ``name``).
    query : str
        Text typed by the user, in any script and width.
    limit : int, default 20
        Most matches returned.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``name`` and ``rank`` (0 is the best), at most ``limit``
        rows. Empty when ``query`` is blank.
    """
    wanted = normalise_text(query)
    empty = pd.DataFrame({"client_id": pd.Series(dtype=object),
                          "name": pd.Series(dtype=object),
                          "rank": pd.Series(dtype=int)})
    if not wanted or clients.empty:
        return empty

    ids = clients["client_id"].map(normalise_text)
    names = clients["name"].map(normalise_text) if "name" in clients \
        else pd.Series("", index=clients.index)
    compact = _compact(wanted)
    rank = pd.Series(np.nan, index=clients.index)
    rules = [
        (0, ids == wanted), (1, names == wanted),
        (2, ids.str.startswith(wanted)), (3, names.str.startswith(wanted)),
        (4, ids.str.contains(wanted, regex=False)
         | names.str.contains(wanted, regex=False)),
    ]
    if compact:
        rules.append((5, ids.map(_compact).str.contains(compact, regex=False)
                      | names.map(_compact).str.contains(compact, regex=False)))
    for value, mask in reversed(rules):
        rank[mask.to_numpy(dtype=bool)] = value

    found = clients.loc[rank.notna(), ["client_id"]].copy()
    found["name"] = clients.loc[rank.notna(), "name"] if "name" in clients else None
    found["rank"] = rank[rank.notna()].astype(int)
    found = found.sort_values(["rank", "client_id"], kind="stable")
    return found.head(limit).reset_index(drop=True)
