"""Action queries on a small hand-built warehouse, as of a fixed day; the answers are worked out below.

As of 15 September 2025: open X1, X2, X5, X7, X9; overdue X1 (106 days), X9 (5), X5 (1); X2 is due that day
and X7 has no due date, so neither is overdue. Completed X3 (late), X6 (early), X8 (on the day), X10 (no
completion date); cancelled X4.
"""

import datetime as dt

import duckdb
import pytest

from data_pipeline import marts
from data_pipeline.vocab import cycle_bounds, cycle_of
from qa_read import actions
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from tests.read.sample import create_schema, load, reader

TODAY = dt.date(2025, 9, 15)
Q4, Q1, Q2 = "2024/25 Q4", "2025/26 Q1", "2025/26 Q2"
PR, TM, SM = "Practitioner", "Team manager", "Service manager"

# action_id, audit_id, service_area, team, owner_role, raised, due, completed, status
ACTIONS = [
    ("X1", "A1", "North", "N1", PR, "2025-05-01", "2025-06-01", None, "Open"),
    ("X2", None, "North", "N1", TM, "2025-07-01", "2025-09-15", None, "Open"),
    ("X3", None, "North", "N2", PR, "2025-05-01", "2025-06-15", "2025-07-01", "Completed"),
    ("X4", None, "North", "N2", PR, "2025-08-01", "2025-09-01", None, "Cancelled"),
    ("X5", None, "South", "S1", SM, "2025-04-10", "2025-09-14", None, "Open"),
    ("X6", None, "South", "S1", None, "2025-08-20", "2025-09-30", "2025-09-01", "Completed"),
    ("X7", None, "South", "S1", PR, "2025-06-30", None, None, "Open"),
    ("X8", None, "South", None, PR, "2025-03-31", "2025-04-30", "2025-04-30", "Completed"),
    ("X9", None, "North", "N1", PR, "2025-09-01", "2025-09-10", None, "Open"),
    ("X10", None, "North", "N1", PR, "2025-07-01", "2025-08-01", None, "Completed"),
]
COUNTS = actions.COUNTS


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.executemany(
        "INSERT INTO actions VALUES (?, ?, ?, ?, ?, 'Do the thing', ?, ?, ?, ?, 'actions.csv', 2, 'h')",
        ACTIONS,
    )
    return reader(con)


def summary(wh, f=None, today=TODAY) -> dict:
    return actions.summary(wh, f or Filters(), today)[COUNTS].iloc[0].to_dict()


def test_summary_as_of_today(wh):
    assert summary(wh) == {
        "actions": 10,
        "open": 5,
        "overdue": 3,  # not X2 (due today), not X3 (completed late), not X4 (cancelled), not X7 (no due date)
        "completed": 4,
        "cancelled": 1,
        "n": 3,  # completed with both dates: X3, X6, X8
        "k": 2,  # on or before the due date: X6, X8
    }
    row = actions.summary(wh, Filters(), TODAY).iloc[0]
    assert row["share"] == pytest.approx(2 / 3)
    assert row["small_n"]


def test_due_today_becomes_overdue_tomorrow(wh):
    assert summary(wh, today=TODAY + dt.timedelta(days=1))["overdue"] == 4
    assert summary(wh, today=dt.date(2025, 9, 14))["overdue"] == 2  # X5 is due that day


def test_overdue_list_longest_first_with_keys_only(wh):
    df = actions.overdue(wh, Filters(), TODAY)
    assert df.columns.tolist() == [
        "action_id", "audit_id", "service_area", "team", "owner_role",
        "raised_date", "due_date", "days_overdue", "description",
    ]  # fmt: skip
    assert df[["action_id", "days_overdue"]].values.tolist() == [["X1", 106], ["X9", 5], ["X5", 1]]
    assert df.loc[0, "audit_id"] == "A1"
    assert df.loc[2, "owner_role"] == SM


def test_overdue_list_stops_at_the_limit(wh):
    assert actions.overdue(wh, Filters(), TODAY, limit=2)["action_id"].tolist() == ["X1", "X9"]


