"""Data: upload spreadsheets, review problems, commit, undo, templates, row counts."""

import streamlit as st

from pfcrm_core import schema
from pfcrm_core.errors import ImportRejected, PfcrmError
from pfcrm_core.ui import (
    active_store,
    cached_history,
    cached_row_counts,
    cached_table,
    clear_caches,
    labeller,
    language,
    show_error,
    t,
)
from pfcrm_core.ui.imports import (
    import_message,
    show_history,
    show_table,
    mapping_editor,
    plan_counts,
    rejection_reason,
    undo_labels,
    prepared_plan,
    reset_to_demo,
    template_downloads,
)

store = active_store()
lang = language()

st.title(t("data.title"))
st.caption(t("data.caption"))

try:
    counts = cached_row_counts(store)
except PfcrmError as exc:
    show_error(exc)
    st.stop()

st.caption(t("data.counts_caption"))
columns = st.columns(4)
for index, name in enumerate(schema.LOAD_ORDER):
    columns[index % 4].metric(t(f"table.{name}"), f"{counts[name]:,}")

upload_tab, history_tab, templates_tab, browse_tab, reset_tab = st.tabs([
    t("data.tab.upload"), t("data.tab.history"), t("data.tab.templates"),
    t("data.tab.browse"), t("data.tab.reset"),
])

with upload_tab:
    if message := st.session_state.pop("import_message", None):
        st.success(message)

    table_name = st.selectbox(t("data.upload.table"), schema.LOAD_ORDER,
                              format_func=labeller("table"), key="upload_table")
    st.caption(t("data.upload.order_hint"))
    # A new key after each import clears the uploader, so the page starts afresh.
    upload = st.file_uploader(
        t("data.upload.file"), key=f"upload_file_{st.session_state.get('upload_round', 0)}")

    if upload is not None:
        content = upload.getvalue()
        try:
            plan = prepared_plan(store, content, upload.name, table_name)
        except PfcrmError as exc:
            show_error(exc)
            st.stop()

        st.write(t("data.upload.file_info", file=upload.name, type=plan.file_type,
                   encoding=plan.encoding or "–", sheet=plan.sheet or "–",
                   header=plan.header_row))
        plan = mapping_editor(store, plan, content, upload.name, table_name)
        for note in plan.notes_text(lang):
            st.info(note, icon=":material/info:")

        summary = plan_counts(plan)
        metric_columns = st.columns(5)
        metric_columns[0].metric(t("data.upload.rows"), f"{summary['rows']:,}")
        metric_columns[1].metric(t("data.upload.new"), f"{summary['inserts']:,}")
        metric_columns[2].metric(t("data.upload.changed"), f"{summary['updates']:,}")
        metric_columns[3].metric(t("data.upload.unchanged"), f"{summary['unchanged']:,}")
        metric_columns[4].metric(t("data.upload.problems"), f"{summary['problem_rows']:,}")

        problems = plan.problems_frame(lang)
        if not problems.empty:
            st.subheader(t("data.upload.problems_heading"))
            # The last column contains the reason and what to do, so it gets the room.
            st.dataframe(problems, hide_index=True, width="stretch", column_config={
                problems.columns[-1]: st.column_config.TextColumn(width="large")})
        updates = plan.updates_frame(lang)
        if not updates.empty:
            st.subheader(t("data.upload.updates_heading"))
            st.dataframe(updates, hide_index=True, width="stretch")

        st.subheader(t("data.upload.preview_heading"))
        st.dataframe(plan.accepted.head(200), hide_index=True, width="stretch")

        skip_invalid = False
        if not problems.empty:
            skip_invalid = st.checkbox(t("data.upload.skip_invalid"), key="skip_invalid")
        confirm_updates = False
        if not updates.empty:
            confirm_updates = st.checkbox(t("data.upload.confirm_updates"),
                                          key="confirm_updates")

        if st.button(t("data.upload.commit"), type="primary", key="commit_import"):
            from pfcrm_core.ingest import commit_import

            try:
                result = commit_import(plan, store, skip_invalid=skip_invalid,
                                       confirm_updates=confirm_updates)
            except ImportRejected:
                st.error(rejection_reason(plan, skip_invalid))
            except PfcrmError as exc:
                show_error(exc)
            else:
                clear_caches()
                st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
                st.session_state["import_message"] = import_message(result, table_name)
                st.rerun()

with history_tab:
    history = cached_history(store)
    if history.empty:
        st.info(t("data.history.empty"))
    else:
        show_history(history)
        undoable = history[(history["source"] == "file") & history["undone_at"].isna()]
        if not undoable.empty:
            import_id = st.selectbox(
                t("data.history.undo_choice"), undoable["import_id"].tolist(),
                format_func=undo_labels(undoable),
                key="undo_choice")
            undo_confirmed = st.checkbox(t("data.history.undo_confirm"), key="undo_confirm")
            if st.button(t("data.history.undo"), disabled=not undo_confirmed,
                         key="undo_button"):
                try:
                    outcome = store.undo_import(int(import_id))
                except PfcrmError as exc:
                    show_error(exc)
                else:
                    clear_caches()
                    st.success(t("data.history.undone", **outcome))

with templates_tab:
    template_downloads(lang)

with browse_tab:
    browse_name = st.selectbox(t("data.browse.table"), schema.LOAD_ORDER,
                               format_func=labeller("table"), key="browse_table")
    frame = cached_table(store, browse_name)
    st.caption(t("data.browse.count", rows=len(frame)))
    show_table(browse_name, frame.head(5000))

with reset_tab:
    st.warning(t("data.reset.warning"))
    confirmed = st.checkbox(t("data.reset.confirm"), key="reset_confirm")
    if st.button(t("data.reset.button"), disabled=not confirmed, key="reset_button"):
        reset_to_demo(store)
        st.success(t("data.reset.done"))
