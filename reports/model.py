"""What a pack is made of: slides' charts, tables and sections, the pack itself, the context every section
builder gets, and the formatting they share. ``reports.content`` and ``reports.insight`` build sections from
these; ``reports.pptx``, ``reports.pdf`` and the Present page draw them.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from data_pipeline.vocab import cycle_bounds
from findings import words
from qa_read.db import Warehouse
from qa_read.exports import is_small_count
from qa_read.filters import Filters, Scope
from qa_read.themes import SPOKEN
from reports import fit
from ui.palette import ACCENT, HEAT_SCALE, text_on

# Trends show at most two years: what the meeting compares, and few enough columns to read from the back.
TREND_CYCLES = 8
# Rows of a table on one slide or screen at 16 pt; longer tables continue on the next slide.
TABLE_ROWS = 9
# Teams across one table: team names wrap onto two or three lines in the columns left.
TABLE_COLUMNS = 5
# Lists (escalations, overdue actions) show the longest-waiting rows; the rest are counted in a note.
LIST_ROWS = 18
SUPPRESSED = words.SUPPRESSED
MARKING = "OFFICIAL – SENSITIVE"
QUOTE_SOURCES = SPOKEN  # themes and "what was said": focus groups and child's voice unless chosen otherwise

STACKED_100 = "stacked_100"  # shares per category, one series per grade, in scale order
LINE = "line"  # a rate per cycle, with optional 95% intervals
BAR = "bar"  # horizontal bars, one or more series
COLUMN = "column"  # clustered columns
STACKED = "stacked"  # stacked counts


@dataclass(frozen=True)
class Series:
    """One series of a chart. ``values`` are None where a figure is suppressed or missing."""

    name: str
    values: tuple[float | None, ...]
    colour: str = ACCENT
    pattern: str = ""  # a palette pattern: "" solid, "/" diagonal, "." dots, "x" cross
    labels: tuple[str, ...] = ()  # the data label of each point, "" for none
    lower: tuple[float | None, ...] | None = None  # 95% interval, same units as values
    upper: tuple[float | None, ...] | None = None

    @classmethod
    def of_counts(cls, name: str, counts, colour: str, pattern: str) -> "Series":
        """A series of counts, each labelled with itself, zeros unlabelled (a stacked column's empty segment)."""
        return cls(name, tuple(float(v) for v in counts), colour, pattern, tuple(str(v) if v else "" for v in counts))


@dataclass(frozen=True)
class Chart:
    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    x_title: str
    y_title: str
    percent: bool = False  # values are fractions, shown as percentages

    def __post_init__(self):
        # A chart of counts leaves each count of 1 to 4 blank, by the downloads' rule, however it is drawn
        # (PowerPoint and the workbook behind it, PDF, Present), so a new chart cannot forget it.
        if not self.percent:
            object.__setattr__(self, "series", tuple(_small_counts_blank(s) for s in self.series))


def _small_counts_blank(series: Series) -> Series:
    small = [is_small_count(v) for v in series.values]
    if not any(small):
        return series
    values = tuple(None if s else v for v, s in zip(series.values, small, strict=True))
    labels = tuple(SUPPRESSED if s else label for label, s in zip(series.labels, small, strict=True))
    return replace(series, values=values, labels=labels)


@dataclass(frozen=True)
class Table:
    """Cells as they are shown. ``shades`` gives a cell's fill (hex) where it carries meaning, else None."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shades: tuple[tuple[str | None, ...], ...] | None = None
    widths: tuple[float, ...] | None = None  # relative column widths


def _fits(heights: list[int], size: int, room: int) -> bool:
    return all(sum(heights[start : start + size]) <= room for start in range(0, len(heights), size))


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # the topic, short: "Overall grades"
    title: str  # the finding: "75% of audits good or better in 2026/27 Q2, up 4 points"
    alt: str  # what the chart or table shows, for screen readers
    chart: Chart | None = None
    table: Table | None = None
    note: str = ""  # denominators, what was suppressed, how it was counted
    data: pd.DataFrame | None = field(default=None, compare=False, repr=False)  # suppressed, as downloaded
    part: str = ""  # "2 of 3" when a long table continues over several slides

    def parts(self, rows: int = TABLE_ROWS) -> list["Section"]:
        """This section, with a long table split into even slides of at most ``rows`` rows, each fitting the
        smallest screen under its title (``reports.fit``): 17 short rows make 9 and 8."""
        if self.table is None or not self.table.rows:
            return [self]
        chars = fit.column_chars(self.table.widths or (1.0,) * len(self.table.columns))
        heights = [fit.row_height(row, chars) for row in self.table.rows]
        room = fit.room(self.title, self.note, self.table.columns, chars)
        count = -(-len(heights) // rows)
        while count < len(heights) and not _fits(heights, -(-len(heights) // count), room):
            count += 1
        size = -(-len(heights) // count)
        starts = range(0, len(heights), size)
        if len(starts) == 1:
            return [self]
        out = []
        for index, start in enumerate(starts, start=1):
            shades = self.table.shades[start : start + size] if self.table.shades else None
            table = replace(self.table, rows=self.table.rows[start : start + size], shades=shades)
            out.append(replace(self, table=table, part=f"{index} of {len(starts)}"))
        return out


@dataclass(frozen=True)
class Pack:
    cycle: str
    previous_cycle: str | None
    service_areas: tuple[str, ...]
    data_as_of: pd.Timestamp | None
    as_at: dt.date
    sections: tuple[Section, ...]
    definitions: tuple[tuple[str, str], ...]

    @property
    def areas_label(self) -> str:
        return ", ".join(self.service_areas) if self.service_areas else "All service areas"

    @property
    def data_as_of_label(self) -> str:
        return f"{self.data_as_of:%d %B %Y, %H:%M}" if self.data_as_of is not None else "no data loaded"

    @property
    def title(self) -> str:
        return f"Practice progress meeting: {self.cycle}"

    def file_name(self, extension: str) -> str:
        """``meeting-pack-2026-27-q2.pptx``, with the service area when there is just one."""
        words = [self.cycle, *self.service_areas[:1]] if len(self.service_areas) == 1 else [self.cycle]
        slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")
        return f"meeting-pack-{slug}.{extension}"

    def slides(self, rows: int = TABLE_ROWS) -> list[Section]:
        """Every section, long tables split: one entry per slide (and per presentation screen)."""
        return [part for section in self.sections for part in section.parts(rows)]


@dataclass(frozen=True)
class Context:
    """What every section builder needs: the warehouse, the chosen cycle and areas, and their filters."""

    wh: Warehouse
    cycle: str
    previous: str | None
    service_areas: tuple[str, ...]
    scope: Scope | None
    today: dt.date
    window: tuple[str, ...]  # the cycles a trend shows, ending with ``cycle``
    quote_sources: tuple[str, ...] = QUOTE_SOURCES  # the free text themes and quotes are drawn from

    def filters(self, cycle_from: str | None = None) -> Filters:
        return Filters(service_areas=self.service_areas, cycle_from=cycle_from, cycle_to=self.cycle, scope=self.scope)

    @property
    def in_cycle(self) -> Filters:
        return self.filters(self.cycle)

    @property
    def trend(self) -> Filters:
        return self.filters(self.window[0])

    @property
    def as_at(self) -> dt.date:
        """The date counts of open things are taken at: the end of the cycle, or today if that is earlier."""
        return min(self.today, cycle_bounds(self.cycle)[1])


# -- formatting ------------------------------------------------------------------------------------------------


def percent(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.0%}"


plural = words.plural


def number(v) -> float | None:
    """A figure for a chart: None where it is missing."""
    return None if v is None or pd.isna(v) else float(v)


def _mix(a: str, b: str, t: float) -> str:
    x = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    y = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(p + (q - p) * t):02x}" for p, q in zip(x, y, strict=True))


def heat_colour(share: float) -> str:
    """The dashboard heatmap's colour for a share (0 to 1)."""
    for (s0, c0), (s1, c1) in itertools.pairwise(HEAT_SCALE):
        if share <= s1:
            return _mix(c0, c1, (share - s0) / (s1 - s0))
    return HEAT_SCALE[-1][1]


def is_dark(colour: str) -> bool:
    """Whether white text reads better than black on ``colour``."""
    return text_on(colour) == "white"


def cycle_label(cycle: str, n, small: bool) -> str:
    """A category label with its denominator: "2026/27 Q2\\n(n=162)", or "(n<5)" when suppressed."""
    return f"{cycle}\n({SUPPRESSED})" if small else f"{cycle}\n(n={int(n)})"
