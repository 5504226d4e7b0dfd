"""A points-based credit scorecard: WoE binning, logistic regression, PDO scaling.

The model is ``logit P(bad) = b0 + sum_j b_j * WoE_j``. Because WoE is
``ln(%good / %bad)``, a well-behaved coefficient is negative (a safer bin lowers
the odds of default). Scores follow the points-to-double-odds convention::

    Factor = PDO / ln 2
    Offset = base_points - Factor * ln(base_odds)
    score  = Offset + Factor * ln(odds good:bad) = Offset - Factor * logit P(bad)

so ``base_points`` is the score at good:bad odds of ``base_odds``, and every
``pdo`` points double the odds. The points of bin i of variable j are
``-Factor * b_j * WoE_ij``. The intercept's share, ``Offset - Factor * b0``, is a
separate "base points" row of the scorecard table. A client's score is the base
points plus the points of each of its bins.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from pfcrm_core.risk.binning import SMOOTHING, WoEBinner
from pfcrm_core.risk.exceptions import RiskDataError, format_values

logger = logging.getLogger(__name__)

BASE_POINTS_LABEL = "(base points)"


class Scorecard(BaseEstimator):
    """Fit a points scorecard on a table of candidate variables and a binary target.

    Parameters
    ----------
    variables, categorical, bad_value, n_prebins, min_bin_share, monotonic_trend, \
