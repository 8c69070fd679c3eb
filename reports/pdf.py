"""The meeting pack as a PDF (reportlab): the same sections as the deck, one per A4 landscape page.

Charts are vector drawings made here from the sections' plain series, with the dashboard's grade colours and
patterns, a legend and value labels. reportlab writes untagged PDF, so each chart's alt text is printed under
it as a description: a screen reader (and a search) then finds it in the text.
"""

import io
import math
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from reports import content
from reports.content import BAR, LINE, MARKING, STACKED, STACKED_100, Chart, Pack, Section, is_dark
from ui.palette import ACCENT

PAGE = landscape(A4)
MARGIN = 15 * mm
TABLE_HEIGHT = 90 * mm  # a table's rows stretch towards this height, leaving room for two-line titles and notes
MAX_PAD = 8  # points added above and below a cell's text, at most
INK = colors.HexColor("#262730")
GREY = colors.HexColor("#595959")
GRID = colors.HexColor("#e6e6e6")
# DejaVu Sans covers the accents and symbols that text from the data may hold; Helvetica is the fallback.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)


def _fonts() -> tuple[str, str]:
    """Regular and bold font names, registering DejaVu Sans once when it is installed."""
    if "PackSans" in pdfmetrics.getRegisteredFontNames():
        return "PackSans", "PackSans-Bold"
    for regular in map(Path, FONT_FILES):
        bold = regular.with_name("DejaVuSans-Bold.ttf")
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("PackSans", str(regular)))
            pdfmetrics.registerFont(TTFont("PackSans-Bold", str(bold)))
            return "PackSans", "PackSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def render(pack: Pack) -> bytes:
    """The pack as PDF bytes."""
    regular, bold = _fonts()
    styles = _styles(regular, bold)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=pack.title,
        author="QA dashboard",
        subject=f"{pack.areas_label}; data as of {pack.data_as_of_label}",
        keywords=MARKING,
        lang="en-GB",
        invariant=1,
    )

    def decorate(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(bold, 9)
        canvas.setFillColor(INK)
        canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN, MARKING)
        canvas.drawString(MARGIN, MARGIN - 2 * mm, MARKING)
        canvas.setFont(regular, 9)
        canvas.setFillColor(GREY)
        where = f"{pack.title} · {pack.areas_label} · page {doc_.page}"
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 2 * mm, where)
        canvas.restoreState()

    story = _title_page(pack, styles)
    width = PAGE[0] - 2 * MARGIN
    for section in pack.slides():
        story += [PageBreak(), *_section(section, styles, width, regular, bold)]
    story += [PageBreak(), Paragraph("Notes and definitions", styles["finding"])]
    rows = (*pack.definitions, ("Marking", f"{MARKING}: for the meeting and its members; do not forward."))
    story.append(_table(content.Table(("Term", "What it means"), rows, widths=(2.6, 9.7)), styles, width))
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=14, textColor=INK, alignment=TA_LEFT)
    return {
        "base": base,
        "cover": ParagraphStyle("cover", base, fontName=bold, fontSize=32, leading=38, spaceAfter=14),
        "cover_sub": ParagraphStyle("cover_sub", base, fontName=bold, fontSize=18, leading=24, textColor=ACCENT),
        "cover_line": ParagraphStyle("cover_line", base, fontSize=14, leading=20),
        "kicker": ParagraphStyle("kicker", base, fontSize=12, leading=15, textColor=colors.HexColor(ACCENT)),
        "finding": ParagraphStyle("finding", base, fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "note": ParagraphStyle("note", base, fontSize=12, leading=15, textColor=GREY, spaceBefore=4),
        "cell": ParagraphStyle("cell", base, fontSize=12, leading=15),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=bold, fontSize=12, leading=15),
    }


