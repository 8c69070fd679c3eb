"""Bars of counts: plain, stacked by a category, or split by state (actions: overdue, open, completed)."""

import pandas as pd
import plotly.graph_objects as go

from ui.charts.base import INK, esc, fill, horizontal_axes, inert, layout_dict
from ui.palette import ACCENT, GRADE_COLOURS

# Okabe-Ito: distinct under the common colour-vision deficiencies; every segment is also named in the legend.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
# (label, colour, pattern) of action states: the bad news in the warm grade colour with a pattern.
ACTION_STATES = {
    "overdue": ("Overdue", GRADE_COLOURS["Inadequate"], "x"),
    "not_due": ("Open, not yet due", "#bdbdbd", "."),
    "completed": ("Completed", ACCENT, ""),
}


def counts_bar(
    df: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str, colour: str = ACCENT
) -> go.Figure:
    """A plain bar chart of counts, labelled with its values."""
    bar = dict(
        type="bar",
        # Named, and kept out of the legend, so nothing can ever read "trace 0".
        name=inert(y_title),
        showlegend=False,
        x=esc(df[x]),
        y=df[y].tolist(),
        marker=dict(color=colour),
        text=[str(v) for v in df[y]],
        textposition="outside",
    )
    return go.Figure(data=[bar], layout=layout_dict(title, x_title, y_title))


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
                x=esc(part[x]),
                y=part[y].tolist(),
                marker=dict(color=colour),
                text=[str(v) for v in part[y]],
                textposition="inside",
            )
        )
    return go.Figure(data=bars, layout=layout_dict(title, "Cycle", y_title, barmode="stack"))


def stacked_bars(df: pd.DataFrame, y: str, stack: str, x: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of ``x`` per ``y`` (in the frame's order, first at the top), stacked by ``stack``."""
    order = list(dict.fromkeys(df[y]))
    bars = []
    for i, name in enumerate(sorted(df[stack].unique(), key=str)):
        part = df[df[stack] == name]
        bars.append(
            dict(
                type="bar",
                name=inert(name),
                y=esc(part[y]),
                x=part[x].tolist(),
                orientation="h",
                marker=dict(color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]),
                text=[str(v) for v in part[x]],
                textposition="inside",
                hovertemplate=f"%{{y}}: %{{x}} in {inert(name)}<extra></extra>",
            )
        )
    layout = layout_dict(
        title,
        x_title,
        "",
        height=max(360, 28 * len(order) + 160),
        barmode="stack",
        yaxis=dict(categoryorder="array", categoryarray=esc(order), autorange="reversed"),
        # A long legend goes to the right, where it cannot run into the title.
        showlegend=True,
        legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top"),
    )
    return go.Figure(data=bars, layout=layout)


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
    labels = esc(df[label])
    across, along = ("x", "y") if horizontal else ("y", "x")
    bars = []
    for column, (name, colour, pattern) in states.items():
        values = df[column]
        bars.append(
            dict(
                type="bar",
                name=inert(name),
                orientation="h" if horizontal else "v",
                marker=fill(colour, pattern),
                text=[str(v) if v else "" for v in values],
                textposition="inside" if stacked else "outside",
                insidetextanchor="middle",
                textfont=dict(color=INK if colour.lower() in ("#bdbdbd", "#f0f0f0") else "white") if stacked else None,
                cliponaxis=False,
                hovertemplate=f"%{{{along}}}: %{{{across}}} {inert(name.lower())}<extra></extra>",
                **{across: values.tolist(), along: labels},
            )
        )
    bars_layout = dict(barmode="stack" if stacked else "group", legend=dict(traceorder="normal"))
    if horizontal:
        layout = layout_dict(
            title, axis_title, "", height=max(300, 30 * len(df) + 150), **horizontal_axes(), **bars_layout
        )
    else:
        layout = layout_dict(title, "", axis_title, height=420, **bars_layout)
    return go.Figure(data=bars, layout=layout)
