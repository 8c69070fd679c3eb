"""A sampling plan planned against done, per worker and per team, on a hand-built warehouse."""

import datetime as dt

import duckdb
import pytest

from qa_read import plans
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from tests.read.sample import create_schema, reader

Q2, Q3 = "2026/27 Q2", "2026/27 Q3"
# plan_id, worker_key, team, service_area, open_cases, eligible_cases, planned_cases
WORKERS = [
    ("P1", "W1", "T1", "North", 3, 3, 2),
    ("P1", "W2", "T1", "North", 2, 2, 1),
    ("P1", "W3", "T2", "South", 1, 0, 0),  # their one case's child was audited recently: not covered
    ("P1", "W4", "T2", "South", 4, 4, 1),
    ("P2", "W1", "T1", "North", 3, 3, 3),  # another plan: never counted with P1
]
# plan_id, case_key, child_key, worker_key, team, service_area, case_type, reason
CASES = [
    ("P1", "K1", "C1", "W1", "T1", "North", "Child in need", "Random within stratum"),
    ("P1", "K2", "C2", "W1", "T1", "North", "Child in need", "Random within stratum"),
    ("P1", "K3", "C3", "W2", "T1", "North", "Child protection", "Worker not yet covered"),
    ("P1", "K4", "C4", "W4", "T2", "South", "Child in care", "Worker not yet covered"),
    ("P2", "K1", "C1", "W1", "T1", "North", "Child in need", "Random within stratum"),
]
# audit_id, cycle, service_area, worker_key, child_key
AUDITS = [
    ("a1", Q3, "North", "W1", "C1"),  # K1 done; W1 audited in the cycle
    ("a2", Q2, "North", "W2", "C3"),  # the cycle before: K3 not done
    ("a3", Q3, "North", "W2", "C9"),  # W2 audited in the cycle, but not on the planned case
    ("a4", Q3, "South", "W9", "C4"),  # K4 done by another worker; W4 not audited
    ("a5", Q3, "South", "W1", "C2"),  # K2 done, though audited under another area
]


@pytest.fixture(scope="module")
def wh():
    con = duckdb.connect()
    create_schema(con)
    con.executemany(
        "INSERT INTO sample_plans VALUES (?, ?, '2026-10-01', ?, ?, '{}', '2026-04-01',"
        " 'sha', 'case-list-v1', 10, 0, 10, 9, ?)",
        [("P1", Q3, "2026-10-01 09:00", 17, 4), ("P2", "2026/27 Q4", "2026-12-01 09:00", 18, 1)],
    )
    con.executemany("INSERT INTO plan_workers VALUES (?, ?, ?, ?, ?, ?, ?)", WORKERS)
    con.executemany("INSERT INTO planned_cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)", CASES)
    con.executemany(
        "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, worker_key,"
        " child_key, source_file, source_row, content_hash)"
        " VALUES (?, 'f', 'Collaborative case audit', 'Ofsted', ?, '2026-10-15', ?, ?, ?, 'a.xlsx', 2, 'h')",
        AUDITS,
    )
    return reader(con)


def test_each_worker_planned_against_done(wh):
    got = plans.by_worker(wh, Filters(), "P1")
    rows = got[["worker_key", "planned_cases", "planned_done", "audits_in_cycle"]].values.tolist()
    assert rows == [["W1", 2, 2, 2], ["W2", 1, 0, 1], ["W3", 0, 0, 0], ["W4", 1, 1, 0]]


def test_each_team_planned_against_done_with_small_numbers_flagged(wh):
    got = plans.by_team(wh, Filters(), "P1")
    columns = ["team", "workers", "workers_planned", "workers_audited", "n", "k", "small_n"]
    assert got[columns].values.tolist() == [["T1", 2, 2, 2, 3, 2, True], ["T2", 2, 1, 0, 1, 1, True]]
    assert got["share"].tolist() == pytest.approx([2 / 3, 1.0])


def test_scope_limits_the_plan_and_aggregate_readers_get_no_worker_list(wh):
    north = plans.by_team(wh, Filters(scope=Scope(service_areas=("North",))), "P1")
    assert north["team"].tolist() == ["T1"]
    with pytest.raises(PermissionError):
        plans.by_worker(wh, Filters(scope=Scope(rows=False)), "P1")


def test_plans_are_listed_newest_first_and_recent_children_found_by_date(wh):
    assert plans.plans(wh)[["plan_id", "seed"]].values.tolist() == [["P2", 18], ["P1", 17]]
    assert plans.recently_audited(wh, dt.date(2026, 10, 15), dt.date(2026, 10, 15)) == {"C1", "C3", "C9", "C4", "C2"}
    assert plans.recently_audited(wh, dt.date(2026, 10, 16), dt.date(2026, 12, 1)) == frozenset()
    assert plans.recently_audited(wh, dt.date(2026, 1, 1), dt.date(2026, 10, 14)) == frozenset()


def test_a_warehouse_made_before_plans_has_none():
    con = duckdb.connect()
    con.execute("CREATE TABLE ingest_log (finished TIMESTAMP)")
    assert plans.plans(Warehouse.in_memory(con)).empty
