"""The Network page's method: formulas, assumptions, parameters and live validation."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd
import streamlit as st

from ..network import NetworkAnalysis, centrality_table, detect_communities
from ..network.centrality import EXACT_MAX_NODES, PIVOTS
from ..network.strength import (FAIR_SCORE, GOOD_SCORE, PAIR_EVIDENCE_FOR_GOOD,
                                REFERENCE_INTERVAL_DAYS, TARGET_SCORE, TREND_DAYS)
from .context import t

STRENGTH_SUM = r"S = \sum_{i} w_{c(i)} \cdot 2^{-\,\mathrm{age}_i / h}"
STRENGTH_SCORE = r"\mathrm{score} = 100 \cdot \left(1 - e^{-S / S_0}\right)"
SCALE = (r"S_0 = \frac{-S_\infty}{\ln(1 - 0.6)}, \qquad "
         r"S_\infty = \frac{w_\text{meeting}}{1 - 2^{-30/h}}")
PAIR_SCORE = (r"\mathrm{score}_{ab} = 100 \cdot \left(1 - e^{-E_{ab} / E_0}\right),"
              r"\qquad E_0 = \frac{-3}{\ln(1 - 0.6)}")
DISTANCE = r"d_{uv} = \frac{1}{\max(\mathrm{score}_{uv},\, 1)}"
DEGREE = r"k_i = |N(i)|, \qquad s_i = \sum_{j \in N(i)} \mathrm{score}_{ij}"
BETWEENNESS = (r"C_B(v) = \frac{2}{(n-1)(n-2)} \sum_{s \ne v \ne t}"
               r" \frac{\sigma_{st}(v)}{\sigma_{st}}")
CLOSENESS = r"C_C(v) = \frac{r_v}{n - 1} \cdot \frac{r_v}{\sum_{u} d(v, u)}"
EIGENVECTOR = r"\lambda\, x_i = \sum_{j} \mathrm{score}_{ij}\, x_j"
PAGERANK = (r"PR_i = \frac{1 - \alpha}{n} + \alpha \sum_{j \in N(i)}"
            r" \frac{\mathrm{score}_{ij}}{s_j} PR_j, \qquad \alpha = 0.85")
MODULARITY = (r"Q = \frac{1}{2m} \sum_{ij} \left(A_{ij} - \frac{s_i s_j}{2m}\right)"
              r" \delta(c_i, c_j)")
CONSTRAINT = (r"c_i = \sum_{j \in N(i)} \Big(p_{ij} + \sum_{q} p_{iq}\, p_{qj}\Big)^2,"
              r"\qquad p_{ij} = \frac{\mathrm{score}_{ij}}{s_i}")
EFFECTIVE_SIZE = (r"\mathrm{ES}_i = \sum_{j \in N(i)} \Big(1 - \sum_{q} p_{iq}\,"
                  r" m_{qj}\Big), \qquad m_{qj} = \frac{\mathrm{score}_{qj}}"
                  r"{\max_k \mathrm{score}_{qk}}")
KEY_SCORE = (r"\mathrm{key}_i = \frac{\sum_p \omega_p\, \mathrm{pct}_p(i)}"
             r"{\sum_p \omega_p}, \quad p \in \{\text{network}, \text{CLV},"
             r" \text{exposure}\}")

# Published values the product's code must reproduce.
MEDICI_BETWEENNESS = 0.5220
MEDICI_DEGREE = 0.4286
KARATE_COMMUNITIES = 4
KARATE_MODULARITY = 0.4266
TOLERANCE = 5e-5


@dataclass(frozen=True)
class Check:
    """One validation value: what was computed against what is published."""

    key: str
    expected: float
    computed: float

    @property
    def passed(self) -> bool:
        """Whether the computed value matches the published one to 4 decimals."""
        return abs(self.computed - self.expected) <= TOLERANCE


@st.cache_resource(show_spinner=False)
def validation_checks() -> list[Check]:
    """Compute the classic networks' values with the product's own functions.

    Padgett's Florentine families (``networkx.florentine_families_graph``): the
    Medici have the highest betweenness, 0.5220, and degree centrality 0.4286 (6
    of 14 families). Zachary's karate club with its ``weight`` attribute: Louvain
    with seed 42 finds 4 communities with modularity 0.4266.
    """
    families, _ = centrality_table(nx.florentine_families_graph())
    karate = detect_communities(nx.karate_club_graph(), weight="weight", seed=42)
    top = families["betweenness"].idxmax()
    return [
        Check("network_page.method.check.medici_top", 1.0, float(top == "Medici")),
        Check("network_page.method.check.medici_betweenness", MEDICI_BETWEENNESS,
              float(families.loc["Medici", "betweenness"])),
        Check("network_page.method.check.medici_degree", MEDICI_DEGREE,
              float(families.loc["Medici", "degree_centrality"])),
        Check("network_page.method.check.karate_communities", KARATE_COMMUNITIES,
              float(len(karate.communities))),
        Check("network_page.method.check.karate_modularity", KARATE_MODULARITY,
              karate.modularity),
    ]


def render_strength_formula(analysis: NetworkAnalysis) -> None:
    """Show the published strength formula with this analysis's ``S0``."""
    settings = analysis.settings
    st.subheader(t("network_page.strength.formula_heading"))
    st.latex(STRENGTH_SUM)
    st.latex(STRENGTH_SCORE)
    st.markdown(t("network_page.strength.formula_text",
                  half_life=f"{settings['half_life_days']:g}",
                  weights=_weights_text(settings["channel_weights"]),
                  interval=f"{REFERENCE_INTERVAL_DAYS:g}",
                  target=f"{TARGET_SCORE:g}", s0=f"{settings['interaction_scale']:.2f}",
                  good=f"{GOOD_SCORE:g}", fair=f"{FAIR_SCORE:g}",
                  trend_days=TREND_DAYS))


