"""Fixed reference data of the demo book: dates, geography, currencies, ratings, staff.

Everything here is a constant, so the demo figures do not change with the day it is
built. Category values are lower case, as ``pfcrm_core.schema`` requires.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core import fx

# The book ends at a fixed as-of date so that figures compare from run to run.
AS_OF = pd.Timestamp("2026-09-30")
REVENUE_START = pd.Timestamp("2020-10-01")
RELATIONSHIP_START = pd.Timestamp("2011-10-01")

# Year-ends at which the credit history records a rating, PD, LGD and EAD.
CREDIT_DATES = tuple(pd.Timestamp(f"{year}-12-31") for year in range(2020, 2026))

REPORTING_CURRENCY = "usd"

# USD per unit of each demo currency, from the app's reference rates, so that the
# app converts demo amounts back at the rates used to size them.
FX_TO_USD = {code: fx.USD_PER_UNIT[code.upper()] for code in ("usd", "eur", "cny")}

REGIONS = ("asia pacific", "greater china", "europe", "middle east & africa",
           "americas")
REGION_SHARES = (0.24, 0.22, 0.22, 0.15, 0.17)

COUNTRIES = {
    "asia pacific": ("Singapore", "Australia", "Indonesia", "Vietnam",
                     "Philippines", "India", "Japan", "South Korea", "Malaysia",
                     "Thailand"),
    # China is listed three times so that most Greater China clients are mainland.
    "greater china": ("China", "China", "China", "Hong Kong SAR", "Macao SAR"),
    "europe": ("United Kingdom", "Germany", "France", "Spain", "Italy",
               "Netherlands", "Poland", "Norway"),
    "middle east & africa": ("United Arab Emirates", "Saudi Arabia", "Egypt",
                             "Kenya", "Nigeria", "South Africa", "Morocco", "Oman"),
    "americas": ("United States", "Canada", "Brazil", "Chile", "Mexico",
                 "Colombia", "Peru"),
}

INFRASTRUCTURE_SECTORS = ("energy", "transport", "water", "social infrastructure",
                          "telecom")

# Client industry by client type: financial institutions and advisers carry their
# own industry, the others the infrastructure sector they work in.
CLIENT_TYPE_SECTOR = {
    "bank": "financial services",
    "investor": "financial services",
    "insurer": "financial services",
    "advisor": "professional services",
}

# Number of clients of each type (about 600 in all), banks most numerous.
CLIENT_TYPE_COUNTS = {
    "bank": 170,
    "investor": 120,
    "sponsor": 90,
    "contractor": 70,
    "government": 50,
    "offtaker": 40,
    "insurer": 30,
    "advisor": 30,
}

PROJECT_STAGES = ("origination", "structuring", "financial close", "construction",
                  "operation")

# Stages at or after financial close, which carry a financial close date.
CLOSED_STAGES = ("financial close", "construction", "operation")

DEAL_ROLES = ("lender", "arranger", "equity", "epc", "offtake", "grantor",
              "insurer", "advisor")

# Roles whose deal amount counts towards a project's funded amount.
FUNDING_ROLES = ("lender", "arranger", "equity")

REVENUE_KINDS = ("interest", "fee", "advisory", "commitment")
CHANNELS = ("meeting", "call", "email", "note")
FOLLOW_UP_STATUSES = ("open", "in progress", "closed", "none")
RELATIONSHIP_KINDS = ("syndicate", "sponsor_group", "introduction", "consortium")

# S&P-like long-term scale, best first, with the one-year PD of the demo master
# scale. The PDs are illustrative values in the range of published long-run
# corporate default rates, from 0.01 % for AAA to 27 % for CCC.
RATING_SCALE = ("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
                "BB+", "BB", "BB-", "B+", "B", "B-", "CCC")
MASTER_SCALE_PD = np.array([0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.0007, 0.0009,
                            0.0013, 0.0020, 0.0035, 0.0080, 0.0140, 0.0250, 0.0450,
                            0.0750, 0.1200, 0.2700])
DEFAULT_RATING = "D"
INVESTMENT_GRADE = RATING_SCALE[:RATING_SCALE.index("BBB-") + 1]

STAFF = ("王丽", "陈志远", "刘婷", "张伟", "李静", "赵磊", "周敏", "吴昊", "孙悦",
         "郑凯", "黄欣怡", "林嘉豪", "何俊",
         "Emma Clarke", "James Whitfield", "Sophie Martin", "Daniel Okafor",
         "Priya Raman", "Lucas Moreau", "Hannah Becker", "Oliver Grant",
         "Amelia Tan", "Ryan Mitchell", "Isabel Santos", "Thomas Lindqvist")

# Index of the first English-named member of STAFF.
FIRST_ENGLISH_STAFF = 13


def project_currency(country: str) -> str:
    """Return the deal currency of a project in ``country``: cny, eur or usd."""
    if country == "China":
        return "cny"
    if country in COUNTRIES["europe"]:
        return "eur"
    return "usd"
