"""Uses of the segments: precision marketing, risk early warning, market openings.

Precision marketing
    ``default_offers`` proposes one offer per segment from its profile, by the first
    rule that holds: a default rate at least twice the book's or a mean rating
    worse than B- -> credit review; mean P(alive) below 0.5 -> reactivation; mean
    NPS score below 7 -> service recovery; CLV (or fee income) above the book
    mean and investment grade -> lead arranger roles, or below investment grade ->
    secured structures; otherwise cross-selling. The caller may edit the table
    (change texts, add or delete rows) before ``offer_targets`` lists the clients
    each offer applies to.
Risk early warning
    ``risk_early_warning`` flags clients whose rating fell by at least
    ``rating_notches`` notches, whose PD rose by more than ``pd_increase`` or whose
    NPS fell by at least ``nps_drop`` points between two dates, and segments whose
    default rate rose.
Market opportunities
    ``market_opportunities`` sizes each sector x region cell by the total cost (USD)
    of the projects in it. Our share is the amount of our live funding deals on
    those projects divided by that size. Funding deals have a role in
    ``FUNDING_ROLES`` or no role. Deals in other roles (EPC, offtake, insurance) are
    commercial contracts, not funding, so they are left out of the share. Cells
    where our share is below ``max_share`` (default the median share of the cells)
    are ranked by headroom (market size minus our exposure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pfcrm_core import fx
from pfcrm_core.i18n import translate
from pfcrm_core.segmentation import ratings
from pfcrm_core.segmentation.errors import Note, SegmentationError
from pfcrm_core.segmentation.features import (FeatureTable, exposure_rows,
                                              default_as_of, load_tables)

OFFER_KEYS = ("credit_review", "reactivation", "service_recovery", "lead_arranger",
              "secured_structure", "cross_sell")
FUNDING_ROLES = ("lender", "arranger")


def default_offers(profiles: pd.DataFrame) -> pd.DataFrame:
    """Return one proposed offer per segment from the profile table.

    Parameters
    ----------
    profiles : pandas.DataFrame
        Output of ``profiles.profile_table``.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``name_en``, ``offer_key`` (one of ``OFFER_KEYS``),
        ``offer_en`` and ``offer_zh``; an editable copy.
    """
    weights = profiles["size"] / profiles["size"].sum()
    book = {column: float((profiles[column] * weights).sum())
            for column in profiles if column.startswith("mean_")
            or column == "default_rate"}

    keys = [_offer_key(row, book) for _, row in profiles.iterrows()]
    return pd.DataFrame({
        "segment": profiles["segment"].to_numpy(),
        "name_en": profiles["name_en"].to_numpy(),
        "offer_key": keys,
        "offer_en": [translate(f"segmentation.offer.{key}", "en") for key in keys],
        "offer_zh": [translate(f"segmentation.offer.{key}", "zh") for key in keys],
    })


def _offer_key(row: pd.Series, book: dict) -> str:
    default_rate = row.get("default_rate", np.nan)
    notch = row.get("mean_rating_notch", np.nan)
    if (default_rate > 0 and default_rate >= 2 * book.get("default_rate", np.inf)) \
            or notch > ratings.LAST_SPECULATIVE_NOTCH:
        return "credit_review"
    if row.get("mean_p_alive", np.nan) < 0.5:
        return "reactivation"
    if row.get("nps_mean", np.nan) < 7:
        return "service_recovery"
    value_column = "mean_clv" if "mean_clv" in row else "mean_fee_income_12m_usd"
    if row.get(value_column, np.nan) > book.get(value_column, np.inf):
        if notch <= ratings.LAST_INVESTMENT_GRADE_NOTCH:
            return "lead_arranger"
        return "secured_structure"
    return "cross_sell"


def offer_targets(offers: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """Return the clients each offer applies to: one row per client and offer.

    Parameters
    ----------
    offers : pandas.DataFrame
        A table like ``default_offers`` returns, possibly edited; needs
        ``segment``. Every other column is carried through.
    segments : pandas.Series
        Segment id of each client, indexed by client id.

    Raises
    ------
    SegmentationError
        When ``offers`` has no ``segment`` column.
    """
    if "segment" not in offers:
        raise SegmentationError("segmentation.error.offers_columns",
                                columns="segment")
    clients = pd.DataFrame({"client_id": segments.index.to_numpy(),
                            "segment": segments.to_numpy()})
    targets = clients.merge(offers, on="segment", how="inner")
    return targets.sort_values(["segment", "client_id"], kind="stable",
                               ignore_index=True)


@dataclass
class EarlyWarning:
    """Clients and segments whose risk worsened between two dates.

    Attributes
    ----------
    clients : pandas.DataFrame
        One row per flagged client present at both dates: ``client_id``,
        ``segment``, ``rating_1``, ``rating_2``, ``notch_change`` (positive is a
        downgrade), ``pd_1``, ``pd_2``, ``nps_1``, ``nps_2``, ``signals`` (comma
        separated: rating, pd, nps) and ``signal_count``; most signals first.
    segments : pandas.DataFrame
        ``segment``, ``clients_1``, ``clients_2``, ``default_rate_1``,
        ``default_rate_2``, ``change`` and ``rose``.
    """

    clients: pd.DataFrame
    segments: pd.DataFrame


def risk_early_warning(features_1: FeatureTable, features_2: FeatureTable,
                       segments_1: pd.Series, segments_2: pd.Series, *,
                       rating_notches: int = 1, pd_increase: float = 0.0,
                       nps_drop: float = 1.0) -> EarlyWarning:
    """Flag clients whose rating, PD or NPS worsened, and segments whose default
    rate rose, between the dates of ``features_1`` and ``features_2``.

    Parameters
    ----------
    features_1, features_2 : FeatureTable
        Features at the earlier and the later date.
    segments_1, segments_2 : pandas.Series
        Segment of each client at each date, from the same model.
    rating_notches : int, default 1
        Downgrade, in notches, that raises the rating signal.
    pd_increase : float, default 0.0
        PD rise (absolute, as a fraction) that must be exceeded.
    nps_drop : float, default 1.0
        Fall of the NPS score (0-10 scale) that raises the NPS signal.
    """
    first, second = features_1.frame, features_2.frame
    common = first.index.intersection(second.index)
    table = pd.DataFrame(index=common)
    table["segment"] = segments_2.reindex(common)
    for column, name in (("rating", "rating"), ("rating_notch", "notch"),
                         ("pd", "pd"), ("nps", "nps")):
        table[f"{name}_1"] = first.loc[common, column]
        table[f"{name}_2"] = second.loc[common, column]
    table["notch_change"] = table["notch_2"] - table["notch_1"]

    signals = pd.DataFrame({
        "rating": table["notch_change"] >= rating_notches,
        "pd": (table["pd_2"] - table["pd_1"]) > pd_increase,
        "nps": (table["nps_1"] - table["nps_2"]) >= nps_drop,
    }, index=common)
    table["signal_count"] = signals.sum(axis=1)
    table["signals"] = signals.apply(
        lambda row: ", ".join(name for name, flag in row.items() if flag), axis=1)
    flagged = table[table["signal_count"] > 0].drop(columns=["notch_1", "notch_2"])
    flagged = flagged.sort_values(["signal_count", "notch_change"],
                                  ascending=False, kind="stable")
    flagged.index.name = "client_id"
    return EarlyWarning(clients=flagged.reset_index(),
                        segments=_segment_default_rates(first, second, segments_1,
                                                        segments_2))


def _segment_default_rates(first, second, segments_1, segments_2) -> pd.DataFrame:
    rates = pd.DataFrame({
        "clients_1": segments_1.value_counts(),
        "clients_2": segments_2.value_counts(),
        "default_rate_1": first["default_12m"].groupby(segments_1).mean(),
        "default_rate_2": second["default_12m"].groupby(segments_2).mean(),
    })
    rates["change"] = rates["default_rate_2"] - rates["default_rate_1"]
    rates["rose"] = rates["change"] > 0
    rates.index.name = "segment"
    for column in ("clients_1", "clients_2"):
        rates[column] = rates[column].fillna(0).astype(int)
    return rates.reset_index()


def market_opportunities(store_or_frames, *, as_of=None,
                         max_share: float | None = None,
                         funding_roles: tuple[str, ...] = FUNDING_ROLES
                         ) -> tuple[pd.DataFrame, list[Note]]:
    """Rank sector x region cells where the market is large and our share small.

    Parameters
    ----------
    store_or_frames : Store or dict of str to DataFrame
    as_of : date-like, optional
        Date at which deals count as live; default the latest date in the book.
    max_share : float, optional
        Cells with our share below it are ranked. The default is the median share
        of the cells, which ranks the half of the cells where we are least present.
    funding_roles : tuple of str, default ("lender", "arranger")
        Deal roles that count as our funding of a project.

    Returns
    -------
    cells : pandas.DataFrame
        ``sector``, ``region``, ``projects``, ``market_size_usd``,
        ``our_exposure_usd``, ``share``, ``headroom_usd``, ``clients`` (our clients
        of that sector and region) and ``rank`` (1 = largest headroom among cells
        below ``max_share``, NaN otherwise); ranked cells first.
        ``cells.attrs["max_share"]`` is the share threshold applied.
    notes : list of Note
        Projects whose country has no region in the book.

    Notes
    -----
    The region of a project is the region most of our clients in its country
    belong to, because projects carry a country but no region. Every project in
    the table counts towards the market, whatever its stage.
    """
    tables = load_tables(store_or_frames)
    as_of = default_as_of(tables) if as_of is None else pd.Timestamp(as_of)
    clients, projects = tables["clients"], tables.get("projects")
    notes: list[Note] = []
    if projects is None or projects.empty:
        return _empty_cells(), notes

    # Projects with USD cost and a region from the country.
    projects = projects.copy()
    projects["cost_usd"] = fx.to_usd(projects["total_cost"], projects["currency"])
    region_of = _country_regions(clients)
    projects["region"] = projects["country"].map(region_of)
    unmapped = projects[projects["region"].isna()]
    if not unmapped.empty:
        countries = ", ".join(sorted(unmapped["country"].dropna().astype(str).unique()))
        notes.append(Note("segmentation.note.market_region_unmapped",
                          {"count": int(len(unmapped)), "countries": countries or "-"}))
    projects["region"] = projects["region"].astype(object).fillna("unknown")
    projects["sector"] = projects["sector"].astype(object).fillna("unknown")

    # Our live funding deals on those projects.
    live = exposure_rows(tables.get("deals"), as_of)
    if "role" in live:
        role = live["role"].astype(object)
        live = live[role.isna() | role.isin(funding_roles)]
    exposure = live.groupby(live["project_id"].astype(object))["amount_usd"].sum() \
        if not live.empty else pd.Series(dtype=float)
    projects["our_exposure_usd"] = projects["project_id"].map(exposure).fillna(0.0)

    cells = projects.groupby(["sector", "region"]).agg(
        projects=("project_id", "size"), market_size_usd=("cost_usd", "sum"),
        our_exposure_usd=("our_exposure_usd", "sum")).reset_index()
    cells["share"] = cells["our_exposure_usd"] / cells["market_size_usd"].where(
        cells["market_size_usd"] > 0)
    cells["headroom_usd"] = (cells["market_size_usd"]
                             - cells["our_exposure_usd"]).clip(lower=0)
    cells["clients"] = _client_counts(clients, cells)
    return _rank_cells(cells, max_share), notes


def _country_regions(clients: pd.DataFrame) -> pd.Series:
    located = clients.dropna(subset=["country", "region"])
    if located.empty:
        return pd.Series(dtype=object)
    counts = located.groupby(["country", "region"]).size().reset_index(name="n")
    counts = counts.sort_values(["country", "n", "region"],
                                ascending=[True, False, True], kind="stable")
    first = counts.drop_duplicates("country")
    return first.set_index("country")["region"].astype(object)


def _client_counts(clients: pd.DataFrame, cells: pd.DataFrame) -> np.ndarray:
    pairs = clients[["sector", "region"]].astype(object).value_counts()
    return np.array([int(pairs.get((sector, region), 0))
                     for sector, region in zip(cells["sector"], cells["region"])])


def _rank_cells(cells: pd.DataFrame, max_share: float | None) -> pd.DataFrame:
    if max_share is None:
        max_share = float(cells["share"].median())
    try:
        max_share = float(max_share)
    except (TypeError, ValueError):
        raise SegmentationError("segmentation.error.bad_threshold", name="max_share",
                                value=repr(max_share)) from None
    small = cells["share"].fillna(1.0) < max_share
    order = cells.loc[small, "headroom_usd"].rank(ascending=False, method="first")
    cells["rank"] = order.reindex(cells.index)
    cells = cells.sort_values(["rank", "headroom_usd"], ascending=[True, False],
                              na_position="last", kind="stable", ignore_index=True)
    cells.attrs["max_share"] = max_share
    return cells


def _empty_cells() -> pd.DataFrame:
    return pd.DataFrame(columns=["sector", "region", "projects", "market_size_usd",
                                 "our_exposure_usd", "share", "headroom_usd",
                                 "clients", "rank"])
