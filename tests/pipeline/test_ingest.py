"""Ingest end to end against a real DuckDB file: accounting, idempotency, snapshots, privacy."""

import datetime as dt
import hashlib
import threading

import duckdb
import pytest

from data_pipeline import cli, ingest, warehouse
from tests.pipeline.exports import audit_row, xlsx

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "qa.duckdb"


def run(db, *files):
    return ingest.ingest(list(files), db, today=TODAY)


def scalar(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_row_is_loaded_or_rejected_with_a_reason(db):
    rows = [audit_row(i) for i in range(1, 9)]
    rows += [audit_row(9, **{"Overall grade": "Good-ish"}), audit_row(10, **{"Service area": None})]
    [result] = run(db, ("audits.xlsx", xlsx(rows)))
    assert (result.error, result.rows_read, result.rows_loaded, result.rows_rejected) == (None, 10, 8, 2)
    assert scalar(db, "SELECT count(*) FROM audits") == 8
    reasons = scalar(db, "SELECT string_agg(reason, ' | ' ORDER BY source_row) FROM rejected_rows")
    assert reasons == (
        "Overall grade: 'Good-ish' is not on the Ofsted scale (Outstanding, Good, Requires improvement, Inadequate);"
        " map it in [grades]"
        " | Service area is blank"
    )
    assert scalar(db, "SELECT rows_read - rows_loaded - rows_rejected FROM ingest_log") == 0


def test_loading_the_same_file_twice_changes_no_count(db):
    content = xlsx([audit_row(i) for i in range(1, 6)] + [audit_row(6, **{"Overall grade": "??"})])
    run(db, ("audits.xlsx", content))
    counts = [scalar(db, f"SELECT count(*) FROM {t}") for t in ("audits", "audit_grades", "rejected_rows")]
    [again] = run(db, ("audits.xlsx", content))
    assert (again.rows_new, again.rows_updated, again.rows_unchanged, again.rows_rejected) == (0, 0, 5, 1)
    assert [scalar(db, f"SELECT count(*) FROM {t}") for t in ("audits", "audit_grades", "rejected_rows")] == counts


def test_a_cumulative_export_adds_only_the_new_responses(db):
    run(db, ("june.xlsx", xlsx([audit_row(i) for i in range(1, 6)])))
    [july] = run(db, ("july.xlsx", xlsx([audit_row(i) for i in range(1, 9)])))
    assert (july.rows_new, july.rows_unchanged) == (3, 5)
    assert scalar(db, "SELECT count(*) FROM audits") == 8


def test_an_edited_response_replaces_its_older_version(db):
    run(db, ("june.xlsx", xlsx([audit_row(1), audit_row(2)])))
    edited = audit_row(2, **{"Overall grade": "Inadequate", "Last modified time": "7/3/26 10:00:00"})
    [july] = run(db, ("july.xlsx", xlsx([audit_row(1), edited])))
    assert (july.rows_updated, july.rows_unchanged) == (1, 1)
    assert scalar(db, "SELECT overall_grade FROM audits WHERE audit_id = 'CA1-2'") == "Inadequate"
    assert scalar(db, "SELECT source_file FROM audits WHERE audit_id = 'CA1-2'") == "july.xlsx"
    assert scalar(db, "SELECT count(*) FROM audit_grades WHERE audit_id = 'CA1-2'") == 7


def test_an_older_version_never_overwrites_a_newer_one(db):
    newer = audit_row(1, **{"Overall grade": "Outstanding", "Last modified time": "7/5/26 10:00:00"})
    run(db, ("later.xlsx", xlsx([newer])))
    [older] = run(db, ("earlier.xlsx", xlsx([audit_row(1)])))
    assert older.rows_unchanged == 1
    assert scalar(db, "SELECT overall_grade FROM audits") == "Outstanding"


def test_a_rejected_row_fixed_in_a_later_export_leaves_rejected_rows(db):
    run(db, ("june.xlsx", xlsx([audit_row(1, **{"Date of audit (dd/mm/yyyy)": "31/02/2026"})])))
    assert scalar(db, "SELECT count(*) FROM rejected_rows") == 1
    run(db, ("july.xlsx", xlsx([audit_row(1, **{"Last modified time": "7/9/26 10:00:00"})])))
    assert scalar(db, "SELECT count(*) FROM rejected_rows") == 0
    assert scalar(db, "SELECT count(*) FROM audits") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
        ("report.xlsx", b"%PDF-1.7 not a workbook", "not an Excel workbook"),
        ("empty.csv", b"", "empty"),
        ("headings.csv", b"Action ref,Owner,Due date\r\n", "no rows"),
        ("other.csv", b"Colour,Size\r\nred,3\r\n", "match no known form"),
        ("notes.txt", b"hello", "neither .xlsx nor .csv"),
    ],
)
def test_a_bad_file_leaves_the_warehouse_byte_for_byte_unchanged(db, name, content, message):
    run(db, ("audits.xlsx", xlsx([audit_row(1)])))
    before = digest(db)
    [result] = run(db, (name, content))
    assert message in result.error
    assert "\n" not in result.error
    assert digest(db) == before