def test_overdue_by_team_counts_the_whole_list(wh):
    by_team = actions.overdue_by_team(wh, Filters(), TODAY)
    listed = actions.overdue(wh, Filters(), TODAY, limit=None)
    assert by_team["overdue"].sum() == len(listed) == 3
    top = by_team.iloc[0]
    assert top["longest"] == 106 and top["oldest"] == "X1"


def test_ageing_buckets(wh):
    df = actions.ageing(wh, Filters(), TODAY)
    assert df["bucket"].tolist() == [label for label, _, _ in actions.BUCKETS]
    # Days since raised: X9 14; X2 76, X7 77; X1 137, X5 158. Days overdue: X5 1, X9 5; X1 106.
    assert df["open"].tolist() == [1, 0, 2, 2]
    assert df["overdue"].tolist() == [2, 0, 0, 1]


@pytest.mark.parametrize("by", actions.DIMENSIONS)
@pytest.mark.parametrize(
    "f", [Filters(), Filters(service_areas=("South",)), Filters(cycle_from=Q2), Filters(teams=("N9",))]
)
def test_total_of_a_breakdown_is_the_summary(wh, by, f):
    for today in (TODAY, dt.date(2025, 6, 1)):
        got = actions.total(actions.status_by(wh, f, by, today)).iloc[0]
        expected = actions.summary(wh, f, today).iloc[0]
        assert got[COUNTS].tolist() == expected[COUNTS].tolist()
        assert got[["share", "lower", "upper"]].tolist() == pytest.approx(
            expected[["share", "lower", "upper"]].tolist(), nan_ok=True
        )
        assert got["small_n"] == expected["small_n"]


@pytest.mark.parametrize(
    ("today", "bucket"),
    [
        (dt.date(2025, 10, 1), "0-30"),
        (dt.date(2025, 10, 2), "31-60"),
        (dt.date(2025, 10, 31), "31-60"),
        (dt.date(2025, 11, 1), "61-90"),
        (dt.date(2025, 11, 30), "61-90"),
        (dt.date(2025, 12, 1), "Over 90"),
    ],
)
def test_ageing_bucket_edges(wh, today, bucket):
    # Open in N1 raised in Q2: X2 (1 July, over 90 days on all these days) and X9 (1 September: 30 days old
    # on 1 October, 31 on 2 October, 60 on 31 October, 61 on 1 November, 90 on 30 November, 91 on 1 December).
    df = actions.ageing(wh, Filters(teams=("N1",), cycle_from=Q2), today).set_index("bucket")
    expected = {label: 0 for label, _, _ in actions.BUCKETS}
    expected["Over 90"] += 1
    expected[bucket] += 1
    assert df["open"].to_dict() == expected


def test_status_by_raised_cycle(wh):
    df = actions.status_by(wh, Filters(), "cycle", TODAY).set_index("cycle")
    assert df.index.tolist() == [Q4, Q1, Q2]
    assert df[COUNTS].loc[Q4].tolist() == [1, 0, 0, 1, 0, 1, 1]  # X8, raised 31 March
    assert df[COUNTS].loc[Q1].tolist() == [4, 3, 2, 1, 0, 1, 0]  # X1, X3, X5, X7 (30 June)
    assert df[COUNTS].loc[Q2].tolist() == [5, 2, 1, 2, 1, 1, 1]  # X2, X4, X6, X9, X10


