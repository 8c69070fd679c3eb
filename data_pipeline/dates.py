"""Which way round a column's typed dates are written: day first (14/06/2023) or month first (6/14/2023).

Decided per column from its own values: a first part over 12 can only be a day, and so can a second
part over 12. A column whose values show both orders, or the other order from the profile's, is refused.
A column that never shows its order is read in the profile's ``date_order``, else the council's
``QA_DATE_ORDER``, and the report says the order was assumed. Real date cells (xlsx) and ISO dates
(2023-06-14) raise no such question.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
ORDERS = (DAY_FIRST, MONTH_FIRST)
# The two leading parts of a typed date, alone or before a time; the year is two or four digits.
PARTS = r"^\s*(?P<first>[0-9]{1,2})[/.-](?P<second>[0-9]{1,2})[/.-](?:[0-9]{4}|[0-9]{2})(?:[^0-9]|$)"


class DateOrderError(ValueError):
    """A column's dates cannot be read without a guess; the message names the heading."""


@dataclass(frozen=True)
class Order:
    order: str | None  # None: no typed date in the column needs an order
    basis: str = ""

    @property
    def day_first(self) -> bool:
        return self.order != MONTH_FIRST

    def describe(self) -> str:
        return f"{self.order} ({self.basis})" if self.order else "dates stored as dates, no order needed"


def decide(heading: str, cells: np.ndarray, profile_order: str | None, default: str) -> Order:
    """The order to read ``heading``'s distinct cells in, and why; or ``DateOrderError``."""
    typed, shown = evidence(cells)
    if len(shown) == 2:
        raise DateOrderError(
            f"the column {heading!r} has dates written day first ({shown[DAY_FIRST]}) and month first "
            f"({shown[MONTH_FIRST]}); correct the odd ones in the export and load it again"
        )
    if shown:
        [(order, example)] = shown.items()
        if profile_order and profile_order != order:
            raise DateOrderError(
                f"the column {heading!r} is written {order} ({example}) but the profile says "
                f"date_order = {profile_order!r}; correct the profile's date_order"
            )
        return Order(order, f"shown by {example}")
    if not typed:
        return Order(None)
    if profile_order:
        return Order(profile_order, "assumed from the profile's date_order: no value shows the order")
    return Order(default, "assumed from QA_DATE_ORDER: no value shows the order")


def evidence(cells: np.ndarray) -> tuple[bool, dict[str, str]]:
    """(whether any cell is a typed d/m or m/d date, {order: the first value that proves it})."""
    texts = [cell for cell in cells if isinstance(cell, str)]
    try:
        parts = pc.extract_regex(pa.array(texts, pa.string()), PARTS)
    except UnicodeEncodeError:  # a lone surrogate: such a cell is no date, so leave it out
        texts = [t for t in texts if t.isascii()]
        parts = pc.extract_regex(pa.array(texts, pa.string()), PARTS)
    valid = parts.is_valid().to_numpy(zero_copy_only=False)
    if not valid.any():
        return False, {}
    first = np.zeros(len(texts), dtype=np.int64)
    second = np.zeros(len(texts), dtype=np.int64)
    first[valid] = pc.cast(parts.field("first").filter(parts.is_valid()), pa.int64()).to_numpy()
    second[valid] = pc.cast(parts.field("second").filter(parts.is_valid()), pa.int64()).to_numpy()
    # A value is proof only when it is a real day and month one way round and not the other.
    proves = {
        DAY_FIRST: valid & (first > 12) & (first <= 31) & (second >= 1) & (second <= 12),
        MONTH_FIRST: valid & (second > 12) & (second <= 31) & (first >= 1) & (first <= 12),
    }
    shown = {order: texts[int(np.argmax(mask))].strip() for order, mask in proves.items() if mask.any()}
    return True, shown
