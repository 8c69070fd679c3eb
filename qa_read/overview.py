"""Headline measures for the latest cycle within the filters, against the cycle before it.

Audit, supervision and child's-voice measures are counted per cycle. Actions carry no cycle, so overdue
actions are counted as at a date: today for the latest cycle (unless the reader set an upper cycle bound,
when it is the end of that cycle if earlier), and the last day of the previous cycle for the comparison.
"""

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from qa_read import columns as C
from qa_read.cycles import cycle_bounds, latest_and_previous
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render
from qa_read.moderation import ESCALATED
from qa_read.stats import is_small_n

# (key, label, unit): a "share" is numerator / denominator; a "count" is the numerator, with the
# denominator given for context only (all escalations; all open actions).
MEASURES = (
    ("audits_completed", "Audits completed", "count"),
    ("good_or_better", "Good or better (overall grade)", "share"),
    ("inadequate", "Inadequate (overall grade)", "share"),
    ("open_escalations", "Escalations awaiting management oversight", "count"),
    ("overdue_actions", "Overdue actions", "count"),
    ("supervision_held", "Supervision sessions held as expected", "share"),
    ("child_voice", "Audits with the child's voice captured", "share"),
)


AUDIT_COUNTS = """
    WITH scoped AS (
        SELECT a.*, {escalated} AS escalated FROM audit_cube a WHERE {where} AND a.cycle = ?
    ), marked AS (
        SELECT s.n,
               g.grade IS NOT NULL AS graded,
               g.good_or_better IS TRUE AS good,
               g.grade = 'Inadequate' AS inadequate,
               s.escalated,
               s.escalated AND NOT s.overseen AS awaiting_oversight,
               s.voiced
        FROM scoped s
        LEFT JOIN grade_scale g ON g.scale = 'Ofsted' AND s.scale = 'Ofsted' AND g.grade = s.overall_grade
    )
    SELECT coalesce(sum(n), 0)::BIGINT AS audits,
           coalesce(sum(n) FILTER (WHERE graded), 0)::BIGINT AS graded,
           coalesce(sum(n) FILTER (WHERE good), 0)::BIGINT AS good,
           coalesce(sum(n) FILTER (WHERE inadequate), 0)::BIGINT AS inadequate,
           coalesce(sum(n) FILTER (WHERE escalated), 0)::BIGINT AS escalations,
           coalesce(sum(n) FILTER (WHERE awaiting_oversight), 0)::BIGINT AS open_escalations,
           coalesce(sum(n) FILTER (WHERE voiced), 0)::BIGINT AS voiced
    FROM marked
"""
SUPERVISION = """
    SELECT coalesce(sum(s.sessions_held * s.n), 0)::BIGINT AS held,
           coalesce(sum(s.sessions_expected * s.n), 0)::BIGINT AS expected
    FROM supervision_cube s
    WHERE {where} AND s.cycle = ? AND s.sessions_held IS NOT NULL AND s.sessions_expected IS NOT NULL
"""
# Open at a date: raised by then, not cancelled, and not completed by then. A completed action with no
# completion date counts as completed all along, since we cannot tell when it closed.
# Both dates in one pass over the actions: the latest cycle's and the previous cycle's.
ACTIONS = """
    WITH scoped AS (
        SELECT x.* FROM action_facts x WHERE {where} AND x.status <> 'Cancelled'
    ), dates(now_at, before_at) AS (
        SELECT ?::DATE, ?::DATE
    ), marked AS (
        SELECT s.due_date, d.*,
               s.raised_date <= d.now_at AND NOT coalesce(s.completed_date <= d.now_at, s.status = 'Completed')
                   AS open_now,
               s.raised_date <= d.before_at
                   AND NOT coalesce(s.completed_date <= d.before_at, s.status = 'Completed') AS open_before
        FROM scoped s, dates d
    )
    SELECT count(*) FILTER (WHERE open_now) AS open,
           count(*) FILTER (WHERE open_now AND due_date < now_at) AS overdue,
           count(*) FILTER (WHERE open_before) AS previous_open,
           count(*) FILTER (WHERE open_before AND due_date < before_at) AS previous_overdue
    FROM marked
"""


