"""The eight PLD cycles the sample covers, UK financial-year quarters, dated relative to the day it is built.

The exports are taken on the build day itself (``EXPORT_DAY``). The story was written as built on ``ANCHOR``
(cycles 2024/25 Q3 to 2026/27 Q2); built on another day, it moves by whole quarters, so that its newest cycle is
the quarter holding the day ``LAG_DAYS`` before the build day. Built at least that far into a quarter, the newest
cycle is the quarter in progress: its audits are squeezed into the weeks gone by (``squeeze``), and what would come
after the build day (a PLD, a report, an action's completion) has not happened yet (``by_then``). Earlier in a
quarter, the newest cycle is the one just finished, with its actions still running. ``use(built)`` sets the
calendar below for one build; the same seed and build day give the same files.
"""

import datetime as dt

import numpy as np

ANCHOR = dt.date(2026, 10, 9)  # the shipped sample_data/'s build day, 2026/27 Q2 just finished
# A quarter becomes the newest cycle two weeks in. Sooner, its audits would be crowded into a few days; later, the
# cycle before it, whose audits end a fortnight before its PLDs and quarter end, leaves no action still to fall
# due (its actions are due 2-8 weeks after the audit): six weeks in left none on the last fortnight before the turn.
LAG_DAYS = 14
ANCHOR_QUARTERS = ((2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2))
COUNT = len(ANCHOR_QUARTERS)
VOICE_PLD = 3  # the fourth cycle (2025/26 Q2 as at the anchor): the PLD themed on the voice of the child
NEW_FORM_FROM = 6  # the seventh cycle (April 2026 as at the anchor): the reworded audit form


def shift(built: dt.date) -> int:
    """Whole quarters from the story's newest cycle as written to the quarter holding ``LAG_DAYS`` before ``built``."""
    day = built - dt.timedelta(days=LAG_DAYS)
    year, quarter = ANCHOR_QUARTERS[-1]
    return (day.year * 12 + day.month - 1) // 3 - (year * 4 + quarter)  # April to June is financial Q1


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
    EXPORT_DAY = np.datetime64(built, "D")  # nothing real happens after it


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
    """Keep each day inside its cycle's quarter, and on or before the export day."""
    return np.minimum(np.maximum(days, STARTS[cycle]), np.minimum(ENDS[cycle], EXPORT_DAY))


def squeeze(days: np.ndarray, cycle: np.ndarray) -> np.ndarray:
    """Days spread over their cycle's quarter, kept inside it; in the quarter in progress, moved in proportion
    (keeping their order and spread) into the part gone by, up to the day before the export day, on weekdays."""
    start, end = STARTS[cycle], ENDS[cycle]
    days = np.minimum(np.maximum(days, start), end)
    last = np.minimum(end, EXPORT_DAY - 1)
    gone, whole = (last - start).astype(int), (end - start).astype(int)
    moved = start + ((days - start).astype(int) * gone // whole).astype("m8[D]")
    return np.where(last < end, np.maximum(weekday(moved), start), days)


def by_then(days: np.ndarray) -> np.ndarray:
    """The days on or before the export day; NaT for the rest, which have not come yet."""
    return np.where(days <= EXPORT_DAY, days, np.datetime64("NaT"))


def at_times(days: np.ndarray, rng: np.random.Generator, first_hour: int = 9, last_hour: int = 18) -> np.ndarray:
    """Office-hours timestamps on the given days, the export day at the latest."""
    days = np.minimum(days, EXPORT_DAY)
    seconds = rng.integers(first_hour * 3600, (last_hour + 1) * 3600, size=len(days))
    return days.astype("M8[s]") + seconds.astype("m8[s]")


use(ANCHOR)
