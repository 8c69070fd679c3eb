"""The Impact page under AppTest on the sample warehouse: each theme's PLD-by-PLD chart is drawn for the chosen
tab only (drawing every tab's cost most of a rerun at national scale), and choosing a tab draws that theme's."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from qa_read import impact
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import ROOT


@pytest.fixture
def app(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/impact.py").run()
    return at


def theme_titles(at: AppTest) -> list[str]:
    """The titles of the per-theme charts drawn: "<theme> PLDs: ..."."""
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [t for c in charts if (t := c["layout"]["title"]["text"].replace("<br>", " ")).find(" PLDs: ") > 0]


def test_only_the_chosen_themes_chart_is_drawn(app, sample_warehouse):
    assert not app.exception, app.exception
    themes = impact.themes_compared(Warehouse(sample_warehouse), Filters())["theme"].tolist()
    assert len(themes) > 1 and len(app.tabs) == len(themes)
    [first] = theme_titles(app)
    assert first.startswith(f"{themes[0]} PLDs: ")

    app.session_state["impact_theme_tab"] = app.tabs[1].label
    app.run()
    assert not app.exception, app.exception
    [second] = theme_titles(app)
    assert second.startswith(f"{themes[1]} PLDs: ")
