"""The Learning loop page under AppTest on the sample warehouse: the read module's counts, open loops first."""

import pytest
from streamlit.testing.v1 import AppTest

from qa_read import loop
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import ROOT


@pytest.fixture
def app(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))

    def start() -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        at.run()
        at.switch_page("pages/loop.py").run()
        return at

    return start


def test_the_page_shows_open_loops_first(app, sample_warehouse):
    at = app()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    counts = loop.counts(Warehouse(sample_warehouse), Filters()).groupby("state")["findings"].sum()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Findings"] == str(counts.sum())
    assert metrics["Loops still open"] == str(counts[list(loop.STILL_OPEN)].sum())
    assert metrics["Re-examined and improved"] == str(counts[loop.IMPROVED])
    assert len(at.get("plotly_chart")) == 2  # open loops; re-examined
    [open_list, closed_list] = at.dataframe
    states = list(open_list.value["State"])
    assert states == sorted(states, key=loop.STATES.index) and set(states) <= set(loop.STILL_OPEN)
    assert set(closed_list.value["State"]) <= set(loop.RE_EXAMINED)
