"""Stress scenarios: PD multipliers by sector and an LGD shock, with their effect on
EL, capital and RAROC per client and for the book.

Stressed PD = min(PD * multiplier of the client's sector, 1). Stressed LGD =
LGD + shock in percentage points, kept within [0, 1]. Capital is recomputed with
the IRB formula, except where the book brings its own ``capital`` for a row
(slotting capital does not depend on PD): that capital is held fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core.risk.raroc import (DEFAULT_COST_INCOME_RATIO, DEFAULT_HURDLE,
                                   portfolio_raroc, risk_return_table)

ALL_SECTORS = "*"


@dataclass(frozen=True)
class StressScenario:
    """A stress scenario.

    Attributes
    ----------
    name : str
    pd_multiplier : float or dict of str to float
        One multiplier for every client, or one per sector; the key ``"*"`` sets
        the multiplier of sectors not listed (default 1).
    lgd_shock_pp : float
        LGD add-on in percentage points (10 means LGD + 0.10).
    """

    name: str
    pd_multiplier: float | dict = 1.0
    lgd_shock_pp: float = 0.0
    description: str = field(default="", compare=False)

    def multipliers(self, sectors: pd.Series) -> np.ndarray:
        """Return the PD multiplier of each client from its sector."""
        if not isinstance(self.pd_multiplier, dict):
            return np.full(len(sectors), float(self.pd_multiplier))
        fallback = float(self.pd_multiplier.get(ALL_SECTORS, 1.0))
        lookup = {str(k).lower(): float(v) for k, v in self.pd_multiplier.items()}
        keys = sectors.astype(object).map(lambda s: str(s).lower() if pd.notna(s) else s)
        return keys.map(lookup).fillna(fallback).to_numpy(dtype=float)


@dataclass
class StressResult:
    """The effect of one scenario.

    Attributes
    ----------
    scenario : StressScenario
    clients : pandas.DataFrame
        Per client: pd, lgd, el, capital and raroc, each as ``*_base`` and
        ``*_stressed``, and el_change, capital_change, raroc_change.
    totals : pandas.DataFrame
        Rows el, capital, raroc (the book's RAROC); columns base, stressed,
        change.
    """

    scenario: StressScenario
    clients: pd.DataFrame
    totals: pd.DataFrame


def stress_test(book: pd.DataFrame, scenario: StressScenario, *,
                sector_column: str = "sector",
                cost_income_ratio: float = DEFAULT_COST_INCOME_RATIO,
                hurdle: float = DEFAULT_HURDLE) -> StressResult:
    """Apply a scenario to a book and compare EL, capital and RAROC.

    Parameters
    ----------
    book : pandas.DataFrame
        As for ``risk_return_table``, plus ``sector_column`` when the scenario
        has multipliers by sector.
    scenario : StressScenario
    sector_column : str, default "sector"
    cost_income_ratio, hurdle : float
        As for ``risk_return_table``.
    """
    sectors = book[sector_column] if sector_column in book.columns else \
        pd.Series([None] * len(book), index=book.index)
    stressed_book = book.copy()
    stressed_book["pd"] = np.minimum(book["pd"].to_numpy(dtype=float)
                                     * scenario.multipliers(sectors), 1.0)
    stressed_book["lgd"] = np.clip(book["lgd"].to_numpy(dtype=float)
                                   + scenario.lgd_shock_pp / 100.0, 0.0, 1.0)

    settings = {"cost_income_ratio": cost_income_ratio, "hurdle": hurdle}
    base = risk_return_table(book, **settings).set_index("client_id")
    stressed = risk_return_table(stressed_book, **settings).set_index("client_id")
    stressed = stressed.reindex(base.index)

    clients = pd.DataFrame(index=base.index)
    if sector_column in base.columns:
        clients[sector_column] = base[sector_column]
    for name in ("pd", "lgd", "el", "capital", "raroc"):
        clients[f"{name}_base"] = base[name]
        clients[f"{name}_stressed"] = stressed[name]
    for name in ("el", "capital", "raroc"):
        clients[f"{name}_change"] = clients[f"{name}_stressed"] - clients[f"{name}_base"]

    totals = pd.DataFrame({
        "base": [base["el"].sum(), base["capital"].sum(), portfolio_raroc(base)],
        "stressed": [stressed["el"].sum(), stressed["capital"].sum(),
                     portfolio_raroc(stressed)],
    }, index=pd.Index(["el", "capital", "raroc"], name="metric"))
    totals["change"] = totals["stressed"] - totals["base"]
    return StressResult(scenario=scenario, clients=clients.reset_index(), totals=totals)
