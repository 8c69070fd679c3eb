"""The meeting pack as an editable PowerPoint deck (python-pptx): native charts and tables, never pictures.

Every section of ``content.Pack`` becomes one slide (a long table several): the topic as the slide title, the
finding as the chart's own title (so it travels with a chart copied into another deck), the note under it and
in the speaker notes, and the alt text on the chart or table frame. Grades keep the dashboard's colour AND
pattern, and every chart has a legend and value labels, so no series is told apart by colour alone.
Type is set in Arial, which every council PC has (and LibreOffice matches metric for metric).
"""

import io
from contextlib import contextmanager

import xlsxwriter
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from qa_read.exports import XLSX_OPTIONS
from reports.content import BAR, COLUMN, LINE, MARKING, STACKED, STACKED_100, Chart, Pack, Section, Table, is_dark
from ui.palette import ACCENT

FONT = "Arial"
INK = "262730"
GREY = "595959"
WHITE = "FFFFFF"
TITLE_PT = 28  # slide titles and findings
BODY_PT = 18
SMALL_PT = 16  # the smallest type in the deck: tables, notes, axis labels, footer
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_WIDTH = WIDTH - 2 * MARGIN
NOTE_TOP = Inches(6.2)  # the note under a chart or table, above the footer
NOTE_CHARS = 180  # two lines of an 18 pt note across the slide
TABLE_BOTTOM = NOTE_TOP - Inches(0.1)
TALLEST_ROW = Inches(0.75)  # a short table fills the slide only up to rows this tall

CHART_TYPES = {
    STACKED_100: XL_CHART_TYPE.COLUMN_STACKED_100,
    LINE: XL_CHART_TYPE.LINE_MARKERS,
    BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    STACKED: XL_CHART_TYPE.COLUMN_STACKED,
}
# The palette's Plotly patterns as PowerPoint pattern fills: white lines or dots over the grade's colour.
PATTERNS = {
    "/": MSO_PATTERN.WIDE_UPWARD_DIAGONAL,
    ".": MSO_PATTERN.PERCENT_20,
    "x": MSO_PATTERN.DIAGONAL_CROSS,
}
# Layouts of python-pptx's default template.
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


