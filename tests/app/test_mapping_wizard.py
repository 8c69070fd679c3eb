"""The mapping wizard on the Data page: a file it cannot read gets the command line's own one-line reason
inside the page, and a profile id that is not a slug is refused before anything is written."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from data_pipeline import cli
from tests.conftest import ROOT, SAMPLE_DIR

AUDIT = SAMPLE_DIR / "case-audit-2026-form.xlsx"


def unreadable(kind: str, folder):
    """An empty CSV, an xlsx cut off half way (as a failed download leaves it), a CSV of headings only."""
    if kind == "empty":
        path, content = folder / "empty.csv", b""
    elif kind == "truncated":
        whole = AUDIT.read_bytes()
        path, content = folder / "truncated.xlsx", whole[: len(whole) // 2]
    else:
        path, content = folder / "headings-only.csv", b"ID,Service area,Team,Date of audit\r\n"
    path.write_bytes(content)
    return path


@pytest.fixture
def map_tab(sample_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    monkeypatch.setenv("QA_WAREHOUSE", str(db))
    monkeypatch.setenv("QA_PROFILE_DIR", str(tmp_path / "profiles"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def drop(at: AppTest, path) -> AppTest:
    at.file_uploader(key="wizard-upload").set_value([(path.name, path.read_bytes(), "application/octet-stream")])
    return at.run()


@pytest.mark.parametrize("kind", ["empty", "truncated", "headings-only"])
def test_an_unreadable_file_gets_the_clis_one_line_reason_in_the_page(map_tab, tmp_path, capsys, kind):
    path = unreadable(kind, tmp_path)
    at = drop(map_tab, path)
    assert not at.exception
    assert len(at.error) == 1
    shown = at.error[0].value.replace("\\", "")  # the page escapes the file name for markdown
    assert "\n" not in shown
    assert cli.main(["ingest", str(path), "--db", str(tmp_path / "cli.duckdb")]) == 1
    assert capsys.readouterr().err.strip() == f"error: {shown}"


@pytest.mark.parametrize("profile_id", ["../../../tmp/x", "Council audit"])
def test_a_profile_id_that_is_not_a_slug_is_refused_in_one_line(map_tab, tmp_path, profile_id):
    at = drop(map_tab, AUDIT)
    at.text_input(key=f"id-{AUDIT.name}").set_value(profile_id).run()
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        f"the profile id {profile_id!r} may hold only lower-case letters, digits and inner hyphens "
        "(e.g. council-audit-v1), up to 64 characters"
    ]
    assert not [b for b in at.button if b.label == "Save this mapping profile"]
    assert not (tmp_path / "profiles").exists()
