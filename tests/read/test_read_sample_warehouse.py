"""Every query against the warehouse built from the shipped sample exports, as the dashboard builds it."""

import pytest

from findings import headline
from qa_read import cycles, grades, moderation
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import SAMPLE_TODAY


@pytest.fixture(scope="module")
def sample(sample_warehouse) -> Warehouse:
    if not sample_warehouse.exists():
        pytest.skip("sample_data/ holds no exports yet")
    return Warehouse(sample_warehouse)


def test_options_and_freshness(sample):
    f = Filters()
    assert not cycles.cycles(sample, f).empty
    assert None not in cycles.latest_and_previous(sample, f)
    assert set(cycles.instruments(sample, f)["scale"]) <= set(grades.SCALES)
    assert sample.data_as_of() is not None


@pytest.mark.parametrize("scale", grades.SCALES)
def test_drill_downs_match_their_charts(sample, scale):
    f = Filters()
    dist = grades.grade_distribution(sample, f, scale)
    assert not dist.empty
    for row in dist[dist["n"] > 0].itertuples():
        assert len(grades.audits_behind_bar(sample, f, row.cycle, row.grade, scale)) == row.n
    for row in grades.practice_heatmap(sample, f, scale).itertuples():
        assert len(grades.audits_behind_cell(sample, f, row.practice_area, row.team, scale)) == row.n


def test_headline_measures_are_sane(sample):
    found = {x.key: x for x in headline.headline(sample, Filters(), SAMPLE_TODAY)}
    assert all(0 <= x.value <= 1 for x in found.values() if x.unit == "share" and x.value is not None)
    assert found["audits_completed"].value > 0


@pytest.mark.parametrize("scale", grades.SCALES)
def test_moderation_queries_run(sample, scale):
    f = Filters()
    assert moderation.moderation_agreement(sample, f, scale).iloc[0]["n"] >= 0
    assert len(moderation.moderation_movement(sample, f, scale)) == 3
    assert not moderation.worker_disagreement(sample, f).empty
    assert moderation.escalation_summary(sample, f).iloc[0]["escalations"] == len(
        moderation.escalations(sample, f, SAMPLE_TODAY)
    )
