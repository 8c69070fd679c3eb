"""Child's voice queries on a small hand-built warehouse whose answers are worked out below.

Scores are (listened_to, understood_why, things_better); 4 or 5 agrees, None is unanswered.
"""

import duckdb
import pytest

from qa_read import child_voice as cv
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from qa_read.stats import wilson_interval
from tests.read.sample import create_schema, reader

Q1, Q2 = "2025/26 Q1", "2025/26 Q2"
RI = "Requires improvement"

# audit_id, instrument, scale, cycle, service_area, team, case_type, overall grade, "Voice of the child" grade
AUDITS = [
    ("A1", "Collaborative case audit", "Ofsted", Q1, "North", "N1", "Child protection", "Good", "Good"),
    ("A2", "Collaborative case audit", "Ofsted", Q1, "North", "N2", "Child in need", RI, RI),
    ("A3", "Collaborative case audit", "Ofsted", Q2, "South", "S1", "Child in care", "Outstanding", "Outstanding"),
    ("L1", "Learning Episode", "Assurance", Q2, "North", "N1", "Child in need", "High", "High"),
]
# response_id, audit_id, cycle, service_area, team, respondent, listened_to, understood_why, things_better
RESPONSES = [
    ("V1", "A1", Q1, "North", "N1", "Child", 5, 4, 2),
    ("V2", "A1", Q1, "North", "N1", "Parent", 3, None, 4),
    ("V3", "A2", Q1, "North", "N2", "Child", 2, 5, 1),
    ("V4", "A3", Q2, "South", "S1", "Carer", 4, 4, 5),
    ("V5", "A3", Q2, "South", "S1", "Child", 5, 2, None),
    ("V6", None, Q2, "South", None, "Parent", 4, 3, 3),  # not linked to an audit, no team
    ("V7", "L1", Q2, "North", "N1", "Child", 1, None, None),
    ("V8", "A99", Q2, "North", "N1", "Child", 5, 5, 5),  # names an audit the warehouse does not hold
]
# pld_id, service_area, cycle, theme, held_date
PLDS = [
    ("P1", "North", Q1, "Voice of the child", "2025-05-01"),
    ("P2", "South", Q1, "voice of the child", None),  # planned, never held
    ("P3", "South", Q1, "Recording", "2025-05-02"),
    ("P4", "North", Q2, "Recording", "2025-08-01"),
]


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    for aid, instrument, scale, cycle, area, team, case, overall, voice in AUDITS:
        con.execute(
            "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, team,"
            " case_type, overall_grade, source_file, source_row, content_hash)"
            " VALUES (?, 'form', ?, ?, ?, '2025-06-01', ?, ?, ?, ?, 'a.xlsx', 2, 'h')",
            [aid, instrument, scale, cycle, area, team, case, overall],
        )
        con.execute("INSERT INTO audit_grades VALUES (?, 'Voice of the child', ?)", [aid, voice])
    con.executemany(
        "INSERT INTO child_voice (response_id, audit_id, cycle, feedback_date, service_area, team, respondent,"
        " listened_to, understood_why, things_better, source_file, source_row, content_hash)"
        " VALUES (?, ?, ?, '2025-06-02', ?, ?, ?, ?, ?, ?, 'v.xlsx', 2, 'h')",
        RESPONSES,
    )
    con.executemany(
        "INSERT INTO pld_events (pld_id, service_area, cycle, theme, held_date, source_file, source_row,"
        " content_hash) VALUES (?, ?, ?, ?, ?, 'pld.csv', 2, 'h')",
        PLDS,
    )
    return reader(con)


def counts(df, *keys) -> dict:
    """{(key values...): (n, k)} for whole-dict comparison."""
    return {tuple(row[k] for k in keys): (row["n"], row["k"]) for _, row in df.iterrows()}


def test_agreement_by_cycle_counts_only_answered_questions(wh):
    df = cv.agreement(wh, Filters(), "cycle")
    assert counts(df, "question", "cycle") == {
        ("listened_to", Q1): (3, 1),
        ("listened_to", Q2): (5, 4),
        ("understood_why", Q1): (2, 2),
        ("understood_why", Q2): (4, 2),
        ("things_better", Q1): (3, 1),
        ("things_better", Q2): (3, 2),
    }
    assert df["question"].unique().tolist() == [q for q, _ in cv.QUESTIONS]
    assert df["label"].unique().tolist() == [label for _, label in cv.QUESTIONS]
    row = df[(df["question"] == "listened_to") & (df["cycle"] == Q2)].iloc[0]
    assert row["share"] == pytest.approx(4 / 5)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson_interval(4, 5))
    assert not row["small_n"]
    assert df[df["cycle"] == Q1]["small_n"].all()


