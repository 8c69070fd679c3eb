"""A team roster CSV loads into team_roster with keys, not names, and its keys match the audits' workers."""

import datetime as dt

import duckdb
import pytest

from data_pipeline import ingest
from tests.pipeline.exports import audit_row, xlsx

TODAY = dt.date(2026, 11, 23)
HEADINGS = "Name,Team,Service area,Role,As at date"


def roster(*rows: str) -> bytes:
    """A roster saved from Excel as UTF-8 CSV with a byte-order mark."""
    return ("\r\n".join([HEADINGS, *rows]) + "\r\n").encode("utf-8-sig")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "qa.duckdb"


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_roster_loads_with_keys_not_names(db):
    content = roster(
        "Sam Practitioner,Early Help North,Early Help,Practitioner,01/04/2026",
        "Alex Manager,Early Help North,Early Help,Team manager,01/04/2026",
        "Sam Practitioner,Early Help North,Early Help,Practitioner,01/10/2026",
    )
    [result] = ingest.ingest([("team-roster.csv", content)], db, today=TODAY)
    assert (result.error, result.kind, result.rows_read, result.rows_new, result.rows_rejected) == (
        None,
        "team-roster-v1",
        3,
        3,
        0,
    )
    loaded = rows(
        db, "SELECT roster_id, person_key, as_at, team, service_area, role FROM team_roster ORDER BY roster_id"
    )
    assert len(loaded) == 3
    for roster_id, person, as_at, team, area, _ in loaded:
        assert person.startswith("S-") and roster_id == f"ROS-{person} {as_at}"
        assert (team, area) == ("Early Help North", "Early Help")
    assert {as_at for _, _, as_at, *_ in loaded} == {dt.date(2026, 4, 1), dt.date(2026, 10, 1)}
    stored = " ".join(str(v) for row in loaded for v in row).lower()
    assert "sam" not in stored and "alex" not in stored


def test_roster_keys_match_the_audits_worker_keys(db):
    ingest.ingest([("audits.xlsx", xlsx([audit_row(1, **{"Worker's name": "Sam Practitioner"})]))], db, today=TODAY)
    ingest.ingest(
        [("team-roster.csv", roster("  sam  PRACTITIONER ,Early Help North,Early Help,Practitioner,01/04/2026"))],
        db,
        today=TODAY,
    )
    [(worker,)] = rows(db, "SELECT worker_key FROM audits")
    [(person,)] = rows(db, "SELECT person_key FROM team_roster")
    assert worker == person


def test_bad_roster_rows_are_rejected_with_reasons_and_no_names(db):
    content = roster(
        ",Early Help North,Early Help,Practitioner,01/04/2026",
        "Jo Bloggs,,Early Help,Practitioner,01/04/2026",
        "Jo Bloggs,Early Help North,Early Help,Practitioner,01/04/2030",
        "Kim Lee,Early Help North,Early Help,Practitioner,01/04/2026",
        "Kim Lee,Early Help South,Early Help,Practitioner,01/04/2026",
    )
    [result] = ingest.ingest([("roster.csv", content)], db, today=TODAY)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 1, 4)
    reasons = [r for (r,) in rows(db, "SELECT reason FROM rejected_rows ORDER BY source_row")]
    assert reasons[0] == "Name is blank"
    assert reasons[1] == "Team is blank"
    assert "in the future" in reasons[2]
    assert reasons[3] == "superseded by row 6 of the same file"
    assert rows(db, "SELECT team FROM team_roster") == [("Early Help South",)]
    raw = " ".join(v for (v,) in rows(db, "SELECT raw_values FROM rejected_rows")).lower()
    assert "jo bloggs" not in raw and "kim lee" not in raw


def test_loading_the_same_roster_again_changes_nothing(db):
    content = roster("Sam Practitioner,Early Help North,Early Help,Practitioner,01/04/2026")
    ingest.ingest([("roster.csv", content)], db, today=TODAY)
    [again] = ingest.ingest([("roster.csv", content)], db, today=TODAY)
    assert (again.rows_new, again.rows_unchanged) == (0, 1)
    moved = roster("Sam Practitioner,Early Help South,Early Help,Practitioner,01/04/2026")
    [moved_result] = ingest.ingest([("roster-fixed.csv", moved)], db, today=TODAY)
    assert moved_result.rows_updated == 1
    assert rows(db, "SELECT team FROM team_roster") == [("Early Help South",)]
