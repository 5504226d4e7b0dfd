"""Tests of the seeded demo book: schema conformance, counts, determinism and the
structure that the models must find in it."""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from pfcrm_core import schema
from pfcrm_core.demo import (AS_OF, DEFAULT_SEED, TOLL_ROAD_ID, generate_demo,
                             reference, to_canonical)

CHINESE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")

ALLOWED_CATEGORIES = {
    ("clients", "client_type"): set(schema.CLIENT_TYPES),
    ("clients", "region"): set(reference.REGIONS),
    ("projects", "stage"): set(reference.PROJECT_STAGES),
    ("projects", "currency"): set(reference.FX_TO_USD),
    ("deals", "role"): set(reference.DEAL_ROLES),
    ("deals", "currency"): set(reference.FX_TO_USD),
    ("revenue", "currency"): {"usd"},
    ("revenue", "kind"): set(reference.REVENUE_KINDS),
    ("interactions", "channel"): set(reference.CHANNELS),
    ("feedback", "follow_up_status"): set(reference.FOLLOW_UP_STATUSES),
    ("relationships", "kind"): set(reference.RELATIONSHIP_KINDS),
}


@pytest.fixture(scope="module")
def book() -> dict[str, pd.DataFrame]:
    return generate_demo()


def frame_hash(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame, index=True).sum())


def test_tables_match_schema_columns(book):
    assert list(book) == list(schema.TABLES)
    for name, table in schema.TABLES.items():
        assert list(book[name].columns) == table.column_names, name


def test_column_dtypes_match_kinds(book):
    for name, table in schema.TABLES.items():
        for column in table.columns:
            series = book[name][column.name]
            label = f"{name}.{column.name}"
            if column.kind in ("id", "text", "category"):
                assert pd.api.types.is_string_dtype(series), label
            elif column.kind == "date":
                assert series.dtype == "datetime64[ns]", label
            elif column.kind == "integer":
                assert series.dtype == "int64", label
            elif column.kind == "bool":
                assert series.dtype == bool, label
            else:
                assert series.dtype == "float64", label


def test_required_columns_complete(book):
    for name, table in schema.TABLES.items():
        for column in table.columns:
            if column.required:
                assert book[name][column.name].notna().all(), f"{name}.{column.name}"


def test_categories_lower_case_and_allowed(book):
    for name, table in schema.TABLES.items():
        for column in table.columns:
            if column.kind != "category":
                continue
            values = book[name][column.name].dropna()
            assert (values == values.str.lower()).all(), f"{name}.{column.name}"
    for (name, column), allowed in ALLOWED_CATEGORIES.items():
        values = set(book[name][column].dropna().unique())
        assert values <= allowed, f"{name}.{column}: {sorted(values - allowed)}"


def test_all_client_types_present(book):
    counts = book["clients"]["client_type"].value_counts()
    assert set(counts.index) == set(schema.CLIENT_TYPES)
    assert counts.idxmax() == "bank"


def test_numeric_ranges_follow_schema(book):
    for name, table in schema.TABLES.items():
        for column in table.columns:
            values = book[name][column.name].dropna()
            label = f"{name}.{column.name}"
            if column.minimum is not None:
                assert (values >= column.minimum).all(), label
            if column.maximum is not None:
                assert (values <= column.maximum).all(), label
            if column.kind == "money":
                assert (values >= 0).all(), label


def test_keys_unique(book):
    for name, table in schema.TABLES.items():
        duplicated = book[name].duplicated(subset=list(table.key))
        assert not duplicated.any(), name


def test_references_resolve(book):
    for name, table in schema.TABLES.items():
        for column in table.columns:
            if column.references is None:
                continue
            target_table, target_column = column.references.split(".")
            known = set(book[target_table][target_column])
            values = set(book[name][column.name].dropna())
            unknown = sorted(values - known)[:5]
            assert not unknown, f"{name}.{column.name}: {unknown}"


def test_counts_near_targets(book):
    assert 540 <= len(book["clients"]) <= 660
    assert len(book["projects"]) == 150
    assert len(book["deals"]) == 2_500
    assert 19_000 <= len(book["interactions"]) <= 21_000
    assert 2_850 <= len(book["feedback"]) <= 3_150
    assert 10_000 <= len(book["revenue"]) <= 100_000


def test_same_seed_gives_identical_frames(book):
    again = generate_demo(DEFAULT_SEED)
    for name in schema.TABLES:
        assert frame_hash(again[name]) == frame_hash(book[name]), name


def test_other_seed_gives_other_frames(book):
    other = generate_demo(7)
    assert frame_hash(other["revenue"]) != frame_hash(book["revenue"])


