"""Command line: ``python -m pfcrm_core [--db PATH] COMMAND ...``.

Commands: ``demo`` builds the demo database, ``import`` loads a CSV or XLSX file,
``history`` and ``undo`` manage imports, ``template`` writes an empty template,
``clv`` fits the lifetime value models. Exit status 0 means the command did what
it was asked; reports go to stdout, as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from . import schema
from .errors import ImportRejected, PfcrmError
from .export import to_csv_bytes
from .fx import revenue_in_usd
from .store import Store

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

CLV_COLUMNS = ("client_id", "frequency", "recency", "T", "monetary_value", "p_alive",
               "expected_transactions", "expected_value", "clv")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m pfcrm_core",
                                     description="PF-CRM data and model commands.")
    parser.add_argument("--db", help="DuckDB file (default: $PFCRM_DB or "
                                     "data/pfcrm.duckdb)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="replace all data with the seeded demo book")
    demo.add_argument("--seed", type=int, default=None,
                      help="generator seed (default: the built-in seed)")
    demo.add_argument("--if-missing", action="store_true",
                      help="do nothing when the database already has clients")

    imp = commands.add_parser("import", help="import a CSV or XLSX file into a table")
    imp.add_argument("file", help="path of the CSV or XLSX file")
    imp.add_argument("--table", required=True, choices=schema.LOAD_ORDER)
    imp.add_argument("--sheet", help="sheet name for XLSX (default: chosen from content)")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="skip the rows with problems and import the rest")
    imp.add_argument("--confirm-updates", action="store_true",
                     help="apply changes to records that already exist")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    commands.add_parser("history", help="list the imports")

    undo = commands.add_parser("undo", help="undo one import")
    undo.add_argument("import_id", type=int)

    template = commands.add_parser("template", help="write an import template")
    template.add_argument("--table", required=True, choices=schema.LOAD_ORDER)
    template.add_argument("--lang", default="en", choices=("en", "zh"))
    template.add_argument("--output", required=True,
                          help="file to write; .xlsx or .csv decides the format")

    clv = commands.add_parser("clv", help="fit BG/NBD and Gamma-Gamma and print CLV")
    clv.add_argument("--end", type=date.fromisoformat,
                     help="observation end date YYYY-MM-DD (default: last revenue date)")
    clv.add_argument("--calibration-end", type=date.fromisoformat,
                     help="fit on revenue up to this date and validate on the rest")
    clv.add_argument("--unit", default="weeks", choices=("days", "weeks", "months"),
                     help="time unit of frequency, recency and T")
    clv.add_argument("--horizon-months", type=int, default=12,
                     help="CLV horizon in months, whatever the time unit")
    clv.add_argument("--discount-rate", type=float, default=0.01,
                     help="monthly discount rate, e.g. 0.01 for 1%% a month")
    clv.add_argument("--margin", type=float, default=1.0,
                     help="share of revenue kept as margin, 0 to 1")
    clv.add_argument("--top", type=int, default=10, help="number of top clients to print")
    clv.add_argument("--output", help="write the per-client table to this CSV file")
    clv.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    store = Store(args.db) if args.db else Store()
    handlers = {
        "demo": _cmd_demo,
        "import": _cmd_import,
        "history": _cmd_history,
        "undo": _cmd_undo,
        "template": _cmd_template,
        "clv": _cmd_clv,
    }
    try:
        return handlers[args.command](store, args)
    except PfcrmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _cmd_demo(store: Store, args) -> int:
    from .demo import DEFAULT_SEED, generate_demo

    if args.if_missing and store.exists() and store.row_counts()["clients"] > 0:
        print(f"{store.path} already has data; nothing to do.")
        return EXIT_OK
    seed = DEFAULT_SEED if args.seed is None else args.seed
    frames = generate_demo(seed=seed)
    store.replace_all(frames, label=f"demo data (seed {seed})")
    counts = store.row_counts()
    print(f"Built the demo database {store.path} (seed {seed}): "
          + ", ".join(f"{counts[name]:,} {name}" for name in schema.LOAD_ORDER))
    return EXIT_OK


def _cmd_import(store: Store, args) -> int:
    from .ingest import commit_import, prepare_import

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} was not found; check the path and try again.",
              file=sys.stderr)
        return EXIT_FAILED

    plan = prepare_import(path, args.table, store, sheet=args.sheet)
    try:
        result = commit_import(plan, store, skip_invalid=args.skip_invalid,
                               confirm_updates=args.confirm_updates)
    except ImportRejected as exc:
        _print_rejection(plan, exc, args.json)
        return EXIT_FAILED

    report = result.to_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        print(plan.summary("en"))
        print(f"Imported {report['inserted']} new and {report['updated']} changed rows "
              f"into {args.table} (import {report['import_id']}); "
              f"{report['unchanged']} unchanged, {report['skipped']} skipped.")
        _print_problems(plan.problems_frame("en"))
    return EXIT_OK


def _print_rejection(plan, exc: ImportRejected, as_json: bool) -> None:
    problems = plan.problems_frame("en")
    if as_json:
        report = {"imported": 0, "error": str(exc),
                  "rejected": problems.to_dict(orient="records")}
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"Nothing was imported: {exc}")
        _print_problems(problems)


def _print_problems(problems: pd.DataFrame) -> None:
    if problems.empty:
        return
    print("Rejected rows:")
    for record in problems.to_dict(orient="records"):
        print("  " + " | ".join(f"{k}: {v}" for k, v in record.items()))


def _cmd_history(store: Store, args) -> int:
    history = store.import_history()
    if history.empty:
        print("No imports yet.")
    else:
        print(history.to_string(index=False))
    return EXIT_OK


def _cmd_undo(store: Store, args) -> int:
    result = store.undo_import(args.import_id)
    print(f"Undid import {result['import_id']} on {result['table']}: removed "
          f"{result['removed']} rows, restored {result['restored']}.")
    return EXIT_OK


def _cmd_template(store: Store, args) -> int:
    from .ingest import template_csv, template_xlsx

    output = Path(args.output)
    if output.suffix.lower() == ".csv":
        output.write_bytes(template_csv(args.table))
    else:
        output.write_bytes(template_xlsx(args.table, args.lang))
    print(f"Wrote the {args.table} template to {output}.")
    return EXIT_OK


def _cmd_clv(store: Store, args) -> int:
    from .clv import fit_clv

    revenue = store.read_table("revenue", ["client_id", "date", "amount", "currency"])
    result = fit_clv(
        revenue_in_usd(revenue),
        observation_end=pd.Timestamp(args.end) if args.end else None,
        calibration_end=(pd.Timestamp(args.calibration_end)
                         if args.calibration_end else None),
        unit=args.unit,
        horizon_months=args.horizon_months,
        discount_rate_monthly=args.discount_rate,
        margin=args.margin,
    )
    table = result.clients.sort_values("clv", ascending=False)[list(CLV_COLUMNS)]
    if args.output:
        Path(args.output).write_bytes(to_csv_bytes(table, bom=False))

    report = result.to_dict()
    report["top_clients"] = table.head(args.top).to_dict(orient="records")
    if args.json:
        print(json.dumps(_json_safe(report), ensure_ascii=False, indent=2, default=str))
    else:
        _print_clv(report, table.head(args.top))
    return EXIT_OK


def _print_clv(report: dict, top: pd.DataFrame) -> None:
    parameters = report["parameters"]
    print(f"{report['n_clients']:,} clients, {report['n_repeat_clients']:,} with a repeat "
          f"transaction; time unit {report['settings']['unit']}, observation end "
          f"{report['settings']['observation_end']}.")
    print("BG/NBD:      " + ", ".join(f"{k} = {parameters[k]:.4f}"
                                      for k in ("r", "alpha", "a", "b")) +
          f", log-likelihood = {parameters['log_likelihood']:.1f}")
    print("Gamma-Gamma: " + ", ".join(f"{k} = {parameters[k]:.4f}"
                                      for k in ("p", "q", "gamma")))
    validation = report.get("validation")
    if validation:
        print(f"Holdout: predicted {validation['predicted_total']:.0f} repeat transactions "
              f"against {validation['actual_total']:.0f} actual "
              f"({validation['aggregate_percentage_error']:+.1f}%), "
              f"MAE {validation['mae']:.3f}.")
    for warning in report.get("warnings", []):
        print(f"warning: {warning['message']}")
    print(f"Top {len(top)} clients by CLV:")
    print(top.to_string(index=False))


def _json_safe(value):
    """Replace NaN and infinity, which JSON cannot carry, with null."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
