"""The Learning Episodes page under AppTest on the sample warehouse: its figures are the read module's, it says
so when nothing matches, and a viewer gets figures without the lists of episodes."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from qa_read import episodes
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import ROOT

PAGE = "pages/episodes.py"


@pytest.fixture
def app(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))

    def start(query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query or {})
        at.run()
        at.switch_page(PAGE).run()
        return at

    return start


def test_the_page_shows_the_read_modules_figures(app, sample_warehouse):
    at = app()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    steps = episodes.by_step(Warehouse(sample_warehouse), Filters(), dt.date.today())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Episodes allocated"] == str(steps["episodes"].sum())
    assert metrics["Signed off"] == str(steps["episodes"].iloc[-1])
    assert metrics["Overdue"] == str(steps["overdue"].sum())
    assert len(at.get("plotly_chart")) == 2  # where each allocation stands; the CSLT sample
    assert any("QA_EPISODE_SAMPLE_SHARE" in c.value for c in at.caption)
    assert at.dataframe, "the overdue list and the moderation tables"


def test_the_moderation_target_is_the_councils_setting(app, monkeypatch):
    monkeypatch.setenv("QA_EPISODE_SAMPLE_SHARE", "0.25")
    at = app()
    assert any(c.value.startswith("Target: 25% of each cycle's allocation") for c in at.caption)


def test_a_service_area_with_no_episodes_says_so(app):
    at = app({"area": ["Child Protection and Court"]})
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["No Learning Episodes match these filters."]
