"""Actions from audits: open, completed, overdue as of a day, completed on time, ageing, and the overdue list.

Here, once, is what "open" and "overdue" mean, as at any day: an action is open on a day when it was raised
by then, is not cancelled, and was not completed by then (a completed action with no completion date counts as
completed all along, since we cannot tell when it closed); it is overdue on a day when it is open and its due
date is before that day (due today is not yet overdue). As at today this is simply "neither Completed nor
Cancelled"; as at the end of a past cycle it is what was open then. It is completed on time when it
was completed on or before its due date, counted over completed actions with both dates.

Actions carry no cycle, case type or audit tool. The cycle filter applies to ``raised_cycle``, the UK
financial-year quarter of the day the action was raised; case type and audit tool do not apply. Every
query starts from ``raised`` (actions with their raised cycle), ``scoped`` (within the filters) and
``marked`` (each action's state as of ``today``).
"""

import datetime as dt
from dataclasses import replace

import pandas as pd

from qa_read import columns as C
from qa_read.cycles import cycles
from qa_read.db import LIST_ROWS, Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.grades import with_interval

# What each breakdown groups by: "cycle" is the cycle the action was raised in.
DIMENSIONS = {
    "cycle": "raised_cycle AS cycle",
    "service_area": "service_area",
    "team": "service_area, team_label AS team",
    "owner_role": "owner_label AS owner_role",
}
ORDER = {"cycle": "cycle", "service_area": "service_area", "team": "service_area, team", "owner_role": "owner_role"}
# (label, first day, last day or None) of each ageing bucket.
BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("Over 90", 91, None))
COUNTS = ["actions", "open", "overdue", "completed", "cancelled", "n", "k"]  # what summary and status_by count
KEY_COLUMNS = "action_id, audit_id, service_area, team, owner_role, raised_date, due_date, days_overdue, description"


# action_facts is a mart: the actions with ``raised_cycle`` worked out at ingest.
MARKED = """
    raised AS (
        SELECT x.* FROM action_facts x
    ), scoped AS (
        SELECT x.* FROM raised x WHERE {where}
    ), dated AS (
        SELECT s.*, d.today,
               s.status = 'Completed' AND coalesce(s.completed_date <= d.today, true) AS is_completed,
               s.status = 'Cancelled' AS is_cancelled
        FROM scoped s, (SELECT ?::DATE AS today) d
    ), marked AS (
        SELECT *, coalesce(team, ?) AS team_label, coalesce(owner_role, ?) AS owner_label,
               raised_date <= today AND NOT is_completed AND NOT is_cancelled AS is_open,
               coalesce(raised_date <= today AND NOT is_completed AND NOT is_cancelled AND due_date < today, false)
                   AS is_overdue,
               greatest(date_diff('day', raised_date, today), 0) AS days_open,
               date_diff('day', due_date, today) AS days_past_due,
               is_completed AND completed_date IS NOT NULL AND due_date IS NOT NULL AS timed,
               is_completed AND completed_date <= due_date AS on_time
        FROM dated
    )"""
STATUS = """
    WITH {marked}
    SELECT {dimension} count(*) AS actions,
           count(*) FILTER (WHERE is_open) AS open,
           count(*) FILTER (WHERE is_overdue) AS overdue,
           count(*) FILTER (WHERE is_completed) AS completed,
           count(*) FILTER (WHERE is_cancelled) AS cancelled,
           count(*) FILTER (WHERE timed) AS n,
           count(*) FILTER (WHERE timed AND on_time) AS k
    FROM marked {group}
"""
AGEING = """
    WITH {marked}, buckets(bucket, position, low, high) AS (
        VALUES {buckets}
    ), open_age AS (
        SELECT b.bucket, count(m.action_id) AS open
        FROM buckets b LEFT JOIN marked m
          ON m.is_open AND m.days_open >= b.low AND (b.high IS NULL OR m.days_open <= b.high)
        GROUP BY b.bucket
    ), overdue_age AS (
        SELECT b.bucket, count(m.action_id) AS overdue
        FROM buckets b LEFT JOIN marked m
          ON m.is_overdue AND m.days_past_due >= b.low AND (b.high IS NULL OR m.days_past_due <= b.high)
        GROUP BY b.bucket
    )
    SELECT b.bucket, b.position, o.open, d.overdue
    FROM buckets b JOIN open_age o USING (bucket) JOIN overdue_age d USING (bucket)
    ORDER BY b.position
"""
OVERDUE = """
    WITH {marked}, listed AS (
        SELECT *, days_past_due AS days_overdue FROM marked WHERE is_overdue
    )
    SELECT {keys} FROM listed ORDER BY days_overdue DESC, action_id
    LIMIT ?
"""
OVERDUE_BY_TEAM = """
    WITH {marked}
    SELECT service_area, team_label AS team, count(*) AS overdue, max(days_past_due) AS longest,
           first(action_id ORDER BY days_past_due DESC, action_id) AS oldest
    FROM marked WHERE is_overdue
    GROUP BY ALL ORDER BY overdue DESC, longest DESC, service_area, team
"""


