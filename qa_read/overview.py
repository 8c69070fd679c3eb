"""The counts behind the headline figures that no other query gives: per cycle, audits with escalations and the
child's voice, and supervision sessions; open and overdue actions as at a date. ``findings.headline`` turns them
(with the grade counts of ``qa_read.grades``) into findings and owns the rule for which cycle and date they take.
"""

import datetime as dt
from dataclasses import dataclass

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render

AUDIT_COUNTS = """
    WITH scoped AS (
        SELECT a.* FROM audit_cube a WHERE {where} AND a.cycle = ?
    )
    SELECT coalesce(sum(n), 0)::BIGINT AS audits,
           coalesce(sum(n) FILTER (WHERE escalated), 0)::BIGINT AS escalations,
           coalesce(sum(n) FILTER (WHERE escalated AND NOT overseen), 0)::BIGINT AS awaiting_oversight,
           coalesce(sum(n) FILTER (WHERE voiced), 0)::BIGINT AS voiced
    FROM scoped
"""
SUPERVISION = """
    SELECT coalesce(sum(s.sessions_held * s.n), 0)::BIGINT AS held,
           coalesce(sum(s.sessions_expected * s.n), 0)::BIGINT AS expected
    FROM supervision_cube s
    WHERE {where} AND s.cycle = ? AND s.sessions_held IS NOT NULL AND s.sessions_expected IS NOT NULL
"""
# Open at a date: raised by then, not cancelled, and not completed by then. A completed action with no
# completion date counts as completed all along, since we cannot tell when it closed.
ACTIONS = """
    WITH scoped AS (
        SELECT x.* FROM action_facts x WHERE {where} AND x.status <> 'Cancelled'
    ), marked AS (
        SELECT due_date,
               raised_date <= ?::DATE AND NOT coalesce(completed_date <= ?::DATE, status = 'Completed') AS open
        FROM scoped
    )
    SELECT count(*) FILTER (WHERE open) AS open, count(*) FILTER (WHERE open AND due_date < ?::DATE) AS overdue
    FROM marked
"""


@dataclass(frozen=True)
class AuditCounts:
    audits: int
    escalations: int
    awaiting_oversight: int  # escalated audits with no management oversight recorded
    voiced: int  # audits with the child's voice linked


@cached
def audit_counts(wh: Warehouse, f: Filters, cycle: str) -> AuditCounts:
    """Audits of ``cycle`` within ``f`` (whose own cycle bounds should not exclude it)."""
    where, params = f.where(C.AUDITS)
    row = wh.query(render(AUDIT_COUNTS, where=where), [*params, cycle]).iloc[0]
    return AuditCounts(*(int(row[name]) for name in ("audits", "escalations", "awaiting_oversight", "voiced")))


@cached
def supervision_sessions(wh: Warehouse, f: Filters, cycle: str) -> tuple[int, int]:
    """(sessions held, sessions expected) over the supervision reviews of ``cycle``."""
    where, params = f.where(C.SUPERVISION)
    row = wh.query(render(SUPERVISION, where=where), [*params, cycle]).iloc[0]
    return int(row["held"]), int(row["expected"])


@cached
def actions_at(wh: Warehouse, f: Filters, today: dt.date) -> tuple[int, int]:
    """(overdue, open) actions as at ``today`` (any day): due before it and still open at it, of those open at it."""
    where, params = f.where(C.ACTIONS)
    row = wh.query(render(ACTIONS, where=where), [*params, today, today, today]).iloc[0]
    return int(row["overdue"]), int(row["open"])
