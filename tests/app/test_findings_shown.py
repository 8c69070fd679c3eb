"""The Overview and Grade trends draw the findings layer's figures as they are: the values the page renders
(AppTest) equal ``findings.headline`` for the same filters, and moving only the start of the Cycles range changes
no card."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from findings import headline, words
from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import ROOT

CARD_TITLES = {
    "Audits completed": "audits_completed",
    "Good or better": "good_or_better",
    "Inadequate": "inadequate",
    "Escalations awaiting oversight": "open_escalations",
    "Overdue actions": "overdue_actions",
    "Supervision held as expected": "supervision_held",
    "Child's voice captured": "child_voice",
}


@pytest.fixture
def run(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))

    def start(query: dict, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query)
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return start


def cards(at: AppTest) -> dict:
    return {CARD_TITLES[m.label]: (m.value, m.help) for m in at.metric}


def known_cycles(sample_warehouse) -> list[str]:
    return cycles.cycles(Warehouse(sample_warehouse), Filters())["cycle"].tolist()


def cases(sample_warehouse):
    known = known_cycles(sample_warehouse)
    return [
        ({}, Filters()),
        ({"area": ["Early Help"]}, Filters(service_areas=("Early Help",))),
        ({"cycles": [known[-3], known[-2]]}, Filters(cycle_from=known[-3], cycle_to=known[-2])),
        ({"cycles": [known[-2], known[-2]]}, Filters(cycle_from=known[-2], cycle_to=known[-2])),
    ]


def test_overview_cards_are_the_findings(run, sample_warehouse):
    wh = Warehouse(sample_warehouse)
    for query, f in cases(sample_warehouse):
        at = run(query)
        found = {x.key: x for x in headline.headline(wh, f, dt.date.today())}
        shown = cards(at)
        assert set(shown) == set(found), query
        for key, (value, sentence) in shown.items():
            x = found[key]
            assert value.removesuffix(" (small n)") == words.figure(x), (query, key)
            assert sentence == x.sentence, (query, key)
        assert any(f"as at {words.date_text(found['overdue_actions'].as_at)}" in h.value for h in at.subheader)


def test_moving_only_the_start_of_the_range_changes_no_card(run, sample_warehouse):
    known = known_cycles(sample_warehouse)
    everything = cards(run({}))
    assert cards(run({"cycles": [known[1], known[-1]]})) == everything


def test_grade_trends_title_is_the_trend_finding(run, sample_warehouse):
    wh = Warehouse(sample_warehouse)
    known = known_cycles(sample_warehouse)
    for query, f in (
        ({}, Filters()),
        ({"cycles": [known[-2], known[-2]]}, Filters(cycle_from=known[-2], cycle_to=known[-2])),
    ):
        at = run(query, "pages/grade_trends.py")
        figure = json.loads(at.get("plotly_chart")[0].proto.spec)
        title = figure["layout"]["title"]["text"]
        assert headline.grade_trend(wh, f, dt.date.today()).sentence in title.replace("<br>", " ")
