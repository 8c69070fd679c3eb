"""What leaves in the meeting pack, probed as an attacker would: a crafted name in the workbook behind a chart,
and counts of 1 to 4 in its count charts and their workbooks."""

import io
import re
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


def numbers_in(workbook: bytes) -> list[float]:
    cells, _ = sheets(workbook)
    return [float(v) for v in re.findall(r'<c [^>]*?(?<!t="s")>\s*<v>([^<]*)</v>', cells)]


def test_count_charts_leave_counts_of_one_to_four_blank_in_the_slide_and_its_workbook(small_pack):
    """The hand-built sample's escalations (1 and 2 a cycle), moderation movement (3, 3, 1) and actions by area
    (1 or 2 each) are all small: drawn, and in the workbook behind each chart, they are blank."""
    deck = Presentation(io.BytesIO(pptx.render(small_pack)))
    counted = [s for s in small_pack.slides() if s.chart is not None and not s.chart.percent]
    assert len(counted) >= 3
    charts = {
        shape.chart.chart_title.text_frame.text: shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
    }
    for section in counted:
        chart = charts[section.title]
        values = [v for series in chart.plots[0].series for v in series.values if v is not None]
        assert not [v for v in values if 1 <= v <= 4], section.title
        assert not [v for v in numbers_in(chart.part.chart_workbook.xlsx_part.blob) if 1 <= v <= 4], section.title
        labels = [label for series in section.chart.series for label in series.labels]
        assert not [label for label in labels if label.strip() in {"1", "2", "3", "4"}], section.title
