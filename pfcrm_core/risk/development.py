"""Scorecard development in one call: split, fit, validate and report.

``develop_scorecard`` works on any table with a binary target (an upload, or the
store's development sample); ``develop_from_store`` builds that sample from the
store's credit history first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from pfcrm_core.risk import dataset
from pfcrm_core.risk.exceptions import RiskDataError, format_values
from pfcrm_core.risk.metrics import (calibration_table, discrimination, psi, psi_band,
                                     roc_table)
from pfcrm_core.risk.scorecard import Scorecard
from pfcrm_core.risk.target import encode_target

logger = logging.getLogger(__name__)


@dataclass
class ScorecardReport:
    """The fitted scorecard with its validation.

    Attributes
    ----------
    model : Scorecard
        Fitted on the training rows.
    target, bad_value : str, object
        Target column and the label taken as bad.
    variables : list of str
        Candidate variables; ``model.selected_variables_`` are those in the model.
    train, test : dict
        auc, gini, ks, n, n_bad of each sample; ``test`` is empty without a test
        sample.
    iv_table, scorecard_table, calibration : pandas.DataFrame
        IV per candidate variable; the points table; predicted against observed
        bad rate by PD decile on the test sample (training sample without one).
    score_psi : float
        PSI of the test scores against the training scores (NaN without a test
        sample): a check that the split is balanced, not a stability report.
    n_target_missing : int
        Rows left out because their target is missing.
    notes : list of str
        Variables left out or changed, and why.
    roc : pandas.DataFrame
        The ROC curve of the sample in ``calibration`` (test, else training):
        fpr, tpr and threshold (the PD cut-off), one row per distinct PD.
    """

    model: Scorecard
    target: str
    bad_value: object
    variables: list
    train: dict
    test: dict
    iv_table: pd.DataFrame
    scorecard_table: pd.DataFrame
    calibration: pd.DataFrame
    score_psi: float
    n_target_missing: int
    notes: list = field(default_factory=list)
    roc: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict:
        """Return the report as plain JSON-ready values.

        Top-level ``auc``, ``gini`` and ``ks`` are the test-sample figures, or the
        training figures when there is no test sample; ``iv`` maps each candidate
        variable to its information value.
        """
        headline = self.test or self.train
        return {
            "target": self.target,
            "bad_value": _plain(self.bad_value),
            "auc": headline["auc"],
            "gini": headline["gini"],
            "ks": headline["ks"],
            "train": self.train,
            "test": self.test,
            "iv": {row.variable: float(row.iv) for row in self.iv_table.itertuples()},
            "selected_variables": list(self.model.selected_variables_),
            "score_psi": None if np.isnan(self.score_psi) else self.score_psi,
            "n_target_missing": self.n_target_missing,
            "notes": list(self.notes),
            "iv_table": _records(self.iv_table),
            "scorecard": _records(self.scorecard_table),
            "calibration": _records(self.calibration),
        }

    def summary(self) -> str:
        """Return a few lines for a terminal: sample sizes and discrimination."""
        lines = [f"target {self.target!r}, bad = {self.bad_value!r}; "
                 f"{self.n_target_missing} rows without a target left out"]
        for name, metrics in (("train", self.train), ("test", self.test)):
            if metrics:
                lines.append(f"{name:5}  n={metrics['n']:>7,}  bad={metrics['n_bad']:>6,}  "
                             f"AUC={metrics['auc']:.3f}  Gini={metrics['gini']:.3f}  "
                             f"KS={metrics['ks']:.3f}")
        lines.append("variables: " + ", ".join(self.model.selected_variables_))
        return "\n".join(lines)


def develop_scorecard(frame: pd.DataFrame, target: str, bad_value=None,
                      variables=None, test_size: float = 0.3, random_state: int = 42,
                      groups: str | None = None, **scorecard_params) -> ScorecardReport:
    """Split a table, fit a scorecard on the training part and validate it.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per observation.
    target : str
        Binary target column.
    bad_value : object, optional
        The label in ``target`` that means default; required unless the labels are
        0/1 or booleans.
    variables : list of str, optional
        Candidate variables; default every column except ``target`` and
        ``groups``.
    test_size : float, default 0.3
        Share of rows (or of groups) held out for testing, stratified by the
        target; 0 fits on every row and reports training figures only.
    random_state : int, default 42
        Seed of the split.
    groups : str, optional
        Column whose values must not be split between train and test (for
        example ``client_id`` when a client has one row per year). The split
        then draws groups, stratified by whether the group has any bad.
    **scorecard_params
        Settings of ``Scorecard`` (for example ``categorical``, ``min_iv``,
        ``special_values``, ``base_points``, ``base_odds``, ``pdo``).

    Raises
    ------
    RiskDataError
        When a column is missing, the target is not binary, or a sample lacks
        goods or bads.
    """
    if not 0 <= test_size < 1:
        raise ValueError(f"test_size must be in [0, 1); got {test_size!r}")
    _require_columns(frame, [target] + ([groups] if groups else []))
    if variables is None:
        variables = [c for c in frame.columns if c not in (target, groups)]
    _require_columns(frame, variables)

    # Encode once: rows without a target are left out before the split.
    encoded = encode_target(frame[target], bad_value, name=target)
    rows = frame[encoded.observed].reset_index(drop=True)
    y = encoded.is_bad[encoded.observed].astype(int)
    train_index, test_index = _split(rows, y, test_size, random_state, groups)

    model = Scorecard(variables=list(variables), **scorecard_params)
    model.fit(rows.iloc[train_index], y[train_index])
    logger.info("scorecard fitted on %d rows with %d variables", len(train_index),
                len(model.selected_variables_))

    train_pd = model.predict_pd(rows.iloc[train_index])
    train = discrimination(y[train_index], train_pd)
    test, score_psi = {}, float("nan")
    calibration = calibration_table(y[train_index], train_pd)
    roc = roc_table(y[train_index], train_pd)
    if len(test_index):
        test_pd = model.predict_pd(rows.iloc[test_index])
        test = discrimination(y[test_index], test_pd)
        calibration = calibration_table(y[test_index], test_pd)
        roc = roc_table(y[test_index], test_pd)
        score_psi = psi(model.score_points(rows.iloc[train_index]),
                        model.score_points(rows.iloc[test_index]))

    notes = list(model.notes_)
    if not np.isnan(score_psi) and psi_band(score_psi) != "stable":
        notes.append(f"train and test scores differ (PSI {score_psi:.3f}); the split "
                     f"may be unbalanced")
    return ScorecardReport(
        model=model, target=target, bad_value=encoded.bad_value,
        variables=list(variables), train=train, test=test,
        iv_table=model.binner_.iv_table(), scorecard_table=model.scorecard_table_,
        calibration=calibration, score_psi=score_psi,
        n_target_missing=encoded.n_missing, notes=notes, roc=roc)


def develop_from_store(source, test_size: float = 0.3, random_state: int = 42,
                       **scorecard_params) -> ScorecardReport:
    """Develop a scorecard on the store's credit history.

    Builds ``dataset.build_development_sample`` (one row per client and year-end,
    target ``default_12m``) and calls ``develop_scorecard`` with the standard
    features, client_type, sector and region as categorical, and the split drawn
    by client so that no client is in both samples.

    Parameters
    ----------
    source : Store or mapping of str to DataFrame
    test_size, random_state, **scorecard_params
        As for ``develop_scorecard``.
    """
    sample = dataset.build_development_sample(source)
    params = {"categorical": list(dataset.CATEGORICAL_FEATURES), **scorecard_params}
    return develop_scorecard(sample, dataset.TARGET, bad_value=True,
                             variables=list(dataset.FEATURES), test_size=test_size,
                             random_state=random_state, groups="client_id", **params)


def _require_columns(frame: pd.DataFrame, columns) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise RiskDataError("risk.error.missing_columns", columns=format_values(absent),
                            available=format_values([str(c) for c in frame.columns]))


def _split(rows: pd.DataFrame, y: np.ndarray, test_size: float, random_state: int,
           groups: str | None) -> tuple[np.ndarray, np.ndarray]:
    positions = np.arange(len(rows))
    if test_size == 0:
        return positions, np.array([], dtype=int)
    if groups is None:
        return train_test_split(positions, test_size=test_size, stratify=y,
                                random_state=random_state)

    # Draw whole groups, stratified by whether the group ever has a bad.
    any_bad = pd.Series(y).groupby(rows[groups].to_numpy()).max()
    train_groups, test_groups = train_test_split(
        any_bad.index.to_numpy(), test_size=test_size, stratify=any_bad.to_numpy(),
        random_state=random_state)
    in_test = rows[groups].isin(set(test_groups)).to_numpy()
    return positions[~in_test], positions[in_test]


def _records(table: pd.DataFrame) -> list:
    clean = table.astype(object).where(table.notna(), None)
    return [{k: _plain(v) for k, v in row.items()} for row in clean.to_dict("records")]


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value
