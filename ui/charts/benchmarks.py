"""Published figures over the years beside statistical neighbours and England; Ofsted judgements beside our
own audit grades. Every chart names its publication and years in its subtitle."""

import pandas as pd
import plotly.graph_objects as go

from ui.charts.base import INK, PERCENT_TICKS, inert, layout_dict
from ui.charts.rates import SERIES_STYLES
from ui.palette import GRADE_COLOURS, MUTED

RANGE_FILL = "rgba(103, 169, 207, 0.25)"
COUNCIL, MEDIAN, ENGLAND = SERIES_STYLES[0], SERIES_STYLES[1], SERIES_STYLES[2]


def _line(x, y, name: str, style: tuple, hover: str) -> dict:
    colour, dash, symbol = style
    return dict(
        type="scatter",
        x=x,
        y=y,
        name=inert(name),
        mode="lines+markers",
        line=dict(color=colour, width=3, dash=dash),
        marker=dict(size=9, symbol=symbol, color=colour),
        hovertemplate=f"<b>{inert(name)}</b> %{{x}}: %{{y}}{hover}<extra></extra>",
        connectgaps=False,
    )


def benchmark_lines(rows: pd.DataFrame, council: str, title: str, source: str, short: str) -> go.Figure:
    """The council's figure each year (gaps where withheld) beside its neighbours' median and range and England;
    the y axis is titled with the publication's unit."""
    x = rows["period"].tolist()
    band = dict(
        type="scatter",
        x=x + x[::-1],
        y=rows["neighbours_high"].tolist() + rows["neighbours_low"].tolist()[::-1],
        fill="toself",
        mode="lines",
        fillcolor=RANGE_FILL,
        line=dict(width=0),
        name="Statistical neighbours' range",
        hoverinfo="skip",
    )
    traces = [
        band,
        _line(x, rows["neighbours_median"].tolist(), "Statistical neighbours' median", MEDIAN, short),
        _line(x, rows["england"].tolist(), "England", ENGLAND, short),
        _line(x, rows["value"].astype(float).tolist(), council, COUNCIL, short),
    ]
    layout = layout_dict(
        title,
        "Year",
        rows["unit"].iloc[0],
        height=400,
        title=dict(subtitle=dict(text=inert(source), font=dict(size=14, color=INK))),
        margin=dict(t=100),
        legend=dict(y=-0.25, yanchor="top"),
        xaxis=dict(type="category"),
        yaxis=dict(rangemode="tozero"),
    )
    return go.Figure(data=traces, layout=layout)


def judgements_beside_audits(audits: pd.DataFrame, inspections: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Our audits good or better per cycle (at each cycle's end) with each Ofsted inspection marked on the same
    dates, labelled with its overall grade, or with "no overall grade" after the 2026 framework change."""
    traces = [
        dict(
            type="scatter",
            x=audits["cycle_end"].tolist(),
            y=(audits["share"] * 100).tolist(),
            text=audits["cycle"].tolist(),
            customdata=list(zip(audits["k"], audits["n"], strict=True)),
            name="Our audits good or better",
            mode="lines+markers",
            line=dict(color=COUNCIL[0], width=3),
            marker=dict(size=9, color=[MUTED if s else COUNCIL[0] for s in audits["small_n"]]),
            hovertemplate="<b>%{text}</b>: %{y:.0f}% good or better (%{customdata[0]} of %{customdata[1]})"
            "<extra></extra>",
        )
    ]
    shapes, notes = [], []
    for number, row in enumerate(inspections.itertuples(index=False)):
        graded = row.overall_effectiveness in GRADE_COLOURS
        colour = GRADE_COLOURS[row.overall_effectiveness] if graded else MUTED
        line = dict(color=colour, width=3, dash="solid" if graded else "dot")
        shapes.append(dict(type="line", x0=row.started, x1=row.started, y0=0, y1=1, yref="paper", line=line))
        notes.append(
            dict(
                x=row.started,
                y=1 - 0.12 * (number % 2),
                yref="paper",
                text=inert(f"Ofsted {row.started:%b %Y}: {row.overall_effectiveness}"),
                showarrow=False,
                xanchor="left",
                yanchor="top",
                xshift=4,
                font=dict(size=13, color=INK),
                bgcolor="rgba(255,255,255,0.9)",
            )
        )
    layout = layout_dict(
        title,
        "",
        "% of audits good or better",
        height=420,
        title=dict(subtitle=dict(text=inert(source), font=dict(size=14, color=INK))),
        margin=dict(t=100),
        shapes=shapes,
        annotations=notes,
        showlegend=False,
        yaxis=dict(range=[0, 115], **PERCENT_TICKS),
        xaxis=dict(type="date"),
    )
    return go.Figure(data=traces, layout=layout)
