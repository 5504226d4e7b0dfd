"""Relationship strength: staff–client ties from interactions, client–client ties
from shared deals and recorded relationships.

Staff–client strength
---------------------
Each interaction contributes its channel weight ``w`` (meeting 3, call 2, e-mail 1,
note 0.5 by default), halved every ``h`` days (default 90):

    S = Σ w · 2^(−age / h),        age in days before the as-of date,
    score = 100 · (1 − e^(−S / S0)).

``S0`` is set so that one meeting every 30 days, held for long enough to reach the
steady state, scores 60. Right after the latest of those meetings the sum is the
geometric series ``S∞ = w_meeting / (1 − 2^(−30 / h))``, and solving
``100 · (1 − e^(−S∞ / S0)) = 60`` gives ``S0 = −S∞ / ln(1 − 0.6)``. With the
default weights and ``h = 90``, ``S∞ ≈ 14.54`` and ``S0 ≈ 15.87``.

Bands: good ≥ 60, fair 40–59, poor < 40. The trend is the score now minus the
score 90 days earlier (interactions up to that date, aged from that date).

Client–client strength
----------------------
Every shared project counts 1, and every recorded relationship counts its
``weight`` (1 when missing). With ``E`` the sum of that evidence,

    score = 100 · (1 − e^(−E / E0)),    E0 = −3 / ln(1 − 0.6) ≈ 3.27,

so three pieces of evidence (for example one syndicated loan recorded both as a
shared project and as a ``syndicate`` relationship, plus an introduction) score
60, one scores about 26 and six about 84.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pfcrm_core.network.errors import NetworkError

CHANNEL_WEIGHTS = {"meeting": 3.0, "call": 2.0, "email": 1.0, "note": 0.5}
HALF_LIFE_DAYS = 90.0

# The reference pattern that scores TARGET_SCORE at its steady state.
REFERENCE_CHANNEL = "meeting"
REFERENCE_INTERVAL_DAYS = 30.0
TARGET_SCORE = 60.0

GOOD_SCORE = 60.0
FAIR_SCORE = 40.0
TREND_DAYS = 90

# Evidence units (shared projects plus relationship weights) that score 60.
PAIR_EVIDENCE_FOR_GOOD = 3.0

STRENGTH_COLUMNS = ["staff", "client_id", "interactions", "last_date", "decayed_sum",
                    "score", "band", "score_before", "trend"]


def steady_state_sum(weight: float, interval_days: float,
                     half_life_days: float) -> float:
    """Return the decayed sum right after the latest of regular interactions.

    With one interaction of ``weight`` every ``interval_days`` since the distant
    past, the sum is ``weight / (1 − 2^(−interval_days / half_life_days))``.
    """
    return weight / (1.0 - 2.0 ** (-interval_days / half_life_days))


def scale_for_score(steady_sum: float, score: float = TARGET_SCORE) -> float:
    """Return the scale ``S0`` at which the sum ``steady_sum`` scores ``score``.

    Solves ``100 · (1 − e^(−steady_sum / S0)) = score`` for ``S0``.
    """
    return -steady_sum / math.log(1.0 - score / 100.0)


def interaction_scale(channel_weights: dict[str, float] | None = None,
                      half_life_days: float = HALF_LIFE_DAYS) -> float:
    """Return ``S0`` for staff–client ties: one meeting a month scores 60.

    Raises
    ------
    NetworkError
        When ``channel_weights`` has no ``"meeting"`` weight or it is not positive.
    """
    weights = validate_channel_weights(channel_weights)
    _check_half_life(half_life_days)
    meeting = weights.get(REFERENCE_CHANNEL, 0.0)
    if meeting <= 0:
        raise NetworkError("network.error.no_meeting_weight",
                           weights=_format_weights(weights))
    steady = steady_state_sum(meeting, REFERENCE_INTERVAL_DAYS, half_life_days)
    return scale_for_score(steady)


def pair_scale(evidence_for_good: float = PAIR_EVIDENCE_FOR_GOOD) -> float:
    """Return ``E0`` for client–client ties: ``evidence_for_good`` units score 60."""
    if not evidence_for_good > 0:
        raise NetworkError("network.error.bad_evidence_for_good",
                           value=evidence_for_good)
    return scale_for_score(evidence_for_good)


def strength_score(total, scale: float):
    """Return ``100 · (1 − e^(−total / scale))``, a score from 0 to 100."""
    return 100.0 * (1.0 - np.exp(-np.asarray(total, dtype=float) / scale))


def strength_band(score) -> np.ndarray:
    """Return "good" (≥ 60), "fair" (40 to under 60) or "poor" (< 40) per score.

    Scores are rounded to 6 decimals first, so that the steady state of monthly
    meetings (60 up to floating-point error) is good.
    """
    score = np.round(np.asarray(score, dtype=float), 6)
    return np.select([score >= GOOD_SCORE, score >= FAIR_SCORE], ["good", "fair"],
                     "poor").astype(object)


def band_of(score: float) -> str:
    """Return the band of one score (see ``strength_band``)."""
    score = round(score, 6)
    if score >= GOOD_SCORE:
        return "good"
    return "fair" if score >= FAIR_SCORE else "poor"


def validate_channel_weights(channel_weights: dict[str, float] | None
                             ) -> dict[str, float]:
    """Return the channel weights with lower-case keys, the defaults when None.

    Raises
    ------
    NetworkError
        When a weight is negative or not a number.
    """
    if channel_weights is None:
        return dict(CHANNEL_WEIGHTS)
    weights = {}
    for channel, weight in channel_weights.items():
        try:
            value = float(weight)
        except (TypeError, ValueError):
            value = math.nan
        if not value >= 0:
            raise NetworkError("network.error.bad_channel_weight", channel=channel,
                               value=weight)
        weights[str(channel).strip().lower()] = value
    return weights


def interaction_contributions(interactions: pd.DataFrame, as_of, *,
                              channel_weights: dict[str, float] | None = None,
                              half_life_days: float = HALF_LIFE_DAYS
                              ) -> pd.DataFrame:
    """Return the interactions up to ``as_of`` with their decayed contributions.

    Rows after ``as_of``, without staff or with a channel outside
    ``channel_weights`` are dropped (``graph.build_graph`` reports them).

    Returns
    -------
    pandas.DataFrame
        ``interaction_id`` (when present), ``staff``, ``client_id``, ``date``,
        ``channel``, ``age_days``, ``channel_weight`` and ``contribution``
        (``channel_weight · 2^(−age_days / half_life_days)``).
    """
    weights = validate_channel_weights(channel_weights)
    _check_half_life(half_life_days)
    as_of = pd.Timestamp(as_of).normalize()

    frame = interactions.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["channel"] = frame["channel"].astype("string").str.strip().str.lower()
    frame["channel_weight"] = frame["channel"].map(weights).astype(float)
    usable = (frame["date"] <= as_of) & frame["staff"].notna() \
        & frame["channel_weight"].notna() & frame["client_id"].notna()
    frame = frame[usable].copy()

    frame["age_days"] = (as_of - frame["date"]).dt.days.astype(float)
    frame["contribution"] = frame["channel_weight"] * np.exp2(
        -frame["age_days"] / half_life_days)
    return frame.reset_index(drop=True)


def staff_client_strength(interactions: pd.DataFrame, as_of, *,
                          channel_weights: dict[str, float] | None = None,
                          half_life_days: float = HALF_LIFE_DAYS,
                          trend_days: int = TREND_DAYS) -> pd.DataFrame:
    """Score every staff–client pair from its interactions.

    Parameters
    ----------
    interactions : pandas.DataFrame
        Canonical ``interactions`` columns ``client_id``, ``date``, ``channel``,
        ``staff``.
    as_of : date-like
        Date at which ages are measured. Later interactions are ignored.
    channel_weights : dict of str to float, optional
        Weight per channel; default ``CHANNEL_WEIGHTS``.
    half_life_days : float, default 90
        Days after which an interaction counts half.
    trend_days : int, default 90
        The trend compares the score now with the score this many days earlier.

    Returns
    -------
    pandas.DataFrame
        One row per pair with ``STRENGTH_COLUMNS``, sorted by staff and client.
    """
    scale = interaction_scale(channel_weights, half_life_days)
    as_of = pd.Timestamp(as_of).normalize()
    now = interaction_contributions(interactions, as_of,
                                    channel_weights=channel_weights,
                                    half_life_days=half_life_days)
    if now.empty:
        return pd.DataFrame(columns=STRENGTH_COLUMNS)

    keys = ["staff", "client_id"]
    table = now.groupby(keys, sort=True).agg(
        interactions=("contribution", "size"), last_date=("date", "max"),
        decayed_sum=("contribution", "sum")).reset_index()
    table["score"] = strength_score(table["decayed_sum"], scale)
    table["band"] = strength_band(table["score"])

    # The same pairs scored at the earlier date, 0 when they had no contact yet.
    earlier = now[now["date"] <= as_of - pd.Timedelta(days=trend_days)]
    before = (earlier["contribution"] * np.exp2(trend_days / half_life_days)) \
        .groupby([earlier["staff"], earlier["client_id"]]).sum()
    before_sum = before.reindex(pd.MultiIndex.from_frame(table[keys]), fill_value=0.0)
    table["score_before"] = strength_score(before_sum.to_numpy(), scale)
    table["trend"] = table["score"] - table["score_before"]
    return table[STRENGTH_COLUMNS]


def explain_strength(interactions: pd.DataFrame, staff: str, client_id: str, as_of,
                     *, top_n: int = 5,
                     channel_weights: dict[str, float] | None = None,
                     half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Return the interactions that contribute most to one staff–client score.

    Returns
    -------
    pandas.DataFrame
        At most ``top_n`` rows, largest contribution first, with ``date``,
        ``channel``, ``age_days``, ``channel_weight``, ``contribution`` and
        ``share`` (the contribution over the pair's decayed sum), plus
        ``interaction_id`` and ``notes`` when the input has them.
    """
    if top_n < 1:
        raise NetworkError("network.error.bad_top_n", value=top_n)
    mask = (interactions["staff"] == staff) & (interactions["client_id"] == client_id)
    rows = interaction_contributions(interactions[mask], as_of,
                                     channel_weights=channel_weights,
                                     half_life_days=half_life_days)
    total = rows["contribution"].sum()
    rows["share"] = rows["contribution"] / total if total > 0 else 0.0
    rows = rows.sort_values(["contribution", "date"], ascending=[False, False],
                            kind="stable")
    columns = [c for c in ("interaction_id", "date", "channel", "age_days",
                           "channel_weight", "contribution", "share", "notes")
               if c in rows]
    return rows[columns].head(top_n).reset_index(drop=True)


def _check_half_life(half_life_days: float) -> None:
    if not (isinstance(half_life_days, (int, float)) and half_life_days > 0):
        raise NetworkError("network.error.bad_half_life", value=half_life_days)


def _format_weights(weights: dict[str, float]) -> str:
    return ", ".join(f"{channel}={weight:g}" for channel, weight in weights.items())
