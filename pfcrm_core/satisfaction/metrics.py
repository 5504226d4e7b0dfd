"""NPS, CSAT and CES with confidence intervals per client, segment, type, region, period.

Definitions
-----------
NPS (Net Promoter Score)
    Each response to "how likely are you to recommend us" on 0..10 is a promoter
    (9 or 10), a passive (7 or 8) or a detractor (0 to 6). NPS is the percentage of
    promoters minus the percentage of detractors, from -100 to +100. It equals 100
    times the mean of the per-response score s = +1 (promoter), 0 (passive) or
    -1 (detractor).
CSAT (customer satisfaction)
    Responses on 1..5. With ``csat_method="top2"`` (the default) CSAT is the
    percentage of responses of 4 or 5, from 0 to 100; with ``"mean"`` it is the mean
    response, from 1 to 5.
CES (customer effort score)
    The mean of a numeric effort column (default name ``ces``) when the feedback
    has one, on whatever scale the survey used. The direction (whether low means
    little effort) is the survey's and is not changed here.

Confidence intervals
--------------------
NPS: normal approximation to the mean of s. The standard error is
``100 * sqrt(v / n)`` with ``v = p + d - (p - d) ** 2``, the variance of s, where
``p`` and ``d`` are the promoter and detractor shares computed after adding one
pseudo-response to each of the three categories. The pseudo-responses enter only the
variance, so the interval is centred on the observed NPS and contains it, and a
sample of only promoters still gets an interval of non-zero width. The bounds are
clipped to [-100, 100]. NOTE: below about 30 responses the normal approximation is
rough, and such rows carry ``small_n = True``.

CSAT share: Wilson score interval. CSAT mean and CES: Student-t interval of the
mean (no interval with fewer than two responses).

One response per client per survey cycle
--------------------------------------
A client that responses several times in one cycle (default: calendar quarter)
would otherwise weigh more, so only its latest response in the cycle counts. Among
responses on the same date, the one later in the input wins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from pfcrm_core.satisfaction.errors import SatisfactionError, require_columns

PERIODS = ("month", "quarter", "half", "year")
CSAT_METHODS = ("top2", "mean")
DEFAULT_MIN_N = 30

# Column names that ``by`` may use besides feedback and client columns.
CLIENT_ALIASES = {"client": "client_id"}


def nps_category(scores) -> np.ndarray:
    """Return "promoter", "passive" or "detractor" per 0..10 score (None where missing).

    Raises
    ------
    SatisfactionError
        When a score lies outside 0..10.
    """
    values = _as_float(scores)
    _check_range(values, 0, 10, "nps")
    result = np.full(values.shape, None, dtype=object)
    result[values >= 9] = "promoter"
    result[(values >= 7) & (values < 9)] = "passive"
    result[values <= 6] = "detractor"
    return result


def nps_value(scores) -> np.ndarray:
    """Return the per-response NPS contribution: +1, 0 or -1 (NaN where missing)."""
    values = _as_float(scores)
    _check_range(values, 0, 10, "nps")
    return np.select([values >= 9, values >= 7, values >= 0], [1.0, 0.0, -1.0],
                     np.nan)


def period_codes(dates, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Return an integer code and a label per date for calendar ``period``.

    Labels read ``2026-09`` (month), ``2026Q3`` (quarter), ``2026H2`` (half) and
    ``2026`` (year). Codes sort in time order.

    Raises
    ------
    SatisfactionError
        When ``period`` is not one of ``PERIODS``.
    """
    if period not in PERIODS:
        raise SatisfactionError("satisfaction.error.bad_period", value=period,
                                allowed=", ".join(PERIODS))
    dates = pd.to_datetime(pd.Series(dates))
    month_index = ((dates.dt.year.to_numpy(dtype=np.int64) - 1970) * 12
                   + dates.dt.month.to_numpy(dtype=np.int64) - 1)
    divisor = {"month": 1, "quarter": 3, "half": 6, "year": 12}[period]
    codes = np.floor_divide(month_index, divisor)
    if len(codes) == 0:
        return codes, np.array([], dtype=object)

    # Label each distinct code once. Codes run from the first to the last date, so
    # the lookup array has one entry per period in between.
    first = codes.min()
    present = np.flatnonzero(np.bincount(codes - first)) + first
    labels = np.empty(present.max() - first + 1, dtype=object)
    labels[present - first] = [_period_label(code, period) for code in present]
    return codes, labels[codes - first]


