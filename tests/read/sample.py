"""A small hand-built warehouse whose every answer is worked out by hand in the tests.

Cycles: 2024/25 Q4 (one audit), 2025/26 Q1 (previous), 2025/26 Q2 (latest). Teams N1 and N2 in North,
S1 in South. ``TODAY`` is fixed so overdue logic is deterministic.
"""

import datetime as dt
from pathlib import Path

import duckdb

from data_pipeline import marts
from qa_read.db import Warehouse

SCHEMA = Path(__file__).resolve().parents[2] / "data_pipeline" / "sql" / "schema.sql"
TODAY = dt.date(2025, 9, 15)
Q4, Q1, Q2 = "2024/25 Q4", "2025/26 Q1", "2025/26 Q2"
RI = "Requires improvement"
CP, CIN, CIC, EH, CL = "Child protection", "Child in need", "Child in care", "Early Help", "Care leaver"
CCA, LE = "Collaborative case audit", "Learning Episode"

# audit_id, cycle, audit_date, service_area, team, case_type,
# overall grade, child_safe, worker_agrees (Yes, Partly, No), moderated grade, oversight_date
OFSTED_AUDITS = [
    ("A01", Q2, "2025-07-03", "North", "N1", CP, "Outstanding", True, "Yes", None, None),
    ("A02", Q2, "2025-07-10", "North", "N1", CP, "Good", True, "Yes", "Good", None),
    ("A03", Q2, "2025-07-17", "North", "N1", CIN, "Good", True, "No", RI, None),
    ("A04", Q2, "2025-07-24", "North", "N1", CIN, RI, True, None, "Good", None),
    ("A05", Q2, "2025-08-01", "North", "N2", CIC, "Good", True, "Yes", "Good", None),
    ("A06", Q2, "2025-08-01", "North", "N2", CIC, "Inadequate", False, "No", "Inadequate", "2025-08-10"),
    ("A07", Q2, "2025-08-15", "North", "N2", EH, RI, False, "Partly", None, None),
    ("A08", Q2, "2025-09-01", "South", "S1", CP, "Good", True, "Yes", "Outstanding", None),
    ("A09", Q2, "2025-09-02", "South", "S1", CP, "Inadequate", True, None, RI, None),
    ("A10", Q2, "2025-09-03", "South", None, CL, None, None, None, None, None),
    ("B01", Q1, "2025-04-10", "North", "N1", CP, "Good", True, "Yes", None, None),
    ("B02", Q1, "2025-04-20", "North", "N1", CIN, RI, True, "No", None, None),
    ("B03", Q1, "2025-05-06", "North", "N2", CIC, "Inadequate", True, None, None, "2025-05-20"),
    ("B04", Q1, "2025-05-15", "South", "S1", CP, "Good", True, "Yes", None, None),
    ("B05", Q1, "2025-06-01", "South", "S1", EH, "Outstanding", True, "Yes", None, None),
    ("C01", Q4, "2025-02-01", "South", "S1", CP, "Good", True, "Yes", None, None),
]
ASSURANCE_AUDITS = [
    ("L01", Q2, "2025-07-05", "North", "N1", CIN, "High", None, None, "High", None),
    ("L02", Q2, "2025-08-05", "North", "N2", CIC, "Medium", None, None, "Low", None),
    ("L03", Q2, "2025-09-05", "South", "S1", CP, "Low", None, None, "Medium", None),
    ("L04", Q1, "2025-05-05", "North", "N1", CIN, "High", None, None, None, None),
]
AUDIT_GRADES = [
    ("A01", "Voice of the child", "Outstanding"),
    ("A01", "Recording", "Good"),
    ("A02", "Voice of the child", "Good"),
    ("A02", "Recording", RI),
    ("A03", "Voice of the child", RI),
    ("A05", "Voice of the child", "Good"),
    ("A05", "Recording", "Inadequate"),
    ("A06", "Voice of the child", "Inadequate"),
    ("A08", "Voice of the child", "Good"),
    ("A10", "Voice of the child", "Good"),
    ("B01", "Voice of the child", "Good"),
    ("L01", "Voice of the child", "High"),
    ("L02", "Voice of the child", "Low"),
]
# action_id, audit_id, service_area, team, raised, due, completed, status
ACTIONS = [
    ("X1", "A01", "North", "N1", "2025-05-01", "2025-06-01", None, "Open"),
    ("X2", "A02", "North", "N1", "2025-07-01", "2025-09-30", None, "Open"),
    ("X3", None, "North", "N2", "2025-05-01", "2025-06-15", "2025-07-01", "Completed"),
    ("X4", None, "North", "N2", "2025-08-01", "2025-09-01", None, "Cancelled"),
    ("X5", None, "South", "S1", "2025-04-10", "2025-09-14", None, "Open"),
    ("X6", None, "South", "S1", "2025-08-01", "2025-09-15", None, "Open"),
    ("X7", None, "South", "S1", "2025-06-01", None, None, "Open"),
]
# review_id, cycle, review_date, service_area, team, sessions_expected, sessions_held
SUPERVISION = [
    ("S01", Q2, "2025-07-10", "North", "N1", 4, 3),
    ("S02", Q2, "2025-07-11", "North", "N1", 4, 4),
    ("S03", Q2, "2025-08-11", "North", "N2", 6, 3),
    ("S04", Q2, "2025-09-11", "South", "S1", 2, 2),
    ("S05", Q2, "2025-09-12", "South", "S1", None, 1),
    ("S06", Q1, "2025-04-11", "North", "N1", 4, 4),
    ("S07", Q1, "2025-05-11", "South", "S1", 4, 2),
]
# response_id, audit_id, cycle, feedback_date, service_area, team
CHILD_VOICE = [
    ("V1", "A01", Q2, "2025-07-20", "North", "N1"),
    ("V2", "A01", Q2, "2025-07-21", "North", "N1"),
    ("V3", "A05", Q2, "2025-08-20", "North", "N2"),
    ("V4", "B01", Q1, "2025-04-20", "North", "N1"),
    ("V5", None, Q2, "2025-08-21", "South", "S1"),
    ("V6", "L01", Q2, "2025-07-22", "North", "N1"),
]
PLD_EVENTS = [("P1", "North", Q2, "2025-09-10"), ("P2", "East", "2025/26 Q3", None)]


