"""What difference did it make? Practice grades before and after each PLD, and re-audited children.

**PLD themes.** Each PLD that was held and has a theme is matched to an area of practice: first by the
mapping given (``THEME_AREAS`` by default, a council's judgement of which area a theme works on), else
by name (a theme spelled like an area of practice, ignoring case). A theme with neither has no
comparison, and ``theme_practice_areas`` says so.

**Before and after.** Within the PLD's service area, the share of that area of practice graded good or
better (High on the assurance scale) in the ``window`` cycles up to and including the PLD's own (its
collaborative audits are done in the month before it) against the ``window`` cycles after it. The cycle
range of the filters chooses the PLDs; their windows may reach outside it. Every other filter applies to
the audits. Pooled by theme, an audit is counted once for each PLD whose window it falls in.

**Re-audits.** A child audited in more than one cycle: their first overall grade (earliest cycle, then
date, then audit id) against their latest.

Grade counts read the practice cube (a mart), so a comparison costs the same at any scale.
"""

from dataclasses import replace

import numpy as np
import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render
from qa_read.grades import check_scale, with_interval

WINDOW = 2
THEME_AREAS = (
    ("Supervision and wellbeing", "Management oversight"),
    ("Pathway planning", "Planning and review"),
    ("Transitions to adulthood", "Planning and review"),
    ("Permanence", "Planning and review"),
)
BEFORE, AFTER = "Before", "After"
CHANGES = ("Improved", "Same", "Worse")


def _position(column: str) -> str:
    """SQL for a cycle's place in time: consecutive quarters differ by one."""
    return f"(CAST(left({column}, 4) AS INTEGER) * 4 + CAST(right({column}, 1) AS INTEGER))"


THEMED = """
    mapping(theme, practice_area) AS (
        {mapping}
    ), plds AS (
        SELECT p.* FROM pld_events p WHERE {pld} AND p.held_date IS NOT NULL AND p.theme IS NOT NULL
    ), known_areas AS (
        SELECT DISTINCT practice_area FROM practice_cube
    ), themed AS (
        SELECT p.pld_id, p.service_area, p.cycle, p.theme, p.held_date, {pld_position} AS position,
               coalesce(m.practice_area, k.practice_area) AS practice_area,
               CASE WHEN m.practice_area IS NOT NULL THEN 'mapping'
                    WHEN k.practice_area IS NOT NULL THEN 'name' END AS matched_by
        FROM plds p
        LEFT JOIN mapping m ON lower(m.theme) = lower(trim(p.theme))
        LEFT JOIN known_areas k ON lower(k.practice_area) = lower(trim(p.theme))
    )"""
THEMES = """
    WITH {themed}
    SELECT pld_id, service_area, cycle, theme, held_date, practice_area, matched_by
    FROM themed ORDER BY cycle, service_area
"""
WINDOWS = """
    WITH {themed}, settings AS (
        SELECT ?::INTEGER AS window
    ), scoped AS (
        SELECT a.* FROM practice_cube a WHERE {audits} AND a.scale = ?
    ), graded AS (
        SELECT s.service_area, s.cycle, {audit_position} AS position, s.practice_area, g.good_or_better, s.n
        FROM scoped s JOIN grade_scale g ON g.scale = s.scale AND g.grade = s.grade
    ), periods(period, sort) AS (
        VALUES ('Before', 1), ('After', 2)
    ), windowed AS (
        SELECT t.pld_id, CASE WHEN gr.position <= t.position THEN 'Before' ELSE 'After' END AS period,
               gr.cycle, gr.good_or_better, gr.n
        FROM themed t
        CROSS JOIN settings w
        JOIN graded gr ON gr.service_area = t.service_area AND gr.practice_area = t.practice_area
         AND gr.position > t.position - w.window AND gr.position <= t.position + w.window
    ), counted AS (
        SELECT pld_id, period, sum(n)::BIGINT AS n, coalesce(sum(n) FILTER (WHERE good_or_better), 0)::BIGINT AS k,
               min(cycle) AS first_cycle, max(cycle) AS last_cycle
        FROM windowed GROUP BY ALL
    ), final AS (
        SELECT t.pld_id, t.service_area, t.cycle, t.theme, t.practice_area, p.period, p.sort,
               c.first_cycle, c.last_cycle, coalesce(c.n, 0) AS n, coalesce(c.k, 0) AS k
        FROM themed t CROSS JOIN periods p
        LEFT JOIN counted c ON c.pld_id = t.pld_id AND c.period = p.period
        WHERE t.practice_area IS NOT NULL
    )
    SELECT * EXCLUDE (sort) FROM final ORDER BY cycle, service_area, sort
"""
REAUDITS = """
    scoped AS (
        SELECT a.* FROM reaudit_audits a WHERE {where} AND a.scale = ?
    ), graded AS (
        SELECT s.child_id, s.cycle, s.audit_date, s.audit_id, s.overall_grade, g.rank
        FROM scoped s JOIN grade_scale g ON g.scale = s.scale AND g.grade = s.overall_grade
    ), pairs AS (
        SELECT child_id,
               first(overall_grade ORDER BY cycle, audit_date, audit_id) AS first_grade,
               last(overall_grade ORDER BY cycle, audit_date, audit_id) AS latest_grade
        FROM graded GROUP BY child_id HAVING min(cycle) <> max(cycle)
    )"""
