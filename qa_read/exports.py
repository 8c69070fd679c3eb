"""The one way figures leave the dashboard: small numbers suppressed, spreadsheet formulas neutralised.

Every download goes through an ``Outgoing`` (``figures`` or ``records``), which ``ui.widgets.downloads``
insists on; the meeting pack suppresses with ``suppress_small_numbers`` and writes its chart workbooks with
``XLSX_OPTIONS``.

Text that a spreadsheet would read as a formula (OWASP "CSV injection") is prefixed with a single quote.
Only text is touched: numbers, including negative ones, stay numbers.
"""

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import xlsxwriter

from qa_read.columns import label
from qa_read.stats import SMALL_N, is_small_n

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# xlsxwriter's defaults turn text beginning "=" into a formula and text like a URL into a link; text stays text.
XLSX_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name made inert."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            out[column] = series.astype(object).map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and non-Latin names correctly."""
    return neutralise(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """One sheet: a header row, then each cell written with its own type (never as a formula or link)."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, XLSX_OPTIONS) as book:
        sheet = book.add_worksheet(_sheet_name(sheet_name))
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        time_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        safe = neutralise(df)
        for col, name in enumerate(safe.columns):
            sheet.write_string(0, col, str(name))
        for row, values in enumerate(safe.itertuples(index=False, name=None), start=1):
            for col, value in enumerate(values):
                _write_cell(sheet, row, col, value, date_format, time_format)
    return buffer.getvalue()


def _write_cell(sheet, row, col, value, date_format, time_format) -> None:
    if not isinstance(value, str) and pd.isna(value):
        return
    if isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, int | float | np.integer | np.floating):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, pd.Timestamp | dt.datetime):
        sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime().replace(tzinfo=None), time_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), date_format)
    else:
        sheet.write_string(row, col, str(value))


def _sheet_name(name: str) -> str:
    cleaned = _SHEET_FORBIDDEN.sub(" ", name).strip("'").strip()[:31]
    return cleaned or "Data"


def suppress_small_numbers(
    df: pd.DataFrame, denominator: str, columns: list[str], threshold: int = SMALL_N, numerator: str | None = None
) -> pd.DataFrame:
    """Blank ``columns`` on rows whose ``denominator`` is under ``threshold``, or whose ``numerator`` is a count
    of 1 to ``threshold - 1`` (a share of a known whole gives its part back, as ``figures`` rules); flag them in
    ``suppressed``."""
    out = df.copy()
    mask = is_small_n(out[denominator], threshold)
    if numerator is not None:
        mask = mask | _small_count(out[numerator], threshold)
    for column in columns:
        out[column] = out[column].where(~mask)
    out["suppressed"] = mask
    return out


# -- the outlet ----------------------------------------------------------------------------------------------------


class Outgoing:
    """A table cleared to leave the dashboard, made only by ``figures`` or ``records``.

    The download button takes nothing else, so a new download cannot skip the rule: figures are suppressed
    (``suppress_figures``) and every file is neutralised (``to_csv_bytes``, ``to_xlsx_bytes``) when it is built.
    """

    def __init__(self, df: pd.DataFrame, rule, token: object) -> None:
        if token is not _TOKEN:
            raise TypeError("make an Outgoing with exports.figures(...) or exports.records(...)")
        self._df, self._rule = df, rule

    @property
    def rows(self) -> int:
        return len(self._df)

    def frame(self) -> pd.DataFrame:
        """The table as it leaves: suppressed where the rule says, not yet labelled or neutralised."""
        return self._rule(self._df)

    def csv(self) -> bytes:
        return to_csv_bytes(_labelled(self.frame()))

    def xlsx(self, sheet_name: str = "Data") -> bytes:
        return to_xlsx_bytes(_labelled(self.frame()), sheet_name)


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """Headings people read (``columns.label``: "Date of audit", not audit_date), as on screen; values keep their
    type, so a file's dates and numbers still sort and sum. Two fields that would read alike keep their names."""
    labels = [label(str(c)) for c in df.columns]
    clash = {x for x in labels if labels.count(x) > 1}
    return df.set_axis([c if x in clash else x for c, x in zip(df.columns, labels, strict=True)], axis=1)


_TOKEN = object()


def on(base: str | tuple[str, ...], *columns: str) -> dict[str, tuple[str, ...]]:
    """``columns`` (shares, intervals, rates) resting on ``base``: ``figures(df, on("n", "share", "lower"))``."""
    bases = (base,) if isinstance(base, str) else tuple(base)
    return dict.fromkeys(columns, bases)


def figures(df: pd.DataFrame, rests_on: Mapping[str, tuple[str, ...]] | None = None, plain=()) -> Outgoing:
    """Aggregate figures: counts of cases, and shares or rates resting on counts (``on``).

    A ``rests_on`` column is blanked where any count it rests on is; ``plain`` columns are
    numbers that count no one (years, ranks, days). Every other number is a count of cases, blanked when it
    is 1 to 4. A fractional column that is none of these is refused here, when the page is drawn, so a new
    share cannot leave unguarded.
    """
    rests_on, plain = dict(rests_on or {}), tuple(plain)
    named = set(rests_on) | set(plain) | {b for bases in rests_on.values() for b in bases}
    missing = named - set(df.columns)
    if missing:
        raise ValueError(f"no column {sorted(missing)[0]!r} in this table")
    for column in _numeric(df):
        values = df[column].dropna()
        if column not in rests_on and column not in plain and not (values % 1 == 0).all():
            raise ValueError(f"{column!r} holds fractions: say what it rests on (exports.on) or call it plain")
    return Outgoing(df, functools.partial(suppress_figures, rests_on=rests_on, plain=plain), _TOKEN)


def records(df: pd.DataFrame) -> Outgoing:
    """Individual records (a list of audits, actions, quotes): shown only to roles that see rows, sent as listed."""
    return Outgoing(df, pd.DataFrame.copy, _TOKEN)


def suppress_figures(
    df: pd.DataFrame, rests_on: Mapping[str, tuple[str, ...]], plain=(), threshold: int = SMALL_N
) -> pd.DataFrame:
    """``figures``' rule: counts of 1 to ``threshold - 1`` blanked, and each ``rests_on`` column blanked where
    any count it rests on is (or is missing): a share of a small group, or of a small part of a large one,
    would give the count back. A ``suppressed`` column says which rows lost a figure."""
    out = df.copy()
    flagged = np.zeros(len(out), dtype=bool)
    for column, bases in rests_on.items():
        small = np.logical_or.reduce([_small_count(df[b], threshold) | df[b].isna().to_numpy() for b in bases])
        small &= df[column].notna().to_numpy()
        out[column] = out[column].where(~small)
        flagged |= small
    for column in _numeric(df):
        if column not in rests_on and column not in plain:
            small = _small_count(df[column], threshold)
            out[column] = out[column].where(~small)
            flagged |= small
    out["suppressed"] = flagged
    return out


def is_small_count(value, threshold: int = SMALL_N) -> bool:
    """A count of 1 to ``threshold - 1``: what ``figures`` blanks, and the meeting pack's count charts too."""
    return value is not None and not pd.isna(value) and 1 <= value < threshold


def _small_count(values: pd.Series, threshold: int) -> np.ndarray:
    values = pd.to_numeric(values, errors="coerce")
    return ((values >= 1) & (values < threshold)).to_numpy(dtype=bool, na_value=False)


def _numeric(df: pd.DataFrame) -> list:
    return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
