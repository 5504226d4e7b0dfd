"""Data readiness of each CRM model, measured from the store's tables.

Each model has checks on the data it needs. A check has a ``minimum``, below
which the model refuses to run or gives nothing useful, and a ``recommended``
count, from which its results are stable. Where a model enforces a minimum, the
check uses that model's own constant:

- CLV: at least ``clv.data_checks.MIN_CLIENTS`` (30) clients with revenue and
  ``MIN_REPEAT_CLIENTS`` (10) with a repeat transaction, or the fit is refused;
  below ``WEAK_CLIENTS`` (200) and ``WEAK_REPEAT_CLIENTS`` (20) it warns.
- Satisfaction: ``satisfaction.metrics.DEFAULT_MIN_N`` (30) responses, below
  which an estimate is flagged as a small sample.
- Segmentation: the Segments page refuses fewer than 20 clients.
- Risk: the scorecard needs both defaulted and performing credit rows
  (``risk.target`` raises on one class).
- Network: eigenvector centrality needs at least 3 linked clients.
- Feedback loop: comment topics keep n-grams found in at least 2 comments
  (``feedback.topics.fit_topics`` ``min_df``), and topic impact on NPS needs 30.

A model is ``ready`` when every check reaches its recommended count,
``partly`` when every check reaches its minimum, and ``not_ready`` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pfcrm_core.clv import data_checks
from pfcrm_core.satisfaction.metrics import DEFAULT_MIN_N

from .weights import MODELS

READY, PARTLY, NOT_READY = "ready", "partly", "not_ready"
STATUSES = (READY, PARTLY, NOT_READY)

# The Segments page (pfcrm_core/ui/segments.py, MIN_CLIENTS) refuses fewer clients;
# it is repeated here because pfcrm_core must not import the Streamlit helpers.
SEGMENTATION_MIN_CLIENTS = 20
NETWORK_MIN_CLIENTS = 3
TOPIC_MIN_COMMENTS = 2
TOPIC_IMPACT_MIN_COMMENTS = 30
# NOTE: the scorecard itself needs only one default. 50 is a rule of thumb, so that
# each of its WoE bins (at least 5% of the rows each) contains several defaults.
SCORECARD_RECOMMENDED_DEFAULTS = 50
# NOTE: the prediction models enforce no minimum, so these counts are the advisor's
# own. 24 months let one 12-month window be learned from and the next predicted.
PREDICTION_RECOMMENDED_CLIENTS = 30
PREDICTION_RECOMMENDED_MONTHS = 24
CLV_RECOMMENDED_MONTHS = 12

TABLE_COLUMNS = {
    "clients": ["client_id", "client_type", "sector", "region"],
    "revenue": ["client_id", "date"],
    "deals": ["client_id", "start_date"],
    "interactions": ["client_id", "staff"],
    "feedback": ["client_id", "nps", "comment"],
    "relationships": ["source_id", "target_id"],
    "credit": ["client_id", "defaulted"],
}


@dataclass(frozen=True)
class Check:
    """One measured requirement of a model.

    Attributes
    ----------
    name : str
        The measurement, e.g. ``defaults``; its message is ``advisor.check.<name>``.
    found : float
        The count (or months) found in the store.
    minimum : float or None
        Below this the model cannot run; None when there is no hard minimum.
    recommended : float
        From this the results are stable.
    """

    name: str
    found: float
    minimum: float | None
    recommended: float

    @property
    def status(self) -> str:
        """``ready``, ``partly`` or ``not_ready`` for this check alone."""
        if self.minimum is not None and self.found < self.minimum:
            return NOT_READY
        if self.found < self.recommended:
            return PARTLY
        return READY

    @property
    def values(self) -> dict:
        """Placeholder values of the check's message."""
        return {"found": _number(self.found),
                "minimum": _number(self.minimum if self.minimum is not None else 0),
                "recommended": _number(self.recommended)}


@dataclass(frozen=True)
class Readiness:
    """Whether the store's data can support one model.

    Attributes
    ----------
    model : str
        One of ``MODELS``.
    status : str
        ``ready``, ``partly`` or ``not_ready``: the worst status of the checks.
    checks : tuple of Check
        Every check, met or not.
    """

    model: str
    status: str
    checks: tuple

    @property
    def missing(self) -> tuple:
        """The checks that are below their recommended count."""
        return tuple(check for check in self.checks if check.status != READY)


def assess_readiness(tables: Mapping[str, pd.DataFrame]) -> dict[str, Readiness]:
    """Measure the data each model needs and return the readiness of every model.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Canonical tables; a missing table counts as empty. The columns used are
        listed in ``TABLE_COLUMNS``.

    Returns
    -------
    dict of str to Readiness
        Keyed by model, in ``MODELS`` order.
    """
    measured = measure(tables)
    checks = _checks(measured)
    result = {}
    for model in MODELS:
        statuses = [check.status for check in checks[model]]
        status = max(statuses, key=STATUSES.index)
        result[model] = Readiness(model=model, status=status,
                                  checks=tuple(checks[model]))
    return result


