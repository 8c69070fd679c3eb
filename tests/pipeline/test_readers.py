"""Readers fed in-memory files: text comes back as written, cells keep their types, bad files get one-line refusals."""

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
import xlsxwriter

from data_pipeline.readers import ReadError, _count_formulas, read_csv, read_export, read_xlsx

TEXT = "£250 for the child’s contact – agreed"


def rows(frame: pd.DataFrame) -> list[list]:
    return frame.to_numpy().tolist()


def workbook(cells: list[list], extra_parts: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx made in memory; None leaves a cell empty, datetimes become real Excel date cells."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            if isinstance(cell, dt.datetime):
                sheet.write_datetime(r, c, cell, date_format if cell.time() == dt.time() else stamp_format)
            elif cell is not None:
                sheet.write(r, c, cell)
    book.close()
    data = buf.getvalue()
    if not extra_parts:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for name, content in extra_parts.items():
            dst.writestr(name, content)
    return out.getvalue()


# --- CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f"Ref,Note\n1,{TEXT}\n".encode(), id="utf-8"),
        pytest.param(f"\ufeffRef,Note\n1,{TEXT}\n".encode(), id="utf-8-bom"),
        pytest.param(f"Ref,Note\n1,{TEXT}\n".encode("cp1252"), id="cp1252"),
        pytest.param(f"Ref,Note\r\n1,{TEXT}\r\n".encode("cp1252"), id="cp1252-crlf"),
        pytest.param(f"Ref,Note\r\n1,{TEXT}\r\n".encode(), id="crlf"),
    ],
)
def test_csv_text_comes_back_as_written(data):
    frame = read_csv(io.BytesIO(data))
    assert list(frame.columns) == ["Ref", "Note"]  # no BOM glued to the first heading, no \r on the last
    assert rows(frame) == [["1", TEXT]]


def test_cp1252_curly_quotes_and_dashes_survive():
    data = "Note\n“Mum’s view” – noted\n".encode("cp1252")
    assert rows(read_csv(io.BytesIO(data))) == [["“Mum’s view” – noted"]]


def test_csv_quoted_commas_and_line_breaks_stay_in_one_cell():
    data = b'Ref,Note,Team\r\n1,"Chase GP, then school","first line\r\nsecond line"\r\n2,"say ""hi""",B\r\n'
    frame = read_csv(io.BytesIO(data))
    assert rows(frame) == [["1", "Chase GP, then school", "first line\r\nsecond line"], ["2", 'say "hi"', "B"]]


def test_csv_cells_are_strings_not_guessed_types():
    frame = read_csv(io.BytesIO(b"ID,Date,Count,Flag\n007,03/07/2026,1.50,TRUE\n"))
    assert rows(frame) == [["007", "03/07/2026", "1.50", "TRUE"]]


def test_csv_trailing_blank_rows_dropped_inner_blank_row_kept():
    frame = read_csv(io.BytesIO(b"A,B\n1,2\n,\n3,4\n,\n , \n,\n"))
    assert rows(frame) == [["1", "2"], ["", ""], ["3", "4"]]


def test_csv_empty_line_inside_data_is_kept_as_a_row():
    frame = read_csv(io.BytesIO(b"A,B\n1,2\n\n3,4\n"))
    assert rows(frame) == [["1", "2"], ["", ""], ["3", "4"]]


def test_csv_short_rows_are_padded():
    frame = read_csv(io.BytesIO(b"A,B,C\n1,2\n"))
    assert list(frame.columns) == ["A", "B", "C"]
    assert frame.loc[0, "A"] == "1" and frame.loc[0, "B"] == "2"
    assert pd.isna(frame.loc[0, "C"]) or frame.loc[0, "C"] == ""


def test_csv_duplicate_headings_are_made_unique():
    frame = read_csv(io.BytesIO(b"Team,Team,Notes,Team\nA,B,x,C\n"))
    assert list(frame.columns) == ["Team", "Team (2)", "Notes", "Team (3)"]
    assert rows(frame) == [["A", "B", "x", "C"]]


# --- xlsx -----------------------------------------------------------------------------------------


def test_xlsx_keeps_cell_types():
    data = workbook(
        [
            ["Name", "Audit date", "Completed", "Sessions", "Note"],
            ["Ann", dt.datetime(2026, 7, 3), dt.datetime(2026, 7, 27, 19, 6, 23), 3, TEXT],
        ]
    )
    (row,) = rows(read_xlsx(io.BytesIO(data)))
    name, day, stamp, sessions, note = row
    assert name == "Ann" and note == TEXT
    assert isinstance(day, dt.date) and (day.year, day.month, day.day) == (2026, 7, 3)
    assert stamp == dt.datetime(2026, 7, 27, 19, 6, 23)
    assert sessions == 3 and isinstance(sessions, int | float) and not isinstance(sessions, bool)


def test_xlsx_trailing_blank_rows_dropped_inner_blank_row_kept():
    data = workbook([["A", "B"], ["1", "2"], [None, None], ["3", "4"], ["", "  "], [None, ""]])
    frame = read_xlsx(io.BytesIO(data))
    assert len(frame) == 3
    assert rows(frame)[0] == ["1", "2"] and rows(frame)[2] == ["3", "4"]
    assert all(pd.isna(c) or str(c).strip() == "" for c in rows(frame)[1])


