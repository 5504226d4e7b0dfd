"""The scikit-learn preprocessing pipeline shared by every clustering method.

One ``ColumnTransformer`` with three branches:

- money columns (exposure, fee income, CLV): median imputation, then
  ``sign(x) * log1p(|x|)`` because money is heavily right-skewed (a few large
  relationships would otherwise set the clusters alone; the sign keeps a negative
  CLV negative), then ``StandardScaler``;
- other numeric columns (rating notch, P(alive), NPS): median imputation, then
  ``StandardScaler``;
- categorical columns (client type, sector, region): most-frequent imputation, then
  ``OneHotEncoder(handle_unknown="ignore")``, so a category first seen after the fit
  encodes as all zeros. The 0/1 columns are not scaled.

Columns with at most one distinct value (constant or all missing) are dropped
before the fit, with a note, because they carry no information and an all-missing
column cannot be imputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from pfcrm_core.segmentation.errors import Note, SegmentationError

MONEY_FEATURES = ("exposure_usd", "fee_income_12m_usd", "clv")
NUMERIC_FEATURES = ("rating_notch", "p_alive", "nps")
CATEGORICAL_FEATURES = ("client_type", "sector", "region")


@dataclass
class ColumnPlan:
    """The columns that enter the pipeline, by branch, and what was left out.

    Attributes
    ----------
    money, numeric, categorical : list of str
        Columns of each branch after dropping constant ones.
    imputed_share : pandas.Series
        Share of missing (hence imputed) values of each used column, in [0, 1].
    dropped : dict of str to str
        Dropped column to reason (``"constant"``, ``"all missing"`` or
        ``"not in the features"``).
    notes : list of Note
        One note per dropped column and one listing the imputed shares.
    """

    money: list[str]
    numeric: list[str]
    categorical: list[str]
    imputed_share: pd.Series
    dropped: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [*self.money, *self.numeric, *self.categorical]

    @property
    def numeric_columns(self) -> list[str]:
        return [*self.money, *self.numeric]


def signed_log1p(values):
    """Return ``sign(x) * log1p(|x|)``, elementwise."""
    values = np.asarray(values, dtype=float)
    return np.sign(values) * np.log1p(np.abs(values))


def plan_columns(frame: pd.DataFrame, *, money=MONEY_FEATURES,
                 numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES
                 ) -> ColumnPlan:
    """Choose the pipeline's columns from ``frame`` and report imputation.

    Columns absent from ``frame`` (CLV when no CLV table was given) are skipped,
    and constant or all-missing columns are dropped, each with a note.

    Raises
    ------
    SegmentationError
        When no usable column remains.
    """
    dropped: dict[str, str] = {}
    notes: list[Note] = []
    kept_columns = {"money": [], "numeric": [], "categorical": []}

    for branch, columns in (("money", money), ("numeric", numeric),
                            ("categorical", categorical)):
        for column in columns:
            reason = _drop_reason(frame, column)
            if reason is None:
                kept_columns[branch].append(column)
                continue
            dropped[column] = reason
            if reason != "not in the features":
                notes.append(_drop_note(frame, column, reason))

    used = [*kept_columns["money"], *kept_columns["numeric"],
            *kept_columns["categorical"]]
    if not used:
        raise SegmentationError("segmentation.error.no_usable_columns",
                                columns=", ".join(dropped))

    imputed_share = frame[used].isna().mean().astype(float)
    imputed = imputed_share[imputed_share > 0]
    shares = ", ".join(f"{name} {share:.1%}" for name, share in imputed.items())
    notes.append(Note("segmentation.note.imputed_shares",
                      {"shares": shares or "-", "count": int(len(imputed))}))
    return ColumnPlan(money=kept_columns["money"], numeric=kept_columns["numeric"],
                      categorical=kept_columns["categorical"],
                      imputed_share=imputed_share,
                      dropped=dropped, notes=notes)


def _drop_reason(frame: pd.DataFrame, column: str) -> str | None:
    if column not in frame:
        return "not in the features"
    distinct = frame[column].dropna().nunique()
    if distinct == 0:
        return "all missing"
    if distinct == 1:
        return "constant"
    return None


def _drop_note(frame: pd.DataFrame, column: str, reason: str) -> Note:
    if reason == "all missing":
        return Note("segmentation.note.dropped_all_missing", {"column": column})
    value = frame[column].dropna().iloc[0]
    value = value.item() if hasattr(value, "item") else value
    return Note("segmentation.note.dropped_constant",
                {"column": column, "value": str(value)})


def build_pipeline(plan: ColumnPlan) -> ColumnTransformer:
    """Return the unfitted preprocessing ``ColumnTransformer`` for ``plan``."""
    branches = []
    if plan.money:
        branches.append(("money", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("log", FunctionTransformer(signed_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]), plan.money))
    if plan.numeric:
        branches.append(("numeric", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
        ]), plan.numeric))
    if plan.categorical:
        branches.append(("categorical", Pipeline([
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]), plan.categorical))
    return ColumnTransformer(branches, remainder="drop")


def model_input(frame: pd.DataFrame, plan: ColumnPlan) -> pd.DataFrame:
    """Return the plan's columns of ``frame`` with the dtypes the pipeline expects.

    Numeric columns become float (missing as NaN) and categorical ones object
    (missing as NaN), so pandas' nullable dtypes do not reach scikit-learn. A plan
    column absent from ``frame`` (CLV at a date without a CLV table) is all NaN,
    so the pipeline imputes it with the value learned at fit time.
    """
    data = pd.DataFrame(index=frame.index)
    for column in plan.numeric_columns:
        values = frame[column] if column in frame else np.nan
        data[column] = pd.to_numeric(pd.Series(values, index=frame.index),
                                     errors="coerce").astype(float)
    for column in plan.categorical:
        values = frame[column].astype(object) if column in frame else \
            pd.Series(np.nan, index=frame.index, dtype=object)
        data[column] = values.where(values.notna(), np.nan).astype(object)
    return data
