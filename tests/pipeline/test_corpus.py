"""The corpus of quirky exports (tests/pipeline/corpus/) through the real ingest into a real DuckDB.

Every expectation is worked out from the file by hand, in the comment beside it. The profiles the
files load with are in corpus/profiles/, read as a council's own (QA_PROFILE_DIR).
"""

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from data_pipeline import cli, ingest

CORPUS = Path(__file__).parent / "corpus"
TODAY = dt.date(2026, 11, 23)
D, T = dt.date, dt.datetime


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_PROFILE_DIR", str(CORPUS / "profiles"))
    monkeypatch.delenv("QA_DATE_ORDER", raising=False)
    return tmp_path / "qa.duckdb"


def load(db, name) -> ingest.FileResult:
    [result] = ingest.ingest([(name, (CORPUS / name).read_bytes())], db, today=TODAY)
    return result


def query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def column(db, name, table="audits", key="audit_id") -> dict:
    return dict(query(db, f"SELECT {key}, {name} FROM {table} ORDER BY ALL"))


def test_a_month_first_column_is_read_month_first(db):
    result = load(db, "month-first.csv")
    assert (result.error, result.rows_loaded) == (None, 2)
    # 6/14/2023 has 14 in its second part, so the column is month first: 8/3/2023 is 3 August
    assert column(db, "audit_date") == {"QA9-1": D(2023, 8, 3), "QA9-2": D(2023, 6, 14)}
    assert column(db, "completed_at")["QA9-1"] == T(2023, 6, 14, 10, 2, 33)
    assert result.date_orders == [
        "Completion time: month-first (shown by 6/14/2023 10:02:33)",
        "Date of visit: month-first (shown by 6/14/2023)",
    ]
    assert query(db, "SELECT date_orders FROM ingest_log") == [(result.date_orders,)]
    # the first response's comment is quoted across two lines in the file
    assert column(db, "text", "audit_comments")["QA9-1"] == "line one\nline two"


def test_a_day_first_column_is_read_day_first(db):
    load(db, "day-first.csv")
    # 14/06/2023 has 14 in its first part: day first, so 08/03/2023 is 8 March
    assert column(db, "audit_date") == {"QA9-1": D(2023, 6, 14), "QA9-2": D(2023, 3, 8)}


def test_an_ambiguous_column_is_read_in_the_councils_order_and_said_to_be_assumed(db, monkeypatch, tmp_path):
    result = load(db, "ambiguous.csv")
    # 08/03/2023 and 01/02/2023: no part over 12, so QA_DATE_ORDER's default, day first
    assert column(db, "audit_date") == {"QA9-1": D(2023, 3, 8), "QA9-2": D(2023, 2, 1)}
    assert all("assumed from QA_DATE_ORDER" in line for line in result.date_orders)
    monkeypatch.setenv("QA_DATE_ORDER", "month-first")
    other = tmp_path / "month-first-council.duckdb"
    load(other, "ambiguous.csv")
    assert column(other, "audit_date") == {"QA9-1": D(2023, 8, 3), "QA9-2": D(2023, 1, 2)}


def test_a_column_written_both_ways_refuses_the_file_naming_the_heading(db):
    result = load(db, "both-orders.csv")
    # 14/06/2023 is day first and 6/14/2023 month first, in the same column
    assert "'Date of visit'" in result.error
    assert "14/06/2023" in result.error and "6/14/2023" in result.error
    assert not db.exists()


def test_trailing_commas_as_excel_writes_them(db):
    result = load(db, "trailing-commas.csv")
    # every data row ends ",," after the last answer: two empty cells under no heading
    assert (result.error, result.rows_loaded, result.unknown_headings) == (None, 2, [])


def test_the_identical_heading_wins_and_its_near_duplicate_is_reported(db):
    result = load(db, "near-duplicate-headings.csv")
    # "Overall grade" holds Good; "Overall grade" plus a line break holds Inadequate
    assert column(db, "overall_grade") == {"QA9-1": "Good"}
    assert result.unknown_headings == ["Overall grade\n"]


def test_two_headings_folding_alike_refuse_the_file_naming_both(db):
    result = load(db, "colliding-headings.csv")
    # the profile's "Service area" is neither "Service area " nor "SERVICE AREA", and folds to both
    assert "'Service area '" in result.error and "'SERVICE AREA'" in result.error
    assert not db.exists()


def test_yes_partly_and_no_answers_in_the_forms_own_words(db):
    result = load(db, "yes-no-partly.csv")
    assert (result.rows_loaded, result.rows_rejected) == (6, 0)
    # Agree; Partly agree; Disagree; "Agree with some grades" mapped by the profile's [answers]; partially; No
    assert column(db, "worker_agrees") == {
        "QA9-1": "Yes",
        "QA9-2": "Partly",
        "QA9-3": "No",
        "QA9-4": "Partly",
        "QA9-5": "Partly",
        "QA9-6": "No",
    }
    assert column(db, "child_safe")["QA9-6"] is False  # "N"


