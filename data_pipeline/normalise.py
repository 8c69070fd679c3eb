"""Normalisers: a column of raw cells in, canonical values and per-row reasons out.

Each normaliser returns ``Normalised(values, errors)``: ``errors`` holds None where the cell was
understood (or blank) and a sentence a person can act on where it was not. The work is done once
per distinct value, since exports repeat the same few answers thousands of times.
"""

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data_pipeline import vocab

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
CYCLE = re.compile(r"^(?:q([1-4])\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*q([1-4]))?$")
EARLIEST = dt.date(2000, 1, 1)
WHOLE = re.compile(r"\d+\.0+")
# infer_dtype kinds of a column whose cells factorize cannot merge across types (1, 1.0 and True are
# equal keys), and kinds of its distinct cells that hold no numbers at all.
ONE_TYPE = {"string", "empty", "integer", "floating", "boolean", "date", "datetime", "time", "bytes"}
NO_NUMBERS = {"string", "empty", "date", "datetime", "time", "bytes"}


class Normalised(NamedTuple):
    values: pd.Series
    errors: pd.Series
    # values again, as codes into an array of distinct values (-1 for none): for work done once per value.
    codes: np.ndarray | None = None
    distinct: np.ndarray | None = None


class Bad(Exception):
    """Raised inside a per-value function: the cell cannot be understood, and why."""


def blank(cell) -> bool:
    if isinstance(cell, str):
        return not cell.strip()
    return cell is None or (isinstance(cell, float) and math.isnan(cell))


def by_value(series: pd.Series, fn: Callable) -> Normalised:
    """Apply ``fn`` to each distinct non-blank cell; blank cells give (None, None)."""
    return by_distinct(series, lambda cells: each(cells, fn))


def by_distinct(series: pd.Series, fn: Callable) -> Normalised:
    """``fn`` takes an object array of the distinct non-blank cells and returns (values, errors) for them,
    so a normaliser can work on the whole array at once; blank cells give (None, None)."""
    codes, cells = distinct(series)
    present = ~np.fromiter(map(blank, cells), bool, len(cells))
    values, errors = np.full(len(cells) + 1, None, object), np.full(len(cells) + 1, None, object)
    if present.any():
        at = np.flatnonzero(present)
        values[at], errors[at] = (_objects(part) for part in fn(cells[at]))
    return spread(series.index, codes, values, errors)


def distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code per cell, object array of distinct cells), -1 for missing. Cells of different types stay
    apart even when they compare equal, so 1, 1.0 and True each keep their own spelling."""
    cells = np.asarray(series, dtype=object)
    codes, uniques = _factorize(cells)
    # Only numbers merge, so a column whose distinct cells hold none needs no second look at every cell.
    if not _has_numbers(uniques) or pd.api.types.infer_dtype(cells) in ONE_TYPE:
        return codes, uniques
    present = ~pd.isna(cells)
    codes = np.full(len(cells), -1)
    codes[present], tagged = pd.factorize(_objects([(type(c), c) for c in cells[present]]))
    return codes, _objects([cell for _, cell in tagged])


def _factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize``, but through pyarrow when every cell is text (readers give str, never bytes): one
    pass over the cells rather than two, which matters because a reader's cells lie row by row in memory,
    so each pass over a column's cells is a cache miss per cell."""
    try:
        encoded = pc.dictionary_encode(pa.array(cells, pa.string(), from_pandas=True))
    except (pa.ArrowTypeError, pa.ArrowInvalid, UnicodeEncodeError):
        return pd.factorize(cells, use_na_sentinel=True)
    return encoded.indices.fill_null(-1).to_numpy(), encoded.dictionary.to_numpy(zero_copy_only=False)


def _has_numbers(cells: np.ndarray) -> bool:
    if pd.api.types.infer_dtype(cells) in NO_NUMBERS:  # in C, for the many distinct IDs and timestamps
        return False
    return any(isinstance(c, numbers.Number | np.bool_) for c in cells)