def _esc(text: str) -> str:
    """Text for a reportlab Paragraph, whose markup is a small XML: data never becomes markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title_page(pack: Pack, styles) -> list:
    compared = f" compared with {pack.previous_cycle}" if pack.previous_cycle else ""
    return [
        Spacer(1, 40 * mm),
        Paragraph("Practice progress meeting", styles["cover"]),
        Paragraph(_esc(f"{pack.cycle}{compared}"), styles["cover_sub"]),
        Spacer(1, 4 * mm),
        Paragraph(_esc(f"Service areas: {pack.areas_label}"), styles["cover_line"]),
        Paragraph(_esc(f"Data as of {pack.data_as_of_label}"), styles["cover_line"]),
        Spacer(1, 8 * mm),
        Paragraph(_esc(MARKING), ParagraphStyle("marking", styles["cover_line"], fontName=styles["finding"].fontName)),
    ]


def _section(section: Section, styles, width: float, regular: str, bold: str) -> list:
    heading = section.heading + (f" ({section.part})" if section.part else "")
    parts = [Paragraph(_esc(heading), styles["kicker"]), Paragraph(_esc(section.title), styles["finding"])]
    if section.chart is not None:
        parts.append(ChartFlowable(section.chart, width, 100 * mm, regular, bold))
    else:
        parts.append(_table(section.table, styles, width))
    if section.note:
        parts.append(Paragraph(_esc(section.note), styles["note"]))
    parts.append(Paragraph(_esc(f"Description: {section.alt}"), styles["note"]))
    return [KeepTogether(parts[:3]), *parts[3:]]


def _table(table: content.Table, styles, width: float) -> Table:
    weights = table.widths or (1.0,) * len(table.columns)
    widths = [width * w / sum(weights) for w in weights]
    header = [
        Paragraph(_esc(c), ParagraphStyle("h", styles["cell_bold"], textColor=colors.white)) for c in table.columns
    ]
    body, commands = (
        [],
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.white),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    for r, row in enumerate(table.rows, start=1):
        shades = table.shades[r - 1] if table.shades else (None,) * len(row)
        cells = []
        for c, text in enumerate(row):
            fill = shades[c] or ("#f2f2f2" if r % 2 == 0 else "#ffffff")
            style = styles["cell_bold"] if c == 0 else styles["cell"]
            if is_dark(fill):
                style = ParagraphStyle("dark", style, textColor=colors.white)
            cells.append(Paragraph(_esc(text), style))
            commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(fill)))
        body.append(cells)
    drawn = Table([header, *body], colWidths=widths, repeatRows=1, style=TableStyle(commands), hAlign="LEFT")
    # Stretch the rows to fill the space a chart takes, so a short table does not leave half the page empty.
    natural = drawn.wrap(width, TABLE_HEIGHT)[1]
    pad = min(MAX_PAD, max(0.0, (TABLE_HEIGHT - natural) / (2 * (len(body) + 1))))
    drawn.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 4 + pad), ("BOTTOMPADDING", (0, 0), (-1, -1), 4 + pad)])
    )
    return drawn


class ChartFlowable(Flowable):
    """A section's chart drawn as vector shapes: axes, grid, series with colour and pattern, labels, legend."""

    def __init__(self, chart: Chart, width: float, height: float, regular: str, bold: str):
        super().__init__()
        self.chart, self.width, self.height = chart, width, height
        self.regular, self.bold = regular, bold

    def draw(self) -> None:
        drawing = ChartDrawing(self.chart, self.width, self.height, self.regular, self.bold).drawing()
        drawing.drawOn(self.canv, 0, 0)


