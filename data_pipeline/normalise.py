"""Normalisers: a column of raw cells in, canonical values and per-row reasons out.

Each normaliser returns ``Normalised(values, errors)``: ``errors`` holds None where the cell was
understood (or blank) and a sentence a person can act on where it was not. The work is done once
per distinct value, since exports repeat the same few answers thousands of times.
"""

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from data_pipeline import vocab

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
CYCLE = re.compile(r"^(?:q([1-4])\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*q([1-4]))?$")
EARLIEST = dt.date(2000, 1, 1)


class Normalised(NamedTuple):
    values: pd.Series
    errors: pd.Series


class Bad(Exception):
    """Raised inside a per-value function: the cell cannot be understood, and why."""


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or (isinstance(cell, str) and not cell.strip())


def by_value(series: pd.Series, fn: Callable) -> Normalised:
    """Apply ``fn`` to each distinct non-blank cell; blank cells give (None, None)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values, errors = [], []
    for cell in uniques:
        if blank(cell):
            values.append(None)
            errors.append(None)
            continue
        try:
            values.append(fn(cell))
            errors.append(None)
        except Bad as why:
            values.append(None)
            errors.append(str(why))
    values.append(None)  # code -1 (missing) points here
    errors.append(None)
    take = np.where(codes < 0, len(uniques), codes)
    return Normalised(
        pd.Series(np.array(values, dtype=object)[take], index=series.index, dtype=object),
        pd.Series(np.array(errors, dtype=object)[take], index=series.index, dtype=object),
    )


def cell_text(cell) -> str:
    """A cell as the text a person typed: Excel stores 5 as 5.0 and an ID 100201 as 100201.0."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _choice(table: dict, what: str, allowed) -> Callable:
    def pick(cell):
        key = vocab.fold(cell_text(cell))
        if key not in table:
            raise Bad(f"{cell_text(cell)!r} is not {what} ({', '.join(map(str, allowed))})")
        return table[key]

    return pick


def grade(series: pd.Series, scale: str, extra: dict[str, str] | None = None) -> Normalised:
    """``extra`` maps a form's own answers (e.g. 'Meets expectations') onto the scale's grades."""
    label = vocab.SCALE_LABELS[scale]
    table = vocab.GRADE_SYNONYMS[scale] | {vocab.fold(k): v for k, v in (extra or {}).items()}
    return by_value(series, _choice(table, f"on the {label} scale", vocab.SCALES[scale]))


def case_type(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.CASE_TYPE_SYNONYMS, "a known case type", vocab.CASE_TYPES))


def yes_no(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.YES_NO_SYNONYMS, "a yes or no answer", ("Yes", "No")))


def respondent(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.RESPONDENT_SYNONYMS, "a known respondent", vocab.RESPONDENTS))


def category(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.CATEGORY_SYNONYMS, "a note category", vocab.NOTE_CATEGORIES))


def status(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.STATUS_SYNONYMS, "an action status", vocab.ACTION_STATUSES))


def owner_role(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.OWNER_ROLE_SYNONYMS, "a known role", vocab.OWNER_ROLES))


def relationship(series: pd.Series) -> Normalised:
    return by_value(series, _choice(vocab.RELATIONSHIP_SYNONYMS, "a supervision relationship", vocab.RELATIONSHIPS))


def agreement(series: pd.Series) -> Normalised:
    allowed = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
    return by_value(series, _choice(vocab.LIKERT_SYNONYMS, "an agreement answer", allowed))


def label(series: pd.Series) -> Normalised:
    """Names of service areas, teams and themes: trimmed, inner white space collapsed, and spellings that
    differ only in case or punctuation ('CHILDREN IN CARE') given the column's most common spelling."""
    result = by_value(series, lambda cell: " ".join(cell_text(cell).split()))
    counts = result.values.value_counts()
    usual: dict[str, str] = {}
    for spelling in counts.index:  # most common first
        usual.setdefault(vocab.fold(spelling), spelling)
    canonical = {spelling: usual[vocab.fold(spelling)] for spelling in counts.index}
    return Normalised(result.values.map(canonical).astype(object).where(result.values.notna(), None), result.errors)


def text(series: pd.Series) -> Normalised:
    """Free text is kept as written, less e-mail addresses, which are personal data."""
    return by_value(series, lambda cell: EMAIL.sub("[email removed]", str(cell).strip()))


