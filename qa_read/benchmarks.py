"""Published figures for the council beside its statistical neighbours and England; its Ofsted judgements.

These are public (DfE and Ofsted publications, docs/data-contract.md "Published reference data"), the same for
every reader, so they take no filters and no scope. The neighbours are the council's ten in the latest
statistical neighbour model loaded. "Rank" is among the council and those of its neighbours with a figure,
1 = the highest value, ties sharing a place.
"""

from dataclasses import dataclass

import pandas as pd

from qa_read.db import Warehouse, cached


@dataclass(frozen=True)
class Measure:
    key: str  # reference_figures.measure
    label: str
    group: str  # "Workforce" | "Demand"
    short: str  # unit as shown after a figure: "%", " cases"
    decimals: int = 1  # as published: the rate per 10,000 and the placement percentages are whole numbers


MEASURES = (
    Measure("caseload_fte", "Caseload per case-holding social worker (FTE)", "Workforce", " cases"),
    Measure("turnover_rate_fte", "Social worker turnover (FTE)", "Workforce", "%"),
    Measure("agency_rate_fte", "Agency social workers (FTE)", "Workforce", "%"),
    Measure("vacancy_rate_fte", "Social worker vacancies (FTE)", "Workforce", "%"),
    Measure("absence_rate_fte", "Social worker sickness absence", "Workforce", "%"),
    Measure("rereferral_percent", "Re-referrals within 12 months", "Demand", "%"),
    Measure("CPP_subsequent_percent", "Second or subsequent child protection plans", "Demand", "%"),
    Measure(
        "rate_per_10000: Children looked after on 31 March each year",
        "Children looked after per 10,000 children",
        "Demand",
        "",  # the label names the unit; "93 per 10,000" would only repeat it
        0,
    ),
    Measure(
        "children_percent: CLA on 31 March: With 3 or more placements during the year",
        "Looked-after children with 3 or more placements in the year",
        "Demand",
        "%",
        0,
    ),
)
BY_KEY = {m.key: m for m in MEASURES}

COUNCIL = """
    SELECT la_code, ons_code, area_name, region FROM reference_areas
    WHERE la_code IN (SELECT la_code FROM reference_areas WHERE la_code = ? OR ons_code = ?)
    ORDER BY publication = 'ofsted_areas' DESC, publication
    LIMIT 1
"""
MODEL = "SELECT max(publication) AS model FROM reference_neighbours WHERE la_code = ?"
NEIGHBOURS = """
    WITH names AS (
        SELECT la_code, any_value(area_name ORDER BY publication = 'ofsted_areas' DESC) AS area_name
        FROM reference_areas GROUP BY la_code
    )
    SELECT n.position, n.neighbour_la_code AS la_code, coalesce(names.area_name, n.neighbour_la_code) AS area_name,
           n.closeness
    FROM reference_neighbours n LEFT JOIN names ON names.la_code = n.neighbour_la_code
    WHERE n.publication = ? AND n.la_code = ?
    ORDER BY n.position
"""
SERIES = """
    WITH peers AS (
        SELECT neighbour_la_code AS la_code FROM reference_neighbours WHERE publication = ? AND la_code = ?
    ), wanted AS (
        SELECT * FROM reference_figures WHERE list_contains(?::VARCHAR[], measure)
    ), england AS (
        SELECT publication, period, as_at, measure, unit, value AS england FROM wanted WHERE level = 'England'
    ), council AS (
        SELECT period, measure, value, marker FROM wanted WHERE level = 'Local authority' AND la_code = ?
    ), neighbours AS (
        SELECT period, measure, median(value) AS neighbours_median, min(value) AS neighbours_low,
               max(value) AS neighbours_high, count(value) AS neighbours_reporting
        FROM wanted WHERE level = 'Local authority' AND la_code IN (SELECT la_code FROM peers)
        GROUP BY ALL
    ), ranked AS (
        SELECT period, measure, la_code, rank() OVER (PARTITION BY period, measure ORDER BY value DESC) AS rank,
               count(*) OVER (PARTITION BY period, measure) AS ranked_of
        FROM wanted
        WHERE level = 'Local authority' AND value IS NOT NULL
          AND (la_code = ? OR la_code IN (SELECT la_code FROM peers))
    )
    SELECT e.publication, l.title, e.period, e.as_at, e.measure, e.unit, c.value, c.marker, m.meaning,
           n.neighbours_median, n.neighbours_low, n.neighbours_high, coalesce(n.neighbours_reporting, 0)
               AS neighbours_reporting,
           e.england, r.rank, r.ranked_of
    FROM england e
    JOIN reference_log l USING (publication)
    LEFT JOIN council c USING (period, measure)
    LEFT JOIN reference_markers m ON m.marker = c.marker
    LEFT JOIN neighbours n USING (period, measure)
    LEFT JOIN ranked r ON r.period = e.period AND r.measure = e.measure AND r.la_code = ?
    ORDER BY e.measure, e.period
"""
# The official statistics where they hold an inspection; the reports read by the scrape tool for the rest
# (those published after the official release, including the 2026 framework's). ILACS only: from 2018.
INSPECTIONS = """
    WITH mine AS (
        SELECT * FROM reference_inspections WHERE la_code = ? AND started IS NOT NULL
    ), official AS (
        SELECT DISTINCT started FROM mine WHERE publication = 'ofsted_outcomes'
    )
    SELECT i.publication, i.started, i.ended, i.published, i.inspection_type, i.judgement, i.grade, i.marker,
           m.meaning
    FROM mine i LEFT JOIN reference_markers m USING (marker)
    WHERE i.publication = 'ofsted_outcomes' OR i.started NOT IN (SELECT started FROM official)
    ORDER BY i.started, i.judgement
"""


@dataclass(frozen=True)
class Council:
    la_code: str
    ons_code: str
    name: str
    region: str | None


@cached
def council(wh: Warehouse, code: str) -> Council | None:
    """The council a DfE LA code ("851") or ONS code ("E06000044") names, or None when no publication has it."""
    found = wh.query(COUNCIL, [code.strip(), code.strip()])
    if found.empty:
        return None
    row = found.iloc[0]
    return Council(row["la_code"], row["ons_code"], row["area_name"], None if pd.isna(row["region"]) else row["region"])


@cached
def neighbour_model(wh: Warehouse, la_code: str) -> str | None:
    """The latest statistical neighbour model that lists this council (publications sort by year)."""
    model = wh.query(MODEL, [la_code])["model"].iloc[0]
    return None if pd.isna(model) else model


@cached
def neighbours(wh: Warehouse, la_code: str) -> pd.DataFrame:
    """Columns: position, la_code, area_name, closeness: the council's neighbours, closest first."""
    return wh.query(NEIGHBOURS, [neighbour_model(wh, la_code), la_code])


@cached
def series(wh: Warehouse, la_code: str, measures: tuple[str, ...] = tuple(BY_KEY)) -> pd.DataFrame:
    """One row per measure and period England has a figure for. Columns: publication, title, period, as_at,
    measure, unit, value and marker (the council's figure, or why it is missing, with the marker's meaning),
    neighbours_median, neighbours_low, neighbours_high, neighbours_reporting, england, rank, ranked_of."""
    model = neighbour_model(wh, la_code)
    return wh.query(SERIES, [model, la_code, list(measures), la_code, la_code, la_code])


@cached
def inspections(wh: Warehouse, la_code: str) -> pd.DataFrame:
    """One row per ILACS inspection and judgement: publication, started, ended, published, inspection_type,
    judgement, grade, marker and its meaning (why no grade)."""
    return wh.query(INSPECTIONS, [la_code])
