"""One call from transactions to fitted CLV models, per-client values and validation."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pfcrm_core.clv.bg_nbd import BetaGeoModel
from pfcrm_core.clv.data_checks import MIN_CLIENTS, check_data_size
from pfcrm_core.clv.exceptions import ClvDataError, ClvWarning
from pfcrm_core.clv.gamma_gamma import GammaGammaModel
from pfcrm_core.clv.lifetime_value import customer_lifetime_value, lifecycle_stage
from pfcrm_core.clv.rfm import merge_same_day, rfm_summary
from pfcrm_core.clv.validation import ValidationResult, holdout_validation
from pfcrm_core.i18n import translate

logger = logging.getLogger(__name__)

BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "gamma")


@dataclass
class ClvResult:
    """Everything ``fit_clv`` produces.

    Attributes
    ----------
    summary : DataFrame
        ``rfm_summary`` of the whole observation period.
    bgnbd, gamma_gamma : fitted models
        Fitted on ``summary``.
    clients : DataFrame
        ``customer_lifetime_value`` columns plus ``stage`` (``lifecycle_stage``).
    settings : dict
        ``unit``, ``observation_end``, ``calibration_end``, ``horizon_months``,
        ``discount_rate_monthly`` and ``margin``.
    parameters : dict
        For each of r, alpha, a, b, p, q, gamma: ``value``, ``standard_error`` and
        ``meaning`` (English).
    warnings : list of (code, message)
        Statistical caveats of the fits; ``code`` is a translation key.
    warning_details : list of ClvWarning
        The same warnings with their values, for ``translated_warnings``.
    calibration_summary : DataFrame or None
        ``rfm_summary`` with holdout columns, when a calibration end was given.
    calibration_bgnbd : BetaGeoModel or None
        BG/NBD model fitted on the calibration period, which ``validation`` tests.
    validation : ValidationResult or None
        Holdout validation of ``calibration_bgnbd``.
    """

    summary: pd.DataFrame
    bgnbd: BetaGeoModel
    gamma_gamma: GammaGammaModel
    clients: pd.DataFrame
    settings: dict
    parameters: dict
    warnings: list[tuple[str, str]] = field(default_factory=list)
    warning_details: list[ClvWarning] = field(default_factory=list)
    calibration_summary: pd.DataFrame | None = None
    calibration_bgnbd: BetaGeoModel | None = None
    validation: ValidationResult | None = None

    def translated_warnings(self, lang: str) -> list[tuple[str, str]]:
        """Return ``warnings`` with messages in ``lang`` ("en" or "zh")."""
        return [(item.key, translate(item.key, lang, **item.values))
                for item in self.warning_details]

    def to_dict(self, *, include_clients: bool = False) -> dict:
        """Return the result as a JSON-ready dict.

        ``parameters`` holds r, alpha, a, b and ``log_likelihood`` of the BG/NBD model
        and p, q, gamma and ``gamma_gamma_log_likelihood`` of the spend model. The
        per-client table is included only with ``include_clients=True``.
        """
        bgnbd, gamma_gamma = self.bgnbd, self.gamma_gamma
        parameters = {**bgnbd.params_, "log_likelihood": bgnbd.log_likelihood_,
                      **gamma_gamma.params_,
                      "gamma_gamma_log_likelihood": gamma_gamma.log_likelihood_}
        clv = self.clients["clv"]
        result = {
            "settings": {key: _json_value(value)
                         for key, value in self.settings.items()},
            "parameters": {key: float(value) for key, value in parameters.items()},
            "standard_errors": {name: _json_value(item["standard_error"])
                                for name, item in self.parameters.items()},
            "parameter_meanings": {name: item["meaning"]
                                   for name, item in self.parameters.items()},
            "n_clients": int(bgnbd.n_clients_),
            "n_repeat_clients": int((self.summary["frequency"] > 0).sum()),
            "gamma_gamma_n_clients": int(gamma_gamma.n_clients_),
            "frequency_monetary_correlation": _json_value(gamma_gamma.correlation_),
            "population_mean_value": gamma_gamma.expected_population_mean(),
            "convergence": {"bgnbd": bgnbd.convergence_,
                            "gamma_gamma": gamma_gamma.convergence_},
            "clv_total": float(clv.sum()),
            "clv_mean": float(clv.mean()) if len(clv) else None,
            "stage_counts": {stage: int(count) for stage, count in
                             self.clients["stage"].value_counts().items()},
            "warnings": [{"code": code, "message": message}
                         for code, message in self.warnings],
            "validation": (None if self.validation is None
                           else self.validation.to_dict()),
        }
        if self.calibration_bgnbd is not None:
            model = self.calibration_bgnbd
            result["calibration_parameters"] = {
                **model.params_, "log_likelihood": model.log_likelihood_}
        if include_clients:
            clients = self.clients.copy()
            result["clients"] = [
                {key: _json_value(value) for key, value in record.items()}
                for record in clients.to_dict(orient="records")]
        return result


def fit_clv(
    transactions: pd.DataFrame,
    *,
    observation_end=None,
    unit: str = "weeks",
    horizon_months: int = 12,
    discount_rate_monthly: float = 0.01,
    margin: float = 1.0,
    calibration_end=None,
    penalizer: float = 0.0,
    stage_thresholds: dict | None = None,
    customer_col: str = "client_id",
    date_col: str = "date",
    value_col: str = "amount",
) -> ClvResult:
    """Fit BG/NBD and Gamma-Gamma models to transactions and value every client.

    With ``calibration_end``, a BG/NBD model fitted on the calibration period is
    validated on the holdout period up to ``observation_end``. The models returned for
    the per-client table are then refitted on the whole observation period, because
    forecasts should use every transaction.

    Parameters
    ----------
    transactions : DataFrame
        Columns ``customer_col``, ``date_col`` and ``value_col``.
    observation_end : date-like, optional
        Last day of observation; default the last transaction date.
    unit : {"weeks", "days", "months"}, default "weeks"
        Time unit of the summaries and of the model parameter alpha.
    horizon_months, discount_rate_monthly, margin
        As in ``customer_lifetime_value``.
    calibration_end : date-like, optional
        Last day of the calibration period, for holdout validation.
    penalizer : float, default 0.0
        L2 penalty of both models.
    stage_thresholds : dict, optional
        Keyword arguments of ``lifecycle_stage`` (``new_months`` and so on).
    customer_col, date_col, value_col : str
        Column names in ``transactions``.

    Raises
    ------
    ClvDataError
        When the data are unreadable or too thin (see ``check_data_size``), no repeat
        purchase has a positive value, or the fitted spend model has an infinite mean.
    """
    columns = {"customer_col": customer_col, "date_col": date_col,
               "value_col": value_col}
    if observation_end is None:
        observation_end = _last_transaction_date(transactions, **columns)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ClvWarning)
        calibration_summary = calibration_bgnbd = validation = None
        if calibration_end is not None:
            calibration_summary = rfm_summary(
                transactions, observation_end=observation_end, unit=unit,
                calibration_end=calibration_end, **columns)
            calibration_bgnbd = _fit_bgnbd(calibration_summary, penalizer)
            validation = holdout_validation(calibration_summary, calibration_bgnbd,
                                            transactions=transactions, **columns)

        summary = rfm_summary(transactions, observation_end=observation_end, unit=unit,
                              **columns)
        bgnbd = _fit_bgnbd(summary, penalizer)
        gamma_gamma = _fit_gamma_gamma(summary, penalizer)
        clients = _client_table(bgnbd, gamma_gamma, summary, unit, horizon_months,
                                discount_rate_monthly, margin, stage_thresholds)

    details = _unique_warnings(caught)
    settings = {
        "unit": unit,
        "observation_end": summary.attrs["observation_end"],
        "calibration_end": None if calibration_summary is None
        else calibration_summary.attrs["calibration_end"],
        "horizon_months": horizon_months,
        "discount_rate_monthly": discount_rate_monthly,
        "margin": margin,
    }
    return ClvResult(
        summary=summary, bgnbd=bgnbd, gamma_gamma=gamma_gamma, clients=clients,
        settings=settings, parameters=_parameter_table(bgnbd, gamma_gamma, unit),
        warnings=[(item.key, str(item)) for item in details], warning_details=details,
        calibration_summary=calibration_summary, calibration_bgnbd=calibration_bgnbd,
        validation=validation)


def _last_transaction_date(transactions, *, customer_col, date_col, value_col):
    daily = merge_same_day(transactions, customer_col=customer_col, date_col=date_col,
                           value_col=value_col)
    if daily.days.size == 0:
        raise ClvDataError("clv.error.too_few_clients", count=0, minimum=MIN_CLIENTS)
    return pd.Timestamp(int(daily.days.max()), unit="D")


def _fit_bgnbd(summary: pd.DataFrame, penalizer: float) -> BetaGeoModel:
    check_data_size(summary["frequency"])
    logger.info("fitting BG/NBD to %d clients", len(summary))
    return BetaGeoModel(penalizer=penalizer).fit(
        summary["frequency"], summary["recency"], summary["T"])


def _fit_gamma_gamma(summary: pd.DataFrame, penalizer: float) -> GammaGammaModel:
    usable = (summary["frequency"] > 0) & (summary["monetary_value"] > 0)
    if not usable.any():
        raise ClvDataError("clv.error.no_positive_repeat_values",
                           repeat_clients=int((summary["frequency"] > 0).sum()))
    logger.info("fitting Gamma-Gamma to %d repeat clients", int(usable.sum()))
    model = GammaGammaModel(penalizer=penalizer).fit(summary["frequency"],
                                                     summary["monetary_value"])
    if model.params_["q"] <= 1:
        raise ClvDataError("clv.error.infinite_mean_value",
                           q=f"{model.params_['q']:.3g}")
    return model


def _client_table(bgnbd, gamma_gamma, summary, unit, horizon_months,
                  discount_rate_monthly, margin, stage_thresholds) -> pd.DataFrame:
    clients = customer_lifetime_value(
        bgnbd, gamma_gamma, summary, horizon_months=horizon_months,
        discount_rate_monthly=discount_rate_monthly, margin=margin, unit=unit)
    clients["stage"] = lifecycle_stage(
        clients["frequency"], clients["recency"], clients["T"], clients["p_alive"],
        unit=unit, **(stage_thresholds or {}))
    return clients


def _parameter_table(bgnbd, gamma_gamma, unit) -> dict:
    table = {}
    models = ((bgnbd, BGNBD_PARAMETERS), (gamma_gamma, GAMMA_GAMMA_PARAMETERS))
    for model, names in models:
        for name in names:
            table[name] = {
                "value": model.params_[name],
                "standard_error": model.standard_errors_[name],
                "meaning": translate(f"clv.param.{name}", "en", unit=unit),
            }
    return table


def _unique_warnings(caught) -> list[ClvWarning]:
    seen, details = set(), []
    for record in caught:
        item = record.message
        if not isinstance(item, ClvWarning):
            warnings.warn_explicit(item, record.category, record.filename,
                                   record.lineno)
            continue
        if (item.key, str(item)) not in seen:
            seen.add((item.key, str(item)))
            details.append(item)
    return details


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return value
