"""The case built on the demo book and its workshop script."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pfcrm_core.casestudy import (STEP_PAGES, CaseStudyError, build_case,
                                  committed_clients)
from pfcrm_core.clv import fit_clv
from pfcrm_core.demo.projects import TOLL_ROAD_ID
from pfcrm_core.fx import revenue_in_usd
from pfcrm_core.i18n import LANGUAGES, catalogue, placeholders, translate

ROOT = Path(__file__).resolve().parent.parent
STEP_TEXTS = ("title", "question", "figure_label", "figure", "look_at")


@pytest.fixture(scope="module")
def demo_case(demo_frames):
    # Stored PDs stand in for the scorecard, which the app fits on the same data.
    credit = demo_frames["credit"].sort_values("as_of").drop_duplicates(
        "client_id", keep="last")[["client_id", "pd", "rating"]]
    clv = fit_clv(revenue_in_usd(demo_frames["revenue"])).clients
    return build_case(demo_frames, TOLL_ROAD_ID, credit=credit,
                      clv=clv.set_index("client_id")["clv"])


def test_toll_road_funding_matches_deals(demo_case, demo_frames):
    project = demo_frames["projects"].set_index("project_id").loc[TOLL_ROAD_ID]
    assert demo_case.funding.rate == pytest.approx(
        project["funded_amount"] / project["target_funding"])
    assert 0 < demo_case.funding.rate < 1
    assert demo_case.funding.as_of == pd.Timestamp("2026-09-30")


def test_toll_road_ranking_skips_committed(demo_case, demo_frames):
    committed = committed_clients(demo_frames["deals"], TOLL_ROAD_ID)
    assert len(demo_case.outreach.ranked) > 20
    assert not set(demo_case.outreach.ranked["client_id"]) & committed


def test_toll_road_ranked_pass_cutoff(demo_case):
    ranked = demo_case.outreach.ranked
    assert (ranked["pd"] <= demo_case.outreach.settings.pd_cutoff).all()
    assert set(ranked["client_type"]) <= {"bank", "investor"}


def test_workshop_has_intro_models_and_wrap_up(demo_case):
    keys = [step.key for step in demo_case.steps]
    assert keys[0] == "intro"
    assert keys[-1] == "wrap_up"
    assert [step.model for step in demo_case.steps[1:-1]] == list(range(1, 8))


@pytest.mark.parametrize("key", list(STEP_PAGES))
def test_workshop_step_links_existing_page(key):
    assert (ROOT / STEP_PAGES[key]).is_file(), STEP_PAGES[key]


@pytest.mark.parametrize("key", list(STEP_PAGES))
def test_workshop_step_texts_in_both_languages(demo_case, key):
    step = next(step for step in demo_case.steps if step.key == key)
    for text in STEP_TEXTS:
        assert f"case_study.step.{key}.{text}" in catalogue()
    figure_key = f"case_study.step.{key}.figure"
    assert placeholders(catalogue()[figure_key]["en"]) == set(step.values)
    for lang in LANGUAGES:
        assert translate(figure_key, lang, **step.values)


def test_workshop_figures_match_the_case(demo_case):
    steps = {step.key: step for step in demo_case.steps}
    summary = demo_case.simulation.summary.set_index("strategy")
    assert steps["intro"].figure == pytest.approx(demo_case.funding.rate)
    assert steps["risk"].figure == len(demo_case.outreach.ranked)
    assert steps["automation"].figure == summary.loc["ranked", "contacts_p50"]
    assert steps["wrap_up"].figure == summary.loc["ranked", "months_p50"]


def test_ranked_strategy_beats_random_on_demo(demo_case):
    summary = demo_case.simulation.summary.set_index("strategy")
    assert summary.loc["ranked", "months_p50"] < summary.loc["random", "months_p50"]


def test_empty_tables_raise(demo_frames):
    tables = {name: frame.iloc[:0] for name, frame in demo_frames.items()}
    with pytest.raises(CaseStudyError, match="these tables are empty: clients"):
        build_case(tables, TOLL_ROAD_ID, credit=tables["credit"])
