"""Plotly figures for the pages. Pure functions of small frames: no Streamlit, no SQL.

Labels taken from the data are HTML-escaped, since Plotly renders a subset of HTML in text. Cells and
points resting on fewer than ``SMALL_N`` audits are drawn grey or hollow and say so.

Every figure is built in one ``go.Figure(data=[...], layout={...})`` call from plain dicts and lists: Plotly's
``update_*`` and ``add_*`` methods walk its property machinery on every call and made each chart cost several
times as much. Traces are dicts rather than ``go.Bar`` objects, which the figure would validate a second time,
and their data lists rather than pandas columns, which cost more to validate.

The modules hold one family of charts each; pages call them all through this package (``charts.rate_bars``),
which hands out each builder memoised (``ui.charts.memo``): a rerun showing the same numbers reuses its figures.
"""

from ui.charts import benchmarks, counts, grades, heatmaps, pack, rates
from ui.charts.base import FONT, HEAT_SCALE, PERCENT_TICKS, text_on
from ui.charts.counts import ACTION_STATES, CATEGORY_COLOURS
from ui.charts.heatmaps import STATUS_COLOURS
from ui.charts.memo import memoised, memoised_restyle
from ui.charts.pack import PROJECTOR_HEIGHT, PROJECTOR_TEXT_SIZE, PROJECTOR_TITLE_CHARS, PROJECTOR_TITLE_SIZE
from ui.charts.rates import PERIOD_COLOURS, SERIES_STYLES
from ui.palette import ACCENT

benchmark_lines = memoised(benchmarks.benchmark_lines)
judgements_beside_audits = memoised(benchmarks.judgements_beside_audits)
counts_bar = memoised(counts.counts_bar)
stacked_bars = memoised(counts.stacked_bars)
stacked_counts = memoised(counts.stacked_counts)
state_bars = memoised(counts.state_bars)
grade_distribution = memoised(grades.grade_distribution)
grade_rates = memoised(grades.grade_rates)
review_grades = memoised(grades.review_grades)
count_heatmap = memoised(heatmaps.count_heatmap)
rate_grid = memoised(heatmaps.rate_grid)
rate_heatmap = memoised(heatmaps.rate_heatmap)
status_grid = memoised(heatmaps.status_grid)
pack_chart = memoised(pack.pack_chart)
pack_table = memoised(pack.pack_table)
projector = memoised_restyle(pack.projector)
before_after = memoised(rates.before_after)
change_bars = memoised(rates.change_bars)
fitted_rate_lines = memoised(rates.fitted_rate_lines)
grouped_rates = memoised(rates.grouped_rates)
rate_bars = memoised(rates.rate_bars)
rate_lines = memoised(rates.rate_lines)
rate_trend = memoised(rates.rate_trend)

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
    "benchmark_lines",
    "change_bars",
    "count_heatmap",
    "counts_bar",
    "fitted_rate_lines",
    "grade_distribution",
    "grade_rates",
    "grouped_rates",
    "judgements_beside_audits",
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
