"""The Model advisor page under AppTest: both languages, answers that reorder the
ranking, the cost-benefit figures for given inputs, and an empty database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("fresh_caches")

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "adoption" / "advisor.py")
TIMEOUT = 120
RANKED = re.compile(r"^(\d)\. (.+)$")


def _open(lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    return app


def _ranking(app: AppTest) -> list[str]:
    """Return the model names in rank order, read from the cards' headings."""
    ranked = [RANKED.match(header.value) for header in app.subheader]
    ranked = sorted((int(m.group(1)), m.group(2)) for m in ranked if m)
    return [name for _, name in ranked]


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.parametrize(("lang", "title", "first"), [
    ("en", "Model advisor", "Satisfaction & loyalty"),
    ("zh", "模型选择顾问", "满意度与忠诚度")])
def test_advisor_on_demo(demo_copy, lang, title, first):
    app = _open(lang)

    assert not app.exception
    assert app.title[0].value == title
    ranking = _ranking(app)
    assert len(ranking) == 7
    assert ranking[0] == first
    assert not app.error
    assert len(app.latex) >= 3


def test_answers_change_ranking(demo_copy):
    app = _open("en")
    before = _ranking(app)

    app.radio(key="advisor_complexity").set_value(4)
    app.radio(key="advisor_size").set_value(1)
    app.radio(key="advisor_capability").set_value(1)
    app.radio(key="advisor_budget").set_value(1).run()

    assert not app.exception
    after = _ranking(app)
    assert after != before
    assert after[0] == "Client network"
    assert after[-1] == "Digital CRM: automation & prediction"


def test_floor_reason_shown(demo_copy):
    app = _open("en")
    app.radio(key="advisor_capability").set_value(1).run()

    text = "\n".join(element.value for element in app.markdown)
    assert "below the level 3 this model needs" in text


@pytest.mark.parametrize(("lang", "npv", "payback", "irr"), [
    ("en", "137.2 k USD", "3.3 years", "15.2%"),
    ("zh", "13.7 万美元", "3.3 年", "15.2%")])
def test_cost_benefit_for_given_inputs(demo_copy, lang, npv, payback, irr):
    # 1,000,000 up front, 3% of 10,000,000 = 300,000 a year for 5 years at 10%:
    # NPV = -1,000,000 + 300,000 * 3.790787 = 137,236; payback 3 + 1/3 years.
    app = _open(lang)
    app.number_input(key="advisor_one_off").set_value(1_000_000.0)
    app.number_input(key="advisor_running").set_value(0.0)
    app.number_input(key="advisor_base_income").set_value(10_000_000.0)
    app.number_input(key="advisor_uplift").set_value(3.0)
    app.number_input(key="advisor_discount").set_value(10.0)
    app.number_input(key="advisor_horizon").set_value(5).run()

    assert not app.exception
    values = list(_metrics(app).values())
    assert npv in values
    assert payback in values
    assert irr in values
    assert app.success


def test_cost_benefit_never_pays_back(demo_copy):
    app = _open("en")
    app.number_input(key="advisor_base_income").set_value(1_000_000.0)
    app.number_input(key="advisor_uplift").set_value(1.0).run()

    metrics = _metrics(app)
    assert metrics["Payback"] == "Not within horizon"
    assert metrics["IRR"] == "none"
    assert any("does not pay" in warning.value for warning in app.warning)


def test_fee_income_default_from_store(demo_copy):
    app = _open("en")

    assert app.number_input(key="advisor_base_income").value > 1_000_000


def test_advisor_on_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PFCRM_DB", str(tmp_path / "empty.duckdb"))

    app = _open("zh")

    assert not app.exception
    assert any("数据尚不足以支持任何模型" in info.value for info in app.info)
    assert len(_ranking(app)) == 7
    assert app.number_input(key="advisor_base_income").value == 0.0
    assert app.warning
