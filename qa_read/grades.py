"""Grade distributions, "good or better" rates with Wilson intervals, the practice heatmap and drill-downs.

Counts read the marts (``audit_cube``, ``practice_cube``: one row per combination of filter values and
grades, weighted by ``n``) so a view costs the same at a million audits as at a thousand. Drill-downs
read the audits themselves through the same CTEs with every row weighing 1, so the rows behind a bar
number what the bar says (tests/read/test_read_grades.py holds the two to each other).
"""

import pandas as pd

from data_pipeline.vocab import SCALE_ORDER
from qa_read import columns as C
from qa_read.db import Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.stats import flag_small_n, wilson_interval

SCALES = tuple(SCALE_ORDER)
DIMENSIONS = ("service_area", "team", "case_type")
KEY_COLUMNS = (
    "audit_id, cycle, audit_date, service_area, team, case_type, "
    "worker_key, auditor_key, child_key, overall_grade, moderated_grade"
)

# The audits as rows (drill-downs) or the audit cube (counts); both have every filter column and ``n``.
AUDIT_ROWS = "(SELECT *, 1::BIGINT AS n FROM audits)"
AUDIT_CUBE = "audit_cube"
GRADED = """
    scoped AS (
        SELECT a.* FROM {source} a WHERE {where} AND a.scale = ?
    ), graded AS (
        SELECT s.*, g.rank, g.good_or_better
        FROM scoped s JOIN grade_scale g ON g.scale = s.scale AND g.grade = s.overall_grade
    )"""
PRACTICE_COUNTS = """
    practice AS (
        SELECT a.*, coalesce(a.team, ?) AS team_label, g.good_or_better AS practice_good
        FROM practice_cube a JOIN grade_scale g ON g.scale = a.scale AND g.grade = a.grade
        WHERE {where} AND a.scale = ?
    )"""
PRACTICE = """
    {graded}, practice AS (
        SELECT s.*, pg.practice_area, pg.grade AS practice_grade, coalesce(s.team, ?) AS team_label,
               g.good_or_better AS practice_good
        FROM scoped s
        JOIN audit_grades pg ON pg.audit_id = s.audit_id
        JOIN grade_scale g ON g.scale = s.scale AND g.grade = pg.grade
    )"""
DISTRIBUTION = """
    WITH {graded}, counts AS (
        SELECT cycle, overall_grade AS grade, sum(n) AS n FROM graded GROUP BY ALL
    ), grid AS (
        SELECT c.cycle, g.grade, g.rank, g.good_or_better
        FROM (SELECT DISTINCT cycle FROM graded) c CROSS JOIN grade_scale g
        WHERE g.scale = ?
    ), counted AS (
        SELECT grid.*, coalesce(counts.n, 0)::BIGINT AS n
        FROM grid LEFT JOIN counts USING (cycle, grade)
    ), final AS (
        SELECT *, (sum(n) OVER (PARTITION BY cycle))::BIGINT AS total FROM counted
    )
    SELECT *, n / total AS share FROM final ORDER BY cycle, rank
"""
BY_CYCLE = """
    WITH {graded}
    SELECT cycle, sum(n)::BIGINT AS n, coalesce(sum(n) FILTER (WHERE good_or_better), 0)::BIGINT AS k
    FROM graded GROUP BY cycle ORDER BY cycle
"""
BY_DIMENSION = """
    WITH {graded}, labelled AS (
        SELECT cycle, coalesce({dimension}, ?) AS {dimension}, good_or_better, n FROM graded
    )
    SELECT cycle, {dimension}, sum(n)::BIGINT AS n,
           coalesce(sum(n) FILTER (WHERE good_or_better), 0)::BIGINT AS k
    FROM labelled GROUP BY ALL ORDER BY cycle, {dimension}
"""
HEATMAP = """
    WITH {practice}
    SELECT practice_area, team_label AS team, sum(n)::BIGINT AS n,
           coalesce(sum(n) FILTER (WHERE practice_good), 0)::BIGINT AS k
    FROM practice GROUP BY ALL ORDER BY practice_area, team
"""
BEHIND_BAR = """
    WITH {graded}
    SELECT {keys} FROM graded
    WHERE cycle = ? AND overall_grade = ?
    ORDER BY audit_date, audit_id
"""
BEHIND_CELL = """
    WITH {practice}
    SELECT {keys}, practice_area, practice_grade FROM practice
    WHERE practice_area = ? AND team_label = ?
    ORDER BY audit_date, audit_id
"""


