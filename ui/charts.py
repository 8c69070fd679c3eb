"""Plotly figures for the pages. Pure functions of small frames: no Streamlit, no SQL.

Labels taken from the data are HTML-escaped, since Plotly renders a subset of HTML in text. Cells and
points resting on fewer than ``SMALL_N`` audits are drawn grey or hollow and say so.
"""

import html

import pandas as pd
import plotly.graph_objects as go

from qa_read.stats import SMALL_N
from ui.palette import ACCENT, GRADE_COLOURS, GRADE_PATTERNS, MUTED, SCALE_ORDER

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#262730")
HEAT_SCALE = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def _layout(fig: go.Figure, title: str, x_title: str = "", y_title: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=html.escape(title), x=0, xanchor="left", font=dict(size=19)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=70, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title_text=""),
        hoverlabel=dict(font_size=14),
    )
    fig.update_xaxes(title_text=x_title, showgrid=False)
    fig.update_yaxes(title_text=y_title, gridcolor="#e6e6e6")
    return fig


def _esc(values) -> list[str]:
    return [html.escape(str(v)) for v in values]


def grade_distribution(df: pd.DataFrame, scale: str, title: str) -> go.Figure:
    """100% stacked bars per cycle, grades in scale order, each grade its own colour and pattern."""
    totals = df.groupby("cycle")["n"].sum()
    ticks = {c: f"{c}<br>n={totals[c]}" + (" (small)" if totals[c] < SMALL_N else "") for c in totals.index}
    fig = go.Figure()
    for grade in SCALE_ORDER[scale]:
        part = df[df["grade"] == grade]
        fig.add_bar(
            name=grade,
            x=[ticks[c] for c in part["cycle"]],
            y=part["share"] * 100,
            customdata=[(c, n, t, grade) for c, n, t in zip(part["cycle"], part["n"], part["total"], strict=True)],
            marker=dict(
                color=GRADE_COLOURS[grade],
                pattern=dict(shape=GRADE_PATTERNS[grade], fillmode="overlay", fgcolor="white", size=7, solidity=0.25),
            ),
            text=[f"{s:.0%}" if s >= 0.06 else "" for s in part["share"]],
            textposition="inside",
            hovertemplate=f"<b>{grade}</b> in %{{customdata[0]}}<br>%{{customdata[1]}} of %{{customdata[2]}} audits"
            " (%{y:.0f}%)<extra></extra>",
            opacity=1.0,
        )
    fig.update_layout(barmode="stack", yaxis=dict(range=[0, 100], ticksuffix="%"), legend_traceorder="normal")
    return _layout(fig, title, "Cycle", "Share of audits")


def rate_trend(df: pd.DataFrame, title: str, y_title: str = "% good or better") -> go.Figure:
    """A rate per cycle with its 95% Wilson interval; small-number points are hollow and grey."""
    small = df["small_n"].astype(bool)
    share = df["share"] * 100
    fig = go.Figure()
    fig.add_scatter(
        x=df["cycle"],
        y=share,
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
            array=df["upper"] * 100 - share,
            arrayminus=share - df["lower"] * 100,
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
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return _layout(fig, title, "Cycle", y_title)


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
    cells = df.set_index([row, column])
    z, text, hover = [], [], []
    for r in rows:
        z_row, text_row, hover_row = [], [], []
        for c in columns:
            if (r, c) not in cells.index:
                z_row.append(None)
                text_row.append("")
                hover_row.append("no audits")
                continue
            cell = cells.loc[(r, c)]
            small = bool(cell["small_n"])
            z_row.append(None if small else cell["share"] * 100)
            text_row.append(f"n={cell['n']}" if small else f"{cell['share']:.0%}<br>n={cell['n']}")
            hover_row.append(f"{cell['k']} of {cell['n']}" + (" (too few to rate)" if small else ""))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = go.Figure(
        go.Heatmap(
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
    )
    fig.update_layout(plot_bgcolor="#f0f0f0")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=height or max(360, 34 * len(rows) + 140))


def counts_bar(
    df: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str, colour: str = ACCENT
) -> go.Figure:
    """A plain bar chart of counts, labelled with its values."""
    fig = go.Figure(go.Bar(x=_esc(df[x]), y=df[y], marker_color=ACCENT, text=df[y], textposition="outside"))
    return _layout(fig, title, x_title, y_title)


def stacked_counts(
    df: pd.DataFrame, x: str, stack: str, y: str, colours: dict[str, str], title: str, y_title: str
) -> go.Figure:
    """Counts stacked by a category whose colours are given; each segment labelled with its count."""
    fig = go.Figure()
    for name, colour in colours.items():
        part = df[df[stack] == name]
        fig.add_bar(name=name, x=_esc(part[x]), y=part[y], marker_color=colour, text=part[y], textposition="inside")
    fig.update_layout(barmode="stack")
    return _layout(fig, title, "Cycle", y_title)
