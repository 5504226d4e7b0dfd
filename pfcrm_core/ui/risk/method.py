"""The Method tab: formulas, assumptions, fitted parameters and validation, with the
published check figures computed live by the product's own functions."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import streamlit as st

from ...risk import ScorecardReport, WoEBinner, develop_scorecard, irb_corporate
from ...risk.book import SLOTTING_NOTCH_LIMITS
from ...risk.capital import (SHORT_MATURITY_YEARS, SLOTTING_EL_RATE,
                             SLOTTING_RISK_WEIGHT, SLOTTING_RISK_WEIGHT_SHORT)
from ...risk.master_scale import EXTERNAL_GRADES
from ..context import t
from .scorecard import ScorecardSettings, variable_label

GERMAN_CREDIT = (Path(__file__).resolve().parents[3] / "data" / "samples"
                 / "germancredit.csv")
GERMAN_IV_COLUMN = "status_of_existing_checking_account"
# Published check figures: the IV of the checking-account status with its four
# categories as bins over all 1,000 rows, and the hold-out AUC a WoE scorecard
# reaches on a 70/30 split (see data/samples/README.md).
GERMAN_IV_EXPECTED = 0.666012
GERMAN_AUC_MINIMUM = 0.78
# Basel IRB check: PD 1%, LGD 45%, M 2.5 years.
IRB_CHECK = {"pd": 0.01, "lgd": 0.45, "maturity": 2.5, "k": 0.073853,
             "risk_weight": 0.9232}

WOE = r"\mathrm{WoE}_i = \ln\frac{g_i / G}{b_i / B}"
IV = r"\mathrm{IV} = \sum_i \Big(\frac{g_i}{G} - \frac{b_i}{B}\Big)\,\mathrm{WoE}_i"
LOGIT = (r"\ln\frac{\mathrm{PD}}{1-\mathrm{PD}} = \beta_0 + \sum_j \beta_j\,"
         r"\mathrm{WoE}_j(x_j)")
SCALING = (r"\text{Factor} = \frac{\text{PDO}}{\ln 2},\quad \text{Offset} = "
           r"\text{Base} - \text{Factor}\cdot\ln(\text{Odds}),\quad \text{Score} = "
           r"\text{Offset} - \text{Factor}\cdot\ln\frac{\mathrm{PD}}{1-\mathrm{PD}}")
POINTS = r"\text{Points}_{ij} = -\,\text{Factor}\cdot\beta_j\cdot\mathrm{WoE}_{ij}"
DISCRIMINATION = (r"\mathrm{AUC} = P(\mathrm{PD}_{bad} > \mathrm{PD}_{good}),\quad "
                  r"\mathrm{Gini} = 2\,\mathrm{AUC} - 1,\quad \mathrm{KS} = \max_c "
                  r"\big|F_{bad}(c) - F_{good}(c)\big|")
PSI = r"\mathrm{PSI} = \sum_i (a_i - e_i)\,\ln\frac{a_i}{e_i}"
IRB = [
    r"R = 0.12\,\frac{1-e^{-50\,PD}}{1-e^{-50}} + 0.24\Big(1-\frac{1-e^{-50\,PD}}"
    r"{1-e^{-50}}\Big)",
    r"b = \big(0.11852 - 0.05478\,\ln PD\big)^2",
    r"K = \Big[LGD\cdot N\Big(\frac{G(PD) + \sqrt{R}\,G(0.999)}{\sqrt{1-R}}\Big) - "
    r"PD\cdot LGD\Big]\cdot\frac{1 + (M-2.5)\,b}{1 - 1.5\,b}",
    r"\mathrm{RWA} = K \cdot 12.5 \cdot \mathrm{EAD},\qquad \text{Capital} = K\cdot"
    r"\mathrm{EAD} = 8\%\cdot\mathrm{RWA}",
]
RAROC = (r"\mathrm{EL} = PD\cdot LGD\cdot EAD,\qquad \mathrm{RAROC} = "
         r"\frac{\text{Revenue} - \text{Costs} - \mathrm{EL}}{\text{Capital}},\qquad "
         r"\text{Costs} = \text{cost-income ratio}\cdot\text{Revenue}")


@st.cache_data(show_spinner=False, max_entries=2)
def german_credit_check(path: str, modified: float) -> dict:
    """Compute the German credit check figures with the product's own functions."""
    frame = pd.read_csv(path)
    target = frame["creditability"]
    binner = WoEBinner(variables=[GERMAN_IV_COLUMN], bad_value="bad").fit(
        frame.drop(columns="creditability"), target)
    report = develop_scorecard(frame, "creditability", bad_value="bad")
    return {"iv": float(binner.iv_[GERMAN_IV_COLUMN]), "test_auc": report.test["auc"],
            "test_gini": report.test["gini"], "test_ks": report.test["ks"],
            "n_test": report.test["n"]}


def render_scorecard_method(settings: ScorecardSettings) -> None:
    st.subheader(t("risk_page.method.scorecard_heading"))
    st.markdown(t("risk_page.method.woe"))
    st.latex(WOE)
    st.latex(IV)
    st.markdown(t("risk_page.method.iv_bands"))
    st.markdown(t("risk_page.method.logit"))
    st.latex(LOGIT)
    st.markdown(t("risk_page.method.scaling"))
    st.latex(SCALING)
    st.latex(POINTS)
    factor = settings.pdo / math.log(2)
    offset = settings.base_points - factor * math.log(settings.base_odds)
    st.write(t("risk_page.method.scaling_values", base=f"{settings.base_points:g}",
               odds=f"{settings.base_odds:g}", pdo=f"{settings.pdo:g}",
               factor=f"{factor:.4f}", offset=f"{offset:.4f}"))
    st.markdown(t("risk_page.method.discrimination"))
    st.latex(DISCRIMINATION)
    st.markdown(t("risk_page.method.psi"))
    st.latex(PSI)


