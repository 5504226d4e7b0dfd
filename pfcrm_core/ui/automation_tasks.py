"""The Automation page's task list: filters, exports, running the rules, working a task."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ..automation import PRIORITIES, run_rules, tasks_to_ics
from ..errors import PfcrmError
from ..export import to_csv_bytes
from ..store import Store
from ..store.automation import OPEN_STATUSES, TASK_STATUSES
from .automation import cached_sources, flash
from .cache import cached_table
from .client_table import client_table
from .context import language, show_error, t

TABLE_COLUMNS = ["task_id", "due_at", "priority_label", "status_label", "client_name",
                 "rule_name", "owner", "reason", "note"]
EXPORT_COLUMNS = ["task_id", "rule_name", "client_id", "client_name", "title", "reason",
                  "owner", "due_at", "priority", "status", "created_at", "closed_at",
                  "note"]


@st.cache_data(show_spinner=False, max_entries=8)
def _tasks(path: str, version: tuple) -> pd.DataFrame:
    return Store(path).read_tasks()


def cached_tasks(store: Store) -> pd.DataFrame:
    """Return every task with the client's name, read once per version of the file."""
    tasks = _tasks(str(store.path), store.data_version())
    clients = cached_table(store, "clients")[["client_id", "name"]]
    return tasks.merge(clients.rename(columns={"name": "client_name"}),
                       on="client_id", how="left")


def render_run_button(store: Store, as_of: date) -> None:
    """Draw "Run rules now"; on click, create the tasks and rerun with a message."""
    if not st.button(t("automation_page.tasks.run"), key="automation_run_rules",
                     type="primary"):
        return
    try:
        with st.spinner(t("automation_page.tasks.running")):
            report = run_rules(store, as_of, sources=cached_sources(store),
                               lang=language())
    except PfcrmError as exc:
        show_error(exc)
        return
    existing = int(report.per_rule["existing"].sum())
    flash("success", t("automation_page.tasks.ran", created=report.created,
                       existing=existing, rules=len(report.per_rule),
                       date=f"{report.as_of:%Y-%m-%d}"))
    st.rerun()


def filter_tasks(tasks: pd.DataFrame) -> pd.DataFrame:
    """Draw the status, owner and priority filters and return the matching tasks."""
    lang = language()
    first, second, third = st.columns(3)
    statuses = first.multiselect(
        t("automation_page.tasks.status"), list(TASK_STATUSES),
        default=list(OPEN_STATUSES), key="automation_filter_status",
        format_func=lambda v, lang=lang: _translate(f"automation.status.{v}", lang))
    owners = sorted(tasks["owner"].dropna().astype(str).unique())
    chosen_owners = second.multiselect(t("automation_page.tasks.owner"), owners,
                                       key="automation_filter_owner",
                                       placeholder=t("automation_page.tasks.all"))
    priorities = third.multiselect(
        t("automation_page.tasks.priority"), list(PRIORITIES),
        key="automation_filter_priority", placeholder=t("automation_page.tasks.all"),
        format_func=lambda v, lang=lang: _translate(f"automation.priority.{v}", lang))

    shown = tasks[tasks["status"].isin(statuses)]
    if chosen_owners:
        shown = shown[shown["owner"].isin(chosen_owners)]
    if priorities:
        shown = shown[shown["priority"].isin(priorities)]
    return shown


def _translate(key: str, lang: str) -> str:
    from ..i18n import translate

    return translate(key, lang)


def render_task_table(tasks: pd.DataFrame) -> None:
    """Show the tasks with translated labels, and the CSV and ICS downloads.

    Selecting a row opens the task's client's profile (``client_table``). The
    client id column is hidden.
    """
    lang = language()
    shown = tasks.assign(
        status_label=tasks["status"].map(lambda v: _translate(f"automation.status.{v}",
                                                              lang)),
        priority_label=tasks["priority"].map(
            lambda v: _translate(f"automation.priority.{v}", lang)))
    client_table(
        shown[[*TABLE_COLUMNS, "client_id"]], key="automation_tasks_table",
        column_order=TABLE_COLUMNS, hide_index=True, width="stretch", height=360,
        column_config={
            "task_id": st.column_config.NumberColumn(t("automation_page.col.task_id"),
                                                     format="%d"),
            "due_at": st.column_config.DateColumn(t("automation_page.col.due_at"),
                                                  format="YYYY-MM-DD"),
            "priority_label": t("automation_page.col.priority"),
            "status_label": t("automation_page.col.status"),
            "client_name": t("automation_page.col.client"),
            "rule_name": t("automation_page.col.rule"),
            "owner": t("automation_page.col.owner"),
            "reason": st.column_config.TextColumn(t("automation_page.col.reason"),
                                                  width="large"),
            "note": t("automation_page.col.note"),
        })

    export = tasks[EXPORT_COLUMNS]
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("automation_page.tasks.download_csv"), to_csv_bytes(export),
                         file_name="pfcrm_tasks.csv", mime="text/csv",
                         key="automation_download_csv", disabled=export.empty)
    right.download_button(t("automation_page.tasks.download_ics"), tasks_to_ics(export, lang=language()),
                          file_name="pfcrm_tasks.ics", mime="text/calendar",
                          key="automation_download_ics", disabled=export.empty)


def render_work_form(store: Store, tasks: pd.DataFrame) -> None:
    """Draw the form to work one open task: status, owner, note, close."""
    workable = tasks[tasks["status"].isin(OPEN_STATUSES)]
    st.subheader(t("automation_page.work.heading"))
    if workable.empty:
        st.info(t("automation_page.work.none"))
        return
    labels = {int(row.task_id): f"#{int(row.task_id)} · {row.due_at:%Y-%m-%d} · "
                                f"{row.title}"
              for row in workable.itertuples()}
    task_id = st.selectbox(t("automation_page.work.task"), list(labels),
                           format_func=labels.get, key="automation_work_task")
    task = workable[workable["task_id"] == task_id].iloc[0]
    # st.text, not st.caption: a reason contains client names and rule text, which
    # Markdown would turn into images, links and colours.
    st.text(str(task["reason"] or ""))

    lang = language()
    with st.form("automation_work_form"):
        first, second = st.columns(2)
        status = first.selectbox(
            t("automation_page.work.status"), list(OPEN_STATUSES),
            index=list(OPEN_STATUSES).index(task["status"]),
            format_func=lambda v, lang=lang: _translate(f"automation.status.{v}", lang),
            key=f"automation_work_status_{task_id}")
        owner = second.text_input(t("automation_page.work.owner"),
                                  value=str(task["owner"] or ""),
                                  key=f"automation_work_owner_{task_id}")
        note = st.text_area(t("automation_page.work.note"),
                            key=f"automation_work_note_{task_id}")
        save, close, _ = st.columns([1, 1, 3])
        saved = save.form_submit_button(t("automation_page.work.save"))
        closed = close.form_submit_button(t("automation_page.work.close"),
                                          type="primary")
    if not (saved or closed):
        return
    try:
        if closed:
            store.close_task(task_id, note=note or None, author="app")
            flash("success", t("automation_page.work.closed", task_id=task_id))
        else:
            store.update_task(task_id, status=status, owner=owner.strip() or None,
                              note=note or None, author="app")
            flash("success", t("automation_page.work.saved", task_id=task_id))
    except PfcrmError as exc:
        show_error(exc)
        return
    st.rerun()
