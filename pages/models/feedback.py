"""Feedback loop: rules that open follow-up cases, the case list and case work, the
loop's numbers, "you said, we did", comment topics and sentiment, and the method."""

import pandas as pd
import streamlit as st

from pfcrm_core.errors import ModelError, PfcrmError
from pfcrm_core.export import to_csv_bytes
from pfcrm_core.feedback import FollowUpRules
from pfcrm_core.ui import (active_store, cached_table, clear_caches, labeller,
                           language, t)
from pfcrm_core.ui import feedback as fb
from pfcrm_core.ui.client_table import client_table
from pfcrm_core.ui.context import error_text, show_error
from pfcrm_core.ui.satisfaction import cached_chinese_model

FLASH = "fb_flash"

store = active_store()
lang = language()

st.title(t("feedback_page.title"))
st.caption(t("feedback_page.caption"))

feedback = cached_table(store, "feedback")
if feedback.empty:
    st.info(t("feedback_page.empty"))
    st.stop()

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))


def _done(message: str) -> None:
    """Keep a confirmation for the next run and rerun with the new data."""
    st.session_state[FLASH] = message
    st.rerun()


number = st.column_config.NumberColumn
author = st.sidebar.text_input(t("feedback_page.author"), key="fb_author",
                               help=t("feedback_page.author_help")).strip() or None
latest = pd.to_datetime(feedback["date"]).max()

cases_tab, loop_tab, said_tab, comments_tab, method_tab = st.tabs([
    t("feedback_page.tab.cases"), t("feedback_page.tab.loop"),
    t("feedback_page.tab.said"), t("feedback_page.tab.comments"),
    t("feedback_page.tab.method")])

