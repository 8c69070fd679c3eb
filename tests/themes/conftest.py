"""A small taxonomy and a hand-built warehouse whose every theme count is worked out by hand in the tests.

Notes (North has two cycles, South one), two audits with comments, and three children's comments:

| text | theme(s) |
|---|---|
| N1 Q1 North Barriers "High caseloads, and supervision gets cancelled." | Caseloads, Supervision |
| N2 Q1 North Working well "Supervision is reflective." | Supervision |
| N3 Q1 North Suggestions "Cap case loads; more training days." | Caseloads |
| N4 Q2 North Barriers "Case-loads are still high. Mosaic keeps crashing." | Caseloads |
| N5 Q2 North Barriers "Agency staff leave; teenagers need placements." | (none) |
| N6 Q2 South Working well "Voice of the child is clearer." | Voice |
| A1 (Q2 North N1) strengths "Child seen alone." / development "Caseload too high." | Voice / Caseloads |
| A2 (Q2 South S1) actions "Discuss in supervision." | Supervision |
| V1 (Q2 North N1) "My worker keeps changing."; V2 (Q2 North N2) ""; V3 (Q1 South S1) "Thank you" | none |
"""

import duckdb
import pytest

from data_pipeline import themes
from data_pipeline.warehouse import create_schema
from qa_read.db import Warehouse
from tests.read.sample import reader

Q1, Q2 = "2026/27 Q1", "2026/27 Q2"

TAXONOMY = """
[[theme]]
name = "Voice of the child"
description = "Hearing children."
phrases = ["voice of the child", "seen alone"]

[[theme]]
name = "Caseloads"
description = "Too much work."
phrases = ["case load", "high case load"]

[[theme]]
name = "Supervision"
description = "Supervision and reflection."
phrases = ["supervision", "reflective"]

[[theme]]
name = "Court"
description = "Never mentioned here."
phrases = ["court"]
"""

NOTES = [
    ("N1", Q1, "North", "Barriers", "High caseloads, and supervision gets cancelled."),
    ("N2", Q1, "North", "Working well", "Supervision is reflective."),
    ("N3", Q1, "North", "Suggestions", "Cap case loads; more training days."),
    ("N4", Q2, "North", "Barriers", "Case-loads are still high. Mosaic keeps crashing."),
    ("N5", Q2, "North", "Barriers", "Agency staff leave; teenagers need placements."),
    ("N6", Q2, "South", "Working well", "Voice of the child is clearer."),
]
AUDITS = [("A1", Q2, "North", "N1"), ("A2", Q2, "South", "S1")]
COMMENTS = [
    ("A1", "strengths", "Child seen alone."),
    ("A1", "development", "Caseload too high."),
    ("A2", "actions", "Discuss in supervision."),
]
VOICE = [
    ("V1", Q2, "North", "N1", "My worker keeps changing."),
    ("V2", Q2, "North", "N2", ""),
    ("V3", Q1, "South", "S1", "Thank you"),
]


@pytest.fixture(scope="session")
def taxonomy() -> themes.Taxonomy:
    return themes.parse(TAXONOMY, "test.toml")


def build(con: duckdb.DuckDBPyConnection, taxonomy: themes.Taxonomy, notes=NOTES) -> None:
    create_schema(con)
    con.executemany(
        "INSERT INTO focus_group_notes (note_id, cycle, service_area, category, text, source_file, source_row,"
        " content_hash) VALUES (?, ?, ?, ?, ?, 'notes.xlsx', 2, 'h')",
        notes,
    )
    con.executemany(
        "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, team,"
        " source_file, source_row, content_hash)"
        " VALUES (?, 'f', 'Collaborative case audit', 'Ofsted', ?, '2026-08-01', ?, ?, 'a.xlsx', 2, 'h')",
        AUDITS,
    )
    con.executemany("INSERT INTO audit_comments VALUES (?, ?, ?)", COMMENTS)
    con.executemany(
        "INSERT INTO child_voice (response_id, cycle, feedback_date, service_area, team, respondent, comment,"
        " source_file, source_row, content_hash) VALUES (?, ?, '2026-08-01', ?, ?, 'Child', ?, 'v.xlsx', 2, 'h')",
        VOICE,
    )
    con.execute(
        "INSERT INTO ingest_log VALUES (1, 'f.xlsx', 'sha', 'focus-group-v1', 1, 1, 1, 0, 0, 0, [],"
        " '2026-09-01 09:00', '2026-09-01 09:01', 'loaded', NULL, NULL, NULL)"
    )
    themes.reapply(con, taxonomy)


@pytest.fixture(scope="session")
def wh(taxonomy) -> Warehouse:
    """The hand-built warehouse, in memory. Tests only read it."""
    con = duckdb.connect(":memory:")
    build(con, taxonomy)
    return reader(con)
