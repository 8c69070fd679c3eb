"""The learning loop, followed step by step through a hand-built story in a real DuckDB.

North's PLD in 2025/26 Q1 is themed on the voice of the child, and its five collaborative audits grade the
voice of the child Good once and Requires improvement four times (1 of 5 good or better, 20%): a PLD theme
and a low grade on the same area. An action is raised from audit N2 (graded Requires improvement), then
completed on 15 August 2025. 2025/26 Q2 began before that, so its grades are no evidence; two cycles later,
2025/26 Q3 grades it Good four times in five (80%).
"""

import duckdb
import pytest

from data_pipeline import marts
from data_pipeline.warehouse import create_schema
from qa_read import loop
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope

VOICE, RI = "Voice of the child", "Requires improvement"
Q1, Q2, Q3 = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"
LINEAGE = ("story.xlsx", 2, "hash")


def add_audits(con, cycle: str, day: str, grades: list[str], prefix: str, area: str = "North", **columns) -> None:
    for number, grade in enumerate(grades, start=1):
        audit_id = f"{prefix}{number}"
        con.execute(
            "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, team,"
            " overall_grade, child_key, child_safe, source_file, source_row, content_hash)"
            " VALUES (?, 'case-audit-v1', 'Collaborative case audit', 'Ofsted', ?, ?, ?, 'T1', ?, ?, ?, ?, ?, ?)",
            [audit_id, cycle, day, area, columns.get("overall", grade), f"C-{prefix}{number}",
             columns.get("safe", True), *LINEAGE],
        )  # fmt: skip
        con.execute("INSERT INTO audit_grades VALUES (?, ?, ?)", [audit_id, VOICE, grade])


def add_action(con, action_id: str, audit_id: str, raised: str, completed: str | None = None) -> None:
    con.execute(
        "INSERT INTO actions (action_id, audit_id, service_area, team, raised_date, completed_date, status,"
        " source_file, source_row, content_hash) VALUES (?, ?, 'North', 'T1', ?, ?, ?, ?, ?, ?)",
        [action_id, audit_id, raised, completed, "Completed" if completed else "Open", *LINEAGE],
    )


def finish(con) -> None:
    con.execute("UPDATE actions SET completed_date = DATE '2025-08-15', status = 'Completed' WHERE action_id = 'X1'")


def states(con) -> dict[str, tuple]:
    marts.build(con)
    wh = Warehouse.in_memory(con)
    found = loop.loops(wh, Filters())
    return {
        row.kind: (row.subject, row.cycle, row.actions, row.open_actions, row.state, row.evidence)
        for row in found.itertuples()
    }


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.execute(
        "INSERT INTO pld_events (pld_id, service_area, cycle, theme, held_date, source_file, source_row,"
        " content_hash) VALUES ('PLD-North Q1', 'North', ?, 'Voice of the child', DATE '2025-06-20', ?, ?, ?)",
        [Q1, *LINEAGE],
    )
    add_audits(con, Q1, "2025-05-20", ["Good", RI, RI, RI, RI], "N")
    return con


