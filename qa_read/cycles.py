"""Options for the sidebar: cycles, service areas, teams, case types and instruments.

Option lists honour only the reader's scope (and, for teams, the chosen service areas), never the other
choices, so picking one team does not make the others vanish from the list.
"""

from dataclasses import replace

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render

# Option lists read the filter_options mart (distinct filter values per source table); the latest cycle
# reads the audit cube. ``sources`` names the tables whose values an option list offers.
OPTIONS = """
    SELECT DISTINCT {columns} FROM filter_options o
    WHERE {where} AND o.source IN ({sources}) AND {present}
    ORDER BY ALL
"""
LATEST_AND_PREVIOUS = """
    WITH latest AS (
        SELECT max(a.cycle) AS cycle FROM audit_cube a WHERE {within}
    ), previous AS (
        SELECT max(a.cycle) AS cycle FROM audit_cube a, latest WHERE {before} AND a.cycle < latest.cycle
    )
    SELECT latest.cycle AS latest, previous.cycle AS previous FROM latest, previous
"""
ALL_SOURCES = ("audits", "actions", "supervision_reviews", "child_voice", "focus_group_notes", "pld_events")
WITH_CYCLES = ("audits", "supervision_reviews", "child_voice", "focus_group_notes", "pld_events")
WITH_TEAMS = ("audits", "actions", "supervision_reviews", "child_voice")


def _options(wh: Warehouse, f: Filters, columns: tuple[str, ...], sources: tuple[str, ...]) -> pd.DataFrame:
    """Distinct ``columns`` (trusted names) of the filter_options rows of ``sources`` within ``f``."""
    where, params = f.where(C.OPTIONS)
    sql = render(
        OPTIONS,
        columns=", ".join(columns),
        where=where,
        sources=", ".join("?" for _ in sources),
        present=" AND ".join(f"{column} IS NOT NULL" for column in columns),
    )
    return wh.query(sql, [*params, *sources])


def _scope_only(f: Filters) -> Filters:
    return Filters(scope=f.scope)


@cached
def cycles(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle. Every cycle with any audit, supervision review, feedback, note or PLD."""
    return _options(wh, _scope_only(f), ("cycle",), WITH_CYCLES)


@cached
def latest_and_previous(wh: Warehouse, f: Filters) -> tuple[str | None, str | None]:
    """The latest audit cycle within the filters, and the audit cycle before it (ignoring ``cycle_from``)."""
    within, params = f.where(C.AUDITS)
    before, before_params = replace(f, cycle_from=None).where(C.AUDITS)
    row = wh.query(render(LATEST_AND_PREVIOUS, within=within, before=before), params + before_params).iloc[0]
    return tuple(None if pd.isna(row[key]) else row[key] for key in ("latest", "previous"))


@cached
def service_areas(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: service_area."""
    return _options(wh, _scope_only(f), ("service_area",), ALL_SOURCES)


@cached
def teams(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: service_area, team. Teams within the chosen service areas (all if none chosen)."""
    narrowed = Filters(service_areas=f.service_areas, scope=f.scope)
    return _options(wh, narrowed, ("service_area", "team"), WITH_TEAMS)


@cached
def case_types(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: case_type."""
    return _options(wh, _scope_only(f), ("case_type",), ("audits",))


@cached
def instruments(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: instrument, scale."""
    return _options(wh, _scope_only(f), ("instrument", "scale"), ("audits",))
