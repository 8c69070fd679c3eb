"""Grades: the share of each grade per cycle, and a rate per grade."""

import pandas as pd
import plotly.graph_objects as go

from data_pipeline.vocab import SCALE_ORDER
from qa_read.stats import SMALL_N
from ui.charts.base import PERCENT_TICKS, esc, fill, inert, interval, label_trace, layout_dict, rate_labels
from ui.palette import ACCENT, GRADE_COLOURS, GRADE_PATTERNS, MUTED


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
    layout = layout_dict(
        title,
        "Cycle",
        f"Share of {unit}",
        barmode="stack",
        yaxis=dict(range=[0, 100], ticksuffix="%"),
        legend=dict(traceorder="normal"),
    )
    return go.Figure(data=bars, layout=layout)


def review_grades(df: pd.DataFrame, title: str) -> go.Figure:
    """``grade_distribution`` on the Ofsted scale, counting supervision reviews rather than audits."""
    return grade_distribution(df, "Ofsted", title, unit="reviews")


def grade_rates(df: pd.DataFrame, title: str, x_title: str, y_title: str) -> go.Figure:
    """A rate per grade, grades in the frame's order, each in its own colour and pattern, with 95% intervals."""
    share = df["share"] * 100
    small = df["small_n"].astype(bool).tolist()
    grades = esc(df["grade"])
    end, text = rate_labels(df, share)
    bars = dict(
        type="bar",
        name=inert(y_title),
        x=grades,
        y=share.tolist(),
        marker=fill(
            [MUTED if s else GRADE_COLOURS.get(g, ACCENT) for g, s in zip(df["grade"], small, strict=True)],
            [GRADE_PATTERNS.get(g, "") for g in df["grade"]],
        ),
        error_y=interval(df, share),
        customdata=text,
        hovertemplate="%{x}: %{customdata}<extra></extra>",
        showlegend=False,
    )
    words = label_trace(grades, end, text, "top center")
    layout = layout_dict(title, x_title, y_title, height=420, yaxis=dict(range=[0, 112], **PERCENT_TICKS))
    return go.Figure(data=[bars, words], layout=layout)
