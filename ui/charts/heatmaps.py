"""Heat maps: a share or a count per cell, and a grid of outcomes.

Cells resting on fewer than ``SMALL_N`` are grey and say so, so a real 0% (the scale's palest blue) never looks
like a suppressed cell. Colour scales span the data's own range, so a map of shares from 0 to 25% does not wash out."""

import math

import pandas as pd
import plotly.graph_objects as go

from ui.charts.base import DIVERGING_SCALE, HEAT_SCALE, INK, esc, inert, label_width, layout_dict, wrap

SUPPRESSED = "#d9d9d9"  # the fill of a cell resting on fewer than SMALL_N

# Light fills, so the words written in each cell stay readable; the words carry the meaning, not the fill.
STATUS_COLOURS = {"Met": "#d1e5f0", "Not yet due": "#f0f0f0", "Not met": "#f4a582"}


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


def fitted_range(z, midpoint: float | None = None) -> tuple[float, float]:
    """The colour range, in percent, of the shares in grid ``z``: the data's own, out to whole tens and at least
    20 points wide; with a ``midpoint`` (say 50% agreeing) it is even about it, for a diverging scale."""
    shown = [v for line in z for v in line if v is not None]
    if not shown:
        return 0.0, 100.0
    low, high = max(0.0, math.floor(min(shown) / 10) * 10), min(100.0, math.ceil(max(shown) / 10) * 10)
    if high - low < 20:
        high = min(100.0, low + 20)
        low = high - 20
    if midpoint is not None:
        half = max(high - midpoint, midpoint - low)
        return midpoint - half, midpoint + half
    return low, high


def _rate_traces(z, text, hover, x: list[str], y: list[str], colorbar_title: str, midpoint=None) -> list[dict]:
    """The traces of a grid of shares from ``_rate_cells``: grey cells where a figure is suppressed (or missing)
    under labelled cells coloured on a scale fitted to the data, with hover text and a % colour bar."""
    low, high = fitted_range(z, midpoint)
    blank = [[1 if v is None else None for v in line] for line in z]
    grey = dict(type="heatmap", z=blank, x=x, y=y, colorscale=[[0, SUPPRESSED], [1, SUPPRESSED]], showscale=False)
    shares = dict(
        type="heatmap",
        z=z,
        x=x,
        y=y,
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
        colorscale=HEAT_SCALE if midpoint is None else DIVERGING_SCALE,
        zmin=low,
        zmax=high,
        xgap=2,
        ygap=2,
        colorbar=dict(title=colorbar_title, ticksuffix="%"),
    )
    return [dict(grey, hoverinfo="skip", xgap=2, ygap=2), shares]


def rate_heatmap(
    df: pd.DataFrame,
    row: str,
    column: str,
    title: str,
    height: int | None = None,
    colorbar_title: str = "% good<br>or better",
    midpoint: float | None = None,
) -> go.Figure:
    """Share per cell with n; cells under ``SMALL_N`` are grey and labelled. A ``midpoint`` (in percent) that
    means something, such as 50% agreeing, gets a diverging scale centred on it."""
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
    traces = _rate_traces(z, text, hover, esc(columns), esc(rows), colorbar_title, midpoint)
    layout = layout_dict(title, height=height or max(360, 34 * len(rows) + 140), yaxis=dict(autorange="reversed"))
    return go.Figure(data=traces, layout=layout)


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

    Rows and columns come in the given order. Cells where ``n`` is under ``SMALL_N`` are grey and labelled
    with their count only; ``unit`` names what ``n`` counts, in the plural.
    """
    unit = inert(unit)
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
    columns = [wrap(c, label_width(len(column_order))) for c in column_order]
    traces = _rate_traces(z, text, hover, columns, esc(row_order), f"% of<br>{unit}")
    layout = layout_dict(title, height=height or max(360, 30 * len(row_order) + 160), yaxis=dict(autorange="reversed"))
    return go.Figure(data=traces, layout=layout)


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
        x=esc(column_order),
        y=esc(row_order),
        text=[[str(v) for v in line] for line in z],
        texttemplate="%{text}",
        hovertemplate=f"{inert(y_title)} %{{y}} · {inert(x_title)} %{{x}}: %{{z}}<extra></extra>",
        colorscale=HEAT_SCALE,
        xgap=2,
        ygap=2,
        colorbar=dict(title="Children"),
    )
    layout = layout_dict(
        title, x_title, y_title, height=max(320, 60 * len(row_order) + 150), yaxis=dict(autorange="reversed")
    )
    return go.Figure(data=[heatmap], layout=layout)


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
            label_row.append(inert(cell[1]).replace("\n", "<br>") if cell is not None else "")
        z.append(z_row)
        labels.append(label_row)
    scale = []
    for i, name in enumerate(names):
        scale += [[i / len(names), STATUS_COLOURS[name]], [(i + 1) / len(names), STATUS_COLOURS[name]]]
    heatmap = dict(
        type="heatmap",
        z=z,
        x=[wrap(c, label_width(len(columns))) for c in columns],
        y=esc(rows),
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
    layout = layout_dict(
        title,
        height=height or max(220, 62 * len(rows) + 130),
        margin=dict(t=100),
        xaxis=dict(side="top"),
        yaxis=dict(autorange="reversed"),
    )
    return go.Figure(data=[heatmap], layout=layout)
