"""Probability of a new deal with each client in the next months.

Panel
-----
Cut-offs are the quarter-ends from 12 months after the book's history starts
(``DealBook.history_start``) to ``as_of - horizon``, so every cut-off has a year
of history behind it and a
complete label window after it. Each cut-off contributes one row per client
with a relationship at that date: its features (``features.FEATURES``) and its
label (a deal starting in the ``horizon_months`` after the cut-off).

Model
-----
Logistic regression on standardised features with an L2 penalty:

    P(new deal | x) = 1 / (1 + exp(-(b0 + sum_j b_j z_j))),  z_j = (x_j - m_j) / s_j

where ``m_j`` and ``s_j`` are the mean and standard deviation of feature j in
the training panel. ``b_j z_j`` is feature j's contribution to the log-odds
against a client with average features, which ranks the reasons per client.

Validation
----------
Rolling origin, out of time: for each of the last ``backtest_cutoffs`` cut-offs
C, the model is trained on the cut-offs whose label window closed by C
(``c + horizon <= C``) and tested on the clients at C. The result reports the
AUC per cut-off and pooled, the Brier score, a calibration table and the lift by
decile of the pooled test predictions. The scores at ``as_of`` come from a refit
on every labelled cut-off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from pfcrm_core.overview import default_as_of

from .errors import PredictionError
from .features import (FEATURES, DealBook, add_months, load_book, model_features,
                       next_deal_labels, raw_features)
from .reasons import Reason, group_contributions, top_reasons
from .validation import auc, brier, calibration_table, lift_table

logger = logging.getLogger(__name__)

DEFAULT_SEED = 0
HISTORY_MONTHS = 12
MIN_NEW_DEALS = 30
MIN_CUTOFFS = 4
BACKTEST_CUTOFFS = 4


@dataclass(frozen=True)
class NextDealValidation:
    """Out-of-time back-test of the next-deal model.

    Attributes
    ----------
    by_cutoff : pandas.DataFrame
        One row per tested cut-off: ``cutoff``, ``train_cutoffs``,
        ``train_rows``, ``clients``, ``new_deals`` (positive labels),
        ``mean_predicted``, ``observed_rate``, ``auc`` and ``brier``.
    predictions : pandas.DataFrame
        The pooled test rows: ``cutoff``, ``client_id``, ``probability``,
        ``new_deal``.
    pooled_auc : float
        AUC of the pooled test predictions.
    brier : float
        Brier score of the pooled test predictions.
    base_rate : float
        Share of pooled test rows with a new deal.
    calibration : pandas.DataFrame
        ``validation.calibration_table`` of the pooled test predictions.
    lift : pandas.DataFrame
        ``validation.lift_table`` of the pooled test predictions.
    """

    by_cutoff: pd.DataFrame
    predictions: pd.DataFrame
    pooled_auc: float
    brier: float
    base_rate: float
    calibration: pd.DataFrame
    lift: pd.DataFrame

    @property
    def top_decile_lift(self) -> float:
        """Observed rate in the top decile over the overall rate (NaN when empty)."""
        return float(self.lift["lift"].iloc[0]) if len(self.lift) else float("nan")


@dataclass(frozen=True)
class NextDealResult:
    """Next-deal probabilities at ``as_of`` with their reasons and validation.

    Attributes
    ----------
    as_of : pandas.Timestamp
        Date of the scores.
    horizon_months : int
        Length of the window after ``as_of`` that the probability covers.
    scores : pandas.DataFrame
        One row per client with a relationship at ``as_of``, most likely first:
        ``client_id``, ``client_type``, ``probability`` and ``reasons`` (a list
        of up to three ``Reason``, largest absolute contribution first).
    features : pandas.DataFrame
        The clients' facts at ``as_of`` (``features.raw_features``).
    coefficients : pandas.DataFrame
        ``feature``, ``coefficient`` (per standard deviation), ``odds_ratio``
        (per standard deviation), ``mean`` and ``std`` of the final fit, largest
        absolute coefficient first.
    intercept : float
        Log-odds of a client with average features.
    validation : NextDealValidation
        The rolling-origin back-test.
    cutoffs : tuple of pandas.Timestamp
        The labelled cut-offs of the training panel, oldest first.
    train_rows : int
        Rows (client × cut-off) in the final fit.
    train_new_deals : int
        Positive labels in the final fit.
    """

    as_of: pd.Timestamp
    horizon_months: int
    scores: pd.DataFrame
    features: pd.DataFrame
    coefficients: pd.DataFrame
    intercept: float
    validation: NextDealValidation
    cutoffs: tuple = field(default_factory=tuple)
    train_rows: int = 0
    train_new_deals: int = 0

    def reasons(self, client_id: str) -> list[Reason]:
        """Return the reasons of ``client_id``, or raise ``KeyError`` naming it."""
        match = self.scores.loc[self.scores["client_id"] == str(client_id), "reasons"]
        if match.empty:
            raise KeyError(f"client {client_id!r} has no score at "
                           f"{self.as_of.date()}; score a client with a relationship "
                           f"by that date")
        return list(match.iloc[0])

    def reason_texts(self, client_id: str, lang: str = "en") -> list[str]:
        """Return the reasons of ``client_id`` as text in ``lang`` ("en" or "zh")."""
        return [reason.text(lang) for reason in self.reasons(client_id)]


def labelled_cutoffs(book: DealBook, as_of: pd.Timestamp,
                     horizon_months: int) -> list[pd.Timestamp]:
    """Return the quarter-ends with a year of history and a complete label window."""
    first = book.history_start
    if first is None:
        return []
    earliest = first + pd.DateOffset(months=HISTORY_MONTHS)
    latest = add_months(as_of, -horizon_months)
    return [pd.Timestamp(d) for d in pd.date_range(earliest, latest, freq="QE")]


def build_panel(book: DealBook, cutoffs: list[pd.Timestamp],
                horizon_months: int) -> pd.DataFrame:
    """Stack features and labels of every client at every cut-off.

    Returns
    -------
    pandas.DataFrame
        ``cutoff``, ``client_id``, the ``FEATURES`` and ``new_deal`` (0/1).
    """
    parts = []
    for cutoff in cutoffs:
        raw = raw_features(book, cutoff)
        frame = model_features(raw)
        frame["new_deal"] = next_deal_labels(book, cutoff, horizon_months, raw.index)
        frame.insert(0, "cutoff", cutoff)
        parts.append(frame.reset_index())
        logger.debug("cut-off %s: %d clients, %d new deals", cutoff.date(),
                     len(frame), int(frame["new_deal"].sum()))
    columns = ["client_id", "cutoff", *FEATURES, "new_deal"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _fit(panel: pd.DataFrame, C: float, seed: int):
    scaler = StandardScaler().fit(panel[list(FEATURES)])
    model = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    model.fit(scaler.transform(panel[list(FEATURES)]), panel["new_deal"].astype(int))
    return scaler, model


def _predict(scaler, model, frame: pd.DataFrame) -> np.ndarray:
    return model.predict_proba(scaler.transform(frame[list(FEATURES)]))[:, 1]


def backtest(panel: pd.DataFrame, cutoffs: list[pd.Timestamp], horizon_months: int,
             *, test_cutoffs: int = BACKTEST_CUTOFFS, C: float = 1.0,
             seed: int = DEFAULT_SEED) -> NextDealValidation:
    """Test the model on each of the last ``test_cutoffs`` cut-offs, out of time.

    Each tested cut-off C is predicted by a model trained on the cut-offs whose
    label window closed by C. A cut-off with no such training cut-off, or with a
    training set of one class, is skipped.

    Raises
    ------
    PredictionError
        When no cut-off could be tested.
    """
    rows, predictions = [], []
    for cutoff in cutoffs[-test_cutoffs:]:
        closed = [c for c in cutoffs if add_months(c, horizon_months) <= cutoff]
        train = panel[panel["cutoff"].isin(closed)]
        test = panel[panel["cutoff"] == cutoff]
        if train["new_deal"].nunique() < 2 or test.empty:
            continue
        scaler, model = _fit(train, C, seed)
        probability = _predict(scaler, model, test)
        labels = test["new_deal"].to_numpy()
        rows.append({"cutoff": cutoff, "train_cutoffs": len(closed),
                     "train_rows": len(train), "clients": len(test),
                     "new_deals": int(labels.sum()),
                     "mean_predicted": float(probability.mean()),
                     "observed_rate": float(labels.mean()),
                     "auc": auc(labels, probability),
                     "brier": brier(labels, probability)})
        predictions.append(pd.DataFrame({"cutoff": cutoff,
                                         "client_id": test["client_id"].to_numpy(),
                                         "probability": probability,
                                         "new_deal": labels}))
    if not rows:
        raise PredictionError("prediction.error.no_backtest", cutoffs=len(cutoffs),
                              horizon=horizon_months)

    pooled = pd.concat(predictions, ignore_index=True)
    labels, probability = pooled["new_deal"], pooled["probability"]
    return NextDealValidation(
        by_cutoff=pd.DataFrame(rows), predictions=pooled,
        pooled_auc=auc(labels, probability), brier=brier(labels, probability),
        base_rate=float(labels.mean()),
        calibration=calibration_table(labels, probability),
        lift=lift_table(labels, probability))


def _check_history(panel: pd.DataFrame, cutoffs: list, min_new_deals: int,
                   min_cutoffs: int) -> None:
    new_deals = int(panel["new_deal"].sum()) if len(panel) else 0
    if len(cutoffs) < min_cutoffs or new_deals < min_new_deals:
        raise PredictionError("prediction.error.too_little_history",
                              min_deals=min_new_deals, min_cutoffs=min_cutoffs,
                              deals=new_deals, cutoffs=len(cutoffs))


def _coefficients(scaler, model) -> pd.DataFrame:
    coefficient = model.coef_[0]
    table = pd.DataFrame({"feature": list(FEATURES), "coefficient": coefficient,
                          "odds_ratio": np.exp(coefficient), "mean": scaler.mean_,
                          "std": scaler.scale_})
    order = np.argsort(-np.abs(coefficient), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def _score(book: DealBook, as_of: pd.Timestamp, scaler, model) -> tuple:
    raw = raw_features(book, as_of)
    frame = model_features(raw)
    contributions = pd.DataFrame(scaler.transform(frame[list(FEATURES)])
                                 * model.coef_[0], index=frame.index,
                                 columns=list(FEATURES))
    scores = pd.DataFrame({"client_id": raw.index,
                           "client_type": raw["client_type"].to_numpy(),
                           "probability": _predict(scaler, model, frame)})
    scores["reasons"] = top_reasons(group_contributions(contributions), raw)
    scores = scores.sort_values(["probability", "client_id"],
                                ascending=[False, True], kind="stable")
    return scores.reset_index(drop=True), raw


def predict_next_deal(tables: dict[str, pd.DataFrame], as_of: date | None = None, *,
                      horizon_months: int = 6, seed: int = DEFAULT_SEED,
                      C: float = 1.0, backtest_cutoffs: int = BACKTEST_CUTOFFS,
                      min_new_deals: int = MIN_NEW_DEALS,
                      min_cutoffs: int = MIN_CUTOFFS) -> NextDealResult:
    """Fit, back-test and apply the next-deal model.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Canonical tables as ``Store.read_table`` returns them: ``clients`` and
        ``deals`` (required), ``revenue``, ``interactions``, ``feedback`` and
        ``credit`` (each may be missing or empty).
    as_of : date, optional
        Date of the scores. Rows dated after it are ignored. Default: the latest
        revenue or deal start date (``overview.default_as_of``).
    horizon_months : int, default 6
        Months after a date in which a new deal counts.
    seed : int, default 0
        ``random_state`` of the logistic regression.
    C : float, default 1.0
        Inverse L2 penalty strength of the logistic regression.
    backtest_cutoffs : int, default 4
        Number of the latest labelled cut-offs tested out of time.
    min_new_deals : int, default 30
        Minimum number of positive labels (client × cut-off) in the panel.
    min_cutoffs : int, default 4
        Minimum number of labelled cut-offs.

    Returns
    -------
    NextDealResult

    Raises
    ------
    PredictionError
        When ``clients`` or ``deals`` is missing, the book has too few labelled
        cut-offs or new deals, or no cut-off could be back-tested.
    """
    empty = pd.DataFrame(columns=["date", "start_date"])
    if as_of is None:
        as_of = default_as_of(tables.get("revenue", empty), tables.get("deals", empty))
    as_of = pd.Timestamp(as_of).normalize()
    book = load_book(tables, as_of)

    # Labelled panel and the minimum history it needs.
    cutoffs = labelled_cutoffs(book, as_of, horizon_months)
    panel = build_panel(book, cutoffs, horizon_months)
    _check_history(panel, cutoffs, min_new_deals, min_cutoffs)

    # Out-of-time back-test, then the final fit on every labelled cut-off.
    validation = backtest(panel, cutoffs, horizon_months, test_cutoffs=backtest_cutoffs,
                          C=C, seed=seed)
    scaler, model = _fit(panel, C, seed)
    scores, raw = _score(book, as_of, scaler, model)
    logger.info("next-deal model at %s: %d cut-offs, %d rows, pooled AUC %.3f",
                as_of.date(), len(cutoffs), len(panel), validation.pooled_auc)

    return NextDealResult(
        as_of=as_of, horizon_months=int(horizon_months), scores=scores,
        features=raw, coefficients=_coefficients(scaler, model),
        intercept=float(model.intercept_[0]), validation=validation,
        cutoffs=tuple(cutoffs), train_rows=len(panel),
        train_new_deals=int(panel["new_deal"].sum()))