def _audit_rows(rows, instrument, scale):
    for i, (aid, cycle, date, area, team, case, overall, safe, agrees, moderated, oversight) in enumerate(rows):
        yield (
            aid, "form", instrument, scale, cycle, date, area, team, case, f"W{aid}", f"Q{aid}", f"C{aid}",
            overall, safe, agrees, moderated, oversight, None, None, "audits.xlsx", i + 2, f"h{aid}",
        )  # fmt: skip


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA.read_text())


def load(con: duckdb.DuckDBPyConnection, audit_ids: set[str] | None = None) -> None:
    """Insert the sample rows; ``audit_ids`` limits the audits (and their grades) to a subset."""
    audits = [
        *_audit_rows(OFSTED_AUDITS, CCA, "Ofsted"),
        *_audit_rows(ASSURANCE_AUDITS, LE, "Assurance"),
    ]
    audits = [r for r in audits if audit_ids is None or r[0] in audit_ids]
    con.executemany(f"INSERT INTO audits VALUES ({', '.join('?' * 22)})", audits)
    grades = [g for g in AUDIT_GRADES if audit_ids is None or g[0] in audit_ids]
    con.executemany("INSERT INTO audit_grades VALUES (?, ?, ?)", grades)
    con.executemany(
        "INSERT INTO actions VALUES (?, ?, ?, ?, 'Team manager', 'do it', ?, ?, ?, ?, 'actions.xlsx', 2, 'h')",
        ACTIONS,
    )
    con.executemany(
        "INSERT INTO supervision_reviews (review_id, cycle, review_date, service_area, team,"
        " sessions_expected, sessions_held, strengths, development, wellbeing, reflection, training_needs,"
        " source_file, source_row, content_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, true, true, true, true, true, 'sup.xlsx', 2, 'h')",
        SUPERVISION,
    )
    con.executemany(
        "INSERT INTO child_voice (response_id, audit_id, cycle, feedback_date, service_area, team,"
        " respondent, source_file, source_row, content_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, 'Child', 'voice.xlsx', 2, 'h')",
        CHILD_VOICE,
    )
    con.executemany(
        "INSERT INTO pld_events (pld_id, service_area, cycle, held_date, source_file, source_row,"
        " content_hash) VALUES (?, ?, ?, ?, 'pld.xlsx', 2, 'h')",
        PLD_EVENTS,
    )
    con.execute(
        "INSERT INTO focus_group_notes (note_id, cycle, service_area, category, text, source_file,"
        " source_row, content_hash) VALUES ('F1', ?, 'North', 'Barriers', 'Caseloads', 'notes.xlsx', 2, 'h')",
        [Q2],
    )
    con.executemany(
        "INSERT INTO ingest_log VALUES (?, 'f.xlsx', 'sha', 'audit', 1, 1, 1, 0, 0, 0, [], ?, ?, 'ok',"
        " NULL, NULL, NULL)",
        [(1, "2025-09-14 09:00", "2025-09-14 10:00"), (2, "2025-09-15 08:00", "2025-09-15 08:30")],
    )


def reader(con: duckdb.DuckDBPyConnection) -> Warehouse:
    """A reader of the tables written on ``con``, with the marts built from them as an ingest would."""
    marts.build(con)
    return Warehouse.in_memory(con)


def build_file(path: Path, audit_ids: set[str] | None = None) -> None:
    con = duckdb.connect(str(path))
    create_schema(con)
    load(con, audit_ids)
    marts.build(con)
    con.close()
