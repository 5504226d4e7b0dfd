"""The method section of the prediction content: formulas, features, fit, validation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..prediction import FeeForecast, NextDealResult
from ..prediction.features import NUMERIC_FEATURES
from ..prediction.fees import DAMPING
from .context import label_of, t

LOGISTIC_FORMULA = (r"P(y = 1 \mid x) = \frac{1}{1 + e^{-(b_0 + \sum_j b_j z_j)}},"
                    r"\qquad z_j = \frac{x_j - m_j}{s_j}")
CONTRIBUTION_FORMULA = r"c_j = b_j \, z_j"
HOLT_WINTERS_FORMULA = (
    r"\begin{aligned}"
    r"\ell_t &= \alpha (y_t - s_{t-4}) + (1-\alpha)(\ell_{t-1} + \phi b_{t-1})\\"
    r"b_t &= \beta (\ell_t - \ell_{t-1}) + (1-\beta)\, \phi\, b_{t-1}\\"
    r"s_t &= \gamma (y_t - \ell_t) + (1-\gamma)\, s_{t-4}\\"
    r"\hat y_{t+h} &= \ell_t + (\phi + \dots + \phi^h)\, b_t + s_{t+h-4k}"
    r"\end{aligned}")
INTERVAL_FORMULA = (r"\hat y_{t+h} + \sqrt{h}\;"
                    r" q_p\!\left(\frac{e_{o,h'}}{\sqrt{h'}}\right)")


def feature_label(feature: str) -> str:
    """Return the translated name of a model feature."""
    if feature.startswith("type_"):
        return t("prediction.feature.type", type=label_of("client_type", feature[5:]))
    return t(f"prediction.feature.{feature}")


def render_method(result: NextDealResult | None, forecast: FeeForecast | None,
                  horizon_months: int) -> None:
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
        st.latex(HOLT_WINTERS_FORMULA)
        st.markdown(t("prediction.method.fees_text", phi=DAMPING))
        st.latex(INTERVAL_FORMULA)
        st.markdown(t("prediction.method.intervals"))
        if forecast is not None:
            parameters = forecast.parameters
            st.markdown(t("prediction.method.fees_fit", alpha=parameters["alpha"],
                          beta=parameters["beta"], gamma=parameters["gamma"],
                          errors=len(forecast.backtest),
                          mape=f"{forecast.mape:.1f}", mase=f"{forecast.mase:.2f}",
                          naive_mase=f"{forecast.naive_mase:.2f}"))


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