with cases_tab:
    st.subheader(t("feedback_page.rules.heading"))
    with st.form("fb_rules"):
        first, second, third, fourth = st.columns(4)
        use_nps = first.checkbox(t("feedback_page.rules.use_nps"), value=True,
                                 key="fb_use_nps")
        nps_max = first.number_input(t("feedback_page.rules.nps_max"), min_value=0,
                                     max_value=10, value=6, step=1, key="fb_nps_max")
        use_csat = second.checkbox(t("feedback_page.rules.use_csat"), value=True,
                                   key="fb_use_csat")
        csat_max = second.number_input(t("feedback_page.rules.csat_max"), min_value=1,
                                       max_value=5, value=2, step=1, key="fb_csat_max")
        negative = third.checkbox(t("feedback_page.rules.negative_comment"), value=True,
                                  key="fb_negative_comment")
        threshold = third.number_input(t("feedback_page.rules.threshold"),
                                       min_value=0.0, max_value=1.0, value=0.2,
                                       step=0.05, key="fb_threshold",
                                       help=t("feedback_page.rules.threshold_help"))
        sla_days = fourth.number_input(t("feedback_page.rules.sla"), min_value=0,
                                       max_value=60, value=5, step=1, key="fb_sla")
        since = fourth.date_input(
            t("feedback_page.rules.since"),
            value=(latest - pd.Timedelta(days=fb.DEFAULT_LOOKBACK_DAYS)).date(),
            key="fb_since", help=t("feedback_page.rules.since_help"))
        run = st.form_submit_button(t("feedback_page.rules.run"), type="primary",
                                    key="fb_run_rules")
    rules = FollowUpRules(nps_max=int(nps_max) if use_nps else None,
                          csat_max=int(csat_max) if use_csat else None,
                          negative_comment=negative,
                          sentiment_threshold=float(threshold),
                          sla_working_days=int(sla_days))
    st.caption(t("feedback_page.rules.caption", days=int(sla_days)))
    if run:
        try:
            opened = fb.run_rules(store, rules, since, author)
        except PfcrmError as exc:
            show_error(exc)
        else:
            _done(t("feedback_page.rules.opened", count=opened) if opened
                  else t("feedback_page.rules.nothing_new"))

    cases = fb.case_table(store)
    st.subheader(t("feedback_page.cases.heading"))
    if cases.empty:
        st.info(t("feedback_page.cases.none"))
    else:
        overdue = cases[cases["overdue"]]
        cols = st.columns(4)
        cols[0].metric(t("feedback_page.cases.open"),
                       f"{int(cases['status'].ne('closed').sum()):,}")
        cols[1].metric(t("feedback_page.cases.overdue"), f"{len(overdue):,}")
        cols[2].metric(t("feedback_page.cases.escalated"),
                       f"{int(cases['escalated_at'].notna().sum()):,}")
        cols[3].metric(t("feedback_page.cases.closed"),
                       f"{int(cases['status'].eq('closed').sum()):,}")
        st.caption(t("feedback_page.cases.overdue_rule"))
        if len(overdue):
            st.warning(t("feedback_page.cases.overdue_warning", count=len(overdue)))
        if overdue["escalated_at"].isna().any():
            if st.button(t("feedback_page.cases.escalate"), key="fb_escalate"):
                try:
                    count = fb.escalate_overdue(store, cases, author)
                except PfcrmError as exc:
                    show_error(exc)
                else:
                    _done(t("feedback_page.cases.escalated_now", count=count))

        rows = fb.case_rows(cases, store)
        first, second, third = st.columns(3)
        statuses = first.multiselect(t("feedback_page.filter.status"),
                                     ["open", "in progress", "closed"],
                                     default=["open", "in progress"],
                                     format_func=labeller("feedback_page.status"),
                                     key="fb_filter_status")
        owners = sorted(rows["owner"].dropna().astype(str).unique())
        chosen_owners = second.multiselect(t("feedback_page.filter.owner"), owners,
                                           key="fb_filter_owner")
        only_overdue = third.checkbox(t("feedback_page.filter.overdue"),
                                      key="fb_filter_overdue")
        shown = rows[rows["status"].isin(statuses)]
        if chosen_owners:
            shown = shown[shown["owner"].isin(chosen_owners)]
        if only_overdue:
            shown = shown[shown["overdue"]]
        client_table(
            shown[["case_id", "overdue", "client_id", "name", "status_label", "owner",
                   "opened_at", "due_at", "first_contact_at", "escalated_at",
                   "trigger_label", "nps", "comment"]],
            key="fb_cases_table", hide_index=True, width="stretch", height=360,
            column_config={
                "case_id": number(t("feedback_page.col.case_id"), format="%d"),
                "overdue": st.column_config.CheckboxColumn(
                    t("feedback_page.col.overdue")),
                "client_id": t("col.client_id"), "name": t("col.name"),
                "status_label": t("feedback_page.col.status"),
                "owner": t("feedback_page.col.owner"),
                "opened_at": st.column_config.DateColumn(
                    t("feedback_page.col.opened_at")),
                "due_at": st.column_config.DateColumn(t("feedback_page.col.due_at")),
                "first_contact_at": st.column_config.DateColumn(
                    t("feedback_page.col.first_contact_at")),
                "escalated_at": st.column_config.DateColumn(
                    t("feedback_page.col.escalated_at")),
                "trigger_label": t("feedback_page.col.triggers"),
                "nps": number(t("feedback_page.col.nps"), format="%d"),
                "comment": st.column_config.TextColumn(t("feedback_page.col.comment"),
                                                       width="large")})
        st.caption(t("feedback_page.cases.shown", shown=len(shown), total=len(rows)))

        st.subheader(t("feedback_page.case.heading"))
        labels = {int(row["case_id"]): fb.case_label(row) for _, row in rows.iterrows()}
        pickable = [int(c) for c in shown["case_id"]] or list(labels)
        case_id = st.selectbox(t("feedback_page.case.pick"), pickable,
                               format_func=labels.get, key="fb_case")
        case = rows[rows["case_id"] == case_id].iloc[0]
        left, right = st.columns([3, 2])
        with left:
            st.markdown(t("feedback_page.case.summary", client=case["client_id"],
                          status=case["status_label"], owner=case["owner"] or "–",
                          due=f"{pd.Timestamp(case['due_at']):%Y-%m-%d}",
                          triggers=case["trigger_label"] or "–"))
            st.markdown(t("feedback_page.case.client_name"))
            st.text(case["name"] if isinstance(case["name"], str) else "–")
            st.markdown(t("feedback_page.case.comment"))
            st.text(case["comment"] if isinstance(case["comment"], str)
                    else t("feedback_page.case.no_comment"))
            if case["status"] == "closed":
                st.markdown(t("feedback_page.case.closed_summary",
                              cause=case["root_cause_label"],
                              resolved=t("feedback_page.yes" if case["resolved"]
                                         else "feedback_page.no"),
                              informed=t("feedback_page.yes" if case["client_informed"]
                                         else "feedback_page.no")))
                st.markdown(t("feedback_page.case.action"))
                st.text(case["action_taken"] if isinstance(case["action_taken"], str)
                        else "–")
        with right:
            st.markdown(t("feedback_page.case.history"))
            events = store.read_case_events(case_id)
            events = events.assign(
                kind=[t(f"feedback_page.event.{kind}") for kind in events["kind"]],
                status=[t(f"feedback_page.status.{s}") if isinstance(s, str) else ""
                        for s in events["status"]])
            st.dataframe(events[["happened_at", "kind", "status", "note", "author"]],
                         hide_index=True, width="stretch", column_config={
                             "happened_at": st.column_config.DatetimeColumn(
                                 t("feedback_page.event.at"), format="YYYY-MM-DD HH:mm"),
                             "kind": t("feedback_page.event.kind"),
                             "status": t("feedback_page.col.status"),
                             "note": st.column_config.TextColumn(
                                 t("feedback_page.event.note"), width="large"),
                             "author": t("feedback_page.event.author")})

        if case["status"] != "closed":
            # Widget keys carry the case id, so a form never shows another case's input.
            note_col, contact_col, status_col = st.columns(3)
            with note_col.form("fb_note_form", clear_on_submit=True):
                note = st.text_area(t("feedback_page.case.note"),
                                    key=f"fb_note_text_{case_id}")
                add_note = st.form_submit_button(t("feedback_page.case.add_note"),
                                                 key=f"fb_add_note_{case_id}")
            with contact_col.form("fb_contact_form", clear_on_submit=True):
                contact = st.text_area(t("feedback_page.case.contact_note"),
                                       key=f"fb_contact_text_{case_id}")
                add_contact = st.form_submit_button(
                    t("feedback_page.case.record_contact"), key=f"fb_record_contact_{case_id}")
            with status_col.form("fb_status_form"):
                new_status = st.selectbox(
                    t("feedback_page.case.new_status"), list(fb.OPEN_STATUSES),
                    index=list(fb.OPEN_STATUSES).index(case["status"]),
                    format_func=labeller("feedback_page.status"), key=f"fb_new_status_{case_id}")
                change_status = st.form_submit_button(
                    t("feedback_page.case.change_status"), key=f"fb_change_status_{case_id}")
            with st.form("fb_close_form"):
                st.markdown(t("feedback_page.case.close_heading"))
                first, second = st.columns(2)
                root_cause = first.selectbox(
                    t("feedback_page.case.root_cause"), fb.root_cause_options(),
                    format_func=labeller("feedback.root_cause"), key=f"fb_root_cause_{case_id}")
                resolved = first.radio(t("feedback_page.case.resolved"), [True, False],
                                       format_func=lambda v, yes=t("feedback_page.yes"),
                                       no=t("feedback_page.no"): yes if v else no,
                                       horizontal=True, key=f"fb_resolved_{case_id}")
                informed = first.checkbox(t("feedback_page.case.informed"),
                                          key=f"fb_informed_{case_id}")
                action = second.text_area(t("feedback_page.case.action_taken"),
                                          key=f"fb_action_{case_id}")
                close = st.form_submit_button(t("feedback_page.case.close"),
                                              key=f"fb_close_{case_id}")
            try:
                if add_note:
                    if not note.strip():
                        st.warning(t("feedback_page.case.empty_note"))
                    else:
                        store.record_case_event(case_id, "note", note=note,
                                                author=author)
                        clear_caches()
                        _done(t("feedback_page.case.noted", case_id=case_id))
                if add_contact:
                    store.record_case_event(case_id, "contact",
                                            note=contact.strip() or None, author=author)
                    clear_caches()
                    _done(t("feedback_page.case.contacted", case_id=case_id))
                if change_status:
                    store.record_case_event(case_id, "status", status=new_status,
                                            author=author)
                    clear_caches()
                    _done(t("feedback_page.case.status_changed", case_id=case_id,
                            status=t(f"feedback_page.status.{new_status}")))
                if close:
                    store.close_case(case_id, root_cause=root_cause,
                                     resolved=bool(resolved),
                                     action_taken=action.strip() or None,
                                     client_informed=bool(informed), author=author)
                    clear_caches()
                    _done(t("feedback_page.case.closed", case_id=case_id))
            except PfcrmError as exc:
                show_error(exc)

