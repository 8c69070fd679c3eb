"""Deliberately bad rows, which the pipeline must reject with a reason rather than load."""

import numpy as np

from . import cycles
from .messy import ymd

RATE = 0.002  # per kind of fault, so four kinds make roughly 0.8% of a form; at least one of each
BAD_GRADES = ("Good-ish", "Adequate", "Satisfactory")
BAD_ASSURANCE = ("Medium-high", "Good", "Amber")
IMPOSSIBLE_DAYS = ("31/02", "30/02", "31/04", "31/06", "31/09", "31/11")


def choose(count: int, kinds: tuple[str, ...], rng: np.random.Generator) -> np.ndarray:
    """Per row, "" or the kind of fault it will carry."""
    each = max(1, round(count * RATE))
    out = np.full(count, "", dtype=object)
    if count < 4 * each * len(kinds):
        return out
    rows = rng.choice(count, size=each * len(kinds), replace=False)
    out[rows] = np.repeat(np.array(kinds, dtype=object), each)
    return out


def corrupt(
    columns: dict[str, np.ndarray],
    bad: np.ndarray,
    days: np.ndarray,
    headings: dict[str, str],
    bad_grades: tuple[str, ...] = BAD_GRADES,
) -> None:
    """Put each row's fault into its cells; `headings` names the grade, date, cycle and area columns."""
    for kind, rows in ((k, np.flatnonzero(bad == k)) for k in sorted(set(bad.tolist()) - {""})):
        if kind == "bad_grade":
            columns[headings["grade"]][rows] = [bad_grades[i % len(bad_grades)] for i in range(len(rows))]
        elif kind == "missing_service_area":
            columns[headings["area"]][rows] = None
        else:
            columns[headings["date"]][rows] = _bad_dates(kind, days[rows])
            if "cycle" in headings:
                columns[headings["cycle"]][rows] = None


def _bad_dates(kind: str, days: np.ndarray) -> list[str]:
    years, months, mdays = ymd(days.astype("M8[D]"))
    future = cycles.EXPORT_DAY.astype(object).year + 1
    if kind == "bad_date":
        return [f"{IMPOSSIBLE_DAYS[i % len(IMPOSSIBLE_DAYS)]}/{y}" for i, y in enumerate(years)]
    return [f"{min(d, 28):02d}/{m:02d}/{future}" for m, d in zip(months, mdays)]
