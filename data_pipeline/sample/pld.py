"""The central PLD log: one Practice Learning Day per service area per cycle, and the dates around it."""

import numpy as np

from . import cycles, layout, messy, stories
from .forms import Sheet
from .org import AREAS
from .rng import stream

PROFILE = "pld-log-v1"
THEMES = (
    "Management oversight",
    "Planning and review",
    "Assessment and analysis",
    "Voice of the child",
    "Multi-agency working",
    "Recording",
    "Impact and outcomes",
    "Supervision and wellbeing",
)
THEME_EXCEPTIONS = {
    (stories.OTHER_THEME_AREA, cycles.VOICE_PLD): "Pathway planning",
    ("Disabled Children", 5): "Transitions to adulthood",
    ("Children in Care", 6): "Permanence",
}


def plan(seed: int) -> dict[str, np.ndarray]:
    """(area, cycle) arrays of the PLD dates, theme and partner involvement; NaT where nothing happened (yet).

    A PLD still to come on the export day is logged as planned for the day it will be held, no later."""
    rng = stream(seed, "pld")
    shape = (len(AREAS), cycles.COUNT)
    third_month = np.broadcast_to(cycles.STARTS.astype("M8[M]") + 2, shape).astype("M8[D]")
    planned = cycles.weekday(third_month + rng.integers(5, 21, size=shape))
    moved = rng.random(shape) < 0.15
    held = cycles.weekday(planned + np.where(moved, rng.integers(-4, 5, size=shape), 0))
    planned = np.where(held > cycles.EXPORT_DAY, np.maximum(planned, held), planned)
    held = cycles.by_then(held)
    for area, cycle in stories.NOT_HELD:
        held[AREAS.index(area), cycle] = np.datetime64("NaT")
    late_planning = np.array([a == stories.LATE_PLANNING_AREA for a in AREAS])[:, None]
    lead = np.where(late_planning, rng.integers(5, 21, size=shape), rng.integers(28, 46, size=shape))
    late_report = np.where(
        np.array([a == stories.LATE_REPORT_AREA for a in AREAS])[:, None],
        rng.random(shape) < 0.6,
        rng.random(shape) < 0.06,
    )
    lag = np.where(late_report, rng.integers(18, 41, size=shape), rng.integers(4, 15, size=shape))
    return {
        "planned": planned,
        "held": held,
        "planning": cycles.by_then(cycles.weekday(planned - lead)),
        "report": cycles.by_then(cycles.weekday(held + lag)),
        "partners": _partners(held, rng),
        "theme": _themes(),
    }


def _partners(held: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """At least one multi-agency PLD a financial year in every area but one, which never holds one."""
    out = rng.random(held.shape) < 0.15
    for area in range(len(AREAS)):
        for year in cycles.FINANCIAL_YEARS:
            options = [c for c in year if not np.isnat(held[area, c])]
            if options:  # none in a new year whose first PLD is still to come
                out[area, rng.choice(options)] = True
    out[AREAS.index(stories.NO_PARTNER_AREA)] = False
    return out & ~np.isnat(held)


def _themes() -> np.ndarray:
    themes = np.array([list(THEMES)] * len(AREAS), dtype=object)
    for (area, cycle), theme in THEME_EXCEPTIONS.items():
        themes[AREAS.index(area), cycle] = theme
    return themes


def sheet(plds: dict[str, np.ndarray], seed: int) -> Sheet:
    """The log as the head of service keeps it: cycle by cycle, area by area, saved as UTF-8 CSV with a BOM."""
    rng = stream(seed, "pld sheet")
    area, cycle = (grid.T.ravel() for grid in np.indices(plds["planned"].shape))
    pick = {name: grid.T.ravel() for name, grid in plds.items()}
    fields = {
        "service_area": np.array(AREAS, dtype=object)[area],
        "cycle": np.array([cycles.label(c) for c in range(cycles.COUNT)], dtype=object)[cycle],
        "theme": pick["theme"],
        "planned_date": messy.plain_dates(pick["planned"], rng),
        "held_date": messy.plain_dates(pick["held"], rng),
        "planning_meeting_date": messy.plain_dates(pick["planning"], rng),
        "multi_agency": messy.yes_no(pick["partners"], 0.08, rng),
        "report_date": messy.plain_dates(pick["report"], rng),
    }
    columns = layout.lay_out(PROFILE, list(fields), fields)
    return Sheet("pld-log", PROFILE, columns, fmt="csv-utf8-bom", id_heading="")