with loop_tab:
    cases = fb.case_table(store)
    if cases.empty:
        st.info(t("feedback_page.loop.no_cases"))
    else:
        numbers = fb.loop_numbers(store, cases)
        cols = st.columns(4)
        share = numbers["share_within_sla"]
        cols[0].metric(t("feedback_page.loop.within_sla"),
                       "–" if pd.isna(share) else f"{share:.0%}",
                       help=t("feedback_page.loop.within_sla_help"))
        resolved_share = numbers["cases_resolved_share"]
        cols[1].metric(t("feedback_page.loop.resolved"),
                       "–" if pd.isna(resolved_share) else f"{resolved_share:.0%}",
                       help=t("feedback_page.loop.resolved_help"))
        cols[2].metric(t("feedback_page.loop.repeats"), f"{numbers['n_repeats']:,}",
                       help=t("feedback_page.loop.repeats_help"))
        change = numbers.get("nps_change")
        cols[3].metric(t("feedback_page.loop.nps_change"),
                       "–" if change is None or pd.isna(change) else f"{change:+.0f}",
                       help=t("feedback_page.loop.nps_change_help"))
        st.caption(t("feedback_page.loop.counts", due=numbers["n_due"],
                     within=numbers["n_within_sla"], pending=numbers["n_pending"],
                     closed=numbers["cases_n_closed"],
                     resolved=numbers["cases_n_resolved"], total=numbers["cases_n_cases"]))

        st.subheader(t("feedback_page.loop.pareto"))
        pareto = fb.pareto_table(store, cases, lang)
        st.caption(t("feedback_page.loop.pareto_caption",
                     open=int(cases["root_cause"].isna().sum())))
        if pareto.empty:
            st.info(t("feedback_page.loop.no_causes"))
        else:
            st.plotly_chart(fb.pareto_figure(pareto), width="stretch", key="fb_pareto")
            st.dataframe(
                pareto[["name", "n_cases", "weight", "share", "cumulative_share"]],
                hide_index=True, width="stretch", column_config={
                    "name": t("feedback_page.col.root_cause"),
                    "n_cases": number(t("feedback_page.loop.n_cases"), format="%d"),
                    "weight": number(t("feedback_page.loop.exposure"), format="%,.0f"),
                    "share": number(t("feedback_page.loop.share"), format="percent"),
                    "cumulative_share": number(t("feedback_page.loop.cumulative"),
                                               format="percent")})

        left, right = st.columns(2)
        with left:
            st.subheader(t("feedback_page.loop.repeat_heading"))
            window = st.number_input(t("feedback_page.loop.window"), min_value=30,
                                     max_value=1095, value=365, step=30,
                                     key="fb_repeat_window")
            repeats, _ = fb.repeat_table(cases, int(window))
            if repeats.empty:
                st.info(t("feedback_page.loop.no_repeats"))
            else:
                client_table(repeats, key="fb_repeats", hide_index=True,
                             width="stretch", column_config={
                    "client_id": t("col.client_id"),
                    "root_cause": t("feedback_page.col.root_cause"),
                    "n_cases": number(t("feedback_page.loop.n_cases"), format="%d"),
                    "n_repeats": number(t("feedback_page.loop.n_repeats"), format="%d"),
                    "first_opened": st.column_config.DateColumn(
                        t("feedback_page.loop.first_opened")),
                    "last_opened": st.column_config.DateColumn(
                        t("feedback_page.loop.last_opened"))})
        with right:
            st.subheader(t("feedback_page.loop.change_heading"))
            st.dataframe(fb.nps_change_table(store, cases), hide_index=True,
                         width="stretch", column_config={
                             "resolved": t("feedback_page.loop.group"),
                             "n_cases": number(t("feedback_page.loop.n_cases"),
                                               format="%d"),
                             "n_next": number(t("feedback_page.loop.n_next"),
                                              format="%d"),
                             "mean_change": number(t("feedback_page.loop.mean_change"),
                                                   format="%+.2f"),
                             "nps_change": number(t("feedback_page.loop.nps_change"),
                                                  format="%+.1f")})
            st.caption(t("feedback_page.loop.change_caption"))

