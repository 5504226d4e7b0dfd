"""Migration between dates, marketing offers, early warning and market openings."""

from __future__ import annotations

import pandas as pd
import pytest

from pfcrm_core.segmentation import (SegmentationError, default_offers,
                                     market_opportunities, offer_targets,
                                     risk_early_warning, segment_clients,
                                     segment_migration)
from pfcrm_core.segmentation.features import FeatureTable
from pfcrm_core.segmentation.uses import OFFER_KEYS


@pytest.fixture(scope="module")
def migration(demo_frames):
    return segment_migration(demo_frames, "2025-06-30", "2026-09-30", k=4)


def test_migration_rows_sum_to_one(migration):
    matrix = migration[0]

    assert matrix.row_shares.sum(axis=1).round(12).eq(1.0).all()


def test_migration_counts_cover_both_dates(migration):
    matrix, _, first, second = migration
    clients = first.frame.index.union(second.frame.index)

    assert matrix.counts.to_numpy().sum() == len(clients)
    assert matrix.counts.loc[:, matrix.counts.columns != "(left)"].to_numpy().sum() \
        == len(second.frame)
    assert "(new)" in matrix.counts.index


def test_migration_uses_date_one_model(migration):
    matrix, model, first, _ = migration

    fitted = model.assign(first.frame)

    assert (matrix.clients.set_index("client_id")["segment_1"].dropna()
            == fitted).all()


def test_migration_dates_must_be_ordered(demo_frames):
    with pytest.raises(SegmentationError, match="must be before the second date"):
        segment_migration(demo_frames, "2026-09-30", "2025-06-30", k=3)


def test_default_offers_one_per_segment(demo_frames):
    result = segment_clients(demo_frames, k=4)

    offers = default_offers(result.profiles)

    assert offers["segment"].tolist() == result.profiles["segment"].tolist()
    assert set(offers["offer_key"]) <= set(OFFER_KEYS)
    assert offers["offer_zh"].str.len().gt(0).all()


def test_offer_targets_follow_edited_table(demo_frames):
    result = segment_clients(demo_frames, k=4)
    offers = default_offers(result.profiles)
    edited = offers[offers["segment"] != "S1"].copy()
    extra = pd.DataFrame({"segment": ["S2"], "offer_key": ["webinar"],
                          "offer_en": ["Invite to the ESG webinar."]})
    edited = pd.concat([edited, extra], ignore_index=True)

    targets = offer_targets(edited, result.labels)

    assert "S1" not in set(targets["segment"])
    s2 = (result.labels == "S2").sum()
    assert (targets["segment"] == "S2").sum() == 2 * s2
    assert set(targets.loc[targets["offer_key"] == "webinar", "client_id"]) == set(
        result.labels.index[result.labels == "S2"])


def test_offer_targets_need_segment_column(demo_frames):
    labels = pd.Series(["S1"], index=["C-0001"])

    with pytest.raises(SegmentationError, match="no column segment"):
        offer_targets(pd.DataFrame({"offer": ["x"]}), labels)


def _features(as_of: str, rating, notch, pd_values, nps, default) -> FeatureTable:
    frame = pd.DataFrame({"rating": rating, "rating_notch": notch, "pd": pd_values,
                          "nps": nps, "default_12m": default},
                         index=pd.Index(["A", "B", "C", "D"], name="client_id"))
    return FeatureTable(frame=frame, as_of=pd.Timestamp(as_of), nps_method="latest")


def test_early_warning_flags_each_signal():
    first = _features("2025-01-01", ["BBB", "BBB", "BBB", "BBB"], [9, 9, 9, 9],
                      [0.002, 0.002, 0.002, 0.002], [9, 9, 9, 9], [0.0, 0.0, 0.0, 0.0])
    second = _features("2026-01-01", ["BBB-", "BBB", "BBB", "A"], [10, 9, 9, 6],
                       [0.0035, 0.004, 0.002, 0.0007], [9, 9, 7, 10],
                       [0.0, 1.0, 0.0, 0.0])
    segments = pd.Series(["S1", "S1", "S2", "S2"], index=first.frame.index)

    warning = risk_early_warning(first, second, segments, segments)

    flagged = warning.clients.set_index("client_id")["signals"].to_dict()
    assert flagged == {"A": "rating, pd", "B": "pd", "C": "nps"}
    rates = warning.segments.set_index("segment")
    assert bool(rates.loc["S1", "rose"]) is True
    assert rates.loc["S1", "default_rate_2"] == pytest.approx(0.5)
    assert bool(rates.loc["S2", "rose"]) is False


def test_market_opportunities_share_and_rank(demo_frames):
    cells, notes = market_opportunities(demo_frames)

    ranked = cells.dropna(subset=["rank"])
    assert notes == []
    expected_share = cells["our_exposure_usd"] / cells["market_size_usd"]
    assert (cells["share"] == expected_share).all()
    assert (ranked["share"] < cells.attrs["max_share"]).all()
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["headroom_usd"].is_monotonic_decreasing
    assert cells["projects"].sum() == len(demo_frames["projects"])


def test_market_opportunities_given_share(demo_frames):
    cells, _ = market_opportunities(demo_frames, max_share=0.2)

    ranked = cells.dropna(subset=["rank"])
    assert (ranked["share"] < 0.2).all()
    assert len(ranked) == (cells["share"] < 0.2).sum()


def test_market_region_unmapped_noted(demo_frames):
    frames = dict(demo_frames)
    frames["projects"] = demo_frames["projects"].assign(country="Atlantis")

    cells, notes = market_opportunities(frames)

    assert set(cells["region"]) == {"unknown"}
    assert notes[0].key == "segmentation.note.market_region_unmapped"