class ChartDrawing:
    """Lays out one chart in a reportlab Drawing. Values axis from zero; categories in the given order."""

    LEGEND_H, BOTTOM, LEFT, RIGHT = 22.0, 46.0, 70.0, 12.0

    def __init__(self, chart: Chart, width: float, height: float, regular: str, bold: str):
        self.c, self.w, self.h = chart, width, height
        self.regular, self.bold = regular, bold
        self.d = Drawing(width, height)
        horizontal = chart.kind == BAR
        self.left = self.LEFT + (70.0 if horizontal else 0.0)
        self.top = height - (self.LEGEND_H if len(chart.series) > 1 else 6.0) - 6
        self.bottom = self.BOTTOM
        self.right = width - self.RIGHT

    # -- scale ------------------------------------------------------------------------------------------------

    def _max(self) -> float:
        if self.c.percent:
            return 1.0
        if self.c.kind == STACKED:
            totals = [sum(s.values[i] or 0 for s in self.c.series) for i in range(len(self.c.categories))]
            top = max(totals, default=0)
        else:
            top = max((v for s in self.c.series for v in s.values if v is not None), default=0)
        return _nice(top * 1.1)

    def _ticks(self, top: float) -> list[float]:
        if self.c.percent:
            step = 0.25 if self.c.kind == STACKED_100 else 0.2
        else:
            step = _nice(top / 5)
        count = round(top / step) if step else 0
        return [i * step for i in range(count + 1)]

    def _fmt(self, value: float) -> str:
        return f"{value:.0%}" if self.c.percent else f"{value:.0f}"

    # -- drawing ----------------------------------------------------------------------------------------------

    def drawing(self) -> Drawing:
        top = self._max()
        if self.c.kind == BAR:
            self._horizontal(top)
        else:
            self._vertical(top)
        if len(self.c.series) > 1:
            self._legend()
        return self.d

    def _text(self, x, y, text, size=9, anchor="middle", bold=False, colour=INK, angle=0) -> None:
        font = self.bold if bold else self.regular
        if angle:
            group = Group(String(0, 0, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor))
            group.transform = (math.cos(math.radians(angle)), math.sin(math.radians(angle)),
                               -math.sin(math.radians(angle)), math.cos(math.radians(angle)), x, y)  # fmt: skip
            self.d.add(group)
        else:
            self.d.add(String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor))

    def _label(self, x, y, text, anchor="middle") -> None:
        """A value label in a white box, so it reads on any colour or pattern."""
        width = pdfmetrics.stringWidth(text, self.bold, 9) + 4
        left = x - width / 2 if anchor == "middle" else x - 2
        self.d.add(Rect(left, y - 3, width, 12, fillColor=colors.white, strokeColor=None))
        self._text(x, y, text, bold=True, anchor=anchor)

    def _vertical(self, top: float) -> None:
        c, n = self.c, len(self.c.categories)
        plot_h = self.top - self.bottom
        band = (self.right - self.left) / max(n, 1)

        def y_of(v):
            return self.bottom + plot_h * v / top if top else self.bottom

        for tick in self._ticks(top):
            self.d.add(Line(self.left, y_of(tick), self.right, y_of(tick), strokeColor=GRID, strokeWidth=0.6))
            self._text(self.left - 4, y_of(tick) - 3, self._fmt(tick), anchor="end")
        self.d.add(Line(self.left, self.bottom, self.right, self.bottom, strokeColor=colors.HexColor("#bfbfbf")))
        for i, category in enumerate(c.categories):
            for j, line in enumerate(category.split("\n")):
                self._text(self.left + band * (i + 0.5), self.bottom - 12 - 10 * j, line)
        self._text(self.left + (self.right - self.left) / 2, 4, c.x_title, size=10)
        self._text(14, self.bottom + plot_h / 2, c.y_title, size=10, angle=90)
        if c.kind == LINE:
            self._lines(band, y_of)
            return
        stacked = c.kind in (STACKED, STACKED_100)
        bar_w = band * (0.6 if stacked else 0.7 / len(c.series))
        for i in range(n):
            base = 0.0
            for j, series in enumerate(c.series):
                value = series.values[i]
                if value is None:
                    continue
                x = self.left + band * i + (band - bar_w) / 2 if stacked else self.left + band * (i + 0.15) + bar_w * j
                y0, y1 = y_of(base), y_of(base + value)
                _patterned_rect(self.d, x, y0, bar_w, y1 - y0, series.colour, series.pattern)
                label = series.labels[i] if series.labels else self._fmt(value)
                if label and (y1 - y0 >= 12 or not stacked):
                    self._label(x + bar_w / 2, (y0 + y1) / 2 - 3 if stacked else y1 + 4, label)
                if stacked:
                    base += value

    def _lines(self, band: float, y_of) -> None:
        for series in self.c.series:
            colour = colors.HexColor(series.colour)
            xs = [self.left + band * (i + 0.5) for i in range(len(self.c.categories))]
            run: list[float] = []
            for i, value in enumerate([*series.values, None]):
                if value is None:
                    if len(run) >= 4:
                        self.d.add(PolyLine(run, strokeColor=colour, strokeWidth=2.5))
                    run = []
                    continue
                run += [xs[i], y_of(value)]
            for i, value in enumerate(series.values):
                if value is None:
                    continue
                if series.lower is not None and series.upper is not None and series.lower[i] is not None:
                    lo, hi = y_of(series.lower[i]), y_of(series.upper[i])
                    bar = colors.HexColor("#6baed6")
                    self.d.add(Line(xs[i], lo, xs[i], hi, strokeColor=bar, strokeWidth=1.5))
                    for y in (lo, hi):
                        self.d.add(Line(xs[i] - 4, y, xs[i] + 4, y, strokeColor=bar, strokeWidth=1.5))
                self.d.add(Circle(xs[i], y_of(value), 4, fillColor=colour, strokeColor=colour))
                label = series.labels[i] if series.labels else self._fmt(value)
                self._label(xs[i] + 8, y_of(value) - 3, label, anchor="start")

    def _horizontal(self, top: float) -> None:
        c, n = self.c, len(self.c.categories)
        plot_w = self.right - self.left
        band = (self.top - self.bottom) / max(n, 1)

        def x_of(v):
            return self.left + plot_w * v / top if top else self.left

        for tick in self._ticks(top):
            self.d.add(Line(x_of(tick), self.bottom, x_of(tick), self.top, strokeColor=GRID, strokeWidth=0.6))
            self._text(x_of(tick), self.bottom - 12, self._fmt(tick))
        self._text(self.left + plot_w / 2, 4, c.y_title, size=10)
        bar_h = band * 0.6 / len(c.series)
        for i, category in enumerate(c.categories):
            y_band = self.top - band * (i + 1)
            self._text(self.left - 6, y_band + band / 2 - 3, category, anchor="end")
            for j, series in enumerate(c.series):
                value = series.values[i]
                if value is None:
                    continue
                y = y_band + band * 0.8 - bar_h * (j + 1)  # series top to bottom, as in the deck
                _patterned_rect(self.d, self.left, y, x_of(value) - self.left, bar_h, series.colour, series.pattern)
                label = series.labels[i] if series.labels else self._fmt(value)
                self._text(x_of(value) + 4, y + bar_h / 2 - 3, label, anchor="start", bold=True)

    def _legend(self) -> None:
        x = self.left
        y = self.h - self.LEGEND_H + 4
        for series in self.c.series:
            _patterned_rect(self.d, x, y, 12, 12, series.colour, series.pattern)
            self._text(x + 16, y + 2, series.name, anchor="start", size=10)
            x += 16 + pdfmetrics.stringWidth(series.name, self.regular, 10) + 18