def _marked_ctes(f: Filters, today: dt.date) -> tuple[str, list]:
    """The ``raised``, ``scoped`` and ``marked`` CTEs (to follow a WITH) and their parameters."""
    where, params = f.where(C.ACTIONS_RAISED)
    sql = render(MARKED, where=where)
    return sql, [*params, today, C.NOT_RECORDED, C.NOT_RECORDED]


def _buckets_sql() -> str:
    # Labels and bounds are the constants above, never data.
    rows = [f"('{label}', {i}, {low}, {high or 'NULL'})" for i, (label, low, high) in enumerate(BUCKETS, 1)]
    return ", ".join(rows)


def open_ended(wh: Warehouse, f: Filters) -> Filters:
    """``f`` with a cycle bound dropped where it is the first or last cycle of any other data.

    The sidebar's cycle slider spans the cycles of audits, reviews, feedback and PLDs; an action raised after
    the last of them (or before the first) would vanish from the default view. A bound the reader moved
    inwards is kept.
    """
    known = cycles(wh, Filters(scope=f.scope))["cycle"].tolist()
    if not known:
        return f
    return replace(
        f,
        cycle_from=None if f.cycle_from == known[0] else f.cycle_from,
        cycle_to=None if f.cycle_to == known[-1] else f.cycle_to,
    )


def _today(today: dt.date | None) -> dt.date:
    # Resolved before the cache, so a result is never served on a later day.
    return today or dt.date.today()


def summary(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """One row. Columns: actions, open, overdue, completed, cancelled, n (completed with a due date and a
    completion date), k (of those, completed on or before the due date), share, lower, upper, small_n."""
    return _status(wh, f, None, _today(today))


def status_by(wh: Warehouse, f: Filters, by: str, today: dt.date | None = None) -> pd.DataFrame:
    """The columns of ``summary``, after <by>: one of DIMENSIONS ("team" gives service_area, team; "cycle" is
    the cycle the action was raised in). A missing team or owner role reads "Not recorded"."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {tuple(DIMENSIONS)}, not {by!r}")
    return _status(wh, f, by, _today(today))


def total(status: pd.DataFrame) -> pd.DataFrame:
    """``summary``'s one row from a ``status_by`` result of the same filters and day, without reading the actions
    again: every action falls in exactly one group, so the counts add up."""
    return with_interval(status[COUNTS].sum().to_frame().T.astype("int64"))


@cached
def _status(wh: Warehouse, f: Filters, by: str | None, today: dt.date) -> pd.DataFrame:
    marked, params = _marked_ctes(f, today)
    # ``by`` names identifiers from the allow-list above, never a value.
    dimension, group = ("", "") if by is None else (f"{DIMENSIONS[by]},", f"GROUP BY ALL ORDER BY {ORDER[by]}")
    sql = render(STATUS, marked=marked, dimension=dimension, group=group)
    return with_interval(wh.query(sql, params))


def ageing(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """Columns: bucket, position, open (open actions by days since raised), overdue (overdue actions by days
    past their due date). Buckets in BUCKETS order, zeros too."""
    return _ageing(wh, f, _today(today))


@cached
def _ageing(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    marked, params = _marked_ctes(f, today)
    return wh.query(render(AGEING, marked=marked, buckets=_buckets_sql()), params)


@rows_only
def overdue(wh: Warehouse, f: Filters, today: dt.date | None = None, limit: int | None = LIST_ROWS) -> pd.DataFrame:
    """The overdue actions, longest overdue first, at most ``limit`` (None: all); ``summary`` counts them all.
    Keys and the description only.

    Columns: action_id, audit_id, service_area, team, owner_role, raised_date, due_date, days_overdue,
    description (free text as written: show it escaped).
    """
    return _overdue(wh, f, _today(today), limit)


@cached
def _overdue(wh: Warehouse, f: Filters, today: dt.date, limit: int | None) -> pd.DataFrame:
    marked, params = _marked_ctes(f, today)
    return wh.query(render(OVERDUE, marked=marked, keys=KEY_COLUMNS), [*params, limit])


@rows_only
def overdue_by_team(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """Overdue actions per team, most first. Columns: service_area, team ("Not recorded" if missing), overdue,
    longest (days overdue), oldest (the action_id overdue longest; lowest id on a tie)."""
    return _overdue_by_team(wh, f, _today(today))


@cached
def _overdue_by_team(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    marked, params = _marked_ctes(f, today)
    return wh.query(render(OVERDUE_BY_TEAM, marked=marked), params)
