"""The case list read for sampling: every row used or rejected with a reason, never ingested, the exclusion
window matched to audits through the keyed hash, and a saved plan holding no case ID."""

import datetime as dt
import json
import secrets
import shutil

import duckdb
import pandas as pd
import pytest

from data_pipeline import archive, caselist, ingest, keys, plans, sampling, settings
from qa_read import plans as plan_reads
from qa_read.db import Warehouse
from tests.conftest import REFERENCE_DIR, SAMPLE_DIR, SAMPLE_TODAY

CASE_LIST = SAMPLE_DIR / "case-list" / "open-cases.csv"
# Audit exports and the heading of their audit date and child, as their mapping profiles name them.
AUDIT_EXPORTS = {
    "case-audit-2024-form.xlsx": ("Date of audit (dd/mm/yyyy)", "Child's Mosaic ID"),
    "case-audit-2026-form.xlsx": ("When did the audit conversation take place?", "Child ID (Mosaic)"),
    "learning-episodes.xlsx": ("Date Learning Episode signed off", "Child's record number"),
}
HEADINGS = "Case ID,Child ID (Mosaic),Allocated worker,Team,Service area,Case type,Case start date,Neglect concern\r\n"


def key() -> bytes:
    """The tests' pseudonym key, made as a new warehouse would make it when no ingest has yet."""
    path = settings.path("QA_KEY_FILE")
    found = keys.read(keys.PSEUDONYM, path)
    if found is None:
        found = secrets.token_bytes(keys.KEY_BYTES)
        keys.write(path, found)
    return found


def read_text(text: str, name: str = "cases.csv") -> caselist.CaseList:
    return caselist.read((HEADINGS + text).encode(), name, key(), dt.date(2026, 12, 1))


def test_every_row_is_used_or_rejected_with_a_reason():
    listed = read_text(
        "CS1,101,Ann Lee,T1,North,CIN,01/02/2026,Yes\r\n"
        "CS2,102,,T1,North,CP,01/03/2026,No\r\n"  # no worker
        ",103,Ann Lee,T1,North,CP,01/03/2026,No\r\n"  # no case ID
        "CS4,104,Bo Ray,T2,,CIN,01/03/2026,No\r\n"  # no service area
        "CS5,105,Bo Ray,T2,South,Unicorn,01/03/2026,No\r\n"  # not a case type
        "CS6,106,Bo Ray,T2,South,LAC,31/02/2026,No\r\n"  # no such date
        "CS7,107,Bo Ray,T2,South,LAC,01/04/2026,No\r\n"
        "CS7,108,Bo Ray,T2,South,LAC,01/05/2026,No\r\n"  # CS7 again: the later row stands
    )
    assert listed.rows_read == 8
    assert sorted(listed.cases["case_id"]) == ["CS1", "CS7"]
    assert listed.cases.set_index("case_id").loc["CS7", "source_row"] == 9
    reasons = dict(zip(listed.rejects["source_row"], listed.rejects["reason"], strict=True))
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "Allocated worker is blank" in reasons[3] and "Case ID is blank" in reasons[4]
    assert "Service area is blank" in reasons[5] and "case type" in reasons[6] and "Case start date" in reasons[7]
    assert "superseded by row 9" in reasons[8]
    assert len(listed.cases) + len(listed.rejects) == listed.rows_read
    assert listed.cases.set_index("case_id").loc["CS1", ["case_type", "worker", "flag:Neglect"]].tolist() == [
        "Child in need", "Ann Lee", "Yes"]  # fmt: skip


def test_cases_outside_the_readers_scope_are_rejected_saying_so():
    listed = read_text("CS1,101,Ann Lee,T1,North,CIN,01/02/2026,No\r\nCS2,102,Bo Ray,T2,South,CIN,01/02/2026,No\r\n")
    mine = caselist.limit_to(listed, ("North",), None)
    assert mine.cases["case_id"].tolist() == ["CS1"]
    assert mine.rejects.to_dict("records") == [{"source_row": 3, "reason": "service area South is outside your scope"}]


def test_a_file_that_is_not_a_case_list_is_refused_in_one_line():
    with pytest.raises(caselist.CaseListError, match="not a case list's"):
        caselist.read(b"Name,Team\r\nAnn,T1\r\n", "roster.csv", key(), dt.date(2026, 12, 1))


def test_ingest_refuses_a_case_list_and_archives_nothing(tmp_path):
    db = tmp_path / "qa.duckdb"
    [result] = ingest.ingest([(CASE_LIST.name, CASE_LIST.read_bytes())], db)
    assert "Audit sampling page" in result.error
    assert not archive.folder(db).exists() and not db.exists()


