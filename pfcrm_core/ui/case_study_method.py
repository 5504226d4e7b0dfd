"""The Case study page's method section: formulas, assumptions, settings and checks."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from ..casestudy import COMPONENTS, CaseStudy
from ..casestudy.project import FUNDING_ROLES
from .context import fmt_money, label_of, t
from .case_study import component_label, strategy_label

SCORE = (r"\text{score}_i = \frac{\sum_{c} w_c\, x_{i,c}}{\sum_{c} w_c},\qquad "
         r"c \in \{\text{value},\ \text{credit},\ \text{fit},\ \text{ticket},\ "
         r"\text{relationship}\}")
COMPONENT_FORMULAS = (
    r"x_{\text{value}} = \operatorname{pct\,rank}(\mathrm{CLV}),\quad "
    r"x_{\text{credit}} = 1 - \frac{\mathrm{PD}}{\mathrm{PD}_{\max}}",
    r"x_{\text{fit}} = \tfrac12\min\!\Big(1, \frac{n_{\text{sector}}}{k}\Big)"
    r" + \tfrac12\min\!\Big(1, \frac{n_{\text{country}} + h}{k}\Big)",
    r"x_{\text{ticket}} = \min\!\Big(1, \frac{\tilde T}{s\cdot G}\Big),\quad "
    r"x_{\text{relationship}} = \frac{\max(S_{\text{staff}},\ "
    r"S_{\text{intro}}\,\mathbb{1}_{\text{tie}})}{100}",
)
FUNDING_RATE = (r"\mathrm{FIP}(d) = \frac{\sum_{j:\ t_j \le d} A_j}{\text{target}},"
                r"\qquad \hat m = \frac{\text{target} - \sum_{j} A_j}"
                r"{\frac{1}{M}\sum_{j:\ t_j > d_0 - M} A_j}")
COMMIT = (r"P(\text{commit}_i) = p_{\min} + (p_{\max} - p_{\min})\,\text{score}_i,"
          r"\qquad \text{ticket}_i = T_i\, e^{\varepsilon_i},\ "
          r"\varepsilon_i \sim \mathcal{N}(-\sigma^2/2,\ \sigma^2)")


def render_method(case: CaseStudy) -> None:
    """Show the score, the screen, funding in place, the simulation and the checks."""
    outreach, simulation = case.outreach.settings, case.simulation.settings
    st.subheader(t("case_study.method.score_heading"))
    st.markdown(t("case_study.method.candidates",
                  types=t("case_study.list_comma").join(
                      label_of("client_type", v) for v in outreach.candidate_types),
                  roles=t("case_study.list_comma").join(
                      label_of("role", r) for r in FUNDING_ROLES)))
    st.markdown(t("case_study.method.screen", cutoff=f"{outreach.pd_cutoff:.2%}"))
    st.latex(SCORE)
    for formula in COMPONENT_FORMULAS:
        st.latex(formula)
    st.markdown(t("case_study.method.components", k=outreach.experience_deals,
                  share=f"{outreach.max_ticket_share:.0%}",
                  intro=f"{outreach.introduction_score:.0f}"))
    st.dataframe(_settings_table(case), hide_index=True, width="stretch")

    st.subheader(t("case_study.method.funding_heading"))
    st.latex(FUNDING_RATE)
    st.markdown(t("case_study.method.funding", months=case.funding.pace_months))

    st.subheader(t("case_study.method.simulation_heading"))
    st.latex(COMMIT)
    st.markdown(t("case_study.method.simulation",
                  runs=f"{simulation.n_runs:,}",
                  per_month=simulation.contacts_per_month,
                  horizon=simulation.horizon_months, p_min=f"{simulation.p_min:.0%}",
                  p_max=f"{simulation.p_max:.0%}", sigma=simulation.ticket_sigma,
                  seed=simulation.seed))
    st.markdown(t("case_study.method.strategies",
                  factor=simulation.broad_contact_factor,
                  conversion=f"{simulation.broad_conversion_factor:.0%}",
                  level=f"{100 * simulation.relationship_level:.0f}"))

    st.subheader(t("case_study.method.checks_heading"))
    _render_checks(case)


def _settings_table(case: CaseStudy) -> pd.DataFrame:
    weights = case.outreach.settings.normalised_weights()
    rows = [(t("case_study.method.weight", component=component_label(name)),
             f"{weights[name]:.0%}") for name in COMPONENTS]
    rows.append((t("case_study.method.pd_cutoff"),
                 f"{case.outreach.settings.pd_cutoff:.2%}"))
    rows.append((t("case_study.method.gap"), fmt_money(case.outreach.gap_usd)))
    return pd.DataFrame(rows, columns=[t("case_study.method.parameter"),
                                       t("case_study.method.value")])


def _render_checks(case: CaseStudy) -> None:
    # The deals behind the timeline against the stored funded amount.
    stored = case.card["funded_usd"]
    committed = case.funding.committed_usd
    st.write(t("case_study.method.check_funded", stored=fmt_money(stored),
               committed=fmt_money(committed),
               difference=fmt_money(abs(stored - committed))))

    # Monte Carlo error of each strategy's share of closed runs.
    runs = case.simulation.settings.n_runs
    parts = []
    for _, row in case.simulation.summary.iterrows():
        share = row["share_closed"]
        error = math.sqrt(share * (1 - share) / runs)
        parts.append(t("case_study.method.check_share",
                       strategy=strategy_label(row["strategy"]),
                       share=f"{share:.1%}", error=f"{error:.1%}"))
    st.write(t("case_study.method.check_simulation", runs=f"{runs:,}"))
    st.markdown("\n".join(f"- {part}" for part in parts))
