"""The CDNOW sample in data/samples and its published BG/NBD and Gamma-Gamma estimates.

The files come from the repository checkout (data/samples/README.md gives their source
and licence), so these loaders work only from a source tree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples"
CDNOW_REVENUE_CSV = SAMPLES_DIR / "cdnow_revenue.csv"
CDNOW_CLIENTS_CSV = SAMPLES_DIR / "cdnow_clients.csv"

# Calibration and observation period of the published fits (weeks as the time unit).
CDNOW_CALIBRATION_END = "1997-09-30"
CDNOW_OBSERVATION_END = "1998-06-30"

# Estimates as printed, with the number of decimals printed. BG/NBD: Fader, Hardie
# and Lee (2005), "Counting Your Customers the Easy Way", table 1. Gamma-Gamma: Fader
# and Hardie (2013), "The Gamma-Gamma Model of Monetary Value", on the 946 clients
# with a repeat purchase in the calibration period.
CDNOW_PUBLISHED_BGNBD = {"r": (0.243, 3), "alpha": (4.414, 3), "a": (0.793, 3),
                         "b": (2.426, 3)}
CDNOW_PUBLISHED_BGNBD_LOG_LIKELIHOOD = -9582.4
CDNOW_PUBLISHED_GAMMA_GAMMA = {"p": (6.25, 2), "q": (3.74, 2), "gamma": (15.44, 2)}


def load_cdnow_revenue() -> pd.DataFrame:
    """Read the CDNOW revenue rows: ``client_id`` (text, 5 digits), ``date`` (text,
    YYYY-MM-DD) and ``amount`` (US dollars), 6,919 rows for 2,357 clients."""
    return pd.read_csv(CDNOW_REVENUE_CSV, dtype={"client_id": str, "date": str})


def load_cdnow_clients() -> pd.DataFrame:
    """Read the CDNOW clients: ``client_id`` (text) and ``name``."""
    return pd.read_csv(CDNOW_CLIENTS_CSV, dtype=str)