def hand_recent(since: dt.date) -> set[str]:
    """Children with an audit dated from ``since`` to the sample's today, read from the audit exports by hand,
    leaving out the rows the manifest lists as deliberately bad (the pipeline rejects them)."""
    manifest = json.loads((SAMPLE_DIR / "MANIFEST.json").read_text())
    found = set()
    for name, (date_heading, child_heading) in AUDIT_EXPORTS.items():
        frame = pd.read_excel(SAMPLE_DIR / name, engine="calamine", dtype=str).fillna("")
        bad = {i for ids in manifest["files"][name]["bad_ids"].values() for i in ids}
        frame = frame[~frame["ID"].astype(float).astype(int).isin(bad)]
        # Excel date cells come as ISO text; read with dayfirst, 2026-08-11 would be 8 November.
        text = frame[date_heading].str.slice(0, 10)
        day = pd.to_datetime(text, format="ISO8601", errors="coerce")
        day = day.fillna(pd.to_datetime(text, format="%d/%m/%Y", errors="coerce"))
        within = (day.dt.date >= since) & (day.dt.date <= SAMPLE_TODAY) & frame[child_heading].ne("")
        found |= set(frame.loc[within, child_heading].str.replace(r"\.0$", "", regex=True))
    return found


def test_the_exclusion_window_finds_recently_audited_children_through_the_keyed_hash(sample_warehouse):
    listed = caselist.read(CASE_LIST.read_bytes(), CASE_LIST.name, key(), SAMPLE_TODAY)
    raw = pd.read_csv(CASE_LIST, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw.drop_duplicates("Case ID", keep="last").set_index("Case ID")  # the later row of a case stands
    criteria = sampling.Criteria(per_stratum=30, per_worker=2, exclude_months=4)
    since = sampling.window_start(SAMPLE_TODAY, criteria)
    recent = plan_reads.recently_audited(Warehouse(sample_warehouse), since, SAMPLE_TODAY)
    result = sampling.draw(listed.cases, criteria, 5, recent, SAMPLE_TODAY)
    children = result.cases["case_id"].map(raw["Child ID (Mosaic)"])
    expected = children.isin(hand_recent(since))
    assert expected.sum() > 10, "the sample should hold open cases of recently audited children"
    assert (result.cases["left_out"] == sampling.RECENT).tolist() == expected.tolist()
    assert not result.planned["case_id"].map(raw["Child ID (Mosaic)"]).isin(hand_recent(since)).any()


def test_a_saved_plan_holds_keys_only(sample_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    listed = caselist.read(CASE_LIST.read_bytes(), CASE_LIST.name, key(), SAMPLE_TODAY)
    result = sampling.draw(listed.cases, sampling.Criteria(per_stratum=50, per_worker=1), 11, set(), SAMPLE_TODAY)
    plan_id = plans.save(result, listed, "2026/27 Q3", db)
    raw = pd.read_csv(CASE_LIST, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    clear = sorted(v for v in {*raw["Case ID"], *raw["Allocated worker"], *raw["Child ID (Mosaic)"]} if v)
    con = duckdb.connect(str(db), read_only=True)
    try:
        header = con.execute("SELECT seed, rows_read, rows_rejected, open_cases, planned_cases FROM sample_plans"
                             " WHERE plan_id = ?", [plan_id]).fetchone()  # fmt: skip
        stored = con.execute("SELECT count(*) FROM planned_cases WHERE plan_id = ?", [plan_id]).fetchone()[0]
        # Every text value of every table, compared with every case ID, worker name and child ID in the list.
        columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR'"
                              " AND database_name = current_database()").fetchall()  # fmt: skip
        found = [
            (table, column)
            for table, column in columns
            if con.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" IN (SELECT unnest(?))', [clear]
            ).fetchone()[0]
        ]
    finally:
        con.close()
    assert header == (11, listed.rows_read, len(listed.rejects), len(listed.cases), len(result.planned))
    assert stored == len(result.planned)
    assert found == []
    data = db.read_bytes()
    assert plan_id.encode() in data, "the byte search should see text the plan stored"
    # A value that also stands in the published reference files is public text, not a leak: the sample's child
    # ID 10000011 is inside the ONS code E10000011.
    published = b"".join(path.read_bytes() for path in REFERENCE_DIR.iterdir())
    assert [v for v in clear if len(v) > 7 and v.encode() in data and v.encode() not in published] == []


def test_a_rebuild_from_the_raw_exports_keeps_the_plans(sample_warehouse, tmp_path):
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    shutil.copytree(archive.folder(sample_warehouse), archive.folder(db))
    listed = caselist.read(CASE_LIST.read_bytes(), CASE_LIST.name, key(), SAMPLE_TODAY)
    result = sampling.draw(listed.cases, sampling.Criteria(), 3, set(), SAMPLE_TODAY)
    plan_id = plans.save(result, listed, "2026/27 Q3", db)
    ingest.rebuild(db, today=SAMPLE_TODAY)
    con = duckdb.connect(str(db), read_only=True)
    try:
        kept = [con.execute(f"SELECT count(*) FROM {t} WHERE plan_id = ?", [plan_id]).fetchone()[0]
                for t in ("sample_plans", "planned_cases", "plan_workers")]  # fmt: skip
    finally:
        con.close()
    assert kept == [1, len(result.planned), len(result.workers())]
