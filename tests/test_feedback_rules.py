"""Follow-up proposals: triggers, owners and due dates in working days."""

import numpy as np
import pandas as pd
import pytest

from pfcrm_core.feedback import FollowUpRules, add_working_days, propose_cases
from pfcrm_core.satisfaction import SatisfactionError


def _feedback():
    return pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4", "R5"],
        "client_id": ["A", "B", "A", "B", "A"],
        "date": pd.to_datetime(["2026-09-04", "2026-09-05", "2026-09-07",
                                "2026-09-08", "2026-09-09"]),
        "nps": [3, 9, 8, 6, 10],
        "csat": [2, 5, 1, 3, 5],
        "comment": ["Hard to reach the relationship manager.", "Great support.",
                    None, "Fine.", "Not helpful at all, very slow."],
        "follow_up_status": ["open", "none", "none", "closed", "none"],
    })


def _clients():
    return pd.DataFrame({"client_id": ["A", "B"],
                         "relationship_manager": ["王丽", "Emma Clarke"]})


def test_working_days_skip_weekends():
    # Friday 2026-09-04 + 5 working days = Friday 2026-09-11; Saturday rolls to
    # Monday 2026-09-07 first, so it is due Monday 2026-09-14.
    due = add_working_days(["2026-09-04", "2026-09-05"], 5)
    assert list(pd.to_datetime(due).strftime("%Y-%m-%d")) == ["2026-09-11",
                                                              "2026-09-14"]
    with_holiday = add_working_days(["2026-09-04"], 5, holidays=["2026-09-07"])
    assert pd.Timestamp(with_holiday[0]) == pd.Timestamp("2026-09-14")


def test_default_rules_flag_detractors_csat_and_negative_comments():
    proposals = propose_cases(_feedback(), _clients()).set_index("response_id")
    assert sorted(proposals.index) == ["R1", "R3", "R5"]
    assert proposals.loc["R1", "triggers"] == "nps;csat;comment"
    assert proposals.loc["R3", "triggers"] == "csat"
    assert proposals.loc["R5", "triggers"] == "comment"
    assert proposals.loc["R1", "owner"] == "王丽"
    assert proposals.loc["R1", "owner_source"] == "relationship_manager"
    assert proposals.loc["R1", "comment"] == "Hard to reach the relationship manager."


def test_closed_status_and_existing_cases_are_skipped():
    rules = FollowUpRules(skip_statuses=())
    proposals = propose_cases(_feedback(), _clients(), rules=rules,
                              existing_cases=pd.DataFrame({"response_id": ["R1"]}))
    assert sorted(proposals["response_id"]) == ["R3", "R4", "R5"]


def test_strongest_tie_owns_case():
    strength = pd.DataFrame({"client_id": ["A", "A", "A"],
                             "staff": ["Zed", "Amy", "Bob"],
                             "strength": [0.9, 0.9, 0.3]})
    proposals = propose_cases(_feedback(), _clients(), strength=strength)
    owners = proposals.set_index("response_id")
    assert owners.loc["R1", "owner"] == "Amy"
    assert owners.loc["R1", "owner_source"] == "strongest_tie"


def test_rules_are_editable():
    rules = FollowUpRules(nps_max=None, csat_max=None, negative_comment=False)
    assert propose_cases(_feedback(), _clients(), rules=rules).empty
    assert FollowUpRules(**FollowUpRules(sla_working_days=3).to_dict()) == \
        FollowUpRules(sla_working_days=3)
    with pytest.raises(SatisfactionError, match="Invalid follow-up rule nps_max=11"):
        FollowUpRules(nps_max=11)


def test_demo_detractor_cases_due_on_weekdays(demo_frames):
    rules = FollowUpRules(negative_comment=False, skip_statuses=())
    proposals = propose_cases(demo_frames["feedback"], demo_frames["clients"],
                              rules=rules)
    detractors = int((demo_frames["feedback"]["nps"] <= 6).sum())
    assert (proposals["triggers"].str.contains("nps")).sum() == detractors
    weekdays = pd.to_datetime(proposals["due_at"]).dt.day_of_week
    assert (weekdays < 5).all()
    opened = pd.to_datetime(proposals["opened_at"]).to_numpy().astype("datetime64[D]")
    due = pd.to_datetime(proposals["due_at"]).to_numpy().astype("datetime64[D]")
    rolled = np.busday_offset(opened, 0, roll="forward")
    assert (np.busday_count(rolled, due) == 5).all()
    assert proposals["owner"].notna().all()
