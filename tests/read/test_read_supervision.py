"""Supervision queries on a small hand-built warehouse whose answers are worked out below.

Held / expected: N1 5/6, N2 5/9, S1 4/5 (exactly 80%), South's review with no team 3/3. R7 has no expected
count, so it is left out of compliance but still counts for elements.
"""

import duckdb
import pytest

from qa_read import supervision as sv
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from tests.read.sample import create_schema, reader

Q1, Q2 = "2025/26 Q1", "2025/26 Q2"
RI = "Requires improvement"
PT, TS, SH = "Practitioner by team manager", "Team manager by service manager", "Service manager by head of service"
T, F = True, False

# review_id, cycle, service_area, team, relationship, expected, held, quality,
# strengths, development, wellbeing, reflection, training_needs
REVIEWS = [
    ("R1", Q1, "North", "N1", PT, 3, 3, "Good", T, T, T, T, F),
    ("R2", Q1, "North", "N1", PT, 3, 2, RI, T, F, T, F, F),
    ("R3", Q1, "North", "N2", PT, 6, 3, "Inadequate", T, F, F, F, F),
    ("R4", Q2, "North", "N2", PT, 3, 2, "Good", T, T, F, T, F),
    ("R5", Q2, "South", "S1", PT, 5, 4, "Outstanding", T, T, T, T, T),
    ("R6", Q2, "South", None, SH, 3, 3, "Good", T, T, T, F, T),
    ("R7", Q2, "South", "S1", TS, None, 2, None, F, F, F, F, F),
]


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.executemany(
        "INSERT INTO supervision_reviews (review_id, cycle, review_date, service_area, team, supervisee_key,"
        " supervisor_key, relationship, sessions_expected, sessions_held, quality_grade, strengths, development,"
        " wellbeing, reflection, training_needs, source_file, source_row, content_hash)"
        " VALUES (?, ?, '2025-06-01', ?, ?, 'S-a', 'S-b', ?, ?, ?, ?, ?, ?, ?, ?, ?, 's.xlsx', 2, 'h')",
        REVIEWS,
    )
    return reader(con)


def held(df, *keys) -> dict:
    """{(key values...): (reviews, held, expected)}."""
    return {tuple(row[k] for k in keys): (row["reviews"], row["held"], row["expected"]) for _, row in df.iterrows()}


def test_held_against_expected_by_team(wh):
    df = sv.compliance(wh, Filters(), "team")
    assert held(df, "service_area", "team") == {
        ("North", "N1"): (2, 5, 6),
        ("North", "N2"): (2, 5, 9),
        ("South", "Not recorded"): (1, 3, 3),
        ("South", "S1"): (1, 4, 5),
    }
    assert df.set_index("team")["share"].to_dict() == pytest.approx(
        {"N1": 5 / 6, "N2": 5 / 9, "Not recorded": 1.0, "S1": 0.8}
    )
    assert df["small_n"].all()  # every team rests on fewer than five reviews


def test_held_against_expected_by_relationship_and_cycle(wh):
    by_relationship = sv.compliance(wh, Filters(), "relationship")
    # R7, the only team manager's review, gave no expected count.
    assert held(by_relationship, "relationship") == {(PT,): (5, 14, 20), (SH,): (1, 3, 3)}
    assert by_relationship["small_n"].tolist() == [False, True]
    assert held(sv.compliance(wh, Filters(), "cycle"), "cycle") == {(Q1,): (3, 8, 12), (Q2,): (3, 9, 11)}
    with pytest.raises(ValueError):
        sv.compliance(wh, Filters(), "supervisee_key")


@pytest.mark.parametrize(
    ("threshold", "teams"),
    [
        (0.5, []),
        (0.8, ["N2"]),
        (0.81, ["N2", "S1"]),
        (0.9, ["N2", "S1", "N1"]),
        (1.01, ["N2", "S1", "N1", "Not recorded"]),
    ],
)
def test_teams_below_the_threshold(wh, threshold, teams):
    # S1 holds exactly 80% of its sessions: not below an 80% threshold.
    assert sv.below_threshold(wh, Filters(), threshold)["team"].tolist() == teams


def test_below_threshold_lists_each_team_with_its_figures(wh):
    row = sv.below_threshold(wh, Filters(), 0.8).iloc[0].to_dict()
    assert row == {
        "service_area": "North",
        "team": "N2",
        "reviews": 2,
        "expected": 9,
        "held": 5,
        "share": pytest.approx(5 / 9),
        "missed": 4,
        "good_or_better": 0.5,  # R3 Inadequate, R4 Good
        "wellbeing": 0.0,
        "small_n": True,
    }


def test_quality_distribution_lists_every_grade(wh):
    df = sv.quality_distribution(wh, Filters())
    assert df[df["cycle"] == Q1]["n"].tolist() == [0, 1, 1, 1]  # Outstanding, Good, RI, Inadequate
    assert df[df["cycle"] == Q2]["n"].tolist() == [1, 2, 0, 0]  # R7 has no grade
    assert (df["total"] == 3).all()
    assert df.groupby("cycle")["share"].sum().tolist() == pytest.approx([1, 1])


def test_elements_present_as_a_share_of_reviews(wh):
    df = sv.elements(wh, Filters()).set_index("element")
    assert df.index.tolist() == [e for e, _ in sv.ELEMENTS]
    assert df.loc["strengths", ["n", "k"]].tolist() == [7, 6]
    assert df.loc["wellbeing", ["n", "k"]].tolist() == [7, 4]
    assert df.loc["reflection", ["n", "k"]].tolist() == [7, 3]
    assert df.loc["training_needs", ["n", "k"]].tolist() == [7, 2]
    by_team = sv.elements(wh, Filters(), "team")
    wellbeing = by_team[by_team["element"] == "wellbeing"].set_index("team")
    assert wellbeing.loc["N1", ["n", "k"]].tolist() == [2, 2]
    assert wellbeing.loc["N2", ["n", "k"]].tolist() == [2, 0]
    assert list(by_team.columns[:4]) == ["element", "label", "service_area", "team"]


def test_filters_restrict_the_rows(wh):
    assert set(sv.compliance(wh, Filters(teams=("N1",)), "team")["team"]) == {"N1"}
    assert held(sv.compliance(wh, Filters(cycle_from=Q2), "cycle"), "cycle") == {(Q2,): (3, 9, 11)}
    assert held(sv.compliance(wh, Filters(service_areas=("South",)), "relationship"), "relationship") == {
        (PT,): (1, 4, 5),
        (SH,): (1, 3, 3),
    }
    # Case type and audit tool do not apply to supervision.
    assert sv.compliance(wh, Filters(case_types=("Child in need",)), "team").equals(sv.compliance(wh, Filters()))


def test_scope_limits_rows_to_the_allowed_team(wh):
    n1 = Filters(scope=Scope(teams=("N1",)))
    assert set(sv.compliance(wh, n1, "team")["team"]) == {"N1"}
    assert sv.below_threshold(wh, n1, 0.9)["team"].tolist() == ["N1"]
    assert set(sv.elements(wh, n1, "team")["team"]) == {"N1"}
    assert sv.quality_distribution(wh, n1)["total"].unique().tolist() == [2]
    widened = Filters(teams=("S1",), scope=Scope(teams=("N1",)))
    assert sv.compliance(wh, widened, "cycle").empty
    assert sv.below_threshold(wh, widened, 1.01).empty
    assert sv.quality_distribution(wh, widened).empty
    assert sv.elements(wh, widened).empty
