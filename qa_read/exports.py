"""Download files that are safe to open in a spreadsheet, and small-number suppression for them.

Text that a spreadsheet would read as a formula (OWASP "CSV injection") is prefixed with a single quote.
Only text is touched: numbers, including negative ones, stay numbers.
"""

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import xlsxwriter

from qa_read.stats import SMALL_N, is_small_n

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


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
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buffer, options) as book:
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
    df: pd.DataFrame, denominator: str, columns: list[str], threshold: int = SMALL_N
) -> pd.DataFrame:
    """Blank ``columns`` on rows whose ``denominator`` is under ``threshold``; flag them in ``suppressed``."""
    out = df.copy()
    mask = is_small_n(out[denominator], threshold)
    for column in columns:
        out[column] = out[column].where(~mask)
    out["suppressed"] = mask
    return out
