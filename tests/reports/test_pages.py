"""The Meeting pack and Present pages run under AppTest through dashboard.py, as the other pages do."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.reports.conftest import SAMPLE_CYCLE


@pytest.fixture
def app(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))

    def start(page: str, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        at.switch_page(page).run()
        return at

    return start


def test_pack_page_offers_both_downloads(app):
    at = app("pages/pack.py")
    assert not at.exception, at.exception
    assert at.selectbox(key="pack_cycle").value == SAMPLE_CYCLE  # the latest cycle by default
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download PowerPoint", "Download PDF"]
    assert any("Headline measures" in m.value for m in at.markdown)


def test_pack_page_takes_the_sidebar_service_area(app):
    at = app("pages/pack.py", {"area": ["Early Help"]})
    assert not at.exception, at.exception
    assert at.multiselect(key="pack_area").value == ["Early Help"]


def test_present_page_shows_one_chart_and_moves_on(app):
    at = app("pages/present.py", {"present_cycle": SAMPLE_CYCLE, "slide": "2"})
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    assert at.session_state["slide"] == 2
    at.button(key="present-next").click().run()
    assert not at.exception, at.exception
    assert at.session_state["slide"] == 3
    at.button(key="present-prev").click().run()
    at.button(key="present-prev").click().run()
    assert at.session_state["slide"] == 1
    at.button(key="present-prev").click().run()
    assert at.session_state["slide"] == 1  # no slide before the first
