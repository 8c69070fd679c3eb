"""The PLD log against the framework: held, planned in time, reported in time, with partners.

The Practice Learning Day framework expects, per service area:

- a PLD every quarter, so four in a financial year (the year of a cycle: ``2025/26 Q2`` is in ``2025/26``);
- at least one PLD a year held jointly with partner agencies;
- a planning meeting at least four weeks (``PLANNING_LEAD_DAYS``) before the PLD (the day held, or the day
  planned while it is still to come); exactly 28 days before is on time;
- a report to the Principal Social Worker within two weeks (``REPORT_DAYS``) of the day held; 14 days is
  on time.

Nothing is a failure before it is due: a PLD whose planned day has not come is "Not yet due", as are a
planning meeting whose deadline has not passed and a report whose fortnight is still running. A PLD
that was not held is never counted as held, and needs no report. The rules run in SQL (``RULES``) and
every query starts from them, so the grid, the year summary and the list always agree.
"""

import datetime as dt
from dataclasses import replace

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render

PLANNING_LEAD_DAYS = 28
REPORT_DAYS = 14
# Words for each outcome; pages add a tick or cross to these, never colour alone.
MET, NOT_MET, NOT_YET_DUE, NOT_APPLICABLE = "Met", "Not met", "Not yet due", "Not applicable"
ON_TIME, LATE, MISSING = "On time", "Late", "Missing"
HELD, NOT_HELD = "Held", "Not held"
BREAKS_A_RULE, MEETS_EVERY_RULE = "Breaks a rule", "Meets every rule"


def cycle_end_sql(column: str) -> str:
    """SQL for the last day of the quarter a cycle label names (``2025/26 Q4`` ends 31 March 2026)."""
    year, quarter = f"CAST(left({column}, 4) AS INTEGER)", f"CAST(right({column}, 1) AS INTEGER)"
    start = f"make_date({year} + ({quarter} = 4)::INTEGER, 3 * {quarter} % 12 + 1, 1)"
    return f"({start} + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE"


RULES = """
    settings AS (
        SELECT ?::DATE AS today, ?::INTEGER AS lead_days, ?::INTEGER AS report_days
    ), scoped AS (
        SELECT p.* FROM pld_events p WHERE {where}
    ), dated AS (
        SELECT s.*, split_part(s.cycle, ' ', 1) AS financial_year, {cycle_end} AS cycle_end,
               coalesce(s.held_date, s.planned_date) AS pld_date
        FROM scoped s
    ), measured AS (
        SELECT d.*, settings.*,
               date_diff('day', d.planning_meeting_date, d.pld_date) AS planning_days_before,
               date_diff('day', d.held_date, d.report_date) AS report_days_after
        FROM dated d, settings
    ), judged AS (
        SELECT *,
            CASE WHEN held_date IS NOT NULL THEN 'Held'
                 WHEN coalesce(planned_date, cycle_end) >= today THEN 'Not yet due'
                 ELSE 'Not held' END AS held_status,
            CASE WHEN pld_date IS NULL THEN 'Not applicable'
                 WHEN planning_days_before >= lead_days THEN 'On time'
                 WHEN planning_days_before IS NOT NULL THEN 'Late'
                 WHEN pld_date - lead_days >= today THEN 'Not yet due'
                 ELSE 'Missing' END AS planning_status,
            CASE WHEN held_date IS NULL THEN 'Not applicable'
                 WHEN report_days_after <= report_days THEN 'On time'
                 WHEN report_days_after IS NOT NULL THEN 'Late'
                 WHEN held_date + report_days >= today THEN 'Not yet due'
                 ELSE 'Missing' END AS report_status
        FROM measured
    ), explained AS (
        SELECT *,
            concat_ws('; ',
                CASE WHEN held_status = 'Not held' THEN 'not held' END,
                CASE planning_status
                    WHEN 'Late' THEN 'planning meeting ' || planning_days_before || ' days before (due '
                        || lead_days || ' or more)'
                    WHEN 'Missing' THEN 'no planning meeting recorded' END,
                CASE report_status
                    WHEN 'Late' THEN 'report ' || report_days_after || ' days after (due within '
                        || report_days || ')'
                    WHEN 'Missing' THEN 'no report recorded' END) AS breaks
        FROM judged
    )"""
