"""Readers: an export file object in, a frame of raw cells out. They know nothing of forms or tables.

Cells keep the type the file gave them (Excel dates stay dates, CSV cells are strings).
"""

import io
import re
import zipfile
from typing import BinaryIO

import pandas as pd
from python_calamine import CalamineWorkbook

from data_pipeline import limits

XLSX_MAGIC = b"PK\x03\x04"
# A formula element, <f>, <f t="shared" ...> or <f/>: in sheet XML a literal '<' in text is escaped, so
# this matches only markup.
FORMULA = re.compile(rb"<f[\s>/]")


class ReadError(ValueError):
    """The file cannot be read as an export; the message is one line a person understands."""


def read_export(fileobj: BinaryIO, name: str) -> pd.DataFrame:
    """Dispatch on the file name's extension; the first row holds the headings."""
    try:
        limits.check(fileobj.read(), name)
    except limits.Refused as exc:
        raise ReadError(str(exc)) from None
    fileobj.seek(0)
    lower = name.lower()
    if lower.endswith(".xlsx"):
        frame = read_xlsx(fileobj)
    elif lower.endswith(".csv"):
        frame = read_csv(fileobj)
    else:
        raise ReadError(f"{name} is neither .xlsx nor .csv")
    if frame.empty:
        raise ReadError(f"{name} has headings but no rows")
    return frame


def read_xlsx(fileobj: BinaryIO) -> pd.DataFrame:
    data = fileobj.read()
    if not data.startswith(XLSX_MAGIC):
        raise ReadError("the file is not an Excel workbook, whatever its extension says")
    _refuse_active_content(data)
    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise ReadError(f"the workbook is damaged and cannot be read ({type(exc).__name__})") from None
    return _frame(rows)


def read_csv(fileobj: BinaryIO) -> pd.DataFrame:
    data = fileobj.read()
    if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
        raise ReadError("the file is not a CSV text file, whatever its extension says")
    text = _decode(data)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        raise ReadError("the file is empty") from None
    except pd.errors.ParserError as exc:
        raise ReadError(f"the CSV is malformed: {str(exc).splitlines()[0]}") from None
    return _frame(frame.to_numpy().tolist())


def _decode(data: bytes) -> str:
    """Excel saves CSV as UTF-8 with a BOM or as Windows-1252; try them in that order."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _refuse_active_content(data: bytes) -> None:
    """Forms exports hold values only: macros or formulas mean the file was worked on, and a formula's
    cached value may not be what the formula now says. Both are refused rather than guessed at."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        names = book.namelist()
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ReadError("the workbook contains macros; save it as a plain .xlsx and try again")
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if any(_has_formula(book, n) for n in sheets):
            raise ReadError("the workbook contains formulas; paste the cells as values, save and try again")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise ReadError("the workbook is damaged and cannot be read (not a valid zip archive)") from None


def _has_formula(book: zipfile.ZipFile, name: str) -> bool:
    """Stream the sheet's XML looking for a formula element; the overlap catches one split across chunks."""
    tail = b""
    with book.open(name) as sheet:
        while chunk := sheet.read(1 << 20):
            if FORMULA.search(tail + chunk):
                return True
            tail = chunk[-2:]
    return False


def _frame(rows: list[list]) -> pd.DataFrame:
    """First row is headings. Blank cells stay as the reader gave them ("" or None): the normalisers
    treat both as blank, which saves a pass over every cell. Fully blank rows inside the data are
    kept, since they are rows read; trailing ones are padding and dropped."""
    if not rows or not any(_present(c) for c in rows[0]):
        raise ReadError("the file is empty")
    headings = _unique_headings(rows[0])
    width = len(headings)
    body = rows[1:]
    if any(len(r) != width for r in body):
        body = [(r + [None] * width)[:width] for r in body]
    while body and not any(_present(c) for c in body[-1]):
        body.pop()
    return pd.DataFrame(body, columns=headings, dtype=object)


def _present(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and cell.strip() == "")


def _unique_headings(cells: list) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for cell in cells:
        name = "" if cell is None else str(cell)
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
