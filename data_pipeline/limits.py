"""Hostile files refused before parsing, while they still cost little memory.

An .xlsx is a zip: a few megabytes can unpack to gigabytes. Its central directory states each member's
unpacked size, so a workbook is refused on what it claims without unpacking anything; a member that
unpacks to more than it claims is caught by the size and CRC checks of Python's zip reader as the sheets
are streamed (in readers' formula check and the cell scan here), a megabyte at a time. Rows, columns and
cell lengths are bounded too, from the sheet's stated dimension and a streamed scan, and for CSV from the
bytes themselves. Every refusal is one line naming the setting that sets the bound.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from data_pipeline import settings

MB = 1024 * 1024
# Tiny members (styles, an empty sheet) compress far better than data ever does; judge ratios above this.
RATIO_FLOOR = MB
DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:(?P<col>[A-Z]+)(?P<row>\d+)"')


class Refused(ValueError):
    """The file is over a bound, or lies about its size; the message is one line."""


@dataclass(frozen=True)
class Bounds:
    unpacked_bytes: int
    ratio: float
    rows: int
    columns: int
    cell_bytes: int

    @classmethod
    def from_settings(cls) -> "Bounds":
        return cls(
            unpacked_bytes=int(float(settings.get("QA_MAX_UNPACKED_MB")) * MB),
            ratio=float(settings.get("QA_MAX_ZIP_RATIO")),
            rows=int(settings.get("QA_MAX_ROWS")),
            columns=int(settings.get("QA_MAX_COLUMNS")),
            cell_bytes=int(float(settings.get("QA_MAX_CELL_KB")) * 1024),
        )


def check(data: bytes, name: str, bounds: Bounds | None = None) -> None:
    """Refuse ``data`` (an export called ``name``) if it is over any bound; otherwise do nothing."""
    bounds = bounds or Bounds.from_settings()
    lower = name.lower()
    if lower.endswith(".xlsx") and data.startswith(b"PK"):
        try:
            book = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
            return  # not a zip the reader can open either: it refuses the file in its own words
        try:
            _check_xlsx(book, bounds)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
            raise Refused("the workbook is damaged and cannot be read (a part does not unpack as it claims)") from None
    elif lower.endswith(".csv"):
        _check_csv(data, bounds)


def _check_xlsx(book: zipfile.ZipFile, bounds: Bounds) -> None:
    members = book.infolist()
    total = sum(m.file_size for m in members)
    if total > bounds.unpacked_bytes:
        raise Refused(
            f"the workbook unpacks to {total / MB:,.0f} MB, over the {bounds.unpacked_bytes / MB:,.0f} MB "
            "limit (QA_MAX_UNPACKED_MB)"
        )
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > bounds.ratio * max(m.compress_size, 1):
            raise Refused(
                f"the workbook's {m.filename} unpacks {m.file_size / max(m.compress_size, 1):,.0f} times its "
                f"packed size, over the limit of {bounds.ratio:,.0f} (QA_MAX_ZIP_RATIO)"
            )
    for m in members:
        if m.filename.startswith("xl/worksheets/") or m.filename.endswith("sharedStrings.xml"):
            _scan_member(book, m.filename, bounds)


def _scan_member(book: zipfile.ZipFile, member: str, bounds: Bounds) -> None:
    """Stream one member: its stated dimension, its rows and its longest text between tags."""
    rows, carry, first = 0, b"", True
    with book.open(member) as stream:
        while chunk := stream.read(MB):
            if first and (stated := DIMENSION.search(chunk[:4096])):
                _check_shape(int(stated["row"]), _column_number(stated["col"]), bounds)
            first = False
            rows += chunk.count(b"<row ") + chunk.count(b"<row>")
            if rows > bounds.rows + 1:
                raise Refused(f"the sheet has over {bounds.rows:,} rows, the limit (QA_MAX_ROWS)")
            window = carry + chunk
            if _has_text_over(window, bounds.cell_bytes):
                raise Refused(f"a cell holds over {bounds.cell_bytes // 1024:,} KB of text, the limit (QA_MAX_CELL_KB)")
            carry = window[window.rfind(b">") + 1 :]


def _has_text_over(xml: bytes, limit: int) -> bool:
    """Whether any text between a '>' and the next '<' is longer than ``limit``. Such a run spans a whole
    block of limit/2 bytes, so only blocks are probed, a few C-speed searches per block, not every byte."""
    block = max(limit // 2, 1)
    for start in range(0, len(xml), block):
        if xml.find(b"<", start, start + block) != -1:
            continue
        end = xml.find(b"<", start + block)
        end = len(xml) if end == -1 else end
        if end - (xml.rfind(b">", 0, start) + 1) > limit:
            return True
    return False


def _check_csv(data: bytes, bounds: Bounds) -> None:
    """Counting lines over-counts rows (a quoted answer may hold line breaks), so only a file over a
    bound by that count is parsed, a record at a time, to count exactly."""
    lines = data.split(b"\n")
    first = next(csv.reader(io.StringIO(lines[0].decode("utf-8", "replace"))), [])
    _check_shape(0, len(first), bounds)
    if len(lines) - 1 <= bounds.rows and max(map(len, lines)) <= bounds.cell_bytes:
        return
    too_long = f"a cell holds over {bounds.cell_bytes // 1024:,} KB of text, the limit (QA_MAX_CELL_KB)"
    text = io.StringIO(data.decode("utf-8", "replace"), newline="")
    try:
        for number, record in enumerate(csv.reader(text)):
            if number > bounds.rows:
                raise Refused(f"the file has over {bounds.rows:,} rows, the limit (QA_MAX_ROWS)")
            if max(map(len, record), default=0) > bounds.cell_bytes:
                raise Refused(too_long)
    except csv.Error as exc:  # the csv module's own bound on a field (128 KB) is the only error worth naming here
        if "field larger" in str(exc):
            raise Refused(too_long) from None


def _check_shape(rows: int, columns: int, bounds: Bounds) -> None:
    if rows > bounds.rows + 1:  # the headings' row is not a data row
        raise Refused(f"the sheet has {rows - 1:,} rows, over the limit of {bounds.rows:,} (QA_MAX_ROWS)")
    if columns > bounds.columns:
        raise Refused(f"the file has {columns:,} columns, over the limit of {bounds.columns:,} (QA_MAX_COLUMNS)")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
