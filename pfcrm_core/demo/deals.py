"""Demo deals: each links a client to a project in a role suited to its type.

Every project gets advisers, equity and, once past origination, an EPC contractor,
arrangers and lenders, plus a grantor, an offtaker and an insurer where the
sector and stage call for one. Participants are drawn with weights that favour
large clients from the project's region, so clients who meet on deals form
regional clusters. A client that stopped transacting or had no relationship yet
at a deal's start is rarely chosen for it.

The funding deals (lender, arranger, equity) split the project's planned funded
amount exactly, so a project's funded amount is the sum of its funding deals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import reference
from pfcrm_core.demo.projects import ROUNDING_UNITS

DEAL_COUNT = 2_500
MIN_DEALS_PER_PROJECT = 4

ROLE_CLIENT_TYPE = {"lender": "bank", "arranger": "bank", "equity": "sponsor",
                    "epc": "contractor", "offtake": "offtaker",
                    "grantor": "government", "insurer": "insurer",
                    "advisor": "advisor"}

# Tenor in years, uniform between the bounds, by role.
TENOR_YEARS = {"lender": (7, 25), "arranger": (7, 25), "equity": (15, 25),
               "epc": (3, 5), "offtake": (10, 25), "grantor": (20, 25),
               "insurer": (3, 10), "advisor": (3, 5)}

# Days from financial close to the deal start, uniform between the bounds.
START_OFFSET_DAYS = {"lender": (0, 0), "arranger": (0, 0), "equity": (-30, 0),
                     "epc": (0, 60), "offtake": (-365, -30), "grantor": (-540, -90),
                     "insurer": (0, 30), "advisor": (-720, -180)}

# Amount of a non-funding deal as a share of the project's total cost.
COST_SHARE = {"epc": (0.50, 0.75), "offtake": (0.30, 0.80), "grantor": (0.0, 0.15),
              "insurer": (0.40, 1.00), "advisor": (0.001, 0.004)}

# Fee income as a share of the deal amount, by role.
FEE_RATE = {"lender": 0.004, "arranger": 0.012, "equity": 0.002, "epc": 0.001,
            "offtake": 0.0008, "grantor": 0.0, "insurer": 0.003, "advisor": 0.3}

# Margin in bps over the base rate for debt: a floor, a step per rating notch, and
# premiums for sector and region risk.
MARGIN_FLOOR_BPS = 80.0
MARGIN_CAP_BPS = 450.0
MARGIN_BPS_PER_NOTCH = 14.0
SECTOR_PREMIUM_BPS = {"energy": 0.0, "transport": 20.0, "water": 10.0,
                      "social infrastructure": 0.0, "telecom": 30.0}
REGION_PREMIUM_BPS = {"europe": 0.0, "greater china": 0.0, "americas": 10.0,
                      "asia pacific": 20.0, "middle east & africa": 40.0}


def allocate_deal_counts(rng: np.random.Generator,
                         projects: pd.DataFrame) -> np.ndarray:
    """Split ``DEAL_COUNT`` deals over the projects, more for larger, later ones."""
    early_stage = {"origination": 0.4, "structuring": 0.8}
    stage_factor = projects["stage"].map(early_stage).fillna(1.0)
    fx = projects["currency"].map(reference.FX_TO_USD)
    weight = (projects["total_cost"] * fx) ** 0.5 * stage_factor
    weight = weight.to_numpy() * rng.uniform(0.8, 1.2, size=len(projects))
    spare = DEAL_COUNT - MIN_DEALS_PER_PROJECT * len(projects)
    exact = spare * weight / weight.sum()
    counts = np.floor(exact).astype(int)

    # Largest remainders take the deals lost to rounding down.
    short = spare - counts.sum()
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:short]] += 1
    return counts + MIN_DEALS_PER_PROJECT


def project_roles(rng: np.random.Generator, project: pd.Series,
                  count: int) -> list[str]:
    """Return the roles of a project's ``count`` deals, in order of importance."""
    closed = project["stage"] in reference.CLOSED_STAGES
    started = project["stage"] != "origination"
    sector = project["sector"]
    roles = ["advisor", "equity"]
    if started:
        roles += ["arranger", "epc"]
    if sector in ("transport", "water", "social infrastructure") or rng.random() < 0.3:
        roles.append("grantor")
    if started and sector in ("energy", "water", "telecom"):
        roles.append("offtake")
    if closed and rng.random() < 0.6:
        roles.append("insurer")
    if started and count >= 10:
        roles += ["arranger", "equity"]
    if count >= 14:
        roles += ["advisor", "equity"]
    if started and count >= 18:
        roles.append("arranger")
    roles = roles[:count]

    # The rest are lenders once the project is past origination, else equity
    # and advisory mandates.
    filler = ["lender"] if started else ["equity", "advisor"]
    while len(roles) < count:
        roles.append(filler[len(roles) % len(filler)])
    return roles


