"""Implementation roadmap: five steps with stored checklists, items measured from
the data, progress per step and overall, the next action, and the data-quality view."""

import math

import streamlit as st

from pfcrm_core.quality import DEFAULT_FRESHNESS_DAYS
from pfcrm_core.roadmap import STEPS, build_progress
from pfcrm_core.ui import active_store, t
from pfcrm_core.ui import roadmap as rm
from pfcrm_core.ui.roadmap_method import render_method

store = active_store()

st.title(t("roadmap.title"))
st.caption(t("roadmap.caption"))
rm.show_flash()

st.sidebar.text_input(t("roadmap.owner"), key=rm.OWNER_KEY,
                      help=t("roadmap.owner_help"))

with st.expander(t("roadmap.settings")):
    left, right = st.columns(2)
    as_of = left.date_input(t("roadmap.settings.as_of"),
                            value=rm.default_reference_date(store),
                            help=t("roadmap.settings.as_of_help"), key="roadmap_as_of")
    freshness_days = right.number_input(
        t("roadmap.settings.freshness"), min_value=30, max_value=3650,
        value=DEFAULT_FRESHNESS_DAYS, step=30,
        help=t("roadmap.settings.freshness_help"),
        key="roadmap_freshness")

report, measurements, measured_on = rm.cached_measurements(store, as_of,
                                                           int(freshness_days))
progress = build_progress(store.read_checklist(), measurements, measured_on)

# Headline figures and the next action.
measured = [s for step in progress.steps for s in step.items if s.item.measured]
metrics = st.columns(4)
metrics[0].metric(t("roadmap.kpi.overall"), f"{progress.share:.0%}")
metrics[1].metric(t("roadmap.kpi.items"),
                  t("roadmap.kpi.items_value", done=progress.done,
                    total=progress.total))
metrics[2].metric(t("roadmap.kpi.measured"),
                  t("roadmap.kpi.items_value", total=len(measured),
                    done=sum(s.measurement.met for s in measured)))
metrics[3].metric(t("roadmap.kpi.quality"),
                  "–" if math.isnan(report.overall) else f"{report.overall:.1%}")

next_item = progress.next_action()
if next_item is None:
    st.success(t("roadmap.all_done"))
else:
    number = [step.key for step in STEPS].index(next_item.item.step) + 1
    message = t("roadmap.next", number=number, step=rm.step_label(next_item.item.step),
                item=rm.item_label(next_item.key))
    if next_item.measurement is not None:
        message += "\n\n" + t("roadmap.next.evidence",
                              evidence=rm.evidence_text(next_item.measurement))
    st.info(message, icon=":material/flag:")

st.subheader(t("roadmap.overview"))
for number, step in enumerate(progress.steps, start=1):
    st.progress(step.share, text=t("roadmap.step_progress", number=number,
                                   step=rm.step_label(step.key), done=step.done,
                                   total=step.total, share=step.share))

tabs = st.tabs([t("roadmap.tab.step", number=number, step=rm.step_label(step.key))
                for number, step in enumerate(progress.steps, start=1)]
               + [t("roadmap.tab.quality"), t("roadmap.tab.method")])

for tab, step in zip(tabs, progress.steps):
    with tab:
        st.write(t(f"roadmap.step.{step.key}.goal"))
        rm.render_step_links(step.key)
        st.divider()
        rm.render_checklist(store, step)

with tabs[-2]:
    rm.render_quality(report)

with tabs[-1]:
    render_method(int(freshness_days))
