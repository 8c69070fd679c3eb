"""What is said of actions beyond the headline count, case by case: none overdue, counts of 1 to 4, too few
completed to judge timeliness, 0 and 100% on time, one group rated or none."""

import pandas as pd
import pytest

from findings import actions


@pytest.mark.parametrize(
    "group,overdue,total,expected",
    [
        ("Children in Care", 40, 112, "Children in Care has 40 of the 112 overdue actions"),
        ("Early Help", 3, 112, "Early Help has fewer than 5 of the 112 overdue actions"),
        ("Early Help", 3, 3, "Fewer than 5 actions are overdue"),
        ("Early Help", 0, 0, "No action is overdue"),
        ("Early Help", 5, 5, "Early Help has 5 of the 5 overdue actions"),
    ],
)
def test_where_the_overdue_actions_sit(group, overdue, total, expected):
    assert actions.most_overdue(group, overdue, total) == expected


@pytest.mark.parametrize(
    "k,n,small_n,expected",
    [
        (93, 100, False, "93% of 100 completed actions were done on time"),
        (0, 20, False, "0% of 20 completed actions were done on time"),
        (20, 20, False, "100% of 20 completed actions were done on time"),
        (2, 20, False, "too few completed to judge timeliness (n<5)"),  # 10% would give back 2
        (3, 4, True, "too few completed to judge timeliness (n<5)"),
        (0, 0, True, "too few completed to judge timeliness (n<5)"),
        (199, 300, False, "66% of 300 completed actions were done on time"),  # 66.3%, rounded once
    ],
)
def test_how_many_were_done_on_time(k, n, small_n, expected):
    assert actions.on_time(k, n, small_n) == expected


def rated(rows):
    return pd.DataFrame(rows, columns=["label", "k", "n", "share", "small_n"])


@pytest.mark.parametrize(
    "rows,expected",
    [
        (
            [("A", 18, 20, 0.9, False), ("B", 6, 10, 0.6, False), ("C", 7, 10, 0.7, False)],
            "Completed within timescale: 60% in B, 90% in A",
        ),
        ([("A", 18, 20, 0.9, False)], "Completed within timescale: 90% in A"),
        # B rests on too few, C counts 1 to 4 on time: neither is named.
        (
            [("A", 18, 20, 0.9, False), ("B", 1, 3, 0.33, True), ("C", 2, 10, 0.2, False)],
            "Completed within timescale: 90% in A",
        ),
        ([("B", 1, 3, 0.33, True)], "Completed within timescale"),
        ([("A", 10, 10, 1.0, False), ("B", 0, 10, 0.0, False)], "Completed within timescale: 0% in B, 100% in A"),
    ],
)
def test_the_lowest_and_highest_rated_groups(rows, expected):
    assert actions.on_time_range(rated(rows), "label") == expected