special_values, rare_category_share, smoothing
        Binning settings, passed to ``WoEBinner`` (see there).
    min_iv : float, default 0.02
        Variables with a lower IV (the "useless" band) are left out of the model.
    max_variables : int, optional
        Keep at most this many variables, highest IV first.
    C : float, default 1.0
        Inverse strength of the L2 (ridge) penalty of the logistic regression
        (scikit-learn ``LogisticRegression(C=C, l1_ratio=0)``, lbfgs solver). WoE
        features are on a log-odds scale, so C = 1 shrinks little on samples of a
        few hundred rows or more.
    enforce_sign : bool, default True
        Drop, one at a time, the variable with the lowest IV among those whose
        coefficient is not negative, and refit. A positive coefficient means a
        safer bin gets fewer points, which usually comes from correlated
        variables and would confuse a credit committee.
    base_points : float, default 600
        Score at good:bad odds of ``base_odds``.
    base_odds : float, default 50
        Good:bad odds (50 means 50:1) at which the score is ``base_points``.
    pdo : float, default 20
        Points that double the good:bad odds.
    max_iter : int, default 1000
        Iteration limit of the solver.

    Attributes
    ----------
    binner_ : WoEBinner
        Fitted bins of every candidate variable.
    selected_variables_ : list of str
        Variables in the model.
    coef_ : pandas.Series
        Logistic regression coefficient per selected variable (on WoE).
    intercept_ : float
    factor_, offset_ : float
        PDO scaling constants.
    model_ : sklearn.linear_model.LogisticRegression
    classes_ : numpy.ndarray
        ``[0, 1]``: good, bad; the columns of ``predict_proba``.
    notes_ : list of str
        Variables left out and why.
    scorecard_table_ : pandas.DataFrame
        variable, bin, count, bad_rate, woe, coefficient, points.
    """

    def __init__(self, variables=None, categorical=None, bad_value=None,
                 n_prebins: int = 20, min_bin_share: float = 0.05,
                 monotonic_trend: str = "auto", special_values=(),
                 rare_category_share: float | None = None,
                 smoothing: float = SMOOTHING, min_iv: float = 0.02,
                 max_variables: int | None = None, C: float = 1.0,
                 enforce_sign: bool = True, base_points: float = 600.0,
                 base_odds: float = 50.0, pdo: float = 20.0, max_iter: int = 1000):
        self.variables = variables
        self.categorical = categorical
        self.bad_value = bad_value
        self.n_prebins = n_prebins
        self.min_bin_share = min_bin_share
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.rare_category_share = rare_category_share
        self.smoothing = smoothing
        self.min_iv = min_iv
        self.max_variables = max_variables
        self.C = C
        self.enforce_sign = enforce_sign
        self.base_points = base_points
        self.base_odds = base_odds
        self.pdo = pdo
        self.max_iter = max_iter

    def fit(self, X: pd.DataFrame, y, **fit_params) -> "Scorecard":
        """Bin the variables, select them, fit the regression and scale the points.

        Rows with a missing target are left out and counted in
        ``binner_.n_target_missing_``.

        Raises
        ------
        RiskDataError
            When the target is not binary or has one class, a column is missing,
            or no variable reaches ``min_iv``.
        ValueError
            When a scaling setting is not positive.
        """
        self._check_scaling()

        # Step 1: bins and WoE of every candidate variable.
        self.binner_ = WoEBinner(
            variables=self.variables, categorical=self.categorical,
            bad_value=self.bad_value, n_prebins=self.n_prebins,
            min_bin_share=self.min_bin_share, monotonic_trend=self.monotonic_trend,
            special_values=self.special_values,
            rare_category_share=self.rare_category_share,
            smoothing=self.smoothing).fit(X, y)
        self.notes_ = list(self.binner_.notes_)

        # Step 2: keep the informative variables.
        candidates = self._candidates()

        # Step 3: regression on the WoE of the training rows with a target.
        observed = _observed_rows(y)
        woe = self.binner_.transform(X[observed], candidates)
        is_bad = _bad_flags(y, observed, self.binner_.bad_value_)
        self._fit_regression(woe, is_bad, candidates)

        # Step 4: points.
        self.factor_ = self.pdo / math.log(2)
        self.offset_ = self.base_points - self.factor_ * math.log(self.base_odds)
        self.classes_ = np.array([0, 1])
        self.feature_names_in_ = self.binner_.feature_names_in_
        self.scorecard_table_ = self._scorecard_table()
        return self

    def _check_scaling(self) -> None:
        for name in ("pdo", "base_odds", "C"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"{name} must be > 0; got {value!r}")

    def _candidates(self) -> list:
        iv_table = self.binner_.iv_table()
        usable = iv_table[~iv_table["excluded"]]
        for row in usable[usable["iv"] < self.min_iv].itertuples():
            self.notes_.append(f"{row.variable}: IV {row.iv:.4f} is below min_iv "
                               f"{self.min_iv:g}; left out of the model")
        chosen = usable[usable["iv"] >= self.min_iv]
        if self.max_variables is not None and len(chosen) > self.max_variables:
            for name in chosen["variable"].iloc[self.max_variables:]:
                self.notes_.append(f"{name}: beyond max_variables "
                                   f"{self.max_variables}; left out of the model")
            chosen = chosen.iloc[:self.max_variables]
        if chosen.empty:
            best = usable.iloc[0] if not usable.empty else None
            raise RiskDataError(
                "risk.error.no_usable_variable", min_iv=f"{self.min_iv:g}",
                best=best["variable"] if best is not None else "none",
                best_iv=f"{best['iv']:.4f}" if best is not None else "0")
        return list(chosen["variable"])

    def _fit_regression(self, woe: pd.DataFrame, is_bad: np.ndarray,
                        candidates: list) -> None:
        iv = self.binner_.iv_
        variables = list(candidates)
        while True:
            model = LogisticRegression(C=self.C, l1_ratio=0.0, solver="lbfgs",
                                       max_iter=self.max_iter)
            model.fit(woe[variables].to_numpy(), is_bad.astype(int))
            coef = pd.Series(model.coef_[0], index=variables)
            wrong = coef[coef >= 0]
            if not self.enforce_sign or wrong.empty or len(variables) == 1:
                break
            drop = iv[wrong.index].idxmin()
            self.notes_.append(f"{drop}: coefficient {coef[drop]:+.4f} has the wrong "
                               f"sign (safer bins would score lower); left out")
            logger.info("scorecard: dropping %s for a coefficient of %+.4f", drop,
                        coef[drop])
            variables.remove(drop)

        self.model_ = model
        self.selected_variables_ = variables
        self.coef_ = coef
        self.intercept_ = float(model.intercept_[0])

    def _scorecard_table(self) -> pd.DataFrame:
        rows = [{"variable": BASE_POINTS_LABEL, "bin": "", "count": np.nan,
                 "bad_rate": np.nan, "woe": np.nan, "coefficient": self.intercept_,
                 "points": self.offset_ - self.factor_ * self.intercept_}]
        for name in self.selected_variables_:
            bins = self.binner_.binnings_[name].table
            coefficient = float(self.coef_[name])
            for row in bins.itertuples():
                rows.append({"variable": name, "bin": row.bin, "count": row.count,
                             "bad_rate": row.bad_rate, "woe": row.woe,
                             "coefficient": coefficient,
                             "points": -self.factor_ * coefficient * row.woe})
        return pd.DataFrame(rows)

    # -- prediction ------------------------------------------------------------

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the WoE of the selected variables (worst WoE for unseen values)."""
        check_is_fitted(self, "model_")
        return self.binner_.transform(X, self.selected_variables_)

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Return the log-odds of default, ``b0 + sum_j b_j * WoE_j``, per row."""
        woe = self.transform(X).to_numpy()
        return self.intercept_ + woe @ self.coef_.to_numpy()

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Return an (n, 2) array: P(good) in column 0 and the PD in column 1."""
        pd_values = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - pd_values, pd_values])

    def predict_pd(self, X: pd.DataFrame) -> np.ndarray:
        """Return the probability of default of each row."""
        return self.predict_proba(X)[:, 1]

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Return 1 (bad) where the PD is at least 0.5, else 0."""
        return (self.predict_pd(X) >= 0.5).astype(int)

    def score_points(self, X: pd.DataFrame) -> np.ndarray:
        """Return the score of each row: base points plus the points of its bins."""
        return self.offset_ - self.factor_ * self.decision_function(X)

    def points_to_pd(self, points) -> np.ndarray:
        """Convert scores to PDs: ``PD = 1 / (1 + exp((score - Offset) / Factor))``."""
        check_is_fitted(self, "model_")
        points = np.asarray(points, dtype=float)
        return 1.0 / (1.0 + np.exp((points - self.offset_) / self.factor_))

    def score_table(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the points of each variable, the score, the PD and unseen flags.

        Columns: one ``points_<variable>`` per selected variable, ``score``,
        ``pd``, ``n_unseen`` (variables whose value fell in no fitted bin and got
        the worst WoE) and ``unseen_variables`` (their names, comma-separated).
        """
        woe = self.transform(X)
        points = -self.factor_ * woe * self.coef_
        table = points.add_prefix("points_")
        table["score"] = self.offset_ - self.factor_ * self.intercept_ + points.sum(axis=1)
        table["pd"] = self.points_to_pd(table["score"])
        unseen = self.binner_.unseen_mask(X, self.selected_variables_)
        table["n_unseen"] = unseen.sum(axis=1).astype(int)
        names = np.array(self.selected_variables_, dtype=object)
        table["unseen_variables"] = [", ".join(names[row]) for row in unseen.to_numpy()]
        return table


def _observed_rows(y) -> np.ndarray:
    series = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y, dtype=object))
    return ~series.isna().to_numpy()


def _bad_flags(y, observed: np.ndarray, bad_value) -> np.ndarray:
    values = np.asarray(y, dtype=object)[observed]
    return np.asarray(values == bad_value, dtype=bool)


def check_variables(frame: pd.DataFrame, variables) -> list:
    """Return ``variables`` as a list, raising RiskDataError for absent columns."""
    absent = [name for name in variables if name not in frame.columns]
    if absent:
        raise RiskDataError("risk.error.missing_columns", columns=format_values(absent),
                            available=format_values([str(c) for c in frame.columns]))
    return list(variables)
