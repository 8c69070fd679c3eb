"""Scope cannot be widened by filters, for every query the pages can call."""

import pytest

from findings import headline
from qa_read import grades, moderation
from qa_read.filters import Filters, Scope
from tests.read.sample import TODAY

N1_ONLY = Scope(teams=("N1",))

QUERIES = {
    "grade_distribution": lambda wh, f: grades.grade_distribution(wh, f),
    "good_or_better_by_cycle": lambda wh, f: grades.good_or_better_by_cycle(wh, f),
    "good_or_better_by_team": lambda wh, f: grades.good_or_better_by(wh, f, "team"),
    "practice_heatmap": lambda wh, f: grades.practice_heatmap(wh, f),
    "audits_behind_bar": lambda wh, f: grades.audits_behind_bar(wh, f, "2025/26 Q2", "Good"),
    "escalations": lambda wh, f: moderation.escalations(wh, f, TODAY),
    "worker_disagreement": lambda wh, f: moderation.worker_disagreement(wh, f),
}


@pytest.mark.parametrize("name", QUERIES)
def test_scope_limits_rows_to_the_allowed_team(wh, name):
    df = QUERIES[name](wh, Filters(scope=N1_ONLY))
    if "team" in df.columns:
        assert set(df["team"]) <= {"N1"}
    assert not QUERIES[name](wh, Filters()).equals(df)


@pytest.mark.parametrize("name", QUERIES)
def test_a_filter_naming_another_team_cannot_widen_scope(wh, name):
    assert QUERIES[name](wh, Filters(teams=("S1",), scope=N1_ONLY)).empty


def test_scope_applies_to_summaries(wh):
    f = Filters(teams=("N2",), scope=N1_ONLY)
    assert moderation.escalation_summary(wh, f).iloc[0]["escalations"] == 0
    assert moderation.moderation_agreement(wh, f).iloc[0]["n"] == 0
    assert moderation.moderation_movement(wh, f)["n"].sum() == 0
    assert headline.headline(wh, f, TODAY) == ()


def test_service_area_scope_on_a_team_level_view(wh):
    f = Filters(scope=Scope(service_areas=("South",)))
    assert set(grades.good_or_better_by(wh, f, "team")["team"]) == {"S1"}
    assert headline.period(wh, f, TODAY).cycle == "2025/26 Q2"
