"""Demo revenue: repeat transactions per client from a BG/NBD-style process.

Following Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way",
each client transacts as a Poisson process with its own rate ``lambda`` while
active, and after each transaction drops out for good with probability ``p``.
Here ``p`` falls with the client's hidden satisfaction, so unhappy clients stop
transacting sooner, and a default ends the process too. Transaction values follow a
gamma distribution around a client mean that grows with the client's scale, as in
the gamma-gamma spend model, so value is concentrated in the largest clients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core.demo import reference

# Mean transactions per year while active, by client type. Individual rates are
# 0.5 plus a gamma draw (shape 2.5) with this mean.
TYPE_RATE = {"bank": 16.0, "investor": 10.0, "sponsor": 10.0, "contractor": 7.0,
             "government": 4.0, "offtaker": 6.0, "insurer": 6.0, "advisor": 6.0}

# Dropout probability after a transaction: logit(p) = DROPOUT_INTERCEPT
# + DROPOUT_SATISFACTION * satisfaction, with satisfaction standard normal.
DROPOUT_INTERCEPT = -5.2
DROPOUT_SATISFACTION = -1.3

# Mean transaction value in USD of a client of scale 1.
# Sized so that revenue is about 2.5% of EAD a year, close to the margin and fees
# a project-finance lender earns, which keeps RAROC in a believable range.
BASE_TRANSACTION_USD = 100_000.0

# Shape of the gamma distribution of one transaction's value around its mean.
VALUE_SHAPE = 3.0

KIND_FACTOR = {"interest": 1.0, "fee": 1.3, "advisory": 1.6, "commitment": 0.35}
TYPE_KIND_SHARES = {
    "bank": (0.55, 0.20, 0.05, 0.20),
    "investor": (0.10, 0.40, 0.40, 0.10),
    "sponsor": (0.10, 0.40, 0.45, 0.05),
    "contractor": (0.0, 0.60, 0.30, 0.10),
    "government": (0.0, 0.30, 0.70, 0.0),
    "offtaker": (0.0, 0.60, 0.40, 0.0),
    "insurer": (0.0, 0.70, 0.30, 0.0),
    "advisor": (0.0, 0.60, 0.40, 0.0),
}


@dataclass(frozen=True)
class RevenueHistory:
    """Simulated revenue and the activity it implies.

    Attributes
    ----------
    revenue : pandas.DataFrame
        Canonical ``revenue`` columns, sorted by date and client.
    active_from, active_to : numpy.ndarray of datetime64[ns]
        Per client, in client order: start of the observed activity and the last
        transaction (the as-of date for a client still active at the end).
    dropped_out : numpy.ndarray of bool
        Per client: stopped transacting (dropout or default) before the as-of date.
    """

    revenue: pd.DataFrame
    active_from: np.ndarray
    active_to: np.ndarray
    dropped_out: np.ndarray


def generate_revenue(rng: np.random.Generator, clients: pd.DataFrame,
                     default_dates: pd.Series) -> RevenueHistory:
    """Simulate six years of revenue transactions in USD.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    clients : pandas.DataFrame
        Output of ``clients.generate_clients``.
    default_dates : pandas.Series
        Default date per client id (NaT if none), from ``credit.generate_credit``.
    """
    count = len(clients)
    types = clients["client_type"].to_numpy()

    # Observation window per client, in days from its start.
    since = clients["relationship_since"].to_numpy().astype("datetime64[ns]")
    window_start = reference.REVENUE_START.to_datetime64()
    start = np.maximum(since, window_start)
    born_in_window = since >= window_start
    defaults = default_dates.reindex(clients["client_id"]).to_numpy()
    end = np.where(np.isnat(defaults), reference.AS_OF.to_datetime64(),
                   np.minimum(defaults, reference.AS_OF.to_datetime64()))
    span_days = (end - start) / np.timedelta64(1, "D")

    # Individual transaction rates and dropout probabilities.
    rate_mean = np.array([TYPE_RATE[t] for t in types])
    rate = rng.gamma(2.5, rate_mean / 2.5) + 0.5
    satisfaction = clients["satisfaction"].to_numpy()
    logit = DROPOUT_INTERCEPT + DROPOUT_SATISFACTION * satisfaction
    dropout = 1.0 / (1.0 + np.exp(-logit))
    lifetime_count = rng.geometric(dropout)

    times, owner = _transaction_times(rng, rate, lifetime_count, span_days,
                                      born_in_window)
    dropped_out = _dropped_out(owner, lifetime_count, count) | ~np.isnat(defaults)

    # Values and kinds.
    kind_index = _draw_kinds(rng, types[owner])
    kinds = np.array(reference.REVENUE_KINDS)[kind_index]
    factor = np.array([KIND_FACTOR[k] for k in reference.REVENUE_KINDS])[kind_index]
    mean_value = BASE_TRANSACTION_USD * clients["scale"].to_numpy()[owner] * factor
    amounts = np.round(mean_value * rng.gamma(VALUE_SHAPE, 1.0 / VALUE_SHAPE,
                                              size=len(owner)), 2)

    dates = start[owner] + np.floor(times).astype("timedelta64[D]")
    revenue = pd.DataFrame({
        "client_id": clients["client_id"].to_numpy()[owner],
        "date": dates,
        "amount": amounts,
        "currency": reference.REPORTING_CURRENCY,
        "kind": kinds,
    })
    revenue = revenue.sort_values(["date", "client_id"], kind="stable",
                                  ignore_index=True)
    revenue.insert(0, "txn_id", [f"T-{i:06d}" for i in range(1, len(revenue) + 1)])

    last = pd.Series(dates).groupby(owner).max()
    active_to = np.where(dropped_out,
                         last.reindex(range(count)).to_numpy(dtype="datetime64[ns]"),
                         reference.AS_OF.to_datetime64())
    active_to = np.where(np.isnat(active_to), start, active_to)
    return RevenueHistory(revenue=revenue, active_from=start, active_to=active_to,
                          dropped_out=dropped_out)


def _transaction_times(rng: np.random.Generator, rate: np.ndarray,
                       lifetime_count: np.ndarray, span_days: np.ndarray,
                       born_in_window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Draw enough exponential gaps to cover each window with overwhelming
    # probability (mean plus six standard deviations), but no more than the
    # client's lifetime transaction count.
    expected = rate * span_days / 365.25
    cap = np.ceil(expected + 6.0 * np.sqrt(expected) + 5.0).astype(int)
    draws = np.minimum(lifetime_count, cap)
    owner = np.repeat(np.arange(len(rate)), draws)
    gaps = rng.exponential(1.0, size=len(owner)) * 365.25 / rate[owner]

    # A client that starts inside the window transacts on its first day.
    first = np.concatenate([[0], np.cumsum(draws)[:-1]])
    first_of_born = first[born_in_window & (draws > 0)]
    gaps[first_of_born] = 0.0

    cumulative = np.cumsum(gaps)
    offset = np.repeat(cumulative[first] - gaps[first], draws)
    times = cumulative - offset
    inside = times <= span_days[owner]
    return times[inside], owner[inside]


def _dropped_out(owner: np.ndarray, lifetime_count: np.ndarray,
                 count: int) -> np.ndarray:
    # A client drops out when its last lifetime transaction fell inside the window.
    observed = np.bincount(owner, minlength=count)
    return observed >= lifetime_count


def _draw_kinds(rng: np.random.Generator, types: np.ndarray) -> np.ndarray:
    shares = np.array([TYPE_KIND_SHARES[t] for t in reference.CLIENT_TYPE_COUNTS])
    type_index = pd.Index(list(reference.CLIENT_TYPE_COUNTS)).get_indexer(types)
    cumulative = np.cumsum(shares, axis=1)[type_index]
    draws = rng.random(len(types))[:, None]
    return np.minimum((draws >= cumulative).sum(axis=1), shares.shape[1] - 1)
