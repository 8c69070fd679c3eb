"""Every row read is either loaded or rejected with a reason, never lost: in staging, and through ingest into DuckDB."""

import csv
import datetime as dt
import io
import math
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data_pipeline import ingest, profiles, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.readers import read_export
from data_pipeline.stage import Context, stage

TODAY = dt.date(2026, 8, 1)
KEY = bytes(range(32))
PROFILES = {p.id: p for p in profiles.load_all()}
D, T = dt.date, dt.datetime


def spellings(table: dict, canonical=()) -> list[str]:
    return sorted({*table, *map(str, canonical)})


VALID = {
    "key": ["1", "2", "3", " 3 ", 4.0, "A-7"],  # a small pool, so IDs repeat
    "case_id": ["CS1", "CS2", " CS2 ", 100201.0],  # a case list's case IDs: repeat too
    "date": ["03/07/2026", "3/7/26", "2026-07-03", "01/08/2026", D(2026, 5, 1), T(2026, 6, 1, 9, 30)],
    "any_date": ["03/07/2026", "31/03/2027", D(2027, 1, 31)],
    "label": ["Children in care", "  Children  in care ", "Child protection", "Team A"],
    "text": ["Warm recording.", "Ask jo.bloggs@example.gov.uk", "£20 – the child’s view", "line one\nline two"],
    "timestamp": ["7/27/26 19:06:23", "7/3/26 9:00:00", "2026-07-01T10:00:00", T(2026, 7, 1, 10)],
    "cycle": ["Q2 2025/26", "2026/27 Q1", "2025-26 q4"],
    "count": ["0", "3", " 12 ", 4.0],
    "staff": ["Sam Worker", "sam.worker@example.gov.uk", "Anonymous", "SAM  WORKER"],
    "child": ["100201", "100202", "M-100203"],
    "audit_ref": ["CA1-101", "101", 102.0],
    "elements": ["Strengths;Wellbeing;", "Reflective discussion;", "Training needs;Strengths"],
    "case_type": spellings(vocab.CASE_TYPE_SYNONYMS, vocab.CASE_TYPES),
    "yes_no": spellings(vocab.YES_NO_SYNONYMS, ("Yes", "No")),
    "agrees": spellings(vocab.ANSWER_SYNONYMS, vocab.ANSWERS),
    "respondent": spellings(vocab.RESPONDENT_SYNONYMS, vocab.RESPONDENTS),
    "category": spellings(vocab.CATEGORY_SYNONYMS, vocab.NOTE_CATEGORIES),
    "status": spellings(vocab.STATUS_SYNONYMS, vocab.ACTION_STATUSES),
    "owner_role": spellings(vocab.OWNER_ROLE_SYNONYMS, vocab.OWNER_ROLES),
    "relationship": spellings(vocab.RELATIONSHIP_SYNONYMS, vocab.RELATIONSHIPS),
    "agreement": spellings(vocab.LIKERT_SYNONYMS),
    "ofsted": spellings(vocab.GRADE_SYNONYMS["ofsted"], vocab.OFSTED),
    "assurance": spellings(vocab.GRADE_SYNONYMS["assurance"], vocab.ASSURANCE),
}
MESSY = [str, str.upper, str.title, lambda s: f"  {s} ", lambda s: s.replace(" ", "  ")]
BLANK = [None, "", "   ", float("nan")]
ALPHABET = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "Sc"))


def _not_nan_or_inf(text: str) -> bool:
    # count() crashes on these (see test_normalise.py::test_count_never_raises); keep that bug out of this test
    try:
        return math.isfinite(float(text))
    except ValueError:
        return True


GARBAGE = st.one_of(
    st.text(ALPHABET, max_size=12).filter(_not_nan_or_inf),
    # No garbage shows a day/month order (a part over 12): a column whose values show both is refused whole.
    st.sampled_from(["00/12/2026", "02/08/2026", "01/01/1999", "Good-ish", "2025/27 Q1", "maybe", "-1", "1.5"]),
    st.integers(-5, 2000),
)


