"""The command line ``python -m pfcrm_core`` run as a real subprocess on DuckDB files
in tmp_path."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pfcrm_core.schema import get_table
from pfcrm_core.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"

CLIENTS_CSV = "client_id,name,client_type\nA,Alpha Bank,bank\nB,Beta Fund,investor\n"
# Row 3 has an amount that is not a number; rows 2 and 4 are valid.
REVENUE_CSV = ("client_id,date,amount,currency\n"
               "A,2024-01-31,\"1,250.50\",usd\n"
               "A,2024年2月29日,abc,usd\n"
               "B,2024-03-31,3万,cny\n")
REPORT_KEYS = {"file", "table", "sheet", "check", "imported", "inserted", "updated",
               "unchanged", "skipped", "import_id", "error", "rejected",
               "skipped_rows", "notes", "warnings"}


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m pfcrm_core --db DB ARGS`` and return the finished process."""
    env = {k: v for k, v in os.environ.items() if k != "PFCRM_DB"}
    return subprocess.run([sys.executable, "-m", "pfcrm_core", "--db", str(db), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def run_json(db: Path, *args: str) -> tuple[int, dict]:
    """Run a command with ``--json`` and return its exit status and parsed report."""
    done = run_cli(db, *args, "--json")
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "tmp.duckdb"


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """Write the clients and revenue CSV files used by several tests."""
    paths = {"clients": tmp_path / "clients.csv", "revenue": tmp_path / "revenue.csv"}
    paths["clients"].write_text(CLIENTS_CSV, encoding="utf-8")
    paths["revenue"].write_text(REVENUE_CSV, encoding="utf-8")
    return paths


def test_demo_if_missing_builds_once(db):
    first = run_cli(db, "demo", "--if-missing")
    counts = Store(db).row_counts()
    second = run_cli(db, "demo", "--if-missing")

    assert first.returncode == 0, first.stderr
    assert "Built the demo database" in first.stdout
    assert counts["clients"] > 0
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert Store(db).row_counts() == counts
    assert len(Store(db).import_history()) == 1


def test_import_json_report_structure(db, files):
    status, report = run_json(db, "import", str(files["clients"]), "--table",
                              "clients")

    assert status == 0
    assert set(report) == REPORT_KEYS
    assert report["imported"] == 2
    assert report["inserted"] == 2
    assert report["updated"] == 0
    assert report["unchanged"] == 0
    assert report["skipped"] == 0
    assert report["import_id"] == 1
    assert report["rejected"] == []


def test_rejected_file_leaves_store_unchanged(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    before = Store(db).row_counts()
    status, report = run_json(db, "import", str(files["revenue"]), "--table",
                              "revenue")

    assert status == 1
    assert report["imported"] == 0
    assert "revenue.csv was rejected" in report["error"]
    assert Store(db).row_counts() == before
    assert len(Store(db).import_history()) == 1
    [problem] = report["rejected"]
    assert problem["row"] == 3
    assert problem["column"] == "amount"
    assert problem["value"] == "abc"
    assert "row 3" in problem["reason"]
    assert "column amount" in problem["reason"]
    assert '"abc" is not a number' in problem["reason"]


def test_rejected_file_text_report(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    done = run_cli(db, "import", str(files["revenue"]), "--table", "revenue")

    assert done.returncode == 1
    assert "Nothing was imported" in done.stdout
    assert "row 3, column amount" in done.stdout


def test_skip_invalid_imports_rest(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    status, report = run_json(db, "import", str(files["revenue"]), "--table",
                              "revenue", "--skip-invalid")

    assert status == 0
    assert report["imported"] == 2
    assert report["skipped"] == 1
    assert [p["row"] for p in report["rejected"]] == [3]
    revenue = Store(db).read_table("revenue")
    assert sorted(revenue["amount"]) == pytest.approx([1250.5, 30_000])


def test_repeated_import_adds_nothing(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    status, report = run_json(db, "import", str(files["clients"]), "--table",
                              "clients")

    assert status == 0
    assert report["imported"] == 0
    assert report["unchanged"] == 2
    assert report["import_id"] is None
    assert Store(db).row_counts()["clients"] == 2
    assert len(Store(db).import_history()) == 1


def test_changed_rows_need_confirmation(db, files, tmp_path):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    changed = tmp_path / "changed.csv"
    changed.write_text(CLIENTS_CSV.replace("Beta Fund", "Beta Capital"),
                       encoding="utf-8")

    status, report = run_json(db, "import", str(changed), "--table", "clients")
    assert status == 1
    assert "would replace stored rows with other values: 1 (B)" in report["error"]
    assert "--confirm-updates" in report["error"]
    status, report = run_json(db, "import", str(changed), "--table", "clients",
                              "--confirm-updates")
    assert status == 0
    assert report["updated"] == 1
    assert "Beta Capital" in set(Store(db).read_table("clients")["name"])


def test_check_writes_nothing(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    before = (Store(db).row_counts(), Store(db).import_history())

    clean, report = run_json(db, "import", str(files["clients"]), "--table",
                             "clients", "--check")
    assert clean == 0
    assert report["check"] is True
    assert report["imported"] == 0
    assert report["unchanged"] == 2

    status, report = run_json(db, "import", str(files["revenue"]), "--table",
                              "revenue", "--check")
    assert status == 1
    assert report["imported"] == 0
    assert [p["row"] for p in report["rejected"]] == [3]

    status, report = run_json(db, "import", str(files["revenue"]), "--table",
                              "revenue", "--check", "--skip-invalid")
    assert status == 1
    assert report["inserted"] == 2
    assert report["error"] is None

    after = (Store(db).row_counts(), Store(db).import_history())
    assert after[0] == before[0]
    assert after[1].equals(before[1])


def test_check_new_rows_exit_zero(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    good = files["revenue"].with_name("good.csv")
    good.write_text("client_id,date,amount\nA,2024-01-31,5\n", encoding="utf-8")
    status, report = run_json(db, "import", str(good), "--table", "revenue",
                              "--check")

    assert status == 0
    assert report["inserted"] == 1
    assert Store(db).row_counts()["revenue"] == 0


def test_check_does_not_create_database(db, files):
    done = run_cli(db, "import", str(files["clients"]), "--table", "clients",
                   "--check")

    assert done.returncode == 0, done.stderr
    assert "Checked only, nothing written" in done.stdout
    assert not db.exists()


def _encrypted_workbook() -> bytes:
    """Return the start of an OLE2 container with an EncryptionInfo stream, which
    is how Excel stores a password-protected .xlsx."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
            + "EncryptionInfo".encode("utf-16-le"))


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "empty.csv is empty; export the sheet again"),
    ("broken.xlsx", b"PK\x03\x04broken", "broken.xlsx is damaged"),
    ("locked.xlsx", _encrypted_workbook(), "locked.xlsx is password-protected; "
                                           "remove the password"),
    ("picture.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
     "picture.xlsx is a PNG image, not a table"),
    ("data.csv", b"id,name\x00\x01\x02" + bytes(range(3, 200)),
     "data.csv is a binary file of an unknown type"),
    ("report.pdf", b"%PDF-1.7 ...", "report.pdf is a PDF"),
])
def test_unreadable_file_one_line_error(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    done = run_cli(db, "import", str(path), "--table", "clients")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: ")
    assert message in done.stderr


@pytest.mark.parametrize("target, reason", [
    ("missing.csv", "was not found"), (".", "is a folder"),
])
def test_missing_file_one_line_error(db, tmp_path, target, reason):
    path = tmp_path / target
    done = run_cli(db, "import", str(path), "--table", "clients")

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert f"{path} {reason}" in done.stderr


def test_unknown_sheet_one_line_error(db, tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "clients"
    book.active.append(["client_id", "name"])
    book.active.append(["A", "Alpha"])
    book.save(path)
    done = run_cli(db, "import", str(path), "--table", "clients", "--sheet", "deals")

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "sheet 'deals' is not in book.xlsx" in done.stderr


def test_unreadable_file_json_report(db, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    status, report = run_json(db, "import", str(path), "--table", "clients")

    assert status == 1
    assert report == {"file": str(path), "imported": 0,
                      "error": "empty.csv is empty; export the sheet again from Excel"}


def test_future_revenue_date_rejected(db, files, tmp_path):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    path = tmp_path / "future.csv"
    path.write_text("client_id,date,amount\nA,2045-03-31,10\nA,2024-03-31,10\n",
                    encoding="utf-8")
    status, report = run_json(db, "import", str(path), "--table", "revenue")

    assert status == 1
    [problem] = report["rejected"]
    assert (problem["row"], problem["column"], problem["value"]) == (
        2, "date", "2045-03-31")
    assert "future.csv" in problem["reason"]
    assert '"2045-03-31" is later than' in problem["reason"]


def test_history_and_undo(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    history = run_cli(db, "history")
    undo = run_cli(db, "undo", "1")
    again = run_cli(db, "undo", "1")

    assert history.returncode == 0
    assert "clients.csv" in history.stdout
    assert undo.returncode == 0, undo.stderr
    assert "Undid import 1 on clients: removed 2 rows, restored 0" in undo.stdout
    assert Store(db).row_counts()["clients"] == 0
    assert again.returncode == 1
    assert "Traceback" not in again.stderr
    assert "Import 1 (clients.csv) was already undone" in again.stderr


def test_history_empty(db):
    done = run_cli(db, "history")

    assert done.returncode == 0
    assert "No imports yet." in done.stdout


def test_template_xlsx_and_csv(db, tmp_path):
    xlsx_path, csv_path = tmp_path / "deals.xlsx", tmp_path / "deals.csv"
    xlsx_done = run_cli(db, "template", "--table", "deals", "--output",
                        str(xlsx_path))
    csv_done = run_cli(db, "template", "--table", "deals", "--lang", "zh",
                       "--output", str(csv_path))

    assert xlsx_done.returncode == 0, xlsx_done.stderr
    assert csv_done.returncode == 0, csv_done.stderr
    headers = [c.value for c in openpyxl.load_workbook(xlsx_path).active[1]]
    assert len(headers) == len(get_table("deals").columns)
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == get_table("deals").column_names


def test_template_csv_imports_back(db, tmp_path):
    path = tmp_path / "clients.csv"
    run_cli(db, "template", "--table", "clients", "--output", str(path))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("Z1,Zeta Bank,bank,,,,,,\r\n")
    status, report = run_json(db, "import", str(path), "--table", "clients")

    assert status == 0
    assert report["inserted"] == 1


def test_clv_on_cdnow_imported_through_cli(db, tmp_path):
    clients = run_cli(db, "import", str(SAMPLES / "cdnow_clients.csv"), "--table",
                      "clients")
    revenue = run_cli(db, "import", str(SAMPLES / "cdnow_revenue.csv"), "--table",
                      "revenue")
    output = tmp_path / "clv.csv"
    status, report = run_json(db, "clv", "--end", "1997-09-30", "--unit", "weeks",
                              "--output", str(output))

    assert clients.returncode == 0, clients.stdout
    assert revenue.returncode == 0, revenue.stdout
    assert status == 0
    parameters = report["parameters"]
    # Published estimates on the CDNOW sample in weeks up to 1997-09-30: BG/NBD
    # from Fader, Hardie and Lee (2005), table 1; Gamma-Gamma from Fader and Hardie
    # (2013), "The Gamma-Gamma Model of Monetary Value".
    expected = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25,
                "q": 3.74, "gamma": 15.44}
    for name, value in expected.items():
        assert parameters[name] == pytest.approx(value, rel=2e-3), name
    assert parameters["log_likelihood"] == pytest.approx(-9582.4, abs=0.1)
    with open(output, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["client_id", "frequency", "recency", "T", "monetary_value",
                      "p_alive", "expected_transactions", "expected_value", "clv"]


def test_duplicate_ids_reported_not_crashing(db, tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text("client_id,name,client_type\nTD-1,Dup A,bank\nTD-1,Dup B,bank\n"
                    "TD-2,Bad type,alien\n", encoding="utf-8")
    done = run_cli(db, "import", str(path), "--table", "clients")
    status, report = run_json(db, "import", str(path), "--table", "clients")

    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert ('row 2, column client_id: client_id "TD-1" appears in rows 2, 3'
            in done.stdout)
    assert status == 1
    duplicates = [(p["row"], p["column"], p["value"]) for p in report["rejected"]
                  if p["code"] == "conflicting_key"]
    assert duplicates == [(2, "client_id", "TD-1"), (3, "client_id", "TD-1")]


def test_notes_printed_and_in_json(db, tmp_path):
    run_cli(db, "import", str(_write(tmp_path, "c.csv", "client_id,name\nTS-1,One\n")),
            "--table", "clients")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "交易明细"
    for row in (["2024年交易台账（单位：万元）"],
                ["交易编号", "客户编号", "金额（万元）", "手续费", "起始日"],
                ["TD-1", "TS-1", "50,000", "1,200", "05/03/2024"],
                ["合计", None, "50000", None, None]):
        sheet.append(row)
    path = tmp_path / "deals.xlsx"
    book.save(path)

    done = run_cli(db, "import", str(path), "--table", "deals", "--check")
    status, report = run_json(db, "import", str(path), "--table", "deals", "--check")

    assert done.returncode == 0, done.stderr
    assert "Notes:" in done.stdout
    assert "row 4: skipped a totals row" in done.stdout
    assert "05/03/2024 read as 2024-05-03" in done.stdout
    assert ("金额（万元） × 10,000; 手续费 × 10,000 from the sheet's unit line"
            in done.stdout)
    codes = [note["code"] for note in report["notes"]]
    assert codes == ["date_order_assumed", "amounts_scaled", "total_row"]
    assert report["notes"][2]["row"] == 4


def test_date_order_option_reads_day_first(db, tmp_path):
    path = _write(tmp_path, "c.csv", "client_id,name,relationship_since\n"
                                     "A,Alpha,05/03/2020\n")
    status, report = run_json(db, "import", str(path), "--table", "clients",
                              "--date-order", "dmy")

    assert status == 0
    assert "read as 2020-03-05" in report["warnings"][0]
    stored = Store(db).read_table("clients")["relationship_since"]
    assert str(stored.iloc[0].date()) == "2020-03-05"


def test_noop_import_says_nothing_new(db, tmp_path):
    path = _write(tmp_path, "c.csv", "client_id,name\nA,Alpha\n")
    run_cli(db, "import", str(path), "--table", "clients")
    done = run_cli(db, "import", str(path), "--table", "clients")

    assert done.returncode == 0, done.stderr
    assert "None" not in done.stdout
    assert "1 rows" not in done.stdout
    assert "Nothing new to import into clients" in done.stdout
    assert "rows read 1" in done.stdout


def test_json_skip_invalid_lists_skipped_rows(db, files):
    run_cli(db, "import", str(files["clients"]), "--table", "clients")
    path = files["revenue"].with_name("bad.csv")
    path.write_text("client_id,date,amount,currency\nA,2024-01-31,100,usd\n"
                    "Z,2024-02-30,abc,usd\nB,2024-03-31,5,usd\n", encoding="utf-8")
    status, report = run_json(db, "import", str(path), "--table", "revenue",
                              "--skip-invalid")

    assert status == 0
    assert report["imported"] == 2
    assert report["skipped"] == 1
    assert [row["row"] for row in report["skipped_rows"]] == [3]
    reasons = report["skipped_rows"][0]["reasons"]
    assert len(reasons) == 3
    assert any('"Z" is not a known id' in reason for reason in reasons)
    assert any('"2024-02-30" is not a date' in reason for reason in reasons)
    assert any('"abc" is not a number' in reason for reason in reasons)


def test_changed_rows_list_keys_and_flag(db, tmp_path):
    first = "client_id,name\n" + "".join(f"K-{i},Name {i}\n" for i in range(8))
    run_cli(db, "import", str(_write(tmp_path, "a.csv", first)), "--table", "clients")
    changed = first.replace("Name", "Renamed")
    done = run_cli(db, "import", str(_write(tmp_path, "b.csv", changed)), "--table",
                   "clients")

    assert done.returncode == 1
    assert "K-0, K-1, K-2, K-3, K-4, …" in done.stdout
    assert "run the import again with --confirm-updates" in done.stdout


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