def _period_label(code: int, period: str) -> str:
    if period == "month":
        year, month = divmod(int(code), 12)
        return f"{1970 + year}-{month + 1:02d}"
    if period == "quarter":
        year, quarter = divmod(int(code), 4)
        return f"{1970 + year}Q{quarter + 1}"
    if period == "half":
        year, half = divmod(int(code), 2)
        return f"{1970 + year}H{half + 1}"
    return str(1970 + int(code))


def latest_per_cycle(feedback: pd.DataFrame, cycle: str | None = "quarter"
                     ) -> pd.DataFrame:
    """Keep each client's latest response in each survey cycle.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Columns ``client_id`` and ``date`` at least.
    cycle : {"month", "quarter", "half", "year"} or None, default "quarter"
        Length of a survey cycle. None keeps every response.

    Returns
    -------
    pandas.DataFrame
        The kept rows in input order, with the input index.
    """
    require_columns(feedback, ["client_id", "date"], "feedback")
    if cycle is None or feedback.empty:
        return feedback
    codes, _ = period_codes(feedback["date"], cycle)
    client_codes = pd.factorize(feedback["client_id"])[0].astype(np.int64)
    day = pd.to_datetime(feedback["date"]).to_numpy().astype("datetime64[D]")
    day = day.astype(np.int64)

    # One integer key per (client, cycle, day); a stable sort keeps input order
    # among equal keys, so each group's last row is its latest response.
    day_span = day.max() - day.min() + 1
    cycle_span = codes.max() - codes.min() + 1
    group = client_codes * cycle_span + (codes - codes.min())
    order = np.argsort(group * day_span + (day - day.min()), kind="stable")
    sorted_group = group[order]
    last_in_group = np.r_[sorted_group[1:] != sorted_group[:-1], True]
    keep = np.sort(order[last_in_group])
    return feedback.iloc[keep]


# -- estimators on counts (vectorised) ---------------------------------------


