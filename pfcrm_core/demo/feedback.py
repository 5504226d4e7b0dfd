"""Demo survey responses: NPS, CSAT, a comment and the follow-up of detractors.

Scores are drawn around each client's hidden satisfaction, the same trait that
sets its dropout probability in ``revenue``, so low scores come before attrition.
A client responds only while it is active, more often the longer that is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import feedback_text, reference

RESPONSE_COUNT = 3_000

# NPS of one response: round(NPS_MEAN + NPS_PER_SATISFACTION * satisfaction + noise).
NPS_MEAN = 7.4
NPS_PER_SATISFACTION = 1.9
NPS_NOISE_SD = 1.1

# CSAT of one response: round(3 + CSAT_PER_NPS * (nps - 6.5) + noise), in 1..5.
CSAT_PER_NPS = 0.45
CSAT_NOISE_SD = 0.55

# Share of responses that leave the comment box empty.
NO_COMMENT_SHARE = 0.12

# Detractor follow-ups older than this are mostly closed.
FOLLOW_UP_DAYS = 180


def generate_feedback(rng: np.random.Generator, clients: pd.DataFrame,
                      active_from: np.ndarray, active_to: np.ndarray) -> pd.DataFrame:
    """Draw ``RESPONSE_COUNT`` survey responses.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    clients : pandas.DataFrame
        Output of ``clients.generate_clients``.
    active_from, active_to : numpy.ndarray of datetime64[ns]
        Per client, the period in which it can respond.

    Returns
    -------
    pandas.DataFrame
        Canonical ``feedback`` columns, sorted by date, ids ``S-00001`` upwards.
        ``follow_up_status`` is ``none`` for responses with NPS 7 or more.
    """
    span_days = (active_to - active_from) / np.timedelta64(1, "D")
    weight = (span_days + 90.0) * clients["scale"].to_numpy() ** 0.3
    owner = rng.choice(len(clients), size=RESPONSE_COUNT, p=weight / weight.sum())
    offsets = np.floor(rng.random(RESPONSE_COUNT) * (span_days[owner] + 1))
    dates = active_from[owner] + offsets.astype("timedelta64[D]")

    # Scores.
    satisfaction = clients["satisfaction"].to_numpy()[owner]
    nps = np.rint(NPS_MEAN + NPS_PER_SATISFACTION * satisfaction
                  + rng.normal(0.0, NPS_NOISE_SD, size=RESPONSE_COUNT))
    nps = np.clip(nps, 0, 10).astype(np.int64)
    csat = np.rint(3.0 + CSAT_PER_NPS * (nps - 6.5)
                   + rng.normal(0.0, CSAT_NOISE_SD, size=RESPONSE_COUNT))
    csat = np.clip(csat, 1, 5).astype(np.int64)

    # Comments in the client's usual language.
    chinese = clients["chinese"].to_numpy()[owner]
    writes_chinese = np.where(chinese, rng.random(RESPONSE_COUNT) < 0.85,
                              rng.random(RESPONSE_COUNT) < 0.10)
    languages = np.where(writes_chinese, "zh", "en")
    sentiments = np.select([nps >= 9, nps >= 7], ["positive", "neutral"], "negative")
    comments = np.array(feedback_text.draw_comments(rng, sentiments, languages),
                        dtype=object)
    comments[rng.random(RESPONSE_COUNT) < NO_COMMENT_SHARE] = None

    feedback = pd.DataFrame({
        "client_id": clients["client_id"].to_numpy()[owner],
        "date": dates,
        "nps": nps,
        "csat": csat,
        "comment": comments,
        "follow_up_status": _follow_up(rng, nps, dates),
    })
    feedback = feedback.sort_values(["date", "client_id"], kind="stable",
                                    ignore_index=True)
    feedback.insert(0, "response_id",
                    [f"S-{i:05d}" for i in range(1, len(feedback) + 1)])
    return feedback


def _follow_up(rng: np.random.Generator, nps: np.ndarray,
               dates: np.ndarray) -> np.ndarray:
    # Recent detractors are mostly open or in progress, older ones mostly closed.
    age_days = (reference.AS_OF.to_datetime64() - dates) / np.timedelta64(1, "D")
    recent = age_days <= FOLLOW_UP_DAYS
    draw = rng.random(len(nps))
    recent_status = np.select([draw < 0.45, draw < 0.85], ["open", "in progress"],
                              "closed")
    old_status = np.where(draw < 0.9, "closed", "in progress")
    status = np.where(recent, recent_status, old_status)
    return np.where(nps <= 6, status, "none")
