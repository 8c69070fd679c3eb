"""The counts behind the headline figures that no other query gives: per cycle, audits, escalations and the
child's voice. ``findings.headline`` turns them (with the grade counts of ``qa_read.grades``, the action counts of
``qa_read.actions`` and the sessions of ``qa_read.supervision``) into findings and owns the rule for which cycle
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
