"""Per-client features as of a date, read from the store or from canonical frames.

One row per client whose relationship began by the as-of date. Money is in USD at
the reference rates of ``pfcrm_core.fx``. The columns are

- ``client_type``, ``sector``, ``region``, ``country``: from ``clients``;
- ``rating``, ``rating_notch`` (1 = AAA .. 22 = default, see ``ratings``),
  ``rating_scale`` and ``pd``: the latest ``credit`` row at or before the date. In
  the current view (a date at or after the latest credit row in the book) the
  client's own ``credit_rating`` takes precedence, because it is newer. A client
  rated D gets PD 1;
- ``default_12m``: the ``defaulted`` flag of the latest rated (not D) credit row at
  or before the date, 1.0 or 0.0, NaN without such a row. The flag records a
  default in the 12 months after that row, so it can postdate the as-of date. It
  describes segments and is never a clustering feature;
- ``exposure_usd``: the amount of the deals live at the date
  (``start_date <= as_of < maturity_date``), without credit conversion factors;
- ``fee_income_12m_usd``: revenue of the kinds in ``fee_kinds`` in the 12 months
  up to the date;
- ``revenue_12m_usd`` and ``frequency_12m``: all revenue and the number of
  transactions in that window;
- ``recency_days``: days since the last transaction, NaN when there is none;
- ``clv`` and ``p_alive``: joined from a CLV table when one is given;
- ``nps``: the latest survey score at or before the date, or the mean over the 12
  months up to it (``nps="mean_12m"``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core import fx
from pfcrm_core.segmentation import ratings
from pfcrm_core.segmentation.errors import Note, SegmentationError

logger = logging.getLogger(__name__)

# Non-interest income: every revenue kind except interest.
FEE_KINDS = ("fee", "advisory", "commitment")
NPS_METHODS = ("latest", "mean_12m")
TABLES_USED = ("clients", "projects", "deals", "revenue", "feedback", "credit")

WINDOW = pd.DateOffset(months=12)


@dataclass
class FeatureTable:
    """Client features as of one date.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per client, indexed by ``client_id``; columns in the module
        docstring.
    as_of : pandas.Timestamp
        The date the features describe.
    nps_method : str
        ``"latest"`` or ``"mean_12m"``.
    notes : list of Note
        Facts about the data: clients left out, unknown ratings, CLV source.
    """

    frame: pd.DataFrame
    as_of: pd.Timestamp
    nps_method: str
    notes: list[Note] = field(default_factory=list)

    @property
    def client_ids(self) -> pd.Index:
        return self.frame.index


def load_tables(store_or_frames) -> dict[str, pd.DataFrame]:
    """Return the canonical tables that segmentation reads.

    Parameters
    ----------
    store_or_frames : pfcrm_core.store.Store or dict of str to DataFrame
        A store, or frames keyed by table name such as ``generate_demo()`` returns.
        Missing tables other than ``clients`` are treated as empty.
    """
    if isinstance(store_or_frames, dict):
        tables = dict(store_or_frames)
    elif hasattr(store_or_frames, "read_table"):
        tables = {name: store_or_frames.read_table(name) for name in TABLES_USED}
    else:
        raise SegmentationError("segmentation.error.bad_source",
                                type=type(store_or_frames).__name__)

    if "clients" not in tables or tables["clients"] is None:
        raise SegmentationError("segmentation.error.no_clients_table")
    return tables


def default_as_of(tables: dict[str, pd.DataFrame]) -> pd.Timestamp:
    """Return the latest date in revenue, feedback, credit and deal starts."""
    candidates = []
    for table, column in (("revenue", "date"), ("feedback", "date"),
                          ("credit", "as_of"), ("deals", "start_date")):
        frame = tables.get(table)
        if frame is not None and column in frame and frame[column].notna().any():
            candidates.append(pd.to_datetime(frame[column]).max())
    if not candidates:
        raise SegmentationError("segmentation.error.no_dates")
    return max(candidates).normalize()


def build_features(store_or_frames, *, as_of=None, clv=None, nps: str = "latest",
                   fee_kinds: tuple[str, ...] = FEE_KINDS,
                   internal_scale: dict[int, int] | None = None) -> FeatureTable:
    """Build the client features as of a date.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
        The book; see ``load_tables``.
    as_of : date-like, optional
        Date of the features; default the latest date in the book
        (``default_as_of``).
    clv : DataFrame, ClvResult or None
        Per-client CLV with columns ``client_id``, ``clv`` and ``p_alive``, or a
        ``pfcrm_core.clv.ClvResult``. Without it the two columns are absent.
    nps : {"latest", "mean_12m"}, default "latest"
        Latest score at or before ``as_of``, or mean of the 12 months up to it.
    fee_kinds : tuple of str
        Revenue kinds counted as fee income; default every kind except interest.
    internal_scale : dict of int to int, optional
        Internal grade to notch; see ``ratings.parse_rating``.

    Raises
    ------
    SegmentationError
        When ``nps`` is not an allowed value, ``as_of`` is not a date, the clients
        table lacks ``client_id`` or no client's relationship began by ``as_of``.
    """
    if nps not in NPS_METHODS:
        raise SegmentationError("segmentation.error.bad_nps_method", value=nps,
                                allowed=", ".join(NPS_METHODS))
    tables = load_tables(store_or_frames)
    as_of = _as_of_date(as_of, tables)
    notes: list[Note] = []

    # Clients whose relationship began by the as-of date.
    frame = _client_frame(tables["clients"], as_of, notes)

    # Credit, deals, revenue, surveys and CLV, each joined on client_id.
    credit = _credit_features(tables.get("credit"), frame, as_of, internal_scale,
                              notes)
    frame = frame.join(credit)
    frame["exposure_usd"] = _exposure(tables.get("deals"), as_of, notes).reindex(
        frame.index).fillna(0.0)
    frame = frame.join(_revenue_features(tables.get("revenue"), frame.index, as_of,
                                         fee_kinds, notes))
    frame["nps"] = _nps(tables.get("feedback"), as_of, nps).reindex(frame.index)
    notes.append(Note(f"segmentation.note.nps_{nps}"))
    frame = _join_clv(frame, clv, notes)

    logger.info("built features of %d clients as of %s", len(frame), as_of.date())
    return FeatureTable(frame=frame, as_of=as_of, nps_method=nps, notes=notes)


def _as_of_date(as_of, tables) -> pd.Timestamp:
    if as_of is None:
        return default_as_of(tables)
    try:
        return pd.Timestamp(as_of).normalize()
    except (TypeError, ValueError):
        raise SegmentationError("segmentation.error.bad_as_of",
                                value=repr(as_of)) from None


def _client_frame(clients: pd.DataFrame, as_of: pd.Timestamp,
                  notes: list[Note]) -> pd.DataFrame:
    if "client_id" not in clients:
        raise SegmentationError("segmentation.error.missing_columns", table="clients",
                                columns="client_id",
                                available=", ".join(map(str, clients.columns)))
    clients = clients.copy()
    for column in ("client_type", "sector", "region", "country", "credit_rating",
                   "relationship_since"):
        if column not in clients:
            clients[column] = np.nan

    since = pd.to_datetime(clients["relationship_since"])
    started = since.isna() | (since <= as_of)
    if (~started).any():
        notes.append(Note("segmentation.note.clients_not_started",
                          {"count": int((~started).sum()),
                           "as_of": f"{as_of:%Y-%m-%d}"}))
    clients = clients[started]
    if clients.empty:
        raise SegmentationError("segmentation.error.no_clients_at_date",
                                as_of=f"{as_of:%Y-%m-%d}")

    frame = clients.set_index(clients["client_id"].astype(str))
    frame.index.name = "client_id"
    frame = frame[["client_type", "sector", "region", "country", "credit_rating"]]
    for column in ("client_type", "sector", "region"):
        frame[column] = _category(frame[column])
    return frame.sort_index()


def _category(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna())
    text = text.map(lambda v: str(v).strip().lower() if isinstance(v, str) else v)
    return text.replace("", np.nan).astype(object)


def _credit_features(credit: pd.DataFrame | None, frame: pd.DataFrame,
                     as_of: pd.Timestamp, internal_scale, notes: list[Note]
                     ) -> pd.DataFrame:
    ids = frame.index
    latest, latest_rated = _latest_credit_rows(credit, ids, as_of)

    # The client's own rating is newer than the credit history in the current view.
    rating = latest["rating"].astype(object)
    current_view = credit is None or credit.empty or \
        as_of >= pd.to_datetime(credit["as_of"]).max()
    if current_view:
        own = frame["credit_rating"].astype(object)
        rating = own.where(own.notna() & (own.astype(str).str.strip() != ""), rating)

    parsed = ratings.parse_ratings(rating, internal_scale)
    _note_rating_problems(rating, parsed, notes)

    result = pd.DataFrame({"rating": rating}, index=ids)
    result["rating_notch"] = parsed["rating_notch"]
    result["rating_scale"] = parsed["rating_scale"]
    result["pd"] = pd.to_numeric(latest["pd"], errors="coerce")
    result.loc[result["rating_notch"] >= ratings.DEFAULT_NOTCH, "pd"] = 1.0
    result["default_12m"] = latest_rated["defaulted"].map(
        {True: 1.0, False: 0.0}).astype(float)
    return result


def _latest_credit_rows(credit: pd.DataFrame | None, ids: pd.Index,
                        as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    columns = ["rating", "pd", "defaulted"]
    if credit is None or credit.empty:
        empty = pd.DataFrame(np.nan, index=ids, columns=columns, dtype=object)
        return empty, empty

    rows = credit[pd.to_datetime(credit["as_of"]) <= as_of].copy()
    rows["client_id"] = rows["client_id"].astype(str)
    rows = rows.sort_values(["client_id", "as_of"], kind="stable")
    latest = _last_row(rows)
    rated = rows[ratings.parse_ratings(rows["rating"])["rating_notch"]
                 < ratings.DEFAULT_NOTCH]
    latest_rated = _last_row(rated)
    return (latest.reindex(ids)[columns].astype(object),
            latest_rated.reindex(ids)[columns].astype(object))


def _last_row(rows: pd.DataFrame) -> pd.DataFrame:
    # The whole last row, unlike GroupBy.last, which skips missing values per column.
    return rows.drop_duplicates("client_id", keep="last").set_index("client_id")


def _note_rating_problems(rating: pd.Series, parsed: pd.DataFrame,
                          notes: list[Note]) -> None:
    unknown = rating[parsed["rating_scale"] == "unknown"].astype(str)
    if not unknown.empty:
        examples = ", ".join(sorted(unknown.unique())[:5])
        notes.append(Note("segmentation.note.unknown_ratings",
                          {"count": int(len(unknown)), "examples": examples}))
    unrated = int(parsed["rating_scale"].isin(["missing", "not rated"]).sum())
    if unrated:
        notes.append(Note("segmentation.note.unrated_clients", {"count": unrated}))


def _exposure(deals: pd.DataFrame | None, as_of: pd.Timestamp,
              notes: list[Note]) -> pd.Series:
    live = exposure_rows(deals, as_of)
    if live.empty:
        return pd.Series(dtype=float)
    _note_unknown_currencies(live["currency"], "deals", notes)
    amounts = live["amount_usd"]
    return amounts.groupby(live["client_id"].astype(str)).sum(min_count=1).fillna(0.0)


def exposure_rows(deals: pd.DataFrame | None, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return the deals live at ``as_of`` with their amount in USD (``amount_usd``).

    A deal is live when ``start_date <= as_of < maturity_date``; a missing maturity
    counts as open-ended.
    """
    if deals is None or deals.empty:
        return pd.DataFrame(columns=["client_id", "project_id", "currency",
                                     "amount_usd"])
    start = pd.to_datetime(deals["start_date"])
    maturity = pd.to_datetime(deals["maturity_date"])
    live = deals[(start <= as_of) & (maturity.isna() | (as_of < maturity))]
    return live.assign(amount_usd=fx.to_usd(live["amount"], live["currency"]))


