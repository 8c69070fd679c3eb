"""Escalations and their management oversight, moderation agreement, and worker disagreement."""

import datetime as dt

import pandas as pd

from qa_read import columns as C
from qa_read.db import LIST_ROWS, Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.grades import check_scale, with_interval
from qa_read.stats import SMALL_N, cohens_kappa

# The escalation rule is written once, in the escalated_audits mart; audit_cube.escalated marks the same audits.
ESCALATIONS = """
    WITH escalated AS (
        SELECT a.* FROM escalated_audits a WHERE {where}
    )
    SELECT audit_id, cycle, audit_date, service_area, team, case_type, overall_grade, moderated_grade,
           child_safe,
           concat_ws('; ',
               CASE WHEN overall_grade = 'Inadequate' THEN 'graded Inadequate' END,
               CASE WHEN moderated_grade = 'Inadequate' THEN 'moderated Inadequate' END,
               CASE WHEN child_safe = false THEN 'child not safe' END) AS reason,
           oversight_date,
           date_diff('day', audit_date, oversight_date) AS days_to_oversight,
           oversight_date IS NULL AS outstanding,
           CASE WHEN oversight_date IS NULL THEN date_diff('day', audit_date, ?::DATE) END AS days_waiting
    FROM escalated ORDER BY outstanding DESC, audit_date, audit_id
    LIMIT ?
"""
# Escalations per cycle by whether oversight is recorded, from the audit cube (a mart).
ESCALATIONS_BY_CYCLE = """
    WITH scoped AS (
        SELECT a.* FROM audit_cube a WHERE {where}
    )
    SELECT cycle, CASE WHEN overseen THEN 'Oversight recorded' ELSE 'Awaiting oversight' END AS state,
           sum(n)::BIGINT AS audits
    FROM scoped WHERE escalated
    GROUP BY ALL ORDER BY cycle, state
"""
ESCALATION_SUMMARY = """
    WITH escalated AS (
        SELECT oversight_date, date_diff('day', audit_date, oversight_date) AS days
        FROM escalated_audits a WHERE {where}
    )
    SELECT count(*) AS escalations,
           count(oversight_date) AS with_oversight,
           count(*) - count(oversight_date) AS outstanding,
           count(oversight_date) / nullif(count(*), 0) AS pct_with_oversight,
           median(days) AS median_days_to_oversight
    FROM escalated
"""
# Counts read the audit cube (a mart: one row per combination of values, weighted by n).
MODERATED = """
    scoped AS (
        SELECT a.* FROM audit_cube a WHERE {where} AND a.scale = ?
    ), moderated AS (
        SELECT s.n, s.overall_grade, s.moderated_grade,
               o.rank AS overall_rank, m.rank AS moderated_rank
        FROM scoped s
        JOIN grade_scale o ON o.scale = s.scale AND o.grade = s.overall_grade
        JOIN grade_scale m ON m.scale = s.scale AND m.grade = s.moderated_grade
    )"""
GRADE_PAIRS = """
    WITH {moderated}
    SELECT overall_grade, moderated_grade, sum(n)::BIGINT AS n FROM moderated GROUP BY ALL
"""
MOVEMENT = """
    WITH {moderated}, directions(direction, sign, position) AS (
        VALUES ('Moved up', -1, 1), ('Same', 0, 2), ('Moved down', 1, 3)
    ), counted AS (
        SELECT sign(moderated_rank - overall_rank) AS sign, sum(n) AS n FROM moderated GROUP BY ALL
    )
    SELECT d.direction, coalesce(c.n, 0)::BIGINT AS n
    FROM directions d LEFT JOIN counted c ON c.sign = d.sign
    ORDER BY d.position
"""
SCALE_GRADES = "SELECT grade FROM grade_scale WHERE scale = ? ORDER BY rank"
# A practitioner who agrees only "Partly" disputes at least one grade, so counts as disagreeing; the
# partial ones are counted apart too, so the page can say how many of the disagreements were in part.
WORKER_DISAGREEMENT = """
    WITH scoped AS (
        SELECT a.* FROM audit_cube a WHERE {where}
    ), answered AS (
        SELECT cycle, service_area, worker_agrees, n
        FROM scoped WHERE worker_agrees IS NOT NULL
    )
    SELECT cycle, service_area, sum(n)::BIGINT AS n,
           coalesce(sum(n) FILTER (WHERE worker_agrees IN ('No', 'Partly')), 0)::BIGINT AS k,
           coalesce(sum(n) FILTER (WHERE worker_agrees = 'Partly'), 0)::BIGINT AS partly
    FROM answered GROUP BY ALL ORDER BY cycle, service_area
"""


