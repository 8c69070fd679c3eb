import pytest

from qa_read import grades
from qa_read.filters import Filters
from qa_read.stats import wilson_interval
from tests.read.sample import Q1, Q2, Q4

KEYS = [
    "audit_id", "cycle", "audit_date", "service_area", "team", "case_type",
    "worker_key", "auditor_key", "child_key", "overall_grade", "moderated_grade",
]  # fmt: skip


def counts(df, key="grade"):
    return dict(zip(df[key], df["n"], strict=True))


def test_distribution_counts_and_shares(wh):
    dist = grades.grade_distribution(wh, Filters())
    latest = dist[dist["cycle"] == Q2]
    assert latest["grade"].tolist() == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert latest["n"].tolist() == [1, 4, 2, 2]
    assert latest["share"].tolist() == pytest.approx([1 / 9, 4 / 9, 2 / 9, 2 / 9])
    assert (latest["total"] == 9).all()
    assert counts(dist[dist["cycle"] == Q1]) == {
        "Outstanding": 1,
        "Good": 2,
        "Requires improvement": 1,
        "Inadequate": 1,
    }
    # A cycle with only one grade still lists every grade of the scale.
    assert counts(dist[dist["cycle"] == Q4]) == {
        "Outstanding": 0,
        "Good": 1,
        "Requires improvement": 0,
        "Inadequate": 0,
    }
    assert dist.groupby("cycle")["share"].sum().tolist() == pytest.approx([1, 1, 1])


def test_distribution_on_the_assurance_scale(wh):
    dist = grades.grade_distribution(wh, Filters(), scale="assurance")
    assert counts(dist[dist["cycle"] == Q2]) == {"High": 1, "Medium": 1, "Low": 1}
    assert counts(dist[dist["cycle"] == Q1]) == {"High": 1, "Medium": 0, "Low": 0}


def test_unknown_scale_is_refused(wh):
    with pytest.raises(ValueError):
        grades.grade_distribution(wh, Filters(), scale="Stars")


def test_good_or_better_by_cycle(wh):
    rates = grades.good_or_better_by_cycle(wh, Filters()).set_index("cycle")
    assert rates.loc[Q2, ["n", "k"]].tolist() == [9, 5]
    assert rates.loc[Q1, ["n", "k"]].tolist() == [5, 3]
    assert rates.loc[Q2, "share"] == pytest.approx(5 / 9)
    assert (rates.loc[Q2, "lower"], rates.loc[Q2, "upper"]) == pytest.approx(wilson_interval(5, 9))
    assert rates["small_n"].tolist() == [True, False, False]


def test_good_or_better_by_team_keeps_missing_teams_visible(wh):
    by_team = grades.good_or_better_by(wh, Filters(cycle_from=Q2), "team")
    assert by_team[["team", "n", "k"]].values.tolist() == [["N1", 4, 3], ["N2", 3, 1], ["S1", 2, 1]]
    by_case = grades.good_or_better_by(wh, Filters(cycle_from=Q2, case_types=("Child protection",)), "case_type")
    assert by_case[["case_type", "n", "k"]].values.tolist() == [["Child protection", 4, 3]]


@pytest.mark.parametrize("dimension", ["worker_key", "team; DROP TABLE audits", ""])
def test_dimension_is_an_allow_listed_identifier(wh, dimension):
    with pytest.raises(ValueError):
        grades.good_or_better_by(wh, Filters(), dimension)


def test_practice_heatmap(wh):
    heat = grades.practice_heatmap(wh, Filters())
    assert heat[["practice_area", "team", "n", "k"]].values.tolist() == [
        ["Recording", "N1", 2, 1],
        ["Recording", "N2", 1, 0],
        ["Voice of the child", "N1", 4, 3],
        ["Voice of the child", "N2", 2, 1],
        ["Voice of the child", "Not recorded", 1, 1],
        ["Voice of the child", "S1", 1, 1],
    ]
    assert grades.practice_heatmap(wh, Filters(), "Assurance")[["team", "n", "k"]].values.tolist() == [
        ["N1", 1, 1],
        ["N2", 1, 0],
    ]


@pytest.mark.parametrize("scale", ["Ofsted", "Assurance"])
@pytest.mark.parametrize("filters", [Filters(), Filters(teams=("N1",)), Filters(case_types=("Child protection",))])
def test_every_bar_drills_down_to_exactly_its_count(wh, scale, filters):
    for row in grades.grade_distribution(wh, filters, scale).itertuples():
        rows = grades.audits_behind_bar(wh, filters, row.cycle, row.grade, scale)
        assert len(rows) == row.n
        assert set(rows["overall_grade"]) <= {row.grade}


@pytest.mark.parametrize("scale", ["Ofsted", "Assurance"])
def test_every_heatmap_cell_drills_down_to_exactly_its_count(wh, scale):
    for row in grades.practice_heatmap(wh, Filters(), scale).itertuples():
        rows = grades.audits_behind_cell(wh, Filters(), row.practice_area, row.team, scale)
        assert len(rows) == row.n


def test_drill_down_returns_keys_only(wh):
    bar = grades.audits_behind_bar(wh, Filters(), Q2, "Good")
    assert list(bar.columns) == KEYS
    assert bar["audit_id"].tolist() == ["A02", "A03", "A05", "A08"]
    cell = grades.audits_behind_cell(wh, Filters(), "Voice of the child", "Not recorded")
    assert list(cell.columns) == [*KEYS, "practice_area", "practice_grade"]
    assert cell["audit_id"].tolist() == ["A10"]


def test_a_team_filter_restricts_rows(wh):
    f = Filters(teams=("N1",))
    assert set(grades.audits_behind_bar(wh, f, Q2, "Good")["team"]) == {"N1"}
    assert grades.good_or_better_by(wh, f, "team")["team"].unique().tolist() == ["N1"]
    assert grades.practice_heatmap(wh, f)["team"].unique().tolist() == ["N1"]


def test_hostile_values_are_just_values(wh):
    f = Filters(teams=("'; DROP TABLE audits; --",))
    assert grades.grade_distribution(wh, f).empty
    assert len(grades.grade_distribution(wh, Filters())) == 12