def each(cells: np.ndarray, fn: Callable) -> tuple[list, list]:
    """``fn`` on each cell: (values, errors), a ``Bad`` cell giving (None, its reason)."""
    values, errors = [], []
    for cell in cells:
        try:
            values.append(fn(cell))
            errors.append(None)
        except Bad as why:
            values.append(None)
            errors.append(str(why))
    return values, errors


def spread(index: pd.Index, codes: np.ndarray, values: np.ndarray, errors: np.ndarray) -> Normalised:
    """Per-distinct results back onto the rows; code -1 takes the last entry, which is (None, None)."""
    return Normalised(
        pd.Series(values.take(codes), index=index, dtype=object),
        pd.Series(errors.take(codes), index=index, dtype=object),
        codes,
        values[:-1],
    )


def _arrow(texts) -> pa.Array | None:
    """Text as a pyarrow array, or None when some of it cannot be UTF-8 (a lone surrogate)."""
    try:
        return pa.array(texts, pa.string())
    except UnicodeEncodeError:
        return None


def _others(size: int, taken: np.ndarray) -> np.ndarray:
    """Positions below ``size`` not in ``taken``, in order."""
    left = np.ones(size, dtype=bool)
    left[taken] = False
    return np.flatnonzero(left)


def _objects(items) -> np.ndarray:
    """A 1-d object array even when the items are tuples of one length (``np.array`` would make a 2-d one)."""
    if isinstance(items, np.ndarray) and items.dtype == object and items.ndim == 1:
        return items
    return np.fromiter(items, dtype=object, count=len(items))


