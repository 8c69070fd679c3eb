"""Audit coverage: has every practitioner had a collaborative audit this cycle, and who does the auditing?

The PLD framework expects every worker to have a collaborative audit in the month before each PLD, so
coverage is counted per team and cycle: distinct practitioners audited against the team's size.

A team's size in a cycle is its headcount on the latest team roster dated on or before the cycle's last
day, leaving out managers (a role containing "manager" or "head of"). Then the workers counted as covered
are the roster's members with an audit in that cycle, and audited workers missing from the roster are
counted apart (``not_on_roster``: agency staff, leavers, or a name spelled differently). Where no roster
covers the cycle, a configured headcount (``QA_TEAM_SIZES_FILE``) is used instead, and covered is the
team's distinct audited workers, capped at that headcount. With neither, the size is unknown and only
the audited count is given.
"""

import tomllib
from pathlib import Path

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached, rows_only
from qa_read.filters import Filters, render, wheres
from qa_read.grades import with_interval
from qa_read.pld import cycle_end_sql

# Roles that audit rather than being audited; matched case-insensitively anywhere in the roster's role.
MANAGER_ROLES = "manager|head of"
ROSTER, CONFIGURED = "Roster", "Configured"

COVERAGE = """
    WITH scoped AS (
        SELECT a.* FROM audits a WHERE {audits}
    ), roster AS (
        SELECT r.* FROM team_roster r WHERE {roster}
    ), configured(team, headcount) AS (
        {configured}
    ), cycles AS (
        SELECT DISTINCT cycle, {cycle_end} AS cycle_end FROM scoped
    ), snapshots AS (
        SELECT c.cycle, r.team, max(r.as_at) AS as_at
        FROM cycles c JOIN roster r ON r.as_at <= c.cycle_end
        GROUP BY ALL
    ), members AS (
        SELECT s.cycle, r.team, r.service_area, r.person_key, r.as_at
        FROM snapshots s JOIN roster r ON r.team = s.team AND r.as_at = s.as_at
        WHERE NOT regexp_matches(lower(coalesce(r.role, '')), ?)
    ), headcounts AS (
        SELECT cycle, team, mode(service_area) AS service_area, max(as_at) AS roster_as_at,
               count(DISTINCT person_key) AS headcount
        FROM members GROUP BY ALL
    ), audit_areas AS (
        SELECT team, mode(service_area) AS service_area FROM scoped WHERE team IS NOT NULL GROUP BY team
    ), audited AS (
        SELECT cycle, team, count(DISTINCT worker_key) AS audited
        FROM scoped WHERE team IS NOT NULL AND worker_key IS NOT NULL GROUP BY ALL
    ), covered AS (
        SELECT m.cycle, m.team, count(DISTINCT m.person_key) AS covered
        FROM members m JOIN scoped s ON s.worker_key = m.person_key AND s.cycle = m.cycle
        GROUP BY ALL
    ), strays AS (
        SELECT s.cycle, s.team, count(DISTINCT s.worker_key) AS not_on_roster
        FROM scoped s
        JOIN headcounts h ON h.cycle = s.cycle AND h.team = s.team
        LEFT JOIN members m ON m.cycle = s.cycle AND m.team = s.team AND m.person_key = s.worker_key
        WHERE s.worker_key IS NOT NULL AND m.person_key IS NULL
        GROUP BY ALL
    ), universe AS (
        SELECT cycle, team FROM headcounts
        UNION SELECT cycle, team FROM audited
        UNION SELECT c.cycle, k.team FROM cycles c, configured k WHERE k.team IN (SELECT team FROM audit_areas)
    ), final AS (
        SELECT u.cycle, coalesce(h.service_area, aa.service_area) AS service_area, u.team,
               CASE WHEN h.headcount IS NOT NULL THEN 'Roster'
                    WHEN k.headcount IS NOT NULL THEN 'Configured' END AS size_source,
               h.roster_as_at,
               coalesce(h.headcount, k.headcount) AS n,
               coalesce(ad.audited, 0) AS audited,
               CASE WHEN h.headcount IS NOT NULL THEN coalesce(cv.covered, 0)
                    WHEN k.headcount IS NOT NULL THEN least(coalesce(ad.audited, 0), k.headcount) END AS k,
               CASE WHEN h.headcount IS NOT NULL THEN coalesce(st.not_on_roster, 0) END AS not_on_roster
        FROM universe u
        LEFT JOIN headcounts h ON h.cycle = u.cycle AND h.team = u.team
        LEFT JOIN configured k ON k.team = u.team
        LEFT JOIN audit_areas aa ON aa.team = u.team
        LEFT JOIN audited ad ON ad.cycle = u.cycle AND ad.team = u.team
        LEFT JOIN covered cv ON cv.cycle = u.cycle AND cv.team = u.team
        LEFT JOIN strays st ON st.cycle = u.cycle AND st.team = u.team
    )
    SELECT * FROM final ORDER BY cycle, service_area, team
"""
AUDITOR_SPREAD = """
    WITH scoped AS (
        SELECT a.* FROM audits a WHERE {where}
    ), per_area AS (
        SELECT auditor_key, service_area, count(*) AS audits
        FROM scoped WHERE auditor_key IS NOT NULL GROUP BY ALL
    ), per_auditor AS (
        SELECT auditor_key, sum(audits)::BIGINT AS total, count(*) AS service_areas FROM per_area GROUP BY ALL
    ), ranked AS (
        SELECT *, row_number() OVER (ORDER BY total DESC, auditor_key) AS rank FROM per_auditor
    )
    SELECT p.auditor_key, p.service_area, p.audits, r.total, r.service_areas, r.rank
    FROM per_area p JOIN ranked r USING (auditor_key)
    ORDER BY r.rank, p.audits DESC, p.service_area
"""
AUDITOR_SUMMARY = """
    WITH scoped AS (
        SELECT a.* FROM audits a WHERE {where}
    ), per_auditor AS (
        SELECT auditor_key, count(*) AS audits, count(DISTINCT service_area) AS service_areas
        FROM scoped WHERE auditor_key IS NOT NULL GROUP BY ALL
    ), ranked AS (
        SELECT *, row_number() OVER (ORDER BY audits DESC, auditor_key) AS rank,
               sum(audits) OVER (ORDER BY audits DESC, auditor_key) / sum(audits) OVER () AS cumulative_share
        FROM per_auditor
    )
    SELECT (SELECT count(*) FROM scoped) AS audits,
           (SELECT count(*) FROM scoped WHERE auditor_key IS NULL) AS unattributed,
           count(*) AS auditors,
           min(rank) FILTER (WHERE cumulative_share >= 0.5) AS half_by,
           max(audits) AS busiest,
           count(*) FILTER (WHERE service_areas > 1) AS across_areas
    FROM ranked
"""


