"""The project of a case study: its card and the funding deals booked on it.

A funding deal is a deal whose role commits money to the project: lender,
arranger (a lead bank that also lends) or equity. Amounts are converted to USD at
the reference rates of ``pfcrm_core.fx``.
"""

from __future__ import annotations

import pandas as pd

from pfcrm_core.casestudy.errors import CaseStudyError
from pfcrm_core.fx import to_usd

FUNDING_ROLES = ("lender", "arranger", "equity")
CARD_FIELDS = ("project_id", "name", "sector", "country", "stage", "currency",
               "total_cost", "target_funding", "funded_amount",
               "financial_close_date")


def project_card(projects: pd.DataFrame, project_id: str) -> dict:
    """Return the stored fields of one project plus its amounts in USD.

    Returns
    -------
    dict
        ``CARD_FIELDS`` as stored (amounts in the project currency) and
        ``total_cost_usd``, ``target_usd`` and ``funded_usd``.

    Raises
    ------
    CaseStudyError
        When ``project_id`` is not in ``projects`` (key
        ``case_study.error.unknown_project``).
    """
    rows = projects[projects["project_id"].astype(str) == str(project_id)]
    if rows.empty:
        raise CaseStudyError("case_study.error.unknown_project", value=project_id,
                             count=len(projects))
    row = rows.iloc[0]
    card = {field: row.get(field) for field in CARD_FIELDS}
    currency = pd.Series([row.get("currency")])
    for field, name in (("total_cost", "total_cost_usd"),
                        ("target_funding", "target_usd"),
                        ("funded_amount", "funded_usd")):
        card[name] = float(to_usd(pd.Series([row.get(field)]), currency).iloc[0])
    return card


def funding_deals(deals: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """Return the project's funding deals with ``amount_usd``, oldest first.

    Deals without a start date or with a currency that has no reference rate
    are left out, because they cannot be placed on the timeline in USD.
    """
    rows = deals[(deals["project_id"].astype(str) == str(project_id))
                 & deals["role"].isin(FUNDING_ROLES)].copy()
    rows["start_date"] = pd.to_datetime(rows["start_date"])
    rows["amount_usd"] = to_usd(rows["amount"], rows["currency"])
    rows = rows.dropna(subset=["start_date", "amount_usd"])
    return rows.sort_values(["start_date", "deal_id"], ignore_index=True)


def committed_clients(deals: pd.DataFrame, project_id: str) -> set[str]:
    """Return the ids of the clients with a funding deal on the project."""
    rows = deals[(deals["project_id"].astype(str) == str(project_id))
                 & deals["role"].isin(FUNDING_ROLES)]
    return set(rows["client_id"].astype(str))
