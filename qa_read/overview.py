"""The counts behind the headline figures that no other query gives: per cycle, audits with escalations and the
child's voice, and supervision sessions. ``findings.headline`` turns them (with the grade counts of
``qa_read.grades`` and the action counts of ``qa_read.actions``) into findings and owns the rule for which cycle
and date they take.
"""

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