def render_method(analysis: NetworkAnalysis) -> None:
    """Show the formulas, assumptions, parameters and the live validation."""
    st.subheader(t("network_page.method.formulas"))
    st.markdown(t("network_page.method.strength"))
    st.latex(STRENGTH_SUM)
    st.latex(STRENGTH_SCORE)
    st.latex(SCALE)
    st.markdown(t("network_page.method.pair"))
    st.latex(PAIR_SCORE)
    st.markdown(t("network_page.method.distance"))
    st.latex(DISTANCE)
    for key, formula in (("degree", DEGREE), ("betweenness", BETWEENNESS),
                         ("closeness", CLOSENESS), ("eigenvector", EIGENVECTOR),
                         ("pagerank", PAGERANK), ("modularity", MODULARITY),
                         ("constraint", CONSTRAINT), ("effective_size", EFFECTIVE_SIZE),
                         ("key_score", KEY_SCORE)):
        st.markdown(t(f"network_page.method.{key}"))
        st.latex(formula)

    st.subheader(t("network_page.method.assumptions_heading"))
    st.markdown(t("network_page.method.assumptions",
                  exact=f"{EXACT_MAX_NODES:,}", pivots=f"{PIVOTS:,}"))

    st.subheader(t("network_page.method.parameters_heading"))
    st.dataframe(parameter_table(analysis), hide_index=True, width="stretch",
                 key="net_method_parameters")

    st.subheader(t("network_page.method.validation_heading"))
    st.markdown(t("network_page.method.validation_text"))
    rows = [{t("network_page.method.check"): t(check.key),
             t("network_page.method.expected"): f"{check.expected:.4f}",
             t("network_page.method.computed"): f"{check.computed:.4f}",
             t("network_page.method.result"): t("network_page.method.pass")
             if check.passed else t("network_page.method.fail")}
            for check in validation_checks()]
    st.table(pd.DataFrame(rows))


def parameter_table(analysis: NetworkAnalysis) -> pd.DataFrame:
    """Return the parameters of the analysis with their meaning, as display text."""
    settings = analysis.settings
    values = [
        ("as_of", f"{settings['as_of']:%Y-%m-%d}"),
        ("half_life", f"{settings['half_life_days']:g}"),
        ("weights", _weights_text(settings["channel_weights"])),
        ("s0", f"{settings['interaction_scale']:.4f}"),
        ("e0", f"{settings['pair_scale']:.4f}"),
        ("evidence_for_good", f"{PAIR_EVIDENCE_FOR_GOOD:g}"),
        ("bands", f"{GOOD_SCORE:g} / {FAIR_SCORE:g}"),
        ("seed", str(settings["seed"])),
        ("modularity", f"{analysis.modularity:.4f}"),
    ]
    return pd.DataFrame({
        t("network_page.method.parameter"): [t(f"network_page.param.{name}")
                                             for name, _ in values],
        t("network_page.method.value"): [value for _, value in values]})


def _weights_text(weights: dict) -> str:
    return ", ".join(f"{t(f'network_page.channel.{channel}')} {weight:g}"
                     for channel, weight in weights.items())
