"""The method section of the prediction content: formulas, features, fit, validation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..prediction import FeeForecast, NextDealResult
from ..prediction.features import NUMERIC_FEATURES
from .context import fmt_money, label_of, t

LOGISTIC_FORMULA = (r"P(y = 1 \mid x) = \frac{1}{1 + e^{-(b_0 + \sum_j b_j z_j)}},"
                    r"\qquad z_j = \frac{x_j - m_j}{s_j}")
CONTRIBUTION_FORMULA = r"c_j = b_j \, z_j"
SEASONAL_NAIVE_FORMULA = (r"\hat y_{t+h} = y_{t+h-4(k+1)},"
                          r"\qquad k = \left\lfloor \frac{h-1}{4} \right\rfloor")
DRIFT_FORMULA = (r"\hat y_{t+h} = y_{t+h-4(k+1)} + (k+1)\, d,"
                 r"\qquad d = \frac{1}{t-4} \sum_{s=5}^{t} (y_s - y_{s-4})")
HOLT_WINTERS_FORMULA = (
    r"\begin{aligned}"
    r"\ell_t &= \alpha (y_t - s_{t-4}) + (1-\alpha)(\ell_{t-1} + \phi b_{t-1})\\"
    r"b_t &= \beta (\ell_t - \ell_{t-1}) + (1-\beta)\, \phi\, b_{t-1}\\"
    r"s_t &= \gamma (y_t - \ell_t) + (1-\gamma)\, s_{t-4}\\"
    r"\hat y_{t+h} &= \ell_t + (\phi + \dots + \phi^h)\, b_t + s_{t+h-4(k+1)}"
    r"\end{aligned}")
COMBINATION_FORMULA = (r"\hat y_{t+h} = \tfrac{1}{2}\left(\hat y^{\,\mathrm{SN}}_{t+h}"
                       r" + \hat y^{\,\mathrm{HW}}_{t+h}\right)")
MODEL_FORMULAS = {
    "seasonal_naive": (SEASONAL_NAIVE_FORMULA,),
    "seasonal_naive_drift": (DRIFT_FORMULA,),
    "holt_winters": (HOLT_WINTERS_FORMULA,),
    "combination": (COMBINATION_FORMULA, SEASONAL_NAIVE_FORMULA, HOLT_WINTERS_FORMULA),
}
SELECTION_FORMULA = (
    r"\mathrm{MASE}_m = \frac{1}{H} \sum_{h=1}^{H}"
    r" \frac{\operatorname{mean}_o \left| y_{o+h} - \hat y^{\,m}_{o+h \mid o} \right|}"
    r"{\frac{1}{n-4} \sum_{s=5}^{n} \left| y_s - y_{s-4} \right|}")
INTERVAL_FORMULA = (
    r"\hat y_{t+h} \,(1 \pm q_h), \qquad"
    r" q_h = \left|e\right|_{(\lceil (n_h + 1)(1 - a) \rceil)}, \qquad"
    r" e = \frac{y_{o+h} - \hat y_{o+h \mid o}}{\hat y_{o+h \mid o}}")


def feature_label(feature: str) -> str:
    """Return the translated name of a model feature."""
    if feature.startswith("type_"):
        return t("prediction.feature.type", type=label_of("client_type", feature[5:]))
    return t(f"prediction.feature.{feature}")


def render_method(result: NextDealResult | None, forecast: FeeForecast | None,
                  horizon_months: int, quarters_ahead: int) -> None:
    """Draw the method expander for the next-deal model and the fee forecast."""
    with st.expander(t("prediction.method.title")):
        st.markdown(f"#### {t('prediction.method.next_deal')}")
        st.latex(LOGISTIC_FORMULA)
        st.latex(CONTRIBUTION_FORMULA)
        st.markdown(t("prediction.method.label", horizon=horizon_months))
        st.markdown(t("prediction.method.panel"))
        st.markdown(t("prediction.method.features"))
        st.markdown("\n".join(f"- {feature_label(name)}" for name in NUMERIC_FEATURES))
        st.markdown(t("prediction.method.assumptions"))
        if result is not None:
            _render_fit(result)

        st.markdown(f"#### {t('prediction.method.fees')}")
        st.markdown(t("prediction.method.fees_text", horizons=quarters_ahead))
        st.latex(SELECTION_FORMULA)
        if forecast is not None:
            _render_fee_choice(forecast)
        st.latex(INTERVAL_FORMULA)
        st.markdown(t("prediction.method.intervals"))
        if forecast is not None:
            st.markdown(t("prediction.method.fees_fit", errors=len(forecast.backtest),
                          coverage_80=_percent(forecast.coverage_80),
                          coverage_95=_percent(forecast.coverage_95),
                          checked=forecast.coverage_checked))


def _render_fee_choice(forecast: FeeForecast) -> None:
    st.dataframe(candidate_frame(forecast), hide_index=True, width="stretch",
                 key="prediction_fee_candidates", column_config=_candidate_columns())
    model = label_of("prediction.fees.model", forecast.chosen_model)
    st.markdown(t("prediction.method.fees_choice", model=model,
                  selection_mape=f"{forecast.selection_mape:.1f}",
                  selection_mase=f"{forecast.selection_mase:.2f}",
                  naive_mase=f"{forecast.naive_mase:.2f}"))
    for formula in MODEL_FORMULAS[forecast.chosen_model]:
        st.latex(formula)
    st.markdown(_parameter_text(forecast))


def _parameter_text(forecast: FeeForecast) -> str:
    parameters = forecast.parameters
    if "alpha" in parameters:
        return t("prediction.method.fees_params.holt_winters",
                 alpha=parameters["alpha"], beta=parameters["beta"],
                 gamma=parameters["gamma"], phi=parameters["phi"])
    if "drift" in parameters:
        return t("prediction.method.fees_params.drift",
                 drift=fmt_money(parameters["drift"]))
    return t("prediction.method.fees_params.none")


def candidate_frame(forecast: FeeForecast) -> pd.DataFrame:
    """Return the candidate models' back-test scores with translated model names."""
    return forecast.candidates.assign(
        model=forecast.candidates["model"].map(
            lambda key: label_of("prediction.fees.model", key)))


