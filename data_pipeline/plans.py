"""Saving an audit sampling plan: its header and its cases by keyed hashes, in a new warehouse snapshot.

Nothing in clear is written: no case ID, no name. The auditors' list with case IDs is built from the
``Draw`` in the session (``auditors_list``) and never stored.
"""

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from data_pipeline import settings, warehouse
from data_pipeline.caselist import CaseList
from data_pipeline.sampling import Draw, window_start

ADDED_TABLES = re.compile(r"CREATE TABLE IF NOT EXISTS .*?\);", re.S)
PLAN_CASES = ["case_key", "child_key", "worker_key", "team", "service_area", "case_type", "chosen"]


def save(draw: Draw, cases: CaseList, cycle: str, db: Path | None = None, now: dt.datetime | None = None) -> str:
    """Store the plan for ``cycle``; return its ID."""
    db = db or settings.path("QA_WAREHOUSE")
    now = now or dt.datetime.now()
    plan_id = f"PLAN-{now:%Y%m%d-%H%M%S}-{draw.seed}"
    planned = draw.planned[PLAN_CASES].rename(columns={"chosen": "reason"}).assign(plan_id=plan_id)
    workers = (
        draw.workers()
        .drop(columns=["worker", "covered"])
        .rename(columns={"eligible": "eligible_cases", "planned": "planned_cases"})
    )
    header = {
        "plan_id": plan_id, "cycle": cycle, "drawn_on": draw.drawn_on, "drawn_at": now, "seed": draw.seed,
        "criteria": draw.criteria.to_json(), "exclusion_from": window_start(draw.drawn_on, draw.criteria),
        "case_list_sha256": cases.sha256, "case_list_profile": cases.profile_id, "rows_read": cases.rows_read,
        "rows_rejected": len(cases.rejects), "open_cases": len(draw.cases),
        "eligible_cases": int(draw.cases["left_out"].isna().sum()), "planned_cases": len(planned),
    }  # fmt: skip
    with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT"))) as work:
        add_tables(work.con)
        _insert(work.con, "sample_plans", pd.DataFrame([header]))
        _insert(work.con, "planned_cases", planned)
        _insert(work.con, "plan_workers", workers.assign(plan_id=plan_id))
        work.changed = True
    return plan_id


def add_tables(con) -> None:
    """Create the plan tables in a warehouse made before them (schema.sql's IF NOT EXISTS statements)."""
    for statement in ADDED_TABLES.findall(warehouse.SCHEMA.read_text()):
        con.execute(statement)


def carry_over(con, old: Path) -> None:
    """Copy the plans of the warehouse at ``old`` into a fresh one (a rebuild starts from the raw exports, and
    a plan is no export: without this a rebuild would lose every plan)."""
    if not old.exists():
        return
    con.execute("ATTACH ? AS previous (READ_ONLY)", [str(old)])
    try:
        found = {t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'previous'").fetchall()}  # fmt: skip
        if "sample_plans" not in found:
            return
        add_tables(con)
        for table in ("sample_plans", "planned_cases", "plan_workers"):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM previous.{table}")  # noqa: S608 (our names)
    finally:
        con.execute("DETACH previous")


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    con.register("plan_rows", warehouse.typed(con, table, frame))
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM plan_rows")  # noqa: S608 (our table names, not data)
    con.unregister("plan_rows")


def auditors_list(draw: Draw) -> pd.DataFrame:
    """The planned cases with the council's case IDs, for the auditors: built in the session, never stored."""
    out = draw.planned[["case_id", "worker", "team", "service_area", "case_type", "start_date", "chosen"]]
    return out.rename(columns={"chosen": "why_chosen"}).sort_values(["service_area", "team", "worker", "case_id"])