def test_agreement_by_respondent_and_team(wh):
    by_who = cv.agreement(wh, Filters(), "respondent")
    listened = by_who[by_who["question"] == "listened_to"]
    assert counts(listened, "respondent") == {("Carer",): (1, 1), ("Child",): (5, 3), ("Parent",): (2, 1)}
    by_team = cv.agreement(wh, Filters(), "team")
    listened = by_team[by_team["question"] == "listened_to"]
    assert counts(listened, "team") == {("N1",): (4, 2), ("N2",): (1, 0), ("Not recorded",): (1, 1), ("S1",): (2, 2)}


def test_unknown_dimension_is_refused(wh):
    with pytest.raises(ValueError):
        cv.agreement(wh, Filters(), "respondent; DROP TABLE audits")


def test_agreement_beside_the_overall_audit_grade(wh):
    df = cv.agreement_by_audit_grade(wh, Filters())
    assert counts(df, "question", "audit_grade") == {
        ("listened_to", "Good or better"): (4, 3),
        ("listened_to", "Below good"): (1, 0),
        ("understood_why", "Good or better"): (3, 2),
        ("understood_why", "Below good"): (1, 1),
        ("things_better", "Good or better"): (3, 2),
        ("things_better", "Below good"): (1, 0),
    }
    # On the assurance scale only L1 (High) counts; the empty group is still listed, with no share.
    df = cv.agreement_by_audit_grade(wh, Filters(), "Assurance")
    listened = df[df["question"] == "listened_to"]
    assert counts(listened, "audit_grade") == {("High",): (1, 0), ("Medium or low",): (0, 0)}
    assert listened["share"].isna().tolist() == [False, True]


def test_listened_to_beside_the_voice_of_the_child_grade(wh):
    df = cv.agreement_by_voice_grade(wh, Filters())
    assert df["grade"].tolist() == ["Outstanding", "Good", RI, "Inadequate"]
    assert list(zip(df["n"], df["k"], strict=True)) == [(2, 2), (2, 1), (1, 0), (0, 0)]
    better = cv.agreement_by_voice_grade(wh, Filters(), "things_better")
    assert list(zip(better["n"], better["k"], strict=True)) == [(1, 1), (2, 1), (1, 0), (0, 0)]
    with pytest.raises(ValueError):
        cv.agreement_by_voice_grade(wh, Filters(), "comment")


def test_responses_and_links(wh):
    df = cv.responses(wh, Filters())
    assert counts_of(df) == {"Carer": (1, 1), "Child": (5, 4), "Parent": (2, 1)}


def counts_of(df) -> dict:
    return {row["respondent"]: (row["responses"], row["linked"]) for _, row in df.iterrows()}


def test_filters_restrict_the_rows(wh):
    def listened(f):
        return cv.agreement(wh, f, "cycle").query("question == 'listened_to'")

    assert counts(listened(Filters(teams=("N1",))), "cycle") == {(Q1,): (2, 1), (Q2,): (2, 1)}
    assert counts(listened(Filters(cycle_from=Q2)), "cycle") == {(Q2,): (5, 4)}
    assert counts(listened(Filters(service_areas=("South",))), "cycle") == {(Q2,): (3, 3)}
    # Case type and audit tool filter through the linked audit: unlinked feedback drops out.
    assert counts(listened(Filters(case_types=("Child in care",))), "cycle") == {(Q2,): (2, 2)}
    assert counts(listened(Filters(instrument="Learning Episode")), "cycle") == {(Q2,): (1, 0)}
    assert counts_of(cv.responses(wh, Filters(case_types=("Child in care",)))) == {"Carer": (1, 1), "Child": (1, 1)}


def test_scope_limits_rows_to_the_allowed_team(wh):
    n1 = Filters(scope=Scope(teams=("N1",)))
    assert set(cv.agreement(wh, n1, "team")["team"]) == {"N1"}
    by_grade = cv.agreement_by_audit_grade(wh, n1).query("question == 'listened_to'")
    assert counts(by_grade, "audit_grade") == {("Good or better",): (2, 1), ("Below good",): (0, 0)}
    assert counts_of(cv.responses(wh, n1)) == {"Child": (3, 2), "Parent": (1, 1)}
    widened = Filters(teams=("S1",), scope=Scope(teams=("N1",)))
    assert cv.agreement(wh, widened, "cycle").empty
    assert cv.responses(wh, widened).empty
    assert cv.agreement_by_voice_grade(wh, widened)["n"].sum() == 0
    # PLDs carry no team: a team-limited reader sees none rather than every area's.
    assert cv.voice_plds(wh, n1).empty


def test_voice_plds_count_held_pld_on_the_theme(wh):
    df = cv.voice_plds(wh, Filters())
    assert df.to_dict("records") == [{"cycle": Q1, "themed": 1, "held": 2}]
    assert cv.voice_plds(wh, Filters(service_areas=("South",))).empty