def test_client_fields_believable(book):
    clients = book["clients"]
    ratings = set(reference.RATING_SCALE) | {reference.DEFAULT_RATING}
    assert set(clients["credit_rating"]) <= ratings
    assert clients["name"].is_unique
    assert clients["name"].str.contains(CHINESE_CHARACTER).mean() > 0.1
    assert (~clients["name"].str.contains(CHINESE_CHARACTER)).mean() > 0.5
    assert clients["relationship_manager"].nunique() >= 20
    assert clients["region"].nunique() == len(reference.REGIONS)
    assert clients["country"].nunique() >= 20

    # Most ratings are BBB or BB, and relationships span about 15 years.
    bbb_or_bb = clients["credit_rating"].str.match(r"^(BBB|BB)[+-]?$")
    assert bbb_or_bb.mean() >= 0.5
    span_years = (clients["relationship_since"].max()
                  - clients["relationship_since"].min()).days / 365.25
    assert 13 <= span_years <= 15.5


def test_projects_consistent(book):
    projects = book["projects"]
    fx = projects["currency"].map(reference.FX_TO_USD)
    cost_usd = projects["total_cost"] * fx
    assert cost_usd.between(49e6, 3.01e9).all()
    target_share = projects["target_funding"] / projects["total_cost"]
    assert target_share.between(0.599, 0.801).all()
    assert (projects["funded_amount"] <= projects["target_funding"]).all()

    closed = projects["stage"].isin(reference.CLOSED_STAGES)
    assert projects.loc[closed, "financial_close_date"].notna().all()
    assert projects.loc[~closed, "financial_close_date"].isna().all()
    assert (projects["financial_close_date"].dropna() <= AS_OF).all()


def test_funded_amount_sums_funding_deals(book):
    deals = book["deals"]
    funding = deals[deals["role"].isin(reference.FUNDING_ROLES)]
    totals = funding.groupby("project_id")["amount"].sum()
    projects = book["projects"].set_index("project_id")
    expected = totals.reindex(projects.index, fill_value=0.0)
    assert np.allclose(projects["funded_amount"], expected)


def test_deal_dates_and_tenors(book):
    deals = book["deals"]
    assert (deals["maturity_date"] > deals["start_date"]).all()
    tenor_years = (deals["maturity_date"] - deals["start_date"]).dt.days / 365.25
    assert tenor_years.between(2.99, 25.01).all()
    assert (deals["start_date"] <= AS_OF).all()


def test_deal_currency_is_project_currency(book):
    deals = book["deals"].merge(book["projects"], on="project_id",
                                suffixes=("", "_project"))
    assert (deals["currency"] == deals["currency_project"]).all()


def test_deal_roles_fit_client_types(book):
    deals = book["deals"].merge(book["clients"], on="client_id")
    allowed = {"lender": {"bank"}, "arranger": {"bank"},
               "equity": {"sponsor", "investor"}, "epc": {"contractor"},
               "offtake": {"offtaker"}, "grantor": {"government"},
               "insurer": {"insurer"}, "advisor": {"advisor"}}
    for role, types in allowed.items():
        found = set(deals.loc[deals["role"] == role, "client_type"])
        assert found <= types, role


def test_margin_only_on_debt_within_band(book):
    deals = book["deals"]
    debt = deals["role"].isin(["lender", "arranger"])
    assert deals.loc[debt, "margin_bps"].between(80, 450).all()
    assert deals.loc[~debt, "margin_bps"].isna().all()


def test_margin_rises_with_rating_notch(book):
    deals = book["deals"].dropna(subset=["margin_bps"])
    credit = book["credit"]
    first_rating = credit.groupby("client_id")["rating"].first()
    notch = deals["client_id"].map(first_rating).map(
        {rating: i for i, rating in enumerate(reference.RATING_SCALE)})
    assert deals["margin_bps"].corr(notch) > 0.3


def test_revenue_in_window_and_usd(book):
    revenue = book["revenue"]
    assert revenue["date"].min() >= reference.REVENUE_START
    assert revenue["date"].max() <= AS_OF
    assert (revenue["amount"] > 0).all()
    assert set(revenue["currency"]) == {"usd"}


def test_revenue_top_fifth_earns_most(book):
    totals = book["revenue"].groupby("client_id")["amount"].sum()
    totals = totals.reindex(book["clients"]["client_id"], fill_value=0.0)
    ranked = totals.sort_values(ascending=False)
    top = ranked.iloc[: int(0.2 * len(ranked))]
    assert top.sum() / ranked.sum() >= 0.6


def test_revenue_shows_attrition(book):
    last = book["revenue"].groupby("client_id")["date"].max()
    quiet = last < AS_OF - pd.DateOffset(years=1)
    assert 0.1 <= quiet.mean() <= 0.5


def test_detractors_churn_more_than_promoters(book):
    clients = book["clients"]["client_id"]
    last = book["revenue"].groupby("client_id")["date"].max().reindex(clients)
    churned = last.isna() | (last <= AS_OF - pd.DateOffset(years=1))
    mean_nps = book["feedback"].groupby("client_id")["nps"].mean().reindex(clients)
    detractor_rate = churned[mean_nps <= 6].mean()
    promoter_rate = churned[mean_nps >= 9].mean()
    assert detractor_rate > promoter_rate + 0.15


