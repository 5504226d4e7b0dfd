"""Automation & Prediction: rules that raise follow-up tasks, the task list, prediction."""

import streamlit as st

from pfcrm_core.automation import RuleError, default_as_of, stored_rules
from pfcrm_core.errors import PfcrmError
from pfcrm_core.ui import (
    active_store,
    cached_table,
    error_text,
    language,
    show_error,
    t,
)
from pfcrm_core.ui.automation import (
    NEW_RULE,
    backtest_summary,
    cached_sources,
    checked_rule,
    flash,
    load_editor,
    render_backtest,
    render_rule_fields,
    rules_table,
    run_backtest,
    show_flash,
    stored_backtest,
)
from pfcrm_core.ui.automation_method import render_method, render_validation
from pfcrm_core.ui.automation_tasks import (
    cached_tasks,
    filter_tasks,
    render_run_button,
    render_task_table,
    render_work_form,
)

store = active_store()
lang = language()

st.title(t("automation_page.title"))
st.caption(t("automation_page.caption"))
show_flash()

if cached_table(store, "clients").empty:
    st.info(t("automation_page.no_clients"))
    st.stop()

try:
    sources = cached_sources(store)
    rules = stored_rules(store, language())
    rules_frame = store.read_rules()
except RuleError as exc:
    st.error(error_text(exc))
    st.stop()
except PfcrmError as exc:
    show_error(exc)
    st.stop()

data_end = default_as_of(sources)
as_of = st.date_input(t("automation_page.as_of"), value=data_end,
                      key="automation_as_of",
                      help=t("automation_page.as_of_help",
                             date=f"{data_end:%Y-%m-%d}"))

# A key keeps the open tab when a message above it appears or goes.
rules_tab, tasks_tab, prediction_tab, method_tab = st.tabs([
    t("automation_page.tab.rules"), t("automation_page.tab.tasks"),
    t("automation_page.tab.prediction"), t("automation_page.tab.method")],
    key="automation_tab")

with rules_tab:
    st.dataframe(rules_table(rules_frame, lang), hide_index=True, width="stretch",
                 column_config={
                     "rule_id": st.column_config.NumberColumn(
                         t("automation_page.col.rule_id"), format="%d"),
                     "name": t("automation_page.col.rule"),
                     "conditions": st.column_config.TextColumn(
                         t("automation_page.col.conditions"), width="large"),
                     "owner": t("automation_page.col.owner"),
                     "due_days": t("automation_page.col.due_days"),
                     "priority": t("automation_page.col.priority"),
                     "enabled": st.column_config.CheckboxColumn(
                         t("automation_page.col.enabled")),
                 })

    names = dict(zip(rules_frame["rule_id"].astype(int), rules_frame["name"]))
    pending = st.session_state.pop("automation_pending_choice", None)
    if pending is not None:
        st.session_state["automation_rule_choice"] = pending
    if pending is not None or "automation_name" not in st.session_state:
        load_editor(rules_frame)
    choice = st.selectbox(
        t("automation_page.rule.choose"), [NEW_RULE, *names],
        format_func=lambda v, new=t("automation_page.rule.new"): new
        if v == NEW_RULE else names.get(v, str(v)),
        key="automation_rule_choice", on_change=load_editor, args=(rules_frame,))

    with st.container(border=True):
        draft = render_rule_fields()
        backtest_col, save_col, delete_col = st.columns([1, 1, 2])
        backtest_clicked = backtest_col.button(t("automation_page.rule.backtest"),
                                               key="automation_backtest")
        save_clicked = save_col.button(t("automation_page.rule.save"),
                                       key="automation_save", type="primary")
        confirm = delete_clicked = False
        if choice != NEW_RULE:
            confirm = delete_col.checkbox(t("automation_page.rule.confirm_delete"),
                                          key="automation_confirm_delete")
            delete_clicked = delete_col.button(t("automation_page.rule.delete"),
                                               key="automation_delete",
                                               disabled=not confirm)

    if backtest_clicked:
        rule = checked_rule(draft, draft=True)
        if rule is not None:
            run_backtest(store, rule, as_of)
    if save_clicked:
        rule = checked_rule(draft)
        if rule is not None and stored_backtest(rule, as_of) is None:
            # A rule is saved only after its backtest has been shown for these
            # conditions, so the user sees how often it would fire.
            run_backtest(store, rule, as_of)
            st.warning(t("automation_page.rule.review_backtest",
                         button=t("automation_page.rule.save")))
            rule = None
        if rule is not None:
            rule_id = None if choice == NEW_RULE else int(choice)
            try:
                saved_id = store.save_rule({**rule.to_dict(), "rule_id": rule_id})
            except PfcrmError as exc:
                show_error(exc)
            else:
                flash("success", t("automation_page.rule.saved", name=rule.name))
                st.session_state["automation_pending_choice"] = saved_id
                st.rerun()
    if delete_clicked and confirm:
        try:
            store.delete_rule(int(choice))
        except PfcrmError as exc:
            show_error(exc)
        else:
            flash("success", t("automation_page.rule.deleted", name=names[choice]))
            st.session_state["automation_pending_choice"] = NEW_RULE
            st.rerun()

    result = stored_backtest(draft, as_of)
    if result is not None:
        st.subheader(t("automation_page.backtest.heading"))
        render_backtest(result)
    else:
        st.caption(t("automation_page.backtest.hint"))

with tasks_tab:
    render_run_button(store, as_of)
    tasks = cached_tasks(store)
    if tasks.empty:
        st.info(t("automation_page.tasks.empty"))
    else:
        shown_tasks = filter_tasks(tasks)
        st.caption(t("automation_page.tasks.count", shown=len(shown_tasks),
                     total=len(tasks)))
        render_task_table(shown_tasks)
        render_work_form(store, shown_tasks)

with prediction_tab:
    try:
        from pfcrm_core.ui.prediction import render_prediction
    except ModuleNotFoundError as exc:
        if exc.name != "pfcrm_core.ui.prediction":
            raise
        st.info(t("automation_page.prediction.missing"))
    else:
        render_prediction(store)

with method_tab:
    render_method()
    render_validation(backtest_summary(store, rules, as_of))
