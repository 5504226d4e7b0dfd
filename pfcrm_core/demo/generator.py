"""Build the seeded demo book: one DataFrame per canonical table.

The parts are drawn in causal order from one ``numpy.random.Generator``:

1. clients, with hidden size, satisfaction and rating;
2. credit history, where the rating drives default;
3. revenue, where satisfaction drives dropout and a default ends the relationship;
4. projects and deals, which avoid clients that had already lapsed;
5. survey responses and interactions within each client's active period;
6. relationships between clients that share deals.

The same seed gives identical frames, and the book ends at the fixed as-of date
``reference.AS_OF``, so figures do not change from run to run.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pfcrm_core import schema
from pfcrm_core.demo import (activity, clients, credit, deals, feedback, network,
                             projects, reference, revenue)

logger = logging.getLogger(__name__)

DEFAULT_SEED = 20261204


def generate_demo(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Generate the demo project-finance book.

    Parameters
    ----------
    seed : int, default 20261204
        Seed of the ``numpy.random.Generator`` behind every draw. The same seed
        gives identical frames.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per key of ``schema.TABLES``, with exactly the canonical columns
        in schema order. Ids, text and categories are ``str`` (categories in lower
        case, currencies as ``usd``, ``eur``, ``cny``), dates ``datetime64[ns]``,
        money in units of the row currency as ``float64`` (revenue in USD),
        integers ``int64`` and flags ``bool``. Missing values are NaN or NaT.
    """
    rng = np.random.default_rng(seed)

    client_frame = clients.generate_clients(rng)
    credit_frame, default_dates = credit.generate_credit(rng, client_frame)
    history = revenue.generate_revenue(rng, client_frame, default_dates)
    project_frame = projects.generate_projects(rng)
    deal_frame = deals.generate_deals(rng, project_frame, client_frame,
                                      history.active_to)
    feedback_frame = feedback.generate_feedback(rng, client_frame, history.active_from,
                                                history.active_to)
    interaction_frame = activity.generate_interactions(
        rng, client_frame, deal_frame, project_frame, history.active_from,
        history.active_to)
    relationship_frame = network.generate_relationships(rng, client_frame, deal_frame)

    # Derived fields: funded amounts from the funding deals, EAD from the live
    # deals, the current rating, and relationships that start by the first deal.
    project_frame["funded_amount"] = _funded_amounts(project_frame, deal_frame)
    credit_frame["ead"] = credit.exposure_at_default(credit_frame, deal_frame)
    client_frame["credit_rating"] = _current_ratings(client_frame, credit_frame,
                                                     default_dates)
    client_frame["relationship_since"] = _relationship_since(client_frame, deal_frame)

    frames = {
        "clients": client_frame,
        "projects": project_frame,
        "deals": deal_frame,
        "revenue": history.revenue,
        "interactions": interaction_frame,
        "feedback": feedback_frame,
        "relationships": relationship_frame,
        "credit": credit_frame,
    }
    frames = {name: to_canonical(name, frame) for name, frame in frames.items()}
    _log_counts(frames, history)
    return frames


def to_canonical(table_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the canonical columns of ``table_name`` and dtypes.

    Extra columns are dropped. Raises ``KeyError`` naming the missing columns when
    ``frame`` lacks a canonical column.
    """
    table = schema.get_table(table_name)
    missing = [name for name in table.column_names if name not in frame.columns]
    if missing:
        raise KeyError(f"demo frame {table_name!r} has no column "
                       f"{', '.join(missing)}; it must provide every column of "
                       f"schema.TABLES[{table_name!r}]")
    result = {}
    for column in table.columns:
        values = frame[column.name]
        if column.kind in ("id", "text", "category"):
            result[column.name] = pd.Series(values.to_numpy(dtype=object), dtype="str")
        elif column.kind == "date":
            result[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column.kind == "integer":
            result[column.name] = values.astype("int64")
        elif column.kind == "bool":
            result[column.name] = values.astype(bool)
        else:
            result[column.name] = values.astype("float64")
    return pd.DataFrame(result).reset_index(drop=True)


def _funded_amounts(project_frame: pd.DataFrame,
                    deal_frame: pd.DataFrame) -> np.ndarray:
    funding = deal_frame[deal_frame["role"].isin(reference.FUNDING_ROLES)]
    totals = funding.groupby("project_id")["amount"].sum()
    return totals.reindex(project_frame["project_id"], fill_value=0.0).to_numpy()


def _current_ratings(client_frame: pd.DataFrame, credit_frame: pd.DataFrame,
                     default_dates: pd.Series) -> np.ndarray:
    # D for every client that defaulted by the as-of date, else the latest credit
    # row's rating. Clients whose relationship began after the last year-end keep
    # their first rating.
    latest = credit_frame.groupby("client_id")["rating"].last()
    current = latest.reindex(client_frame["client_id"])
    current = current.fillna(client_frame.set_index("client_id")["credit_rating"])
    defaulted = default_dates.reindex(client_frame["client_id"]).notna().to_numpy()
    return np.where(defaulted, reference.DEFAULT_RATING, current.to_numpy())


def _relationship_since(client_frame: pd.DataFrame,
                        deal_frame: pd.DataFrame) -> np.ndarray:
    # A relationship cannot begin after the client's first deal.
    first_deal = deal_frame.groupby("client_id")["start_date"].min()
    first_deal = first_deal.reindex(client_frame["client_id"]).to_numpy()
    since = client_frame["relationship_since"].to_numpy()
    moved = ~np.isnat(first_deal) & (first_deal < since)
    logger.debug("moved relationship_since back to the first deal for %d clients",
                 int(moved.sum()))
    return np.where(moved, first_deal, since)


def _log_counts(frames: dict[str, pd.DataFrame],
                history: revenue.RevenueHistory) -> None:
    for name, frame in frames.items():
        logger.info("demo table %s: %d rows", name, len(frame))
    credit_frame = frames["credit"]
    defaults = int((credit_frame["defaulted"] & (credit_frame["rating"] != "D")).sum())
    logger.info("demo book: %d clients dropped out before %s, %d defaults",
                int(history.dropped_out.sum()), reference.AS_OF.date(), defaults)
