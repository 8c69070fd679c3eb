"""Supervision: are sessions held as often as expected, how good are they, and what do they cover?

"Held as expected" is sum(sessions held) / sum(sessions expected) over the reviews, so a review covering
six months weighs more than one covering three. It carries no Wilson interval: sessions of one person are
not independent trials, and held may exceed expected. Small numbers are judged on the count of reviews.
Every query starts from ``scoped`` (reviews within the filters) and ``labelled`` (missing team and
relationship read "Not recorded"), over the marts ``supervision_cube`` (reviews counted by everything
but the elements) or ``supervision_elements``: each row stands for ``n`` reviews.
"""

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render
from qa_read.grades import with_interval
from qa_read.stats import flag_small_n

# (column, label) of what the reviewer looked for in the records.
ELEMENTS = (
    ("strengths", "Strengths"),
    ("development", "Development"),
    ("wellbeing", "Wellbeing"),
    ("reflection", "Reflection"),
    ("training_needs", "Training needs"),
)
# What each breakdown groups by: a team is listed with its service area.
DIMENSIONS = {
    "cycle": "cycle",
    "relationship": "relationship",
    "service_area": "service_area",
    "team": "service_area, team",
}
DEFAULT_THRESHOLD = 0.8

LABELLED = """
    scoped AS (
        SELECT s.* FROM {source} s WHERE {where}
    ), labelled AS (
        SELECT * REPLACE (coalesce(team, ?) AS team, coalesce(relationship, ?) AS relationship) FROM scoped
    )"""
COMPLIANCE = """
    WITH {labelled}, counted AS (
        SELECT {dimension}, sum(n)::BIGINT AS reviews,
               sum(sessions_expected * n)::BIGINT AS expected, sum(sessions_held * n)::BIGINT AS held
        FROM labelled
        WHERE sessions_expected IS NOT NULL AND sessions_held IS NOT NULL
        GROUP BY ALL
    )
    SELECT *, held / nullif(expected, 0) AS share FROM counted ORDER BY {dimension}
"""
BELOW_THRESHOLD = """
    WITH {labelled}, graded AS (
        SELECT l.*, g.good_or_better FROM labelled l
        LEFT JOIN grade_scale g ON g.scale = 'Ofsted' AND g.grade = l.quality_grade
    ), counted AS (
        SELECT service_area, team, sum(n)::BIGINT AS reviews,
               sum(sessions_expected * n)::BIGINT AS expected, sum(sessions_held * n)::BIGINT AS held,
               coalesce(sum(n) FILTER (WHERE good_or_better), 0)
                   / nullif(sum(n) FILTER (WHERE good_or_better IS NOT NULL), 0) AS good_or_better,
               coalesce(sum(n) FILTER (WHERE wellbeing), 0)
                   / nullif(sum(n) FILTER (WHERE wellbeing IS NOT NULL), 0) AS wellbeing
        FROM graded
        WHERE sessions_expected IS NOT NULL AND sessions_held IS NOT NULL
        GROUP BY ALL
    )
    SELECT service_area, team, reviews, expected, held, held / nullif(expected, 0) AS share,
           expected - held AS missed, good_or_better, wellbeing
    FROM counted
    WHERE held < ? * expected
    ORDER BY share, service_area, team
"""
QUALITY = """
    WITH {labelled}, counts AS (
        SELECT cycle, quality_grade AS grade, sum(n) AS n
        FROM labelled WHERE quality_grade IS NOT NULL GROUP BY ALL
    ), grid AS (
        SELECT c.cycle, g.grade, g.rank, g.good_or_better
        FROM (SELECT DISTINCT cycle FROM counts) c CROSS JOIN grade_scale g
        WHERE g.scale = 'Ofsted'
    ), counted AS (
        SELECT grid.*, coalesce(counts.n, 0)::BIGINT AS n FROM grid LEFT JOIN counts USING (cycle, grade)
    ), final AS (
        SELECT *, (sum(n) OVER (PARTITION BY cycle))::BIGINT AS total FROM counted
    )
    SELECT *, n / total AS share FROM final ORDER BY cycle, rank
"""
ELEMENTS_SQL = """
    WITH {labelled}, elements(element, label, position) AS (
        VALUES ('strengths', 'Strengths', 1), ('development', 'Development', 2), ('wellbeing', 'Wellbeing', 3),
               ('reflection', 'Reflection', 4), ('training_needs', 'Training needs', 5)
    ), counted AS (
        SELECT element, {columns} sum(n)::BIGINT AS n, coalesce(sum(n) FILTER (WHERE present), 0)::BIGINT AS k
        FROM labelled GROUP BY ALL
    )
    SELECT e.element, e.label, {columns} c.n, c.k
    FROM counted c JOIN elements e USING (element)
    ORDER BY e.position {order}
"""


def _dimension(by: str) -> str:
    # ``by`` names identifiers, so it is checked against the allow-list, never bound.
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {tuple(DIMENSIONS)}, not {by!r}")
    return DIMENSIONS[by]


def labelled_ctes(f: Filters, source: str = "supervision_cube") -> tuple[str, list]:
    """The ``scoped`` and ``labelled`` CTEs (to follow a WITH) over one of the marts, and their parameters."""
    where, params = f.where(C.SUPERVISION)
    return render(LABELLED, where=where, source=source), [*params, C.NOT_RECORDED, C.NOT_RECORDED]


@cached
def compliance(wh: Warehouse, f: Filters, by: str = "team") -> pd.DataFrame:
    """Sessions held against sessions expected.

    Columns: <by> (for "team": service_area, team), reviews, expected, held, share (held / expected),
    small_n (fewer than SMALL_N reviews). ``by`` is one of DIMENSIONS. Reviews missing either count are left out.
    """
    labelled, params = labelled_ctes(f)
    sql = render(COMPLIANCE, labelled=labelled, dimension=_dimension(by))
    return flag_small_n(wh.query(sql, params), "reviews")


@cached
def below_threshold(wh: Warehouse, f: Filters, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Teams holding fewer than ``threshold`` (a fraction) of the sessions expected, lowest first.

    Columns: service_area, team, reviews, expected, held, share, missed (expected - held), good_or_better (share
    of graded reviews good or better), wellbeing (share of reviews recording wellbeing), small_n.
    """
    labelled, params = labelled_ctes(f)
    sql = render(BELOW_THRESHOLD, labelled=labelled)
    return flag_small_n(wh.query(sql, [*params, float(threshold)]), "reviews")


@cached
def quality_distribution(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle, grade, rank, good_or_better, n, total, share. Every Ofsted grade per cycle, zeros too."""
    labelled, params = labelled_ctes(f)
    return wh.query(render(QUALITY, labelled=labelled), params)


@cached
def elements(wh: Warehouse, f: Filters, by: str | None = None) -> pd.DataFrame:
    """How often each element was found in the records, overall or by one dimension.

    Columns: element, label, [<by> (for "team": service_area, team),] n (reviews), k (element present), share,
    lower, upper, small_n. Elements in ELEMENTS order.
    """
    dimension = "" if by is None else _dimension(by)
    labelled, params = labelled_ctes(f, "supervision_elements")
    columns, order = (f"{dimension}, ", f", {dimension}") if dimension else ("", "")
    sql = render(ELEMENTS_SQL, labelled=labelled, columns=columns, order=order)
    return with_interval(wh.query(sql, params))
