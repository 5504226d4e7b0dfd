"""Seeded simulation from the BG/NBD and Gamma-Gamma generative processes.

Used by the tests (parameter recovery) and the benchmark. Times are in the unit the
rate ``alpha`` refers to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.clv.datasets import CDNOW_PUBLISHED_BGNBD, CDNOW_PUBLISHED_GAMMA_GAMMA
from pfcrm_core.clv.rfm import days_per_unit

# The published CDNOW estimates (weeks), a realistic default for simulations.
CDNOW_BGNBD = {name: value for name, (value, _) in CDNOW_PUBLISHED_BGNBD.items()}
CDNOW_GAMMA_GAMMA = {name: value
                     for name, (value, _) in CDNOW_PUBLISHED_GAMMA_GAMMA.items()}


def simulate_repeat_times(n_clients: int, T, *, r: float, alpha: float, a: float,
                          b: float, seed: int):
    """Draw repeat purchase times after each client's first purchase, up to ``T``.

    Returns
    -------
    client_index : ndarray of int64
        Client of each repeat purchase, in purchase order per client.
    times : ndarray of float
        Time of each repeat purchase after the client's first purchase.
    """
    rng = np.random.default_rng(seed)
    T = np.broadcast_to(np.asarray(T, dtype=float), (n_clients,))
    rates = np.maximum(rng.gamma(r, 1.0 / alpha, n_clients), 1e-300)
    dropout = rng.beta(a, b, n_clients)

    # Each round draws the next purchase of every client still alive and inside (0, T].
    active = np.arange(n_clients)
    clock = np.zeros(n_clients)
    clients, times = [], []
    while active.size:
        clock[active] += rng.exponential(1.0 / rates[active])
        active = active[clock[active] <= T[active]]
        clients.append(active)
        times.append(clock[active].copy())
        alive = rng.random(active.size) >= dropout[active]
        active = active[alive]

    client_index = np.concatenate(clients) if clients else np.empty(0, np.int64)
    order = np.argsort(client_index, kind="stable")
    return client_index[order], np.concatenate(times)[order]


def simulate_bgnbd_summary(n_clients: int, T, *, r: float, alpha: float, a: float,
                           b: float, seed: int) -> pd.DataFrame:
    """Return frequency, recency and T of clients simulated from the BG/NBD model.

    ``T`` is a scalar or one value per client. Times are continuous, not rounded to
    days.
    """
    T = np.broadcast_to(np.asarray(T, dtype=float), (n_clients,))
    client_index, times = simulate_repeat_times(n_clients, T, r=r, alpha=alpha, a=a,
                                                b=b, seed=seed)
    frequency = np.bincount(client_index, minlength=n_clients)
    recency = np.zeros(n_clients)
    np.maximum.at(recency, client_index, times)
    return pd.DataFrame({"frequency": frequency, "recency": recency, "T": T.copy()})


def simulate_monetary_values(frequency, *, p: float, q: float, gamma: float,
                             seed: int) -> np.ndarray:
    """Draw each client's mean repeat transaction value from the Gamma-Gamma model.

    The mean of x Gamma(p, nu) values is Gamma(p x, x nu); 0 where frequency is 0.
    """
    rng = np.random.default_rng(seed)
    frequency = np.asarray(frequency, dtype=float)
    nu = rng.gamma(q, 1.0 / gamma, frequency.size)
    shape = np.where(frequency > 0, p * frequency, 1.0)
    values = rng.gamma(shape, 1.0 / (np.maximum(frequency, 1) * nu))
    return np.where(frequency > 0, values, 0.0)


def simulate_transactions(
    n_clients: int,
    *,
    acquisition_start="2020-01-01",
    acquisition_days: int = 365,
    observation_end="2021-12-31",
    unit: str = "weeks",
    bgnbd: dict | None = None,
    gamma_gamma: dict | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate a transactions table (client_id, date, amount).

    First purchases fall uniformly on the ``acquisition_days`` days from
    ``acquisition_start``. Repeat purchases follow the BG/NBD model with parameters
    ``bgnbd`` (rates per ``unit``) up to ``observation_end`` and are rounded down to
    whole days, so two purchases on one day may merge in ``rfm_summary``. Every value,
    the first purchase's included, is Gamma(p, nu) with the client's nu from the
    Gamma-Gamma model ``gamma_gamma``. Both default to the published CDNOW estimates.
    """
    bgnbd = bgnbd or CDNOW_BGNBD
    gamma_gamma = gamma_gamma or CDNOW_GAMMA_GAMMA
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(acquisition_start).normalize()
    end = pd.Timestamp(observation_end).normalize()
    scale = days_per_unit(unit)

    first_offset = rng.integers(0, acquisition_days, n_clients)
    horizon_days = (end - start).days - first_offset
    client_index, times = simulate_repeat_times(
        n_clients, horizon_days / scale, seed=seed + 1, **bgnbd)

    clients = np.concatenate([np.arange(n_clients), client_index])
    offsets = np.concatenate([first_offset, first_offset[client_index]
                              + np.floor(times * scale).astype(np.int64)])
    nu = rng.gamma(gamma_gamma["q"], 1.0 / gamma_gamma["gamma"], n_clients)
    amounts = rng.gamma(gamma_gamma["p"], 1.0 / nu[clients])

    width = len(str(n_clients))
    ids = np.char.add("C", np.char.zfill(np.arange(n_clients).astype(str), width))
    return pd.DataFrame({
        "client_id": ids[clients],
        "date": np.datetime64(start.date(), "D") + offsets,
        "amount": np.round(amounts, 2),
    })
