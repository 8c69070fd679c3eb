"""What leaves in the meeting pack, probed as an attacker would: a crafted name in the workbook behind a chart."""

import io
import zipfile

import duckdb
import pytest
from pptx import Presentation

from reports import content, pptx
from tests.read import sample

HYPERLINK = '=HYPERLINK("http://127.0.0.1:9/x","North")'
CMD = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def hostile_pack() -> content.Pack:
    """The hand-built sample with its service area North and team N1 renamed as a prober would name them."""
    con = duckdb.connect(":memory:")
    sample.create_schema(con)
    sample.load(con)
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE column_name IN ('service_area', 'team') AND table_name IN "
        "(SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
    ).fetchall():
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', [HYPERLINK, "North"])
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', [CMD, "N1"])
    return content.build(sample.reader(con), sample.Q2, today=sample.TODAY)


def embedded_workbooks(deck: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]


def sheets(workbook: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        cells = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    return cells, strings


def test_no_cell_of_a_charts_workbook_is_a_formula(hostile_pack):
    workbooks = embedded_workbooks(pptx.render(hostile_pack))
    assert workbooks, "the pack has native charts, each with its workbook"
    found = []
    for workbook in workbooks:
        cells, strings = sheets(workbook)
        assert "<f>" not in cells and "<f " not in cells
        found.append(strings)
    every = "".join(found)
    assert "HYPERLINK(&quot;http://127.0.0.1:9/x&quot;" in every or 'HYPERLINK("http://127.0.0.1:9/x"' in every


def test_the_hostile_names_stay_text_in_the_slides(hostile_pack):
    prs = Presentation(io.BytesIO(pptx.render(hostile_pack)))
    text = " ".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    assert HYPERLINK in text or "=HYPERLINK" in text