def test_status_by_team_and_owner(wh):
    by_team = actions.status_by(wh, Filters(), "team", TODAY)
    assert by_team[["service_area", "team", "open", "overdue"]].values.tolist() == [
        ["North", "N1", 3, 2],
        ["North", "N2", 0, 0],
        ["South", "Not recorded", 0, 0],
        ["South", "S1", 2, 1],
    ]
    by_owner = actions.status_by(wh, Filters(), "owner_role", TODAY).set_index("owner_role")
    assert by_owner["actions"].to_dict() == {"Not recorded": 1, PR: 7, SM: 1, TM: 1}
    assert by_owner["overdue"].to_dict() == {"Not recorded": 0, PR: 2, SM: 1, TM: 0}
    with pytest.raises(ValueError):
        actions.status_by(wh, Filters(), "description", TODAY)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2025-03-31", "2024/25 Q4"),
        ("2025-04-01", "2025/26 Q1"),
        ("2025-06-30", "2025/26 Q1"),
        ("2025-07-01", "2025/26 Q2"),
        ("2025-09-30", "2025/26 Q2"),
        ("2025-10-01", "2025/26 Q3"),
        ("2025-12-31", "2025/26 Q3"),
        ("2026-01-01", "2025/26 Q4"),
        ("1999-12-31", "1999/00 Q3"),
        ("2000-01-01", "1999/00 Q4"),
        ("2009-04-01", "2009/10 Q1"),
    ],
)
def test_raised_cycle_at_the_boundaries(day, label):
    assert raised_cycles([day]) == [(dt.date.fromisoformat(day), label)]


def test_raised_cycle_agrees_with_the_pipeline_for_every_day():
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(5 * 366)]
    for day, label in raised_cycles(days):
        assert label == cycle_of(day)
        first, last = cycle_bounds(label)
        assert first <= day <= last


def raised_cycles(days) -> list[tuple[dt.date, str]]:
    """(raised_date, raised_cycle) from the action_facts mart, for one action raised on each day."""
    con = duckdb.connect()
    create_schema(con)
    con.executemany(
        "INSERT INTO actions (action_id, service_area, raised_date, status, source_file, source_row, content_hash)"
        " VALUES (?, 'North', ?, 'Open', 'a.csv', 2, 'h')",
        [(f"X{i}", day) for i, day in enumerate(days)],
    )
    marts.build(con)
    return con.execute("SELECT raised_date, raised_cycle FROM action_facts ORDER BY raised_date").fetchall()


def test_cycle_filter_applies_to_the_raised_cycle(wh):
    assert summary(wh, Filters(cycle_from=Q2))["actions"] == 5
    assert summary(wh, Filters(cycle_to=Q1))["actions"] == 5
    assert summary(wh, Filters(cycle_from=Q1, cycle_to=Q1))["actions"] == 4


def test_filters_restrict_the_rows(wh):
    assert summary(wh, Filters(teams=("N1",))) == {
        "actions": 4, "open": 3, "overdue": 2, "completed": 1, "cancelled": 0, "n": 0, "k": 0,
    }  # fmt: skip
    assert summary(wh, Filters(service_areas=("South",)))["actions"] == 4
    assert actions.overdue(wh, Filters(service_areas=("South",)), TODAY)["action_id"].tolist() == ["X5"]
    # Case type and audit tool do not apply to actions.
    assert summary(wh, Filters(case_types=("Child in need",)), TODAY) == summary(wh)


def test_scope_limits_rows_to_the_allowed_team(wh):
    n1 = Filters(scope=Scope(teams=("N1",)))
    assert set(actions.status_by(wh, n1, "team", TODAY)["team"]) == {"N1"}
    assert actions.overdue(wh, n1, TODAY)["action_id"].tolist() == ["X1", "X9"]
    widened = Filters(teams=("S1",), scope=Scope(teams=("N1",)))
    assert summary(wh, widened)["actions"] == 0
    assert actions.overdue(wh, widened, TODAY).empty
    assert actions.status_by(wh, widened, "owner_role", TODAY).empty
    assert actions.ageing(wh, widened, TODAY)[["open", "overdue"]].sum().sum() == 0


def test_open_ended_drops_only_the_slider_ends(wh):
    con = duckdb.connect(":memory:")
    create_schema(con)
    load(con)  # cycles 2024/25 Q4 to 2025/26 Q3 (a planned PLD)
    other = reader(con)
    full = Filters(cycle_from="2024/25 Q4", cycle_to="2025/26 Q3")
    assert (actions.open_ended(other, full).cycle_from, actions.open_ended(other, full).cycle_to) == (None, None)
    narrowed = Filters(cycle_from=Q1, cycle_to=Q2)
    assert actions.open_ended(other, narrowed) == narrowed