def generate_deals(rng: np.random.Generator, projects: pd.DataFrame,
                   clients: pd.DataFrame, active_to: np.ndarray) -> pd.DataFrame:
    """Draw ``DEAL_COUNT`` deals over ``projects``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    projects : pandas.DataFrame
        Output of ``projects.generate_projects``.
    clients : pandas.DataFrame
        Output of ``clients.generate_clients``.
    active_to : numpy.ndarray of datetime64[ns]
        Per client, its last transaction or the as-of date if still active.

    Returns
    -------
    pandas.DataFrame
        Canonical ``deals`` columns, sorted by start date, ids ``D-00001``
        upwards. ``margin_bps`` is set for lender and arranger deals only (NaN
        for the other roles, which carry no loan margin).
    """
    counts = allocate_deal_counts(rng, projects)
    pools = _ClientPools(clients, active_to)
    blocks = [
        _project_deals(rng, project, count, pools)
        for (_, project), count in zip(projects.iterrows(), counts)
    ]
    deals = pd.concat(blocks, ignore_index=True)
    deals = deals.sort_values(["start_date", "project_id", "client_id"], kind="stable",
                              ignore_index=True)
    deals.insert(0, "deal_id", [f"D-{i:05d}" for i in range(1, len(deals) + 1)])
    return deals


class _ClientPools:
    """Clients by type with the traits used to weight their selection."""

    def __init__(self, clients: pd.DataFrame, active_to: np.ndarray):
        self.clients = clients
        self.active_to = active_to
        self.by_type = {t: np.flatnonzero(clients["client_type"].to_numpy() == t)
                        for t in reference.CLIENT_TYPE_COUNTS}

    def choose(self, rng: np.random.Generator, client_type: str, size: int,
               project: pd.Series, start: np.datetime64,
               exclude: np.ndarray) -> np.ndarray:
        """Draw ``size`` distinct clients of ``client_type``; return row positions."""
        pool = self.by_type[client_type]
        pool = pool[~np.isin(pool, exclude)]
        weight = self._weight(pool, client_type, project, start)
        size = min(size, len(pool))
        return rng.choice(pool, size=size, replace=False, p=weight / weight.sum())

    def _weight(self, pool: np.ndarray, client_type: str, project: pd.Series,
                start: np.datetime64) -> np.ndarray:
        clients = self.clients
        weight = clients["scale"].to_numpy()[pool] ** 0.8

        # Home region, and for local roles the home country, dominate.
        same_region = clients["region"].to_numpy()[pool] == project["region"]
        same_country = clients["country"].to_numpy()[pool] == project["country"]
        weight = weight * np.where(same_region, 25.0, 1.0)
        if client_type in ("government", "offtaker"):
            weight = weight * np.where(same_country, 40.0, 1.0)
        same_sector = clients["sector"].to_numpy()[pool] == project["sector"]
        weight = weight * np.where(same_sector, 3.0, 1.0)

        # Clients that lapsed before the start, or whose relationship began after
        # it, get a small weight.
        since = clients["relationship_since"].to_numpy()[pool]
        lapsed = self.active_to[pool] + np.timedelta64(90, "D") < start
        weight = weight * np.where(lapsed, 0.001, 1.0)
        weight = weight * np.where(since > start, 0.002, 1.0)
        return weight