def cell_text(cell) -> str:
    """A cell as the text a person typed: Excel stores 5 as 5.0 and an ID 100201 as 100201.0."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def id_text(cell) -> str:
    """IDs as typed: Excel's 17.0 and a CSV's "17.0" are response 17."""
    text = cell_text(cell)
    return text.split(".")[0] if WHOLE.fullmatch(text) else text


def id_texts(cells: np.ndarray) -> np.ndarray:
    """``id_text`` of each cell. An xlsx gives IDs as floats, so whole floats are written in one go."""
    out = np.empty(len(cells), dtype=object)
    floats = np.flatnonzero(np.fromiter((type(c) is float for c in cells), bool, len(cells)))
    numbers = cells[floats].astype(np.float64)
    whole = np.isfinite(numbers) & (np.trunc(numbers) == numbers) & (np.abs(numbers) < 2.0**63)
    out[floats[whole]] = pa.array(numbers[whole].astype(np.int64)).cast(pa.string()).to_numpy(zero_copy_only=False)
    rest = _others(len(cells), floats[whole])
    out[rest] = [id_text(cell) for cell in cells[rest]]
    return out


def folds(texts: list[str]) -> np.ndarray:
    """``vocab.fold`` of each text. For ASCII text, nearly all of it, lower-casing is case-folding, so
    pyarrow folds those in one pass; the rest go through ``vocab.fold``."""
    array = _arrow(texts)
    if array is None:
        return _objects([vocab.fold(text) for text in texts])
    spaced = pc.replace_substring_regex(pc.ascii_lower(array), "[^0-9a-z]+", " ")
    out = pc.ascii_trim(spaced, " ").to_numpy(zero_copy_only=False)
    for at in np.flatnonzero(~pc.string_is_ascii(array).to_numpy(zero_copy_only=False)):
        out[at] = vocab.fold(texts[at])
    return out


def _choice(table: dict, what: str, allowed, where: str) -> Callable:
    """``where`` names the profile table that would map an unknown answer."""

    def pick(cell):
        key = vocab.fold(cell_text(cell))
        if key not in table:
            raise Bad(f"{cell_text(cell)!r} is not {what} ({', '.join(map(str, allowed))}); map it in {where}")
        return table[key]

    return pick


def grade(series: pd.Series, scale: str, extra: dict[str, str] | None = None) -> Normalised:
    """``extra`` maps a form's own answers (e.g. 'Meets expectations') onto the scale's grades."""
    label = vocab.SCALE_LABELS[scale]
    table = vocab.GRADE_SYNONYMS[scale] | {vocab.fold(k): v for k, v in (extra or {}).items()}
    return by_value(series, _choice(table, f"on the {label} scale", vocab.SCALES[scale], "[grades]"))


def choice(series: pd.Series, vocabulary: str, extra: dict[str, str] | None = None, field: str = "") -> Normalised:
    """A cell of one of ``vocab.VOCABULARIES``; ``extra`` is the profile's ``[values.<field>]``, the form's
    own words -> labels, and wins over the built-in spellings."""
    pick = _vocabulary(vocabulary, extra, field)
    if vocabulary == "elements":  # a multi-select answer, 'A;B;C;': the tuple of elements present
        return by_value(series, lambda cell: tuple(sorted({pick(p) for p in str(cell).split(";") if p.strip()})))
    return by_value(series, pick)


def _vocabulary(name: str, extra: dict[str, str] | None, field: str) -> Callable:
    words = vocab.VOCABULARIES[name]
    table = words.synonyms | {vocab.fold(k): words.labels[v] for k, v in (extra or {}).items()}
    return _choice(table, words.what, words.labels, f"[values.{field or name}]")


def case_type(series: pd.Series) -> Normalised:
    return choice(series, "case_type")


def yes_no(series: pd.Series, extra: dict[str, str] | None = None) -> Normalised:
    """Yes or no as True or False; ``extra`` is the profile's [answers]. A partial answer is no answer to
    a question such as "is the child safe?", so it is refused with a reason rather than rounded."""
    table = _answers(extra)

    def pick(cell):
        answer = table.get(vocab.fold(cell_text(cell)))
        if answer == "Partly":
            raise Bad(f"{cell_text(cell)!r} is a partial answer; this question needs yes or no")
        if answer is None:
            raise Bad(f"{cell_text(cell)!r} is not a yes or no answer (Yes, No); map it in [answers]")
        return answer == "Yes"

    return by_value(series, pick)


def agrees(series: pd.Series, extra: dict[str, str] | None = None) -> Normalised:
    """Yes, Partly or No, for questions where agreeing in part is an answer (does the worker agree?);
    'Not discussed' and the like are no answer, as a blank is."""
    table = _answers(extra)
    pick = _choice(table, "a yes, partly or no answer", vocab.ANSWERS, "[answers]")
    return by_value(
        series, lambda cell: None if vocab.fold(cell_text(cell)) in vocab.NOT_ASKED - set(table) else pick(cell)
    )


def _answers(extra: dict[str, str] | None) -> dict[str, str]:
    return vocab.ANSWER_SYNONYMS | {vocab.fold(k): v for k, v in (extra or {}).items()}


def respondent(series: pd.Series) -> Normalised:
    return choice(series, "respondent")


def category(series: pd.Series) -> Normalised:
    return choice(series, "category")


def status(series: pd.Series) -> Normalised:
    return choice(series, "status")


def owner_role(series: pd.Series) -> Normalised:
    return choice(series, "owner_role")


def relationship(series: pd.Series) -> Normalised:
    return choice(series, "relationship")


def agreement(series: pd.Series) -> Normalised:
    return choice(series, "agreement")


def label(series: pd.Series) -> Normalised:
    """Names of service areas, teams and themes: trimmed, inner white space collapsed, and spellings that
    differ only in case or punctuation ('CHILDREN IN CARE') given the column's most common spelling."""
    result = by_value(series, lambda cell: " ".join(cell_text(cell).split()))
    codes, spellings = pd.factorize(result.values.to_numpy(), use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(spellings))
    usual: dict[str, str] = {}
    for at in np.argsort(-counts, kind="stable"):  # most common first, ties in order of appearance
        usual.setdefault(vocab.fold(spellings[at]), spellings[at])
    canonical = np.array([usual[vocab.fold(s)] for s in spellings] + [None], dtype=object)
    values = pd.Series(canonical.take(codes), index=series.index, dtype=object)
    return Normalised(values, result.errors, codes, canonical[:-1])


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
    return choice(series, "elements")


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
        return vocab.cycle_label(start, int(quarter))

    return by_value(series, parse)


