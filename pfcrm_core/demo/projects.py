"""Demo infrastructure projects, including the toll-road PPP of the case study.

Total cost is drawn from a lognormal distribution truncated to USD 50 million to
3 billion, so a few large projects dominate. The funding target is 60-80 % of cost.
The funded amount set here is the plan that ``deals.generate_deals`` splits into
funding deals, which then replace it with the exact sum of those deals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from pfcrm_core.demo import names, reference

PROJECT_COUNT = 150
TOLL_ROAD_ID = "P-TOLL-001"
TOLL_ROAD_NAME = "Riverside Toll Road PPP / 滨江收费公路PPP项目"

REGION_SHARES = (0.25, 0.22, 0.20, 0.15, 0.18)
SECTOR_SHARES = (0.40, 0.27, 0.13, 0.13, 0.07)
STAGE_SHARES = (0.13, 0.17, 0.10, 0.30, 0.30)

# Truncated lognormal of total cost in USD: median, log-sd and bounds.
COST_MEDIAN_USD = 300e6
COST_LOG_SD = 1.0
COST_BOUNDS_USD = (50e6, 3e9)

# Share of the funding target in place, by stage (uniform between the bounds).
FUNDED_SHARE = {"origination": (0.0, 0.08), "structuring": (0.10, 0.60),
                "financial close": (0.92, 1.0), "construction": (0.95, 1.0),
                "operation": (0.97, 1.0)}

# Days between financial close and the as-of date, by stage.
CLOSE_AGE_DAYS = {"financial close": (10, 180), "construction": (180, 1460),
                  "operation": (1100, 4000)}

CHINESE_NUMERALS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

# Amounts are rounded to this many units of the project currency.
ROUNDING_UNITS = 100_000


def generate_projects(rng: np.random.Generator) -> pd.DataFrame:
    """Draw the demo projects.

    Returns
    -------
    pandas.DataFrame
        ``PROJECT_COUNT`` rows with the canonical ``projects`` columns plus
        ``region``. Ids run ``P-0001`` upwards; the last row is the toll-road PPP
        ``TOLL_ROAD_ID``, in structuring and partly funded.
    """
    count = PROJECT_COUNT - 1
    regions = rng.choice(reference.REGIONS, size=count, p=REGION_SHARES)
    countries = np.array([_draw_project_country(rng, region) for region in regions])
    sectors = rng.choice(reference.INFRASTRUCTURE_SECTORS, size=count, p=SECTOR_SHARES)
    stages = rng.choice(reference.PROJECT_STAGES, size=count, p=STAGE_SHARES)
    currencies = np.array([reference.project_currency(c) for c in countries])

    # Money in whole units of ROUNDING_UNITS of the project currency.
    fx = np.array([reference.FX_TO_USD[c] for c in currencies])
    cost_units = np.rint(_truncated_lognormal(rng, count) / fx / ROUNDING_UNITS)
    target_units = np.rint(cost_units * rng.uniform(0.60, 0.80, size=count))
    low, high = np.array([FUNDED_SHARE[s] for s in stages]).T
    funded_units = np.rint(target_units * rng.uniform(low, high))

    frame = pd.DataFrame({
        "project_id": [f"P-{i:04d}" for i in range(1, count + 1)],
        "name": _unique_names(rng, sectors, countries),
        "sector": sectors,
        "country": countries,
        "stage": stages,
        "currency": currencies,
        "total_cost": cost_units * ROUNDING_UNITS,
        "target_funding": target_units * ROUNDING_UNITS,
        "funded_amount": funded_units * ROUNDING_UNITS,
        "financial_close_date": _close_dates(rng, stages),
        "region": regions,
    })
    return pd.concat([frame, _toll_road()], ignore_index=True)


def _toll_road() -> pd.DataFrame:
    # The case-study project: a CNY toll road, about USD 1.2 billion, in
    # structuring with about a third of its funding target in place.
    return pd.DataFrame({
        "project_id": [TOLL_ROAD_ID],
        "name": [TOLL_ROAD_NAME],
        "sector": ["transport"],
        "country": ["China"],
        "stage": ["structuring"],
        "currency": ["cny"],
        "total_cost": [8_600_000_000.0],
        "target_funding": [6_020_000_000.0],
        "funded_amount": [2_150_000_000.0],
        "financial_close_date": [pd.NaT],
        "region": ["greater china"],
    })


def _draw_project_country(rng: np.random.Generator, region: str) -> str:
    # Greater China projects are mostly on the mainland.
    if region == "greater china":
        return "China" if rng.random() < 0.9 else "Hong Kong SAR"
    countries = reference.COUNTRIES[region]
    return countries[rng.integers(len(countries))]


def _truncated_lognormal(rng: np.random.Generator, count: int) -> np.ndarray:
    # Inverse-CDF sampling restricted to the bounds, so nothing piles up at them.
    log_bounds = np.log(np.array(COST_BOUNDS_USD) / COST_MEDIAN_USD) / COST_LOG_SD
    u = rng.uniform(ndtr(log_bounds[0]), ndtr(log_bounds[1]), size=count)
    return COST_MEDIAN_USD * np.exp(COST_LOG_SD * ndtri(u))


def _unique_names(rng: np.random.Generator, sectors: np.ndarray,
                  countries: np.ndarray) -> list[str]:
    # A repeated name gets a phase number, as real programmes do.
    seen: dict[str, int] = {}
    result = []
    for sector, country in zip(sectors, countries):
        name = names.project_name(rng, sector, country)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            phase = seen[name]
            if country == "China":
                numeral = (CHINESE_NUMERALS[phase] if phase < len(CHINESE_NUMERALS)
                           else str(phase))
                name = f"{name}（{numeral}期）"
            else:
                name = f"{name} Phase {phase}"
        result.append(name)
    return result


def _close_dates(rng: np.random.Generator, stages: np.ndarray) -> np.ndarray:
    dates = np.full(len(stages), np.datetime64("NaT"), dtype="datetime64[ns]")
    as_of = reference.AS_OF.to_datetime64()
    for stage, (low, high) in CLOSE_AGE_DAYS.items():
        mask = stages == stage
        age = rng.integers(low, high + 1, size=mask.sum())
        dates[mask] = as_of - age.astype("timedelta64[D]")
    return dates
