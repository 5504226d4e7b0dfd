"""Live: the latest activity, imports and KPIs, refreshed on a timer.

The body runs in a fragment with ``run_every``, so only it reruns at each tick.
Reads are cached on the database file's fingerprint, so rows imported from the
command line show at the next tick without restarting the app.
"""

from datetime import datetime

import streamlit as st

from pfcrm_core.errors import PfcrmError
from pfcrm_core.ui import active_store, fmt_money, labeller, show_error, t
from pfcrm_core.ui.live import (activity_columns, activity_table, cached_snapshot,
                                data_page_link, imports_columns, imports_table)

REFRESH_SECONDS = (0, 10, 30, 60)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC%z"

store = active_store()

st.title(t("live.title"))
st.caption(t("live.caption"))

interval = st.selectbox(t("live.interval"), REFRESH_SECONDS, index=2,
                        format_func=labeller("live.interval_option"),
                        help=t("live.interval_help"), key="live_interval")


def render_body() -> None:
    """Draw the times, KPIs, activity and imports from a fresh or cached snapshot."""
    st.button(t("live.refresh_now"), icon=":material/refresh:", key="live_refresh")
    try:
        snapshot = cached_snapshot(store)
    except PfcrmError as exc:
        show_error(exc)
        return

    # Three times: the data's own date, this refresh, and the file's last write.
    times = st.columns(3)
    times[0].metric(t("live.data_as_of"),
                    f"{snapshot.data_as_of:%Y-%m-%d}" if snapshot.data_as_of is not None
                    else "–", help=t("live.data_as_of_help"))
    now = datetime.now().astimezone()
    times[1].metric(t("live.updated_at"), now.strftime("%H:%M:%S"),
                    help=t("live.updated_at_help"))
    modified = snapshot.file_modified_at
    times[2].metric(t("live.file_modified_at"),
                    modified.strftime("%H:%M:%S") if modified else "–",
                    help=t("live.file_modified_at_help"))
    st.caption(t("live.times_detail",
                 updated=now.strftime(TIME_FORMAT),
                 modified=modified.strftime(TIME_FORMAT) if modified else "–"))

    if snapshot.kpis is None:
        st.info(t("live.empty"))
        data_page_link()
    else:
        kpis = snapshot.kpis
        growth = kpis.revenue_growth
        columns = st.columns(4)
        columns[0].metric(t("live.kpi.clients"), f"{kpis.clients:,}",
                          help=t("live.kpi.active", active=f"{kpis.active_clients:,}"))
        columns[1].metric(t("live.kpi.exposure"), fmt_money(kpis.exposure_usd),
                          help=t("live.kpi.live_deals", deals=f"{kpis.live_deals:,}"))
        columns[2].metric(t("live.kpi.revenue"), fmt_money(kpis.revenue_12m_usd),
                          delta=f"{growth:+.1%}" if growth is not None else None)
        columns[3].metric(t("live.kpi.rows"),
                          f"{sum(snapshot.row_counts.values()):,}")

    st.subheader(t("live.activity.heading"))
    if snapshot.activity.empty:
        st.info(t("live.activity.empty"))
    else:
        st.caption(t("live.activity.caption", count=len(snapshot.activity)))
        st.dataframe(activity_table(snapshot.activity), hide_index=True,
                     width="stretch", column_config=activity_columns(),
                     key="live_activity")

    st.subheader(t("live.imports.heading"))
    if snapshot.imports.empty:
        st.info(t("live.imports.empty"))
    else:
        st.caption(t("live.imports.caption"))
        st.dataframe(imports_table(snapshot.imports), hide_index=True, width="stretch",
                     column_config=imports_columns(), key="live_imports")


st.fragment(run_every=interval or None)(render_body)()
