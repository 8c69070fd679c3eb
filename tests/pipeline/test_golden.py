"""Golden messy exports: every file in a form's folder has one quirk and must stage to the same rows as clean.*."""

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import profiles, readers
from data_pipeline.stage import Context, Staged, stage
from tests.pipeline.golden import make_golden

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 8, 1)
KEY = bytes(range(32))
FORMS = {"action-tracker": "action-tracker-v1", "case-audit": "case-audit-v1"}
ROWS = {"action-tracker": 6, "case-audit": 4}
UNKNOWN = {("action-tracker", "extra-column.csv"): ["RAG rating"]}
FILES = sorted(p for form in FORMS for p in (GOLDEN / form).glob("*.*"))


def staged(path: Path) -> Staged:
    raw = readers.read_export(io.BytesIO(path.read_bytes()), path.name)
    profile = profiles.detect(list(raw.columns), profiles.load_all())
    assert profile is not None and profile.id == FORMS[path.parent.name], f"{path.name} detected as {profile}"
    return stage(raw, Context(profile, TODAY, KEY))


def comparable(fields: pd.DataFrame) -> pd.DataFrame:
    return fields.drop(columns="source_row").sort_values("record_key").reset_index(drop=True)


def clean_of(form: str) -> Path:
    (clean,) = (GOLDEN / form).glob("clean.*")
    return clean


def test_every_form_has_a_clean_file_and_quirks():
    for form in FORMS:
        assert len(list((GOLDEN / form).glob("*.*"))) >= 5
        assert clean_of(form).exists()


@pytest.mark.parametrize("form", FORMS)
def test_clean_file_stages_every_row(form):
    result = staged(clean_of(form))
    assert result.rejects.empty, result.rejects.to_dict("records")
    assert len(result.fields) == ROWS[form]
    assert result.unknown_headings == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_messy_file_stages_to_the_same_rows_as_clean(path):
    result = staged(path)
    expected = staged(clean_of(path.parent.name))

    assert result.rejects.empty, result.rejects[["source_row", "reason"]].to_dict("records")
    pd.testing.assert_frame_equal(comparable(result.fields), comparable(expected.fields))
    assert result.unknown_headings == UNKNOWN.get((path.parent.name, path.name), [])


def test_clean_action_tracker_values_are_canonical():
    fields = comparable(staged(clean_of("action-tracker")).fields).set_index("record_key")
    assert fields.loc["ACT-2", "description"] == "Agree £250 contact budget – review monthly"
    assert fields.loc["ACT-4", "description"] == "Record the child’s wishes\nin their own words"
    assert fields.loc["ACT-3", "audit_ref"] == "CA1-103"
    assert pd.isna(fields.loc["ACT-5", "audit_ref"])
    assert fields.loc["ACT-1", "raised_date"] == dt.date(2026, 7, 3)
    assert pd.isna(fields.loc["ACT-1", "completed_date"])
    assert list(fields["status"]) == ["Open", "Completed", "Open", "Completed", "Cancelled", "Open"]


def test_clean_case_audit_values_are_canonical():
    fields = comparable(staged(clean_of("case-audit")).fields).set_index("record_key")
    assert list(fields.index) == ["CA1-1", "CA1-2", "CA1-3", "CA1-4"]
    assert fields.loc["CA1-4", "completion_time"] == dt.datetime(2026, 7, 27, 19, 6, 23)
    assert fields.loc["CA1-1", "audit_date"] == dt.date(2026, 7, 14)
    assert list(fields["overall_grade"]) == ["Good", "Requires improvement", "Outstanding", "Good"]
    assert list(fields["case_type"]) == ["Child in care"] * 3 + ["Child protection"]
    assert fields.loc["CA1-2", "comment:development"] == "Plans drift; ask [email removed] for the minutes."
    assert fields["auditor"].str.startswith("S-").all() and fields["child"].str.startswith("C-").all()
    assert fields.loc["CA1-1", "auditor"] == fields.loc["CA1-3", "auditor"]


def test_golden_files_are_what_make_golden_writes(tmp_path):
    """Catches a hand-edited golden file, and a generator that is no longer deterministic."""
    for path in make_golden.write_all(tmp_path):
        committed = GOLDEN / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"re-run make_golden.py: {committed.name} differs"


def test_golden_files_stay_tiny():
    assert all(p.stat().st_size < 10_000 for p in FILES)


def test_numeric_child_id_gets_the_same_key_as_text():
    profile = next(p for p in profiles.load_all() if p.id == "case-audit-v1")
    raw = readers.read_export(io.BytesIO(clean_of("case-audit").read_bytes()), "clean.xlsx")
    as_numbers = raw.assign(**{"Child's Mosaic ID": raw["Child's Mosaic ID"].astype(float).astype(object)})
    text_keys = stage(raw, Context(profile, TODAY, KEY)).fields["child"]
    number_keys = stage(as_numbers, Context(profile, TODAY, KEY)).fields["child"]
    assert list(number_keys) == list(text_keys)