def _note_unknown_currencies(currencies: pd.Series, table: str,
                             notes: list[Note]) -> None:
    unknown = fx.unknown_currencies(currencies)
    if unknown:
        count = int(currencies.astype(str).str.upper().str.strip().isin(unknown).sum())
        notes.append(Note("segmentation.note.unknown_currencies",
                          {"table": table, "count": count,
                           "currencies": ", ".join(unknown)}))


def _revenue_features(revenue: pd.DataFrame | None, ids: pd.Index,
                      as_of: pd.Timestamp, fee_kinds, notes: list[Note]
                      ) -> pd.DataFrame:
    result = pd.DataFrame(index=ids)
    if revenue is None or revenue.empty:
        for column in ("fee_income_12m_usd", "revenue_12m_usd", "frequency_12m"):
            result[column] = 0.0
        result["recency_days"] = np.nan
        return result

    dates = pd.to_datetime(revenue["date"])
    past = revenue[dates <= as_of].assign(date=dates[dates <= as_of])
    client = past["client_id"].astype(str)
    last = past.groupby(client)["date"].max()
    result["recency_days"] = (as_of - last).dt.days.reindex(ids).astype(float)

    window = past[past["date"] > as_of - WINDOW]
    usd = fx.to_usd(window["amount"], window["currency"])
    _note_unknown_currencies(window["currency"], "revenue", notes)
    window_client = window["client_id"].astype(str)
    kinds = window["kind"].astype(object).str.strip().str.lower()
    is_fee = kinds.isin(fee_kinds)
    if kinds.isna().any():
        notes.append(Note("segmentation.note.revenue_without_kind",
                          {"count": int(kinds.isna().sum())}))

    result["fee_income_12m_usd"] = usd[is_fee].groupby(window_client[is_fee]).sum()
    result["revenue_12m_usd"] = usd.groupby(window_client).sum()
    result["frequency_12m"] = window_client.value_counts()
    for column in ("fee_income_12m_usd", "revenue_12m_usd", "frequency_12m"):
        result[column] = result[column].astype(float).fillna(0.0)
    return result


