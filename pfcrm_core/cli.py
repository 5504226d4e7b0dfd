"""Command line: ``python -m pfcrm_core [--db PATH] COMMAND ...``.

Commands: ``demo`` builds the demo database, ``import`` loads a CSV or XLSX file
(or only checks it with ``--check``), ``history`` and ``undo`` manage imports,
``template`` writes an empty template, ``clv`` fits the lifetime value models,
``run-rules`` runs the automation rules and creates their tasks. Exit
status 0 means the command did what it was asked, and 1 that it failed. Reports go
to stdout, as JSON with ``--json``. Errors go to stderr as one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from . import schema
from .errors import ImportFileError, ImportRejected, PfcrmError
from .clv.lifetime_value import DEFAULT_MARGIN
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
    imp.add_argument("--date-order", choices=("dmy", "mdy", "ymd"),
                     help="how to read dates such as 05/03/2024 in columns where no "
                          "value shows the order: dmy (day first), mdy (month first, "
                          "the default) or ymd (two-digit year first)")
    imp.add_argument("--check", action="store_true",
                     help="validate the file and print the report without writing; "
                          "exit status 0 only when it would import with no problems")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    commands.add_parser("history", help="list the imports")

    undo = commands.add_parser("undo", help="undo one import")
    undo.add_argument("import_id", type=int)

    template = commands.add_parser("template", help="write an import template")
    template.add_argument("--table", required=True, choices=schema.LOAD_ORDER)
    template.add_argument("--lang", default="en", choices=("en", "zh"))
    template.add_argument("--output", required=True,
                          help="file to write; .xlsx or .csv decides the format")

    score = commands.add_parser(
        "score", help="develop a credit scorecard and list the riskiest clients")
    score.add_argument("--file", help="develop on this CSV or XLSX table instead of "
                                      "the store's credit history")
    score.add_argument("--target", help="with --file: the binary target column")
    score.add_argument("--bad", help="with --file: the target value that means default")
    score.add_argument("--top", type=int, default=10, help="number of riskiest rows to print")
    score.add_argument("--json", action="store_true", help="print the report as JSON")

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
    clv.add_argument("--margin", type=float, default=DEFAULT_MARGIN,
                     help="share of revenue kept after costs, 0 to 1 (default 0.6)")
    clv.add_argument("--top", type=int, default=10, help="number of top clients to print")
    clv.add_argument("--output", help="write the per-client table to this CSV file")
    clv.add_argument("--json", action="store_true", help="print the report as JSON")

    rules = commands.add_parser(
        "run-rules", help="run the automation rules and create their follow-up tasks")
    rules.add_argument("--as-of", type=date.fromisoformat,
                       help="evaluation date YYYY-MM-DD (default: the last event date "
                            "in the data, or today when that is earlier)")
    rules.add_argument("--dry-run", action="store_true",
                       help="count the tasks that would be created without writing them")
    rules.add_argument("--json", action="store_true", help="print the report as JSON")
    rules.add_argument("--lang", choices=("en", "zh"), default="en",
                       help="language of the starter rules when a database has no "
                            "rules yet (default en)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    store = Store(args.db) if args.db else Store()
    handlers = {
        "score": _cmd_score,
        "demo": _cmd_demo,
        "import": _cmd_import,
        "history": _cmd_history,
        "undo": _cmd_undo,
        "template": _cmd_template,
        "clv": _cmd_clv,
        "run-rules": _cmd_run_rules,
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
    from .ingest import check_import, commit_import

    path = Path(args.file)
    plan, failure = _prepare(path, store, args)
    if failure:
        print(f"error: {failure}", file=sys.stderr)
        if args.json:
            report = {"file": str(path), "imported": 0, "error": failure}
            print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_FAILED

    options = {"skip_invalid": args.skip_invalid,
               "confirm_updates": args.confirm_updates}
    try:
        if args.check:
            result = check_import(plan, **options)
        else:
            result = commit_import(plan, store, **options)
    except ImportRejected as exc:
        reason = str(exc)
        if _rejected_for_updates(plan, args.skip_invalid):
            reason += "; run the import again with --confirm-updates to apply them"
        _print_import_report(_import_report(plan, None, args.check, reason),
                             plan, args.json)
        return EXIT_FAILED

    _print_import_report(_import_report(plan, result, args.check), plan, args.json)
    if args.check and plan.problems:
        return EXIT_FAILED
    return EXIT_OK


def _rejected_for_updates(plan, skip_invalid: bool) -> bool:
    """Return whether the import was rejected only because it changes stored rows,
    as ``check_import`` decides."""
    blocking = plan.problems and (not skip_invalid
                                  or any(p.row is None for p in plan.problems))
    return not blocking and not plan.updates.empty


def _prepare(path: Path, store: Store, args) -> tuple[object, str | None]:
    """Return the upload plan of ``path``, or None and a one-line message naming
    the file and what to do when it cannot be read."""
    from .ingest import prepare_import

    if not path.is_file():
        reason = "is a folder" if path.is_dir() else "was not found"
        return None, f"{path} {reason}; give the path of a .xlsx, .xls or .csv file."

    with tempfile.TemporaryDirectory(prefix="pfcrm-check-") as folder:
        if args.check and not store.exists():
            # A check must not create the database file, and a new file is empty.
            store = Store(Path(folder) / "new-store")
        try:
            plan = prepare_import(path, args.table, store, sheet=args.sheet,
                                  default_date_order=args.date_order or "mdy")
            return plan, None
        except ImportFileError as exc:
            return None, _naming_file(str(exc), path)
        except KeyError as exc:
            return None, f"{exc.args[0]}; choose a sheet with --sheet."
        except OSError as exc:
            return None, (f"{path} cannot be read ({exc.strerror}); check its "
                          f"permissions.")


def _naming_file(message: str, path: Path) -> str:
    """Return ``message`` on one line, prefixed with the file when it lacks it."""
    message = " ".join(message.split())
    return message if path.name in message else f"{path}: {message}"


def _import_report(plan, result, check: bool, error: str | None = None) -> dict:
    """Build the import report: counts, each rejected row with its reason, and the
    notes about how the file was read.

    ``imported`` counts the rows written (new plus changed) and ``skipped`` the rows
    with problems; ``skipped_rows`` lists those rows once each, with all their
    reasons. With ``check`` nothing is written, and ``inserted`` and ``updated``
    count the rows the import would write. When the import was rejected, nothing is
    written and ``error`` gives the reason. ``notes`` are the assumptions and rows
    skipped on purpose (totals rows, date order, units), as the app shows them;
    ``warnings`` has the same notes as sentences.
    """
    written = result is not None and not check
    return {
        "file": plan.file_name,
        "table": plan.table_name,
        "sheet": plan.sheet,
        "check": check,
        "imported": result.inserted + result.updated if written else 0,
        "inserted": result.inserted if result else 0,
        "updated": result.updated if result else 0,
        "unchanged": plan.unchanged,
        "skipped": len({p.row for p in plan.problems}),
        "import_id": result.import_id if written else None,
        "error": error,
        "rejected": [{"sheet": p.sheet, "row": p.row, "column": p.column,
                      "value": None if p.value is None else str(p.value),
                      "code": p.code, "reason": p.message("en")}
                     for p in plan.problems],
        "skipped_rows": plan.skipped_rows("en"),
        "notes": [note.to_dict("en") for note in plan.notes],
        "warnings": plan.notes_text("en"),
    }


def _print_import_report(report: dict, plan, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    print(plan.summary("en"))
    if report["warnings"]:
        print("Notes:")
        for note in report["warnings"]:
            print(f"  {note}")
    print(_outcome_line(report))
    if report["rejected"]:
        print("Skipped rows:" if report["imported"] else "Rejected rows:")
        for problem in report["rejected"]:
            print(f"  {problem['reason']}")


def _outcome_line(report: dict) -> str:
    """Return the sentence saying what the import wrote or would write."""
    table = report["table"]
    if report["error"]:
        return f"Nothing was imported: {report['error']}"
    if report["check"]:
        return (f"Checked only, nothing written. The import would add new rows: "
                f"{report['inserted']}, changed rows: {report['updated']} to {table}; "
                f"unchanged: {report['unchanged']}, with problems: "
                f"{report['skipped']}.")
    if report["import_id"] is None:
        return (f"Nothing new to import into {table}: every row is already stored "
                f"(unchanged: {report['unchanged']}, skipped: {report['skipped']}).")
    return (f"Imported into {table} as import {report['import_id']}: new rows "
            f"{report['inserted']}, changed rows {report['updated']}, unchanged "
            f"{report['unchanged']}, skipped {report['skipped']}.")


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


def _cmd_run_rules(store: Store, args) -> int:
    from .automation import run_rules

    # The store creates a missing file, which would run the rules on an empty book
    # and report success, so a scheduler with a wrong --db path would never notice.
    if not store.exists():
        print(f"error: the database {store.path} was not found; pass --db PATH or set "
              f"PFCRM_DB to an existing PF-CRM database.", file=sys.stderr)
        return EXIT_FAILED
    report = run_rules(store, args.as_of, dry_run=args.dry_run, lang=args.lang)
    if args.json:
        print(json.dumps(_json_safe(report.to_dict()), ensure_ascii=False, indent=2,
                         default=str))
        return EXIT_OK

    verb = "would create" if report.dry_run else "created"
    print(f"Rules run at {report.as_of:%Y-%m-%d}"
          f"{' (dry run, nothing written)' if report.dry_run else ''}: "
          f"{verb} {report.created} tasks.")
    for row in report.per_rule.to_dict(orient="records"):
        print(f"  {row['rule_name']}: {row['matched']} clients matched, {verb} "
              f"{row['created']}, {row['existing']} already had an open task")
    return EXIT_OK


def _json_safe(value):
    """Replace NaN and infinity, which JSON cannot carry, with null."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cmd_score(store: Store, args) -> int:
    from .risk.cli_report import score_store, score_table

    if args.file:
        if not args.target:
            print("error: --file needs --target COLUMN (and --bad VALUE unless the "
                  "target is 0/1).", file=sys.stderr)
            return EXIT_USAGE
        frame = _read_table_file(Path(args.file))
        report, riskiest = score_table(frame, args.target, args.bad, top=args.top)
    else:
        report, riskiest = score_store(store, top=args.top)

    if args.json:
        result = report.to_dict()
        result["riskiest"] = riskiest.to_dict(orient="records")
        print(json.dumps(_json_safe(result), ensure_ascii=False, indent=2, default=str))
        return EXIT_OK

    print(report.summary())
    print("\nInformation value per variable:")
    print(report.iv_table[["variable", "iv", "strength"]].to_string(index=False))
    print(f"\nRiskiest {len(riskiest)}:")
    print(riskiest.to_string(index=False))
    return EXIT_OK


def _read_table_file(path: Path) -> pd.DataFrame:
    from .errors import ImportFileError
    from .ingest.tables import read_tables

    if not path.is_file():
        raise ImportFileError(f"{path} was not found; check the path and try again.")
    tables = read_tables(path)
    if not tables:
        raise ImportFileError(f"{path} has no table with data; check the file.")
    return next(iter(tables.values()))