def readiness_from_store(store) -> dict[str, Readiness]:
    """Read the needed columns from a ``Store`` and assess every model."""
    tables = {name: store.read_table(name, columns)
              for name, columns in TABLE_COLUMNS.items()}
    return assess_readiness(tables)


def measure(tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """Return the counts the checks use, from canonical tables (missing = empty)."""
    frames = {name: _frame(tables, name) for name in TABLE_COLUMNS}
    revenue, deals = frames["revenue"], frames["deals"]
    feedback, credit = frames["feedback"], frames["credit"]

    # Repeat buyers: clients with transactions on at least two distinct dates.
    revenue_days = revenue.assign(day=pd.to_datetime(revenue["date"]).dt.normalize())
    dates_per_client = revenue_days.groupby("client_id")["day"].nunique()
    clients = frames["clients"]
    attributes = clients[["client_type", "sector", "region"]].notna().all(axis=1)
    defaulted = credit["defaulted"].dropna().astype(bool)
    nps = pd.to_numeric(feedback["nps"], errors="coerce")
    comments = feedback["comment"].dropna().astype(str).str.strip()
    links = pd.concat([frames["relationships"]["source_id"],
                       frames["relationships"]["target_id"]])
    staff = frames["interactions"].dropna(subset=["staff"])
    staff = staff[staff["staff"].astype(str).str.strip() != ""]

    return {
        "revenue_clients": int(dates_per_client.size),
        "repeat_clients": int((dates_per_client >= 2).sum()),
        "revenue_months": _months(revenue["date"]),
        "nps_responses": int(nps.notna().sum()),
        "attribute_clients": int(attributes.sum()),
        "defaults": int(defaulted.sum()),
        "performing": int((~defaulted).sum()),
        "linked_clients": int(links.dropna().nunique()),
        "staff_clients": int(staff["client_id"].nunique()),
        "comments": int((comments != "").sum()),
        "deal_clients": int(deals["client_id"].dropna().nunique()),
        "deal_months": _months(deals["start_date"]),
    }


def _checks(m: dict) -> dict[str, list[Check]]:
    return {
        "clv": [
            Check("revenue_clients", m["revenue_clients"], data_checks.MIN_CLIENTS,
                  data_checks.WEAK_CLIENTS),
            Check("repeat_clients", m["repeat_clients"],
                  data_checks.MIN_REPEAT_CLIENTS, data_checks.WEAK_REPEAT_CLIENTS),
            Check("revenue_months", m["revenue_months"], None, CLV_RECOMMENDED_MONTHS),
        ],
        "satisfaction": [
            Check("nps_responses", m["nps_responses"], 1, DEFAULT_MIN_N),
        ],
        "segmentation": [
            Check("attribute_clients", m["attribute_clients"],
                  SEGMENTATION_MIN_CLIENTS, SEGMENTATION_MIN_CLIENTS),
            Check("revenue_clients", m["revenue_clients"], None,
                  SEGMENTATION_MIN_CLIENTS),
        ],
        "risk": [
            Check("defaults", m["defaults"], 1, SCORECARD_RECOMMENDED_DEFAULTS),
            Check("performing", m["performing"], 1, SCORECARD_RECOMMENDED_DEFAULTS),
        ],
        "network": [
            Check("linked_clients", m["linked_clients"], NETWORK_MIN_CLIENTS,
                  NETWORK_MIN_CLIENTS),
            Check("staff_clients", m["staff_clients"], None, NETWORK_MIN_CLIENTS),
        ],
        "feedback": [
            Check("comments", m["comments"], TOPIC_MIN_COMMENTS,
                  TOPIC_IMPACT_MIN_COMMENTS),
            Check("nps_responses", m["nps_responses"], 1, DEFAULT_MIN_N),
        ],
        "digital": [
            Check("deal_clients", m["deal_clients"], 1, PREDICTION_RECOMMENDED_CLIENTS),
            Check("deal_months", m["deal_months"], None,
                  PREDICTION_RECOMMENDED_MONTHS),
        ],
    }


def _frame(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = tables.get(name)
    if frame is None:
        frame = pd.DataFrame()
    return frame.reindex(columns=TABLE_COLUMNS[name])


def _months(dates: pd.Series) -> float:
    """Return the months from the first to the last date, 0 when there are none."""
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return 0.0
    return round((dates.max() - dates.min()).days / (365.25 / 12), 1)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
