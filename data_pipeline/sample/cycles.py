"""The eight PLD cycles the sample covers: UK financial-year quarters from 2024/25 Q3 to 2026/27 Q2."""

import numpy as np

QUARTERS = ((2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2))
COUNT = len(QUARTERS)
VOICE_PLD = 3  # 2025/26 Q2: the PLD themed on the voice of the child
NEW_FORM_FROM = 6  # April 2026: the reworded audit form
FINANCIAL_YEARS = ((0, 1), (2, 3, 4, 5), (6, 7))
EXPORT_DAY = np.datetime64("2026-11-20")  # the day the exports were taken; nothing real happens after it


def label(index: int) -> str:
    year, quarter = QUARTERS[index]
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}"


def _first_month(index: int) -> np.datetime64:
    year, quarter = QUARTERS[index]
    month = 3 * quarter % 12 + 1  # Q1 starts in April
    return np.datetime64(f"{year + (quarter == 4)}-{month:02d}", "M")


STARTS = np.array([_first_month(i) for i in range(COUNT)]).astype("M8[D]")
ENDS = (np.array([_first_month(i) for i in range(COUNT)]) + 3).astype("M8[D]") - 1


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