def _nice(value: float) -> float:
    """A round number at least ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _patterned_rect(d: Drawing, x: float, y: float, w: float, h: float, colour: str, pattern: str) -> None:
    """A rectangle in the grade's colour with its pattern drawn over it in white, as on screen."""
    d.add(Rect(x, y, w, h, fillColor=colors.HexColor(colour), strokeColor=colors.white, strokeWidth=0.5))
    if w <= 0 or h <= 0 or not pattern:
        return
    white = colors.Color(1, 1, 1, alpha=0.55)
    step = 6.0
    if pattern == ".":
        for px in _frange(x + step / 2, x + w, step):
            for py in _frange(y + step / 2, y + h, step):
                d.add(Circle(px, py, 0.9, fillColor=white, strokeColor=None))
        return
    for direction in (1, -1) if pattern == "x" else (1,):
        for offset in _frange(-h, w, step) if direction == 1 else _frange(step / 2, w + h, step):
            segment = _diagonal(x, y, w, h, offset, direction)
            if segment:
                d.add(Line(*segment, strokeColor=white, strokeWidth=0.8))


def _frange(start: float, stop: float, step: float):
    while start < stop:
        yield start
        start += step


def _diagonal(x, y, w, h, offset, direction):
    """The part inside the rectangle of a 45° line through (x + offset, y), rising (1) or falling (-1)."""
    if direction == 1:
        t0, t1 = max(0.0, -offset), min(h, w - offset)
        if t1 <= t0:
            return None
        return x + offset + t0, y + t0, x + offset + t1, y + t1
    t0, t1 = max(0.0, offset - w), min(h, offset)
    if t1 <= t0:
        return None
    return x + offset - t0, y + t0, x + offset - t1, y + t1
