"""Importing analysts' CSV and Excel files into the canonical tables.

The pipeline reads a file whatever its format and encoding (:mod:`.source`), finds
the header row and the table in each sheet (:mod:`.layout`, :mod:`.headers`),
converts every cell to its column's kind (:mod:`.values`, with the vocabularies of
category columns in :mod:`.categories`), checks rules, references and keys
(:mod:`.convert`, :mod:`.rules`, :mod:`.references`, :mod:`.keys`), rejects rows
with values outside the header's columns (:mod:`.extra_cells`), notes what it
assumed (:mod:`.notes`) and compares the rows with the database (:mod:`.changes`). The result is an :class:`ImportPlan`, and
nothing is written to the database. The upload page and ``python -m pfcrm_core
import`` use the one-table flow of :mod:`.upload`, which writes through the store.
Every read and write of the database goes through :class:`pfcrm_core.store.Store`;
no module of this package runs SQL.

Example
-------
>>> plan = import_file("deals.xlsx", store=Store())  # doctest: +SKIP
>>> print(plan.summary("zh"))                       # doctest: +SKIP
>>> deals = plan.accepted("deals")                  # doctest: +SKIP
"""

from pfcrm_core.ingest.changes import classify_changes
from pfcrm_core.ingest.issues import ERROR, WARNING, Issue, error_message
from pfcrm_core.ingest.pipeline import import_file, plan_import
from pfcrm_core.ingest.plan import ImportPlan, TableImport
from pfcrm_core.ingest.references import ReferenceIndex
from pfcrm_core.ingest.source import Workbook, read_source
from pfcrm_core.ingest.templates import template_csv, template_xlsx
from pfcrm_core.ingest.upload import (ImportResult, UploadPlan, check_import,
                                      commit_import, prepare_import)

__all__ = [
    "ERROR", "WARNING", "ImportPlan", "ImportResult", "Issue", "ReferenceIndex",
    "TableImport", "UploadPlan", "Workbook", "check_import", "classify_changes",
    "commit_import", "error_message", "import_file", "plan_import", "prepare_import",
    "read_source", "template_csv", "template_xlsx",
]
