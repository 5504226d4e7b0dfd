"""Development sample and current book from the store's tables.

Each feature uses only what was known at the row's date (``as_of``):

- ``rating_notch``: the rating on the row, on the external notch scale
  (0 = AAA ... 20 = C).
- ``client_type``, ``sector``, ``region``: from ``clients``. NOTE: the store keeps
  only current values, so a client that changed sector is shown with today's.
- ``ead``: exposure at default on the credit row, in USD.
- ``fee_income_12m``: revenue of kind "fee" in USD dated in (as_of - 12 months,
  as_of]; NaN when that window starts before the first revenue date in the store
  (the sum would be incomplete), so it falls in the missing bin.
- ``tenure_years``: years from ``relationship_since`` to as_of (0 when later).
- ``margin_bps``: amount-weighted margin of the client's deals live at as_of
  (start_date <= as_of < maturity_date) that carry a margin; NaN without any.

Target ``default_12m``: the ``defaulted`` flag of a rated row, meaning the client
defaults within the 12 months after as_of. Rows in default (rating D or PD 1)
and any later rows of that client are left out, because a defaulted client has
no PD to predict. NOTE: the window of the last as_of can be shorter than 12 months
when the book ends sooner, which understates its default rate.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from pfcrm_core import fx
from pfcrm_core.risk.exceptions import RiskDataError, format_values
from pfcrm_core.risk.master_scale import is_default_rating, rating_notch

logger = logging.getLogger(__name__)

FEATURES = ("rating_notch", "client_type", "sector", "region", "ead",
            "fee_income_12m", "tenure_years", "margin_bps")
CATEGORICAL_FEATURES = ("client_type", "sector", "region")
TARGET = "default_12m"
TABLES = ("clients", "credit", "deals", "revenue")
FEE_KIND = "fee"


def load_frames(source) -> dict[str, pd.DataFrame]:
    """Return the clients, credit, deals and revenue tables of a store or a dict.

    ``source`` is a ``pfcrm_core.store.Store`` or a mapping of table name to
    DataFrame (for example ``generate_demo()``).
    """
    if isinstance(source, Mapping):
        absent = [name for name in TABLES if name not in source]
        if absent:
            raise RiskDataError("risk.error.missing_tables", tables=format_values(absent))
        return {name: source[name] for name in TABLES}
    return {name: source.read_table(name) for name in TABLES}


def build_development_sample(source) -> pd.DataFrame:
    """Build one row per client and as_of with the features and the 12-month target.

    Parameters
    ----------
    source : Store or mapping of str to DataFrame

    Returns
    -------
    pandas.DataFrame
        client_id, as_of, the ``FEATURES`` and ``TARGET`` (bool, NaN where the
        credit row has no default flag), sorted by client and as_of.

    Raises
    ------
    RiskDataError
        When the credit table has no rows.
    """
    frames = load_frames(source)
    credit = frames["credit"].copy()
    if credit.empty:
        raise RiskDataError("risk.error.no_credit_history")
    credit["as_of"] = pd.to_datetime(credit["as_of"])
    credit = credit.sort_values(["client_id", "as_of"], kind="stable",
                                ignore_index=True)

    # Leave out rows in default and every later row of the same client.
    in_default = is_default_rating(credit["rating"]) | (credit["pd"] >= 1.0).to_numpy()
    after_default = pd.Series(in_default).groupby(credit["client_id"]).cummax()
    performing = credit[~after_default.to_numpy()].reset_index(drop=True)
    logger.info("development sample: %d of %d credit rows are performing",
                len(performing), len(credit))

    sample = client_features(frames, performing[["client_id", "as_of"]],
                             credit_rows=performing)
    sample[TARGET] = performing["defaulted"].astype(object).where(
        performing["defaulted"].notna(), np.nan).to_numpy()
    return sample


def client_features(frames: Mapping, keys: pd.DataFrame,
                    credit_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``FEATURES`` for each (client_id, as_of) of ``keys``.

    ``credit_rows`` gives the rating and EAD of each key (same order); without
    it, each key takes the client's latest credit row on or before its as_of.
    """
    keys = keys[["client_id", "as_of"]].reset_index(drop=True)
    keys["as_of"] = pd.to_datetime(keys["as_of"])
    if credit_rows is None:
        credit_rows = _latest_credit(frames["credit"], keys)

    result = keys.copy()
    result["rating_notch"] = rating_notch(credit_rows["rating"].reset_index(drop=True))
    clients = frames["clients"].set_index("client_id")
    for column in CATEGORICAL_FEATURES:
        result[column] = keys["client_id"].map(clients[column]).to_numpy(dtype=object)
    result["ead"] = credit_rows["ead"].to_numpy(dtype=float)
    result["fee_income_12m"] = _fee_income(frames["revenue"], keys)
    result["tenure_years"] = _tenure(clients, keys)
    result["margin_bps"] = _margin(frames["deals"], keys)
    return result