def _nps(feedback: pd.DataFrame | None, as_of: pd.Timestamp, method: str
         ) -> pd.Series:
    if feedback is None or feedback.empty or "nps" not in feedback:
        return pd.Series(dtype=float)
    dates = pd.to_datetime(feedback["date"])
    rows = feedback[(dates <= as_of) & feedback["nps"].notna()].assign(
        date=dates, client_id=feedback["client_id"].astype(str))
    if method == "mean_12m":
        rows = rows[rows["date"] > as_of - WINDOW]
        return rows.groupby("client_id")["nps"].mean().astype(float)
    rows = rows.sort_values(["client_id", "date"], kind="stable")
    return _last_row(rows)["nps"].astype(float)


def _join_clv(frame: pd.DataFrame, clv, notes: list[Note]) -> pd.DataFrame:
    if clv is None:
        notes.append(Note("segmentation.note.no_clv"))
        return frame
    table = getattr(clv, "clients", clv)
    if not isinstance(table, pd.DataFrame):
        raise SegmentationError("segmentation.error.bad_clv",
                                type=type(clv).__name__)
    missing = [c for c in ("client_id", "clv", "p_alive") if c not in table]
    if missing:
        raise SegmentationError("segmentation.error.missing_columns", table="clv",
                                columns=", ".join(missing),
                                available=", ".join(map(str, table.columns)))

    values = table.assign(client_id=table["client_id"].astype(str))
    values = values.drop_duplicates("client_id").set_index("client_id")
    frame = frame.join(values[["clv", "p_alive"]].astype(float))
    absent = int(frame["clv"].isna().sum())
    if absent:
        notes.append(Note("segmentation.note.clv_missing_clients", {"count": absent}))
    return frame
