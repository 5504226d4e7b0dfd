"""Demo clients with the hidden traits that drive the rest of the book.

Besides the canonical ``clients`` columns, the frame carries these traits, which
the other parts of the generator read and the canonical table drops:

- ``scale``: relative size of the relationship (lognormal, median about 1). It sets
  deal participation and revenue per transaction, so value is skewed.
- ``satisfaction``: standard normal. Survey scores are drawn around it, and the
  dropout probability of the revenue process falls as it rises.
- ``rating_notch``: index into ``reference.RATING_SCALE`` at the first credit date.
- ``chinese``: whether the client has a Chinese name and mostly writes in Chinese.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pfcrm_core.demo import names, reference

# Relative size of a relationship by client type.
TYPE_SCALE = {"bank": 1.6, "investor": 1.2, "sponsor": 1.3, "contractor": 0.8,
              "government": 0.6, "offtaker": 0.6, "insurer": 0.7, "advisor": 0.4}

# Mean initial rating notch by client type (6 is A-, 8 is BBB, 11 is BB).
TYPE_RATING_NOTCH = {"bank": 8.0, "investor": 9.0, "sponsor": 11.0,
                     "contractor": 12.0, "government": 7.0, "offtaker": 10.0,
                     "insurer": 8.0, "advisor": 11.0}

# Spread of the lognormal relationship size, which sets how skewed value is.
SCALE_SIGMA = 1.2


def generate_clients(rng: np.random.Generator) -> pd.DataFrame:
    """Draw the demo clients.

    Returns
    -------
    pandas.DataFrame
        One row per client, ids ``C-0001`` upwards, with the canonical ``clients``
        columns followed by the traits described in the module docstring.
    """
    client_types = np.repeat(list(reference.CLIENT_TYPE_COUNTS),
                             list(reference.CLIENT_TYPE_COUNTS.values()))
    client_types = rng.permutation(client_types)
    count = len(client_types)

    # Geography: a region by the book's mix, then a country of that region.
    region_index = rng.choice(len(reference.REGIONS), size=count,
                              p=reference.REGION_SHARES)
    regions = np.array(reference.REGIONS)[region_index]
    countries = np.array([_draw_country(rng, region) for region in regions])
    chinese = np.where(countries == "China", rng.random(count) < 0.95,
                       np.isin(countries, ["Hong Kong SAR", "Macao SAR"])
                       & (rng.random(count) < 0.4))

    # Hidden traits.
    type_scale = np.array([TYPE_SCALE[t] for t in client_types])
    scale = type_scale * rng.lognormal(0.0, SCALE_SIGMA, size=count)
    satisfaction = rng.standard_normal(count)
    notch_mean = np.array([TYPE_RATING_NOTCH[t] for t in client_types])
    top_notch = len(reference.RATING_SCALE) - 1
    rating_notch = np.clip(np.rint(notch_mean + rng.normal(0.0, 2.2, size=count)),
                           0, top_notch).astype(int)

    frame = pd.DataFrame({
        "client_id": [f"C-{i:04d}" for i in range(1, count + 1)],
        "name": names.client_names(rng, client_types, chinese),
        "client_type": client_types,
        "sector": _draw_sectors(rng, client_types),
        "region": regions,
        "country": countries,
        "credit_rating": np.array(reference.RATING_SCALE)[rating_notch],
        "relationship_since": _draw_since(rng, count),
        "relationship_manager": _draw_managers(rng, chinese),
        "scale": scale,
        "satisfaction": satisfaction,
        "rating_notch": rating_notch,
        "chinese": chinese,
    })
    return frame


def _draw_country(rng: np.random.Generator, region: str) -> str:
    countries = reference.COUNTRIES[region]
    return countries[rng.integers(len(countries))]


def _draw_sectors(rng: np.random.Generator, client_types: np.ndarray) -> np.ndarray:
    # Financial institutions and advisers get their own industry, the others an
    # infrastructure sector, energy and transport most often.
    sector_shares = (0.36, 0.28, 0.14, 0.14, 0.08)
    drawn = rng.choice(reference.INFRASTRUCTURE_SECTORS, size=len(client_types),
                       p=sector_shares)
    own = [reference.CLIENT_TYPE_SECTOR.get(t) for t in client_types]
    return np.array([o if o is not None else d for o, d in zip(own, drawn)])


def _draw_since(rng: np.random.Generator, count: int) -> np.ndarray:
    # Uniform over the 15 years before the as-of date, ending a quarter before it.
    first = reference.RELATIONSHIP_START
    span_days = (reference.AS_OF - pd.Timedelta(days=90) - first).days
    offsets = rng.integers(0, span_days + 1, size=count)
    return (first + pd.to_timedelta(offsets, unit="D")).to_numpy()


def _draw_managers(rng: np.random.Generator, chinese: np.ndarray) -> np.ndarray:
    # Clients mostly get a relationship manager who writes their language.
    staff = np.array(reference.STAFF)
    split = reference.FIRST_ENGLISH_STAFF
    same_language = rng.random(len(chinese)) < 0.85
    use_chinese_staff = np.where(same_language, chinese, ~chinese)
    chinese_pick = staff[:split][rng.integers(split, size=len(chinese))]
    english_pick = staff[split:][rng.integers(len(staff) - split, size=len(chinese))]
    return np.where(use_chinese_staff, chinese_pick, english_pick)