def date(series: pd.Series, today: dt.date, day_first: bool = True) -> Normalised:
    """Typed dates (31/01/2026, or 1/31/2026 month first, a time after them ignored), Excel date cells
    and ISO dates. Which way round typed dates are is decided for the column (see ``dates``)."""

    def parse(cell):
        day = _as_date(cell, day_first)
        if day > today:
            raise Bad(f"{_show(cell)} is in the future")
        if day < EARLIEST:
            raise Bad(f"{_show(cell)} is before {EARLIEST.year}")
        return day

    return by_value(series, parse)


def timestamp(series: pd.Series, day_first: bool = True) -> Normalised:
    """Forms timestamps follow the exporting account's locale ('7/27/26 19:06:23' in the US style).
    The order of day and month is decided for the whole column (see ``dates``)."""
    return by_distinct(series, lambda cells: _timestamps(cells, day_first))


def _show(cell) -> str:
    return repr(cell.strip()) if isinstance(cell, str) else repr(str(cell))


def _as_date(cell, day_first: bool = True) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    raw = str(cell).strip()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$", raw)
    typed = TYPED_DATE.match(raw)
    if iso:
        year, month, day = map(int, iso.groups())
    elif typed:
        first, second, year = map(int, typed.groups())
        day, month = (first, second) if day_first else (second, first)
        year += 2000 if year < 100 else 0
    else:
        raise Bad(f"{raw!r} is not a date like {'31/01/2026' if day_first else '01/31/2026'}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Bad(f"{raw!r} is not a real date") from None


# A typed date, optionally followed by a time of day (Forms' Completion time read as a date).
TYPED_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)?$", re.I
)
STAMP = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?$", re.I)
# STAMP for pyarrow's RE2, with the strip built in. ASCII digits and white space only: what this matches,
# STAMP matches the same way; what it misses (a stray non-breaking space) goes the per-value way.
FAST_STAMP = (
    r"^[\t\n\f\r ]*(?P<first>[0-9]{1,2})/(?P<second>[0-9]{1,2})/(?P<year>[0-9]{2}|[0-9]{4})[\t\n\f\r ]+"
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<sec>[0-9]{2}))?[\t\n\f\r ]*(?P<ampm>[aApP][mM])?[\t\n\f\r ]*$"
)
DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _timestamps(cells: np.ndarray, day_first: bool) -> tuple[np.ndarray, list]:
    """Text in the Forms pattern is parsed column-wise; anything else, or a date that does not exist,
    goes through ``_as_timestamp`` for its value or its reason."""
    at = np.flatnonzero(np.fromiter((isinstance(c, str) for c in cells), bool, len(cells)))
    texts = _arrow(cells[at])
    at = at if texts is not None else at[:0]
    parts = pc.extract_regex(texts if texts is not None else pa.array([], pa.string()), FAST_STAMP)
    matched = parts.is_valid().to_numpy(zero_copy_only=False)
    at, parts = at[matched], parts.filter(matched)
    first, second, year, hour, minute, sec = (
        _integers(parts.field(name)) for name in ("first", "second", "year", "hour", "minute", "sec")
    )
    day, month = (first, second) if day_first else (second, first)
    year = year + np.where(pc.utf8_length(parts.field("year")).to_numpy() == 2, 2000, 0)
    ampm = pc.ascii_lower(parts.field("ampm")).to_numpy(zero_copy_only=False)
    hour = np.where(ampm == "", hour, hour % 12 + np.where(ampm == "pm", 12, 0))
    real = _real_day(year, month, day) & (hour < 24) & (minute < 60) & (sec < 60)
    values = np.full(len(cells), None, dtype=object)
    values[at[real]] = _datetimes(year[real], month[real], day[real], (hour * 3600 + minute * 60 + sec)[real])
    rest = _others(len(cells), at[real])
    errors = np.full(len(cells), None, dtype=object)
    values[rest], errors[rest] = (_objects(part) for part in each(cells[rest], lambda c: _as_timestamp(c, day_first)))
    return values, errors


def _integers(texts: pa.Array) -> np.ndarray:
    """An optional group that took no part is '' in pyarrow; it counts as 0 (seconds left out)."""
    return pc.cast(pc.if_else(pc.equal(texts, ""), "0", texts), pa.int64()).to_numpy()


def _real_day(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    return (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= last)


def _datetimes(year: np.ndarray, month: np.ndarray, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    return (days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")).astype(object)


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
