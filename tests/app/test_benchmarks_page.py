"""The Benchmarks page: the council's published figures as findings/context.py gives them, the same for every
role; Ofsted's judgements with the 2026 framework's missing overall grade said as such."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from findings import context
from qa_read import benchmarks, grades
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.app.test_access import AUTH, ROLES, signed_in
from tests.conftest import ROOT

PAGE = "pages/benchmarks.py"


@pytest.fixture
def app(sample_warehouse, tmp_path, monkeypatch):
    roles = tmp_path / "access.toml"
    roles.write_text(ROLES.format(area="Early Help", team="Early Help Team 1"))
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("QA_ACCESS_FILE", str(roles))
    monkeypatch.setenv("QA_TRAIL_FILE", str(tmp_path / "trail.jsonl"))

    def start(user: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        if user is not None:
            at.secrets["auth"] = AUTH
            at.user = user
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    return start


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def test_the_page_shows_the_context_findings_and_a_chart_per_measure(app, sample_warehouse):
    at = app()
    latest = context.latest(Warehouse(sample_warehouse), benchmarks.Council("851", "E06000044", "Portsmouth", None))
    assert len(latest) == len(benchmarks.MEASURES)
    for item in latest:
        assert item.finding.sentence in captions(at)
    summary = at.dataframe[0].value
    assert summary["Portsmouth"].tolist() == [context.number(c.finding.value, c.measure) for c in latest]
    assert summary["Neighbours' median"].tolist() == [context.number(c.finding.comparison, c.measure) for c in latest]
    # csww 2025: Portsmouth turnover 13.4 is 4th highest of 11 (tests/read/test_read_benchmarks.py works it)
    assert summary.loc[summary["Measure"] == "Social worker turnover (FTE)", "Rank"].tolist() == ["4 of 11"]
    assert len(at.get("plotly_chart")) == len(benchmarks.MEASURES) + 1


def test_every_chart_names_its_publication_and_years(app):
    at = app()
    for chart in at.get("plotly_chart"):
        subtitle = json.loads(chart.proto.spec)["layout"]["title"]["subtitle"]
        assert "Source" in subtitle["text"]
        assert any(str(year) in subtitle["text"] for year in range(2013, 2027))


def test_the_2026_inspection_reads_as_having_no_overall_grade(app, sample_warehouse):
    card = app().dataframe[1].value
    overall = card.loc[card["Judgement"] == "Overall effectiveness"].iloc[0]
    # ofsted_ilacs_history_JT39.csv: Portsmouth inspected from 06/07/2026, overall "not_reported_post_reform";
    # the .ods: 2018-09-03 and 2023-05-15, both Good
    assert overall[["September 2018", "May 2023", "July 2026"]].tolist() == [
        "Good",
        "Good",
        "No overall grade (2026 framework)",
    ]
    ours = card.loc[card["Judgement"] == "Our audits good or better that quarter"].iloc[0]
    rates = grades.good_or_better_by_cycle(Warehouse(sample_warehouse), Filters()).set_index("cycle")
    july = rates.loc["2026/27 Q2"]  # 6 July 2026 falls in July to September 2026
    assert ours["July 2026"] == f"{july['share']:.0%} of {july['n']} (2026/27 Q2)"
    assert ours["September 2018"] == "No audits in 2018/19 Q2"


@pytest.mark.parametrize("email", ["viewer@council.example", "team.manager@council.example"])
def test_published_figures_are_the_same_for_every_role(app, email):
    everyone = app().dataframe[0].value
    limited = app(signed_in(email))
    assert limited.dataframe[0].value.equals(everyone)


def test_another_council_by_its_ons_code(app, monkeypatch):
    monkeypatch.setenv("QA_COUNCIL", "E06000009")  # Blackpool, LA code 890 in ofsted_provider_la_lookup_JT39.csv
    at = app()
    assert "Portsmouth" not in at.dataframe[0].value.columns and "Blackpool" in at.dataframe[0].value.columns


def test_an_unknown_council_code_is_said_not_guessed(app, monkeypatch):
    monkeypatch.setenv("QA_COUNCIL", "123")
    at = app()
    assert "No published figures name the council code 123" in at.info[0].value.replace("\\", "")
    assert not at.get("plotly_chart")


def test_the_supervision_page_shows_caseload_and_turnover_beside_supervision_held(app, sample_warehouse):
    at = app()
    at.switch_page("pages/supervision.py").run()
    assert not at.exception, at.exception
    council = benchmarks.Council("851", "E06000044", "Portsmouth", None)
    latest = context.latest(Warehouse(sample_warehouse), council, ("caseload_fte", "turnover_rate_fte"))
    cards = {m.label: m.value for m in at.metric}
    # csww 2025: Portsmouth caseload_fte 16, turnover_rate_fte 13.4 (awk -F, '$10=="Portsmouth"' ...)
    assert cards["Caseload per case-holding social worker (FTE), 2025"] == "16.0 cases"
    assert cards["Social worker turnover (FTE), 2025"] == "13.4%"
    assert "Sessions held as expected" in cards
    for item in latest:
        assert any(item.finding.sentence in c for c in captions(at))
