"""Plotly figures for the pages. Pure functions of small frames: no Streamlit, no SQL.

Labels taken from the data are HTML-escaped, since Plotly renders a subset of HTML in text. Cells and
points resting on fewer than ``SMALL_N`` audits are drawn grey or hollow and say so.

Every figure is built in one ``go.Figure(data=[...], layout={...})`` call from plain dicts and lists: Plotly's
``update_*`` and ``add_*`` methods walk its property machinery on every call and made each chart cost several
times as much. Traces are dicts rather than ``go.Bar`` objects, which the figure would validate a second time,
and their data lists rather than pandas columns, which cost more to validate.
"""

import html

import pandas as pd
import plotly.graph_objects as go

from qa_read.stats import SMALL_N
from ui.palette import ACCENT, GRADE_COLOURS, GRADE_PATTERNS, MUTED, SCALE_ORDER

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#262730")
INK = FONT["color"]
GRID = "#e6e6e6"
HEAT_SCALE = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def _merge(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` laid over it, nested dicts merged key by key (as ``update_layout`` does)."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _layout(title: str, /, x_title: str = "", y_title: str = "", height: int = 420, **overrides) -> dict:
    """The layout every chart shares, with the chart's own ``overrides`` (nested dicts) merged over it."""
    # Streamlit's chart theme greys axis text to about 3.7:1 contrast; set it to pass WCAG AA.
    x_text = dict(title=dict(text=x_title, font=dict(color=INK)), tickfont=dict(color=INK))
    y_text = dict(title=dict(text=y_title, font=dict(color=INK)), tickfont=dict(color=INK))
    base = dict(
        title=dict(text=html.escape(title), x=0, xanchor="left", font=dict(size=19)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=70, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=dict(text="")),
        hoverlabel=dict(font=dict(size=14)),
        xaxis=dict(x_text, showgrid=False),
        yaxis=dict(y_text, gridcolor=GRID),
    )
    return _merge(base, overrides)


def _esc(values) -> list[str]:
    return [html.escape(str(v)) for v in values]


def _wrap(label, width: int = 16) -> str:
    """An escaped label broken onto lines of about ``width`` characters: long names fit narrow columns, and
    Plotly titles never wrap by themselves."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(html.escape(part) for part in [*lines, line])


def _horizontal(**xaxis) -> dict:
    """Axes for horizontal bars: read top to bottom, with vertical grid lines to read their lengths against."""
    return dict(xaxis=dict(showgrid=True, gridcolor=GRID, **xaxis), yaxis=dict(autorange="reversed", showgrid=False))


def grade_distribution(df: pd.DataFrame, scale: str, title: str, unit: str = "audits") -> go.Figure:
    """100% stacked bars per cycle, grades in scale order, each grade its own colour and pattern.

    ``unit`` names what is graded, in the plural, for the axis and the hover text."""
    totals = df.groupby("cycle")["n"].sum()
    ticks = {c: f"{c}<br>n={totals[c]}" + (" (small)" if totals[c] < SMALL_N else "") for c in totals.index}
    bars = []
    for grade in SCALE_ORDER[scale]:
        part = df[df["grade"] == grade]
        bars.append(
            dict(
                type="bar",
                name=grade,
                x=[ticks[c] for c in part["cycle"]],
                y=(part["share"] * 100).tolist(),
                customdata=[(c, n, t, grade) for c, n, t in zip(part["cycle"], part["n"], part["total"], strict=True)],
                marker=dict(
                    color=GRADE_COLOURS[grade],
                    pattern=dict(
                        shape=GRADE_PATTERNS[grade], fillmode="overlay", fgcolor="white", size=7, solidity=0.25
                    ),
                ),
                text=[f"{s:.0%}" if s >= 0.06 else "" for s in part["share"]],
                textposition="inside",
                hovertemplate=f"<b>{grade}</b> in %{{customdata[0]}}<br>%{{customdata[1]}} of %{{customdata[2]}}"
                f" {unit} (%{{y:.0f}}%)<extra></extra>",
                opacity=1.0,
            )
        )
    layout = _layout(
        title,
        "Cycle",
        f"Share of {unit}",
        barmode="stack",
        yaxis=dict(range=[0, 100], ticksuffix="%"),
        legend=dict(traceorder="normal"),
    )
    return go.Figure(data=bars, layout=layout)


def rate_trend(df: pd.DataFrame, title: str, y_title: str = "% good or better") -> go.Figure:
    """A rate per cycle with its 95% Wilson interval; small-number points are hollow and grey."""
    small = df["small_n"].astype(bool)
    share = df["share"] * 100
    line = dict(
        type="scatter",
        x=df["cycle"].tolist(),
        y=share.tolist(),
        mode="lines+markers+text",
        line=dict(color=ACCENT, width=3),
        marker=dict(
            size=11,
            color=[MUTED if s else ACCENT for s in small],
            symbol=["circle-open" if s else "circle" for s in small],
        ),
        error_y=dict(
            type="data",
            symmetric=False,
            array=(df["upper"] * 100 - share).tolist(),
            arrayminus=(share - df["lower"] * 100).tolist(),
            color="#9ecae1",
            thickness=2,
        ),
        text=[f"{v:.0f}%" + (" (n<5)" if s else "") for v, s in zip(share, small, strict=True)],
        textposition="top center",
        customdata=list(zip(df["k"], df["n"], df["lower"] * 100, df["upper"] * 100, strict=True)),
        hovertemplate="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})"
        "<br>95% interval %{customdata[2]:.0f}%–%{customdata[3]:.0f}%<extra></extra>",
        name=y_title,
        showlegend=False,
    )
    return go.Figure(data=[line], layout=_layout(title, "Cycle", y_title, yaxis=dict(range=[0, 105], ticksuffix="%")))


def _rate_cells(df: pd.DataFrame, row: str, column: str, rows, columns, label, describe, missing: str):
    """The z, text and hover grids of a heat map of a share (``k`` of ``n``) per cell, ``rows`` by ``columns``.

    A cell resting on fewer than ``SMALL_N`` gets no colour (z None); a cell with no row in ``df`` is blank and
    hovers ``missing``. ``label(k, n, share, small)`` and ``describe(k, n, share, small)`` word the others.
    """
    # A dict, not .loc per cell: a grid of a few hundred cells costs milliseconds through pandas indexing.
    cells = {
        (r, c): (k, n, share, bool(small))
        for r, c, k, n, share, small in zip(
            df[row], df[column], df["k"], df["n"], df["share"], df["small_n"], strict=True
        )
    }
    z, text, hover = [], [], []
    for r in rows:
        z_row, text_row, hover_row = [], [], []
        for c in columns:
            cell = cells.get((r, c))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append(missing)
                continue
            z_row.append(None if cell[3] else cell[2] * 100)
            text_row.append(label(*cell))
            hover_row.append(describe(*cell))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    return z, text, hover


def rate_heatmap(
    df: pd.DataFrame,
    row: str,
    column: str,
    title: str,
    height: int | None = None,
    colorbar_title: str = "% good<br>or better",
) -> go.Figure:
    """Share per cell with n; cells under ``SMALL_N`` are left blank and labelled, not coloured."""
    rows = sorted(df[row].unique(), key=str)
    columns = sorted(df[column].unique(), key=str)
    z, text, hover = _rate_cells(
        df,
        row,
        column,
        rows,
        columns,
        label=lambda k, n, share, small: f"n={n}" if small else f"{share:.0%}<br>n={n}",
        describe=lambda k, n, share, small: f"{k} of {n}" + (" (too few to rate)" if small else ""),
        missing="no audits",
    )
    heatmap = dict(
        type="heatmap",
        z=z,
        x=_esc(columns),
        y=_esc(rows),
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
        colorscale=HEAT_SCALE,
        zmin=0,
        zmax=100,
        xgap=2,
        ygap=2,
        colorbar=dict(title=colorbar_title, ticksuffix="%"),
    )
    layout = _layout(title, height=height or max(360, 34 * len(rows) + 140), yaxis=dict(autorange="reversed"))
    return go.Figure(data=[heatmap], layout=layout)


def counts_bar(
    df: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str, colour: str = ACCENT
) -> go.Figure:
    """A plain bar chart of counts, labelled with its values."""
    bar = dict(
        type="bar",
        x=_esc(df[x]),
        y=df[y].tolist(),
        marker=dict(color=colour),
        text=[str(v) for v in df[y]],
        textposition="outside",
    )
    return go.Figure(data=[bar], layout=_layout(title, x_title, y_title))


def stacked_counts(
    df: pd.DataFrame, x: str, stack: str, y: str, colours: dict[str, str], title: str, y_title: str
) -> go.Figure:
    """Counts stacked by a category whose colours are given; each segment labelled with its count."""
    bars = []
    for name, colour in colours.items():
        part = df[df[stack] == name]
        bars.append(
            dict(
                type="bar",
                name=name,
                x=_esc(part[x]),
                y=part[y].tolist(),
                marker=dict(color=colour),
                text=[str(v) for v in part[y]],
                textposition="inside",
            )
        )
    return go.Figure(data=bars, layout=_layout(title, "Cycle", y_title, barmode="stack"))


# --- Insight pages: PLD compliance, audit coverage, impact ------------------------------------------

# Light fills, so the words written in each cell stay readable; the words carry the meaning, not the fill.
STATUS_COLOURS = {"Met": "#d1e5f0", "Not yet due": "#f0f0f0", "Not met": "#f4a582"}
# Okabe-Ito: distinct under the common colour-vision deficiencies; every segment is also named in the legend.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
PERIOD_COLOURS = {"Before": "#9ecae1", "After": ACCENT}


def status_grid(
    df: pd.DataFrame, row: str, column: str, status: str, text: str, title: str, height: int | None = None
) -> go.Figure:
    """A grid of outcomes: each cell filled by its status and labelled with ``text`` (ticks, crosses, words)."""
    names = list(STATUS_COLOURS)
    rows = sorted(df[row].unique(), key=str)
    columns = sorted(df[column].unique(), key=str)
    cells = {(r, c): (s, t) for r, c, s, t in zip(df[row], df[column], df[status], df[text], strict=True)}
    z, labels = [], []
    for r in rows:
        z_row, label_row = [], []
        for c in columns:
            cell = cells.get((r, c))
            z_row.append(names.index(cell[0]) if cell is not None and cell[0] in names else None)
            label_row.append(html.escape(str(cell[1])).replace("\n", "<br>") if cell is not None else "")
        z.append(z_row)
        labels.append(label_row)
    scale = []
    for i, name in enumerate(names):
        scale += [[i / len(names), STATUS_COLOURS[name]], [(i + 1) / len(names), STATUS_COLOURS[name]]]
    heatmap = dict(
        type="heatmap",
        z=z,
        x=[_wrap(c) for c in columns],
        y=_esc(rows),
        text=labels,
        texttemplate="%{text}",
        textfont=dict(size=13, color=INK),
        hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
        colorscale=scale,
        zmin=-0.5,
        zmax=len(names) - 0.5,
        showscale=False,
        xgap=3,
        ygap=3,
    )
    layout = _layout(
        title,
        height=height or max(220, 62 * len(rows) + 130),
        margin=dict(t=100),
        xaxis=dict(side="top"),
        yaxis=dict(autorange="reversed"),
    )
    return go.Figure(data=[heatmap], layout=layout)


def before_after(df: pd.DataFrame, x: str, title: str, y_title: str = "% good or better") -> go.Figure:
    """Before and after bars side by side per ``x``, with 95% intervals.

    Each group's label gives both denominators (n before / after); a group resting on fewer than ``SMALL_N``
    grades on either side is drawn grey and says so in its label.
    """
    groups = list(dict.fromkeys(df[x]))
    sides = {period: df[df["period"] == period].set_index(x) for period in PERIOD_COLOURS}
    counts = {p: dict(zip(side.index, side["n"], strict=True)) for p, side in sides.items()}
    smalls = {p: dict(zip(side.index, side["small_n"], strict=True)) for p, side in sides.items()}
    labels = {}
    for group in groups:
        n = [int(counts[p].get(group, 0)) for p in PERIOD_COLOURS]
        small = any(bool(smalls[p].get(group, True)) for p in PERIOD_COLOURS)
        note = "<br>(none after yet)" if n[1] == 0 else "<br>(none before)" if n[0] == 0 else "<br>(too few)"
        labels[group] = _wrap(group) + f"<br>n={n[0]} / {n[1]}" + (note if small else "")
    bars = []
    for period, colour in PERIOD_COLOURS.items():
        part = sides[period].reindex(groups)
        small = part["small_n"].fillna(True).astype(bool)
        share = part["share"] * 100
        bars.append(
            dict(
                type="bar",
                name=period,
                x=[labels[g] for g in groups],
                y=share.tolist(),
                marker=dict(
                    color=[MUTED if s else colour for s in small],
                    pattern=dict(
                        shape="" if period == "Before" else "/",
                        fillmode="overlay",
                        fgcolor="white",
                        size=8,
                        solidity=0.3,
                    ),
                ),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=(part["upper"] * 100 - share).tolist(),
                    arrayminus=(share - part["lower"] * 100).tolist(),
                    color=INK,
                    thickness=1.5,
                ),
                customdata=list(zip(part["k"], part["n"], part["lower"] * 100, part["upper"] * 100, strict=True)),
                hovertemplate=f"<b>{period}</b>: %{{y:.0f}}% (%{{customdata[0]}} of %{{customdata[1]}})"
                "<br>95% interval %{customdata[2]:.0f}%–%{customdata[3]:.0f}%<extra></extra>",
            )
        )
    layout = _layout(
        title,
        "",
        y_title,
        height=460,
        barmode="group",
        bargap=0.3,
        xaxis=dict(tickangle=0),
        yaxis=dict(range=[0, 105], ticksuffix="%"),
    )
    return go.Figure(data=bars, layout=layout)


def count_heatmap(
    df: pd.DataFrame,
    row: str,
    column: str,
    value: str,
    title: str,
    row_order: list[str],
    column_order: list[str],
    x_title: str = "",
    y_title: str = "",
) -> go.Figure:
    """Counts in a grid, each cell labelled with its count, rows and columns in the given order."""
    cells = dict(zip(zip(df[row], df[column], strict=True), df[value], strict=True))
    z = [[int(cells.get((r, c), 0)) for c in column_order] for r in row_order]
    heatmap = dict(
        type="heatmap",
        z=z,
        x=_esc(column_order),
        y=_esc(row_order),
        text=[[str(v) for v in line] for line in z],
        texttemplate="%{text}",
        hovertemplate=f"{html.escape(y_title)} %{{y}} · {html.escape(x_title)} %{{x}}: %{{z}}<extra></extra>",
        colorscale=HEAT_SCALE,
        xgap=2,
        ygap=2,
        colorbar=dict(title="Children"),
    )
    layout = _layout(
        title, x_title, y_title, height=max(320, 60 * len(row_order) + 150), yaxis=dict(autorange="reversed")
    )
    return go.Figure(data=[heatmap], layout=layout)


def stacked_bars(df: pd.DataFrame, y: str, stack: str, x: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of ``x`` per ``y`` (in the frame's order, first at the top), stacked by ``stack``."""
    order = list(dict.fromkeys(df[y]))
    bars = []
    for i, name in enumerate(sorted(df[stack].unique(), key=str)):
        part = df[df[stack] == name]
        bars.append(
            dict(
                type="bar",
                name=html.escape(str(name)),
                y=_esc(part[y]),
                x=part[x].tolist(),
                orientation="h",
                marker=dict(color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]),
                text=[str(v) for v in part[x]],
                textposition="inside",
                hovertemplate=f"%{{y}}: %{{x}} in {html.escape(str(name))}<extra></extra>",
            )
        )
    layout = _layout(
        title,
        x_title,
        "",
        height=max(360, 28 * len(order) + 160),
        barmode="stack",
        yaxis=dict(categoryorder="array", categoryarray=_esc(order), autorange="reversed"),
        # A long legend goes to the right, where it cannot run into the title.
        showlegend=True,
        legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top"),
    )
    return go.Figure(data=bars, layout=layout)


# --- Insight pages: child's voice, supervision, actions ------------------------------------------------

# One colour, dash and marker per series, so lines part without relying on colour alone.
SERIES_STYLES = (
    ("#2166ac", "solid", "circle"),
    ("#e08214", "dash", "square"),
    ("#1b7837", "dot", "diamond"),
    ("#762a83", "dashdot", "triangle-up"),
)
# (label, colour, pattern) of action states: the bad news in the warm grade colour with a pattern.
ACTION_STATES = {
    "overdue": ("Overdue", GRADE_COLOURS["Inadequate"], "x"),
    "not_due": ("Open, not yet due", "#bdbdbd", "."),
    "completed": ("Completed", ACCENT, ""),
}
# Rate axes run past 100% to leave room for labels, but are ticked only up to 100%.
PERCENT_TICKS = dict(tickvals=[0, 20, 40, 60, 80, 100], ticktext=[f"{v}%" for v in range(0, 101, 20)])


def _fill(colour, pattern) -> dict:
    """A solid fill with a white pattern laid over it (``overlay``: without it the pattern replaces the fill)."""
    return dict(color=colour, pattern=dict(shape=pattern, fillmode="overlay", fgcolor="white", size=8, solidity=0.25))


def _interval(df: pd.DataFrame, share: pd.Series, colour: str = INK) -> dict | None:
    """Plotly error bars for a Wilson interval, when the frame carries one."""
    if "lower" not in df or "upper" not in df:
        return None
    return dict(
        type="data",
        symmetric=False,
        array=(df["upper"] * 100 - share).tolist(),
        arrayminus=(share - df["lower"] * 100).tolist(),
        color=colour,
        thickness=1.5,
        width=4,
    )


def _rate_labels(df: pd.DataFrame, share: pd.Series, k: str = "k", n: str = "n") -> tuple[list, list[str]]:
    """Where each bar's label goes (past the end of its interval, so the two never cross) and what it says."""
    end = (df["upper"] * 100 if "upper" in df else share).fillna(0).clip(lower=share.fillna(0))
    text = [
        "none" if pd.isna(s) else f" {s:.0f}% ({a} of {b})" + (" small n" if small else "")
        for a, b, s, small in zip(df[k], df[n], share, df["small_n"].astype(bool), strict=True)
    ]
    return end.tolist(), text


def rate_lines(
    df: pd.DataFrame,
    series: str,
    title: str,
    y_title: str,
    marks: dict[str, str] | None = None,
    k: str = "k",
    n: str = "n",
    interval_for: str | None = None,
    y_range: list[float] | None = None,
) -> go.Figure:
    """A rate per cycle for each value of ``series``, with 95% intervals where the frame has them.

    Only ``interval_for`` (a series value) carries its interval when given: overlapping bars of several
    series hide the lines. Small-number points are hollow and grey. ``marks`` maps a cycle to a note drawn
    as a dotted line there, above the 100% line. ``y_range`` replaces the axis's usual 0 to past-100% span.
    """
    lines = []
    for i, name in enumerate(dict.fromkeys(df[series])):
        part = df[df[series] == name]
        colour, dash, symbol = SERIES_STYLES[i % len(SERIES_STYLES)]
        small = part["small_n"].astype(bool)
        share = part["share"] * 100
        lines.append(
            dict(
                type="scatter",
                x=part["cycle"].tolist(),
                y=share.tolist(),
                name=html.escape(str(name)),
                mode="lines+markers",
                line=dict(color=colour, width=3, dash=dash),
                marker=dict(
                    size=11,
                    symbol=[f"{symbol}-open" if s else symbol for s in small],
                    color=[MUTED if s else colour for s in small],
                ),
                error_y=_interval(part, share, colour) if interval_for in (None, name) else None,
                customdata=list(zip(part[k], part[n], strict=True)),
                hovertemplate=f"<b>{html.escape(str(name))}</b> %{{x}}: %{{y:.0f}}%"
                " (%{customdata[0]} of %{customdata[1]})<extra></extra>",
            )
        )
    shapes, notes = [], []
    for cycle, note in (marks or {}).items():
        line = dict(color=MUTED, width=2, dash="dot")
        shapes.append(dict(type="line", x0=cycle, x1=cycle, xref="x", y0=0, y1=1, yref="paper", line=line))
        notes.append(
            dict(
                x=cycle,
                y=1,
                xref="x",
                yref="paper",
                text=html.escape(note),
                showarrow=False,
                xanchor="left",
                yanchor="top",
                xshift=4,
                font=dict(size=13, color=INK),
                bgcolor="rgba(255,255,255,0.85)",
            )
        )
    if y_range is None:
        top = max(100.0, float((df["upper"] if "upper" in df else df["share"]).max() * 100))
        y_range = [0, top + 14]
    layout = _layout(
        title,
        "Cycle",
        y_title,
        height=460,
        xaxis=dict(type="category", categoryorder="category ascending"),
        yaxis=dict(range=y_range, **PERCENT_TICKS),
    )
    if marks:
        layout.update(shapes=shapes, annotations=notes)
    return go.Figure(data=lines, layout=layout)


def rate_bars(
    df: pd.DataFrame,
    label: str,
    title: str,
    x_title: str,
    threshold: float | None = None,
    k: str = "k",
    n: str = "n",
) -> go.Figure:
    """Horizontal bars of a rate per ``label`` (first row at the top), with 95% intervals where present.

    Small-number bars are grey and say so. With a ``threshold`` (a fraction), a dotted line marks it and bars
    below it are drawn in the warm grade colour with a pattern.
    """
    share = df["share"] * 100
    small = df["small_n"].astype(bool).tolist()
    below = [threshold is not None and s < threshold * 100 for s in share]
    labels = _esc(df[label])
    end, text = _rate_labels(df, share, k, n)
    bars = dict(
        type="bar",
        y=labels,
        x=share.tolist(),
        orientation="h",
        marker=_fill(
            [MUTED if s else (GRADE_COLOURS["Inadequate"] if b else ACCENT) for s, b in zip(small, below, strict=True)],
            ["x" if b else "" for b in below],
        ),
        error_x=_interval(df, share),
        customdata=text,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
        showlegend=False,
    )
    words = dict(
        type="scatter",
        x=end,
        y=labels,
        mode="text",
        text=text,
        textposition="middle right",
        hoverinfo="skip",
        showlegend=False,
    )
    height = max(300, 30 * len(df) + 150)
    layout = _layout(title, x_title, "", height=height, **_horizontal(range=[0, 145], **PERCENT_TICKS))
    if threshold is not None:
        line = dict(color=INK, width=2, dash="dot")
        layout["shapes"] = [
            dict(type="line", x0=threshold * 100, x1=threshold * 100, y0=0, y1=1, yref="paper", line=line)
        ]
        layout["annotations"] = [
            dict(
                x=threshold * 100,
                y=1,
                yref="paper",
                yanchor="bottom",
                showarrow=False,
                text=f"{threshold:.0%} threshold",
                font=dict(size=13),
            )
        ]
    return go.Figure(data=[bars, words], layout=layout)


def grouped_rates(
    df: pd.DataFrame, x: str, group: str, styles: dict[str, tuple[str, str]], title: str, y_title: str
) -> go.Figure:
    """Rates side by side per ``x``, one bar per ``group`` value styled (colour, pattern) by ``styles``."""
    traces = []
    for name, (colour, pattern) in styles.items():
        part = df[df[group] == name]
        share = part["share"] * 100
        small = part["small_n"].astype(bool).tolist()
        end, text = _rate_labels(part, share)
        traces.append(
            dict(
                type="bar",
                name=html.escape(name),
                x=_esc(part[x]),
                y=share.tolist(),
                offsetgroup=name,
                marker=_fill([MUTED if s else colour for s in small], pattern),
                error_y=_interval(part, share),
                customdata=text,
                hovertemplate=f"<b>{html.escape(name)}</b> %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=_esc(part[x]),
                y=end,
                offsetgroup=name,
                mode="text",
                text=text,
                textposition="top center",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    layout = _layout(
        title,
        "",
        y_title,
        height=440,
        barmode="group",
        scattermode="group",
        bargap=0.3,
        yaxis=dict(range=[0, 112], **PERCENT_TICKS),
    )
    return go.Figure(data=traces, layout=layout)


def grade_rates(df: pd.DataFrame, title: str, x_title: str, y_title: str) -> go.Figure:
    """A rate per grade, grades in the frame's order, each in its own colour and pattern, with 95% intervals."""
    share = df["share"] * 100
    small = df["small_n"].astype(bool).tolist()
    grades = _esc(df["grade"])
    end, text = _rate_labels(df, share)
    bars = dict(
        type="bar",
        x=grades,
        y=share.tolist(),
        marker=_fill(
            [MUTED if s else GRADE_COLOURS.get(g, ACCENT) for g, s in zip(df["grade"], small, strict=True)],
            [GRADE_PATTERNS.get(g, "") for g in df["grade"]],
        ),
        error_y=_interval(df, share),
        customdata=text,
        hovertemplate="%{x}: %{customdata}<extra></extra>",
        showlegend=False,
    )
    words = dict(
        type="scatter",
        x=grades,
        y=end,
        mode="text",
        text=text,
        textposition="top center",
        hoverinfo="skip",
        showlegend=False,
    )
    layout = _layout(title, x_title, y_title, height=420, yaxis=dict(range=[0, 112], **PERCENT_TICKS))
    return go.Figure(data=[bars, words], layout=layout)


def review_grades(df: pd.DataFrame, title: str) -> go.Figure:
    """``grade_distribution`` on the Ofsted scale, counting supervision reviews rather than audits."""
    return grade_distribution(df, "Ofsted", title, unit="reviews")


def state_bars(
    df: pd.DataFrame,
    label: str,
    states: dict[str, tuple[str, str, str]],
    title: str,
    axis_title: str,
    horizontal: bool = True,
    stacked: bool = True,
) -> go.Figure:
    """Counts per ``label``, one bar segment (or side-by-side bar) per column named in ``states``.

    ``states`` maps a column to (legend name, colour, pattern). Horizontal bars keep the frame's order, first
    at the top; vertical bars run left to right.
    """
    labels = _esc(df[label])
    across, along = ("x", "y") if horizontal else ("y", "x")
    bars = []
    for column, (name, colour, pattern) in states.items():
        values = df[column]
        bars.append(
            dict(
                type="bar",
                name=html.escape(name),
                orientation="h" if horizontal else "v",
                marker=_fill(colour, pattern),
                text=[str(v) if v else "" for v in values],
                textposition="inside" if stacked else "outside",
                insidetextanchor="middle",
                textfont=dict(color=INK if colour.lower() in ("#bdbdbd", "#f0f0f0") else "white") if stacked else None,
                cliponaxis=False,
                hovertemplate=f"%{{{along}}}: %{{{across}}} {html.escape(name.lower())}<extra></extra>",
                **{across: values.tolist(), along: labels},
            )
        )
    bars_layout = dict(barmode="stack" if stacked else "group", legend=dict(traceorder="normal"))
    if horizontal:
        layout = _layout(title, axis_title, "", height=max(300, 30 * len(df) + 150), **_horizontal(), **bars_layout)
    else:
        layout = _layout(title, "", axis_title, height=420, **bars_layout)
    return go.Figure(data=bars, layout=layout)


# --- Projector: the meeting pack's sections, one per screen (pages/present.py) -------------------------------
# Sized for a 1920x1080 projector read from the back of a room: 40px titles, 22px text.

PROJECTOR_TITLE_SIZE = 40
PROJECTOR_TEXT_SIZE = 22
PROJECTOR_HEIGHT = 930
# About this many characters of a 40px title fit across a 1920px screen.
PROJECTOR_TITLE_CHARS = 92


def projector(fig: go.Figure, height: int = PROJECTOR_HEIGHT) -> go.Figure:
    """The figure restyled for projection: large title, axis and label text, room for a two-line title.

    Returns a new figure, built once from the old one's plain dicts: restyling those is cheap, where Plotly's
    ``update_*`` calls cost several times a whole new figure.
    """
    spec = fig.to_plotly_json()
    layout, traces = spec["layout"], spec["data"]
    # The new figure gets the same default template again; passed in as a dict it would be validated anew,
    # which costs more than all the rest.
    layout.pop("template", None)
    title = layout.get("title", {}).get("text")
    lines = str(title).count("<br>") + 1 if title else 0
    legend = sum(t["type"] in ("bar", "scatter") and t.get("showlegend") is not False for t in traces) > 1
    text = dict(size=PROJECTOR_TEXT_SIZE)
    axis = dict(title=dict(font=dict(size=PROJECTOR_TEXT_SIZE + 2, color=INK)), tickfont=dict(text, color=INK))
    layout = _merge(
        layout,
        dict(
            font=dict(FONT, size=PROJECTOR_TEXT_SIZE),
            # Plotly anchors a multi-line title's "top" at its first line, so centre it on its known height instead.
            title=dict(
                font=dict(size=PROJECTOR_TITLE_SIZE),
                x=0,
                xanchor="left",
                yref="container",
                y=1 - (12 + lines * 25) / height,
                yanchor="middle",
            ),
            height=height,
            margin=dict(l=20, r=20, t=30 + 52 * lines + (50 if legend else 10), b=20),
            legend=dict(font=text, y=1.0, yanchor="bottom", traceorder="normal"),
            hoverlabel=dict(font=text),
            xaxis=axis,
            yaxis=axis,
        ),
    )
    if "annotations" in layout:
        layout["annotations"] = [_merge(note, dict(font=text)) for note in layout["annotations"]]
    traces = [_merge(t, dict(textfont=text)) if t["type"] in ("bar", "scatter") else t for t in traces]
    return go.Figure(data=traces, layout=layout)


def pack_chart(chart, title: str) -> go.Figure:
    """A meeting-pack chart (``reports.content.Chart``) as Plotly: the pack's series, colours, patterns and labels.

    Suppressed values are None in the chart and so are simply not drawn; their categories say "n<5".
    """
    categories = [html.escape(c).replace("\n", "<br>") for c in chart.categories]
    scale = 100 if chart.percent else 1
    stacked = chart.kind in ("stacked_100", "stacked")
    traces, notes = [], []
    for series in chart.series:
        values = [None if v is None else v * scale for v in series.values]
        labels = list(series.labels) if series.labels else None
        if chart.kind == "line":
            error = None
            if series.lower is not None and series.upper is not None:
                error = dict(
                    type="data",
                    symmetric=False,
                    array=[None if v is None or u is None else u * scale - v for v, u in zip(values, series.upper)],
                    arrayminus=[
                        None if v is None or lo is None else v - lo * scale for v, lo in zip(values, series.lower)
                    ],
                    color="#6baed6",
                    thickness=3,
                    width=8,
                )
            traces.append(
                dict(
                    type="scatter",
                    x=categories,
                    y=values,
                    name=series.name,
                    mode="lines+markers",
                    line=dict(color=series.colour, width=4),
                    marker=dict(size=16, color=series.colour),
                    error_y=error,
                    customdata=labels,
                    hovertemplate="%{x}: %{customdata}<extra></extra>",
                    showlegend=len(chart.series) > 1,
                )
            )
            # Labels in white boxes beside each point, clear of the line and the interval bars.
            notes += [
                dict(
                    x=x,
                    y=y,
                    text=html.escape(text),
                    showarrow=False,
                    xanchor="left",
                    xshift=14,
                    bgcolor="rgba(255,255,255,0.9)",
                    font=dict(color=INK),
                )
                for x, y, text in zip(categories, values, labels or [], strict=False)
                if y is not None and text
            ]
            continue
        horizontal = chart.kind == "bar"
        traces.append(
            dict(
                type="bar",
                name=series.name,
                x=values if horizontal else categories,
                y=categories if horizontal else values,
                orientation="h" if horizontal else "v",
                marker=_fill(series.colour, series.pattern) if series.pattern else dict(color=series.colour),
                text=labels,
                textposition="inside" if stacked else "outside",
                insidetextanchor="middle",
                # Bar text has no box: inside a bar it is white or black, whichever reads on the grade's colour.
                textfont=dict(color=text_on(series.colour) if stacked else INK),
                cliponaxis=False,
                hovertemplate="%{fullData.name}: %{text}<extra></extra>",
            )
        )
    overrides = dict(title=dict(text=_wrap(title, PROJECTOR_TITLE_CHARS)), uniformtext=dict(minsize=16, mode="hide"))
    if stacked:
        overrides["barmode"] = "stack"
    elif chart.kind in ("bar", "column"):
        overrides["barmode"] = "group"
    if notes:
        overrides["annotations"] = notes
    percent = dict(range=[0, 100 if chart.kind == "stacked_100" else 105], ticksuffix="%") if chart.percent else {}
    if chart.kind == "bar":
        layout = _layout("", chart.y_title, chart.x_title, **_horizontal(**percent), **overrides)
    else:
        layout = _layout("", chart.x_title, chart.y_title, yaxis=percent, **overrides)
    return go.Figure(data=traces, layout=layout)


def pack_table(table, title: str) -> go.Figure:
    """A meeting-pack table (``reports.content.Table``) as a Plotly table, cells shaded as in the pack."""
    columns = list(zip(*table.rows)) if table.rows else [[] for _ in table.columns]
    fills = []
    for c in range(len(table.columns)):
        column = []
        for r in range(len(table.rows)):
            shade = table.shades[r][c] if table.shades else None
            column.append(shade or ("#f2f2f2" if r % 2 else "#ffffff"))
        fills.append(column)
    font_colours = [[text_on(fill) for fill in column] for column in fills]
    weights = list(table.widths) if table.widths else None
    cells = dict(
        type="table",
        columnwidth=weights,
        header=dict(
            values=[f"<b>{_wrap(c, 22)}</b>" for c in table.columns],
            fill_color=ACCENT,
            font=dict(color="white", size=PROJECTOR_TEXT_SIZE),
            align="left",
            height=44,
        ),
        cells=dict(
            values=[[html.escape(str(v)) for v in column] for column in columns],
            fill_color=fills,
            font=dict(color=font_colours, size=PROJECTOR_TEXT_SIZE),
            align="left",
            height=48,
        ),
    )
    layout = dict(title=dict(text=_wrap(title, PROJECTOR_TITLE_CHARS)), font=FONT, margin=dict(l=10, r=10, t=70, b=10))
    return go.Figure(data=[cells], layout=layout)


def text_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(fill[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else INK


# --- Insight pages: themes in notes and comments ----------------------------------------------------------


def rate_grid(
    df: pd.DataFrame,
    row: str,
    column: str,
    title: str,
    row_order: list[str],
    column_order: list[str],
    unit: str,
    height: int | None = None,
) -> go.Figure:
    """A share per cell (``k`` of ``n``, coloured on a scale fitted to the data), labelled with ``k``.

    Rows and columns come in the given order. Cells where ``n`` is under ``SMALL_N`` are left white and labelled
    with their count only; ``unit`` names what ``n`` counts, in the plural.
    """
    unit = html.escape(unit)
    z, text, hover = _rate_cells(
        df,
        row,
        column,
        row_order,
        column_order,
        label=lambda k, n, share, small: str(k),
        describe=lambda k, n, share, small: f"{k} of {n} {unit} ({'too few to rate' if small else f'{share:.0%}'})",
        missing=f"no {unit}",
    )
    top = max([v for line in z for v in line if v is not None] or [1.0])
    heatmap = dict(
        type="heatmap",
        z=z,
        x=[_wrap(c) for c in column_order],
        y=_esc(row_order),
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
        colorscale=HEAT_SCALE,
        zmin=0,
        zmax=top,
        xgap=2,
        ygap=2,
        colorbar=dict(title=f"% of<br>{unit}", ticksuffix="%"),
    )
    layout = _layout(title, height=height or max(360, 30 * len(row_order) + 160), yaxis=dict(autorange="reversed"))
    return go.Figure(data=[heatmap], layout=layout)


def change_bars(df: pd.DataFrame, label: str, change: str, text: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of a change either side of zero (first row at the top), each labelled with ``text``.

    Rises are solid blue, falls orange with a pattern, so the direction does not rest on colour alone.
    """
    values = df[change].fillna(0)
    rises = (values >= 0).tolist()
    bar = dict(
        type="bar",
        y=_esc(df[label]),
        x=values.tolist(),
        orientation="h",
        marker=_fill([ACCENT if r else "#e08214" for r in rises], ["" if r else "/" for r in rises]),
        text=_esc(df[text]),
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    reach = float(values.abs().max() or 1) * 1.6
    axis = _horizontal(range=[-reach, reach], zeroline=True, zerolinecolor=INK, zerolinewidth=1)
    return go.Figure(data=[bar], layout=_layout(title, x_title, "", height=max(300, 28 * len(df) + 150), **axis))


def fitted_rate_lines(df: pd.DataFrame, series: str, title: str, y_title: str, k: str = "k", n: str = "n") -> go.Figure:
    """``rate_lines`` with the axis fitted to the data, for rates that never come near 100%."""
    top = float((df["upper"] if "upper" in df else df["share"]).max() * 100)
    return rate_lines(df, series, title, y_title, k=k, n=n, y_range=[0, min(105.0, max(10.0, top * 1.15))])