def nps_from_counts(n, promoters, detractors, confidence: float = 0.95) -> dict:
    """Return NPS, its standard error and interval from counts (arrays or scalars).

    ``n`` counts responses with a score. Entries with ``n == 0`` are NaN. See the
    module docstring for the interval.
    """
    n = np.asarray(n, dtype=float)
    promoters = np.asarray(promoters, dtype=float)
    detractors = np.asarray(detractors, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 100.0 * (promoters - detractors) / n
        p = (promoters + 1.0) / (n + 3.0)
        d = (detractors + 1.0) / (n + 3.0)
        variance = p + d - (p - d) ** 2
        se = 100.0 * np.sqrt(variance / n)
    se = np.where(n > 0, se, np.nan)
    return {"nps": score, "nps_se": se,
            "nps_ci_low": np.clip(score - z * se, -100.0, 100.0),
            "nps_ci_high": np.clip(score + z * se, -100.0, 100.0)}


def wilson_interval(successes, n, confidence: float = 0.95
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval of a proportion, as fractions in [0, 1].

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``; NaN where ``n == 0``.
    """
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = successes / n
        centre = p + z * z / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        denominator = 1 + z * z / n
        low = (centre - half) / denominator
        high = (centre + half) / denominator
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def mean_from_sums(n, total, total_squares, confidence: float = 0.95) -> dict:
    """Return mean, standard error and Student-t interval from n, Σx and Σx².

    The interval is NaN with fewer than two values.
    """
    n = np.asarray(n, dtype=float)
    total = np.asarray(total, dtype=float)
    total_squares = np.asarray(total_squares, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / n
        variance = np.maximum(total_squares - n * mean ** 2, 0.0) / (n - 1)
        se = np.sqrt(variance / n)
        t = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1))
    se = np.where(n > 1, se, np.nan)
    mean = np.where(n > 0, mean, np.nan)
    return {"mean": mean, "se": se, "ci_low": mean - t * se, "ci_high": mean + t * se}


# -- scalar summaries ---------------------------------------------------------


def nps_summary(scores, *, confidence: float = 0.95,
                min_n: int = DEFAULT_MIN_N) -> dict:
    """Return NPS with its counts and interval for one sample of 0..10 scores.

    Missing scores are ignored. An empty sample gives ``n = 0`` and NaN values.

    Returns
    -------
    dict
        ``n``, ``promoters``, ``passives``, ``detractors`` (counts), ``nps``,
        ``nps_se``, ``nps_ci_low``, ``nps_ci_high`` (NPS points) and ``small_n``.
    """
    values = nps_value(scores)
    values = values[~np.isnan(values)]
    counts = {"n": len(values), "promoters": int((values == 1).sum()),
              "passives": int((values == 0).sum()),
              "detractors": int((values == -1).sum())}
    estimate = nps_from_counts(counts["n"], counts["promoters"],
                               counts["detractors"], confidence)
    return {**counts, **{key: float(value) for key, value in estimate.items()},
            "small_n": counts["n"] < min_n}


def csat_summary(scores, *, method: str = "top2", confidence: float = 0.95,
                 min_n: int = DEFAULT_MIN_N) -> dict:
    """Return CSAT (top-2-box percentage or mean) with its interval.

    Returns
    -------
    dict
        ``n``, ``csat``, ``csat_ci_low``, ``csat_ci_high`` and ``small_n``. With
        ``method="top2"`` the values are percentages (0..100, Wilson interval);
        with ``"mean"`` they are on the 1..5 scale (t interval).
    """
    _check_csat_method(method)
    values = _as_float(scores)
    _check_range(values, 1, 5, "csat")
    values = values[~np.isnan(values)]
    estimate = _csat_from_sums(len(values), (values >= 4).sum(), values.sum(),
                               (values ** 2).sum(), method, confidence)
    return {"n": len(values), **{key: float(value) for key, value in estimate.items()},
            "small_n": len(values) < min_n}


def _csat_from_sums(n, top2, total, total_squares, method: str,
                    confidence: float) -> dict:
    if method == "top2":
        low, high = wilson_interval(top2, n, confidence)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(np.asarray(n) > 0, 100.0 * np.asarray(top2) / n, np.nan)
        return {"csat": share, "csat_ci_low": 100.0 * low, "csat_ci_high": 100.0 * high}
    estimate = mean_from_sums(n, total, total_squares, confidence)
    return {"csat": estimate["mean"], "csat_ci_low": estimate["ci_low"],
            "csat_ci_high": estimate["ci_high"]}


# -- grouped table ------------------------------------------------------------


def satisfaction_table(feedback: pd.DataFrame, by=None, *,
                       clients: pd.DataFrame | None = None,
                       segments=None, period: str = "quarter",
                       cycle: str | None = "quarter", csat_method: str = "top2",
                       ces_col: str = "ces", confidence: float = 0.95,
                       min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Compute NPS, CSAT and (when present) CES per group, with n and intervals.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Canonical ``feedback`` columns (``client_id``, ``date``, ``nps``; ``csat``
        and ``ces_col`` are optional).
    by : str or list of str, optional
        Grouping columns: ``"client"`` (or ``"client_id"``), ``"segment"``,
        ``"period"``, any ``clients`` column such as ``"client_type"``,
        ``"region"`` or ``"sector"``, or any feedback column. None gives one row
        for all responses.
    clients : pandas.DataFrame, optional
        Canonical ``clients`` table, needed to group by a client attribute.
    segments : pandas.Series or DataFrame, optional
        Segment label per client: a Series indexed by ``client_id``, or a frame
        with ``client_id`` and ``segment``. Needed to group by ``"segment"``.
        Clients without a label are grouped under NaN.
    period : {"month", "quarter", "half", "year"}, default "quarter"
        Calendar period of the ``"period"`` grouping.
    cycle : {"month", "quarter", "half", "year"} or None, default "quarter"
        Survey cycle within which only each client's latest response counts.
    csat_method : {"top2", "mean"}, default "top2"
        CSAT as the percentage of 4 and 5, or as the mean response.
    ces_col : str, default "ces"
        Name of the effort column; CES columns appear only when it exists.
    confidence : float, default 0.95
        Confidence level of every interval.
    min_n : int, default 30
        Rows with fewer NPS responses get ``small_n = True``.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the group columns: the group columns, ``n``
        (NPS responses), ``promoters``, ``passives``, ``detractors`` (counts),
        ``promoters_pct``, ``passives_pct``, ``detractors_pct``, ``nps``,
        ``nps_se``, ``nps_ci_low``, ``nps_ci_high``, ``csat_n``, ``csat``,
        ``csat_ci_low``, ``csat_ci_high``, then ``ces_n``, ``ces``,
        ``ces_ci_low``, ``ces_ci_high`` when there is a CES column, and
        ``small_n``. An empty feedback table gives an empty frame with these
        columns.

    Raises
    ------
    SatisfactionError
        On a missing column, an unknown grouping, a score out of range, or a bad
        ``period``, ``cycle`` or ``csat_method``.
    """
    _check_csat_method(csat_method)
    require_columns(feedback, ["client_id", "date", "nps"], "feedback")
    by = _group_columns(by)
    responses = latest_per_cycle(feedback, cycle)
    frame = _grouping_frame(responses, by, clients, segments, period)
    has_ces = ces_col in feedback.columns

    # Per-response indicators, summed per group.
    nps = _as_float(responses["nps"])
    _check_range(nps, 0, 10, "nps")
    frame["_n"] = ~np.isnan(nps)
    frame["_promoters"] = nps >= 9
    frame["_detractors"] = nps <= 6
    _add_sums(frame, responses, "csat", "_csat", (1, 5))
    if has_ces:
        _add_sums(frame, responses, ces_col, "_ces", None)
    value_columns = [c for c in frame.columns if c.startswith("_")]
    if by:
        sums = frame.groupby(by, dropna=False, sort=True)[value_columns].sum()
        sums = sums.reset_index()
    else:
        sums = frame[value_columns].sum().to_frame().T

    return _estimates(sums, by, has_ces, csat_method, confidence, min_n)


def _group_columns(by) -> list[str]:
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by)
    return [CLIENT_ALIASES.get(column, column) for column in columns]


def _grouping_frame(responses: pd.DataFrame, by: list[str], clients, segments,
                    period: str) -> pd.DataFrame:
    frame = pd.DataFrame(index=responses.index)
    for column in by:
        if column == "period":
            frame["period"] = period_codes(responses["date"], period)[1]
        elif column == "segment":
            frame["segment"] = _segment_labels(segments, responses["client_id"])
        elif column in responses.columns:
            frame[column] = responses[column].to_numpy()
        elif clients is not None and column in clients.columns:
            frame[column] = _client_values(clients, column, responses["client_id"])
        else:
            raise SatisfactionError("satisfaction.error.bad_group", value=column,
                                    allowed="client, segment, period, client_type, "
                                            "region, sector")
    return frame


def _client_values(clients: pd.DataFrame, column: str,
                   client_ids: pd.Series) -> pd.Categorical:
    # A categorical column groups much faster than text on a million rows.
    lookup = clients.drop_duplicates("client_id")
    # Look up each distinct id once: a million responses come from far fewer clients.
    id_codes, distinct_ids = pd.factorize(client_ids)
    distinct_positions = pd.Index(lookup["client_id"]).get_indexer(distinct_ids)
    positions = np.where(id_codes >= 0, distinct_positions[id_codes], -1)
    values = pd.Categorical(lookup[column])
    codes = np.where(positions >= 0, values.codes[positions], -1)
    return pd.Categorical.from_codes(codes, categories=values.categories)


def _segment_labels(segments, client_ids: pd.Series) -> np.ndarray:
    if segments is None:
        raise SatisfactionError("satisfaction.error.no_segments")
    if isinstance(segments, pd.DataFrame):
        require_columns(segments, ["client_id", "segment"], "segments")
        segments = segments.drop_duplicates("client_id").set_index("client_id")[
            "segment"]
    return segments.reindex(client_ids.to_numpy()).to_numpy()


def _add_sums(frame: pd.DataFrame, responses: pd.DataFrame, column: str, prefix: str,
              valid_range) -> None:
    if column not in responses.columns:
        values = np.full(len(responses), np.nan)
    else:
        values = _as_float(responses[column])
    if valid_range is not None:
        _check_range(values, *valid_range, column)
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    frame[f"{prefix}_n"] = present
    frame[f"{prefix}_top2"] = filled >= 4
    frame[f"{prefix}_sum"] = filled
    frame[f"{prefix}_sumsq"] = filled ** 2


def _estimates(sums: pd.DataFrame, by: list[str], has_ces: bool, csat_method: str,
               confidence: float, min_n: int) -> pd.DataFrame:
    n = sums["_n"].to_numpy(dtype=float)
    promoters = sums["_promoters"].to_numpy(dtype=float)
    detractors = sums["_detractors"].to_numpy(dtype=float)
    result = sums[by].copy() if by else pd.DataFrame(index=sums.index)
    result["n"] = n.astype(np.int64)
    result["promoters"] = promoters.astype(np.int64)
    result["passives"] = (n - promoters - detractors).astype(np.int64)
    result["detractors"] = detractors.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in ("promoters", "passives", "detractors"):
            result[f"{name}_pct"] = np.where(n > 0, 100.0 * result[name] / n, np.nan)
    for key, values in nps_from_counts(n, promoters, detractors, confidence).items():
        result[key] = values

    result["csat_n"] = sums["_csat_n"].to_numpy(dtype=np.int64)
    csat = _csat_from_sums(sums["_csat_n"].to_numpy(dtype=float),
                           sums["_csat_top2"].to_numpy(dtype=float),
                           sums["_csat_sum"].to_numpy(dtype=float),
                           sums["_csat_sumsq"].to_numpy(dtype=float),
                           csat_method, confidence)
    for key, values in csat.items():
        result[key] = values
    if has_ces:
        result["ces_n"] = sums["_ces_n"].to_numpy(dtype=np.int64)
        ces = mean_from_sums(result["ces_n"], sums["_ces_sum"], sums["_ces_sumsq"],
                             confidence)
        result["ces"] = ces["mean"]
        result["ces_ci_low"] = ces["ci_low"]
        result["ces_ci_high"] = ces["ci_high"]
    result["small_n"] = n < min_n
    return result.reset_index(drop=True)


# -- checks -------------------------------------------------------------------


def _as_float(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def _check_range(values: np.ndarray, low: float, high: float, column: str) -> None:
    present = values[~np.isnan(values)]
    bad = present[(present < low) | (present > high)]
    if len(bad):
        raise SatisfactionError("satisfaction.error.out_of_range", column=column,
                                value=f"{bad[0]:g}", low=f"{low:g}", high=f"{high:g}",
                                count=len(bad))


def _check_csat_method(method: str) -> None:
    if method not in CSAT_METHODS:
        raise SatisfactionError("satisfaction.error.bad_csat_method", value=method,
                                allowed=", ".join(CSAT_METHODS))