def team_sizes(path: str | Path | None) -> tuple[tuple[str, int], ...]:
    """``QA_TEAM_SIZES_FILE`` read: a TOML file of ``"Team name" = headcount``. No path, no sizes."""
    if not path:
        return ()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read team sizes ({exc})") from None
    wrong = [team for team, size in raw.items() if not isinstance(size, int) or isinstance(size, bool) or size < 0]
    if wrong:
        raise ValueError(f'{path}: each team needs a whole-number headcount, as in "{wrong[0]}" = 6')
    return tuple(sorted(raw.items()))


def _configured(sizes: tuple[tuple[str, int], ...]) -> tuple[str, list]:
    if not sizes:
        return "SELECT NULL::VARCHAR, NULL::INTEGER WHERE false", []
    rows = ", ".join("(?::VARCHAR, ?::INTEGER)" for _ in sizes)
    return f"VALUES {rows}", [value for pair in sizes for value in pair]


@cached
def coverage(wh: Warehouse, f: Filters, sizes: tuple[tuple[str, int], ...] = ()) -> pd.DataFrame:
    """Per cycle and team: practitioners covered by an audit against the team's size.

    Columns: cycle, service_area, team, size_source (Roster, Configured, or None when unknown),
    roster_as_at, n (headcount), audited (distinct workers audited in the team), k (covered: see the
    module docstring), not_on_roster, share, lower, upper, small_n. ``sizes`` is ``team_sizes(...)``.
    """
    fragments, params = wheres(f, audits=C.AUDITS, roster=C.TEAM_ROSTER)
    configured, configured_params = _configured(sizes)
    sql = render(COVERAGE, **fragments, configured=configured, cycle_end=cycle_end_sql("cycle"))
    out = wh.query(sql, [*params, *configured_params, MANAGER_ROLES]).astype({"n": float, "k": float})
    return with_interval(out).astype({"n": "Int64", "k": "Int64"})


@rows_only
@cached
def auditor_spread(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Audits per auditor and service area, busiest auditor first. Keys only.

    Columns: auditor_key, service_area, audits, total (the auditor's audits in all areas), service_areas
    (how many areas the auditor audited in), rank (1 = busiest).
    """
    where, params = f.where(C.AUDITS)
    return wh.query(render(AUDITOR_SPREAD, where=where), params)


@cached
def auditor_summary(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """One row: how concentrated auditing is.

    Columns: audits, unattributed (no auditor recorded, e.g. an anonymous response), auditors, half_by (the
    fewest auditors who together did half the attributed audits), busiest (audits by the busiest auditor),
    across_areas (auditors who audited in more than one service area).
    """
    where, params = f.where(C.AUDITS)
    return wh.query(render(AUDITOR_SUMMARY, where=where), params)
