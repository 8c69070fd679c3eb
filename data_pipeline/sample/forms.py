"""Writing sheets the way the exports arrive: Forms workbooks, and CSVs saved from Excel."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import xlsxwriter

from . import cycles

PART_ROWS = 500_000  # an Excel sheet holds 1,048,576 rows; bigger exports are split into parts
FORMATS = {"xlsx": ("xlsx", None), "csv-cp1252": ("csv", "cp1252"), "csv-utf8-bom": ("csv", "utf-8-sig")}
FORMS_METADATA = ("ID", "Start time", "Completion time", "Email", "Name")


@dataclass
class Sheet:
    """One export: its headings in order, a cell array per heading, and which rows are deliberately bad."""

    stem: str
    profile: str
    columns: dict[str, np.ndarray]
    fmt: str = "xlsx"
    id_heading: str = "ID"
    bad: np.ndarray = field(default=None)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))


def parts(sheet: Sheet) -> list[tuple[str, int, int]]:
    """(file name, first row, end row) of each file the sheet is written to."""
    ext = FORMATS[sheet.fmt][0]
    count = max(1, -(-len(sheet) // PART_ROWS))
    if count == 1:
        return [(f"{sheet.stem}.{ext}", 0, len(sheet))]
    bounds = [min(k * PART_ROWS, len(sheet)) for k in range(count + 1)]
    return [(f"{sheet.stem}-part{k + 1}.{ext}", bounds[k], bounds[k + 1]) for k in range(count)]


def write_part(sheet: Sheet, path: Path, start: int, stop: int) -> None:
    cells = [column[start:stop] for column in sheet.columns.values()]
    ext, encoding = FORMATS[sheet.fmt]
    if ext == "xlsx":
        _write_xlsx(path, list(sheet.columns), cells)
    else:
        _write_csv(path, list(sheet.columns), cells, encoding)


def _write_xlsx(path: Path, headings: list[str], cells: list[np.ndarray]) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    # The export day, fixed, so the same seed and build day give the same bytes.
    created = datetime.combine(cycles.EXPORT_DAY.astype(object), time(9))
    book.set_properties({"created": created})
    day_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "m/d/yy h:mm:ss"})
    sheet = book.add_worksheet("Sheet1")
    for col, heading in enumerate(headings):
        sheet.write_string(0, col, heading)
    text, stamp = sheet.write_string, sheet.write_datetime
    for row, values in enumerate(zip(*cells), start=1):
        for col, value in enumerate(values):
            kind = type(value)
            if kind is str:
                text(row, col, value)
            elif value is None:
                continue
            elif kind is datetime:
                stamp(row, col, value, stamp_format)
            elif kind is date:
                stamp(row, col, value, day_format)
            else:
                sheet.write_number(row, col, value)
    book.close()


def _write_csv(path: Path, headings: list[str], cells: list[np.ndarray], encoding: str) -> None:
    """Quoting as Excel does it, CRLF between records and bare LF inside a quoted cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(["" if value is None else value for value in values] for values in zip(*cells))
    path.write_bytes(buffer.getvalue().encode(encoding))