with said_tab:
    cases = fb.case_table(store)
    log = fb.you_said_we_did(store, cases) if not cases.empty else pd.DataFrame()
    if log.empty:
        st.info(t("feedback_page.said.none"))
    else:
        st.caption(t("feedback_page.said.caption"))
        clients = ["*"] + sorted(log["client_id"].unique())
        names = dict(zip(log["client_id"], log["name"].fillna("")))
        all_label = t("feedback_page.said.all_clients")
        client = st.selectbox(
            t("feedback_page.said.client"), clients, key="fb_said_client",
            format_func=lambda c, names=names, everyone=all_label:
            everyone if c == "*" else f"{c} · {names.get(c, '')}")
        shown = log if client == "*" else log[log["client_id"] == client]
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "client_id": t("col.client_id"), "name": t("col.name"),
            "response_date": st.column_config.DateColumn(
                t("feedback_page.said.response_date")),
            "nps": number(t("feedback_page.col.nps"), format="%d"),
            "you_said": st.column_config.TextColumn(t("feedback_page.said.you_said"),
                                                    width="large"),
            "we_did": st.column_config.TextColumn(t("feedback_page.said.we_did"),
                                                  width="large"),
            "root_cause": t("feedback_page.col.root_cause"),
            "resolved": st.column_config.CheckboxColumn(t("feedback_page.case.resolved")),
            "client_informed": st.column_config.CheckboxColumn(
                t("feedback_page.case.informed")),
            "closed_at": st.column_config.DateColumn(t("feedback_page.said.closed_at")),
            "case_id": number(t("feedback_page.col.case_id"), format="%d")})
        st.download_button(t("feedback_page.said.download"), to_csv_bytes(shown),
                           file_name="you_said_we_did.csv", mime="text/csv",
                           key="fb_said_download")