def _candidate_columns() -> dict:
    return {
        "model": t("prediction.fees.col.model"),
        "mape": st.column_config.NumberColumn(t("prediction.fees.mape"),
                                              format="%.1f%%"),
        "mase": st.column_config.NumberColumn(t("prediction.fees.mase"),
                                              format="%.2f"),
        "chosen": st.column_config.CheckboxColumn(t("prediction.fees.col.chosen")),
    }


def _percent(value: float) -> str:
    return "–" if value != value else f"{100 * value:.0f}%"


def _render_fit(result: NextDealResult) -> None:
    validation = result.validation
    st.markdown(t("prediction.method.fit", cutoffs=len(result.cutoffs),
                  first=f"{result.cutoffs[0]:%Y-%m-%d}",
                  last=f"{result.cutoffs[-1]:%Y-%m-%d}", rows=result.train_rows,
                  deals=result.train_new_deals, intercept=f"{result.intercept:.3f}",
                  auc=f"{validation.pooled_auc:.3f}", brier=f"{validation.brier:.3f}",
                  lift=f"{validation.top_decile_lift:.2f}"))
    st.dataframe(coefficient_frame(result), hide_index=True, width="stretch",
                 key="prediction_coefficients", column_config=_coefficient_columns())


def _coefficient_columns() -> dict:
    number = "%.3f"
    return {
        "feature": t("prediction.col.feature"),
        "coefficient": st.column_config.NumberColumn(t("prediction.col.coefficient"),
                                                     format=number),
        "odds_ratio": st.column_config.NumberColumn(t("prediction.col.odds_ratio"),
                                                    format=number),
        "mean": st.column_config.NumberColumn(t("prediction.col.mean"), format=number),
        "std": st.column_config.NumberColumn(t("prediction.col.std"), format=number),
    }


def coefficient_frame(result: NextDealResult) -> pd.DataFrame:
    """Return the fitted coefficients with translated feature names."""
    return result.coefficients.assign(
        feature=result.coefficients["feature"].map(feature_label))
