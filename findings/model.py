"""What a headline figure is: its value, what it rests on, when it is true and the one sentence about it."""

import datetime
from dataclasses import dataclass

from qa_read.stats import SMALL_N

__all__ = ["SMALL_N", "Finding"]


@dataclass(frozen=True)
class Finding:
    key: str  # stable id, e.g. "good_or_better"
    label: str  # "Audits good or better"
    unit: str  # "share" (0..1) | "count" | "days" | "rate" (a published per-unit figure)
    value: float | None
    numerator: int | None
    denominator: int | None
    as_at: datetime.date  # the date the figure is true at; stated wherever it appears
    comparison: float | None  # the figure compared with (previous cycle, England, neighbours' median...)
    comparison_label: str | None  # "2026/27 Q1", "England 2025", ...
    change: float | None  # value - comparison from UNROUNDED values
    small: bool  # denominator < SMALL_N: never described as up or down
    sentence: str  # the one sentence every page, Present and the pack show
    # What the comparison rests on, and whether it is too small to give or compare (fewer than SMALL_N cases).
    comparison_denominator: int | None = None
    comparison_small: bool = False