TRANSITIONS = """
    WITH {reaudits}, grid AS (
        SELECT a.grade AS first_grade, a.rank AS first_rank, b.grade AS latest_grade, b.rank AS latest_rank
        FROM grade_scale a JOIN grade_scale b ON b.scale = a.scale
        WHERE a.scale = ?
    ), counted AS (
        SELECT first_grade, latest_grade, count(*) AS n FROM pairs GROUP BY ALL
    )
    SELECT g.*, coalesce(c.n, 0)::BIGINT AS n
    FROM grid g LEFT JOIN counted c USING (first_grade, latest_grade)
    ORDER BY g.first_rank, g.latest_rank
"""


def _mapping(mapping: tuple[tuple[str, str], ...]) -> tuple[str, list]:
    if not mapping:
        return "SELECT NULL::VARCHAR, NULL::VARCHAR WHERE false", []
    rows = ", ".join("(lower(?::VARCHAR), ?::VARCHAR)" for _ in mapping)
    return f"VALUES {rows}", [value for pair in mapping for value in pair]


def _themed(f: Filters, mapping: tuple[tuple[str, str], ...]) -> tuple[str, list]:
    values, mapping_params = _mapping(mapping)
    where, params = f.where(C.PLD_EVENTS)
    sql = render(THEMED, mapping=values, pld=where, pld_position=_position("p.cycle"))
    return sql, [*mapping_params, *params]


@cached
def theme_practice_areas(wh: Warehouse, f: Filters, mapping: tuple[tuple[str, str], ...] = THEME_AREAS) -> pd.DataFrame:
    """Each held PLD with a theme, and the area of practice it is compared on.

    Columns: pld_id, service_area, cycle, theme, held_date, practice_area (None when nothing matches),
    matched_by ('mapping', 'name' or None).
    """
    themed, params = _themed(f, mapping)
    return wh.query(render(THEMES, themed=themed), params)


@cached
def impact_by_pld(
    wh: Warehouse,
    f: Filters,
    scale: str = "Ofsted",
    window: int = WINDOW,
    mapping: tuple[tuple[str, str], ...] = THEME_AREAS,
) -> pd.DataFrame:
    """Two rows per matched PLD, Before then After: its area of practice good or better in its service area.

    Columns: pld_id, service_area, cycle (the PLD's), theme, practice_area, period (Before, After),
    first_cycle, last_cycle (the audit cycles found in the window), n (grades), k (good or better), share,
    lower, upper, small_n.
    """
    return with_interval(_windows(wh, f, scale, window, mapping))