def overview(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """One row per entry of MEASURES, in that order.

    Columns: measure, label, unit, cycle, previous_cycle, numerator, denominator, value, previous_numerator,
    previous_denominator, previous_value, change, small_n, previous_small_n. Shares are fractions (0 to 1);
    change is value minus previous_value, in the same units.
    """
    # ``today`` is resolved before the cache so a result is never served on a later day.
    return _overview(wh, f, today or dt.date.today())


@cached
def _overview(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    latest, previous = latest_and_previous(wh, f)
    looking_back = f.cycle_to is not None
    # The cycle is already chosen within the filters; its bounds would hide the previous cycle.
    unbounded = replace(f, cycle_from=None, cycle_to=None)
    now_at = today if not looking_back else _cycle_end(latest, today)
    actions_now, actions_before = _actions(wh, unbounded, now_at, _cycle_end(previous, today))
    now = {**_counts(wh, unbounded, latest), **actions_now} if latest else {}
    before = {**_counts(wh, unbounded, previous), **actions_before} if previous else {}
    return pd.DataFrame(
        [_row(key, label, unit, latest, previous, now.get(key), before.get(key)) for key, label, unit in MEASURES]
    )


def _cycle_end(cycle: str | None, today: dt.date) -> dt.date:
    return today if cycle is None else min(today, cycle_bounds(cycle)[1])


def _counts(wh: Warehouse, f: Filters, cycle: str) -> dict:
    """{measure: (numerator, denominator)} for one cycle: audits and supervision."""
    return {**_audit_counts(wh, f, cycle), **_supervision(wh, f, cycle)}


def _row(key, label, unit, latest, previous, now, before) -> dict:
    numerator, denominator = now or (np.nan, np.nan)
    prev_numerator, prev_denominator = before or (np.nan, np.nan)
    value = _value(unit, numerator, denominator)
    previous_value = _value(unit, prev_numerator, prev_denominator)
    shares = unit == "share"
    return {
        "measure": key,
        "label": label,
        "unit": unit,
        "cycle": latest,
        "previous_cycle": previous,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "previous_numerator": prev_numerator,
        "previous_denominator": prev_denominator,
        "previous_value": previous_value,
        "change": value - previous_value,
        "small_n": shares and is_small_n(denominator),
        "previous_small_n": shares and is_small_n(prev_denominator),
    }


def _value(unit: str, numerator, denominator) -> float:
    if unit == "count":
        return float(numerator)
    return numerator / denominator if denominator else np.nan


def _audit_counts(wh: Warehouse, f: Filters, cycle: str) -> dict:
    where, params = f.where(C.AUDITS)
    r = wh.query(render(AUDIT_COUNTS, where=where, escalated=ESCALATED), [*params, cycle]).iloc[0]
    return {
        "audits_completed": (r["audits"], np.nan),
        "good_or_better": (r["good"], r["graded"]),
        "inadequate": (r["inadequate"], r["graded"]),
        "open_escalations": (r["open_escalations"], r["escalations"]),
        "child_voice": (r["voiced"], r["audits"]),
    }


def _supervision(wh: Warehouse, f: Filters, cycle: str) -> dict:
    where, params = f.where(C.SUPERVISION)
    r = wh.query(render(SUPERVISION, where=where), [*params, cycle]).iloc[0]
    return {"supervision_held": (r["held"], r["expected"])}


def _actions(wh: Warehouse, f: Filters, now_at: dt.date, before_at: dt.date) -> tuple[dict, dict]:
    """Overdue of open actions as at each date: ({measure: (overdue, open)} now, the same before)."""
    where, params = f.where(C.ACTIONS)
    r = wh.query(render(ACTIONS, where=where), [*params, now_at, before_at]).iloc[0]
    return (
        {"overdue_actions": (r["overdue"], r["open"])},
        {"overdue_actions": (r["previous_overdue"], r["previous_open"])},
    )
