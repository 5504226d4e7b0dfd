"""Attrition risk per client from satisfaction, activity and open complaints.

Label
-----
A client is *active* at a cut-off date c when it had a deal start, a revenue
transaction or an interaction in the ``lookback_months`` (default 24) up to c.
An active client *attrites* when it has none of the three in the
``horizon_months`` (default 12) after c. Only cut-offs whose horizon ends by the
last date of the book are labelled.

Features at a cut-off
---------------------
``latest_nps`` (latest response at or before c), ``nps_trend`` (latest response
minus the previous one, 0 with fewer than two), ``latest_csat``, ``no_survey``
(1 when the client never responded; missing scores are then set to the mean of
the responding clients at that cut-off), ``recency_days`` (days since the last
revenue transaction, the lookback length when there is none), ``frequency_12m``
(revenue transactions in the 12 months to c), ``revenue_trend``
(``log1p`` of revenue in the 12 months to c minus ``log1p`` of the 12 months
before), ``interactions_12m`` and ``open_complaints`` (detractor responses up to c
whose follow-up was not closed by c).

A complaint with a follow-up case is closed from the case's ``closed_at`` on.
NOTE: for a complaint without a case the closing date is unknown, so it counts
as open when its current ``follow_up_status`` is not ``closed``. That is exact at
the latest cut-off but can miss complaints that were still open at an earlier
one.

Model
-----
Logistic regression on standardised features, trained on the earlier cut-offs
and tested on the later ones (``test_share``), which gives a time-based AUC and
a calibration table. The scores at ``as_of`` come from a refit on every
labelled cut-off. The reasons of a client are the three features with the
largest positive contribution ``coefficient × standardised value``, named
``<feature>.high`` or ``<feature>.low`` by the side of the mean the client is on.

With fewer than ``min_events`` attrition events in the training cut-offs the
model is not fitted. A note with the count says so, and clients are ranked by
the points of ``RULES`` instead (see ``rule_points``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from pfcrm_core.i18n import translate
from pfcrm_core.satisfaction.errors import Note, SatisfactionError, require_columns

logger = logging.getLogger(__name__)

FEATURES = ("latest_nps", "nps_trend", "latest_csat", "no_survey", "recency_days",
            "frequency_12m", "revenue_trend", "interactions_12m", "open_complaints")
DEFAULT_MIN_EVENTS = 40
TOP_REASONS = 3

# Transparent rules for a book with too few attrition events. Each rule is
# (name, feature, lower bound, upper bound, points); it fires when
# lower <= value < upper. The rule score is the sum of points of the rules that
# fire divided by MAX_RULE_POINTS, so it ranks clients but is not a probability.
RULES = (
    ("detractor", "latest_nps", 0.0, 7.0, 3),
    ("passive", "latest_nps", 7.0, 9.0, 1),
    ("nps_fall", "nps_trend", -np.inf, -1.5, 2),
    ("open_complaint", "open_complaints", 1.0, np.inf, 2),
    ("no_revenue_over_year", "recency_days", 365.0, np.inf, 3),
    ("no_revenue_half_year", "recency_days", 180.0, 365.0, 2),
    ("revenue_halved", "revenue_trend", -np.inf, np.log(0.5), 2),
    ("no_interaction", "interactions_12m", 0.0, 1.0, 1),
)
# Highest total a client can reach: the two NPS rules and the two recency rules
# exclude each other.
MAX_RULE_POINTS = 3 + 2 + 2 + 3 + 2 + 1


@dataclass
class AttritionResult:
    """Attrition risk scores and the evidence behind them.

    Attributes
    ----------
    method : str
        ``"logistic"`` or ``"rules"``.
    scores : pandas.DataFrame
        One row per client active at ``as_of``: ``client_id``, ``risk``
        (probability of attrition in the horizon for the logistic model, rule
        score in [0, 1] for the rules), ``reason_1`` .. ``reason_3`` (reason
        names such as ``recency_days.high`` or rule names, empty when fewer
        contributions are positive), then the features. Sorted by risk,
        highest first.
    as_of : pandas.Timestamp
        Date of the scores.
    train_cutoffs, test_cutoffs : list of pandas.Timestamp
        Labelled cut-offs used for training and for the time-based test.
    n_train, n_test, events_train, events_test : int
        Rows and attrition events in each part.
    auc : float
        ROC AUC on the test cut-offs (NaN when the test part has one class).
    calibration : pandas.DataFrame
        Test rows in bins of the predicted risk: ``bin``, ``n``,
        ``mean_predicted`` and ``observed_rate``.
    coefficients : pandas.DataFrame
        ``feature`` and ``coefficient`` (per standard deviation) of the refit
        model; empty for the rules.
    notes : list of Note
        Too few events, one-class test part, complaint status caveat.
    """

    method: str
    scores: pd.DataFrame
    as_of: pd.Timestamp
    train_cutoffs: list
    test_cutoffs: list
    n_train: int
    n_test: int
    events_train: int
    events_test: int
    auc: float
    calibration: pd.DataFrame
    coefficients: pd.DataFrame
    notes: list[Note] = field(default_factory=list)

    def reason_names(self, lang: str = "en") -> pd.DataFrame:
        """Return ``client_id`` and the three reasons translated into ``lang``."""
        table = self.scores[["client_id"]].copy()
        for i in range(1, TOP_REASONS + 1):
            table[f"reason_{i}"] = [
                translate(f"satisfaction.reason.{name}", lang) if name else ""
                for name in self.scores[f"reason_{i}"]]
        return table


class _Book:
    """Event arrays of one book, sorted once and reused for every cut-off."""

    def __init__(self, tables: dict, cases: pd.DataFrame | None):
        clients = tables["clients"]
        require_columns(clients, ["client_id"], "clients")
        self.client_ids = pd.Index(clients["client_id"].astype(str).unique())
        self.revenue = self._events(tables.get("revenue"), "date", "amount")
        self.interactions = self._events(tables.get("interactions"), "date")
        self.deals = self._events(tables.get("deals"), "start_date")
        self.feedback = self._feedback(tables.get("feedback"), cases)
        dates = [self.revenue[1], self.interactions[1], self.feedback["date"]]
        present = [d.max() for d in dates if len(d)]
        if not present:
            raise SatisfactionError("satisfaction.error.no_activity")
        self.data_end = pd.Timestamp(max(present))

    def _codes(self, client_ids: pd.Series) -> np.ndarray:
        return self.client_ids.get_indexer(client_ids.astype(str))

    def _events(self, frame, date_col, value_col=None):
        if frame is None or frame.empty:
            return np.zeros(0, int), np.zeros(0, "datetime64[ns]"), np.zeros(0)
        frame = frame[frame[date_col].notna()]
        codes = self._codes(frame["client_id"])
        keep = codes >= 0
        dates = pd.to_datetime(frame[date_col]).to_numpy()[keep]
        values = (frame[value_col].to_numpy(dtype=float)[keep] if value_col
                  else np.ones(keep.sum()))
        return codes[keep], dates, values

    def _feedback(self, frame, cases) -> pd.DataFrame:
        columns = ["code", "date", "nps", "csat", "closed_at"]
        if frame is None or frame.empty:
            return pd.DataFrame(columns=columns)
        result = pd.DataFrame({
            "code": self._codes(frame["client_id"]),
            "date": pd.to_datetime(frame["date"]).to_numpy(),
            "nps": pd.to_numeric(frame["nps"], errors="coerce").to_numpy(float),
            "csat": (pd.to_numeric(frame["csat"], errors="coerce").to_numpy(float)
                     if "csat" in frame else np.nan),
        })
        result["closed_at"] = _closing_dates(frame, cases)
        result = result[result["code"] >= 0]
        return result.sort_values(["code", "date"], kind="stable",
                                  ignore_index=True)

    def active(self, cutoff, lookback_months: int) -> np.ndarray:
        start = (cutoff - pd.DateOffset(months=lookback_months)).to_datetime64()
        end = cutoff.to_datetime64()
        mask = np.zeros(len(self.client_ids), bool)
        for codes, dates, _ in (self.revenue, self.interactions, self.deals):
            within = (dates > start) & (dates <= end)
            mask[codes[within]] = True
        return mask

    def attrited(self, cutoff, horizon_months: int) -> np.ndarray:
        end = (cutoff + pd.DateOffset(months=horizon_months)).to_datetime64()
        start = cutoff.to_datetime64()
        any_event = np.zeros(len(self.client_ids), bool)
        for codes, dates, _ in (self.revenue, self.interactions, self.deals):
            within = (dates > start) & (dates <= end)
            any_event[codes[within]] = True
        return ~any_event


def _closing_dates(frame: pd.DataFrame, cases: pd.DataFrame | None) -> np.ndarray:
    # Date by which each response's follow-up was closed; NaT while open. A
    # response with a case takes the case's closing date. A response without one
    # falls back to its status: closed counts as closed from the response date on.
    status = (frame["follow_up_status"].astype(str).str.lower()
              if "follow_up_status" in frame else pd.Series("", index=frame.index))
    dates = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[ns]")
    closing = np.where(status.to_numpy() == "closed", dates,
                       np.datetime64("NaT", "ns"))
    if cases is None or cases.empty or "response_id" not in frame:
        return closing
    linked = cases.dropna(subset=["response_id"]).drop_duplicates(
        "response_id", keep="last")
    closed = pd.Series(pd.to_datetime(linked["closed_at"]).to_numpy(),
                       index=linked["response_id"].astype(str))
    response_ids = frame["response_id"].astype(str)
    has_case = response_ids.isin(closed.index).to_numpy()
    case_dates = closed.reindex(response_ids).to_numpy().astype("datetime64[ns]")
    return np.where(has_case, case_dates, closing)


def attrition_features(book: _Book, cutoff: pd.Timestamp, mask: np.ndarray,
                       lookback_months: int) -> pd.DataFrame:
    """Return the features of the clients in ``mask`` at ``cutoff`` (see module)."""
    size = len(book.client_ids)
    end = cutoff.to_datetime64()
    year_ago = (cutoff - pd.DateOffset(months=12)).to_datetime64()
    two_years_ago = (cutoff - pd.DateOffset(months=24)).to_datetime64()

    # Revenue: recency, frequency and trend.
    codes, dates, amounts = book.revenue
    past = dates <= end
    last = np.full(size, np.iinfo(np.int64).min)
    past_ns = dates[past].astype("datetime64[ns]").view(np.int64)
    np.maximum.at(last, codes[past], past_ns)
    never = last == np.iinfo(np.int64).min
    recency = (end.astype("datetime64[ns]").view(np.int64) - last) / 86_400e9
    recency = np.where(never, lookback_months * 30.44, recency)
    recent = past & (dates > year_ago)
    before = (dates <= year_ago) & (dates > two_years_ago)
    frequency = np.bincount(codes[recent], minlength=size).astype(float)
    revenue_recent = np.bincount(codes[recent], amounts[recent], minlength=size)
    revenue_before = np.bincount(codes[before], amounts[before], minlength=size)
    trend = (np.log1p(np.clip(revenue_recent, 0, None))
             - np.log1p(np.clip(revenue_before, 0, None)))

    codes_i, dates_i, _ = book.interactions
    within = (dates_i <= end) & (dates_i > year_ago)
    interactions = np.bincount(codes_i[within], minlength=size).astype(float)

    survey = _survey_features(book.feedback, end, size)
    frame = pd.DataFrame({
        "client_id": book.client_ids, **survey, "recency_days": recency,
        "frequency_12m": frequency, "revenue_trend": trend,
        "interactions_12m": interactions,
    })[mask]
    frame = _fill_missing_scores(frame)
    return frame[["client_id", *FEATURES]].reset_index(drop=True)


def _survey_features(feedback: pd.DataFrame, end, size: int) -> dict:
    responses = feedback[feedback["date"].to_numpy() <= end]
    latest = np.full(size, np.nan)
    previous = np.full(size, np.nan)
    csat = np.full(size, np.nan)
    complaints = np.zeros(size)
    if len(responses):
        codes = responses["code"].to_numpy()
        nps = responses["nps"].to_numpy()
        is_last = np.r_[codes[1:] != codes[:-1], True]
        latest[codes[is_last]] = nps[is_last]
        csat[codes[is_last]] = responses["csat"].to_numpy(float)[is_last]
        has_previous = np.r_[False, codes[1:] == codes[:-1]] & is_last
        previous_index = np.flatnonzero(has_previous) - 1
        previous[codes[has_previous]] = nps[previous_index]
        closed_at = responses["closed_at"].to_numpy()
        open_now = (nps <= 6) & ~(closed_at <= end)
        complaints = np.bincount(codes[open_now], minlength=size).astype(float)
    trend = np.where(np.isnan(previous), 0.0, latest - previous)
    return {"latest_nps": latest, "nps_trend": np.nan_to_num(trend),
            "latest_csat": csat, "no_survey": np.isnan(latest).astype(float),
            "open_complaints": complaints}


def _fill_missing_scores(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column, default in (("latest_nps", 7.5), ("latest_csat", 3.5)):
        mean = frame[column].mean()
        frame[column] = frame[column].fillna(default if np.isnan(mean) else mean)
    return frame


def _load(store_or_frames) -> dict:
    names = ("clients", "deals", "revenue", "interactions", "feedback")
    if isinstance(store_or_frames, dict):
        return {name: store_or_frames.get(name) for name in names}
    if hasattr(store_or_frames, "read_table"):
        return {name: store_or_frames.read_table(name) for name in names}
    raise SatisfactionError("satisfaction.error.bad_source",
                            type=type(store_or_frames).__name__)


def default_cutoffs(data_end: pd.Timestamp, first_date: pd.Timestamp,
                    horizon_months: int, lookback_months: int) -> list:
    """Return quarter-ends whose lookback starts after ``first_date`` and whose
    horizon ends by ``data_end``."""
    earliest = first_date + pd.DateOffset(months=lookback_months)
    latest = data_end - pd.DateOffset(months=horizon_months)
    quarter_ends = pd.date_range(earliest, latest, freq="QE")
    return [pd.Timestamp(d) for d in quarter_ends]


def fit_attrition(store_or_frames, *, as_of=None, cutoffs=None,
                  horizon_months: int = 12, lookback_months: int = 24,
                  test_share: float = 0.3, min_events: int = DEFAULT_MIN_EVENTS,
                  cases: pd.DataFrame | None = None, C: float = 1.0,
                  random_state: int = 0) -> AttritionResult:
    """Train and test the attrition model on past cut-offs and score clients now.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
        The book: ``clients``, ``deals``, ``revenue``, ``interactions`` and
        ``feedback``.
    as_of : date-like, optional
        Date of the scores; default the last date of the book.
    cutoffs : list of date-like, optional
        Labelled cut-offs, oldest first; default ``default_cutoffs``. Each must
        end its horizon by the last date of the book.
    horizon_months : int, default 12
        Months without activity after a cut-off that count as attrition.
    lookback_months : int, default 24
        Months before a cut-off in which a client must be active to be scored.
    test_share : float, default 0.3
        Share of the cut-offs, the latest ones, held out for the test.
    min_events : int, default 40
        Minimum number of attrition events in the training part to fit the
        model; below it the rules rank clients.
    cases : pandas.DataFrame, optional
        Follow-up cases (``feedback.loop_metrics`` columns) whose ``closed_at``
        dates tell when a complaint was closed.
    C : float, default 1.0
        Inverse L2 regularisation strength of the logistic regression.
    random_state : int, default 0
        Seed of the solver.

    Raises
    ------
    SatisfactionError
        When the book has no activity, no labelled cut-off, or a cut-off whose
        horizon ends after the last date.
    """
    book = _Book(_load(store_or_frames), cases)
    as_of = pd.Timestamp(as_of) if as_of is not None else book.data_end
    cutoffs = _check_cutoffs(book, cutoffs, horizon_months, lookback_months)
    notes: list[Note] = []
    if cases is None:
        notes.append(Note("satisfaction.note.complaint_status"))

    # Labelled panel: one row per active client per cut-off.
    panel = _panel(book, cutoffs, horizon_months, lookback_months)
    split = max(1, int(round(len(cutoffs) * (1 - test_share))))
    split = min(split, len(cutoffs) - 1) if len(cutoffs) > 1 else 1
    train_cutoffs, test_cutoffs = cutoffs[:split], cutoffs[split:]
    train = panel[panel["cutoff"].isin(train_cutoffs)]
    test = panel[panel["cutoff"].isin(test_cutoffs)]
    events_train = int(train["attrited"].sum())

    current = attrition_features(book, as_of, book.active(as_of, lookback_months),
                                 lookback_months)
    if events_train < min_events:
        notes.append(Note("satisfaction.note.too_few_events",
                          {"events": events_train, "min_events": min_events}))
        return _rules_result(current, as_of, train_cutoffs, test_cutoffs, train, test,
                             notes)
    return _model_result(current, as_of, train_cutoffs, test_cutoffs, train, test,
                         panel, C, random_state, notes)


def _check_cutoffs(book, cutoffs, horizon_months, lookback_months) -> list:
    last_allowed = book.data_end - pd.DateOffset(months=horizon_months)
    if cutoffs is None:
        first = min(d.min() for d in (book.revenue[1], book.interactions[1])
                    if len(d))
        cutoffs = default_cutoffs(book.data_end, pd.Timestamp(first), horizon_months,
                                  lookback_months)
    cutoffs = sorted(pd.Timestamp(c) for c in cutoffs)
    if not cutoffs:
        raise SatisfactionError("satisfaction.error.no_cutoffs",
                                data_end=str(book.data_end.date()),
                                horizon=horizon_months, lookback=lookback_months)
    late = [c for c in cutoffs if c > last_allowed]
    if late:
        raise SatisfactionError("satisfaction.error.late_cutoff",
                                value=str(late[0].date()),
                                latest=str(last_allowed.date()),
                                horizon=horizon_months)
    return cutoffs


def _panel(book, cutoffs, horizon_months, lookback_months) -> pd.DataFrame:
    parts = []
    for cutoff in cutoffs:
        mask = book.active(cutoff, lookback_months)
        frame = attrition_features(book, cutoff, mask, lookback_months)
        frame["attrited"] = book.attrited(cutoff, horizon_months)[mask].astype(int)
        frame["cutoff"] = cutoff
        parts.append(frame)
        logger.debug("cut-off %s: %d active clients", cutoff.date(), len(frame))
    return pd.concat(parts, ignore_index=True)


def _fit_logistic(frame: pd.DataFrame, C: float, random_state: int):
    scaler = StandardScaler().fit(frame[list(FEATURES)])
    model = LogisticRegression(C=C, max_iter=1000, random_state=random_state)
    model.fit(scaler.transform(frame[list(FEATURES)]), frame["attrited"])
    return scaler, model


def _model_result(current, as_of, train_cutoffs, test_cutoffs, train, test, panel,
                  C, random_state, notes) -> AttritionResult:
    scaler, model = _fit_logistic(train, C, random_state)
    auc, calibration = np.nan, _empty_calibration()
    if len(test):
        predicted = model.predict_proba(scaler.transform(test[list(FEATURES)]))[:, 1]
        auc = _auc(test["attrited"].to_numpy(), predicted, notes)
        calibration = calibration_table(test["attrited"].to_numpy(), predicted)

    # Scores now come from a refit on every labelled cut-off.
    scaler, model = _fit_logistic(panel, C, random_state)
    standardised = scaler.transform(current[list(FEATURES)])
    contributions = standardised * model.coef_[0]
    scores = current.copy()
    scores.insert(1, "risk", model.predict_proba(standardised)[:, 1])
    directions = np.where(standardised > 0, "high", "low")
    names = np.char.add(np.char.add(np.array(FEATURES)[None, :], "."), directions)
    _insert_reasons(scores, contributions, names)
    coefficients = pd.DataFrame({"feature": FEATURES, "coefficient": model.coef_[0]})
    logger.info("attrition model: %d training rows, test AUC %.3f", len(train), auc)
    return AttritionResult(
        method="logistic", scores=_sorted(scores), as_of=as_of,
        train_cutoffs=train_cutoffs, test_cutoffs=test_cutoffs, n_train=len(train),
        n_test=len(test), events_train=int(train["attrited"].sum()),
        events_test=int(test["attrited"].sum()), auc=auc, calibration=calibration,
        coefficients=coefficients, notes=notes)


def rule_points(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the points matrix (clients × rules) and the rule score in [0, 1]."""
    points = np.zeros((len(features), len(RULES)))
    for j, (_, feature, low, high, value) in enumerate(RULES):
        column = features[feature].to_numpy(dtype=float)
        points[:, j] = np.where((column >= low) & (column < high), value, 0)
    return points, points.sum(axis=1) / MAX_RULE_POINTS


