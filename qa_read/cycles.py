"""Options for the sidebar: cycles, service areas, teams, case types and instruments.

Option lists honour only the reader's scope (and, for teams, the chosen service areas), never the other
choices, so picking one team does not make the others vanish from the list.
"""

import datetime as dt
import re
from dataclasses import replace

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached
from qa_read.filters import Filters, render, wheres

_CYCLE = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")


def cycle_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a UK financial-year quarter: ``2025/26 Q2`` is 1 July to 30 September 2025."""
    match = _CYCLE.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a cycle label: {label!r}")
    year, quarter = int(match[1]), int(match[3])
    start = dt.date(year, 3 * quarter + 1, 1) if quarter < 4 else dt.date(year + 1, 1, 1)
    after = dt.date(start.year, start.month + 3, 1) if start.month < 10 else dt.date(start.year + 1, 1, 1)
    return start, after - dt.timedelta(days=1)


CYCLES = """
    WITH options AS (
        SELECT a.cycle FROM audits a WHERE {audits}
        UNION SELECT s.cycle FROM supervision_reviews s WHERE {supervision}
        UNION SELECT v.cycle FROM child_voice v WHERE {voice}
        UNION SELECT n.cycle FROM focus_group_notes n WHERE {notes}
        UNION SELECT p.cycle FROM pld_events p WHERE {pld}
    )
    SELECT cycle FROM options ORDER BY cycle
"""
LATEST_AND_PREVIOUS = """
    WITH latest AS (
        SELECT max(a.cycle) AS cycle FROM audits a WHERE {within}
    ), previous AS (
        SELECT max(a.cycle) AS cycle FROM audits a, latest WHERE {before} AND a.cycle < latest.cycle
    )
    SELECT latest.cycle AS latest, previous.cycle AS previous FROM latest, previous
"""
SERVICE_AREAS = """
    WITH options AS (
        SELECT a.service_area FROM audits a WHERE {audits}
        UNION SELECT x.service_area FROM actions x WHERE {actions}
        UNION SELECT s.service_area FROM supervision_reviews s WHERE {supervision}
        UNION SELECT v.service_area FROM child_voice v WHERE {voice}
        UNION SELECT n.service_area FROM focus_group_notes n WHERE {notes}
        UNION SELECT p.service_area FROM pld_events p WHERE {pld}
    )
    SELECT service_area FROM options ORDER BY service_area
"""
TEAMS = """
    WITH options AS (
        SELECT a.service_area, a.team FROM audits a WHERE {audits}
        UNION SELECT x.service_area, x.team FROM actions x WHERE {actions}
        UNION SELECT s.service_area, s.team FROM supervision_reviews s WHERE {supervision}
        UNION SELECT v.service_area, v.team FROM child_voice v WHERE {voice}
    )
    SELECT service_area, team FROM options WHERE team IS NOT NULL ORDER BY service_area, team
"""
CASE_TYPES = """
    SELECT DISTINCT a.case_type FROM audits a
    WHERE {audits} AND a.case_type IS NOT NULL
    ORDER BY a.case_type
"""
INSTRUMENTS = "SELECT DISTINCT a.instrument, a.scale FROM audits a WHERE {audits} ORDER BY a.instrument"


def _scope_only(f: Filters) -> Filters:
    return Filters(scope=f.scope)


@cached
def cycles(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle. Every cycle with any audit, supervision review, feedback, note or PLD."""
    fragments, params = wheres(
        _scope_only(f),
        audits=C.AUDITS,
        supervision=C.SUPERVISION,
        voice=C.CHILD_VOICE,
        notes=C.FOCUS_GROUPS,
        pld=C.PLD_EVENTS,
    )
    return wh.query(render(CYCLES, **fragments), params)


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
    fragments, params = wheres(
        _scope_only(f),
        audits=C.AUDITS,
        actions=C.ACTIONS,
        supervision=C.SUPERVISION,
        voice=C.CHILD_VOICE,
        notes=C.FOCUS_GROUPS,
        pld=C.PLD_EVENTS,
    )
    return wh.query(render(SERVICE_AREAS, **fragments), params)


@cached
def teams(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: service_area, team. Teams within the chosen service areas (all if none chosen)."""
    narrowed = Filters(service_areas=f.service_areas, scope=f.scope)
    fragments, params = wheres(
        narrowed, audits=C.AUDITS, actions=C.ACTIONS, supervision=C.SUPERVISION, voice=C.CHILD_VOICE
    )
    return wh.query(render(TEAMS, **fragments), params)


@cached
def case_types(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: case_type."""
    fragments, params = wheres(_scope_only(f), audits=C.AUDITS)
    return wh.query(render(CASE_TYPES, **fragments), params)


@cached
def instruments(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: instrument, scale."""
    fragments, params = wheres(_scope_only(f), audits=C.AUDITS)
    return wh.query(render(INSTRUMENTS, **fragments), params)
