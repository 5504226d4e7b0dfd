"""The roadmap page's Method tab: how progress, the quality dimensions and the
scores are computed, and the targets of the measured items."""

from __future__ import annotations

import streamlit as st

from ..roadmap import ITEM_KEYS, ITEMS
from ..roadmap import measures
from .context import t


def render_method(freshness_days: int) -> None:
    """Draw the formulas, the targets and the freshness assumption."""
    st.subheader(t("roadmap.method.progress"))
    st.latex(r"p_s = \frac{\text{done}_s}{\text{items}_s}, \qquad "
             r"p = \frac{\sum_s \text{done}_s}{\sum_s \text{items}_s}")
    st.write(t("roadmap.method.progress_text", total=len(ITEM_KEYS)))

    st.subheader(t("roadmap.method.quality"))
    st.write(t("roadmap.method.quality_text"))
    st.latex(r"\text{Completeness} = 1 - \frac{\sum_f w_f\, m_f}{\sum_f w_f\, n_f}, "
             r"\quad \text{Validity} = 1 - \frac{\text{invalid}}{\text{present}}, "
             r"\quad \text{Uniqueness} = \frac{\text{rows with a complete, unique key}}"
             r"{\text{rows}}")
    st.latex(r"\text{Referential integrity} = 1 - \frac{\text{unmatched references}}"
             r"{\text{present references}}, \quad \text{Timeliness} = "
             r"\frac{\#\{\text{rows}: \text{latest event of the client} \ge "
             r"\text{as\_of} - \text{window}\}}{\text{rows}}")
    st.latex(r"S_t = \frac{\sum_{d} w_d D_{t,d}}{\sum_{d} w_d}, \qquad "
             r"Q = \frac{\sum_t n_t S_t}{\sum_t n_t}")
    st.caption(t("roadmap.method.symbols"))
    st.write(t("roadmap.method.score_text"))

    st.subheader(t("roadmap.method.thresholds"))
    st.write(t("roadmap.method.thresholds_text", window=measures.WINDOW_DAYS))
    lines = [f"- {t(f'roadmap.item.{key}')}" for key in ITEM_KEYS
             if ITEMS[key].measured]
    st.markdown("\n".join(lines))

    st.subheader(t("roadmap.method.freshness"))
    st.write(t("roadmap.method.freshness_text", days=freshness_days))
