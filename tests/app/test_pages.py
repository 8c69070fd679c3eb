"""Every page runs under AppTest on the sample warehouse, unfiltered and filtered, and draws its charts."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, registered_pages

# Every page dashboard.py registers, but those that draw no chart by design and Present (a slide, no header).
WITHOUT_CHARTS = {"pages/data.py", "pages/pack.py", "pages/trail.py", "pages/sampling.py", "pages/present.py"}
PAGES = [page for page in registered_pages() if page not in WITHOUT_CHARTS]
# The sample's Learning Episodes are all in Children in Care and Care Leavers, outside FILTERED: the page says so.
EMPTY_WHEN_FILTERED = {"pages/episodes.py"}
FILTERED = {"area": ["Child Protection and Court"], "case": ["Child protection", "Child in need"]}


@pytest.fixture
def app(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))

    def start(page: str, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query or {})
        at.run()
        if page != PAGES[0]:
            at.switch_page(page).run()
        return at

    return start


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [None, FILTERED], ids=["default", "filtered"])
def test_page_runs_and_shows_charts(app, page, query):
    at = app(page, query)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    if query and page in EMPTY_WHEN_FILTERED:
        assert [i.value for i in at.info] == ["No Learning Episodes match these filters."]
        return
    assert charts(at), f"{page} drew no chart"
    assert any("Data as of" in c.value for c in at.caption)


def test_url_filters_reach_the_sidebar_and_narrow_the_view(app):
    at = app(PAGES[0], FILTERED)
    assert at.multiselect(key="area").value == ["Child Protection and Court"]
    unfiltered = app(PAGES[0])
    audits = next(m for m in at.metric if m.label == "Audits completed").value
    everyone = next(m for m in unfiltered.metric if m.label == "Audits completed").value
    assert int(audits) < int(everyone)


def test_coverage_uses_configured_team_sizes(app, tmp_path, monkeypatch):
    sizes = tmp_path / "teams.toml"
    sizes.write_text('"Safeguarding Team East" = 7\n"Assessment Team 2" = 6\n', encoding="utf-8")
    monkeypatch.setenv("QA_TEAM_SIZES_FILE", str(sizes))
    at = app("pages/coverage.py")
    assert not at.exception, at.exception
    assert len(charts(at)) == 3  # coverage by cycle, by team, and the auditors
    assert any(m.label.startswith("Practitioners audited in") for m in at.metric)