def columns(profile) -> list[tuple[str, str, bool]]:
    """(heading, normaliser, required) for every heading the profile knows."""
    specs = FIELDS[profile.kind]
    grade = profile.scale or "ofsted"
    out = []
    for name, heading in profile.columns.items():
        normaliser = specs[name].normaliser
        normaliser = grade if normaliser == "grade" else "ofsted" if normaliser == "ofsted_grade" else normaliser
        out.append((heading, normaliser, specs[name].required))
    out += [(heading, grade, False) for heading in profile.practice_areas.values()]
    out += [(heading, "label", False) for heading in profile.flags.values()]
    out += [(heading, "text", False) for heading in [*profile.comments.values(), *profile.ignore]]
    return out


def _valid(normaliser: str) -> st.SearchStrategy:
    pool = st.sampled_from(VALID[normaliser])
    return st.tuples(pool, st.sampled_from(MESSY)).map(lambda p: p[1](p[0]) if isinstance(p[0], str) else p[0])


# Built once: making strategies inside the composite, per cell, is what makes hypothesis slow.
BLANKS = st.sampled_from(BLANK)
CELLS = {
    "clean-required": {name: _valid(name) for name in VALID},
    "clean": {name: st.one_of(_valid(name), BLANKS) for name in VALID},
    "messy": {name: st.one_of(_valid(name), BLANKS, GARBAGE) for name in VALID},
}


@st.composite
def raw_frames(draw, profile, max_rows: int = 10, end_with_data: bool = False) -> pd.DataFrame:
    """A frame as a reader gives it: clean rows, messy rows, fully blank rows, repeated IDs."""
    spec = columns(profile)
    rows = []
    count = draw(st.integers(1, max_rows))
    for number in range(count):
        last = end_with_data and number == count - 1  # a CSV reader drops trailing blank rows, by design
        kind = "clean" if last else draw(st.sampled_from(["clean", "clean", "messy", "blank"]))
        if kind == "blank":
            rows.append([draw(BLANKS) for _ in spec])
            continue
        chosen = CELLS[kind]
        required = CELLS["clean-required"] if kind == "clean" else chosen
        rows.append([draw(required[name] if needed else chosen[name]) for _, name, needed in spec])
    order = draw(st.permutations(range(len(spec))))
    return pd.DataFrame([[r[i] for i in order] for r in rows], columns=[spec[i][0] for i in order], dtype=object)


def check_staged(raw: pd.DataFrame, profile) -> None:
    staged = stage(raw, Context(profile, TODAY, KEY))
    fields, rejects = staged.fields, staged.rejects

    assert len(fields) + len(rejects) == len(raw)
    assert sorted([*fields["source_row"], *rejects["source_row"]]) == list(range(2, len(raw) + 2))
    assert rejects["reason"].map(lambda r: isinstance(r, str) and bool(r.strip())).all()
    assert rejects["record_key"].map(lambda k: isinstance(k, str) and bool(k)).all()
    assert fields["record_key"].notna().all()
    assert not fields["record_key"].duplicated().any()

    for name, spec in FIELDS[profile.kind].items():
        if spec.required:
            assert fields[name].notna().all(), f"a loaded row has no {name}"
    blank_rows = {i + 2 for i, row in raw.iterrows() if all(_blank(c) for c in row)}
    by_row = dict(zip(rejects["source_row"], rejects["reason"], strict=True))
    assert all(by_row.get(r) == "the row is blank" for r in blank_rows)
    loaded = dict(zip(fields["source_row"], fields["record_key"], strict=True))
    for key, reason in zip(rejects["record_key"], rejects["reason"], strict=True):
        if reason.startswith("superseded by row "):
            assert loaded[int(reason.split()[3])] == key  # the row that won is loaded, under the same key


def _blank(cell) -> bool:
    return (
        cell is None or (isinstance(cell, float) and math.isnan(cell)) or (isinstance(cell, str) and not cell.strip())
    )


# case-audit-v2 is left out: it differs from v1 only in headings. 10 examples x 7 profiles keeps this near 3 s.
@pytest.mark.parametrize("profile_id", sorted(set(PROFILES) - {"case-audit-v2"}))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_stage_loads_or_rejects_every_row(profile_id, data):
    profile = PROFILES[profile_id]
    check_staged(data.draw(raw_frames(profile)), profile)


