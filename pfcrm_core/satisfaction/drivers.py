"""Key-driver analysis: which client attributes and rated aspects move NPS.

The unit of analysis is one survey response (the latest per client per cycle, see
``metrics.latest_per_cycle``) joined to the attributes of its client. Two models:

- ``target="nps"``: ordinary least squares of the 0..10 score on the drivers.
- ``target="promoter"``: logistic regression of the promoter flag (score 9 or 10),
  fitted by Newton-Raphson (iteratively reweighted least squares).

Standard errors are computed here with numpy, because statsmodels is not a
dependency. With ``cluster=True`` (the default) they are cluster-robust by client
(the CR1 sandwich estimator), because responses of one client share its attributes
and are not independent: ``V = c · B⁻¹ (Σ_g s_g s_gᵀ) B⁻¹`` with ``B = XᵀX`` (OLS)
or ``XᵀWX`` (logistic), ``s_g`` the summed score contributions ``x_i·e_i`` of
client g, and ``c = G/(G-1) · (N-1)/(N-K)``. P-values use the t distribution with
G-1 degrees of freedom (OLS, clustered), N-K (OLS, classical) or the normal
distribution (logistic). With ``cluster=False`` OLS uses ``s²(XᵀX)⁻¹`` and the
logistic model the inverse Fisher information.

Categorical drivers are one-hot coded against their most frequent level, which
is the reference that each level's coefficient is compared with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from pfcrm_core import schema
from pfcrm_core.satisfaction.errors import Note, SatisfactionError, require_columns
from pfcrm_core.satisfaction.metrics import latest_per_cycle
from pfcrm_core.segmentation.features import build_features

logger = logging.getLogger(__name__)

TARGETS = ("nps", "promoter")
DEFAULT_CATEGORICAL = ("client_type", "region", "sector")
DEFAULT_NUMERIC = ("tenure_years", "rating_notch", "log_exposure_musd",
                   "interactions_12m")
RARE_LEVEL = "other"

# Importance-performance quadrants (Martilla and James, 1977), by whether an
# aspect's importance and performance lie above the median of the aspects.
QUADRANTS = {(True, False): "concentrate_here", (True, True): "keep_up",
             (False, False): "low_priority", (False, True): "possible_overkill"}


@dataclass
class DriverResult:
    """A fitted key-driver model.

    Attributes
    ----------
    target : str
        ``"nps"`` (OLS on the score) or ``"promoter"`` (logistic on the flag).
    coefficients : pandas.DataFrame
        One row per term: ``term``, ``variable``, ``level`` (categorical level or
        empty), ``coefficient`` (score points, or log-odds for the logistic model,
        per unit of the driver), ``std_error``, ``statistic`` (t or z),
        ``p_value``, ``ci_low``, ``ci_high`` (95 %) and ``std_coefficient``
        (change in the target, in its standard deviations for OLS or in log-odds
        for the logistic model, per standard deviation of the driver).
    importance_performance : pandas.DataFrame
        Per rated aspect: ``aspect``, ``importance`` (absolute standardised
        coefficient), ``performance`` (mean response rescaled to 0..100 over the
        observed range), ``mean``, ``p_value`` and ``quadrant``. Empty without
        aspects.
    n : int
        Responses used.
    n_clients : int
        Distinct clients among them.
    fit_statistic : float
        R² (OLS) or McFadden's pseudo-R² (logistic).
    notes : list of Note
        Rows dropped for missing values, merged rare levels, non-convergence.
    """

    target: str
    coefficients: pd.DataFrame
    importance_performance: pd.DataFrame
    n: int
    n_clients: int
    fit_statistic: float
    notes: list[Note] = field(default_factory=list)


def client_attributes(store_or_frames, *, as_of=None) -> pd.DataFrame:
    """Build the client attributes that ``fit_drivers`` uses by default.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
        The book, as for ``segmentation.build_features``; ``interactions`` is read
        too when present.
    as_of : date-like, optional
        Date of the attributes; default the latest date in the book.

    Returns
    -------
    pandas.DataFrame
        One row per client with ``client_id``, ``client_type``, ``region``,
        ``sector``, ``tenure_years`` (years since ``relationship_since``),
        ``rating_notch`` (1 = AAA .. 22 = default), ``exposure_usd`` (live deal
        amounts), ``log_exposure_musd`` (``log1p`` of exposure in USD millions),
        ``revenue_12m_usd``, ``frequency_12m``, ``recency_days`` and
        ``interactions_12m`` (interactions in the 12 months to ``as_of``).
    """
    features = build_features(store_or_frames, as_of=as_of)
    frame = features.frame.copy()
    as_of = features.as_of
    clients = _table(store_or_frames, "clients").set_index("client_id")
    since = pd.to_datetime(clients["relationship_since"]).reindex(frame.index)
    frame["tenure_years"] = (as_of - since).dt.days / 365.25
    frame["log_exposure_musd"] = np.log1p(frame["exposure_usd"] / 1e6)

    interactions = _table(store_or_frames, "interactions")
    if interactions is None or interactions.empty:
        frame["interactions_12m"] = 0.0
    else:
        dates = pd.to_datetime(interactions["date"])
        recent = interactions[(dates <= as_of)
                              & (dates > as_of - pd.DateOffset(months=12))]
        counts = recent.groupby("client_id").size()
        frame["interactions_12m"] = counts.reindex(frame.index).fillna(0).astype(float)
    columns = ["client_type", "region", "sector", "tenure_years", "rating_notch",
               "exposure_usd", "log_exposure_musd", "revenue_12m_usd",
               "frequency_12m", "recency_days", "interactions_12m"]
    return frame[columns].rename_axis("client_id").reset_index()


def _table(store_or_frames, name: str) -> pd.DataFrame | None:
    if isinstance(store_or_frames, dict):
        return store_or_frames.get(name)
    return store_or_frames.read_table(name)


def fit_drivers(feedback: pd.DataFrame, attributes: pd.DataFrame | None = None, *,
                target: str = "nps", categorical=None, numeric=None, aspects=None,
                cycle: str | None = "quarter", cluster: bool = True,
                min_level_n: int = 10, confidence: float = 0.95) -> DriverResult:
    """Fit the key-driver regression of NPS on client attributes and rated aspects.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Canonical ``feedback`` columns plus any rated aspects as extra numeric
        columns.
    attributes : pandas.DataFrame, optional
        One row per client with ``client_id`` and attribute columns, such as
        ``client_attributes`` returns. Without it only aspects are used.
    target : {"nps", "promoter"}, default "nps"
        OLS on the score, or logistic regression on the promoter flag.
    categorical, numeric : list of str, optional
        Attribute columns to use. Defaults: those of ``DEFAULT_CATEGORICAL`` and
        ``DEFAULT_NUMERIC`` present in ``attributes``.
    aspects : list of str, optional
        Rated aspects (numeric feedback columns). Default: every numeric feedback
        column that is not a canonical column, so ``csat`` counts only when named.
    cycle : str or None, default "quarter"
        Survey cycle for ``metrics.latest_per_cycle``.
    cluster : bool, default True
        Cluster-robust standard errors by client (see the module docstring).
    min_level_n : int, default 10
        Categorical levels with fewer responses are merged into ``"other"``.
    confidence : float, default 0.95
        Level of the coefficient intervals.

    Raises
    ------
    SatisfactionError
        On a bad ``target``, missing columns, no driver, or fewer responses than
        terms plus 10.
    """
    if target not in TARGETS:
        raise SatisfactionError("satisfaction.error.bad_target", value=target,
                                allowed=", ".join(TARGETS))
    require_columns(feedback, ["client_id", "date", "nps"], "feedback")
    notes: list[Note] = []
    data = _driver_data(feedback, attributes, cycle)
    categorical, numeric, aspects = _driver_columns(data, attributes, categorical,
                                                    numeric, aspects, feedback)
    data = _drop_missing(data, categorical + numeric + aspects + ["nps"], notes)

    X, terms = _design_matrix(data, categorical, numeric + aspects, min_level_n, notes)
    y = data["nps"].to_numpy(dtype=float)
    if target == "promoter":
        y = (y >= 9).astype(float)
    if len(y) < X.shape[1] + 10:
        raise SatisfactionError("satisfaction.error.too_few_responses", n=len(y),
                                needed=X.shape[1] + 10)

    groups = pd.factorize(data["client_id"])[0] if cluster else None
    fit = _ols(X, y, groups) if target == "nps" else _logit(X, y, groups, notes)
    coefficients = _coefficient_table(fit, X, y, terms, target, groups, confidence)
    ipa = importance_performance(coefficients, data, aspects)
    logger.info("fitted %s driver model on %d responses, %d terms", target, len(y),
                X.shape[1])
    return DriverResult(target=target, coefficients=coefficients,
                        importance_performance=ipa, n=len(y),
                        n_clients=int(data["client_id"].nunique()),
                        fit_statistic=fit["fit_statistic"], notes=notes)


def _driver_data(feedback, attributes, cycle) -> pd.DataFrame:
    responses = latest_per_cycle(feedback, cycle)
    if attributes is None:
        return responses.reset_index(drop=True)
    require_columns(attributes, ["client_id"], "attributes")
    extra = [c for c in attributes.columns if c not in responses.columns or
             c == "client_id"]
    return responses.merge(attributes[extra].drop_duplicates("client_id"),
                         on="client_id", how="left")


def _driver_columns(data, attributes, categorical, numeric, aspects, feedback):
    available = set(attributes.columns) if attributes is not None else set()
    if categorical is None:
        categorical = [c for c in DEFAULT_CATEGORICAL if c in available]
    if numeric is None:
        numeric = [c for c in DEFAULT_NUMERIC if c in available]
    if aspects is None:
        canonical = set(schema.FEEDBACK.column_names)
        aspects = [c for c in feedback.columns if c not in canonical
                   and pd.api.types.is_numeric_dtype(feedback[c])]
    columns = list(categorical) + list(numeric) + list(aspects)
    if not columns:
        raise SatisfactionError("satisfaction.error.no_drivers")
    require_columns(data, columns, "drivers")
    return list(categorical), list(numeric), list(aspects)


def _drop_missing(data: pd.DataFrame, columns: list[str], notes: list[Note]
                  ) -> pd.DataFrame:
    complete = data[columns].notna().all(axis=1)
    dropped = int((~complete).sum())
    if dropped:
        notes.append(Note("satisfaction.note.rows_dropped", {"count": dropped}))
    return data[complete].reset_index(drop=True)


def _design_matrix(data, categorical, numeric, min_level_n, notes):
    blocks = [np.ones((len(data), 1))]
    terms = [("intercept", "intercept", "")]
    for column in numeric:
        blocks.append(data[column].to_numpy(dtype=float)[:, None])
        terms.append((column, column, ""))
    for column in categorical:
        values = data[column].astype(str)
        counts = values.value_counts()
        rare = counts.index[counts < min_level_n]
        if len(rare):
            values = values.where(~values.isin(rare), RARE_LEVEL)
            notes.append(Note("satisfaction.note.rare_levels",
                              {"column": column, "levels": ", ".join(sorted(rare)),
                               "min_n": min_level_n}))
        counts = values.value_counts()
        reference = counts.index[0]
        for level in sorted(counts.index):
            if level == reference:
                continue
            blocks.append((values == level).to_numpy(dtype=float)[:, None])
            terms.append((f"{column}={level}", column, level))
    return np.hstack(blocks), terms


# -- estimators ---------------------------------------------------------------


def _ols(X: np.ndarray, y: np.ndarray, groups) -> dict:
    bread = np.linalg.pinv(X.T @ X)
    beta = bread @ X.T @ y
    residual = y - X @ beta
    n, k = X.shape
    total = ((y - y.mean()) ** 2).sum()
    r_squared = 1.0 - (residual ** 2).sum() / total if total > 0 else np.nan
    if groups is None:
        covariance = bread * (residual ** 2).sum() / (n - k)
        df = n - k
    else:
        covariance, g = _cluster_covariance(X, residual, bread, groups)
        df = g - 1
    return {"beta": beta, "covariance": covariance, "df": df,
            "fit_statistic": float(r_squared)}


def _logit(X: np.ndarray, y: np.ndarray, groups, notes: list[Note],
           max_iter: int = 100, tol: float = 1e-10) -> dict:
    beta = np.zeros(X.shape[1])
    converged = False
    for _ in range(max_iter):
        p = _sigmoid(X @ beta)
        weight = p * (1 - p)
        hessian = X.T @ (X * weight[:, None])
        step = np.linalg.lstsq(hessian, X.T @ (y - p), rcond=None)[0]
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            converged = True
            break
    if not converged:
        notes.append(Note("satisfaction.note.not_converged", {"iterations": max_iter}))
    p = _sigmoid(X @ beta)
    bread = np.linalg.pinv(X.T @ (X * (p * (1 - p))[:, None]))
    if groups is None:
        covariance = bread
    else:
        covariance, _ = _cluster_covariance(X, y - p, bread, groups)
    eps = 1e-12
    log_likelihood = np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    base = np.clip(y.mean(), eps, 1 - eps)
    null = len(y) * (base * np.log(base) + (1 - base) * np.log(1 - base))
    pseudo = 1.0 - log_likelihood / null if null < 0 else np.nan
    return {"beta": beta, "covariance": covariance, "df": None,
            "fit_statistic": float(pseudo)}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def _cluster_covariance(X, residual, bread, groups) -> tuple[np.ndarray, int]:
    n, k = X.shape
    scores = X * residual[:, None]
    g = int(groups.max()) + 1
    summed = np.zeros((g, k))
    np.add.at(summed, groups, scores)
    meat = summed.T @ summed
    correction = g / max(g - 1, 1) * (n - 1) / max(n - k, 1)
    return correction * bread @ meat @ bread, g


def _coefficient_table(fit, X, y, terms, target, groups, confidence) -> pd.DataFrame:
    beta = fit["beta"]
    se = np.sqrt(np.clip(np.diag(fit["covariance"]), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = beta / se
    if fit["df"] is None:
        p_value = 2 * stats.norm.sf(np.abs(statistic))
        critical = stats.norm.ppf(0.5 + confidence / 2)
    else:
        p_value = 2 * stats.t.sf(np.abs(statistic), fit["df"])
        critical = stats.t.ppf(0.5 + confidence / 2, fit["df"])
    sd_x = X.std(axis=0)
    scale = y.std() if target == "nps" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = np.where(sd_x > 0, beta * sd_x / scale, np.nan)
    return pd.DataFrame({
        "term": [t[0] for t in terms], "variable": [t[1] for t in terms],
        "level": [t[2] for t in terms], "coefficient": beta, "std_error": se,
        "statistic": statistic, "p_value": p_value,
        "ci_low": beta - critical * se, "ci_high": beta + critical * se,
        "std_coefficient": standardised,
    })


def importance_performance(coefficients: pd.DataFrame, data: pd.DataFrame,
                           aspects: list[str]) -> pd.DataFrame:
    """Tabulate importance (absolute standardised coefficient) against performance.

    Performance is the aspect's mean response rescaled to 0..100 over the observed
    minimum and maximum of that aspect. The quadrant compares both with their
    medians over the aspects: ``concentrate_here`` (important, weak),
    ``keep_up`` (important, strong), ``low_priority`` and ``possible_overkill``.
    """
    columns = ["aspect", "importance", "performance", "mean", "p_value", "quadrant"]
    if not aspects:
        return pd.DataFrame(columns=columns)
    rows = coefficients.set_index("term").loc[aspects]
    table = pd.DataFrame({"aspect": aspects,
                          "importance": rows["std_coefficient"].abs().to_numpy(),
                          "p_value": rows["p_value"].to_numpy()})
    means, performance = [], []
    for aspect in aspects:
        values = data[aspect].astype(float)
        low, high = values.min(), values.max()
        means.append(values.mean())
        performance.append(100 * (values.mean() - low) / (high - low)
                           if high > low else np.nan)
    table["mean"] = means
    table["performance"] = performance
    important = table["importance"] >= table["importance"].median()
    strong = table["performance"] >= table["performance"].median()
    table["quadrant"] = [QUADRANTS[(bool(i), bool(s))]
                         for i, s in zip(important, strong)]
    return table[columns].sort_values("importance", ascending=False,
                                      ignore_index=True)