def check_scale(scale: str) -> str:
    """The canonical scale label, any capitalisation accepted; raises on anything else."""
    by_fold = {s.casefold(): s for s in SCALES}
    if not isinstance(scale, str) or scale.casefold() not in by_fold:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    return by_fold[scale.casefold()]


def graded_ctes(f: Filters, scale: str, source: str = AUDIT_CUBE) -> tuple[str, list]:
    """The ``scoped`` and ``graded`` CTEs (to follow a WITH) and their parameters; ``n`` weighs each row."""
    where, params = f.where(C.AUDITS)
    return render(GRADED, where=where, source=source), [*params, check_scale(scale)]


def practice_counts_cte(f: Filters, scale: str) -> tuple[str, list]:
    """``practice``: graded areas of practice from the practice cube, weighted by ``n``, with a team label."""
    where, params = f.where(C.AUDITS)
    return render(PRACTICE_COUNTS, where=where), [C.NOT_RECORDED, *params, check_scale(scale)]


def practice_ctes(f: Filters, scale: str) -> tuple[str, list]:
    """``graded_ctes`` over audit rows plus ``practice``: one row per graded area of practice, with a team label."""
    graded, params = graded_ctes(f, scale, AUDIT_ROWS)
    return render(PRACTICE, graded=graded), [*params, C.NOT_RECORDED]


def with_interval(df: pd.DataFrame) -> pd.DataFrame:
    """Add share = k / n, its Wilson 95% bounds (lower, upper) and the small-number flag."""
    out = df.copy()
    out["share"] = out["k"] / out["n"].where(out["n"] > 0)
    out["lower"], out["upper"] = wilson_interval(out["k"].to_numpy(), out["n"].to_numpy())
    return flag_small_n(out, "n")


@cached
def grade_distribution(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: cycle, grade, rank, good_or_better, n, total, share. Every grade of the scale, zeros too."""
    graded, params = graded_ctes(f, scale)
    return wh.query(render(DISTRIBUTION, graded=graded), [*params, check_scale(scale)])


@cached
def good_or_better_by_cycle(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: cycle, n, k, share, lower, upper, small_n (k = audits good or better, n = graded audits)."""
    graded, params = graded_ctes(f, scale)
    return with_interval(wh.query(render(BY_CYCLE, graded=graded), params))


@cached
def good_or_better_by(wh: Warehouse, f: Filters, dimension: str, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: cycle, <dimension>, n, k, share, lower, upper, small_n. Missing reads "Not recorded"."""
    # ``dimension`` is an identifier, so it is checked against the allow-list, never bound.
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    graded, params = graded_ctes(f, scale)
    sql = render(BY_DIMENSION, graded=graded, dimension=dimension)
    return with_interval(wh.query(sql, [*params, C.NOT_RECORDED]))


@cached
def practice_heatmap(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: practice_area, team, n, k, share, lower, upper, small_n; one row per cell with any grade."""
    practice, params = practice_counts_cte(f, scale)
    return with_interval(wh.query(render(HEATMAP, practice=practice), params))


@rows_only
@cached
def audits_behind_bar(wh: Warehouse, f: Filters, cycle: str, grade: str, scale: str = "Ofsted") -> pd.DataFrame:
    """The audits counted in one (cycle, grade) bar of ``grade_distribution``.

    Columns: audit_id, cycle, audit_date, service_area, team, case_type, worker_key, auditor_key, child_key,
    overall_grade, moderated_grade. Keys only: the warehouse holds no names.
    """
    graded, params = graded_ctes(f, scale, AUDIT_ROWS)
    return wh.query(render(BEHIND_BAR, graded=graded, keys=KEY_COLUMNS), [*params, cycle, grade])


@rows_only
@cached
def audits_behind_cell(
    wh: Warehouse, f: Filters, practice_area: str, team: str | None, scale: str = "Ofsted"
) -> pd.DataFrame:
    """The audits counted in one (practice_area, team) heatmap cell.

    Columns: those of ``audits_behind_bar``, then practice_area and practice_grade. ``team`` is the label the
    heatmap showed; "Not recorded" (or None) selects audits with no team.
    """
    practice, params = practice_ctes(f, scale)
    sql = render(BEHIND_CELL, practice=practice, keys=KEY_COLUMNS)
    return wh.query(sql, [*params, practice_area, team or C.NOT_RECORDED])
