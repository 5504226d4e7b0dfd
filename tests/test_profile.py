"""The client profile core: search, per-client views, changes and the brief."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from pfcrm_core import fx
from pfcrm_core.clv import fit_clv
from pfcrm_core.network import analyse_network
from pfcrm_core.prediction import predict_next_deal
from pfcrm_core.profile import (ModelResults, ProfileError, assemble_profile,
                                book_end, brief_html, brief_markdown, changes_since,
                                normalise_text, search_clients, strength_change)
from pfcrm_core.profile.brief import brief_sections
from pfcrm_core.risk import current_book, risk_return_table
from pfcrm_core.risk.book import score_book
from pfcrm_core.segmentation import default_offers, segment_clients

NAMES = ["clients", "projects", "deals", "revenue", "interactions", "feedback",
         "credit"]
XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def tables(demo_frames) -> dict[str, pd.DataFrame]:
    return {name: demo_frames[name].copy() for name in NAMES}


@pytest.fixture(scope="module")
def results(tables) -> ModelResults:
    """Model results fitted on the demo book as the app fits them by default."""
    clv = fit_clv(fx.revenue_in_usd(tables["revenue"]))
    book = score_book(current_book(tables), None, ())
    risk = risk_return_table(book, clv.clients.set_index("client_id")["clv"])
    segments = segment_clients(tables, method="rules", clv=clv)
    network = analyse_network(tables, clv=clv)
    return ModelResults(clv=clv.clients, risk=risk, segmentation=segments,
                        offers=default_offers(segments.profiles), network=network,
                        next_deal=predict_next_deal(tables), tasks=_tasks())


def _tasks() -> pd.DataFrame:
    """Two open tasks and a done one for C-0243, and one for another client."""
    return pd.DataFrame({
        "task_id": [1, 2, 3, 4], "rule_id": [1, 2, 1, 1],
        "rule_name": ["No contact", "Maturity", "No contact", "No contact"],
        "client_id": ["C-0243", "C-0243", "C-0243", "C-0001"],
        "title": ["Call", "Refinance", "Old call", "Call"],
        "reason": ["No contact for 120 days", "Matures in 90 days", "x", "y"],
        "owner": ["Li Wei", "Ann Lee", "Li Wei", "Bo Chen"],
        "due_at": pd.to_datetime(["2026-10-20", "2026-10-10", "2026-06-01",
                                  "2026-10-01"]),
        "priority": ["high", "medium", "low", "high"],
        "status": ["open", "in progress", "done", "open"],
        "created_at": pd.to_datetime(["2026-09-30"] * 4),
        "closed_at": pd.to_datetime([None, None, "2026-07-01", None])})


# Search ---------------------------------------------------------------------------


def test_normalise_text_folds_width_and_case():
    assert normalise_text("ＨＥＲＯＮ") == "heron"
    assert normalise_text("ｃ-０２４３") == "c-0243"
    assert normalise_text(None) == ""
    assert normalise_text(float("nan")) == ""


def test_search_full_width_id(tables):
    found = search_clients(tables["clients"], "ｃ-０２４３")

    assert found["client_id"].iloc[0] == "C-0243"
    assert found["rank"].iloc[0] == 0


def test_search_id_without_hyphen(tables):
    found = search_clients(tables["clients"], "c0243")

    assert found["client_id"].tolist() == ["C-0243"]


def test_search_english_part_any_case(tables):
    clients = tables["clients"]
    expected = set(clients.loc[clients["name"].str.lower().str.contains("heron"),
                               "client_id"])

    found = search_clients(clients, "HERON", limit=100)

    assert set(found["client_id"]) == expected
    assert "C-0243" in set(found["client_id"])


def test_search_chinese_part(tables):
    clients = tables["clients"]
    expected = set(clients.loc[clients["name"].str.contains("沛霖"), "client_id"])

    found = search_clients(clients, "沛霖", limit=100)

    assert expected
    assert set(found["client_id"]) == expected


def test_search_ranks_prefix_before_part():
    clients = pd.DataFrame({"client_id": ["X-2", "X-1", "X-3"],
                            "name": ["Grand Heron Fund", "Heron Bank", "heron"]})

    found = search_clients(clients, "Heron")

    assert found["client_id"].tolist() == ["X-3", "X-1", "X-2"]


def test_search_blank_and_limit(tables):
    assert search_clients(tables["clients"], "   ").empty
    assert len(search_clients(tables["clients"], "c-0", limit=5)) == 5


# Assembly on the demo book -------------------------------------------------------


def test_profile_of_demo_client(tables, results):
    profile = assemble_profile(tables, "C-0243", results)

    assert profile.name == "Heronreach Pension Fund"
    assert profile.as_of == book_end(tables)
    assert profile.clv is not None
    assert profile.risk is not None
    assert profile.segment is not None
    assert profile.network is not None
    assert not {"deals", "revenue", "clv", "risk", "segment", "network"} & set(
        profile.gaps)


def test_profile_exposure_matches_live_deals(tables, results):
    profile = assemble_profile(tables, "C-0243", results)
    deals = tables["deals"][tables["deals"]["client_id"] == "C-0243"]
    as_of = book_end(tables)
    live = (pd.to_datetime(deals["start_date"]) <= as_of) & (
        pd.to_datetime(deals["maturity_date"]) > as_of)
    expected = fx.to_usd(deals.loc[live, "amount"], deals.loc[live, "currency"]).sum()

    assert profile.deal_summary["exposure_usd"] == pytest.approx(expected)
    assert profile.deal_summary["deals"] == len(deals)
    assert profile.deal_summary["live_deals"] == int(live.sum())


def test_profile_revenue_adds_up(tables, results):
    profile = assemble_profile(tables, "C-0243", results)
    revenue = tables["revenue"][tables["revenue"]["client_id"] == "C-0243"]

    total = fx.to_usd(revenue["amount"], revenue["currency"]).sum()

    assert profile.revenue["amount_usd"].sum() == pytest.approx(total)
    assert profile.revenue_summary["revenue_total_usd"] == pytest.approx(total)


def test_profile_views_match_model_rows(tables, results):
    profile = assemble_profile(tables, "C-0243", results)
    clv_row = results.clv.set_index("client_id").loc["C-0243"]
    risk_row = results.risk.set_index("client_id").loc["C-0243"]

    assert profile.clv["clv"] == pytest.approx(clv_row["clv"])
    assert profile.clv["stage"] == clv_row["stage"]
    assert profile.risk["pd"] == pytest.approx(risk_row["pd"])
    assert profile.risk["raroc"] == pytest.approx(risk_row["raroc"])
    assert profile.segment["segment"] == results.segmentation.labels["C-0243"]
    assert profile.network.measures["pagerank"] == pytest.approx(
        results.network.nodes.loc["C-0243", "pagerank"])


def test_profile_network_ties_and_paths(tables, results):
    view = assemble_profile(tables, "C-0243", results).network

    assert len(view.ties) <= 5
    assert view.ties["strength"].is_monotonic_decreasing
    assert (view.staff["client_id"] == "C-0243").all()
    assert view.staff["score"].is_monotonic_decreasing
    assert not view.warm_paths.empty
    assert view.warm_paths["path"].iloc[0][-1] == "C-0243"


def test_profile_rating_history_in_order(tables, results):
    ratings = assemble_profile(tables, "C-0243", results).ratings

    assert ratings["as_of"].is_monotonic_increasing
    assert ratings["notch"].notna().all()
    assert len(ratings) == (tables["credit"]["client_id"] == "C-0243").sum()


def test_profile_unknown_client_raises(tables):
    with pytest.raises(ProfileError, match="No client has the id “C-9999”"):
        assemble_profile(tables, "C-9999")


def test_profile_without_models_has_gaps(tables):
    profile = assemble_profile(tables, "C-0243")

    for section in ("clv", "risk", "segment", "network", "attrition", "next_deal"):
        assert profile.gaps[section].key == "profile.gap.model_unavailable"
    assert profile.gaps["tasks"].key == "profile.gap.no_tasks"


def test_profile_tasks_open_first_by_due_date(tables, results):
    profile = assemble_profile(tables, "C-0243", results)

    assert profile.tasks["task_id"].tolist() == [2, 1, 3]
    assert "tasks" not in profile.gaps


def test_profile_next_deal_matches_the_model(tables, results):
    profile = assemble_profile(tables, "C-0243", results)

    view = profile.next_deal
    scores = results.next_deal.scores.set_index("client_id")
    assert view["probability"] == pytest.approx(scores.loc["C-0243", "probability"])
    assert view["rank"] == int((scores["probability"] > view["probability"]).sum()) + 1
    assert view["clients"] == len(scores)
    assert [r.key for r in view["reasons"]] == [
        r.key for r in results.next_deal.reasons("C-0243")]


def test_brief_has_outlook_with_tasks_and_next_deal(tables, results):
    profile = assemble_profile(tables, "C-0243", results)

    sections = {s.title: s for s in brief_sections(profile, "en")}
    outlook = sections["Tasks and outlook"]
    assert outlook.facts[0][0] == "Chance of a new deal"
    assert "Task: Refinance (due 2026-10-10, owner Ann Lee, rule Maturity)" in outlook.lines
    assert not any("Old call" in line for line in outlook.lines)


def _with_new_client(tables: dict, name: str) -> dict:
    frames = dict(tables)
    frames["clients"] = pd.concat([tables["clients"], pd.DataFrame(
        {"client_id": ["N-1"], "name": [name], "client_type": ["bank"]})],
        ignore_index=True)
    return frames


def test_profile_of_client_without_history(tables, results):
    frames = _with_new_client(tables, "New Harbour Bank")

    profile = assemble_profile(frames, "N-1", results)

    assert profile.deal_summary["exposure_usd"] == 0
    for section, key in [("deals", "profile.gap.no_deals"),
                         ("revenue", "profile.gap.no_revenue"),
                         ("ratings", "profile.gap.no_credit"),
                         ("feedback", "profile.gap.no_feedback"),
                         ("clv", "profile.gap.clv_no_revenue"),
                         ("risk", "profile.gap.no_credit"),
                         ("segment", "profile.gap.segment_no_history"),
                         ("network", "profile.gap.not_in_network")]:
        assert profile.gaps[section].key == key, section
    assert profile.changes.empty


# What changed ------------------------------------------------------------------------


def _small_book() -> dict[str, pd.DataFrame]:
    clients = pd.DataFrame({"client_id": ["A"], "name": ["Alpha"]})
    projects = pd.DataFrame({"project_id": ["P"], "name": ["Port"], "stage": ["operation"]})
    deals = pd.DataFrame({
        "deal_id": ["D1", "D2"], "client_id": ["A", "A"], "project_id": ["P", "P"],
        "role": ["lender", "lender"], "amount": [100.0, 200.0],
        "currency": ["USD", "EUR"],
        "start_date": pd.to_datetime(["2020-01-01", "2024-05-01"]),
        "maturity_date": pd.to_datetime(["2030-01-01", "2031-01-01"]),
        "margin_bps": [200.0, 250.0], "fee_income": [1.0, 2.0]})
    credit = pd.DataFrame({
        "client_id": ["A"] * 3,
        "as_of": pd.to_datetime(["2023-12-31", "2024-03-31", "2024-06-30"]),
        "rating": ["BBB", "BBB", "BB+"], "pd": [0.003, 0.003, 0.008],
        "lgd": [0.45] * 3, "ead": [100.0] * 3, "defaulted": [False] * 3})
    interactions = pd.DataFrame({
        "interaction_id": ["I1", "I2", "I3"], "client_id": ["A"] * 3,
        "date": pd.to_datetime(["2024-01-10", "2024-06-01", "2024-06-20"]),
        "channel": ["meeting"] * 3, "staff": ["Li Wei", "Li Wei", "Ann Roe"],
        "notes": [None] * 3})
    feedback = pd.DataFrame({
        "response_id": ["R1", "R2"], "client_id": ["A", "A"],
        "date": pd.to_datetime(["2024-01-15", "2024-06-15"]), "nps": [9, 4],
        "csat": [5, 2], "comment": ["Great team", "Slow drawdown"],
        "follow_up_status": ["none", "open"]})
    revenue = pd.DataFrame({"txn_id": ["T1"], "client_id": ["A"],
                            "date": pd.to_datetime(["2024-06-30"]), "amount": [5.0],
                            "currency": ["USD"], "kind": ["fee"]})
    return {"clients": clients, "projects": projects, "deals": deals,
            "credit": credit, "interactions": interactions, "feedback": feedback,
            "revenue": revenue}


def test_changes_since_lists_each_kind():
    book = _small_book()
    cases = pd.DataFrame({"case_id": [1, 2], "client_id": ["A", "A"],
                          "status": ["closed", "open"],
                          "opened_at": pd.to_datetime(["2024-06-16", "2024-06-16"]),
                          "closed_at": pd.to_datetime(["2024-06-25", None])})

    changes = changes_since(book, cases, "A", "2024-04-01", "2024-06-30")

    assert changes.new_deals["deal_id"].tolist() == ["D2"]
    assert changes.new_deals["amount_usd"].iloc[0] == pytest.approx(200 * 1.08)
    assert changes.rating_moves["rating_before"].tolist() == ["BBB"]
    assert changes.rating_moves["rating"].tolist() == ["BB+"]
    assert changes.rating_moves["notch_change"].tolist() == [2.0]
    assert changes.new_feedback["response_id"].tolist() == ["R2"]
    assert changes.closed_cases["case_id"].tolist() == [1]
    assert set(changes.strength["staff"]) == {"Li Wei", "Ann Roe"}
    assert not changes.empty


def test_changes_since_must_precede_until():
    with pytest.raises(ProfileError, match="must be before the latest data"):
        changes_since(_small_book(), None, "A", "2024-07-01", "2024-06-30")


def test_strength_change_new_staff_starts_at_zero():
    book = _small_book()

    table = strength_change(book["interactions"], "A", "2024-04-01", "2024-06-30")
    new = table.set_index("staff").loc["Ann Roe"]

    assert new["score_before"] == 0
    assert new["change"] == pytest.approx(new["score"])
    assert table["change"].abs().is_monotonic_decreasing


# The brief -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_brief_escapes_client_name(lang):
    book = _small_book()
    book["clients"].loc[0, "name"] = XSS_NAME
    book["feedback"].loc[1, "comment"] = "<script>alert('x')</script> & more"

    document = brief_html(assemble_profile(book, "A"), lang)

    assert html.escape(XSS_NAME) in document
    assert "<img" not in document
    assert "<script" not in document
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in document


def test_brief_loads_nothing_external(tables, results):
    document = brief_html(assemble_profile(tables, "C-0243", results), "en")

    assert document.startswith("<!DOCTYPE html>")
    assert "@media print" in document
    assert not re.search(r"https?://|<link|<script|<img|@import|url\(", document)


def test_brief_shows_gaps_in_chinese(tables):
    frames = _with_new_client(tables, "New Harbour Bank")

    document = brief_html(assemble_profile(frames, "N-1"), "zh")

    assert "该客户没有交易记录。" in document
    assert "客户简报：New Harbour Bank" in document


def test_brief_markdown_escapes_markup():
    book = _small_book()
    book["clients"].loc[0, "name"] = XSS_NAME + " *bold* [link](x)"

    text = brief_markdown(assemble_profile(book, "A"), "en")

    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\*bold\\*" in text
    assert "\\[link\\](x)" in text
    assert "<img" not in text.replace("\\<img", "")


def test_brief_nps_count_singular_and_plural():
    book = _small_book()
    single_response = _small_book()
    single_response["feedback"] = single_response["feedback"].iloc[[1]]

    plural = brief_markdown(assemble_profile(book, "A"), "en")
    singular = brief_markdown(assemble_profile(single_response, "A"), "en")
    chinese = brief_markdown(assemble_profile(single_response, "A"), "zh")

    assert "+0 from 2 responses" in plural
    assert re.search(r"-100 from 1 response$", singular, re.MULTILINE)
    assert "1 responses" not in singular
    assert "-100（1 份反馈）" in chinese


def test_brief_lists_recent_changes():
    book = _small_book()

    text = brief_markdown(assemble_profile(book, "A", since="2024-04-01"), "en")

    assert "Downgraded from BBB to BB+ on 2024-06-30." in text
    assert "New deal D2 on Port" in text
    assert np.isfinite(assemble_profile(book, "A").deal_summary["exposure_usd"])
