"""Command line: check spreadsheets before importing them.

Usage::

    python -m pfcrm_core.ingest FILE [FILE ...] [--table deals] [--sheet 交易]
        [--db data/pfcrm.duckdb] [--lang zh] [--json] [--max-issues 50]

Prints each file's summary and issues. Exit status: 0 when every file is accepted
whole, 1 when some rows or sheets are rejected, 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

import duckdb

from pfcrm_core.errors import ImportFileError
from pfcrm_core.i18n import LANGUAGES
from pfcrm_core.ingest.issues import error_message
from pfcrm_core.ingest.pipeline import import_file
from pfcrm_core.schema import LOAD_ORDER


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pfcrm_core.ingest",
        description="Read CSV and Excel files, map their columns to PF-CRM tables "
                    "and list every problem. Writes nothing.")
    parser.add_argument("files", nargs="+", help="CSV, XLSX, XLS or ODS files")
    parser.add_argument("--table", choices=LOAD_ORDER,
                        help="read every sheet as this table instead of detecting it")
    parser.add_argument("--sheet", action="append", dest="sheets",
                        help="read only this sheet; repeat for several")
    parser.add_argument("--db", help="DuckDB file to check ids against and to "
                                     "compare rows with (opened read-only)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the messages (default: en)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON report per file instead of text")
    parser.add_argument("--max-issues", type=int, default=50,
                        help="issues listed per file in text output (default: 50)")
    parser.add_argument("--include-hidden", action="store_true",
                        help="also read hidden sheets")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        con = duckdb.connect(args.db, read_only=True) if args.db else None
    except duckdb.Error as error:
        print(f"cannot open database {args.db} read-only ({error}); close the app "
              f"or other programs that write to it and try again", file=sys.stderr)
        return 2
    status = 0
    try:
        for path in args.files:
            status = max(status, _check_file(path, args, con))
    finally:
        if con is not None:
            con.close()
    return status


def _check_file(path: str, args: argparse.Namespace, con) -> int:
    """Print the report of one file and return its exit status."""
    try:
        plan = import_file(path, table=args.table, sheets=args.sheets, con=con,
                           include_hidden=args.include_hidden)
    except (ImportFileError, KeyError) as error:
        text = error_message(error, args.lang) if isinstance(
            error, ImportFileError) else str(error.args[0])
        if args.json:
            print(json.dumps({"source": path, "error": text}, ensure_ascii=False))
        else:
            print(f"{path}: {text}", file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps(plan.to_dict(args.lang), ensure_ascii=False, default=str))
    else:
        print(plan.summary(args.lang))
        issues = plan.all_issues()
        for issue in issues[:args.max_issues]:
            print(f"  [{issue.severity}] {issue.message(args.lang)}")
        if len(issues) > args.max_issues:
            print(f"  ... {len(issues) - args.max_issues} more")
    return 1 if plan.errors else 0
