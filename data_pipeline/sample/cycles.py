"""The eight PLD cycles the sample covers, UK financial-year quarters, dated relative to the day it is built.

The story was written as at ``ANCHOR`` (exports taken on 20 November 2026, cycles 2024/25 Q3 to 2026/27 Q2).
Built on another day, every date moves by whole quarters: as many as keep the export day on or before the build
day, so the newest cycle is at most a quarter behind and nothing is dated in the future. ``use(built)`` sets the
calendar below for one build; the same seed and build day give the same files.
"""

import datetime as dt

import numpy as np

ANCHOR = dt.date(2026, 11, 20)  # the build day the story was written for: the shipped sample_data/
ANCHOR_QUARTERS = ((2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2))
COUNT = len(ANCHOR_QUARTERS)
VOICE_PLD = 3  # the fourth cycle (2025/26 Q2 as at the anchor): the PLD themed on the voice of the child
NEW_FORM_FROM = 6  # the seventh cycle (April 2026 as at the anchor): the reworded audit form


def shift(built: dt.date) -> int:
    """Whole quarters to move the anchor's story so its export day falls on or before ``built``."""
    months = (built.year - ANCHOR.year) * 12 + built.month - ANCHOR.month
    quarters = months // 3
    return quarters - (_months_on(ANCHOR, 3 * quarters) > built)


def _months_on(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def use(built: dt.date) -> None:
    """Set this module's calendar (QUARTERS, STARTS, ENDS, FINANCIAL_YEARS, EXPORT_DAY) for a build on ``built``."""
    global QUARTERS, STARTS, ENDS, FINANCIAL_YEARS, EXPORT_DAY
    moved = shift(built)
    QUARTERS = tuple(divmod(year * 4 + quarter - 1 + moved, 4) for year, quarter in ANCHOR_QUARTERS)
    QUARTERS = tuple((year, quarter + 1) for year, quarter in QUARTERS)
    firsts = np.array([_first_month(year, quarter) for year, quarter in QUARTERS])
    STARTS = firsts.astype("M8[D]")
    ENDS = (firsts + 3).astype("M8[D]") - 1
    FINANCIAL_YEARS = tuple(
        tuple(i for i, (y, _) in enumerate(QUARTERS) if y == year) for year in dict.fromkeys(y for y, _ in QUARTERS)
    )
    EXPORT_DAY = np.datetime64(_months_on(ANCHOR, 3 * moved))  # nothing real happens after it


def label(index: int) -> str:
    year, quarter = QUARTERS[index]
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}"


def _first_month(year: int, quarter: int) -> np.datetime64:
    month = 3 * quarter % 12 + 1  # Q1 starts in April
    return np.datetime64(f"{year + (quarter == 4)}-{month:02d}", "M")


def weekday(days: np.ndarray) -> np.ndarray:
    """Move weekend days back to the Friday before."""
    return np.busday_offset(days, 0, roll="backward")


def clip(days: np.ndarray, cycle: np.ndarray) -> np.ndarray:
    """Keep each day inside its cycle's quarter."""
    return np.minimum(np.maximum(days, STARTS[cycle]), ENDS[cycle])


def at_times(days: np.ndarray, rng: np.random.Generator, first_hour: int = 9, last_hour: int = 18) -> np.ndarray:
    """Office-hours timestamps on the given days."""
    seconds = rng.integers(first_hour * 3600, (last_hour + 1) * 3600, size=len(days))
    return days.astype("M8[s]") + seconds.astype("m8[s]")


use(ANCHOR)
