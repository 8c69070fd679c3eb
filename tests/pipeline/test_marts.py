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
