"""Audit sampling plans read back: the plans drawn, and each plan's cases planned against audits done.

A case is done when its child has an audit in the plan's cycle; a worker is audited when they have any audit
in that cycle. Plans hold keys only (``data_pipeline.plans``), so these lists show worker keys, never names.
"""

import datetime as dt

import pandas as pd

from qa_read.db import Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.grades import with_interval

PLAN_WORKERS = {"service_area": "w.service_area", "team": "w.team"}
PLANNED_CASES = {"service_area": "p.service_area", "team": "p.team"}

HAS_PLANS = "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'sample_plans'"
PLANS = """
    SELECT plan_id, cycle, drawn_on, seed, criteria, exclusion_from, open_cases, eligible_cases, planned_cases
    FROM sample_plans ORDER BY drawn_at DESC
"""
PLANNED_KEYS = "SELECT p.case_key FROM planned_cases p WHERE p.plan_id = ? AND {where}"
RECENT_CHILDREN = "SELECT DISTINCT child_key FROM audits WHERE child_key IS NOT NULL AND audit_date BETWEEN ? AND ?"
BY_WORKER = """
    WITH plan AS (
        SELECT plan_id, cycle FROM sample_plans WHERE plan_id = ?
    ), scoped AS (
        SELECT w.* FROM plan_workers w JOIN plan USING (plan_id) WHERE {where}
    ), audited AS (
        SELECT a.worker_key, count(*) AS audits_in_cycle
        FROM audits a JOIN plan ON a.cycle = plan.cycle
        WHERE a.worker_key IN (SELECT worker_key FROM scoped) GROUP BY ALL
    ), done AS (
        SELECT p.worker_key, count(*) AS planned_done
        FROM planned_cases p JOIN plan USING (plan_id)
        WHERE EXISTS (SELECT 1 FROM audits a WHERE a.child_key = p.child_key AND a.cycle = plan.cycle)
        GROUP BY ALL
    ), final AS (
        SELECT s.service_area, s.team, s.worker_key, s.open_cases, s.eligible_cases, s.planned_cases,
               coalesce(d.planned_done, 0) AS planned_done, coalesce(a.audits_in_cycle, 0) AS audits_in_cycle
        FROM scoped s LEFT JOIN done d USING (worker_key) LEFT JOIN audited a USING (worker_key)
    )
    SELECT * FROM final ORDER BY service_area, team, worker_key
"""


def has_plans(wh: Warehouse) -> bool:
    """Whether the warehouse has the plan tables (a warehouse made before them has none until a plan is saved)."""
    return bool(wh.query(HAS_PLANS)["n"].iloc[0])


def plans(wh: Warehouse) -> pd.DataFrame:
    """Every plan's header, newest first; empty when none has been saved."""
    return wh.query(PLANS) if has_plans(wh) else pd.DataFrame(columns=PLANS_COLUMNS)


PLANS_COLUMNS = ["plan_id", "cycle", "drawn_on", "seed", "criteria", "exclusion_from", "open_cases",
                 "eligible_cases", "planned_cases"]  # fmt: skip


def recently_audited(wh: Warehouse, since: dt.date, until: dt.date) -> frozenset[str]:
    """Keys of children with an audit from ``since`` to ``until`` (the draw's day: a plan repeated later is not
    changed by the audits it led to), in every service area: a child audited by another area is still recently
    audited. Keys only, compared in memory, never shown."""
    keys = wh.cached(
        ("qa_read.plans.recently_audited", since, until), lambda: wh.query(RECENT_CHILDREN, [since, until])
    )
    return frozenset(keys["child_key"])


@rows_only
@cached
def planned_keys(wh: Warehouse, f: Filters, plan_id: str) -> pd.DataFrame:
    """The keyed case IDs a plan chose within scope (column case_key), to show a repeated draw chooses the same
    cases."""
    where, params = f.where(PLANNED_CASES)
    return wh.query(render(PLANNED_KEYS, where=where), [plan_id, *params])


@rows_only
@cached
def by_worker(wh: Warehouse, f: Filters, plan_id: str) -> pd.DataFrame:
    """Per case-holding worker in the plan, within scope: open, eligible and planned cases, planned cases done
    (the child audited in the plan's cycle) and the worker's audits in that cycle. Worker keys only."""
    where, params = f.where(PLAN_WORKERS)
    return wh.query(render(BY_WORKER, where=where), [plan_id, *params])


@cached
def by_team(wh: Warehouse, f: Filters, plan_id: str) -> pd.DataFrame:
    """Per team, within scope: case-holding workers, workers planned and audited in the cycle, cases planned
    and done, the share done (k of n) with its interval; teams of fewer than 5 planned cases flagged small."""
    where, params = f.where(PLAN_WORKERS)
    workers = wh.query(render(BY_WORKER, where=where), [plan_id, *params])
    if workers.empty:
        return pd.DataFrame(columns=TEAM_COLUMNS)
    out = workers.groupby(["service_area", "team"], as_index=False, dropna=False).agg(
        workers=("worker_key", "size"),
        workers_planned=("planned_cases", lambda s: int((s > 0).sum())),
        workers_audited=("audits_in_cycle", lambda s: int((s > 0).sum())),
        n=("planned_cases", "sum"),
        k=("planned_done", "sum"),
    )
    return with_interval(out.astype({"n": int, "k": int}))


TEAM_COLUMNS = ["service_area", "team", "workers", "workers_planned", "workers_audited", "n", "k", "share",
                "lower", "upper", "small_n"]  # fmt: skip
