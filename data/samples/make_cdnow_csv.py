"""Convert CDNOW_sample.txt into the client and revenue CSV files of the Data page.

Writes ``cdnow_clients.csv`` (client_id, name) and ``cdnow_revenue.csv`` (client_id,
date as YYYY-MM-DD, amount), one revenue row per input row, next to this script.
Client ids keep their 5 digits with leading zeros, so read them as text.

Run: ``python data/samples/make_cdnow_csv.py``
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "CDNOW_sample.txt"
RAW_COLUMNS = ["client_id", "sample_id", "date", "cds", "amount"]


def read_cdnow(path: Path = SOURCE) -> pd.DataFrame:
    """Read the whitespace-separated CDNOW file, ids and dates as text."""
    return pd.read_csv(path, sep=r"\s+", header=None, names=RAW_COLUMNS,
                       dtype={"client_id": str, "sample_id": str, "date": str})


def convert(path: Path = SOURCE, out_dir: Path = HERE) -> tuple[Path, Path]:
    """Write the two CSV files and return their paths."""
    raw = read_cdnow(path)
    revenue = pd.DataFrame({
        "client_id": raw["client_id"],
        "date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
        "amount": raw["amount"].map("{:.2f}".format),
    })
    client_ids = sorted(raw["client_id"].unique())
    clients = pd.DataFrame({"client_id": client_ids,
                            "name": [f"CDNOW {client_id}" for client_id in client_ids]})

    clients_path = out_dir / "cdnow_clients.csv"
    revenue_path = out_dir / "cdnow_revenue.csv"
    clients.to_csv(clients_path, index=False, lineterminator="\n")
    revenue.to_csv(revenue_path, index=False, lineterminator="\n")
    return clients_path, revenue_path


if __name__ == "__main__":
    for written in convert():
        print(written)