def test_stage_accounts_for_duplicates_and_blank_rows():
    """A fixed example of what the property checks, readable without hypothesis."""
    profile = PROFILES["action-tracker-v1"]
    good = {"Action ref": "1", "Service area": "Children in care", "Date raised": "03/07/2026"}
    raw = pd.DataFrame(
        [good, {**good, "Action ref": "2"}, {}, good, {**good, "Date raised": "31/02/2026"}, {"Action ref": "3"}],
        columns=list(profile.columns.values()),
        dtype=object,
    )
    staged = stage(raw, Context(profile, TODAY, KEY))
    assert sorted(staged.fields["source_row"]) == [3, 5]
    reasons = dict(zip(staged.rejects["source_row"], staged.rejects["reason"], strict=True))
    assert reasons[2] == "superseded by row 5 of the same file"
    assert reasons[4] == "the row is blank"
    assert "not a real date" in reasons[6]
    assert "Service area is blank" in reasons[7] and "Date raised is blank" in reasons[7]


# --- end to end through ingest --------------------------------------------------------------------

AUDIT = PROFILES["case-audit-v1"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """Hypothesis runs many examples per test call, so each example makes its own folder under this one."""
    base = tmp_path_factory.mktemp("no-row-lost")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QA_KEY_FILE", str(base / "pseudonym.key"))
        mp.setenv("QA_LOCK_TIMEOUT", "5")
        yield base


def to_csv(raw: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(raw.columns)
    writer.writerows([["" if _blank(c) else c for c in row] for row in raw.itertuples(index=False)])
    return out.getvalue().encode()


def ingest_one(raw: pd.DataFrame, base: Path):
    """Ingest the frame as a CSV into a new warehouse; return what ingest said and what the tables hold."""
    data = to_csv(raw)
    with tempfile.TemporaryDirectory(dir=base) as folder:
        db = Path(folder) / "qa.duckdb"
        (result,) = ingest.ingest([("audits.csv", data)], db=db, today=TODAY)
        assert result.error is None, result.error
        con = duckdb.connect(str(db), read_only=True)
        try:
            log = con.execute(
                "SELECT rows_read, rows_loaded, rows_new, rows_rejected FROM ingest_log WHERE file_name = ?",
                ["audits.csv"],
            ).fetchall()
            loaded = [
                r for (r,) in con.execute("SELECT source_row FROM audits WHERE source_file = 'audits.csv'").fetchall()
            ]
            rejected = con.execute(
                "SELECT source_row, reason FROM rejected_rows WHERE source_file = 'audits.csv'"
            ).fetchall()
        finally:
            con.close()
    return data, log, loaded, rejected


# Each ingest builds a warehouse file (about half a second), hence few examples.
E2E = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@E2E
@given(raw=raw_frames(AUDIT, max_rows=8, end_with_data=True))
def test_ingest_log_adds_up(workdir, raw):
    data, log, loaded, rejected = ingest_one(raw, workdir)

    rows_read = len(read_export(io.BytesIO(data), "audits.csv"))
    assert log == [(rows_read, len(loaded), len(loaded), rows_read - len(loaded))]
    assert rows_read == len(raw)
    assert len(set(loaded)) == len(loaded) and set(loaded) <= set(range(2, rows_read + 2))
    assert all(reason.strip() for _, reason in rejected)
    assert not {row for row, _ in rejected} & set(loaded)


DUPLICATE_REJECTS = pd.DataFrame(
    [
        {"ID": "7", "Date of audit (dd/mm/yyyy)": "31/02/2026", "Service area": "Children in care"},
        {"ID": "7", "Date of audit (dd/mm/yyyy)": "30/02/2026", "Service area": "Children in care"},
        {"ID": "8", "Date of audit (dd/mm/yyyy)": "03/07/2026", "Service area": "Children in care"},
    ],
    columns=[h for h, _, _ in columns(AUDIT)],
    dtype=object,
)


@E2E
@given(raw=raw_frames(AUDIT, max_rows=8, end_with_data=True))
@example(raw=DUPLICATE_REJECTS)
def test_audits_and_rejected_rows_hold_every_row(workdir, raw):
    _, log, loaded, rejected = ingest_one(raw, workdir)
    ((rows_read, *_),) = log
    assert sorted([*loaded, *(row for row, _ in rejected)]) == list(range(2, rows_read + 2))
