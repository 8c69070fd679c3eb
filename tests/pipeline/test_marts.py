"""The marts summarise their tables exactly: every count read from a mart equals the count of rows behind it."""

import duckdb
import pytest

from data_pipeline import marts
from tests.read import sample

AGREE = {
    "audit_cube": (
        "SELECT cycle, service_area, team, case_type, overall_grade, moderated_grade, child_safe, worker_agrees,"
        " oversight_date IS NOT NULL AS overseen,"
        " audit_id IN (SELECT audit_id FROM child_voice WHERE audit_id IS NOT NULL) AS voiced,"
        " audit_id IN (SELECT audit_id FROM escalated_audits) AS escalated, count(*) AS n"
        " FROM audits GROUP BY ALL",
        "SELECT cycle, service_area, team, case_type, overall_grade, moderated_grade, child_safe, worker_agrees,"
        " overseen, voiced, escalated, sum(n) AS n FROM audit_cube GROUP BY ALL",
    ),
    "practice_cube": (
        "SELECT a.cycle, a.team, a.scale, g.practice_area, g.grade, count(*) AS n"
        " FROM audit_grades g JOIN audits a USING (audit_id) GROUP BY ALL",
        "SELECT cycle, team, scale, practice_area, grade, sum(n) AS n FROM practice_cube GROUP BY ALL",
    ),
    "filter_options": (
        "SELECT DISTINCT 'supervision_reviews', cycle, service_area, team FROM supervision_reviews"
        " UNION ALL SELECT DISTINCT 'actions', NULL, service_area, team FROM actions"
        " UNION ALL SELECT DISTINCT 'audits', cycle, service_area, team FROM audits",
        "SELECT DISTINCT source, cycle, service_area, team FROM filter_options"
        " WHERE source IN ('supervision_reviews', 'actions', 'audits')",
    ),
    "voice_cube": (
        "SELECT v.cycle, v.team, v.respondent, a.case_type, g.grade, a.audit_id IS NOT NULL, v.listened_to >= 4,"
        " count(*) FROM child_voice v LEFT JOIN audits a USING (audit_id)"
        " LEFT JOIN audit_grades g ON g.audit_id = a.audit_id AND g.practice_area = 'Voice of the child'"
        " GROUP BY ALL",
        "SELECT cycle, team, respondent, case_type, voice_grade, linked, listened_to, sum(n) FROM voice_cube"
        " GROUP BY ALL",
    ),
    "action_facts": (
        "SELECT action_id, service_area, team, status, raised_date, due_date, completed_date FROM actions",
        "SELECT action_id, service_area, team, status, raised_date, due_date, completed_date FROM action_facts",
    ),
    "supervision_cube": (
        "SELECT cycle, team, quality_grade, wellbeing, sum(sessions_held), count(*) FROM supervision_reviews"
        " GROUP BY ALL",
        "SELECT cycle, team, quality_grade, wellbeing, sum(sessions_held * n), sum(n) FROM supervision_cube"
        " GROUP BY ALL",
    ),
    "supervision_elements": (
        "SELECT team, count(*) FILTER (WHERE strengths), count(*) FILTER (WHERE NOT training_needs)"
        " FROM supervision_reviews GROUP BY ALL",
        "SELECT team, coalesce(sum(n) FILTER (WHERE element = 'strengths' AND present), 0),"
        " coalesce(sum(n) FILTER (WHERE element = 'training_needs' AND NOT present), 0)"
        " FROM supervision_elements GROUP BY ALL",
    ),
    "escalated_audits": (
        "SELECT audit_id, oversight_date FROM audits"
        " WHERE overall_grade = 'Inadequate' OR moderated_grade = 'Inadequate' OR child_safe = false",
        "SELECT audit_id, oversight_date FROM escalated_audits",
    ),
    "weak_area_actions": (
        "SELECT x.service_area, x.team, a.service_area, a.cycle, g.practice_area, count(*), count(x.completed_date),"
        " max(x.completed_date) FROM actions x JOIN audits a USING (audit_id) JOIN audit_grades g USING (audit_id)"
        " WHERE x.status <> 'Cancelled'"
        " AND (a.scale, g.grade) NOT IN (SELECT (scale, grade) FROM grade_scale WHERE good_or_better) GROUP BY ALL",
        "SELECT action_service_area, action_team, service_area, cycle, practice_area, sum(actions), sum(completed),"
        " max(last_completed) FROM weak_area_actions GROUP BY ALL",
    ),
    "escalation_actions": (
        "SELECT x.audit_id, x.service_area, x.team, count(*), count(x.completed_date), max(x.completed_date)"
        " FROM actions x JOIN audits a USING (audit_id) WHERE x.status <> 'Cancelled'"
        " AND (a.overall_grade = 'Inadequate' OR a.moderated_grade = 'Inadequate' OR a.child_safe = false)"
        " GROUP BY ALL",
        "SELECT audit_id, action_service_area, action_team, actions, completed, last_completed FROM escalation_actions",
    ),
    "escalation_followups": (
        "SELECT e.audit_id, r.audit_id, r.audit_date, coalesce(r.moderated_grade, r.overall_grade)"
        " FROM audits e JOIN audits r ON r.child_key = e.child_key AND r.audit_date > e.audit_date"
        " WHERE e.overall_grade = 'Inadequate' OR e.moderated_grade = 'Inadequate' OR e.child_safe = false",
        "SELECT escalated_id, reaudit_id, reaudit_date, reaudit_grade FROM escalation_followups",
    ),
    "reaudit_audits": (
        "SELECT audit_id FROM audits WHERE child_key IN"
        " (SELECT child_key FROM audits GROUP BY child_key HAVING count(DISTINCT cycle) > 1)",
        "SELECT audit_id FROM reaudit_audits",
    ),
}


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect(":memory:")
    sample.create_schema(con)
    sample.load(con)
    # One child audited in two cycles and once more in the second: the sample's children are otherwise unique.
    con.execute(
        "INSERT INTO audits SELECT * REPLACE ('R' || row_number() OVER () AS audit_id, 'C-R' AS child_key)"
        " FROM audits WHERE audit_id IN ('A01', 'A02', 'B01')"
    )
    # Actions on escalated audits (one filed under another team), and a later audit of an escalated child.
    con.executemany(
        "INSERT INTO actions VALUES (?, ?, ?, ?, 'Team manager', 'do it', ?, ?, ?, ?, 'actions.xlsx', 2, 'h')",
        [
            ("E1", "A06", "North", "N2", "2025-08-05", "2025-08-30", "2025-08-20", "Completed"),
            ("E2", "A06", "North", "N1", "2025-08-05", "2025-09-30", None, "Open"),
            ("E3", "B03", "North", "N2", "2025-05-10", "2025-06-10", "2025-06-01", "Completed"),
            ("E4", "B03", "North", "N2", "2025-05-10", "2025-06-10", None, "Cancelled"),
        ],
    )
    con.execute(
        "INSERT INTO audits SELECT * REPLACE ('F1' AS audit_id, DATE '2025-10-01' AS audit_date,"
        " NULL AS moderated_grade, 'Good' AS overall_grade, true AS child_safe) FROM audits WHERE audit_id = 'A06'"
    )
    marts.build(con)
    return con


@pytest.mark.parametrize("mart", marts.MARTS)
def test_a_mart_counts_exactly_the_rows_it_summarises(con, mart):
    rows, summary = AGREE[mart]
    expected, got = sorted(con.execute(rows).fetchall(), key=repr), sorted(con.execute(summary).fetchall(), key=repr)
    assert got == expected
    assert got, "the sample must give the mart something to count"


def test_the_sample_has_children_audited_in_more_than_one_cycle(con):
    children = con.execute("SELECT count(DISTINCT child_id), count(*) FROM reaudit_audits").fetchone()
    assert children[0] >= 1 and children[1] > children[0]


def test_building_again_replaces_rather_than_adds(con):
    before = con.execute("SELECT sum(n) FROM audit_cube").fetchone()
    marts.build(con)
    assert con.execute("SELECT sum(n) FROM audit_cube").fetchone() == before


def test_an_empty_warehouse_gets_empty_marts():
    con = duckdb.connect(":memory:")
    sample.create_schema(con)
    marts.build(con)
    assert [con.execute(f"SELECT count(*) FROM {m}").fetchone()[0] for m in marts.MARTS] == [0] * len(marts.MARTS)