def test_credit_pd_follows_master_scale(book):
    credit = book["credit"]
    rated = credit[credit["rating"] != reference.DEFAULT_RATING]
    master = dict(zip(reference.RATING_SCALE, reference.MASTER_SCALE_PD))
    assert np.allclose(rated["pd"], rated["rating"].map(master))
    assert rated["lgd"].between(0.25, 0.60).all()
    in_default = credit[credit["rating"] == reference.DEFAULT_RATING]
    assert (in_default["pd"] == 1.0).all()
    assert in_default["defaulted"].all()


def test_enough_defaults_for_scorecard(book):
    credit = book["credit"]
    events = credit["defaulted"] & (credit["rating"] != reference.DEFAULT_RATING)
    assert 40 <= events.sum() <= 80


def test_default_rate_rises_as_rating_worsens(book):
    credit = book["credit"]
    rated = credit[credit["rating"] != reference.DEFAULT_RATING]
    investment_grade = rated["rating"].isin(reference.INVESTMENT_GRADE)
    double_b = rated["rating"].str.match(r"^BB[+-]?$")
    single_b_or_worse = ~investment_grade & ~double_b
    rate_ig = rated.loc[investment_grade, "defaulted"].mean()
    rate_bb = rated.loc[double_b, "defaulted"].mean()
    rate_b = rated.loc[single_b_or_worse, "defaulted"].mean()
    assert rate_ig < rate_bb
    assert rate_bb < rate_b


def test_defaulted_client_rated_d_afterwards(book):
    credit = book["credit"]
    rated = credit["rating"] != reference.DEFAULT_RATING
    events = credit[credit["defaulted"] & rated]
    clients = book["clients"].set_index("client_id")
    assert (clients.loc[events["client_id"], "credit_rating"] == "D").all()
    for client_id, as_of in zip(events["client_id"], events["as_of"]):
        later = credit[(credit["client_id"] == client_id) & (credit["as_of"] > as_of)]
        assert (later["rating"] == reference.DEFAULT_RATING).all(), client_id
        assert len(later) <= 1, client_id


def test_credit_ead_mostly_positive(book):
    credit = book["credit"]
    assert (credit["ead"] >= 0).all()
    assert (credit["ead"] > 0).mean() > 0.3


def test_feedback_scores_correlate(book):
    feedback = book["feedback"]
    assert feedback["nps"].between(0, 10).all()
    assert feedback["csat"].between(1, 5).all()
    assert feedback["nps"].corr(feedback["csat"]) > 0.5


def test_follow_up_only_for_detractors(book):
    feedback = book["feedback"]
    detractor = feedback["nps"] <= 6
    assert (feedback.loc[~detractor, "follow_up_status"] == "none").all()
    statuses = set(feedback.loc[detractor, "follow_up_status"])
    assert statuses == {"open", "in progress", "closed"}


def test_comments_in_both_languages(book):
    comments = book["feedback"]["comment"].dropna()
    chinese = comments.str.contains(CHINESE_CHARACTER)
    assert chinese.mean() > 0.1
    assert (~chinese).mean() > 0.3
    assert comments.nunique() > 100


def test_interaction_notes_in_both_languages(book):
    interactions = book["interactions"]
    chinese = interactions["notes"].str.contains(CHINESE_CHARACTER)
    assert 0.1 < chinese.mean() < 0.9
    assert set(interactions["staff"]) <= set(reference.STAFF)
    assert interactions["date"].max() <= AS_OF


def test_relationships_have_no_self_loops(book):
    relationships = book["relationships"]
    assert (relationships["source_id"] < relationships["target_id"]).all()
    assert (relationships["weight"] > 0).all()
    assert (relationships["since"] <= AS_OF).all()
    assert set(relationships["kind"]) == set(reference.RELATIONSHIP_KINDS)


def test_network_has_communities(book):
    graph = nx.Graph()
    edges = book["relationships"][["source_id", "target_id", "weight"]]
    graph.add_weighted_edges_from(edges.itertuples(index=False))
    communities = nx.community.louvain_communities(graph, seed=42)
    assert nx.community.modularity(graph, communities) >= 0.3


def test_toll_road_project_for_case_study(book):
    projects = book["projects"].set_index("project_id")
    assert TOLL_ROAD_ID in projects.index
    toll_road = projects.loc[TOLL_ROAD_ID]
    assert "Toll Road" in toll_road["name"]
    assert "收费公路" in toll_road["name"]
    assert toll_road["stage"] == "structuring"
    assert 0 < toll_road["funded_amount"] < toll_road["target_funding"]

    deals = book["deals"][book["deals"]["project_id"] == TOLL_ROAD_ID]
    assert {"lender", "arranger", "equity"} <= set(deals["role"])
    assert deals["start_date"].nunique() > 5


def test_to_canonical_rejects_missing_column():
    frame = pd.DataFrame({"client_id": ["C-1"]})
    with pytest.raises(KeyError, match="has no column name, client_type"):
        to_canonical("clients", frame)
