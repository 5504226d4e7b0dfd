"""Rows with values to the right of the last header: more fields than the header in a
CSV or TSV file, or cells without a header in a workbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pfcrm_core.errors import ImportRejected
from pfcrm_core.ingest import check_import, commit_import, import_file, prepare_import
from pfcrm_core.store import Store

ROOT = Path(__file__).resolve().parents[2]

HEADER = "client_id,name,client_type,relationship_manager\n"
# The last value contains a comma without quotes, so the row has five fields.
SPLIT_ROW = ("X-CSV,=cmd|' /C calc'!A0,bank,"
             "=HYPERLINK(\"http://evil.example\",\"x\")\n")
GOOD_ROW = "X-OK,Good Bank,bank,Ann Lee\n"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "store.duckdb", busy_timeout=1.0)


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m pfcrm_core --db DB ARGS`` and return the finished process."""
    env = {k: v for k, v in os.environ.items() if k != "PFCRM_DB"}
    return subprocess.run([sys.executable, "-m", "pfcrm_core", "--db", str(db), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_csv_extra_field_is_row_problem(tmp_path, store):
    path = write(tmp_path, "clients.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    assert problem.code == "extra_fields"
    assert problem.sheet == "clients.csv"
    assert problem.row == 3
    assert problem.column == "E"
    assert problem.value == "x)"
    english = problem.message("en")
    assert english.startswith("sheet clients.csv, row 3, column E: ")
    assert "header, which ends at column D" in english
    assert 'E3 "x)"' in english
    assert "put double quotes around such values" in english
    assert "delete the extra cells" in english
    chinese = problem.message("zh")
    assert "第 3 行" in chinese
    assert "表头到 D 列为止" in chinese
    assert "E3“x)”" in chinese
    assert "加上英文双引号" in chinese
    assert list(plan.accepted["client_id"]) == ["X-OK"]


def test_csv_extra_field_rejects_whole_file(tmp_path, store):
    path = write(tmp_path, "clients.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    plan = prepare_import(path, "clients", store)

    with pytest.raises(ImportRejected, match=r"clients\.csv was rejected"):
        commit_import(plan, store)
    assert store.row_counts()["clients"] == 0


def test_csv_extra_field_skipped_on_request(tmp_path, store):
    path = write(tmp_path, "clients.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    plan = prepare_import(path, "clients", store)
    result = commit_import(plan, store, skip_invalid=True)

    assert result.inserted == 1
    assert result.skipped == 1
    stored = store.read_table("clients")
    assert list(stored["client_id"]) == ["X-OK"]
    assert not stored["relationship_manager"].str.startswith("=").any()


def test_gb18030_csv_extra_field(tmp_path, store):
    text = ("客户编号,客户名称,客户类型\n"
            "C-1,华夏银行,bank\n"
            "C-2,中国建设银行,股份有限公司,bank\n")
    path = write(tmp_path, "客户.csv", text, "gb18030")
    plan = prepare_import(path, "clients", store)

    assert plan.encoding == "gb18030"
    assert [p.row for p in plan.problems] == [3, 3]
    [problem] = [p for p in plan.problems if p.code == "extra_fields"]
    assert problem.row == 3
    assert problem.column == "D"
    assert problem.value == "bank"
    chinese = problem.message("zh")
    assert chinese.startswith("工作表 客户.csv，第 3 行，列 D")
    assert "表头到 C 列为止" in chinese
    assert "D3“bank”" in chinese
    assert list(plan.accepted["client_id"]) == ["C-1"]


def test_tsv_extra_fields_listed(tmp_path, store):
    text = ("client_id\tname\tclient_type\n"
            "T-1\tTab Bank\tbank\n"
            "T-2\tSplit\tbank\tone\ttwo\n")
    path = write(tmp_path, "clients.tsv", text)
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    assert problem.row == 3
    assert problem.column == "D"
    assert 'D3 "one"; E3 "two"' in problem.message("en")


def test_trailing_empty_fields_accepted(tmp_path, store):
    text = ("client_id,name,client_type\n"
            "E-1,Trailing Comma,bank,\n"
            "E-2,Two Commas,bank,,\n"
            "E-3,Blank Cell,bank,  \n"
            "E-4,Short Row\n")
    path = write(tmp_path, "clients.csv", text)
    plan = prepare_import(path, "clients", store)

    assert plan.problems == []
    assert list(plan.accepted["client_id"]) == ["E-1", "E-2", "E-3", "E-4"]


def test_header_trailing_comma_counts_once(tmp_path, store):
    text = ("client_id,name,client_type,\n"
            "H-1,Fine,bank,\n"
            "H-2,Extra,bank,,late\n")
    path = write(tmp_path, "clients.csv", text)
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    assert problem.row == 3
    assert problem.column == "E"
    assert problem.value == "late"


def test_import_file_reports_extra_field(tmp_path):
    path = write(tmp_path, "clients.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    plan = import_file(path, table="clients")

    [error] = plan.errors
    assert error.code == "extra_fields"
    assert error.row == 3
    assert list(plan.accepted("clients")["client_id"]) == ["X-OK"]


def test_xlsx_cell_without_header(xlsx, store):
    path = xlsx({"Clients": [
        ["client_id", "name", "client_type"],
        ["W-1", "Fine Bank", "bank", None, None],
        ["W-2", "Side Note", "bank", None, "call back"],
        ["W-3", "Blank Cell", "bank", "   "],
    ]})
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    assert problem.code == "extra_cells"
    assert problem.sheet == "Clients"
    assert problem.row == 3
    assert problem.column == "E"
    assert problem.value == "call back"
    english = problem.message("en")
    assert english.startswith("sheet Clients, row 3, column E: ")
    assert "right of the last header column (C)" in english
    assert 'E3 "call back"' in english
    assert "add a header for them, or delete the values" in english
    chinese = problem.message("zh")
    assert "表头最后一列（C 列）右侧" in chinese
    assert "E3“call back”" in chinese
    assert list(plan.accepted["client_id"]) == ["W-1", "W-3"]
    with pytest.raises(ImportRejected, match=r"book\.xlsx was rejected"):
        check_import(plan)


def test_xlsx_number_without_header(xlsx, store):
    path = xlsx({"Clients": [
        ["client_id", "name", "client_type", "relationship_manager"],
        ["N-1", "Zero", "bank", "Ann", 0],
    ]})
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    assert problem.row == 2
    assert problem.column == "E"
    assert 'E2 "0"' in problem.message("en")


def test_xlsx_many_extra_cells_shortened(xlsx, store):
    path = xlsx({"Clients": [
        ["client_id", "name", "client_type"],
        ["M-1", "Many", "bank", *[f"v{i}" for i in range(12)]],
    ]})
    plan = prepare_import(path, "clients", store)

    [problem] = plan.problems
    english = problem.message("en")
    assert 'D2 "v0"' in english
    assert 'M2 "v9"' in english
    assert "N2" not in english
    assert "and 2 more" in english


def test_cli_extra_field_rejects_file(tmp_path):
    db = tmp_path / "cli.duckdb"
    path = write(tmp_path, "file.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    done = run_cli(db, "import", str(path), "--table", "clients")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Nothing was imported" in done.stdout
    assert "row 3, column E" in done.stdout
    assert 'E3 "x)"' in done.stdout
    assert Store(db).read_table("clients").empty


def test_cli_skip_invalid_skips_extra_field(tmp_path):
    db = tmp_path / "cli.duckdb"
    path = write(tmp_path, "file.csv", HEADER + GOOD_ROW + SPLIT_ROW)
    done = run_cli(db, "import", str(path), "--table", "clients", "--skip-invalid",
                   "--json")

    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["imported"] == 1
    assert report["skipped"] == 1
    [rejected] = report["rejected"]
    assert rejected["row"] == 3
    assert rejected["column"] == "E"
    assert rejected["value"] == "x)"
    assert "quotes" in rejected["reason"]
    assert list(Store(db).read_table("clients")["client_id"]) == ["X-OK"]
