"""Rates with their 95% intervals: over cycles, per group, before and after, and their changes.

Small-number points and bars are hollow or grey and say so."""

import pandas as pd
import plotly.graph_objects as go

from ui.charts.base import (
    INK,
    PERCENT_TICKS,
    esc,
    fill,
    horizontal_axes,
    inert,
    interval,
    label_trace,
    label_width,
    layout_dict,
    rate_labels,
    wrap,
)
from ui.palette import ACCENT, GRADE_COLOURS, MUTED

# One colour, dash and marker per series, so lines part without relying on colour alone.
SERIES_STYLES = (
    ("#2166ac", "solid", "circle"),
    ("#e08214", "dash", "square"),
    ("#1b7837", "dot", "diamond"),
    ("#762a83", "dashdot", "triangle-up"),
)
PERIOD_COLOURS = {"Before": "#9ecae1", "After": ACCENT}


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
    layout = layout_dict(title, "Cycle", y_title, yaxis=dict(range=[0, 105], ticksuffix="%"))
    return go.Figure(data=[line], layout=layout)


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
                name=inert(name),
                mode="lines+markers",
                line=dict(color=colour, width=3, dash=dash),
                marker=dict(
                    size=11,
                    symbol=[f"{symbol}-open" if s else symbol for s in small],
                    color=[MUTED if s else colour for s in small],
                ),
                error_y=interval(part, share, colour) if interval_for in (None, name) else None,
                customdata=list(zip(part[k], part[n], strict=True)),
                hovertemplate=f"<b>{inert(name)}</b> %{{x}}: %{{y:.0f}}%"
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
                text=inert(note),
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
    layout = layout_dict(
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


def fitted_rate_lines(df: pd.DataFrame, series: str, title: str, y_title: str, k: str = "k", n: str = "n") -> go.Figure:
    """``rate_lines`` with the axis fitted to the data, for rates that never come near 100%."""
    top = float((df["upper"] if "upper" in df else df["share"]).max() * 100)
    return rate_lines(df, series, title, y_title, k=k, n=n, y_range=[0, min(105.0, max(10.0, top * 1.15))])


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
    labels = esc(df[label])
    end, text = rate_labels(df, share, k, n)
    bars = dict(
        type="bar",
        name=inert(x_title),
        y=labels,
        x=share.tolist(),
        orientation="h",
        marker=fill(
            [MUTED if s else (GRADE_COLOURS["Inadequate"] if b else ACCENT) for s, b in zip(small, below, strict=True)],
            ["x" if b else "" for b in below],
        ),
        error_x=interval(df, share),
        customdata=text,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
        showlegend=False,
    )
    words = label_trace(end, labels, text, "middle right")
    height = max(300, 30 * len(df) + 150)
    layout = layout_dict(title, x_title, "", height=height, **horizontal_axes(range=[0, 145], **PERCENT_TICKS))
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
        end, text = rate_labels(part, share)
        traces.append(
            dict(
                type="bar",
                name=inert(name),
                x=esc(part[x]),
                y=share.tolist(),
                offsetgroup=name,
                marker=fill([MUTED if s else colour for s in small], pattern),
                error_y=interval(part, share),
                customdata=text,
                hovertemplate=f"<b>{inert(name)}</b> %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
        traces.append(
            dict(
                type="scatter",
                name=inert(name),
                x=esc(part[x]),
                y=end,
                offsetgroup=name,
                mode="text",
                text=text,
                textposition="top center",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    layout = layout_dict(
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


def before_after(df: pd.DataFrame, x: str, title: str, y_title: str = "% good or better") -> go.Figure:
    """Before and after bars side by side per ``x``, with 95% intervals.

    Each group's label gives both denominators (n before / after); a group resting on fewer than ``SMALL_N``
    grades on either side is drawn grey and says so in its label.
    """
    groups = list(dict.fromkeys(df[x]))
    sides = {period: df[df["period"] == period].set_index(x) for period in PERIOD_COLOURS}
    counts = {p: dict(zip(side.index, side["n"], strict=True)) for p, side in sides.items()}
    smalls = {p: dict(zip(side.index, side["small_n"], strict=True)) for p, side in sides.items()}
    labels, width = {}, label_width(len(groups))
    for group in groups:
        n = [int(counts[p].get(group, 0)) for p in PERIOD_COLOURS]
        small = any(bool(smalls[p].get(group, True)) for p in PERIOD_COLOURS)
        note = "<br>(none after yet)" if n[1] == 0 else "<br>(none before)" if n[0] == 0 else "<br>(too few)"
        labels[group] = wrap(group, width) + f"<br>n={n[0]} / {n[1]}" + (note if small else "")
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
    layout = layout_dict(
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


def change_bars(df: pd.DataFrame, label: str, change: str, text: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of a change either side of zero (first row at the top), each labelled with ``text``.

    Rises are solid blue, falls orange with a pattern, so the direction does not rest on colour alone.
    """
    values = df[change].fillna(0)
    rises = (values >= 0).tolist()
    bar = dict(
        type="bar",
        name=inert(x_title),
        showlegend=False,
        y=esc(df[label]),
        x=values.tolist(),
        orientation="h",
        marker=fill([ACCENT if r else "#e08214" for r in rises], ["" if r else "/" for r in rises]),
        text=esc(df[text]),
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    # Room beyond the longest bar for its label: about 7px a character of a half-plot some 230px wide at 1366px.
    longest = max((len(str(t)) for t in df[text]), default=0)
    reach = float(values.abs().max() or 1) / max(0.3, 1 - 7 * longest / 230)
    axis = horizontal_axes(range=[-reach, reach], zeroline=True, zerolinecolor=INK, zerolinewidth=1)
    return go.Figure(data=[bar], layout=layout_dict(title, x_title, "", height=max(300, 28 * len(df) + 150), **axis))
