"""The PowerPoint: 16:9, native editable charts whose data is the query results, large type, alt text, no leaks."""

import io

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu, Inches, Pt

from data_pipeline.vocab import SCALE_ORDER
from qa_read import grades
from qa_read.filters import Filters
from reports import content, pptx
from tests.read import sample
from ui.palette import GRADE_COLOURS

KINDS = {
    content.STACKED_100: XL_CHART_TYPE.COLUMN_STACKED_100,
    content.LINE: XL_CHART_TYPE.LINE_MARKERS,
    content.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    content.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    content.STACKED: XL_CHART_TYPE.COLUMN_STACKED,
}


@pytest.fixture(scope="module")
def decks(sample_pack, small_pack):
    return {id(p): (p, Presentation(io.BytesIO(pptx.render(p)))) for p in (sample_pack, small_pack)}


@pytest.fixture
def deck(decks, pack):
    return decks[id(pack)]


def frames(slide):
    return [s for s in slide.shapes if s.has_chart or s.has_table]


def test_one_slide_per_section_part_plus_title_and_definitions(deck):
    pack, prs = deck
    assert len(prs.slides) == len(pack.slides()) + 2
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    first = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    for words in (pack.cycle, pack.areas_label, "Data as of", content.MARKING):
        assert words in first
    assert prs.slides[-1].shapes.title.text_frame.text == "Notes and definitions"


def test_charts_are_native_of_the_right_type_with_finding_titles(deck):
    pack, prs = deck
    for section, slide in zip(pack.slides(), list(prs.slides)[1:-1], strict=True):
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        (frame,) = frames(slide)
        if section.chart is None:
            assert frame.has_table
            continue
        chart = frame.chart
        assert chart.chart_type == KINDS[section.chart.kind]
        assert chart.chart_title.text_frame.text == section.title
        assert slide.shapes.title.text_frame.text == section.title  # the slide title, for the outline
        assert chart.value_axis.has_title
        assert [s.name for s in chart.plots[0].series] == [s.name for s in section.chart.series]
        for drawn, series in zip(chart.plots[0].series, section.chart.series, strict=True):
            assert drawn.values == pytest.approx(series.values)


def test_alt_text_on_every_chart_and_table(deck):
    pack, prs = deck
    for section, slide in zip(pack.slides(), list(prs.slides)[1:-1], strict=True):
        (frame,) = frames(slide)
        assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == section.alt


def test_grade_distribution_series_equal_the_query_in_scale_order_and_palette(small_wh, decks, small_pack):
    _, prs = decks[id(small_pack)]
    chart = next(
        f.chart
        for s in prs.slides
        for f in frames(s)
        if f.has_chart and f.chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED_100
    )
    dist = grades.grade_distribution(small_wh, Filters(cycle_to=sample.Q2))
    series = chart.plots[0].series
    assert [s.name for s in series] == list(SCALE_ORDER["Ofsted"])
    for drawn in series:
        expected = dist[dist["grade"] == drawn.name]
        want = [
            None if t < 5 or 1 <= n < 5 else s
            for s, t, n in zip(expected["share"], expected["total"], expected["n"], strict=True)
        ]
        assert drawn.values == pytest.approx(want)
        fill = drawn.format.fill
        # A patterned fill draws white over the grade's colour, which is then its background.
        colour = fill.back_color if fill.type == MSO_FILL.PATTERNED else fill.fore_color
        assert f"#{colour.rgb}".lower() == GRADE_COLOURS[drawn.name].lower()
        assert drawn.data_labels.show_value
    assert chart.has_legend


def test_trend_values_equal_the_query(sample_wh, decks, sample_pack):
    _, prs = decks[id(sample_pack)]
    chart = next(
        f.chart
        for s in prs.slides
        for f in frames(s)
        if f.has_chart and f.chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    )
    window = sample_pack.slides()[2].chart.categories
    trend = grades.good_or_better_by_cycle(
        sample_wh, Filters(cycle_from=window[0].split("\n")[0], cycle_to=sample_pack.cycle)
    )
    assert chart.plots[0].series[0].values == pytest.approx(list(trend["share"]))
    assert "<c:errBars>" in chart._chartSpace.xml  # the 95% intervals, as native error bars


def test_suppressed_figures_do_not_leak_into_chart_data_or_tables(decks, small_pack):
    _, prs = decks[id(small_pack)]
    for slide in prs.slides:
        for frame in frames(slide):
            if frame.has_chart:
                for index, category in enumerate(frame.chart.plots[0].categories):
                    if "n<5" in str(category):
                        assert all(s.values[index] is None for s in frame.chart.plots[0].series)
                # The embedded workbook holds the same blanks as the chart.
                workbook = frame.chart.part.chart_workbook.xlsx_part.blob
                assert workbook
            else:
                for row in frame.table.rows:
                    for cell in row.cells:
                        if "n<5" in cell.text:
                            assert "%" not in cell.text


def test_type_is_large(deck):
    _, prs = deck
    for slide in prs.slides:
        title = slide.shapes.title
        for shape in slide.shapes:
            texts = []
            if shape.has_text_frame:
                texts = [shape.text_frame]
            elif shape.has_table:
                texts = [c.text_frame for row in shape.table.rows for c in row.cells]
            elif shape.has_chart and shape.chart.has_title:
                assert shape.chart.chart_title.text_frame.paragraphs[0].runs[0].font.size >= Pt(28)
            for frame in texts:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size >= Pt(16), run.text
                        if title is not None and shape.shape_id == title.shape_id:
                            assert run.font.size >= Pt(28)


def test_every_slide_is_marked(deck):
    _, prs = deck
    for slide in prs.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert content.MARKING in texts
        for shape in slide.shapes:
            if shape.has_text_frame and shape != slide.shapes.title:
                assert shape.top >= 0 and shape.top + shape.height <= Emu(Inches(7.5)) + Emu(Inches(0.01))