def test_xlsx_duplicate_and_blank_headings_are_made_unique():
    frame = read_xlsx(io.BytesIO(workbook([["Team", "Team", None, None], ["A", "B", "x", "y"]])))
    assert len(set(frame.columns)) == 4
    assert list(frame.columns)[:2] == ["Team", "Team (2)"]


def test_read_export_dispatches_on_extension_case_insensitively():
    csv = read_export(io.BytesIO(b"A\n1\n"), "EXPORT.CSV")
    xlsx = read_export(io.BytesIO(workbook([["A"], ["1"]])), "Export.XLSX")
    assert rows(csv) == rows(xlsx) == [["1"]]


# --- refusals -------------------------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


REFUSED = [
    pytest.param(b"Ref,Note\n1,x\n", "audit.xlsx", "not an Excel workbook", id="csv-named-xlsx"),
    pytest.param(b"PK\x03\x04 but not really a zip", "audit.xlsx", "damaged", id="zip-magic-not-a-zip"),
    pytest.param(_zip({"readme.txt": b"hello"}), "audit.xlsx", "damaged", id="zip-not-a-workbook"),
    pytest.param(workbook([["A"], ["1"]], {"xl/vbaProject.bin": b"\x00" * 64}), "audit.xlsx", "macros", id="macros"),
    pytest.param(b"", "audit.csv", "empty", id="empty-csv"),
    pytest.param(b"", "audit.xlsx", "not an Excel workbook", id="empty-xlsx"),
    pytest.param(b"\n\n", "audit.csv", "empty", id="blank-lines-csv"),
    pytest.param(b"Ref,Note\n", "audit.csv", "no rows", id="header-only-csv"),
    pytest.param(b"Ref,Note\r\n,\r\n,\r\n", "audit.csv", "no rows", id="header-and-blank-rows-csv"),
    pytest.param(workbook([["Ref", "Note"]]), "audit.xlsx", "no rows", id="header-only-xlsx"),
    pytest.param(workbook([]), "audit.xlsx", "empty", id="empty-workbook"),
    pytest.param(b"Ref,Note\n1,x\n", "audit.txt", "neither .xlsx nor .csv", id="unknown-extension"),
    pytest.param(b"Ref,Note\n1,x\n", "audit.xls", "neither .xlsx nor .csv", id="old-excel"),
    pytest.param(b'Ref,Note\n1,"never closed\n', "audit.csv", "malformed", id="unclosed-quote"),
]


@pytest.mark.parametrize(("data", "name", "says"), REFUSED)
def test_refusals_are_one_line_read_errors(data, name, says):
    with pytest.raises(ReadError) as refused:
        read_export(io.BytesIO(data), name)
    message = str(refused.value)
    assert says in message
    assert message.strip() and "\n" not in message and "\r" not in message
    assert "Traceback" not in message


def _formula_workbook() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["A", "B"])
    sheet.write_row(1, 0, [1, 2])
    sheet.write_formula(2, 0, "=A2+B2", None, 3)
    book.close()
    return buf.getvalue()


def test_a_formula_cell_gives_its_saved_value_and_is_counted():
    frame = read_export(io.BytesIO(_formula_workbook()), "audit.xlsx")
    assert frame["A"].tolist() == [1, "3"]  # A3 holds =A2+B2, saved by Excel as 3, read as text
    assert frame.attrs["formula_cells"] == 1


def test_only_the_first_sheets_formulas_are_counted():
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    first, second = book.add_worksheet(), book.add_worksheet()
    first.write_row(0, 0, ["A"])
    first.write_row(1, 0, ["x"])
    second.write_formula(0, 0, "=1+1", None, 2)
    book.close()
    assert read_export(io.BytesIO(buf.getvalue()), "audit.xlsx").attrs["formula_cells"] == 0


def test_csv_cells_beyond_the_headings_are_kept_under_their_position():
    frame = read_csv(io.BytesIO(b"Ref,Note\n1,2,3\n"))
    assert list(frame.columns) == ["Ref", "Note", "(column 3, no heading)"]


def test_csv_trailing_commas_are_padding_and_dropped():
    frame = read_csv(io.BytesIO(b"Ref,Note,\r\n1,x,\r\n2,y,,\r\n"))
    assert list(frame.columns) == ["Ref", "Note"] and rows(frame) == [["1", "x"], ["2", "y"]]


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        pytest.param(b"<c><f>A1+1</f><v>2</v></c>", 1, id="plain"),
        pytest.param(b'<c><f t="shared" ref="A1:A9" si="0"/></c><c><f t="shared" si="0"/></c>', 2, id="shared"),
        pytest.param(b"<c><f/></c>", 1, id="empty"),
        pytest.param(b" " * ((1 << 20) - 1) + b"<f>A1</f>", 1, id="split-across-chunks"),
        pytest.param(b" " * ((1 << 20) - 2) + b"<f>A1</f>", 1, id="split-after-two-bytes"),
        pytest.param(b"<firstHeader>&lt;f&gt; x</firstHeader><c><v>1</v></c>", 0, id="none"),
    ],
)
def test_formula_elements_are_counted_wherever_they_fall(xml, found):
    book = zipfile.ZipFile(io.BytesIO(_zip({SHEET: xml})))
    assert _count_formulas(book, SHEET) == found
