"""Client features at a cut-off date and the next-deal label after it.

Every feature at a cut-off ``c`` reads only rows dated on or before ``c``: deals
by ``start_date``, revenue, interactions and survey responses by ``date``, credit
records by ``as_of``. Maturity dates are the one exception, because a facility's
maturity is fixed in its contract when the deal starts, so it is known at ``c``
for every deal started by ``c``.

The label of a client at ``c`` is 1 when a deal with that client starts in
``(c, c + horizon]`` and 0 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.fx import to_usd
from pfcrm_core.schema import CLIENT_TYPES

from .errors import PredictionError, require_columns

# Numeric features of the logistic model, in column order. The client-type
# indicators ``type_<client_type>`` follow them.
NUMERIC_FEATURES = (
    "months_since_last_deal",
    "no_prior_deal",
    "log_deals_12m",
    "log_deals_36m",
    "log_amount_36m",
    "log_revenue_12m",
    "revenue_change",
    "log_contacts_90d",
    "log_contacts_180d",
    "latest_nps",
    "no_survey",
    "log_pd",
    "no_pd",
    "tenure_years",
    "maturities_12m",
    "months_to_maturity",
)
TYPE_FEATURES = tuple(f"type_{client_type}" for client_type in CLIENT_TYPES)
FEATURES = NUMERIC_FEATURES + TYPE_FEATURES

# Values that replace a missing fact. An indicator feature marks each one.
NO_DEAL_MONTHS = 120.0
NEUTRAL_NPS = 7.0
NEUTRAL_PD = 0.01
# Maturities further ahead than this count as "none soon".
MATURITY_CAP_MONTHS = 60.0

DAYS_PER_MONTH = 365.25 / 12

REQUIRED_COLUMNS = {
    "clients": ("client_id",),
    "deals": ("client_id", "start_date"),
}
OPTIONAL_COLUMNS = {
    "clients": ("client_type", "relationship_since"),
    "deals": ("amount", "currency", "maturity_date"),
    "revenue": ("client_id", "date", "amount", "currency"),
    "interactions": ("client_id", "date"),
    "feedback": ("client_id", "date", "nps"),
    "credit": ("client_id", "as_of", "pd"),
}


@dataclass(frozen=True)
class DealBook:
    """The columns of the book that the next-deal model reads, typed and in USD.

    Attributes
    ----------
    clients : pandas.DataFrame
        ``client_id``, ``client_type``, ``relationship_since``.
    deals : pandas.DataFrame
        ``client_id``, ``start``, ``maturity``, ``amount_usd``.
    revenue : pandas.DataFrame
        ``client_id``, ``date``, ``amount_usd``.
    interactions : pandas.DataFrame
        ``client_id``, ``date``.
    feedback : pandas.DataFrame
        ``client_id``, ``date``, ``nps``.
    credit : pandas.DataFrame
        ``client_id``, ``as_of``, ``pd``.
    """

    clients: pd.DataFrame
    deals: pd.DataFrame
    revenue: pd.DataFrame
    interactions: pd.DataFrame
    feedback: pd.DataFrame
    credit: pd.DataFrame

    @property
    def history_start(self) -> pd.Timestamp | None:
        """First date covered by every non-empty activity table, None without any.

        It is the latest of the first deal start, the first revenue date and the
        first interaction date, so features that read a table are not computed
        before that table's records begin.
        """
        firsts = [dates.min() for dates in (self.deals["start"].dropna(),
                                            self.revenue["date"].dropna(),
                                            self.interactions["date"].dropna())
                  if len(dates)]
        return max(firsts) if firsts else None

    @property
    def last_date(self) -> pd.Timestamp | None:
        """Latest deal start or revenue date, None without any."""
        dates = pd.concat([self.deals["start"], self.revenue["date"]]).dropna()
        return dates.max().normalize() if len(dates) else None


def _column(frame: pd.DataFrame, name: str, default=np.nan) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index)


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(_column(frame, name), errors="coerce")


def load_book(tables: dict[str, pd.DataFrame],
              as_of: pd.Timestamp | None = None) -> DealBook:
    """Select, type and convert the columns the next-deal model reads.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Canonical tables as ``Store.read_table`` returns them. ``clients`` and
        ``deals`` are required; ``revenue``, ``interactions``, ``feedback`` and
        ``credit`` may be missing or empty.
    as_of : pandas.Timestamp, optional
        Rows dated after it are dropped, so nothing later than ``as_of`` reaches
        a feature or a label.

    Raises
    ------
    PredictionError
        When ``clients`` or ``deals`` is missing or lacks a required column.
    """
    for name, columns in REQUIRED_COLUMNS.items():
        frame = tables.get(name)
        if frame is None:
            raise PredictionError("prediction.error.missing_table", table=name)
        require_columns(frame, columns, name)

    def optional(name: str) -> pd.DataFrame:
        frame = tables.get(name)
        if frame is None:
            return pd.DataFrame(columns=list(OPTIONAL_COLUMNS[name]))
        require_columns(frame, ("client_id",), name)
        return frame

    clients, deals = tables["clients"], tables["deals"]
    revenue, interactions = optional("revenue"), optional("interactions")
    feedback, credit = optional("feedback"), optional("credit")

    book = DealBook(
        clients=pd.DataFrame({
            "client_id": clients["client_id"].astype(str),
            "client_type": _column(clients, "client_type", None),
            "relationship_since": _dates(clients, "relationship_since"),
        }).drop_duplicates("client_id").reset_index(drop=True),
        deals=pd.DataFrame({
            "client_id": deals["client_id"].astype(str),
            "start": _dates(deals, "start_date"),
            "maturity": _dates(deals, "maturity_date"),
            "amount_usd": to_usd(_column(deals, "amount"),
                                 _column(deals, "currency", None)).fillna(0.0),
        }),
        revenue=pd.DataFrame({
            "client_id": revenue["client_id"].astype(str),
            "date": _dates(revenue, "date"),
            "amount_usd": to_usd(_column(revenue, "amount"),
                                 _column(revenue, "currency", None)).fillna(0.0),
        }),
        interactions=pd.DataFrame({"client_id": interactions["client_id"].astype(str),
                                   "date": _dates(interactions, "date")}),
        feedback=pd.DataFrame({
            "client_id": feedback["client_id"].astype(str),
            "date": _dates(feedback, "date"),
            "nps": pd.to_numeric(_column(feedback, "nps"), errors="coerce"),
        }),
        credit=pd.DataFrame({
            "client_id": credit["client_id"].astype(str),
            "as_of": _dates(credit, "as_of"),
            "pd": pd.to_numeric(_column(credit, "pd"), errors="coerce"),
        }),
    )
    if as_of is not None:
        book = _until(book, as_of)
    return book


def _until(book: DealBook, as_of: pd.Timestamp) -> DealBook:
    def keep(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[frame[column].isna() | (frame[column] <= as_of)]

    deals = book.deals[book.deals["start"] <= as_of]
    return DealBook(clients=book.clients, deals=deals.reset_index(drop=True),
                    revenue=keep(book.revenue, "date"),
                    interactions=keep(book.interactions, "date"),
                    feedback=keep(book.feedback, "date"),
                    credit=keep(book.credit, "as_of"))


def eligible_clients(book: DealBook, cutoff: pd.Timestamp) -> pd.Index:
    """Return the ids of clients with a relationship at ``cutoff``.

    A client qualifies when its ``relationship_since`` is on or before the
    cut-off, or, when that date is missing, when it has a deal, revenue or an
    interaction dated on or before the cut-off.
    """
    since = book.clients.set_index("client_id")["relationship_since"]
    known = since[since.notna() & (since <= cutoff)].index
    undated = since[since.isna()].index
    active = pd.Index(pd.concat([
        book.deals.loc[book.deals["start"] <= cutoff, "client_id"],
        book.revenue.loc[book.revenue["date"] <= cutoff, "client_id"],
        book.interactions.loc[book.interactions["date"] <= cutoff, "client_id"],
    ]).unique())
    return known.append(undated.intersection(active)).unique().sort_values()


def _count_between(frame: pd.DataFrame, column: str, start, end,
                   ids: pd.Index) -> pd.Series:
    inside = frame[(frame[column] > start) & (frame[column] <= end)]
    return inside.groupby("client_id").size().reindex(ids, fill_value=0).astype(float)


def _sum_between(frame: pd.DataFrame, column: str, value: str, start, end,
                 ids: pd.Index) -> pd.Series:
    inside = frame[(frame[column] > start) & (frame[column] <= end)]
    return inside.groupby("client_id")[value].sum().reindex(ids, fill_value=0.0)


def _latest(frame: pd.DataFrame, column: str, value: str, cutoff,
            ids: pd.Index) -> pd.Series:
    known = frame[(frame[column] <= cutoff) & frame[value].notna()]
    ordered = known.sort_values([column, value], kind="stable")
    latest = ordered.groupby("client_id").last()
    return latest[value].reindex(ids)


def raw_features(book: DealBook, cutoff: pd.Timestamp,
                 client_ids: pd.Index | None = None) -> pd.DataFrame:
    """Return each client's facts at ``cutoff`` in their natural units.

    Parameters
    ----------
    book : DealBook
        The book from ``load_book``.
    cutoff : pandas.Timestamp
        The cut-off date; rows dated after it are ignored.
    client_ids : pandas.Index, optional
        Clients to describe; default ``eligible_clients(book, cutoff)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``client_id``, with these columns:

        - ``months_since_last_deal``: NaN without a deal.
        - ``deals_12m``, ``deals_36m``, ``amount_36m_musd``: deals started in the
          trailing window and their amount in USD millions.
        - ``revenue_12m_musd``, ``revenue_prior_12m_musd``: revenue in the last
          12 months and the 12 before, in USD millions.
        - ``contacts_90d``, ``contacts_180d``: interactions in the window.
        - ``latest_nps`` and ``pd``: the latest values, NaN without a record.
        - ``tenure_years``.
        - ``maturities_12m``: live deals maturing within 12 months.
        - ``months_to_maturity``: next maturity of a live deal, NaN when none
          falls within ``MATURITY_CAP_MONTHS``.
        - ``client_type``.
    """
    ids = eligible_clients(book, cutoff) if client_ids is None else client_ids
    year, three_years = pd.DateOffset(years=1), pd.DateOffset(years=3)
    deals = book.deals[book.deals["start"] <= cutoff]
    frame = pd.DataFrame(index=ids)
    frame.index.name = "client_id"

    # Deal history: recency, counts and amounts in trailing windows.
    last_start = deals.groupby("client_id")["start"].max().reindex(ids)
    frame["months_since_last_deal"] = (cutoff - last_start).dt.days / DAYS_PER_MONTH
    frame["deals_12m"] = _count_between(deals, "start", cutoff - year, cutoff, ids)
    frame["deals_36m"] = _count_between(deals, "start", cutoff - three_years, cutoff,
                                        ids)
    frame["amount_36m_musd"] = _sum_between(deals, "start", "amount_usd",
                                            cutoff - three_years, cutoff, ids) / 1e6

    # Revenue in the last 12 months and the 12 before.
    frame["revenue_12m_musd"] = _sum_between(book.revenue, "date", "amount_usd",
                                             cutoff - year, cutoff, ids) / 1e6
    frame["revenue_prior_12m_musd"] = _sum_between(
        book.revenue, "date", "amount_usd", cutoff - 2 * year, cutoff - year, ids) / 1e6

    # Contacts, the latest survey score and the latest PD.
    for days in (90, 180):
        frame[f"contacts_{days}d"] = _count_between(
            book.interactions, "date", cutoff - pd.Timedelta(days=days), cutoff, ids)
    frame["latest_nps"] = _latest(book.feedback, "date", "nps", cutoff, ids)
    frame["pd"] = _latest(book.credit, "as_of", "pd", cutoff, ids)

    # Tenure from relationship_since, or from the first record when it is missing.
    clients = book.clients.set_index("client_id").reindex(ids)
    first_record = pd.concat([
        deals[["client_id", "start"]].rename(columns={"start": "date"}),
        book.revenue.loc[book.revenue["date"] <= cutoff, ["client_id", "date"]],
        book.interactions.loc[book.interactions["date"] <= cutoff,
                              ["client_id", "date"]],
    ]).groupby("client_id")["date"].min().reindex(ids)
    since = clients["relationship_since"].fillna(first_record)
    tenure = (cutoff - since).dt.days / 365.25
    frame["tenure_years"] = tenure.clip(lower=0).fillna(0.0)

    # Refinancing need: live deals that mature soon.
    live = deals[deals["maturity"] > cutoff]
    frame["maturities_12m"] = _count_between(live, "maturity", cutoff, cutoff + year,
                                             ids)
    months_ahead = ((live.groupby("client_id")["maturity"].min().reindex(ids) - cutoff)
                    .dt.days / DAYS_PER_MONTH)
    frame["months_to_maturity"] = months_ahead.where(
        months_ahead <= MATURITY_CAP_MONTHS)

    frame["client_type"] = clients["client_type"]
    return frame


def model_features(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn ``raw_features`` into the model's ``FEATURES``, filling missing facts.

    A missing fact gets a fixed neutral value (``NO_DEAL_MONTHS``,
    ``NEUTRAL_NPS``, ``NEUTRAL_PD``, ``MATURITY_CAP_MONTHS``) and, for deals,
    surveys and PD, an indicator feature set to 1. Counts of deals and contacts
    enter as ``log1p`` of the count, amounts as ``log1p`` of USD millions and PD
    as its natural log, so a few very active clients do not dominate the fit.
    """
    frame = pd.DataFrame(index=raw.index)
    frame["months_since_last_deal"] = raw["months_since_last_deal"].fillna(
        NO_DEAL_MONTHS).clip(upper=NO_DEAL_MONTHS)
    frame["no_prior_deal"] = raw["months_since_last_deal"].isna().astype(float)
    frame["log_deals_12m"] = np.log1p(raw["deals_12m"])
    frame["log_deals_36m"] = np.log1p(raw["deals_36m"])
    frame["log_amount_36m"] = np.log1p(raw["amount_36m_musd"].clip(lower=0))
    frame["log_revenue_12m"] = np.log1p(raw["revenue_12m_musd"].clip(lower=0))
    frame["revenue_change"] = (frame["log_revenue_12m"]
                               - np.log1p(raw["revenue_prior_12m_musd"].clip(lower=0)))
    frame["log_contacts_90d"] = np.log1p(raw["contacts_90d"])
    frame["log_contacts_180d"] = np.log1p(raw["contacts_180d"])
    frame["latest_nps"] = raw["latest_nps"].fillna(NEUTRAL_NPS)
    frame["no_survey"] = raw["latest_nps"].isna().astype(float)
    frame["log_pd"] = np.log(raw["pd"].fillna(NEUTRAL_PD).clip(lower=1e-4))
    frame["no_pd"] = raw["pd"].isna().astype(float)
    frame["tenure_years"] = raw["tenure_years"]
    frame["maturities_12m"] = raw["maturities_12m"]
    frame["months_to_maturity"] = raw["months_to_maturity"].fillna(MATURITY_CAP_MONTHS)
    for client_type, column in zip(CLIENT_TYPES, TYPE_FEATURES):
        frame[column] = (raw["client_type"] == client_type).astype(float)
    return frame[list(FEATURES)].astype(float)


def add_months(day: pd.Timestamp, months: int) -> pd.Timestamp:
    """Shift ``day`` by ``months``, keeping month-ends at month-ends.

    ``pandas.DateOffset(months=6)`` takes 30 June to 30 December, but a window
    after a quarter-end cut-off must end on 31 December.
    """
    if day.is_month_end:
        return day + pd.offsets.MonthEnd(months) if months else day
    return day + pd.DateOffset(months=months)


def next_deal_labels(book: DealBook, cutoff: pd.Timestamp, horizon_months: int,
                     client_ids: pd.Index) -> pd.Series:
    """Return 1 for each client with a deal starting in ``(cutoff, cutoff + horizon]``.

    Raises
    ------
    PredictionError
        When ``horizon_months`` is not a positive whole number of months.
    """
    if int(horizon_months) != horizon_months or horizon_months < 1:
        raise PredictionError("prediction.error.bad_horizon", value=horizon_months)
    end = add_months(cutoff, int(horizon_months))
    starts = book.deals[(book.deals["start"] > cutoff) & (book.deals["start"] <= end)]
    labelled = pd.Index(starts["client_id"].unique())
    return pd.Series(client_ids.isin(labelled).astype(int), index=client_ids,
                     name="new_deal")
