"""What the Audit coverage page says, case by case: no practitioners, too few to rate, 1 to 4 audited, 0 and 100%,
ties between teams, and every team too small."""

import pandas as pd
import pytest

from findings import coverage

Q = "2026/27 Q2"


@pytest.mark.parametrize(
    "k,n,small_n,expected",
    [
        (310, 500, False, "62% of practitioners had an audit in 2026/27 Q2 (310 of 500)"),
        (0, 40, False, "0% of practitioners had an audit in 2026/27 Q2 (0 of 40)"),
        (40, 40, False, "100% of practitioners had an audit in 2026/27 Q2 (40 of 40)"),
        (3, 40, False, "8% of 40 practitioners had an audit in 2026/27 Q2"),  # as the chart has it; not "3 of 40"
        (2, 4, True, "Too few practitioners in teams of known size in 2026/27 Q2 to give a share (n<5)"),
        (0, 0, True, "No practitioners in teams of known size in 2026/27 Q2"),
        (199, 300, False, "66% of practitioners had an audit in 2026/27 Q2 (199 of 300)"),  # 66.3%, rounded once
    ],
)
def test_practitioners_audited(k, n, small_n, expected):
    assert coverage.practitioners_audited(Q, k, n, small_n) == expected


def teams(rows):
    frame = pd.DataFrame(rows, columns=["team", "k", "n"])
    return frame.assign(share=frame["k"] / frame["n"], small_n=frame["n"] < 5)


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([("A", 9, 10), ("B", 3, 9), ("C", 1, 2)], "Lowest in 2026/27 Q2: B, 33% of 9 practitioners audited"),
        ([("A", 5, 10), ("B", 6, 12), ("C", 8, 8)], "Lowest in 2026/27 Q2: B, 50% of 12 practitioners audited"),  # tie
        ([("B", 5, 10), ("A", 5, 10)], "Lowest in 2026/27 Q2: A, 50% of 10 practitioners audited"),  # full tie: name
        ([("A", 0, 7), ("B", 7, 7)], "Lowest in 2026/27 Q2: A, 0% of 7 practitioners audited"),
        ([("A", 1, 3), ("B", 0, 4)], "Practitioners audited per team; every team in 2026/27 Q2 is too small to rate"),
    ],
)
def test_lowest_team(rows, expected):
    assert coverage.lowest_team(Q, teams(rows)) == expected


@pytest.mark.parametrize(
    "half_by,auditors,expected",
    [
        (6, 40, "Half of all audits were done by 6 of 40 auditors; the busiest 15 and where they audit"),
        (3, 12, "Half of all audits were done by fewer than 5 of 12 auditors; each of them and where they audit"),
        (1, 3, "Fewer than 5 auditors did these audits; each of them and where they audit"),
    ],
)
def test_auditing_spread(half_by, auditors, expected):
    assert coverage.auditing_spread(half_by, auditors, 15) == expected
