"""The mapping wizard on the Data page: a file it cannot read gets the command line's own one-line reason
inside the page, and a profile id that is not a slug is refused before anything is written."""

import shutil
import tomllib

import duckdb
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


FORM = "riverside-audit.csv"
# A form no profile knows: no date question, four graded questions (one of them oversight), one graded in
# numbers, two free-text questions, and a worker who may partly agree.
HEADINGS = [
    "ID", "Start time", "Completion time", "Email", "Name", "Service area", "Overall grade",
    "Does the worker agree with the grades?", "Voice of the child - grade", "Management oversight grade",
    "Quality of assessment", "Recording (1-4)", "What is going well for the child?", "What needs to change?",
]  # fmt: skip
ROWS = [
    ["1", "9/1/2026 9:00", "9/1/2026 9:30", "anonymous", "", "Early Help", "Good", "Agree with all grades",
     "Good", "Good", "Good", "3", "Visits happen as planned and the child is seen alone",
     "The chronology is out of date"],
    ["2", "9/2/2026 9:00", "9/2/2026 9:30", "anonymous", "", "Early Help", "Inadequate", "Agree with some grades",
     "Inadequate", "Requires improvement", "Good", "1", "The family trust the worker", "Plan needs dates"],
]  # fmt: skip


def csv_form(folder):
    path = folder / FORM
    path.write_text("\r\n".join(",".join(row) for row in [HEADINGS, *ROWS]) + "\r\n")
    return path


def test_the_analysts_choices_are_what_the_saved_profile_says(map_tab, tmp_path):
    at = drop(map_tab, csv_form(tmp_path))
    key = f"{FORM}-audit-ofsted"
    at.selectbox(key=f"area-{key}-Management oversight grade").set_value("(not an area of practice)").run()
    at.selectbox(key=f"area-{key}-Quality of assessment").set_value("Assessment and analysis").run()
    at.selectbox(key=f"add-heading-{key}").set_value("Recording (1-4)").run()
    at.selectbox(key=f"add-area-{key}").set_value("Recording").run()
    at.button(key=f"add-{key}").click().run()
    at.selectbox(key=f"grade-{key}-3").set_value("Good").run()
    at.selectbox(key=f"grade-{key}-1").set_value("Inadequate").run()
    assert at.selectbox(key=f"answer-{key}-Agree with some grades").value == "Partly"
    assert at.selectbox(key=f"answer-{key}-Agree with all grades").value == "Yes"
    at.button(key=f"save-{key}").click().run()
    assert not at.exception
    saved = tomllib.loads((tmp_path / "profiles" / "riverside-audit-v1.toml").read_text())
    assert saved["columns"] == {
        "response_id": "ID", "completion_time": "Completion time", "auditor": "Email",
        "audit_date": "Completion time", "service_area": "Service area", "overall_grade": "Overall grade",
        "worker_agrees": "Does the worker agree with the grades?",
    }  # fmt: skip
    assert saved["practice_areas"] == {
        "Voice of the child": "Voice of the child - grade",
        "Assessment and analysis": "Quality of assessment",
        "Recording": "Recording (1-4)",
    }
    assert saved["comments"] == {
        "strengths": "What is going well for the child?",
        "what_needs_to_change": "What needs to change?",
    }
    assert saved["grades"] == {"3": "Good", "1": "Inadequate"}
    assert saved["answers"] == {"Agree with all grades": "Yes", "Agree with some grades": "Partly"}
    assert saved["ignore"] == {"headings": ["Start time", "Name"]}
    assert any("Saved mapping profile riverside-audit-v1" in s.value.replace("\\", "") for s in at.success)


CASES = "westshire-audit.csv"
# A form whose case types are the council's own: "CIN - Child in need" is a built-in spelling, "Section 17"
# and "Adoption" are in no list, so the wizard asks what they mean.
CASE_ROWS = [
    ["ID", "Start time", "Completion time", "Email", "Name", "Service area", "Type of case", "Overall grade"],
    ["1", "9/1/2026 9:00", "9/1/2026 9:30", "anonymous", "", "Early Help", "CIN - Child in need", "Good"],
    ["2", "9/2/2026 9:00", "9/2/2026 9:30", "anonymous", "", "Early Help", "Section 17", "Good"],
    ["3", "9/3/2026 9:00", "9/3/2026 9:30", "anonymous", "", "Early Help", "Section 17", "Inadequate"],
    ["4", "9/4/2026 9:00", "9/4/2026 9:30", "anonymous", "", "Early Help", "Adoption", "Good"],
]


def test_a_case_type_in_the_forms_own_words_is_mapped_and_written_to_the_profile(map_tab, tmp_path):
    path = tmp_path / CASES
    path.write_text("\r\n".join(",".join(row) for row in CASE_ROWS) + "\r\n")
    at = drop(map_tab, path)
    key = f"{CASES}-audit-ofsted"
    assert at.selectbox(key=f"map-{key}-case_type").value == "Type of case"
    offered = [s.key for s in at.selectbox if s.key and s.key.startswith(f"value-{key}-")]
    # "Section 17" (two rows) before "Adoption" (one); "CIN - Child in need" is built in, so not asked
    assert offered == [f"value-{key}-case_type-Section 17", f"value-{key}-case_type-Adoption"]
    # nothing is guessed: each starts unmapped
    assert {at.selectbox(key=k).value for k in offered} == {"(not mapped: its rows are rejected)"}
    at.selectbox(key=f"value-{key}-case_type-Section 17").set_value("Child in need").run()
    assert not at.exception
    # rows 1 to 3 load; row 4's "Adoption" is left unmapped, so the preview rejects it, naming the table
    assert any("**3 would load** and **1 would be rejected**" in m.value for m in at.markdown)
    [rejects] = [d.value for d in at.dataframe if list(d.value.columns) == ["row", "reason"]]
    assert rejects["row"].tolist() == [5]
    assert rejects["reason"].tolist() == [
        "Type of case: 'Adoption' is not a known case type (Early Help, Child in need, Child protection, "
        "Child in care, Care leaver); map it in [values.case_type]"
    ]
    at.button(key=f"save-{key}").click().run()
    assert not at.exception
    saved = tomllib.loads((tmp_path / "profiles" / "westshire-audit-v1.toml").read_text())
    assert saved["columns"]["case_type"] == "Type of case"
    assert saved["values"] == {"case_type": {"Section 17": "Child in need"}}
    con = duckdb.connect(str(tmp_path / "qa.duckdb"), read_only=True)
    try:
        loaded = con.execute(
            "SELECT audit_id, case_type FROM audits WHERE form_id = 'westshire-audit-v1' ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()
    assert loaded == [("WES1-1", "Child in need"), ("WES1-2", "Child in need"), ("WES1-3", "Child in need")]
