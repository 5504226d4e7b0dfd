"""Weight of evidence (WoE) and information value (IV) binning for credit scorecards.

Sign convention: ``WoE = ln(%good / %bad)``, where %good is the bin's share of all
goods and %bad its share of all bads. A positive WoE marks a bin safer than the
sample, a negative WoE a riskier one. ``IV = sum over bins of (%good - %bad) * WoE``.

Numeric variables start from fine quantile bins (``n_prebins``), merge bins
smaller than ``min_bin_share`` of the rows into a neighbour, then merge adjacent
bins until WoE is monotonic in the variable. Categorical variables get one bin per
category, with rare categories pooled. Missing values get their own bin, and so
does each configured special value (for example -999 or 9999).

A bin with no goods or no bads would have an infinite WoE. Such a bin gets 0.5
added to both its good and bad count (``smoothing``), and the shares are then
taken over the adjusted totals, so they still sum to one. Bins that have both
goods and bads are left unchanged, so a table without empty cells gives the
textbook figures exactly.

Why not optbinning: optbinning is the maintained reference library and adds
MIP/CP-optimal binning (bins chosen by a solver to maximise IV under monotonicity
and size constraints). It brings a solver stack (OR-Tools) that complicates an
offline install, and its heuristics for missing, special and unseen values are
not the rules this product has to document. The greedy merge here is short,
deterministic and easy to explain to a credit committee, at the cost of an IV
that can be slightly below the optimum.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from pfcrm_core.risk.exceptions import RiskDataError, format_values
from pfcrm_core.risk.target import encode_target

logger = logging.getLogger(__name__)

SMOOTHING = 0.5
MISSING_LABEL = "missing"
UNSEEN = -1
TRENDS = ("auto", "ascending", "descending")

# Conventional IV strength bands: upper bound (exclusive) and label.
IV_BANDS = ((0.02, "useless"), (0.1, "weak"), (0.3, "medium"), (0.5, "strong"),
            (math.inf, "very strong"))


def iv_strength(iv: float) -> str:
    """Return the conventional strength band of an information value.

    < 0.02 useless, 0.02-0.1 weak, 0.1-0.3 medium, 0.3-0.5 strong, >= 0.5 very
    strong (often a sign of a variable that leaks the outcome, so check it).
    """
    for upper, label in IV_BANDS:
        if iv < upper:
            return label
    return IV_BANDS[-1][1]


def woe_iv(good, bad, smoothing: float = SMOOTHING) -> tuple[np.ndarray, np.ndarray]:
    """Compute the WoE and the IV contribution of each bin from its counts.

    Parameters
    ----------
    good, bad : array-like of float
        Number of goods and bads in each bin.
    smoothing : float, default 0.5
        Added to both counts of a bin that has no goods or no bads.

    Returns
    -------
    woe : numpy.ndarray
        ``ln(%good / %bad)`` per bin.
    iv : numpy.ndarray
        ``(%good - %bad) * woe`` per bin; the variable's IV is the sum.
    """
    good = np.asarray(good, dtype=float)
    bad = np.asarray(bad, dtype=float)
    empty = (good == 0) | (bad == 0)
    good = np.where(empty, good + smoothing, good)
    bad = np.where(empty, bad + smoothing, bad)
    share_good = good / good.sum()
    share_bad = bad / bad.sum()
    woe = np.log(share_good / share_bad)
    return woe, (share_good - share_bad) * woe


@dataclass
class VariableBinning:
    """The fitted bins of one variable.

    Bin codes are 0..n-1 in the order of ``labels``: regular bins first, then one
    bin per special value seen, then the missing bin when there were missing
    values.

    Attributes
    ----------
    name : str
        Column name.
    kind : {"numeric", "categorical"}
    labels : list of str
        Display label of each bin.
    woe : numpy.ndarray
        WoE of each bin.
    table : pandas.DataFrame
        One row per bin: bin, count, share, good, bad, bad_rate, woe, iv.
    iv : float
        Information value of the variable.
    cuts : numpy.ndarray
        Numeric variables: interior cut points; regular bin i is
        ``(cuts[i-1], cuts[i]]``.
    categories : dict
        Categorical variables: category -> bin code.
    special_codes : dict
        Special value -> bin code, for the special values seen at fitting.
    missing_code : int or None
        Bin code of missing values, None when none were seen at fitting.
    trend : str
        "ascending" or "descending" WoE for numeric variables, "" otherwise.
    excluded : bool
        True when the variable cannot be used (every value missing).
    note : str
        Why the variable was excluded or changed, empty otherwise.
    """

    name: str
    kind: str
    labels: list
    woe: np.ndarray
    table: pd.DataFrame
    iv: float
    cuts: np.ndarray = field(default_factory=lambda: np.array([]))
    categories: dict = field(default_factory=dict)
    special_codes: dict = field(default_factory=dict)
    missing_code: int | None = None
    trend: str = ""
    excluded: bool = False
    note: str = ""

    @property
    def worst_woe(self) -> float:
        """The lowest WoE of the variable: the value given to an unseen category."""
        return float(self.woe.min())

    def assign(self, values: pd.Series, special_values=()) -> np.ndarray:
        """Return the bin code of each value, ``UNSEEN`` (-1) for a value no bin has.

        Unseen values are categories not met at fitting, missing or special values
        when the fitting sample had none, and text in a numeric variable.
        """
        if self.kind == "numeric":
            return self._assign_numeric(values, special_values)
        return self._assign_categorical(values, special_values)

    def _assign_numeric(self, values: pd.Series, special_values) -> np.ndarray:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        raw_missing = values.isna().to_numpy()
        codes = np.searchsorted(self.cuts, numbers, side="left").astype(np.int64)
        codes[np.isnan(numbers) & ~raw_missing] = UNSEEN
        codes[raw_missing] = UNSEEN if self.missing_code is None else self.missing_code
        if len(special_values):
            is_special = np.isin(numbers, np.asarray(special_values, dtype=float))
            for value in np.unique(numbers[is_special]):
                code = self.special_codes.get(float(value), UNSEEN)
                codes[numbers == value] = code
        return codes

    def _assign_categorical(self, values: pd.Series, special_values) -> np.ndarray:
        mapping = dict(self.categories)
        for value, code in self.special_codes.items():
            mapping[value] = code
        codes = values.astype(object).map(mapping)
        codes = pd.to_numeric(codes, errors="coerce").to_numpy(dtype=float)
        codes = np.where(np.isnan(codes), UNSEEN, codes).astype(np.int64)
        missing = values.isna().to_numpy()
        codes[missing] = UNSEEN if self.missing_code is None else self.missing_code
        return codes


class WoEBinner(TransformerMixin, BaseEstimator):
    """Bin variables and replace each value by the WoE of its bin.

    Parameters
    ----------
    variables : list of str, optional
        Columns to bin; default every column of ``X``.
    categorical : list of str, optional
        Columns to bin by category even when numeric. Columns of a non-numeric
        dtype (text, category, bool) are always categorical.
    bad_value : object, optional
        The target label that means default; default 1 with 0/1 or boolean labels.
    n_prebins : int, default 20
        Number of quantile bins a numeric variable starts from.
    min_bin_share : float, default 0.05
        Minimum share of the rows in each regular bin (missing and special bins
        are kept whatever their size).
    monotonic_trend : {"auto", "ascending", "descending"}, default "auto"
        Direction of WoE in a numeric variable. "auto" bins both ways and keeps
        the one with the higher IV, or on a tie the sign of the Spearman
        correlation between the variable and goodness.
    special_values : sequence, default ()
        Codes that are not measurements (for example -999 or 9999); each one
        seen gets its own bin.
    rare_category_share : float, optional
        Categories below this share of the rows are pooled into one bin; default
        ``min_bin_share``.
    smoothing : float, default 0.5
        Added to both counts of a bin with no goods or no bads.

    Attributes
    ----------
    binnings_ : dict of str to VariableBinning
    variables_ : list of str
        Binned columns, in input order.
    iv_ : pandas.Series
        IV per variable.
    notes_ : list of str
        Variables excluded or changed, with the reason.
    n_samples_, n_bad_, n_target_missing_ : int
        Rows with a target, bads among them, and rows left out for a missing target.
    bad_value_ : object
        The label taken as bad.
    """

    def __init__(self, variables=None, categorical=None, bad_value=None,
                 n_prebins: int = 20, min_bin_share: float = 0.05,
                 monotonic_trend: str = "auto", special_values=(),
                 rare_category_share: float | None = None,
                 smoothing: float = SMOOTHING):
        self.variables = variables
        self.categorical = categorical
        self.bad_value = bad_value
        self.n_prebins = n_prebins
        self.min_bin_share = min_bin_share
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.rare_category_share = rare_category_share
        self.smoothing = smoothing

    def fit(self, X: pd.DataFrame, y, **fit_params) -> "WoEBinner":
        """Fit the bins of every variable on ``X`` and the binary target ``y``.

        Raises
        ------
        RiskDataError
            When ``X`` lacks a requested column, or the target is not binary (see
            ``encode_target``).
        ValueError
            When a setting is out of range.
        """
        self._check_settings()
        variables = _check_frame(X, self.variables, len(y))
        target = encode_target(y, self.bad_value, name=getattr(y, "name", None))
        rows = target.observed
        bad = target.is_bad[rows]
        categorical = set(self.categorical or ())

        self.binnings_ = {}
        self.notes_ = []
        for name in variables:
            values = X[name][rows].reset_index(drop=True)
            binning = self._fit_variable(name, values, bad, name in categorical)
            if binning.note:
                self.notes_.append(f"{name}: {binning.note}")
            self.binnings_[name] = binning

        self.variables_ = list(variables)
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object)
        self.iv_ = pd.Series({n: b.iv for n, b in self.binnings_.items()}, name="iv")
        self.n_samples_ = int(rows.sum())
        self.n_bad_ = int(bad.sum())
        self.n_target_missing_ = target.n_missing
        self.bad_value_ = target.bad_value
        return self

    def _check_settings(self) -> None:
        if self.monotonic_trend not in TRENDS:
            raise ValueError(f"monotonic_trend must be one of {', '.join(TRENDS)}; "
                             f"got {self.monotonic_trend!r}")
        if not 0 <= self.min_bin_share < 0.5:
            raise ValueError(f"min_bin_share must be in [0, 0.5); got "
                             f"{self.min_bin_share!r}")
        if int(self.n_prebins) < 2:
            raise ValueError(f"n_prebins must be at least 2; got {self.n_prebins!r}")
        if self.smoothing <= 0:
            raise ValueError(f"smoothing must be > 0; got {self.smoothing!r}")

    def _fit_variable(self, name: str, values: pd.Series, bad: np.ndarray,
                      force_categorical: bool) -> VariableBinning:
        if values.isna().all():
            return _all_missing_binning(name, len(values), bad)
        numeric = (pd.api.types.is_numeric_dtype(values)
                   and not pd.api.types.is_bool_dtype(values))
        if numeric and not force_categorical:
            return self._fit_numeric(name, values, bad)
        return self._fit_categorical(name, values, bad)

    # -- numeric variables ---------------------------------------------------

    def _fit_numeric(self, name: str, values: pd.Series,
                     bad: np.ndarray) -> VariableBinning:
        numbers = values.to_numpy(dtype=float)
        missing = np.isnan(numbers)
        specials = np.asarray(self.special_values, dtype=float)
        special = np.isin(numbers, specials) & ~missing
        regular = ~missing & ~special
        min_count = self.min_bin_share * len(numbers)

        cuts = np.array([])
        good_counts = bad_counts = np.array([])
        trend = ""
        if regular.any():
            x, b = numbers[regular], bad[regular]
            cuts, good_counts, bad_counts = _prebins(x, b, int(self.n_prebins))
            cuts, good_counts, bad_counts = _merge_small(cuts, good_counts, bad_counts,
                                                         min_count)
            cuts, good_counts, bad_counts, trend = self._monotonic(
                x, b, cuts, good_counts, bad_counts)

        labels = _interval_labels(cuts) if regular.any() else []
        special_codes = {}
        for value in np.unique(numbers[special]):
            special_codes[float(value)] = len(labels)
            labels.append(f"special: {value:g}")
            good_counts = np.append(good_counts, np.sum(~bad[numbers == value]))
            bad_counts = np.append(bad_counts, np.sum(bad[numbers == value]))
        missing_code = None
        if missing.any():
            missing_code = len(labels)
            labels.append(MISSING_LABEL)
            good_counts = np.append(good_counts, np.sum(~bad[missing]))
            bad_counts = np.append(bad_counts, np.sum(bad[missing]))

        woe, table, iv = self._table(labels, good_counts, bad_counts)
        return VariableBinning(name=name, kind="numeric", labels=labels, woe=woe,
                               table=table, iv=iv, cuts=cuts,
                               special_codes=special_codes, missing_code=missing_code,
                               trend=trend)

    def _monotonic(self, x, b, cuts, good_counts, bad_counts):
        if self.monotonic_trend != "auto":
            return (*_merge_monotonic(cuts, good_counts, bad_counts,
                                      self.monotonic_trend, self.smoothing),
                    self.monotonic_trend)

        fits = {}
        for trend in ("ascending", "descending"):
            merged = _merge_monotonic(cuts, good_counts, bad_counts, trend,
                                      self.smoothing)
            fits[trend] = (merged, woe_iv(merged[1], merged[2], self.smoothing)[1].sum())
        iv_up, iv_down = fits["ascending"][1], fits["descending"][1]
        if np.isclose(iv_up, iv_down, rtol=1e-12, atol=1e-12):
            trend = "ascending" if _goodness_correlation(x, b) >= 0 else "descending"
        else:
            trend = "ascending" if iv_up > iv_down else "descending"
        return (*fits[trend][0], trend)

    # -- categorical variables -------------------------------------------------

    def _fit_categorical(self, name: str, values: pd.Series,
                         bad: np.ndarray) -> VariableBinning:
        missing = values.isna().to_numpy()
        special_list = list(self.special_values)
        special = values.isin(special_list).to_numpy() & ~missing if special_list \
            else np.zeros(len(values), dtype=bool)
        regular = ~missing & ~special
        rare_share = (self.min_bin_share if self.rare_category_share is None
                      else self.rare_category_share)

        groups, note = _category_groups(values[regular], bad[regular], len(values),
                                        rare_share, self.min_bin_share)
        labels, categories = [], {}
        good_counts, bad_counts = [], []
        for label, members in groups:
            code = len(labels)
            labels.append(label)
            categories.update({member: code for member in members})
            in_group = values.isin(members).to_numpy() & regular
            good_counts.append(np.sum(~bad[in_group]))
            bad_counts.append(np.sum(bad[in_group]))

        special_codes = {}
        for value in pd.unique(values[special]):
            special_codes[value] = len(labels)
            labels.append(f"special: {value}")
            is_value = (values == value).to_numpy()
            good_counts.append(np.sum(~bad[is_value]))
            bad_counts.append(np.sum(bad[is_value]))
        missing_code = None
        if missing.any():
            missing_code = len(labels)
            labels.append(MISSING_LABEL)
            good_counts.append(np.sum(~bad[missing]))
            bad_counts.append(np.sum(bad[missing]))

        woe, table, iv = self._table(labels, good_counts, bad_counts)
        return VariableBinning(name=name, kind="categorical", labels=labels, woe=woe,
                               table=table, iv=iv, categories=categories,
                               special_codes=special_codes, missing_code=missing_code,
                               note=note)

    def _table(self, labels, good_counts, bad_counts):
        good = np.asarray(good_counts, dtype=float)
        bad = np.asarray(bad_counts, dtype=float)
        woe, iv_parts = woe_iv(good, bad, self.smoothing)
        count = good + bad
        table = pd.DataFrame({
            "bin": labels,
            "count": count.astype(np.int64),
            "share": count / count.sum(),
            "good": good.astype(np.int64),
            "bad": bad.astype(np.int64),
            "bad_rate": bad / count,
            "woe": woe,
            "iv": iv_parts,
        })
        return woe, table, float(iv_parts.sum())

    # -- transform ---------------------------------------------------------------

    def assign_bins(self, X: pd.DataFrame, variables=None) -> pd.DataFrame:
        """Return the bin code of each value of each variable (-1 where unseen).

        ``variables`` limits the columns (default ``variables_``); only those must
        be in ``X``.
        """
        check_is_fitted(self, "binnings_")
        names = self._fitted_names(variables)
        _check_frame(X, names, None)
        codes = {name: self.binnings_[name].assign(X[name], self.special_values)
                 for name in names}
        return pd.DataFrame(codes, index=X.index)

    def transform(self, X: pd.DataFrame, variables=None) -> pd.DataFrame:
        """Replace each value by the WoE of its bin.

        A value no bin has (an unseen category, or a missing or special value when
        fitting saw none) gets the variable's worst (lowest) WoE, the conservative
        choice. ``unseen_mask`` flags those cells. ``variables`` limits the
        columns, as in ``assign_bins``.
        """
        codes = self.assign_bins(X, variables)
        return pd.DataFrame({name: self._woe_of(name, codes[name].to_numpy())
                             for name in codes.columns}, index=X.index)

    def _fitted_names(self, variables) -> list:
        names = self.variables_ if variables is None else list(variables)
        unknown = [name for name in names if name not in self.binnings_]
        if unknown:
            raise RiskDataError("risk.error.unknown_variable",
                                variable=format_values(unknown),
                                available=format_values(self.variables_))
        return names

    def _woe_of(self, name: str, codes: np.ndarray) -> np.ndarray:
        binning = self.binnings_[name]
        woe = binning.woe[np.where(codes == UNSEEN, 0, codes)]
        return np.where(codes == UNSEEN, binning.worst_woe, woe)

    def unseen_mask(self, X: pd.DataFrame, variables=None) -> pd.DataFrame:
        """Return True where a value fell in no fitted bin and got the worst WoE."""
        return self.assign_bins(X, variables) == UNSEEN

    # -- reports ------------------------------------------------------------------

    def binning_table(self, variable: str | None = None) -> pd.DataFrame:
        """Return the bins of one variable, or of all of them with a variable column."""
        check_is_fitted(self, "binnings_")
        names = self._fitted_names(None if variable is None else [variable])
        tables = [self.binnings_[n].table.assign(variable=n) for n in names]
        table = pd.concat(tables, ignore_index=True)
        return table[["variable", *tables[0].columns.drop("variable")]]

    def iv_table(self) -> pd.DataFrame:
        """Return the IV of every variable, highest first, with its strength band."""
        check_is_fitted(self, "binnings_")
        rows = [{"variable": n, "iv": b.iv, "strength": iv_strength(b.iv),
                 "kind": b.kind, "n_bins": len(b.labels), "trend": b.trend,
                 "excluded": b.excluded, "note": b.note}
                for n, b in self.binnings_.items()]
        table = pd.DataFrame(rows)
        return table.sort_values("iv", ascending=False, kind="stable",
                                 ignore_index=True)


def _check_frame(X, variables, n_rows: int | None) -> list:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame with named columns; got "
                        f"{type(X).__name__}")
    if n_rows is not None and len(X) != n_rows:
        raise ValueError(f"X has {len(X)} rows but y has {n_rows}; pass one target "
                         f"per row")
    wanted = list(X.columns) if variables is None else list(variables)
    absent = [name for name in wanted if name not in X.columns]
    if absent:
        raise RiskDataError("risk.error.missing_columns", columns=format_values(absent),
                            available=format_values([str(c) for c in X.columns]))
    return wanted


def _all_missing_binning(name: str, n_rows: int, bad: np.ndarray) -> VariableBinning:
    table = pd.DataFrame({"bin": [MISSING_LABEL], "count": [n_rows], "share": [1.0],
                          "good": [int(np.sum(~bad))], "bad": [int(np.sum(bad))],
                          "bad_rate": [float(np.mean(bad))], "woe": [0.0],
                          "iv": [0.0]})
    return VariableBinning(name=name, kind="numeric", labels=[MISSING_LABEL],
                           woe=np.array([0.0]), table=table, iv=0.0, missing_code=0,
                           excluded=True,
                           note="every value is missing; excluded from the model "
                                "with IV 0")


def _prebins(x: np.ndarray, bad: np.ndarray, n_prebins: int):
    quantiles = np.linspace(0, 1, n_prebins + 1)[1:-1]
    cuts = np.unique(np.quantile(x, quantiles, method="inverted_cdf"))
    codes = np.searchsorted(cuts, x, side="left")
    size = len(cuts) + 1
    bad_counts = np.bincount(codes, weights=bad, minlength=size)
    good_counts = np.bincount(codes, minlength=size) - bad_counts

    # Drop empty bins (for example above a cut at the maximum value).
    keep = (good_counts + bad_counts) > 0
    while not keep.all():
        i = int(np.flatnonzero(~keep)[0])
        cuts = np.delete(cuts, i - 1 if i > 0 else 0)
        good_counts, bad_counts = np.delete(good_counts, i), np.delete(bad_counts, i)
        keep = np.delete(keep, i)
    return cuts, good_counts, bad_counts


def _merge(cuts, good_counts, bad_counts, i: int):
    """Merge regular bin ``i`` with bin ``i + 1``."""
    good_counts = good_counts.copy()
    bad_counts = bad_counts.copy()
    good_counts[i] += good_counts[i + 1]
    bad_counts[i] += bad_counts[i + 1]
    return (np.delete(cuts, i), np.delete(good_counts, i + 1),
            np.delete(bad_counts, i + 1))


def _merge_small(cuts, good_counts, bad_counts, min_count: float):
    while len(good_counts) > 1:
        counts = good_counts + bad_counts
        i = int(np.argmin(counts))
        if counts[i] >= min_count:
            break
        if i == 0:
            neighbour = 1
        elif i == len(counts) - 1:
            neighbour = i - 1
        else:
            # The neighbour with the closer bad rate, so the merge loses least.
            rates = bad_counts / counts
            left, right = abs(rates[i] - rates[i - 1]), abs(rates[i] - rates[i + 1])
            neighbour = i - 1 if left <= right else i + 1
        cuts, good_counts, bad_counts = _merge(cuts, good_counts, bad_counts,
                                               min(i, neighbour))
    return cuts, good_counts, bad_counts


def _merge_monotonic(cuts, good_counts, bad_counts, trend: str, smoothing: float):
    """Merge adjacent bins at the first WoE reversal until WoE follows ``trend``."""
    sign = 1.0 if trend == "ascending" else -1.0
    while len(good_counts) > 1:
        woe, _ = woe_iv(good_counts, bad_counts, smoothing)
        reversals = np.flatnonzero(sign * np.diff(woe) < 0)
        if reversals.size == 0:
            break
        cuts, good_counts, bad_counts = _merge(cuts, good_counts, bad_counts,
                                               int(reversals[0]))
    return cuts, good_counts, bad_counts


def _goodness_correlation(x: np.ndarray, bad: np.ndarray) -> float:
    if np.ptp(x) == 0:
        return 0.0
    rho = spearmanr(x, ~bad).statistic
    return 0.0 if np.isnan(rho) else float(rho)


def _interval_labels(cuts: np.ndarray) -> list:
    edges = ["-inf", *(f"{c:.6g}" for c in cuts), "inf"]
    labels = [f"({lo}, {hi}]" for lo, hi in zip(edges[:-1], edges[1:])]
    labels[-1] = labels[-1][:-1] + ")"
    return labels


def _category_groups(values: pd.Series, bad: np.ndarray, n_rows: int,
                     rare_share: float, min_share: float):
    """Return (label, categories) per bin, pooling categories below ``rare_share``."""
    if values.empty:
        return [], ""
    frame = pd.DataFrame({"value": values.to_numpy(dtype=object), "bad": bad})
    stats = frame.groupby("value", sort=True)["bad"].agg(["size", "mean"])
    rare = stats["size"] / n_rows < rare_share
    groups = [(str(value), [value]) for value in stats.index[~rare]]
    if not rare.any():
        return groups, ""

    rare_values = list(stats.index[rare])
    noun = "category" if len(rare_values) == 1 else "categories"
    note = f"pooled {len(rare_values)} rare {noun} into one bin"
    if len(rare_values) == 1 and not groups:
        return [(str(rare_values[0]), rare_values)], ""
    label = "rare: " + ", ".join(str(v) for v in rare_values[:5])
    if len(rare_values) > 5:
        label += f" and {len(rare_values) - 5} more"
    pooled_size = stats.loc[rare_values, "size"].sum()
    if pooled_size / n_rows >= min_share or not groups:
        return [*groups, (label, rare_values)], note

    # The pooled bin is still small: join it to the category with the closest bad
    # rate.
    pooled_rate = np.average(stats.loc[rare_values, "mean"],
                             weights=stats.loc[rare_values, "size"])
    common = stats[~rare]
    target = common.index[int(np.argmin(np.abs(common["mean"] - pooled_rate)))]
    merged = []
    for group_label, members in groups:
        if members == [target]:
            group_label = f"{group_label}, {label}"
            members = [target, *rare_values]
        merged.append((group_label, members))
    return merged, note + f" and joined it to {target!r}"