with comments_tab:
    st.subheader(t("feedback_page.comments.topics_heading"))
    n_topics = st.slider(t("feedback_page.comments.n_topics"), min_value=2,
                         max_value=15, value=8, key="fb_n_topics")
    try:
        topics = fb.topic_table(store, int(n_topics))
    except ModelError as exc:
        st.info(error_text(exc))
        topics = None
    if topics is not None:
        st.caption(t("feedback_page.comments.topics_caption"))
        st.plotly_chart(fb.topic_figure(topics), width="stretch", key="fb_topics")
        st.dataframe(
            topics[["topic", "label", "example", "n", "nps", "nps_ci_low", "nps_ci_high",
                    "nps_difference", "small_n"]],
            hide_index=True, width="stretch", column_config={
                "topic": number(t("feedback_page.comments.topic"), format="%d"),
                "label": t("feedback_page.comments.terms"),
                "example": st.column_config.TextColumn(
                    t("feedback_page.comments.example"), width="large"),
                "n": number(t("feedback_page.comments.n"), format="%d"),
                "nps": number("NPS", format="%+.1f"),
                "nps_ci_low": number(t("feedback_page.comments.ci_low"), format="%+.1f"),
                "nps_ci_high": number(t("feedback_page.comments.ci_high"),
                                      format="%+.1f"),
                "nps_difference": number(t("feedback_page.comments.nps_difference"),
                                         format="%+.1f"),
                "small_n": st.column_config.CheckboxColumn(
                    t("feedback_page.comments.small_n"))})

    st.subheader(t("feedback_page.comments.sentiment_heading"))
    impact = fb.sentiment_impact(store)
    st.caption(t("feedback_page.comments.sentiment_caption"))
    st.plotly_chart(fb.sentiment_figure(impact), width="stretch", key="fb_sentiment")
    st.dataframe(
        impact[["language_label", "label_name", "n", "mean_score", "nps", "nps_ci_low",
                "nps_ci_high", "small_n"]],
        hide_index=True, width="stretch", column_config={
            "language_label": t("feedback_page.comments.language"),
            "label_name": t("feedback_page.comments.sentiment"),
            "n": number(t("feedback_page.comments.n"), format="%d"),
            "mean_score": number(t("feedback_page.comments.mean_score"), format="%.2f"),
            "nps": number("NPS", format="%+.1f"),
            "nps_ci_low": number(t("feedback_page.comments.ci_low"), format="%+.1f"),
            "nps_ci_high": number(t("feedback_page.comments.ci_high"), format="%+.1f"),
            "small_n": st.column_config.CheckboxColumn(
                t("feedback_page.comments.small_n"))})

with method_tab:
    model = cached_chinese_model()
    fb.render_method(model.test_accuracy, model.n_test)
