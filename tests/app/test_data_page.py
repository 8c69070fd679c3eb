"""The Data page loads exports through the file uploader with the same pipeline as the CLI."""

import os
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SAMPLE_DIR
from ui import text

MESSY = ROOT / "tests" / "pipeline" / "golden" / "action-tracker" / "cp1252.csv"


@pytest.fixture
def data_page(sample_warehouse, tmp_path, monkeypatch):
    """The Data page on a copy of the sample warehouse, since uploading changes it."""
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    monkeypatch.setenv("QA_WAREHOUSE", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at, db


def upload(at: AppTest, *paths) -> AppTest:
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in paths]
    at.file_uploader(key="uploads").set_value(files).run()
    at.button(key="load").click().run()
    assert not at.exception, at.exception
    return at


def logged(db, names):
    con = duckdb.connect(str(db), read_only=True)
    try:
        sql = """SELECT file_name, rows_read, rows_loaded, rows_rejected FROM ingest_log
                 WHERE file_name IN (SELECT unnest(?)) QUALIFY row_number() OVER (PARTITION BY file_name
                 ORDER BY ingest_id DESC) = 1 ORDER BY file_name"""
        return con.execute(sql, [names]).fetchall()
    finally:
        con.close()


def test_upload_shows_the_same_accounting_as_the_ingest_log(data_page):
    at, db = data_page
    at = upload(at, SAMPLE_DIR / "pld-log.csv", MESSY)
    shown = at.dataframe[0].value.sort_values("file")
    expected = logged(db, ["cp1252.csv", "pld-log.csv"])
    assert [tuple(r) for r in shown[["file", "read", "loaded", "rejected"]].itertuples(index=False)] == expected
    assert (shown["read"] == shown["loaded"] + shown["rejected"]).all()
    assert (
        shown.loc[shown["file"] == "pld-log.csv", "already loaded"].item()
        == shown.loc[shown["file"] == "pld-log.csv", "read"].item()
    )
    assert "2 of 2 files loaded" in at.success[0].value


def test_a_bad_upload_gets_a_clear_message_and_changes_nothing(data_page, tmp_path):
    at, db = data_page
    before = db.read_bytes()
    fake = tmp_path / "report.xlsx"
    fake.write_bytes(b"%PDF-1.7 this is a PDF")
    at = upload(at, fake)
    assert "not an Excel workbook" in at.dataframe[0].value["problem"].item()
    assert not at.success and any("0 of 1 files loaded" in w.value for w in at.warning)
    assert db.read_bytes() == before


def test_the_data_page_warns_an_analyst_about_a_warehouse_others_can_read(data_page):
    at, db = data_page
    db.chmod(0o600)
    at.run()
    assert not [w.value for w in at.warning if "other users" in w.value]
    db.chmod(0o644)
    at.run()
    [warning] = [w.value for w in at.warning if "other users" in w.value]
    assert warning.startswith(text.md(f"{db} can be read by other users of this computer (mode 0644)"))


def test_a_hostile_upload_is_refused_in_one_line_before_it_is_read(data_page, tmp_path, monkeypatch):
    at, db = data_page
    before = db.read_bytes()
    monkeypatch.setenv("QA_MAX_ROWS", "3")
    many = tmp_path / "many.csv"
    many.write_text("Action ref,Owner\r\n" + "A1,Sam\r\n" * 4)
    at = upload(at, many)
    assert at.dataframe[0].value["problem"].item() == "many.csv: the file has over 3 rows, the limit (QA_MAX_ROWS)"
    assert db.read_bytes() == before


def test_a_key_that_is_not_the_warehouses_is_refused_on_the_page(data_page, tmp_path, monkeypatch):
    at, db = data_page
    before = db.read_bytes()
    other = tmp_path / "other.key"
    other.write_text(os.urandom(32).hex())
    monkeypatch.setenv("QA_KEY_FILE", str(other))
    at = upload(at, SAMPLE_DIR / "pld-log.csv")
    [error] = at.error
    assert "is not the key this warehouse was built with" in error.value and "\n" not in error.value
    assert not any("files loaded" in s.value for s in at.success)
    assert db.read_bytes() == before


def test_an_unknown_form_is_sent_to_the_mapping_wizard(data_page, tmp_path):
    at, _ = data_page
    odd = tmp_path / "odd.csv"
    odd.write_text("Reference,Area of service,Locality,Date raised\r\n1,Early Help,North,01/07/2026\r\n")
    at = upload(at, odd)
    assert any("match no known form" in w.value for w in at.warning)
    assert at.selectbox(key="wizard-file").value == "odd.csv"
    assert at.selectbox(key="kind-odd.csv").value == "action"


def test_a_file_whose_every_row_is_rejected_is_a_warning_not_a_success(data_page, monkeypatch):
    at, _ = data_page
    corpus = ROOT / "tests" / "pipeline" / "corpus"
    monkeypatch.setenv("QA_PROFILE_DIR", str(corpus / "profiles"))
    at = upload(at, corpus / "all-rejected.csv")
    # both rows of the file are graded "Brilliant": read 2, loaded 0
    assert at.dataframe[0].value[["read", "loaded", "rejected"]].values.tolist() == [[2, 0, 2]]
    assert not at.success
    [loaded] = [w.value for w in at.warning if "files loaded" in w.value]
    assert "0 of 1 files loaded" in loaded and "every row was rejected" in loaded