def _rules_result(current, as_of, train_cutoffs, test_cutoffs, train, test,
                  notes) -> AttritionResult:
    points, score = rule_points(current)
    scores = current.copy()
    scores.insert(1, "risk", score)
    names = np.broadcast_to(np.array([rule[0] for rule in RULES]), points.shape)
    _insert_reasons(scores, points, names)
    auc, calibration = np.nan, _empty_calibration()
    if len(test):
        test_score = rule_points(test)[1]
        auc = _auc(test["attrited"].to_numpy(), test_score, notes)
        calibration = calibration_table(test["attrited"].to_numpy(), test_score)
    return AttritionResult(
        method="rules", scores=_sorted(scores), as_of=as_of,
        train_cutoffs=train_cutoffs, test_cutoffs=test_cutoffs, n_train=len(train),
        n_test=len(test), events_train=int(train["attrited"].sum()),
        events_test=int(test["attrited"].sum()), auc=auc, calibration=calibration,
        coefficients=pd.DataFrame(columns=["feature", "coefficient"]), notes=notes)


def _insert_reasons(scores: pd.DataFrame, contributions: np.ndarray,
                    names: np.ndarray) -> None:
    # The largest positive contributions, in descending order; ``names`` has the
    # reason name of each client and feature or rule.
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :TOP_REASONS]
    rows = np.arange(len(scores))
    for i in range(TOP_REASONS):
        index = order[:, i] if order.shape[1] > i else np.zeros(len(scores), int)
        value = contributions[rows, index]
        chosen = np.asarray(names, dtype=object)[rows, index]
        scores.insert(2 + i, f"reason_{i + 1}", np.where(value > 0, chosen, ""))


