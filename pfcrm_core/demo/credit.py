"""Demo credit history: a rating, PD, LGD and default flag per client and year-end.

Ratings migrate a notch or two a year. Each year a client defaults with the
master-scale PD of its rating, so the rating drives default. A client that defaults
gets one more row, rated D, at the next year-end, and no rows after that.

``defaulted`` on a rated row means the client defaults within the 12 months after
``as_of`` (the usual PD performance window, cut at the book's as-of date for the
last year-end). On a D row it means the client is in default. EAD is filled in once
the deals exist, by ``exposure_at_default``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import reference

# One-year migration in notches (negative is an upgrade) and its probabilities.
MIGRATION_STEPS = np.array([-2, -1, 0, 1, 2])
MIGRATION_PROBABILITIES = np.array([0.03, 0.08, 0.73, 0.11, 0.05])

# Share of a deal's amount counted as our exposure to the client, by deal role.
CREDIT_CONVERSION = {"lender": 1.0, "arranger": 1.0, "equity": 0.3, "epc": 0.15,
                     "offtake": 0.2, "grantor": 0.0, "insurer": 0.1, "advisor": 0.05}


def generate_credit(rng: np.random.Generator,
                    clients: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Simulate rating paths and defaults.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    clients : pandas.DataFrame
        Output of ``clients.generate_clients``: needs ``client_id``,
        ``relationship_since`` and ``rating_notch``.

    Returns
    -------
    credit : pandas.DataFrame
        Canonical ``credit`` columns, ``ead`` still NaN, sorted by client and date.
    default_dates : pandas.Series
        Default date per client id, NaT for clients that never default.
    """
    count = len(clients)
    notch = clients["rating_notch"].to_numpy().copy()
    since = clients["relationship_since"].to_numpy()
    lgd_base = rng.uniform(0.27, 0.58, size=count)
    in_default = np.zeros(count, dtype=bool)
    has_d_row = np.zeros(count, dtype=bool)
    default_dates = np.full(count, np.datetime64("NaT"), dtype="datetime64[ns]")
    blocks = []
    top_notch = len(reference.RATING_SCALE) - 1

    for as_of in reference.CREDIT_DATES:
        # Clients that defaulted in the past year get one row rated D.
        new_d_rows = in_default & ~has_d_row
        has_d_row |= new_d_rows
        blocks.append(_rows(clients, new_d_rows, as_of, rating=reference.DEFAULT_RATING,
                            pd_values=1.0, lgd=lgd_base, defaulted=True))

        # Performing clients: draw whether they default within the next window.
        window_end = min(as_of + pd.DateOffset(years=1), reference.AS_OF)
        window_days = (window_end - as_of).days
        pd_values = reference.MASTER_SCALE_PD[notch]
        rated = (since <= as_of.to_datetime64()) & ~in_default
        default_now = rated & (rng.random(count) < pd_values * window_days / 365)
        lgd = np.clip(lgd_base + rng.normal(0.0, 0.02, size=count), 0.25, 0.60)
        ratings = np.array(reference.RATING_SCALE)[notch]
        blocks.append(_rows(clients, rated, as_of, rating=ratings,
                            pd_values=pd_values, lgd=lgd, defaulted=default_now))

        offsets = rng.integers(1, window_days + 1, size=count)
        new_dates = as_of.to_datetime64() + offsets.astype("timedelta64[D]")
        default_dates = np.where(default_now, new_dates, default_dates)
        in_default |= default_now

        # Migrate the performing clients for the next year-end.
        steps = rng.choice(MIGRATION_STEPS, size=count, p=MIGRATION_PROBABILITIES)
        notch = np.clip(notch + steps, 0, top_notch)

    credit = pd.concat(blocks, ignore_index=True)
    credit = credit.sort_values(["client_id", "as_of"], kind="stable",
                                ignore_index=True)
    defaults = pd.Series(default_dates, index=clients["client_id"].to_numpy(),
                         name="default_date")
    return credit, defaults


def _rows(clients: pd.DataFrame, mask: np.ndarray, as_of: pd.Timestamp, *, rating,
          pd_values, lgd, defaulted) -> pd.DataFrame:
    def pick(value):
        return np.broadcast_to(value, mask.shape)[mask]

    return pd.DataFrame({
        "client_id": clients["client_id"].to_numpy()[mask],
        "as_of": as_of,
        "rating": pick(rating),
        "pd": pick(pd_values).astype(float),
        "lgd": np.round(pick(lgd), 4),
        "ead": np.nan,
        "defaulted": pick(defaulted).astype(bool),
    })


def exposure_at_default(credit: pd.DataFrame, deals: pd.DataFrame) -> np.ndarray:
    """Return the EAD in USD of each credit row from the deals live at its date.

    EAD is the sum over the client's deals with ``start_date <= as_of <
    maturity_date`` of the amount in USD times the role's credit conversion factor
    in ``CREDIT_CONVERSION``.
    """
    fx = deals["currency"].map(reference.FX_TO_USD).to_numpy()
    exposure = deals["amount"].to_numpy() * fx * deals["role"].map(
        CREDIT_CONVERSION).to_numpy()
    deal_rows = pd.DataFrame({"client_id": deals["client_id"].to_numpy(),
                              "start": deals["start_date"].to_numpy(),
                              "maturity": deals["maturity_date"].to_numpy(),
                              "exposure": exposure})
    keys = credit[["client_id", "as_of"]].reset_index()
    joined = keys.merge(deal_rows, on="client_id", how="inner")
    live = (joined["start"] <= joined["as_of"]) & (joined["as_of"] < joined["maturity"])
    totals = joined[live].groupby("index")["exposure"].sum()
    return np.round(totals.reindex(range(len(credit)), fill_value=0.0).to_numpy(), 2)