def test_the_command_line_reports_a_bad_file_in_one_line_and_exits_non_zero(db, tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 nope")
    assert cli.main(["ingest", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: broken.xlsx: the workbook is damaged and cannot be read (not a valid zip archive)"]
    assert not db.exists()


def test_a_reader_holding_the_warehouse_open_is_not_disturbed(db):
    run(db, ("june.xlsx", xlsx([audit_row(i) for i in range(1, 4)])))
    reader = duckdb.connect(str(db), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM audits").fetchone()[0] == 3
        run(db, ("july.xlsx", xlsx([audit_row(i) for i in range(1, 7)])))
        assert reader.execute("SELECT count(*) FROM audits").fetchone()[0] == 3
        assert reader.execute("SELECT count(*) FROM audit_grades").fetchone()[0] == 21
    finally:
        reader.close()
    assert scalar(db, "SELECT count(*) FROM audits") == 6


def test_a_second_ingest_waits_for_the_first_then_fails_clearly(db, monkeypatch):
    monkeypatch.setenv("QA_LOCK_TIMEOUT", "0.5")
    run(db, ("june.xlsx", xlsx([audit_row(1)])))
    before = digest(db)
    holding, release = threading.Event(), threading.Event()

    def first_writer():
        with warehouse.draft(db, lock_timeout=5):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=first_writer)
    thread.start()
    holding.wait(5)
    try:
        with pytest.raises(warehouse.Busy, match="another ingest"):
            run(db, ("july.xlsx", xlsx([audit_row(2)])))
    finally:
        release.set()
        thread.join()
    assert digest(db) == before


def test_names_and_emails_never_reach_the_warehouse(db):
    rows = [audit_row(1, **{"What is working well?": "Spoke to sam.practitioner@example-council.gov.uk"})]
    rows.append(audit_row(2, **{"Overall grade": "Goodish"}))
    run(db, ("audits.xlsx", xlsx(rows)))
    con = duckdb.connect(str(db), read_only=True)
    try:
        text = []
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
        ).fetchall():
            text += [v for (v,) in con.execute(f'SELECT "{column}" FROM {table}').fetchall() if v]
    finally:
        con.close()
    everything = " ".join(text).lower()
    for secret in ("alex", "auditor@", "sam practitioner", "sam.practitioner", "example-council", "100001"):
        assert secret not in everything


def test_rebuild_reproduces_the_warehouse_from_the_archived_files(db):
    run(db, ("june.xlsx", xlsx([audit_row(i) for i in range(1, 4)])))
    run(
        db,
        ("july.xlsx", xlsx([audit_row(i) for i in range(1, 6)] + [audit_row(6, **{"Team": "x", "Case type": "??"})])),
    )
    query = "SELECT audit_id, overall_grade, content_hash FROM audits ORDER BY audit_id"
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute(query).fetchall(), con.execute("SELECT count(*) FROM rejected_rows").fetchone()
    con.close()
    results = ingest.rebuild(db, today=TODAY)
    assert [r.file_name for r in results] == ["june.xlsx", "july.xlsx"]
    con = duckdb.connect(str(db), read_only=True)
    after = con.execute(query).fetchall(), con.execute("SELECT count(*) FROM rejected_rows").fetchone()
    con.close()
    assert after == before


def test_status_lists_tables_files_and_rejections(db, capsys):
    run(db, ("audits.xlsx", xlsx([audit_row(1), audit_row(2, **{"Overall grade": "meh"})])))
    assert cli.main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "audits                       1 rows" in out
    assert "audits.xlsx" in out and "read       2  loaded       1  rejected     1" in out
    assert "Overall grade: … is not on the Ofsted scale" in out


def test_a_warehouse_from_before_three_valued_agreement_is_upgraded_on_the_next_ingest(db):
    run(db, ("june.xlsx", xlsx([audit_row(1), audit_row(2, **{"Does the worker agree with the grading?": "No"})])))
    con = duckdb.connect(str(db))
    # as an older warehouse stored it: agreement as a boolean, no date_orders / quiz / formula columns
    con.execute("ALTER TABLE audits ALTER worker_agrees SET DATA TYPE BOOLEAN USING worker_agrees = 'Yes'")
    for column in ("quiz_headings", "date_orders", "formula_cells"):
        con.execute(f"ALTER TABLE ingest_log DROP COLUMN {column}")
    con.close()
    [july] = run(db, ("july.xlsx", xlsx([audit_row(3, **{"Does the worker agree with the grading?": "Partly"})])))
    assert july.error is None
    agrees = "SELECT string_agg(worker_agrees, ',' ORDER BY audit_id) FROM audits"
    assert scalar(db, agrees) == "Yes,No,Partly"
    assert scalar(db, "SELECT count(*) FROM ingest_log WHERE date_orders IS NULL") == 1  # the June load


def test_a_pld_planned_after_today_loads_and_one_held_after_today_is_rejected(db):
    # A log lists the quarter's PLDs ahead of the day: planned, not yet held. A day held cannot lie ahead.
    log = (
        "Service area,Quarter,Theme,Date planned,Date held,Planning meeting date,Partner agencies involved?,"
        "Report shared with PSW\r\n"
        "Early Help,2026/27 Q3,Recording,10/12/2026,,02/11/2026,No,\r\n"
        "Care Leavers,2026/27 Q3,Recording,10/12/2026,10/12/2026,02/11/2026,No,\r\n"
    )
    [result] = run(db, ("pld-log.csv", log.encode("utf-8-sig")))
    assert (result.error, result.rows_loaded, result.rows_rejected) == (None, 1, 1)
    assert scalar(db, "SELECT (planned_date, held_date) FROM pld_events") == (dt.date(2026, 12, 10), None)
    assert scalar(db, "SELECT reason FROM rejected_rows") == "Date held: '10/12/2026' is in the future"
