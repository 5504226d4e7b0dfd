"""Time the import pipeline on generated deals files of growing size.

Run: ``.venv/bin/python benchmarks/ingest_speed.py [rows ...]``. Prints one line per
file: format, rows, seconds to read the cells, seconds to plan (layout, conversion,
checks), and rows per second overall. Files are written to a temporary folder.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from pfcrm_core.ingest import plan_import, read_source

HEADER = ["交易编号", "客户编号", "项目编号", "角色", "授信金额（万元）", "币种",
          "签约日期", "到期日", "利差（bp）", "手续费收入"]


def deal_rows(count: int, seed: int = 7) -> list[list[object]]:
    """Return ``count`` deal rows in the mixed formats analysts write."""
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        year = rng.randint(2010, 2024)
        rows.append([
            f"D{number:07d}", f"C{rng.randint(1, 2000):05d}",
            f"P{rng.randint(1, 500):04d}", rng.choice(["牵头行", "参贷行", "代理行"]),
            f"{rng.uniform(100, 500000):,.2f}", rng.choice(["人民币", "USD", "欧元"]),
            f"{year}/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
            f"{year + rng.randint(5, 25)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            rng.choice([150, 175.5, "2.1%", "180bp"]), round(rng.uniform(0, 900), 2),
        ])
    return rows


def write_files(folder: Path, count: int) -> list[Path]:
    rows = deal_rows(count)
    csv_path = folder / f"deals_{count}.csv"
    lines = [",".join(HEADER)] + [",".join(f'"{v}"' for v in row) for row in rows]
    csv_path.write_bytes("\r\n".join(lines).encode("gb18030"))

    xlsx_path = folder / f"deals_{count}.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("交易")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(xlsx_path)
    return [csv_path, xlsx_path]


def measure(path: Path) -> tuple[str, int, float, float]:
    start = time.perf_counter()
    workbook = read_source(path)
    read = time.perf_counter() - start
    start = time.perf_counter()
    plan = plan_import(workbook)
    planned = time.perf_counter() - start
    return workbook.format, plan.tables[0].rows_read, read, planned


def main(sizes: list[int]) -> None:
    print(f"{'format':<7}{'rows':>9}{'read s':>9}{'plan s':>9}{'rows/s':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for count in sizes:
            for path in write_files(Path(folder), count):
                kind, rows, read, planned = measure(path)
                rate = rows / (read + planned)
                print(f"{kind:<7}{rows:>9}{read:>9.2f}{planned:>9.2f}{rate:>10.0f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