LOG = """
    WITH {rules}
    SELECT pld_id, service_area, financial_year, cycle, theme, planned_date, held_date, held_status,
           planning_meeting_date, planning_days_before, planning_status,
           report_date, report_days_after, report_status, multi_agency,
           CASE WHEN multi_agency THEN 'Yes' WHEN NOT multi_agency THEN 'No' ELSE 'Not recorded' END AS partners,
           breaks,
           CASE WHEN breaks <> '' THEN 'Breaks a rule'
                WHEN 'Not yet due' IN (held_status, planning_status, report_status) THEN 'Not yet due'
                ELSE 'Meets every rule' END AS outcome
    FROM explained
    ORDER BY cycle, service_area
"""
YEARS = """
    WITH {rules}, shown AS (
        SELECT DISTINCT split_part(p.cycle, ' ', 1) AS financial_year FROM pld_events p WHERE {shown}
    ), first_logged AS (
        SELECT min(p.cycle) AS cycle FROM pld_events p WHERE {scope}
    ), quarters AS (
        SELECT y.financial_year, y.financial_year || ' Q' || q.quarter AS cycle
        FROM shown y, range(1, 5) q(quarter), first_logged l
        WHERE y.financial_year || ' Q' || q.quarter >= l.cycle
    ), grid AS (
        SELECT a.service_area, q.financial_year, q.cycle, {quarter_end} AS cycle_end
        FROM (SELECT DISTINCT service_area FROM explained) a, quarters q
    ), joined AS (
        SELECT g.*, e.held_status, e.multi_agency, e.planning_status, e.report_status, s.today
        FROM grid g
        LEFT JOIN explained e USING (service_area, cycle)
        CROSS JOIN settings s
    ), counted AS (
        SELECT service_area, financial_year,
               count(*) AS expected,
               count(*) FILTER (WHERE cycle_end < today) AS due,
               count(*) FILTER (WHERE held_status = 'Held') AS held,
               count(*) FILTER (WHERE cycle_end < today AND held_status IS DISTINCT FROM 'Held') AS missed,
               count(*) FILTER (WHERE held_status = 'Held' AND multi_agency) AS multi_agency,
               count(*) FILTER (WHERE planning_status = 'On time') AS planning_on_time,
               count(*) FILTER (WHERE planning_status IN ('On time', 'Late', 'Missing')) AS planning_judged,
               count(*) FILTER (WHERE report_status = 'On time') AS report_on_time,
               count(*) FILTER (WHERE report_status IN ('On time', 'Late', 'Missing')) AS report_judged
        FROM joined GROUP BY ALL
    )
    SELECT *,
        CASE WHEN held >= expected THEN 'Met' WHEN missed > 0 THEN 'Not met' ELSE 'Not yet due' END AS held_outcome,
        CASE WHEN multi_agency > 0 THEN 'Met' WHEN due = expected THEN 'Not met' ELSE 'Not yet due' END
            AS partner_outcome
    FROM counted
    ORDER BY financial_year, service_area
"""


def financial_year(cycle: str) -> str:
    """``2025/26 Q2`` -> ``2025/26``."""
    return cycle.split(" ")[0]


def _rules(f: Filters, today: dt.date) -> tuple[str, list]:
    where, params = f.where(C.PLD_EVENTS)
    sql = render(RULES, where=where, cycle_end=cycle_end_sql("s.cycle"))
    return sql, [today, PLANNING_LEAD_DAYS, REPORT_DAYS, *params]


def pld_log(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """One row per PLD in the log, each rule judged as at ``today``.

    Columns: pld_id, service_area, financial_year, cycle, theme, planned_date, held_date, held_status
    (Held, Not held, Not yet due), planning_meeting_date, planning_days_before (days from the planning
    meeting to the PLD, held or else planned), planning_status and report_status (On time, Late, Missing,
    Not yet due, Not applicable), report_date, report_days_after, multi_agency, partners (Yes, No, Not
    recorded), breaks (each rule broken, in words; empty when none), outcome (Breaks a rule, Not yet due,
    Meets every rule).
    """
    return _pld_log(wh, f, today or dt.date.today())


@cached
def _pld_log(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    rules, params = _rules(f, today)
    return wh.query(render(LOG, rules=rules), params)


def pld_by_year(wh: Warehouse, f: Filters, today: dt.date | None = None) -> pd.DataFrame:
    """Per service area and financial year: PLDs held against those expected, and partner involvement.

    A year is judged whole: the filters' cycle range chooses which years are shown, not which of their
    quarters count. ``expected`` is four, less any quarters before the log's first entry. Columns:
    service_area, financial_year, expected, due (quarters ended by ``today``), held, missed (quarters ended
    with no PLD held), multi_agency (held with partners), planning_on_time, planning_judged, report_on_time,
    report_judged (judged = On time, Late or Missing), held_outcome and partner_outcome (Met, Not met, Not
    yet due).
    """
    return _pld_by_year(wh, f, today or dt.date.today())


@cached
def _pld_by_year(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    rules, params = _rules(replace(f, cycle_from=None, cycle_to=None), today)
    shown, shown_params = f.where(C.PLD_EVENTS)
    scope, scope_params = Filters(scope=f.scope).where(C.PLD_EVENTS)
    sql = render(YEARS, rules=rules, shown=shown, scope=scope, quarter_end=cycle_end_sql("q.cycle"))
    return wh.query(sql, [*params, *shown_params, *scope_params])


def latest_complete_year(years: pd.DataFrame) -> str | None:
    """The latest financial year in ``pld_by_year`` whose expected quarters have all ended, or None."""
    done = years[years["due"] == years["expected"]]
    return None if done.empty else str(done["financial_year"].max())
