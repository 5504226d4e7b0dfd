"""Widgets of the upload flow: the prepared plan, the mapping editor, templates, reset."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from .. import schema
from ..i18n import catalogue
from ..store import Store
from .cache import clear_caches
from .context import column_label, t

_PLAN_KEY = "_import_plan_cache"
# Plans kept in the session: the page's first plan and those of recent settings.
_CACHED_PLANS = 4
_DATE_ORDERS = ("mdy", "dmy", "ymd")


def _plan_signature(content: bytes, file_name: str, table_name: str, options: dict,
                    store: Store) -> tuple:
    digest = hashlib.sha256(content).hexdigest()
    frozen = tuple(sorted((k, repr(v)) for k, v in options.items()))
    return (digest, file_name, table_name, frozen, store.data_version())


def prepared_plan(store: Store, content: bytes, file_name: str, table_name: str,
                  **options):
    """Return the import plan for this upload, parsing the file only when something changed.

    The plans of the last few settings of this file are kept in the session, so
    reruns caused by unrelated widgets, and going back to an earlier setting, do not
    parse a large file again.
    """
    from ..ingest import prepare_import

    signature = _plan_signature(content, file_name, table_name, options, store)
    cached = st.session_state.get(_PLAN_KEY)
    if not isinstance(cached, dict):
        cached = {}
    if signature in cached:
        return cached[signature]

    with st.spinner(t("data.upload.reading", file=file_name)):
        plan = prepare_import(content, table_name, store, file_name=file_name, **options)
    # Plans of other files are dropped, and of this file the most recent are kept.
    same_file = [(key, value) for key, value in cached.items()
                 if key[:2] == signature[:2]]
    recent = dict(same_file[-(_CACHED_PLANS - 1):])
    recent[signature] = plan
    st.session_state[_PLAN_KEY] = recent
    return plan


def plan_counts(plan) -> dict[str, int]:
    """Return the row counts shown above the preview."""
    problem_rows = {p.row for p in plan.problems}
    return {
        "rows": len(plan.accepted) + len(problem_rows),
        "inserts": len(plan.inserts),
        "updates": len(plan.updates),
        "unchanged": int(plan.unchanged),
        "problem_rows": len(problem_rows),
    }


def undo_labels(undoable):
    """Return a format function that labels an import id with its file name."""
    files = undoable.set_index("import_id")["file_name"].to_dict()
    template = t("data.history.undo_label", import_id="{import_id}", file="{file}")
    return lambda import_id: template.format(import_id=import_id,
                                             file=files.get(import_id, ""))


def rejection_reason(plan, skip_invalid: bool) -> str:
    """Explain in the session's language why the import was refused."""
    if plan.problems and (not skip_invalid or any(p.row is None for p in plan.problems)):
        return t("data.upload.rejected_problems", file=plan.file_name,
                 count=len(plan.problems))
    return t("data.upload.rejected_updates", count=len(plan.updates),
             keys=plan.updated_keys(), box=t("data.upload.confirm_updates"))