def test_a_file_whose_every_row_is_rejected_exits_non_zero(db, capsys):
    result = load(db, "all-rejected.csv")
    # both rows are graded "Brilliant", which is on no scale
    assert (result.rows_read, result.rows_loaded, result.nothing_loaded) == (2, 0, True)
    code = cli.main(["ingest", str(CORPUS / "all-rejected.csv"), "--db", str(db)])
    assert code != 0 and "no row loaded" in capsys.readouterr().err


def test_an_unknown_form_names_the_mapping_wizard_and_the_profiles_document(db):
    result = load(db, "unknown-form.csv")
    assert "mapping wizard on the Data page" in result.error and "docs/profiles.md" in result.error


def test_a_form_with_no_date_question_takes_its_completion_time(db):
    result = load(db, "no-date-question.csv")
    # IDs 12.0 and 13.0 as Excel writes whole numbers; Completion time 14/06/2023 is day first
    assert column(db, "audit_date") == {"QF9-12": D(2023, 6, 14), "QF9-13": D(2023, 7, 2)}
    assert column(db, "completed_at")["QF9-12"] == T(2023, 6, 14, 10, 2, 33)
    assert result.date_orders == ["Completion time: day-first (shown by 14/06/2023 10:02:33)"]


def test_headings_in_other_scripts_and_with_accents(db):
    result = load(db, "non-latin.csv")
    assert (result.error, result.rows_loaded, result.unknown_headings) == (None, 2, [])
    # "évaluation globale " in the file is the profile's "Évaluation globale"; Хорошо is Good by [grades]
    assert column(db, "overall_grade") == {"QC9-1": "Good", "QC9-2": "Good"}
    assert column(db, "service_area") == {"QC9-1": "Ранняя помощь", "QC9-2": "Ранняя помощь"}
    grades = query(db, "SELECT audit_id, practice_area, grade FROM audit_grades ORDER BY ALL")
    assert grades == [
        ("QC9-1", "Assessment and analysis", "Requires improvement"),
        ("QC9-1", "Voice of the child", "Good"),
        ("QC9-2", "Assessment and analysis", "Good"),
        ("QC9-2", "Voice of the child", "Outstanding"),
    ]


def test_a_quiz_export_loads_and_its_quiz_columns_are_reported_apart(db):
    result = load(db, "quiz.xlsx")
    assert (result.error, result.rows_loaded, result.unknown_headings) == (None, 1, [])
    assert result.quiz_headings == [
        "Total points",
        "Quiz feedback",
        "Points - Case reference",
        "Feedback - Case reference",
        "Points - Service area",
        "Feedback - Service area",
        "Points - Practice grade",
        "Feedback - Practice grade",
    ]
    # Completion time is a real date cell in the workbook: no order to decide
    assert column(db, "audit_date") == {"QF9-1": D(2023, 6, 14)}
    assert result.date_orders == ["Completion time: dates stored as dates, no order needed"]


def test_a_formula_cell_gives_its_saved_value_and_is_counted(db):
    result = load(db, "formula.xlsx")
    # Notes holds =HYPERLINK(…, "See case notes"); the ID is the number 12.0
    assert (result.error, result.formula_cells) == (None, 1)
    assert column(db, "text", "audit_comments") == {"QF9-12": "See case notes"}
    assert query(db, "SELECT formula_cells FROM ingest_log") == [(1,)]


def test_a_cp1252_export_keeps_its_curly_quotes_dashes_and_pounds(db):
    result = load(db, "cp1252.csv")
    # the heading "What’s working well?" (curly) is the profile's "What's working well?" folded
    assert (result.error, result.rows_loaded, result.unknown_headings) == (None, 1, [])
    assert column(db, "text", "audit_comments") == {"QA9-1": "Mum’s view – £20 a week"}


def test_case_types_in_the_councils_own_words(db):
    result = load(db, "council-case-types.csv")
    # nine rows: eight wordings the built-in spellings or the profile's [values.case_type] know, and "Adoption"
    assert (result.error, result.rows_read, result.rows_loaded, result.rows_rejected) == (None, 9, 8, 1)
    assert column(db, "case_type") == {
        "CT1-1": "Child in need",  # "CIN - Child in need", built in
        "CT1-2": "Child protection",  # "Child Protection Plan", built in
        "CT1-3": "Child in care",  # "LAC", built in
        "CT1-4": "Care leaver",  # "Care Leaver (18+)", built in
        "CT1-5": "Child in need",  # "Section 17", the profile's
        "CT1-6": "Child in care",  # "Children we care for", the profile's
        "CT1-7": "Early Help",  # "Team around the family", the profile's
        "CT1-9": "Child in need",  # "Family Support": the profile's word wins over the built-in Early Help
    }
    # "Adoption" is row 9 of the file (the heading is row 1) and is no case type in either list
    assert query(db, "SELECT source_row, reason FROM rejected_rows") == [
        (
            9,
            "Type of involvement: 'Adoption' is not a known case type (Early Help, Child in need, Child protection, "
            "Child in care, Care leaver); map it in [values.case_type]",
        )
    ]
