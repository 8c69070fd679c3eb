"""Plotly figures for the pages. Pure functions of small frames: no Streamlit, no SQL.

Labels taken from the data are HTML-escaped, since Plotly renders a subset of HTML in text. Cells and
points resting on fewer than ``SMALL_N`` audits are drawn grey or hollow and say so.

Every figure is built in one ``go.Figure(data=[...], layout={...})`` call from plain dicts and lists: Plotly's
``update_*`` and ``add_*`` methods walk its property machinery on every call and made each chart cost several
times as much. Traces are dicts rather than ``go.Bar`` objects, which the figure would validate a second time,
and their data lists rather than pandas columns, which cost more to validate.

The modules hold one family of charts each; pages call them all through this package (``charts.rate_bars``).
"""

from ui.charts.base import FONT, HEAT_SCALE, PERCENT_TICKS, text_on
from ui.charts.counts import ACTION_STATES, CATEGORY_COLOURS, counts_bar, stacked_bars, stacked_counts, state_bars
from ui.charts.grades import grade_distribution, grade_rates, review_grades
from ui.charts.heatmaps import STATUS_COLOURS, count_heatmap, rate_grid, rate_heatmap, status_grid
from ui.charts.pack import (
    PROJECTOR_HEIGHT,
    PROJECTOR_TEXT_SIZE,
    PROJECTOR_TITLE_CHARS,
    PROJECTOR_TITLE_SIZE,
    pack_chart,
    pack_table,
    projector,
)
from ui.charts.rates import (
    PERIOD_COLOURS,
    SERIES_STYLES,
    before_after,
    change_bars,
    fitted_rate_lines,
    grouped_rates,
    rate_bars,
    rate_lines,
    rate_trend,
)
from ui.palette import ACCENT

__all__ = [
    "ACCENT",
    "ACTION_STATES",
    "CATEGORY_COLOURS",
    "FONT",
    "HEAT_SCALE",
    "PERCENT_TICKS",
    "PERIOD_COLOURS",
    "PROJECTOR_HEIGHT",
    "PROJECTOR_TEXT_SIZE",
    "PROJECTOR_TITLE_CHARS",
    "PROJECTOR_TITLE_SIZE",
    "SERIES_STYLES",
    "STATUS_COLOURS",
    "before_after",
    "change_bars",
    "count_heatmap",
    "counts_bar",
    "fitted_rate_lines",
    "grade_distribution",
    "grade_rates",
    "grouped_rates",
    "pack_chart",
    "pack_table",
    "projector",
    "rate_bars",
    "rate_grid",
    "rate_heatmap",
    "rate_lines",
    "rate_trend",
    "review_grades",
    "stacked_bars",
    "stacked_counts",
    "state_bars",
    "status_grid",
    "text_on",
]