def render_capital_method() -> None:
    st.subheader(t("risk_page.method.capital_heading"))
    st.markdown(t("risk_page.method.irb"))
    for formula in IRB:
        st.latex(formula)
    row = irb_corporate(IRB_CHECK["pd"], IRB_CHECK["lgd"], 1.0,
                        IRB_CHECK["maturity"]).iloc[0]
    cards = st.columns(2)
    cards[0].metric(t("risk_page.method.irb_k"), f"{row['k']:.6f}",
                    help=t("risk_page.method.expected", value=f"{IRB_CHECK['k']:.6f}"))
    cards[1].metric(t("risk_page.method.irb_rw"), f"{row['risk_weight']:.2%}",
                    help=t("risk_page.method.expected",
                           value=f"{IRB_CHECK['risk_weight']:.2%}"))
    ok = (round(float(row["k"]), 6) == IRB_CHECK["k"]
          and round(float(row["risk_weight"]), 4) == IRB_CHECK["risk_weight"])
    st.caption(t("risk_page.method.irb_check_ok" if ok else
                 "risk_page.method.irb_check_failed"))

    st.markdown(t("risk_page.method.slotting"))
    st.dataframe(slotting_table(), hide_index=True, width="stretch",
                 key="risk_method_slotting")
    st.markdown(t("risk_page.method.raroc"))
    st.latex(RAROC)


def slotting_table() -> pd.DataFrame:
    """Return the slotting categories with their ratings, risk weights and EL rates."""
    rows, first = [], 0
    for last, category in SLOTTING_NOTCH_LIMITS:
        grades = EXTERNAL_GRADES[first:last + 1]
        ratings = grades[0] if len(grades) == 1 else f"{grades[0]} – {grades[-1]}"
        short = SLOTTING_RISK_WEIGHT_SHORT.get(category)
        rows.append({
            t("risk_page.col.slotting_category"): t(f"risk_page.slotting.{category}"),
            t("risk_page.col.ratings"): ratings,
            t("risk_page.col.risk_weight"): f"{SLOTTING_RISK_WEIGHT[category]:.0%}",
            t("risk_page.col.risk_weight_short", years=f"{SHORT_MATURITY_YEARS:g}"):
                f"{short:.0%}" if short is not None else "–",
            t("risk_page.col.el_rate"): f"{SLOTTING_EL_RATE[category]:.1%}",
        })
        first = last + 1
    return pd.DataFrame(rows)


def render_parameters(report: ScorecardReport | None) -> None:
    st.subheader(t("risk_page.method.parameters_heading"))
    if report is None:
        st.info(t("risk_page.method.no_model"))
        return
    model = report.model
    iv = model.binner_.iv_
    coefficients = pd.DataFrame({
        "variable": [variable_label(v) for v in model.coef_.index],
        "coefficient": model.coef_.to_numpy(),
        "iv": [float(iv[v]) for v in model.coef_.index],
    })
    st.dataframe(coefficients, hide_index=True, width="stretch",
                 key="risk_method_coefficients",
                 column_config={
                     "variable": t("risk_page.col.variable"),
                     "coefficient": st.column_config.NumberColumn(
                         t("risk_page.col.coefficient"), format="%.4f"),
                     "iv": st.column_config.NumberColumn(t("risk_page.col.iv"),
                                                         format="%.4f"),
                 })
    st.write(t("risk_page.method.fitted_scaling", intercept=f"{model.intercept_:.4f}",
               factor=f"{model.factor_:.4f}",
               offset=f"{model.offset_:.4f}", target=str(report.target),
               bad=str(report.bad_value)))


def render_validation(report: ScorecardReport | None) -> None:
    st.subheader(t("risk_page.method.validation_heading"))
    if report is not None:
        rows = []
        for sample, metrics in (("train", report.train), ("test", report.test)):
            if metrics:
                rows.append({t("risk_page.col.sample"): t(f"risk_page.sample.{sample}"),
                             t("risk_page.col.rows"): metrics["n"],
                             t("risk_page.col.bads"): metrics["n_bad"],
                             "AUC": round(metrics["auc"], 4),
                             "Gini": round(metrics["gini"], 4),
                             "KS": round(metrics["ks"], 4)})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     key="risk_method_validation")
    st.markdown(t("risk_page.method.german_intro"))
    if not GERMAN_CREDIT.exists():
        st.info(t("risk_page.method.german_missing", path=str(GERMAN_CREDIT)))
        return
    check = german_credit_check(str(GERMAN_CREDIT), GERMAN_CREDIT.stat().st_mtime)
    cards = st.columns(2)
    cards[0].metric(t("risk_page.method.german_iv"), f"{check['iv']:.6f}",
                    help=t("risk_page.method.expected",
                           value=f"{GERMAN_IV_EXPECTED:.6f}"))
    cards[1].metric(t("risk_page.method.german_auc"), f"{check['test_auc']:.3f}",
                    help=t("risk_page.method.minimum",
                           value=f"{GERMAN_AUC_MINIMUM:.2f}"))
    ok = (round(check["iv"], 6) == GERMAN_IV_EXPECTED
          and check["test_auc"] >= GERMAN_AUC_MINIMUM)
    st.caption(t("risk_page.method.german_ok" if ok else
                 "risk_page.method.german_failed"))


def render_method(report: ScorecardReport | None, settings: ScorecardSettings) -> None:
    """Show the formulas, assumptions, fitted parameters and validation."""
    render_parameters(report)
    render_validation(report)
    render_scorecard_method(settings)
    render_capital_method()
    st.subheader(t("risk_page.method.assumptions_heading"))
    st.markdown(t("risk_page.method.assumptions"))