def _project_deals(rng: np.random.Generator, project: pd.Series, count: int,
                   pools: _ClientPools) -> pd.DataFrame:
    roles = np.array(project_roles(rng, project, count))
    starts = _start_dates(rng, project, roles)
    chosen = np.full(len(roles), -1)

    # Distinct clients per project. Investors take the equity tickets after the
    # first two sponsors.
    client_types = np.array([ROLE_CLIENT_TYPE[r] for r in roles], dtype=object)
    equity_slots = np.flatnonzero(roles == "equity")
    client_types[equity_slots[2:]] = "investor"
    for client_type in dict.fromkeys(client_types):
        slots = np.flatnonzero(client_types == client_type)
        picked = pools.choose(rng, client_type, len(slots), project,
                              starts[slots].min(), chosen[chosen >= 0])
        chosen[slots[:len(picked)]] = picked
    keep = chosen >= 0
    roles, starts, chosen = roles[keep], starts[keep], chosen[keep]

    clients = pools.clients
    amounts = _amounts(rng, project, roles)
    tenor_low, tenor_high = np.array([TENOR_YEARS[r] for r in roles]).T
    tenor_days = np.rint(rng.uniform(tenor_low, tenor_high) * 365.25)
    maturities = starts + tenor_days.astype("timedelta64[D]")
    margins = _margins(rng, project, roles, clients["rating_notch"].to_numpy()[chosen])
    fee_rates = np.array([FEE_RATE[r] for r in roles])
    fees = np.round(amounts * fee_rates * rng.lognormal(0.0, 0.3, size=len(roles)), 2)
    return pd.DataFrame({
        "client_id": clients["client_id"].to_numpy()[chosen],
        "project_id": project["project_id"],
        "role": roles,
        "amount": amounts,
        "currency": project["currency"],
        "start_date": starts,
        "maturity_date": maturities,
        "margin_bps": margins,
        "fee_income": fees,
    })


def _start_dates(rng: np.random.Generator, project: pd.Series,
                 roles: np.ndarray) -> np.ndarray:
    as_of = reference.AS_OF.to_datetime64()
    if project["stage"] in reference.CLOSED_STAGES:
        anchor = np.datetime64(project["financial_close_date"], "ns")
        low, high = np.array([START_OFFSET_DAYS[r] for r in roles]).T
        offsets = rng.integers(low, high + 1)
    else:
        # Before financial close, commitments and mandates of the last two years.
        anchor = as_of
        offsets = -rng.integers(0, 720, size=len(roles))
    starts = anchor + offsets.astype("timedelta64[D]")
    return np.minimum(starts, as_of).astype("datetime64[ns]")


def _amounts(rng: np.random.Generator, project: pd.Series,
             roles: np.ndarray) -> np.ndarray:
    amounts = np.zeros(len(roles))
    cost = project["total_cost"]
    for role, (low, high) in COST_SHARE.items():
        mask = roles == role
        shares = rng.uniform(low, high, size=mask.sum())
        amounts[mask] = np.rint(cost * shares / 1000.0) * 1000.0

    # Split the planned funded amount: about 70-80 % debt, arrangers taking larger
    # tickets than lenders, the rest equity.
    funded_units = int(round(project["funded_amount"] / ROUNDING_UNITS))
    debt = np.isin(roles, ("lender", "arranger"))
    equity = roles == "equity"
    if debt.any() and equity.any():
        debt_units = int(round(funded_units * rng.uniform(0.70, 0.80)))
    else:
        debt_units = funded_units if debt.any() else 0
    ticket_weight = np.where(roles == "arranger", 2.0, 1.0)
    amounts[debt] = _split(rng, debt_units, ticket_weight[debt]) * ROUNDING_UNITS
    amounts[equity] = _split(rng, funded_units - debt_units,
                             ticket_weight[equity]) * ROUNDING_UNITS
    return amounts


def _split(rng: np.random.Generator, total_units: int,
           weight: np.ndarray) -> np.ndarray:
    # Dirichlet shares rounded down to whole units. The last part takes the
    # remainder, so the parts sum to total_units exactly.
    if len(weight) == 0:
        return np.zeros(0)
    shares = rng.dirichlet(weight * 3.0)
    parts = np.floor(shares * total_units)
    parts[-1] = total_units - parts[:-1].sum()
    return parts


def _margins(rng: np.random.Generator, project: pd.Series, roles: np.ndarray,
             notches: np.ndarray) -> np.ndarray:
    premium = (SECTOR_PREMIUM_BPS[project["sector"]]
               + REGION_PREMIUM_BPS[project["region"]])
    margin = (MARGIN_FLOOR_BPS + MARGIN_BPS_PER_NOTCH * notches + premium
              + rng.normal(0.0, 20.0, size=len(roles)))
    margin = np.clip(np.rint(margin), MARGIN_FLOOR_BPS, MARGIN_CAP_BPS)
    return np.where(np.isin(roles, ("lender", "arranger")), margin, np.nan)