def _auc(labels: np.ndarray, predicted: np.ndarray, notes: list[Note]) -> float:
    if len(np.unique(labels)) < 2:
        notes.append(Note("satisfaction.note.one_class_test",
                          {"n": len(labels), "events": int(labels.sum())}))
        return np.nan
    return float(roc_auc_score(labels, predicted))


def calibration_table(labels, predicted, bins: int = 10) -> pd.DataFrame:
    """Bin ``predicted`` into up to ``bins`` quantile bins and compare with ``labels``.

    Returns ``bin`` (1 = lowest risk), ``n``, ``mean_predicted`` and
    ``observed_rate``.
    """
    frame = pd.DataFrame({"label": np.asarray(labels, float),
                          "predicted": np.asarray(predicted, float)})
    ranks = frame["predicted"].rank(method="first")
    frame["bin"] = pd.qcut(ranks, q=min(bins, len(frame)), labels=False) + 1
    table = frame.groupby("bin").agg(n=("label", "size"),
                                     mean_predicted=("predicted", "mean"),
                                     observed_rate=("label", "mean"))
    return table.reset_index()


def _empty_calibration() -> pd.DataFrame:
    return pd.DataFrame(columns=["bin", "n", "mean_predicted", "observed_rate"])


def _sorted(scores: pd.DataFrame) -> pd.DataFrame:
    return scores.sort_values(["risk", "client_id"], ascending=[False, True],
                              kind="stable", ignore_index=True)


def attrition_labels(store_or_frames, cutoff, *, horizon_months: int = 12,
                     lookback_months: int = 24) -> pd.DataFrame:
    """Return ``client_id`` and ``attrited`` (0/1) of the clients active at ``cutoff``.

    Raises
    ------
    SatisfactionError
        When the horizon after ``cutoff`` ends after the last date of the book.
    """
    book = _Book(_load(store_or_frames), None)
    cutoff = _check_cutoffs(book, [cutoff], horizon_months, lookback_months)[0]
    mask = book.active(cutoff, lookback_months)
    return pd.DataFrame({
        "client_id": book.client_ids[mask],
        "attrited": book.attrited(cutoff, horizon_months)[mask].astype(int),
    })