def test_a_theme_is_followed_from_finding_to_evidence(con):
    theme, low = VOICE, VOICE  # the theme is spelled as the area it works on
    # 1. Raised: the PLD's theme, and the area graded low in the same cycle; nothing done yet.
    assert states(con) == {
        loop.THEME: (theme, Q1, 0, 0, loop.NO_ACTION, None),
        loop.LOW: (low, Q1, 0, 0, loop.NO_ACTION, None),
    }
    # 2. An action from an audit that graded the area below good: the loop is open.
    add_action(con, "X1", "N2", "2025-07-01")
    assert states(con)[loop.THEME] == (theme, Q1, 1, 1, loop.OPEN, None)
    # An action from another area's audit, and a cancelled one, are not linked.
    add_audits(con, Q1, "2025-05-21", ["Good"], "S", area="South")
    add_action(con, "X2", "S1", "2025-07-01")
    con.execute("UPDATE actions SET status = 'Cancelled' WHERE action_id = 'X2'")
    add_action(con, "X3", "N1", "2025-07-01")  # N1 graded the voice of the child Good
    assert states(con)[loop.LOW] == (low, Q1, 1, 1, loop.OPEN, None)
    # 3. Completed on 15 August; Q2's grades began before that, so they are not evidence.
    finish(con)
    add_audits(con, Q2, "2025-09-10", ["Good", "Good", "Good", RI, RI], "P")
    assert states(con)[loop.THEME] == (theme, Q1, 1, 0, loop.DONE, None)
    # 4. Two cycles later, 4 of 5 good or better against 1 of 5: re-examined, improved.
    add_audits(con, Q3, "2025-11-10", ["Good", "Good", "Outstanding", "Good", RI], "R")
    evidence = "4 of 5 grades good or better in 2025/26 Q3 (80%) against 1 of 5 in 2025/26 Q1 (20%)"
    assert states(con) == {
        loop.THEME: (theme, Q1, 1, 0, loop.IMPROVED, evidence),
        loop.LOW: (low, Q1, 1, 0, loop.IMPROVED, evidence),
    }


def test_later_grades_no_better_are_not_an_improvement(con):
    add_action(con, "X1", "N2", "2025-07-01", "2025-08-15")
    add_audits(con, Q3, "2025-11-10", ["Good", RI, RI, RI, "Inadequate"], "R")
    found = loop.loops(_wh(con), Filters()).set_index("kind")
    assert found.loc[loop.THEME, "state"] == loop.NOT_IMPROVED
    assert found.loc[loop.ESCALATION, "state"] == loop.NO_ACTION  # R5, graded Inadequate, has no action
    assert (
        found.loc[loop.THEME, "evidence"]
        == "1 of 5 grades good or better in 2025/26 Q3 (20%) against 1 of 5 in 2025/26 Q1 (20%)"
    )


def test_too_few_later_grades_are_no_re_examination(con):
    add_action(con, "X1", "N2", "2025-07-01", "2025-08-15")
    add_audits(con, Q3, "2025-11-10", ["Good", "Good", "Good", "Good"], "R")  # four: under five
    assert set(loop.loops(_wh(con), Filters())["state"]) == {loop.DONE}


def test_an_escalation_is_closed_by_a_later_audit_of_the_same_child(con):
    add_audits(con, Q1, "2025-05-22", ["Inadequate"], "E", overall="Inadequate")
    add_action(con, "X9", "E1", "2025-06-01", "2025-06-30")
    escalation = _escalation(con)
    assert (escalation["actions"], escalation["state"]) == (1, loop.DONE)
    con.execute(
        "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, overall_grade,"
        " child_key, child_safe, source_file, source_row, content_hash) VALUES ('F1', 'case-audit-v1',"
        " 'Collaborative case audit', 'Ofsted', ?, DATE '2025-09-01', 'North', 'Good', 'C-E1', true, ?, ?, ?)",
        [Q2, *LINEAGE],
    )
    escalation = _escalation(con)
    assert escalation["state"] == loop.IMPROVED
    assert escalation["evidence"] == "Re-audited 01 Sep 2025 (F1): Good, not escalated"


def test_counts_list_every_state_and_scope_applies(con):
    add_action(con, "X1", "N2", "2025-07-01")
    wh = _wh(con)
    counts = loop.counts(wh, Filters()).set_index(["kind", "state"])["findings"]
    assert counts[(loop.THEME, loop.OPEN)] == 1 and counts[(loop.LOW, loop.OPEN)] == 1
    assert counts.sum() == 2 and len(counts) == 3 * len(loop.STATES)
    south = Filters(scope=Scope(service_areas=("South",)))
    assert loop.counts(wh, south)["findings"].sum() == 0
    with pytest.raises(PermissionError):
        loop.loops(wh, Filters(scope=Scope(rows=False)))


def _wh(con) -> Warehouse:
    marts.build(con)
    return Warehouse.in_memory(con)


def _escalation(con) -> dict:
    found = loop.loops(_wh(con), Filters())
    return found[found["kind"] == loop.ESCALATION].iloc[0].to_dict()