@cached
def impact_by_theme(
    wh: Warehouse,
    f: Filters,
    scale: str = "Ofsted",
    window: int = WINDOW,
    mapping: tuple[tuple[str, str], ...] = THEME_AREAS,
) -> pd.DataFrame:
    """Before and after pooled over every PLD of a theme.

    Columns: theme, practice_area, period, plds (PLDs pooled), service_areas, n, k, share, lower, upper,
    small_n.
    """
    rows = _windows(wh, f, scale, window, mapping)
    pooled = rows.groupby(["theme", "practice_area", "period"], as_index=False, sort=False).agg(
        plds=("pld_id", "nunique"), service_areas=("service_area", "nunique"), n=("n", "sum"), k=("k", "sum")
    )
    order = pooled["period"].map({BEFORE: 0, AFTER: 1})
    pooled = pooled.assign(_order=order).sort_values(["theme", "_order"]).drop(columns="_order")
    return with_interval(pooled.reset_index(drop=True))


@cached
def _windows(wh: Warehouse, f: Filters, scale: str, window: int, mapping) -> pd.DataFrame:
    if not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a whole number of cycles, 1 or more, not {window!r}")
    themed, params = _themed(f, mapping)
    audits, audit_params = replace(f, cycle_from=None, cycle_to=None).where(C.AUDITS)
    sql = render(WINDOWS, themed=themed, audits=audits, audit_position=_position("s.cycle"))
    return wh.query(sql, [*params, window, *audit_params, check_scale(scale)])


@cached
def themes_compared(
    wh: Warehouse,
    f: Filters,
    scale: str = "Ofsted",
    window: int = WINDOW,
    mapping: tuple[tuple[str, str], ...] = THEME_AREAS,
) -> pd.DataFrame:
    """``impact_by_theme`` side by side (``compare``): the largest rise resting on enough grades either side first,
    as a theme on too few is never called up or down; themes with nothing to compare last."""
    themes = compare(impact_by_theme(wh, f, scale, window, mapping), ["theme", "practice_area"])
    ordered = themes.sort_values(["small_n", "difference"], ascending=[True, False], na_position="last")
    return ordered.reset_index(drop=True)


def compare(long: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Before and after side by side, with the difference (after minus before) and its 95% interval.

    ``long`` has a ``period`` column and the columns of ``with_interval``. The interval of the difference
    is Newcombe's hybrid score interval, built from the two Wilson intervals. Columns: ``keys``, then
    before_n, before_k, before_share, before_lower, before_upper, the same for after, difference,
    diff_lower, diff_upper, small_n (either side rests on too few grades).
    """
    measures = ["n", "k", "share", "lower", "upper"]
    sides = []
    for period, prefix in ((BEFORE, "before_"), (AFTER, "after_")):
        part = long[long["period"] == period][[*keys, *measures, "small_n"]]
        sides.append(part.rename(columns={c: prefix + c for c in [*measures, "small_n"]}))
    out = sides[0].merge(sides[1], on=keys, how="outer")
    p1, l1, u1 = out["after_share"], out["after_lower"], out["after_upper"]
    p2, l2, u2 = out["before_share"], out["before_lower"], out["before_upper"]
    out["difference"] = p1 - p2
    out["diff_lower"] = out["difference"] - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    out["diff_upper"] = out["difference"] + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    out["small_n"] = out["before_small_n"].fillna(True) | out["after_small_n"].fillna(True)
    return out.drop(columns=["before_small_n", "after_small_n"])


def _reaudits(f: Filters, scale: str) -> tuple[str, list]:
    where, params = f.where(C.AUDITS)
    return render(REAUDITS, where=where), [*params, check_scale(scale)]


@cached
def reaudit_transitions(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Children audited in more than one cycle, by first overall grade and latest; every pair of grades.

    Columns: first_grade, first_rank, latest_grade, latest_rank, n (children).
    """
    reaudits, params = _reaudits(f, scale)
    return wh.query(render(TRANSITIONS, reaudits=reaudits), [*params, check_scale(scale)])


@cached
def reaudit_changes(wh: Warehouse, f: Filters, scale: str = "Ofsted") -> pd.DataFrame:
    """Columns: change (Improved, Same, Worse: latest overall grade against first), n (children), share."""
    pairs = reaudit_transitions(wh, f, scale)
    sign = np.sign(pairs["latest_rank"] - pairs["first_rank"])
    counts = pairs.groupby(sign)["n"].sum()
    out = pd.DataFrame({"change": CHANGES, "n": [int(counts.get(s, 0)) for s in (-1, 0, 1)]})
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else float("nan")
    return out
