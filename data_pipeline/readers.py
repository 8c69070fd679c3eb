"""Readers: an export file object in, a frame of raw cells out. They know nothing of forms or tables.

Cells keep the type the file gave them (Excel dates stay dates, CSV cells are strings). A formula cell
gives, as text, the value Excel last saved with it, never recalculated; ``frame.attrs["formula_cells"]``
counts them.
"""

import csv
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
SHEET_ID = re.compile(rb"<sheet\b[^>]*\br:id=\"([^\"]+)\"")
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
ID = re.compile(rb"\bId=\"([^\"]+)\"")
CELL_REF = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]+)\"")
TARGET = re.compile(rb"\bTarget=\"([^\"]+)\"")


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
    frame.attrs.setdefault("formula_cells", 0)
    return frame


def read_xlsx(fileobj: BinaryIO) -> pd.DataFrame:
    data = fileobj.read()
    if not data.startswith(XLSX_MAGIC):
        raise ReadError("the file is not an Excel workbook, whatever its extension says")
    formulas = _formula_cells(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise ReadError(f"the workbook is damaged and cannot be read ({type(exc).__name__})") from None
    if formulas:
        _as_text(rows, formulas, sheet.start)
    frame = _frame(rows)
    frame.attrs["formula_cells"] = len(formulas)
    return frame


def _as_text(rows: list[list], cells: list[tuple[int, int]], start: tuple[int, int] | None) -> None:
    """A formula cell's saved value, as text: what it showed, never something to evaluate or to trust as a
    typed number or date. ``start`` is the (row, column) of ``rows[0][0]`` in the sheet."""
    top, left = start or (0, 0)
    for row, column in cells:
        if 0 <= row - top < len(rows) and 0 <= column - left < len(rows[row - top]):
            value = rows[row - top][column - left]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            rows[row - top][column - left] = "" if value is None else str(value)


def read_csv(fileobj: BinaryIO) -> pd.DataFrame:
    data = fileobj.read()
    if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
        raise ReadError("the file is not a CSV text file, whatever its extension says")
    text = _decode(data)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None, skip_blank_lines=False)
        rows = frame.to_numpy().tolist()
    except pd.errors.EmptyDataError:
        raise ReadError("the file is empty") from None
    except pd.errors.ParserError as exc:
        rows = _ragged_rows(text, exc)
    return _frame(rows)


def _ragged_rows(text: str, exc: Exception) -> list[list]:
    """Rows of differing lengths, which pandas refuses: Excel writes a trailing comma on every row after
    a column that once held something. Python's csv reader takes them; ``_frame`` then drops the blanks."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise ReadError(f"the CSV is malformed: {str(exc).splitlines()[0]}") from None
    return rows


def _decode(data: bytes) -> str:
    """Excel saves CSV as UTF-8 with a BOM or as Windows-1252; try them in that order."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _formula_cells(data: bytes) -> int:
    """(row, column) of each formula cell of the first sheet, from 0; a workbook with macros is refused.
    A formula's value is the one saved with the file: Forms never writes formulas, so one means somebody
    tidied the sheet (a HYPERLINK, say), and the saved value is what they saw."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        names = book.namelist()
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ReadError("the workbook contains macros; save it as a plain .xlsx and try again")
        sheet = _first_sheet(book, names)
        return _formula_positions(book, sheet) if sheet and _count_formulas(book, sheet) else []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        raise ReadError("the workbook is damaged and cannot be read (not a valid zip archive)") from None


def _first_sheet(book: zipfile.ZipFile, names: list[str]) -> str | None:
    """The part holding the workbook's first sheet, which is the one read: workbook.xml lists the sheets
    in order, and its relationships say which part each is."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    first = SHEET_ID.search(book.read("xl/workbook.xml"))
    for rel in RELATIONSHIP.finditer(book.read("xl/_rels/workbook.xml.rels") if first else b""):
        rel_id, target = ID.search(rel[0]), TARGET.search(rel[0])
        if rel_id and target and rel_id[1] == first[1]:
            path = target[1].decode()
            path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            return path if path in names else None
    return None


def _count_formulas(book: zipfile.ZipFile, name: str) -> int:
    """Stream the sheet's XML counting formula elements (one per formula cell, shared formulas included);
    the two-byte overlap catches one split across chunks and is too short to hold a whole one."""
    count, tail = 0, b""
    with book.open(name) as sheet:
        while chunk := sheet.read(1 << 20):
            count += len(FORMULA.findall(tail + chunk))
            tail = chunk[-2:]
    return count


def _formula_positions(book: zipfile.ZipFile, name: str) -> list[tuple[int, int]]:
    """Where the formula cells are. Cells do not nest, so the cell a formula element sits in is the last
    one opened before it; only sheets with formulas, which are rare, are read whole for this."""
    xml = book.read(name)
    cells = []
    for found in FORMULA.finditer(xml):
        opened = xml.rfind(b"<c ", 0, found.start())
        ref = CELL_REF.match(xml, opened) if opened >= 0 else None
        if ref:
            letters, digits = ref[1].decode(), int(ref[2])
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            cells.append((digits - 1, column - 1))
    return cells


def _frame(rows: list[list]) -> pd.DataFrame:
    """First row is headings. Blank cells stay as the reader gave them ("" or None): the normalisers
    treat both as blank, which saves a pass over every cell. Fully blank rows inside the data are
    kept, since they are rows read; trailing ones are padding and dropped. A column with neither heading
    nor answers is padding too (Excel's trailing commas); one with answers but no heading is named by
    its position, so it is reported rather than lost."""
    if not rows or not any(_present(c) for c in rows[0]):
        raise ReadError("the file is empty")
    body = rows[1:]
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
        body = rows[1:]
    while body and not any(_present(c) for c in body[-1]):
        body.pop()
    headings = _unique_headings(rows[0])
    frame = pd.DataFrame(body, columns=headings, dtype=object)
    padding = [h for h, cell in zip(headings, rows[0], strict=True) if not _present(cell)]
    if padding:
        frame = frame.drop(columns=[h for h in padding if not frame[h].map(_present).any()])
    return frame


def _present(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and cell.strip() == "")


def _unique_headings(cells: list) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for number, cell in enumerate(cells, start=1):
        name = str(cell) if _present(cell) else f"(column {number}, no heading)"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