@rows_only
def escalations(wh: Warehouse, f: Filters, today: dt.date | None = None, limit: int | None = LIST_ROWS) -> pd.DataFrame:
    """Audits that needed escalating, those still awaiting management oversight first (longest wait first),
    at most ``limit`` of them (None: all); ``escalation_summary`` counts them all.

    Columns: audit_id, cycle, audit_date, service_area, team, case_type, overall_grade, moderated_grade,
    child_safe, reason, oversight_date, days_to_oversight, outstanding, days_waiting (to ``today``, while
    outstanding).
    """
    return _escalations(wh, f, today or dt.date.today(), limit)


@cached
def _escalations(wh: Warehouse, f: Filters, today: dt.date, limit: int | None) -> pd.DataFrame:
    where, params = f.where(C.AUDITS)
    return wh.query(render(ESCALATIONS, where=where), [*params, today, limit])


@cached
def escalations_by_cycle(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle, state ('Awaiting oversight' or 'Oversight recorded'), audits. Only states with audits."""
    where, params = f.where(C.AUDITS)
    return wh.query(render(ESCALATIONS_BY_CYCLE, where=where), params)


@cached
def escalation_summary(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row. Columns: escalations, with_oversight, outstanding, pct_with_oversight,
    median_days_to_oversight, small_n.
    """
    where, params = f.where(C.AUDITS)
    out = wh.query(render(ESCALATION_SUMMARY, where=where), params)
    out["small_n"] = out["escalations"] < SMALL_N
    return out


def _moderated_ctes(f: Filters, scale: str) -> tuple[str, list]:
    """Audits on one scale graded by both auditor and moderator, with both ranks."""
    where, params = f.where(C.AUDITS)
    return render(MODERATED, where=where), [*params, check_scale(scale)]


@cached
def moderation_agreement(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """One row. Columns: n, agreed, pct_agreement, kappa, kappa_note, small_n."""
    ctes, params = _moderated_ctes(f, scale)
    pairs = wh.query(render(GRADE_PAIRS, moderated=ctes), params)
    grades = wh.query(SCALE_GRADES, [check_scale(scale)])
    result = cohens_kappa(pairs["overall_grade"], pairs["moderated_grade"], list(grades["grade"]), pairs["n"])
    agreed = int(pairs.loc[pairs["overall_grade"] == pairs["moderated_grade"], "n"].sum())
    row = {
        "n": result.n,
        "agreed": agreed,
        "pct_agreement": agreed / result.n if result.n else float("nan"),
        "kappa": result.kappa,
        "kappa_note": result.note,
        "small_n": result.n < SMALL_N,
    }
    return pd.DataFrame([row])


@cached
def moderation_movement(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: direction ('Moved up', 'Same', 'Moved down'), n, share. Up: the moderator graded better."""
    ctes, params = _moderated_ctes(f, scale)
    out = wh.query(render(MOVEMENT, moderated=ctes), params)
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else float("nan")
    return out


@cached
def worker_disagreement(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle, service_area, n (audits recording whether the worker agreed), k (disagreed: "No" or
    "Partly"), partly (of k, those who agreed in part), share (k / n), lower, upper, small_n.
    """
    where, params = f.where(C.AUDITS)
    return with_interval(wh.query(render(WORKER_DISAGREEMENT, where=where), params))