def _latest_credit(credit: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    credit = credit.assign(as_of=pd.to_datetime(credit["as_of"]))
    credit = credit.sort_values("as_of", kind="stable")
    left = keys.reset_index().sort_values("as_of", kind="stable")
    merged = pd.merge_asof(left, credit.rename(columns={"as_of": "credit_as_of"}),
                           left_on="as_of", right_on="credit_as_of", by="client_id",
                           direction="backward")
    return merged.sort_values("index").reset_index(drop=True)


def _fee_income(revenue: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    if revenue.empty:
        return np.full(len(keys), np.nan)
    fees = revenue[revenue["kind"].astype(str).str.lower() == FEE_KIND]
    fees = pd.DataFrame({"client_id": fees["client_id"].to_numpy(),
                         "date": pd.to_datetime(fees["date"]).to_numpy(),
                         "usd": fx.to_usd(fees["amount"], fees["currency"]).to_numpy()})
    joined = keys.reset_index().merge(fees, on="client_id", how="inner")
    start = joined["as_of"] - pd.DateOffset(months=12)
    inside = (joined["date"] > start) & (joined["date"] <= joined["as_of"])
    totals = joined[inside].groupby("index")["usd"].sum()
    result = totals.reindex(range(len(keys)), fill_value=0.0).to_numpy()

    first_date = pd.to_datetime(revenue["date"]).min()
    incomplete = (keys["as_of"] - pd.DateOffset(months=12)) < first_date
    return np.where(incomplete.to_numpy(), np.nan, result)


def _tenure(clients: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    since = pd.to_datetime(keys["client_id"].map(clients["relationship_since"]))
    years = (keys["as_of"] - since).dt.days / 365.25
    return years.clip(lower=0).to_numpy(dtype=float)


def _margin(deals: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    priced = deals[deals["margin_bps"].notna()]
    priced = pd.DataFrame({
        "client_id": priced["client_id"].to_numpy(),
        "start": pd.to_datetime(priced["start_date"]).to_numpy(),
        "maturity": pd.to_datetime(priced["maturity_date"]).to_numpy(),
        "margin": priced["margin_bps"].to_numpy(dtype=float),
        "usd": fx.to_usd(priced["amount"], priced["currency"]).to_numpy(),
    })
    joined = keys.reset_index().merge(priced, on="client_id", how="inner")
    live = ((joined["start"] <= joined["as_of"]) & (joined["as_of"] < joined["maturity"])
            & (joined["usd"] > 0))
    joined = joined[live]
    weighted = (joined["margin"] * joined["usd"]).groupby(joined["index"]).sum()
    weights = joined["usd"].groupby(joined["index"]).sum()
    return (weighted / weights).reindex(range(len(keys))).to_numpy(dtype=float)


def current_book(source, as_of=None) -> pd.DataFrame:
    """Return one row per client with a credit row on or before ``as_of``.

    Parameters
    ----------
    source : Store or mapping of str to DataFrame
    as_of : date, optional
        Default: the latest credit as_of in the store.

    Returns
    -------
    pandas.DataFrame
        client_id, name, as_of (the date asked), credit_as_of (the row used),
        rating, pd, lgd, ead, in_default, the ``FEATURES``, revenue (USD, 12
        months to as_of, all kinds) and maturity_years (EAD-weighted remaining
        years of the live deals, NaN without any). Ready for
        ``raroc.risk_return_table`` once ``pd`` is chosen.
    """
    frames = load_frames(source)
    credit = frames["credit"].assign(as_of=pd.to_datetime(frames["credit"]["as_of"]))
    if credit.empty:
        raise RiskDataError("risk.error.no_credit_history")
    date = credit["as_of"].max() if as_of is None else pd.Timestamp(as_of)
    clients = credit.loc[credit["as_of"] <= date, "client_id"].drop_duplicates()
    keys = pd.DataFrame({"client_id": clients.to_numpy(), "as_of": date})

    latest = _latest_credit(credit, keys)
    book = client_features(frames, keys, credit_rows=latest)
    book.insert(2, "credit_as_of", latest["credit_as_of"].to_numpy())
    names = frames["clients"].set_index("client_id")["name"]
    book.insert(1, "name", book["client_id"].map(names).to_numpy(dtype=object))
    for column in ("rating", "pd", "lgd"):
        book[column] = latest[column].to_numpy()
    book["in_default"] = (is_default_rating(latest["rating"])
                          | (latest["pd"] >= 1.0).to_numpy())
    book["revenue"] = _revenue(frames["revenue"], keys)
    book["maturity_years"] = _remaining_maturity(frames["deals"], keys)
    return book


def _revenue(revenue: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    rows = pd.DataFrame({"client_id": revenue["client_id"].to_numpy(),
                         "date": pd.to_datetime(revenue["date"]).to_numpy(),
                         "usd": fx.to_usd(revenue["amount"],
                                          revenue["currency"]).to_numpy()})
    joined = keys.reset_index().merge(rows, on="client_id", how="inner")
    inside = ((joined["date"] > joined["as_of"] - pd.DateOffset(months=12))
              & (joined["date"] <= joined["as_of"]))
    totals = joined[inside].groupby("index")["usd"].sum()
    return totals.reindex(range(len(keys)), fill_value=0.0).to_numpy()


def _remaining_maturity(deals: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    rows = pd.DataFrame({
        "client_id": deals["client_id"].to_numpy(),
        "start": pd.to_datetime(deals["start_date"]).to_numpy(),
        "maturity": pd.to_datetime(deals["maturity_date"]).to_numpy(),
        "usd": fx.to_usd(deals["amount"], deals["currency"]).to_numpy(),
    })
    joined = keys.reset_index().merge(rows, on="client_id", how="inner")
    live = ((joined["start"] <= joined["as_of"]) & (joined["as_of"] < joined["maturity"])
            & (joined["usd"] > 0))
    joined = joined[live]
    years = (joined["maturity"] - joined["as_of"]).dt.days / 365.25
    weighted = (years * joined["usd"]).groupby(joined["index"]).sum()
    weights = joined["usd"].groupby(joined["index"]).sum()
    return (weighted / weights).reindex(range(len(keys))).to_numpy(dtype=float)
