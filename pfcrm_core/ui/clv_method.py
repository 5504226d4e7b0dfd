"""The CLV page's method section: formulas, assumptions and fitted parameters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..clv import ClvResult
from .context import t

BGNBD_LIKELIHOOD = (
    r"L(r,\alpha,a,b \mid x,t_x,T) = \frac{B(a,b+x)}{B(a,b)}"
    r"\frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}"
    r" + \mathbb{1}_{x>0}\,\frac{B(a+1,b+x-1)}{B(a,b)}"
    r"\frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}")
P_ALIVE = (r"P(\text{alive}\mid x,t_x,T) = \Big[1 + \mathbb{1}_{x>0}\,\frac{a}{b+x-1}"
           r"\Big(\frac{\alpha+T}{\alpha+t_x}\Big)^{r+x}\Big]^{-1}")
EXPECTED = (r"E[Y(t)\mid x,t_x,T] = \frac{\frac{a+b+x-1}{a-1}\Big[1-"
            r"\big(\frac{\alpha+T}{\alpha+T+t}\big)^{r+x}\,{}_2F_1\big(r+x,b+x;a+b+x-1;"
            r"\frac{t}{\alpha+T+t}\big)\Big]}{1+\mathbb{1}_{x>0}\frac{a}{b+x-1}"
            r"\big(\frac{\alpha+T}{\alpha+t_x}\big)^{r+x}}")
SPEND = (r"E[M\mid p,q,\gamma,\bar m_x,x] = \frac{q-1}{px+q-1}\cdot\frac{p\gamma}{q-1}"
         r" + \frac{px}{px+q-1}\,\bar m_x")
CLV = (r"\mathrm{CLV} = \sum_{m=1}^{H} \text{margin}\cdot E[M]\cdot"
       r"\frac{E[Y(t_m)] - E[Y(t_{m-1})]}{(1+d)^m}")


def render_parameters(result: ClvResult) -> None:
    """Show the fitted parameters with standard errors, meanings and fit statistics."""
    st.subheader(t("clv.method.parameters"))
    rows = []
    for name, item in result.parameters.items():
        rows.append({
            t("clv.method.parameter"): name,
            t("clv.method.estimate"): item["value"],
            t("clv.method.standard_error"): item["standard_error"],
            t("clv.method.meaning"): t(f"clv.param.{name}", unit=t(
                f"clv.unit.{result.settings['unit']}")),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    bgnbd, gamma_gamma = result.bgnbd, result.gamma_gamma
    cols = st.columns(3)
    cols[0].metric(t("clv.method.bgnbd_ll"), f"{bgnbd.log_likelihood_:,.1f}")
    cols[1].metric(t("clv.method.gg_ll"), f"{gamma_gamma.log_likelihood_:,.1f}")
    cols[2].metric(t("clv.method.gg_clients"), f"{int(gamma_gamma.n_clients_):,}")
    if result.calibration_bgnbd is not None:
        model = result.calibration_bgnbd
        st.write(t("clv.method.calibration_params",
                   values=", ".join(f"{k} = {v:.4g}" for k, v in model.params_.items()),
                   ll=f"{model.log_likelihood_:,.1f}"))


def render_method() -> None:
    """Show the formulas and the assumptions of the models."""
    st.subheader(t("clv.method.heading"))
    st.markdown(t("clv.method.rfm"))
    st.markdown(t("clv.method.bgnbd"))
    st.latex(BGNBD_LIKELIHOOD)
    st.latex(P_ALIVE)
    st.latex(EXPECTED)
    st.markdown(t("clv.method.spend"))
    st.latex(SPEND)
    st.markdown(t("clv.method.clv"))
    st.latex(CLV)
    st.markdown(t("clv.method.assumptions"))
    st.caption(t("clv.method.sources"))
