"""The ``score`` command's work: develop a scorecard and list the riskiest rows.

Kept apart from the argument parsing so that tests and other front ends can call
it; it returns plain dicts and DataFrames and prints nothing.
"""

from __future__ import annotations

import pandas as pd

from pfcrm_core.risk.book import score_book
from pfcrm_core.risk.dataset import build_development_sample, current_book
from pfcrm_core.risk.development import (ScorecardReport, develop_from_store,
                                         develop_scorecard)
from pfcrm_core.risk.exceptions import RiskDataError

RISKIEST_COLUMNS = ("client_id", "name", "rating", "score", "pd", "pd_source", "grade")


def score_store(store, *, top: int = 10) -> tuple[ScorecardReport, pd.DataFrame]:
    """Develop the scorecard on the store's credit history and rank today's book.

    Returns the report and the ``top`` clients with the highest PD that are not in
    default, scored by the new scorecard (or by their rating when they have no
    credit history).
    """
    report = develop_from_store(store)
    history = build_development_sample(store)["client_id"].unique()
    scored = score_book(current_book(store), report.model, history)
    performing = scored[scored["pd_source"] != "default"]
    columns = [c for c in RISKIEST_COLUMNS if c in performing.columns]
    return report, performing.nlargest(top, "pd")[columns].reset_index(drop=True)


def score_table(frame: pd.DataFrame, target: str, bad_value, *,
                top: int = 10) -> tuple[ScorecardReport, pd.DataFrame]:
    """Develop a scorecard on any table with a binary target (stratified 70/30 split,
    random_state 42) and return the ``top`` rows with the highest PD.

    The rows keep their file row numbers as ``row`` so an analyst can find them.
    """
    if target not in frame.columns:
        raise RiskDataError("risk.error.missing_columns", columns=target,
                            available=", ".join(map(str, frame.columns)))
    report = develop_scorecard(frame, target, bad_value=bad_value, test_size=0.3,
                               random_state=42)
    observed = frame[frame[target].notna()]
    ranked = observed.assign(score=report.model.score_points(observed),
                             pd=report.model.predict_pd(observed))
    riskiest = ranked.nlargest(top, "pd")
    riskiest = riskiest.rename_axis("row").reset_index()
    return report, riskiest[["row", target, "score", "pd"]]