def render(pack: Pack) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    props = prs.core_properties
    props.title = pack.title
    props.subject = f"{pack.areas_label}; data as of {pack.data_as_of_label}"
    props.keywords = MARKING
    props.author = "QA dashboard"
    slides = pack.slides()
    total = len(slides) + 2
    _title_slide(prs, pack)
    for number, section in enumerate(slides, start=2):
        _section_slide(prs, pack, section, number, total)
    _definitions_slide(prs, pack, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# -- slides -------------------------------------------------------------------------------------------------------


def _title_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(title, MARGIN, Inches(1.6), CONTENT_WIDTH, Inches(1.5))
    _write(title.text_frame, [("Practice progress meeting", 44, True, INK)], align=PP_ALIGN.LEFT)
    _place(subtitle, MARGIN, Inches(3.2), CONTENT_WIDTH, Inches(2.6))
    compared = f" compared with {pack.previous_cycle}" if pack.previous_cycle else ""
    _write(
        subtitle.text_frame,
        [
            (f"{pack.cycle}{compared}", TITLE_PT, True, ACCENT[1:]),
            (f"Service areas: {pack.areas_label}", 24, False, INK),
            (f"Data as of {pack.data_as_of_label}", 24, False, INK),
        ],
        align=PP_ALIGN.LEFT,
    )
    _marking(slide, top=True)
    _footer(slide, pack, 1, None)
    slide.notes_slide.notes_text_frame.text = (
        f"{pack.title}. {pack.areas_label}. Figures resting on small numbers are suppressed; see the last slide."
    )


def _section_slide(prs, pack: Pack, section: Section, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    if section.chart is not None:
        # The chart's own title shows the finding, so the slide title holds the same words just off the slide:
        # PowerPoint's outline and screen readers still find it (Microsoft's advice for hiding a slide title).
        _title(slide, section.title, visible=False)
        frame = _chart(slide, section.chart, section.title, MARGIN, Inches(0.3), CONTENT_WIDTH, Inches(5.95))
    else:
        title = section.title + (f" ({section.part})" if section.part else "")
        _title(slide, title)
        frame = _table(slide, section.table, MARGIN, Inches(0.45 + 0.5 * _lines(title)), CONTENT_WIDTH, TABLE_BOTTOM)
    _alt_text(frame, section.alt)
    if section.note:
        # Body size, to be read from the back of the room, where it fits two lines above the footer.
        size = BODY_PT if len(section.note) <= NOTE_CHARS else SMALL_PT
        note = _textbox(slide, MARGIN, NOTE_TOP, CONTENT_WIDTH, Inches(0.7))
        _write(note.text_frame, [(section.note, size, False, GREY)])
    _footer(slide, pack, number, total)
    slide.notes_slide.notes_text_frame.text = f"{section.title}.\n\n{section.note}\n\nDescription: {section.alt}"


def _definitions_slide(prs, pack: Pack, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, "Notes and definitions")
    rows = (*pack.definitions, ("Marking", f"{MARKING}: for the meeting and its members; do not forward."))
    table = Table(("Term", "What it means"), rows, widths=(2.6, 9.7))
    frame = _table(slide, table, MARGIN, Inches(1.1), CONTENT_WIDTH, Inches(6.8))
    _alt_text(frame, "Table of the terms used in this pack and what each means.")
    _footer(slide, pack, total, total)


# -- pieces -------------------------------------------------------------------------------------------------------


def _lines(title: str) -> int:
    """Lines a slide title takes at 28 pt bold across the slide (about 60 characters a line)."""
    return max(1, -(-len(title) // 60))


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _font(font, size: float, bold: bool = False, colour: str = INK) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = _rgb(colour)


def _write(frame, lines: list[tuple[str, float, bool, str]], align=PP_ALIGN.LEFT) -> None:
    """Replace a text frame's text with one paragraph per (text, size, bold, colour)."""
    frame.clear()
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        _font(run.font, size, bold, colour)


def _textbox(slide, left, top, width, height):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.margin_left = box.text_frame.margin_right = 0
    return box


def _title(slide, text: str, visible: bool = True) -> None:
    title = slide.shapes.title
    _place(title, MARGIN, Inches(0.3) if visible else -Inches(3), CONTENT_WIDTH, Inches(1.05))
    title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    title.text_frame.margin_left = title.text_frame.margin_right = 0
    _write(title.text_frame, [(text, TITLE_PT, True, INK)])


def _marking(slide, top: bool) -> None:
    box = _textbox(slide, MARGIN, Inches(0.25) if top else Inches(6.95), CONTENT_WIDTH, Inches(0.4))
    _write(box.text_frame, [(MARKING, SMALL_PT, True, INK)], align=PP_ALIGN.RIGHT)


def _footer(slide, pack: Pack, number: int, total: int | None) -> None:
    """The protective marking and where the slide belongs, at the foot of every slide."""
    left = _textbox(slide, MARGIN, Inches(6.95), Inches(3), Inches(0.4))
    _write(left.text_frame, [(MARKING, SMALL_PT, True, INK)])
    right = _textbox(slide, MARGIN + Inches(3), Inches(6.95), CONTENT_WIDTH - Inches(3), Inches(0.4))
    parts = [pack.title, pack.areas_label] + ([f"{number} of {total}"] if total else [])
    _write(right.text_frame, [(" · ".join(parts), SMALL_PT, False, GREY)], align=PP_ALIGN.RIGHT)


def _alt_text(frame, text: str) -> None:
    """Alt text on a graphic frame: the ``descr`` of its non-visual properties, as PowerPoint stores it."""
    frame._element.nvGraphicFramePr.cNvPr.set("descr", text)


# -- charts -------------------------------------------------------------------------------------------------------


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer of the workbook behind a chart ("Edit data"), opened with the downloads' options:
    its own default would write a category or series name beginning "=" as a live formula."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        with xlsxwriter.Workbook(xlsx_file, XLSX_OPTIONS) as workbook:
            yield workbook, workbook.add_worksheet()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def _chart(slide, spec: Chart, title: str, left, top, width, height):
    number_format = "0%" if spec.percent else "0"
    data = _ChartData(number_format=number_format)
    data.categories = list(spec.categories)
    for series in spec.series:
        data.add_series(series.name, list(series.values), number_format=number_format)
    frame = slide.shapes.add_chart(CHART_TYPES[spec.kind], left, top, width, height, data)
    chart = frame.chart
    chart.font.name = FONT
    chart.font.size = Pt(SMALL_PT)
    chart.font.color.rgb = _rgb(INK)
    chart.has_title = True
    _write(chart.chart_title.text_frame, [(title, TITLE_PT, True, INK)])
    _top_left(chart.chart_title._title)
    several = len(spec.series) > 1
    chart.has_legend = several
    if several:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(BODY_PT)
    _axes(chart, spec)
    plot = chart.plots[0]
    if spec.kind in (STACKED_100, STACKED, COLUMN, BAR):
        plot.gap_width = 60
        if spec.kind in (STACKED_100, STACKED):
            plot.overlap = 100
    for series, drawn in zip(spec.series, plot.series, strict=True):
        _style_series(drawn, series, spec)
        _labels(drawn, series, spec, number_format)
    return frame


def _top_left(title) -> None:
    """Pin the chart title to the top left, where the slide titles of table slides sit."""
    layout = title.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        _insert_before(title, layout, ("c:overlay", "c:spPr", "c:txPr", "c:extLst"))
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, value in (("c:xMode", "edge"), ("c:yMode", "edge"), ("c:x", "0"), ("c:y", "0")):
        etree.SubElement(manual, qn(tag)).set("val", value)


def _axes(chart, spec: Chart) -> None:
    categories, values = chart.category_axis, chart.value_axis
    for axis, text in ((categories, spec.x_title), (values, spec.y_title)):
        axis.tick_labels.font.size = Pt(SMALL_PT)
        axis.tick_labels.font.name = FONT
        if text:
            axis.has_title = True
            _write(axis.axis_title.text_frame, [(text, BODY_PT, False, INK)])
    categories.major_tick_mark = XL_TICK_MARK.NONE
    categories.format.line.color.rgb = _rgb("BFBFBF")
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb("E6E6E6")
    values.format.line.fill.background()
    values.major_tick_mark = XL_TICK_MARK.NONE
    values.minimum_scale = 0
    if spec.percent:
        values.maximum_scale = 1.0
        values.major_unit = 0.25 if spec.kind == STACKED_100 else 0.2
        values.tick_labels.number_format = "0%"
        values.tick_labels.number_format_is_linked = False
    if spec.kind == BAR:
        # Bar charts draw the first category at the bottom; read top to bottom in the given order instead,
        # with the value axis kept at the foot.
        categories.reverse_order = True
        categories.crosses = XL_AXIS_CROSSES.MAXIMUM


def _style_series(drawn, series, spec: Chart) -> None:
    if spec.kind == LINE:
        drawn.smooth = False
        drawn.format.line.color.rgb = _rgb(series.colour)
        drawn.format.line.width = Pt(3.5)
        drawn.marker.style = XL_MARKER_STYLE.CIRCLE
        drawn.marker.size = 11
        drawn.marker.format.fill.solid()
        drawn.marker.format.fill.fore_color.rgb = _rgb(series.colour)
        drawn.marker.format.line.color.rgb = _rgb(series.colour)
        if series.lower is not None and series.upper is not None:
            _error_bars(drawn, series)
        return
    fill = drawn.format.fill
    if series.pattern in PATTERNS:
        fill.patterned()
        fill.pattern = PATTERNS[series.pattern]
        fill.fore_color.rgb = _rgb(WHITE)
        fill.back_color.rgb = _rgb(series.colour)
    else:
        fill.solid()
        fill.fore_color.rgb = _rgb(series.colour)
    drawn.format.line.color.rgb = _rgb(WHITE)
    drawn.format.line.width = Pt(1)


def _labels(drawn, series, spec: Chart, number_format: str) -> None:
    """Value labels on every point that has one, in white boxes so they read on any colour or pattern."""
    labels = drawn.data_labels
    labels.show_value = True
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(SMALL_PT)
    labels.font.bold = True
    labels.font.name = FONT
    labels.font.color.rgb = _rgb(INK)
    labels.position = {
        STACKED_100: XL_LABEL_POSITION.CENTER,
        STACKED: XL_LABEL_POSITION.CENTER,
        LINE: XL_LABEL_POSITION.ABOVE,
        BAR: XL_LABEL_POSITION.OUTSIDE_END,
        COLUMN: XL_LABEL_POSITION.OUTSIDE_END,
    }[spec.kind]
    d_lbls = drawn._element.find(qn("c:dLbls"))
    if spec.kind in (STACKED_100, STACKED):
        _insert_before(d_lbls, _box_fill(), ("c:txPr", "c:dLblPos", "c:showLegendKey"))
    # A point whose label is "" (a thin segment, a zero, a suppressed value) gets no label at all.
    hidden = [index for index, text in enumerate(series.labels) if not text or text.startswith("n<")]
    for position, index in enumerate(hidden):
        label = etree.Element(qn("c:dLbl"))
        etree.SubElement(label, qn("c:idx")).set("val", str(index))
        etree.SubElement(label, qn("c:delete")).set("val", "1")
        d_lbls.insert(position, label)


def _box_fill():
    sp_pr = etree.Element(qn("c:spPr"))
    fill = etree.SubElement(sp_pr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", WHITE)
    return sp_pr


def _insert_before(parent, element, names: tuple[str, ...]) -> None:
    """Insert ``element`` before the first child named in ``names`` (the schema fixes the order)."""
    for child in parent:
        if child.tag in {qn(n) for n in names}:
            child.addprevious(element)
            return
    parent.append(element)


def _error_bars(drawn, series) -> None:
    """Custom error bars from each point's 95% interval, as native chart error bars (editable in PowerPoint)."""
    plus = [None if v is None or u is None else u - v for v, u in zip(series.values, series.upper, strict=True)]
    minus = [None if v is None or lo is None else v - lo for v, lo in zip(series.values, series.lower, strict=True)]
    bars = etree.Element(qn("c:errBars"))
    etree.SubElement(bars, qn("c:errDir")).set("val", "y")
    etree.SubElement(bars, qn("c:errBarType")).set("val", "both")
    etree.SubElement(bars, qn("c:errValType")).set("val", "cust")
    etree.SubElement(bars, qn("c:noEndCap")).set("val", "0")
    for name, values in (("c:plus", plus), ("c:minus", minus)):
        holder = etree.SubElement(bars, qn(name))
        literal = etree.SubElement(holder, qn("c:numLit"))
        etree.SubElement(literal, qn("c:formatCode")).text = "General"
        etree.SubElement(literal, qn("c:ptCount")).set("val", str(len(values)))
        for index, value in enumerate(values):
            if value is None:
                continue
            point = etree.SubElement(literal, qn("c:pt"))
            point.set("idx", str(index))
            etree.SubElement(point, qn("c:v")).text = f"{value:.6f}"
    sp_pr = etree.SubElement(bars, qn("c:spPr"))
    line = etree.SubElement(sp_pr, qn("a:ln"))
    line.set("w", str(Pt(2)))
    fill = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", "6BAED6")
    _insert_before(drawn._element, bars, ("c:cat", "c:val", "c:smooth"))


# -- tables -------------------------------------------------------------------------------------------------------


def _table(slide, table: Table, left, top, width, bottom):
    """The table filling the slide from ``top`` to ``bottom``: body-size type where every row still fits, else
    the smallest size; rows sized in proportion to the lines they take, none taller than TALLEST_ROW. A tenth
    of the space is kept spare, as a row whose text wraps more than estimated grows when drawn."""
    n_rows, n_cols = len(table.rows) + 1, len(table.columns)
    weights = table.widths or (1.0,) * n_cols
    widths = [Emu(int(width * weight / sum(weights))) for weight in weights]
    texts = [tuple(table.columns), *table.rows]
    space = 0.9 * (bottom - top)
    size = BODY_PT if sum(_row_height(row, widths, BODY_PT) for row in texts) <= space else SMALL_PT
    needs = [_row_height(row, widths, size) for row in texts]
    # Shrunk to the space as well as stretched to it: a row set lower than its text needs grows when drawn,
    # while one set taller than needed on a pessimistic estimate would push the table past the note.
    stretch = min(space / sum(needs), TALLEST_ROW / max(needs))
    heights = [Emu(int(need * stretch)) for need in needs]
    frame = slide.shapes.add_table(n_rows, n_cols, left, top, width, sum(heights))
    grid = frame.table
    grid.first_row = True
    grid.horz_banding = False
    for i, column_width in enumerate(widths):
        grid.columns[i].width = column_width
    for i, height in enumerate(heights):
        grid.rows[i].height = height
    for c, name in enumerate(table.columns):
        _cell(grid.cell(0, c), name, ACCENT, size, bold=True)
    for r, row in enumerate(table.rows, start=1):
        shades = table.shades[r - 1] if table.shades else (None,) * n_cols
        for c, text in enumerate(row):
            _cell(grid.cell(r, c), text, shades[c] or ("#F2F2F2" if r % 2 == 0 else "#FFFFFF"), size, bold=c == 0)
    return frame


CELL_MARGIN = Inches(0.08)


def _row_height(texts, widths, size: float) -> int:
    """The height a row of cells needs at ``size`` points: its longest cell's lines, wrapped word by word as
    PowerPoint does, at 1.2 lines a point size, plus the cell's margins."""
    lines = max(_lines_in(str(text), width - 2 * CELL_MARGIN, size) for text, width in zip(texts, widths, strict=True))
    return int(Pt(size * 1.2) * lines + Inches(0.12))


def _lines_in(text: str, width: int, size: float) -> int:
    """Lines ``text`` takes in a cell ``width`` wide. An Arial character is about 0.55 em wide on average (bold and
    capitals run wider than the half em a plain estimate takes, and a row drawn taller than set pushes the
    table past the note), and a word that does not fit starts a new line."""
    per_line = max(int(width / Pt(size * 0.55)), 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, 0
            if len(word) > per_line:  # a word longer than the line breaks inside it
                lines += (len(word) - 1) // per_line
                used = len(word) % per_line or per_line
            else:
                used += (1 if used else 0) + len(word)
    return lines


def _cell(cell, text: str, fill: str, size: float, bold: bool = False) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(fill)
    cell.margin_left = cell.margin_right = CELL_MARGIN
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _write(cell.text_frame, [(text, size, bold, WHITE if is_dark(fill) else INK)])
