"""Marts: summary tables derived from the loaded tables, rebuilt in every snapshot an ingest publishes.

Each ``sql/marts/<table>.sql`` builds one table from scratch (``CREATE OR REPLACE``), so a mart can never
drift from the rows it summarises, and a warehouse written before a mart existed gains it at its next
ingest (or ``python -m data_pipeline marts``). Re-applying the themes changes no table a mart reads.
"""

from pathlib import Path

import duckdb

FOLDER = Path(__file__).parent / "sql" / "marts"
# escalated_audits states the escalation rule and audit_cube and the escalation_* marts read it, so it comes first.
MARTS = (
    "escalated_audits",
    "audit_cube",
    "practice_cube",
    "reaudit_audits",
    "filter_options",
    "voice_cube",
    "action_facts",
    "supervision_cube",
    "supervision_elements",
    "weak_area_actions",
    "escalation_actions",
    "escalation_followups",
)


def build(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build every mart from the tables on ``con``."""
    for name in MARTS:
        con.execute((FOLDER / f"{name}.sql").read_text())
