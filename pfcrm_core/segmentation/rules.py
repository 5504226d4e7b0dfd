"""Rule segments (rating band x sector) and RFM scores.

Rating bands on the notch scale of ``ratings``: investment grade (notches 1..10,
AAA..BBB-), speculative grade (11..16, BB+..B-), distressed (17..21, CCC+..C),
default (22) and unrated.

RFM scores run from 1 (worst) to 5 (best) for recency (days since the last
transaction, fewer is better), frequency (transactions in the last 12 months) and
monetary value (revenue in the last 12 months, USD). A book of fewer than
``SMALL_BOOK_THRESHOLD`` clients is scored with fixed business cut-offs, because
quintiles of a few dozen clients move with every new client. A larger book is
scored in quintiles: clients are ordered by client id, ranked with
``rank(method="first")`` so that equal values are split across scores in client-id
order, and rank r of n gets score ceil(5 r / n). Every score then contains n/5 clients
(up to rounding). A client with no transaction has recency score 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.segmentation import ratings
from pfcrm_core.segmentation.errors import Note, SegmentationError

RATING_BANDS = ("investment_grade", "speculative_grade", "distressed", "default",
                "unrated")
RFM_MODES = ("auto", "fixed", "quantile")
SMALL_BOOK_THRESHOLD = 200

# Fixed cut-offs: a value at or beyond the i-th cut-off scores at least i + 2.
RECENCY_CUTOFFS_DAYS = (365, 180, 90, 30)
FREQUENCY_CUTOFFS = (1, 4, 8, 12)
MONETARY_CUTOFFS_USD = (10_000.0, 100_000.0, 500_000.0, 2_000_000.0)


def rating_band(notch: pd.Series) -> pd.Series:
    """Return the rating band of each notch (1 = AAA .. 22 = default)."""
    notch = pd.to_numeric(notch, errors="coerce")
    conditions = [notch <= ratings.LAST_INVESTMENT_GRADE_NOTCH,
                  notch <= ratings.LAST_SPECULATIVE_NOTCH,
                  notch < ratings.DEFAULT_NOTCH,
                  notch >= ratings.DEFAULT_NOTCH]
    bands = np.select(conditions, RATING_BANDS[:4], default="unrated")
    return pd.Series(bands, index=notch.index, dtype=object)


def rule_segments(frame: pd.DataFrame) -> pd.Series:
    """Return the rule segment ``"<band>:<sector>"`` of each client.

    A missing sector becomes ``"unknown"``.
    """
    sector = frame["sector"].astype(object).where(frame["sector"].notna(), "unknown")
    band = rating_band(frame["rating_notch"])
    return (band + ":" + sector.astype(str)).rename("segment")


def rfm_scores(frame: pd.DataFrame, *, mode: str = "auto",
               threshold: int = SMALL_BOOK_THRESHOLD,
               recency_cutoffs=RECENCY_CUTOFFS_DAYS,
               frequency_cutoffs=FREQUENCY_CUTOFFS,
               monetary_cutoffs=MONETARY_CUTOFFS_USD) -> tuple[pd.DataFrame, Note]:
    """Score recency, frequency and monetary value from 1 to 5.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by client id, with ``recency_days``, ``frequency_12m`` and
        ``revenue_12m_usd`` (as ``features.build_features`` returns).
    mode : {"auto", "fixed", "quantile"}, default "auto"
        ``"auto"`` uses fixed cut-offs below ``threshold`` clients and quintiles
        from it on.
    threshold : int, default 200
        Book size from which ``"auto"`` switches to quintiles.
    recency_cutoffs : 4 decreasing day counts, default (365, 180, 90, 30)
        A last transaction at most 30 days ago scores 5, at most 90 days 4, at most
        180 days 3, at most 365 days 2; older or none scores 1.
    frequency_cutoffs : 4 increasing counts, default (1, 4, 8, 12)
        At least 12 transactions in 12 months score 5, at least 8 score 4, at least
        4 score 3, at least 1 scores 2, none scores 1.
    monetary_cutoffs : 4 increasing USD amounts, default 10k, 100k, 500k, 2m
        Revenue in 12 months at or above the i-th cut-off scores i + 2.

    Returns
    -------
    scores : pandas.DataFrame
        ``recency_score``, ``frequency_score``, ``monetary_score`` (int 1..5),
        ``rfm_cell`` (e.g. ``"545"``) and ``rfm_total`` (3..15), same index as
        ``frame``.
    note : Note
        Which scoring was used and why.

    Raises
    ------
    SegmentationError
        For an unknown ``mode`` or cut-offs that are not 4 ordered numbers.
    """
    if mode not in RFM_MODES:
        raise SegmentationError("segmentation.error.bad_rfm_mode", value=mode,
                                allowed=", ".join(RFM_MODES))
    count = len(frame)
    use_fixed = mode == "fixed" or (mode == "auto" and count < threshold)

    recency = pd.to_numeric(frame["recency_days"], errors="coerce")
    frequency = pd.to_numeric(frame["frequency_12m"], errors="coerce").fillna(0.0)
    monetary = pd.to_numeric(frame["revenue_12m_usd"], errors="coerce").fillna(0.0)

    if use_fixed:
        _check_cutoffs("recency", recency_cutoffs, increasing=False)
        _check_cutoffs("frequency", frequency_cutoffs, increasing=True)
        _check_cutoffs("monetary", monetary_cutoffs, increasing=True)
        # Fewer days is better, so negated days are scored against negated cut-offs.
        scores = {
            "recency_score": _fixed_score(-recency.fillna(np.inf),
                                          [-c for c in recency_cutoffs]),
            "frequency_score": _fixed_score(frequency, frequency_cutoffs),
            "monetary_score": _fixed_score(monetary, monetary_cutoffs),
        }
        note = Note("segmentation.note.rfm_fixed",
                    {"count": count, "threshold": threshold})
    else:
        scores = {
            "recency_score": quintile_score(-recency.fillna(np.inf)),
            "frequency_score": quintile_score(frequency),
            "monetary_score": quintile_score(monetary),
        }
        note = Note("segmentation.note.rfm_quantile",
                    {"count": count, "threshold": threshold})

    result = pd.DataFrame(scores, index=frame.index).astype(int)
    result["rfm_cell"] = (result["recency_score"].astype(str)
                          + result["frequency_score"].astype(str)
                          + result["monetary_score"].astype(str))
    result["rfm_total"] = result[["recency_score", "frequency_score",
                                  "monetary_score"]].sum(axis=1)
    return result, note


def _check_cutoffs(name: str, cutoffs, *, increasing: bool) -> None:
    values = list(cutoffs)
    steps = np.diff(np.asarray(values, dtype=float)) if len(values) == 4 else []
    ordered = len(values) == 4 and (np.all(steps > 0) if increasing
                                    else np.all(steps < 0))
    if not ordered:
        raise SegmentationError("segmentation.error.bad_cutoffs", name=name,
                                value=repr(tuple(values)))


def _fixed_score(values: pd.Series, cutoffs) -> np.ndarray:
    # side="right": a value equal to a cut-off reaches that cut-off's score.
    return 1 + np.searchsorted(np.asarray(cutoffs, dtype=float),
                               values.to_numpy(dtype=float), side="right")


def quintile_score(values: pd.Series) -> pd.Series:
    """Return scores 1..5 of equal size, higher values scoring higher.

    Values are ordered by the index (client id) first and ranked with
    ``rank(method="first")``, so equal values get consecutive ranks in index order
    and a block of ties can span two scores.
    """
    ordered = values.sort_index(kind="stable")
    ranks = ordered.rank(method="first")
    scores = np.ceil(ranks * 5 / len(ordered)).astype(int)
    return scores.reindex(values.index)