def mapping_editor(store: Store, plan, content: bytes, file_name: str, table_name: str):
    """Let the user pick the sheet, header row and column mapping; return the updated plan."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    key_base = f"{digest}_{table_name}"
    table = schema.get_table(table_name)

    with st.expander(t("data.mapping.heading"), expanded=True):
        options: dict = {}
        left, right = st.columns(2)
        if plan.sheets and len(plan.sheets) > 1:
            options["sheet"] = left.selectbox(
                t("data.mapping.sheet"), plan.sheets, index=plan.sheets.index(plan.sheet),
                key=f"sheet_{key_base}")
        options["header_row"] = int(right.number_input(
            t("data.mapping.header_row"), min_value=1, value=int(plan.header_row),
            step=1, key=f"header_{key_base}_{options.get('sheet')}"))

        choices = [None, *table.column_names]
        ignore = t("data.mapping.ignore")
        labels = {name: f"{name} · {column_label(table.name, name)}"
                  for name in table.column_names}
        layout_key = f"{key_base}_{options.get('sheet')}_{options['header_row']}"
        mapping = {}
        grid = st.columns(3)
        for position, (index, label) in enumerate(plan.source_columns):
            current = plan.mapping.get(index)
            mapping[index] = grid[position % 3].selectbox(
                label, choices, index=choices.index(current) if current in choices else 0,
                format_func=lambda c: ignore if c is None else labels[c],
                key=f"map_{layout_key}_{index}")
        date_orders = date_order_choices(plan, layout_key)

    unchanged_layout = (options.get("sheet", plan.sheet) == plan.sheet
                        and options["header_row"] == plan.header_row)
    used = {index: name for index, name in mapping.items() if name}
    if unchanged_layout and used == plan.mapping and (
            date_orders == plan.ambiguous_dates):
        return plan
    if not unchanged_layout:
        return prepared_plan(store, content, file_name, table_name, **options)
    if used != plan.mapping:
        options["mapping"] = mapping
    if date_orders != plan.ambiguous_dates:
        options["date_orders"] = date_orders
    return prepared_plan(store, content, file_name, table_name, **options)


def date_order_choices(plan, layout_key: str) -> dict[int, str]:
    """Offer a date order for each column with dates such as 05/03/2024; return the
    chosen order by column position."""
    headers = dict(plan.source_columns)
    chosen = {}
    for index, current in sorted(plan.ambiguous_dates.items()):
        header = headers.get(index, f"#{index + 1}")
        chosen[index] = st.selectbox(
            t("data.mapping.date_order", column=header), _DATE_ORDERS,
            index=_DATE_ORDERS.index(current),
            format_func=lambda order: t(f"ingest.date_order.{order}"),
            help=t("data.mapping.date_order_help"),
            key=f"date_order_{layout_key}_{index}")
    return chosen


def import_message(result, table_name: str) -> str:
    """Describe a finished import, or say that the file added nothing new."""
    if result.import_id is None:
        return t("data.upload.nothing_new", unchanged=result.unchanged,
                 table=t(f"table.{table_name}"))
    return t("data.upload.done", inserted=result.inserted, updated=result.updated,
             unchanged=result.unchanged, skipped=result.skipped,
             table=t(f"table.{table_name}"), import_id=result.import_id)


_HISTORY_COLUMNS = ("import_id", "table_name", "file_name", "source", "rows_in_file",
                    "rows_added", "rows_updated", "rows_rejected", "imported_at",
                    "undone_at", "sha256")


def show_history(history: pd.DataFrame) -> None:
    """Show the import log with translated headers and a shortened file hash."""
    frame = history[list(_HISTORY_COLUMNS)].copy()
    frame["sha256"] = frame["sha256"].fillna("").str[:12]
    frame["table_name"] = frame["table_name"].map(
        lambda name: t(f"table.{name}") if f"table.{name}" in catalogue() else name)
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        name: t(f"data.history.col.{name}") for name in _HISTORY_COLUMNS})


def show_table(table_name: str, frame: pd.DataFrame) -> None:
    """Show a canonical table with translated headers and dates without times."""
    config = {}
    for column in schema.get_table(table_name).columns:
        label = column_label(table_name, column.name)
        if column.kind == "date":
            config[column.name] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        else:
            config[column.name] = label
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


def template_downloads(lang: str) -> None:
    """Offer an XLSX and a CSV template for every table."""
    from ..ingest import template_csv, template_xlsx

    st.write(t("data.templates.intro"))
    for name in schema.LOAD_ORDER:
        left, middle, right = st.columns([2, 1, 1])
        left.write(f"**{t(f'table.{name}')}** (`{name}`)")
        middle.download_button(
            "XLSX", template_xlsx(name, lang), file_name=f"pfcrm_{name}_template.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"template_xlsx_{name}")
        right.download_button("CSV", template_csv(name), file_name=f"pfcrm_{name}_template.csv",
                              mime="text/csv", key=f"template_csv_{name}")


def reset_to_demo(store: Store) -> None:
    """Replace every table with the seeded demo book."""
    from ..demo import DEFAULT_SEED, generate_demo

    with st.spinner(t("data.reset.running")):
        frames = generate_demo(seed=DEFAULT_SEED)
        store.replace_all(frames, label=f"demo data (seed {DEFAULT_SEED})")
    clear_caches()