def count(series: pd.Series) -> Normalised:
    def whole(cell):
        try:
            number = float(str(cell).strip())
        except ValueError:
            raise Bad(f"{str(cell).strip()!r} is not a number") from None
        if not math.isfinite(number) or number < 0 or number != int(number) or number > 999:
            raise Bad(f"{str(cell).strip()!r} is not a whole number of sessions between 0 and 999")
        return int(number)

    return by_value(series, whole)


def elements(series: pd.Series) -> Normalised:
    """A multi-select answer, 'A;B;C;', becomes the tuple of canonical element names present."""
    pick = _choice(vocab.ELEMENT_SYNONYMS, "a supervision element", sorted(set(vocab.ELEMENT_SYNONYMS)))

    def split(cell):
        return tuple(sorted({pick(part) for part in str(cell).split(";") if part.strip()}))

    return by_value(series, split)


def cycle(series: pd.Series) -> Normalised:
    """PLD cycle labels in any common spelling become '2025/26 Q2'."""

    def parse(cell):
        match = CYCLE.match(" ".join(str(cell).casefold().split()))
        quarter = match and (match.group(1) or match.group(4))
        if not quarter:
            raise Bad(f"{str(cell).strip()!r} is not a cycle like '2025/26 Q2'")
        start = int(match.group(2)) + (2000 if len(match.group(2)) == 2 else 0)
        if (start + 1) % 100 != int(match.group(3)) % 100:
            raise Bad(f"{str(cell).strip()!r} does not name a financial year (April to March)")
        return f"{start}/{(start + 1) % 100:02d} Q{quarter}"

    return by_value(series, parse)


def cycle_of(day: dt.date) -> str:
    """The UK financial-year quarter of a date: April to June is Q1."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d} Q{(day.month - 4) % 12 // 3 + 1}"


def date(series: pd.Series, today: dt.date) -> Normalised:
    """Typed answers are UK dates (dd/mm/yyyy); Excel date cells and ISO dates are accepted too."""

    def parse(cell):
        day = _as_date(cell)
        if day > today:
            raise Bad(f"{_show(cell)} is in the future")
        if day < EARLIEST:
            raise Bad(f"{_show(cell)} is before {EARLIEST.year}")
        return day

    return by_value(series, parse)


def timestamp(series: pd.Series) -> Normalised:
    """Forms timestamps follow the exporting account's locale ('7/27/26 19:06:23' in the US style).
    The order of day and month is decided once for the whole column, from any value that settles it."""
    day_first = _day_first(series)
    return by_value(series, lambda cell: _as_timestamp(cell, day_first))


def _show(cell) -> str:
    return repr(cell.strip()) if isinstance(cell, str) else repr(str(cell))


def _as_date(cell) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    raw = str(cell).strip()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$", raw)
    uk = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$", raw)
    if iso:
        year, month, day = map(int, iso.groups())
    elif uk:
        day, month, year = map(int, uk.groups())
        year += 2000 if year < 100 else 0
    else:
        raise Bad(f"{raw!r} is not a date like 31/01/2026")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Bad(f"{raw!r} is not a real date") from None


STAMP = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?$", re.I)


def _day_first(series: pd.Series) -> bool:
    for cell in pd.unique(series.dropna()):
        match = STAMP.match(str(cell).strip())
        if match and int(match.group(1)) > 12:
            return True
        if match and int(match.group(2)) > 12:
            return False
    return False


def _as_timestamp(cell, day_first: bool) -> dt.datetime:
    if isinstance(cell, dt.datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, dt.date):
        return dt.datetime.combine(cell, dt.time())
    raw = str(cell).strip()
    match = STAMP.match(raw)
    if not match:
        try:
            # Wall-clock time is kept and any offset dropped: Forms records local time.
            return dt.datetime.fromisoformat(raw).replace(tzinfo=None)
        except ValueError:
            raise Bad(f"{raw!r} is not a date and time") from None
    first, second, year, hour, minute, sec, ampm = match.groups()
    day, month = (int(first), int(second)) if day_first else (int(second), int(first))
    hour = int(hour) % 12 + (12 if ampm and ampm.lower() == "pm" else 0) if ampm else int(hour)
    try:
        return dt.datetime(int(year) + (2000 if len(year) == 2 else 0), month, day, hour, int(minute), int(sec or 0))
    except ValueError:
        raise Bad(f"{raw!r} is not a real date and time") from None
