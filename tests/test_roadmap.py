"""The roadmap: checklist structure, progress, measured items on the demo and on an
empty store, and the rules for manual changes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pfcrm_core.demo import AS_OF
from pfcrm_core.i18n import catalogue, translate
from pfcrm_core.quality import measure_quality
from pfcrm_core.roadmap import (ITEM_KEYS, ITEMS, MEASURES, STEP_KEYS, STEPS,
                                Measurement, RoadmapError, assess_roadmap,
                                build_progress, load_measure_input, measure_items,
                                record_item, reference_date)
from pfcrm_core.roadmap import measures
from pfcrm_core.store import Store
from pfcrm_core.store.roadmap import ChecklistError

EMPTY_CHECKLIST = pd.DataFrame(columns=["item_key", "done", "note", "owner",
                                        "updated_at"])


def _checklist(*rows: tuple) -> pd.DataFrame:
    """Stored rows as (item_key, done, note)."""
    return pd.DataFrame([
        {"item_key": key, "done": done, "note": note, "owner": None,
         "updated_at": pd.Timestamp("2026-10-01")}
        for key, done, note in rows
    ])


def _all_measured(met: bool) -> dict[str, Measurement]:
    return {key: Measurement(met, "roadmap.evidence.core_tables", {"total": 6})
            for key, item in ITEMS.items() if item.measured}


@pytest.fixture(scope="module")
def demo_input(demo_db_path):
    return load_measure_input(Store(demo_db_path), as_of=AS_OF)


@pytest.fixture(scope="module")
def demo_measurements(demo_input):
    return measure_items(demo_input)


# Checklist structure --------------------------------------------------------------


def test_five_steps_in_order():
    assert STEP_KEYS == ("goals", "data", "tools", "training", "improvement")


def test_each_step_has_five_to_eight_items():
    for step in STEPS:
        assert 5 <= len(step.items) <= 8, step.key


def test_item_keys_unique_and_prefixed_by_step():
    assert len(set(ITEM_KEYS)) == len(ITEM_KEYS)
    for step in STEPS:
        for item in step.items:
            assert item.step == step.key, item.key


def test_every_item_and_step_has_text():
    texts = catalogue()
    for key in ITEM_KEYS:
        assert f"roadmap.item.{key}" in texts, key
    for key in STEP_KEYS:
        assert f"roadmap.step.{key}" in texts, key
        assert f"roadmap.step.{key}.goal" in texts, key


def test_measures_match_measured_items():
    used = {item.measure for item in ITEMS.values() if item.measured}

    assert used == set(MEASURES)


def test_item_texts_state_the_thresholds():
    cases = {
        "data.quality_score": f"{measures.QUALITY_TARGET:.0%}",
        "data.timeliness": f"{measures.TIMELINESS_TARGET:.0%}",
        "data.credit_history": f"{measures.CREDIT_HISTORY_YEARS:.0f} years",
        "tools.clv_history": f"{measures.CLV_MIN_REPEAT_CLIENTS} repeat clients",
        "tools.survey_sample": f"{measures.MIN_RECENT_RESPONSES} survey responses",
        "training.contact_coverage": f"{measures.CONTACT_COVERAGE_TARGET:.0%}",
    }
    for key, figure in cases.items():
        assert figure in translate(f"roadmap.item.{key}", "en"), key
        assert figure.split()[0] in translate(f"roadmap.item.{key}", "zh"), key


def test_survey_threshold_bounds_nps_margin():
    margin_points = 100 * 1.96 / math.sqrt(measures.MIN_RECENT_RESPONSES)

    assert margin_points <= 20


# Progress -------------------------------------------------------------------------


def test_nothing_stored_nothing_measured_is_zero():
    progress = build_progress(EMPTY_CHECKLIST, {}, pd.Timestamp("2026-09-30"))

    assert progress.done == 0
    assert progress.total == len(ITEM_KEYS)
    assert progress.share == 0.0
    assert progress.next_action().key == STEPS[0].items[0].key


def test_manual_ticks_count_per_step():
    checklist = _checklist(("goals.objectives", True, None),
                           ("goals.sponsor", True, None),
                           ("goals.kpis", False, None))

    progress = build_progress(checklist, {}, pd.Timestamp("2026-09-30"))

    goals = progress.steps[0]
    assert goals.done == 2
    assert goals.share == pytest.approx(2 / len(STEPS[0].items))
    assert progress.done == 2
    assert progress.share == pytest.approx(2 / len(ITEM_KEYS))
    assert progress.next_action().key == "goals.client_scope"


def test_measured_items_count_without_a_tick():
    progress = build_progress(EMPTY_CHECKLIST, _all_measured(True),
                              pd.Timestamp("2026-09-30"))

    sources = progress.to_frame().set_index("item_key")["source"]
    measured_keys = [key for key, item in ITEMS.items() if item.measured]
    assert progress.done == len(measured_keys)
    assert set(sources[measured_keys]) == {"measured"}


def test_tick_without_note_not_override():
    checklist = _checklist(("data.quality_score", True, None))

    progress = build_progress(checklist, _all_measured(False),
                              pd.Timestamp("2026-09-30"))

    status = progress.to_frame().set_index("item_key").loc["data.quality_score"]
    assert not status["done"]
    assert status["source"] == "open"


def test_tick_with_note_overrides_measure():
    checklist = _checklist(("data.quality_score", True, "Scored in the DQ tool"))

    progress = build_progress(checklist, _all_measured(False),
                              pd.Timestamp("2026-09-30"))

    status = progress.to_frame().set_index("item_key").loc["data.quality_score"]
    assert status["done"]
    assert status["source"] == "override"
    assert status["note"] == "Scored in the DQ tool"


def test_unticked_manual_item_is_open():
    checklist = _checklist(("goals.objectives", False, "draft only"))

    progress = build_progress(checklist, {}, pd.Timestamp("2026-09-30"))

    assert progress.done == 0
    assert progress.next_action().key == "goals.objectives"


def test_unknown_stored_rows_are_ignored():
    checklist = _checklist(("retired.item", True, None))

    progress = build_progress(checklist, {}, pd.Timestamp("2026-09-30"))

    assert progress.done == 0


def test_all_done_has_no_next_action():
    rows = [(key, True, "evidence") for key in ITEM_KEYS]

    progress = build_progress(_checklist(*rows), {}, pd.Timestamp("2026-09-30"))

    assert progress.share == 1.0
    assert progress.next_action() is None


def test_next_action_follows_step_order():
    rows = [(item.key, True, None) for item in STEPS[0].items]
    measured = _all_measured(True)

    progress = build_progress(_checklist(*rows), measured, pd.Timestamp("2026-09-30"))

    assert progress.next_action().key == "data.owners"


# Measured items on the demo book ----------------------------------------------


def test_demo_reference_date_is_latest_event(demo_input):
    frames = demo_input.frames
    latest = max(pd.to_datetime(frames[name][column]).max()
                 for name, column in (("revenue", "date"), ("interactions", "date"),
                                      ("feedback", "date"), ("credit", "as_of")))

    assert reference_date(frames) == latest.normalize()


def test_demo_quality_item_uses_quality_report(demo_db_path, demo_measurements):
    report = measure_quality(Store(demo_db_path), as_of=AS_OF)

    measurement = demo_measurements["data.quality_score"]

    assert measurement.values["share"] == pytest.approx(report.overall)
    assert measurement.met == (report.overall >= measures.QUALITY_TARGET)


def test_demo_client_types_cover_scope(demo_input, demo_measurements):
    types = set(demo_input.frames["clients"]["client_type"])
    expected = len(types & set(measures.SCOPE_CLIENT_TYPES))

    measurement = demo_measurements["goals.client_types"]

    assert measurement.values["found"] == expected
    assert measurement.met


def test_demo_core_tables_loaded(demo_measurements):
    measurement = demo_measurements["data.core_tables"]

    assert measurement.met
    assert measurement.values["loaded"] == len(measures.CORE_TABLES)


def test_demo_client_ids_unique(demo_measurements):
    measurement = demo_measurements["data.one_id_per_entity"]

    assert measurement.values["bad_ids"] == 0
    assert measurement.values["clients"] == 600


def test_demo_credit_history_span(demo_input, demo_measurements):
    dates = pd.to_datetime(demo_input.frames["credit"]["as_of"])
    years = (dates.max() - dates.min()).days / 365.25

    measurement = demo_measurements["data.credit_history"]

    assert measurement.values["years"] == pytest.approx(years)
    assert measurement.met == (years >= measures.CREDIT_HISTORY_YEARS)


def test_demo_timeliness_names_lowest_table(demo_input, demo_measurements):
    tables = demo_input.quality.tables.set_index("table")
    event_tables = tables.loc[list(measures.EVENT_DATES), "timeliness"]

    measurement = demo_measurements["data.timeliness"]

    assert measurement.values["share"] == pytest.approx(event_tables.min())
    assert measurement.values["tables"] == (event_tables.idxmin(),)
    assert measurement.met == (event_tables.min() >= measures.TIMELINESS_TARGET)


def test_demo_contact_coverage_counts_clients(demo_input, demo_measurements):
    interactions = demo_input.frames["interactions"]
    dates = pd.to_datetime(interactions["date"])
    window = (dates > AS_OF - pd.Timedelta(days=365)) & (dates <= AS_OF)
    contacted = interactions.loc[window, "client_id"].nunique()

    measurement = demo_measurements["training.contact_coverage"]

    assert measurement.values["contacted"] == contacted
    assert measurement.values["share"] == pytest.approx(contacted / 600)


def test_demo_survey_sample_counts_recent_scores(demo_input, demo_measurements):
    feedback = demo_input.frames["feedback"]
    dates = pd.to_datetime(feedback["date"])
    recent = (dates > AS_OF - pd.Timedelta(days=365)) & (dates <= AS_OF)
    expected = int((recent & feedback["nps"].notna()).sum())

    measurement = demo_measurements["tools.survey_sample"]

    assert measurement.values["responses"] == expected
    assert measurement.met == (expected >= measures.MIN_RECENT_RESPONSES)


def test_demo_network_share(demo_input, demo_measurements):
    relationships = demo_input.frames["relationships"]
    linked = set(relationships["source_id"]) | set(relationships["target_id"])
    expected = demo_input.frames["clients"]["client_id"].isin(linked).sum()

    measurement = demo_measurements["tools.network_data"]

    assert measurement.values["linked"] == expected


def test_demo_without_cases_has_open_feedback_loop(demo_measurements):
    measurement = demo_measurements["improvement.feedback_loop"]

    assert not measurement.met
    assert measurement.values["opened"] == 0


def test_every_evidence_sentence_formats(demo_measurements):
    for key, measurement in demo_measurements.items():
        values = dict(measurement.values)
        if "tables" in values:
            values["tables"] = ", ".join(values["tables"])
        for lang in ("en", "zh"):
            assert translate(measurement.evidence_key, lang, **values), key


def test_assess_defaults_to_latest_event(demo_db_path, demo_input):
    progress = assess_roadmap(Store(demo_db_path))

    assert progress.as_of == reference_date(demo_input.frames)
    assert 0 < progress.done < progress.total


# Measured items on thin data ------------------------------------------------------


def test_empty_store_measures_nothing(store):
    progress = assess_roadmap(store)

    measured = [status for step in progress.steps for status in step.items
                if status.item.measured]
    assert progress.done == 0
    assert all(not status.done for status in measured)
    assert math.isnan(load_measure_input(store).quality.overall)


def test_empty_store_evidence_names_empty_tables(store):
    measurements = measure_items(load_measure_input(store))

    assert measurements["data.quality_score"].evidence_key == "roadmap.evidence.no_rows"
    assert measurements["data.credit_history"].values == {"tables": ("credit",)}
    assert measurements["data.core_tables"].values["tables"] == measures.CORE_TABLES


def test_repeated_client_names_fail_one_id(tmp_path):
    store = Store(tmp_path / "names.duckdb")
    store.replace_all({"clients": pd.DataFrame({
        "client_id": ["C1", "C2", "C3"],
        "name": ["Acme Bank", "ACME  bank", "Harbour Capital"],
    })}, label="names")

    measurement = measure_items(load_measure_input(store))["data.one_id_per_entity"]

    assert not measurement.met
    assert measurement.values["shared_names"] == 1
    assert measurement.values["bad_ids"] == 0


def test_closed_cases_meet_feedback_loop(store):
    store.open_cases(pd.DataFrame({"client_id": ["C1", "C2"],
                                   "response_id": ["R1", "R2"],
                                   "due_at": [pd.Timestamp("2026-10-01")] * 2}))
    store.close_case(1, root_cause="pricing", resolved=True)

    measurement = measure_items(load_measure_input(store))["improvement.feedback_loop"]

    assert measurement.met
    assert measurement.values == {"closed": 1, "opened": 2,
                                  "target": measures.FEEDBACK_CLOSED_SHARE}


# Manual changes -------------------------------------------------------------------


def test_record_manual_tick(store):
    record_item(store, "goals.objectives", True, owner="Li Wei")

    progress = assess_roadmap(store)

    status = progress.steps[0].items[0]
    assert status.done
    assert status.owner == "Li Wei"


def test_override_without_note_is_rejected(store):
    with pytest.raises(RoadmapError, match="needs a note") as caught:
        record_item(store, "data.quality_score", True, note="  ")

    assert caught.value.key == "roadmap.error.note_required"
    assert store.read_checklist().empty


def test_override_with_note_counts(store):
    record_item(store, "data.quality_score", True, note="Checked in the DQ tool")

    progress = assess_roadmap(store)

    status = progress.to_frame().set_index("item_key").loc["data.quality_score"]
    assert status["source"] == "override"


def test_record_unknown_item_is_rejected(store):
    with pytest.raises(ChecklistError, match="'goals.unknown' is not part of"):
        record_item(store, "goals.unknown", True)

