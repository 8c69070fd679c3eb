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
    # Streamlit's chart theme greys axis text to about 3.7:1 contrast; set it to pass WCAG AA.
    axis_text = dict(tickfont_color=FONT["color"], title_font_color=FONT["color"])
    fig.update_xaxes(title_text=x_title, showgrid=False, **axis_text)
    fig.update_yaxes(title_text=y_title, gridcolor="#e6e6e6", **axis_text)
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


# --- Insight pages: PLD compliance, audit coverage, impact ------------------------------------------

# Light fills, so the words written in each cell stay readable; the words carry the meaning, not the fill.
STATUS_COLOURS = {"Met": "#d1e5f0", "Not yet due": "#f0f0f0", "Not met": "#f4a582"}
# Okabe-Ito: distinct under the common colour-vision deficiencies; every segment is also named in the legend.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
PERIOD_COLOURS = {"Before": "#9ecae1", "After": ACCENT}


def _wrap(label, width: int = 16) -> str:
    """An escaped label broken onto lines of about ``width`` characters, so long names fit narrow columns."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(html.escape(part) for part in [*lines, line])


def status_grid(
    df: pd.DataFrame, row: str, column: str, status: str, text: str, title: str, height: int | None = None
) -> go.Figure:
    """A grid of outcomes: each cell filled by its status and labelled with ``text`` (ticks, crosses, words)."""
    names = list(STATUS_COLOURS)
    rows = sorted(df[row].unique(), key=str)
    columns = sorted(df[column].unique(), key=str)
    cells = df.set_index([row, column])
    z, labels = [], []
    for r in rows:
        z_row, label_row = [], []
        for c in columns:
            present = (r, c) in cells.index
            cell = cells.loc[(r, c)] if present else None
            z_row.append(names.index(cell[status]) if present and cell[status] in names else None)
            label_row.append(html.escape(str(cell[text])).replace("\n", "<br>") if present else "")
        z.append(z_row)
        labels.append(label_row)
    scale = []
    for i, name in enumerate(names):
        scale += [[i / len(names), STATUS_COLOURS[name]], [(i + 1) / len(names), STATUS_COLOURS[name]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c) for c in columns],
            y=_esc(rows),
            text=labels,
            texttemplate="%{text}",
            textfont=dict(size=13, color="#262730"),
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
            colorscale=scale,
            zmin=-0.5,
            zmax=len(names) - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig.update_layout(plot_bgcolor="white")
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed")
    fig = _layout(fig, title, height=height or max(220, 62 * len(rows) + 130))
    fig.update_layout(margin=dict(l=10, r=10, t=100, b=10))
    return fig


def before_after(df: pd.DataFrame, x: str, title: str, y_title: str = "% good or better") -> go.Figure:
    """Before and after bars side by side per ``x``, with 95% intervals.

    Each group's label gives both denominators (n before / after); a group resting on fewer than ``SMALL_N``
    grades on either side is drawn grey and says so in its label.
    """
    groups = list(dict.fromkeys(df[x]))
    sides = {period: df[df["period"] == period].set_index(x) for period in PERIOD_COLOURS}
    labels = {}
    for group in groups:
        n = [int(sides[p]["n"].get(group, 0)) for p in PERIOD_COLOURS]
        small = any(bool(sides[p]["small_n"].get(group, True)) for p in PERIOD_COLOURS)
        note = "<br>(none after yet)" if n[1] == 0 else "<br>(none before)" if n[0] == 0 else "<br>(too few)"
        labels[group] = _wrap(group) + f"<br>n={n[0]} / {n[1]}" + (note if small else "")
    fig = go.Figure()
    for period, colour in PERIOD_COLOURS.items():
        part = sides[period].reindex(groups)
        small = part["small_n"].fillna(True).astype(bool)
        share = part["share"] * 100
        fig.add_bar(
            name=period,
            x=[labels[g] for g in groups],
            y=share,
            marker=dict(
                color=[MUTED if s else colour for s in small],
                pattern=dict(
                    shape="" if period == "Before" else "/", fillmode="overlay", fgcolor="white", size=8, solidity=0.3
                ),
            ),
            error_y=dict(
                type="data",
                symmetric=False,
                array=part["upper"] * 100 - share,
                arrayminus=share - part["lower"] * 100,
                color="#262730",
                thickness=1.5,
            ),
            customdata=list(zip(part["k"], part["n"], part["lower"] * 100, part["upper"] * 100, strict=True)),
            hovertemplate=f"<b>{period}</b>: %{{y:.0f}}% (%{{customdata[0]}} of %{{customdata[1]}})"
            "<br>95% interval %{customdata[2]:.0f}%–%{customdata[3]:.0f}%<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(tickangle=0)
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return _layout(fig, title, "", y_title, height=460)


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
    cells = df.set_index([row, column])[value]
    z = [[int(cells.get((r, c), 0)) for c in column_order] for r in row_order]
    fig = go.Figure(
        go.Heatmap(
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
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, x_title, y_title, height=max(320, 60 * len(row_order) + 150))


def stacked_bars(df: pd.DataFrame, y: str, stack: str, x: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of ``x`` per ``y`` (in the frame's order, first at the top), stacked by ``stack``."""
    order = list(dict.fromkeys(df[y]))
    fig = go.Figure()
    for i, name in enumerate(sorted(df[stack].unique(), key=str)):
        part = df[df[stack] == name]
        fig.add_bar(
            name=html.escape(str(name)),
            y=_esc(part[y]),
            x=part[x],
            orientation="h",
            marker_color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
            text=part[x],
            textposition="inside",
            hovertemplate=f"%{{y}}: %{{x}} in {html.escape(str(name))}<extra></extra>",
        )
    # A long legend goes to the right, where it cannot run into the title.
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=_esc(order), autorange="reversed")
    fig = _layout(fig, title, x_title, "", height=max(360, 28 * len(order) + 160))
    fig.update_layout(showlegend=True, legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top"))
    return fig


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


def _interval(df: pd.DataFrame, share: pd.Series, colour: str = "#262730") -> dict | None:
    """Plotly error bars for a Wilson interval, when the frame carries one."""
    if "lower" not in df or "upper" not in df:
        return None
    return dict(
        type="data",
        symmetric=False,
        array=df["upper"] * 100 - share,
        arrayminus=share - df["lower"] * 100,
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
) -> go.Figure:
    """A rate per cycle for each value of ``series``, with 95% intervals where the frame has them.

    Only ``interval_for`` (a series value) carries its interval when given: overlapping bars of several
    series hide the lines. Small-number points are hollow and grey. ``marks`` maps a cycle to a note drawn
    as a dotted line there, above the 100% line.
    """
    fig = go.Figure()
    for i, name in enumerate(dict.fromkeys(df[series])):
        part = df[df[series] == name]
        colour, dash, symbol = SERIES_STYLES[i % len(SERIES_STYLES)]
        small = part["small_n"].astype(bool)
        share = part["share"] * 100
        fig.add_scatter(
            x=part["cycle"],
            y=share,
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
    for cycle, note in (marks or {}).items():
        line = dict(color=MUTED, width=2, dash="dot")
        fig.add_shape(type="line", x0=cycle, x1=cycle, xref="x", y0=0, y1=1, yref="paper", line=line)
        fig.add_annotation(
            x=cycle,
            y=1,
            xref="x",
            yref="paper",
            text=html.escape(note),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=4,
            font=dict(size=13, color="#262730"),
            bgcolor="rgba(255,255,255,0.85)",
        )
    top = max(100.0, float((df["upper"] if "upper" in df else df["share"]).max() * 100))
    fig.update_yaxes(range=[0, top + 14], **PERCENT_TICKS)
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return _layout(fig, title, "Cycle", y_title, height=460)


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
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=share,
            orientation="h",
            marker=_fill(
                [
                    MUTED if s else (GRADE_COLOURS["Inadequate"] if b else ACCENT)
                    for s, b in zip(small, below, strict=True)
                ],
                ["x" if b else "" for b in below],
            ),
            error_x=_interval(df, share),
            customdata=text,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_scatter(
        x=end, y=labels, mode="text", text=text, textposition="middle right", hoverinfo="skip", showlegend=False
    )
    if threshold is not None:
        line = dict(color="#262730", width=2, dash="dot")
        fig.add_shape(type="line", x0=threshold * 100, x1=threshold * 100, y0=0, y1=1, yref="paper", line=line)
        fig.add_annotation(
            x=threshold * 100,
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=f"{threshold:.0%} threshold",
            font=dict(size=13),
        )
    fig.update_xaxes(range=[0, 145], **PERCENT_TICKS)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = _layout(fig, title, x_title, "", height=max(300, 30 * len(df) + 150))
    fig.update_xaxes(showgrid=True, gridcolor="#e6e6e6")
    return fig


def grouped_rates(
    df: pd.DataFrame, x: str, group: str, styles: dict[str, tuple[str, str]], title: str, y_title: str
) -> go.Figure:
    """Rates side by side per ``x``, one bar per ``group`` value styled (colour, pattern) by ``styles``."""
    fig = go.Figure()
    for name, (colour, pattern) in styles.items():
        part = df[df[group] == name]
        share = part["share"] * 100
        small = part["small_n"].astype(bool).tolist()
        end, text = _rate_labels(part, share)
        fig.add_bar(
            name=html.escape(name),
            x=_esc(part[x]),
            y=share,
            offsetgroup=name,
            marker=_fill([MUTED if s else colour for s in small], pattern),
            error_y=_interval(part, share),
            customdata=text,
            hovertemplate=f"<b>{html.escape(name)}</b> %{{x}}: %{{customdata}}<extra></extra>",
        )
        fig.add_scatter(
            x=_esc(part[x]),
            y=end,
            offsetgroup=name,
            mode="text",
            text=text,
            textposition="top center",
            hoverinfo="skip",
            showlegend=False,
        )
    fig.update_layout(barmode="group", scattermode="group", bargap=0.3)
    fig.update_yaxes(range=[0, 112], **PERCENT_TICKS)
    return _layout(fig, title, "", y_title, height=440)


def grade_rates(df: pd.DataFrame, title: str, x_title: str, y_title: str) -> go.Figure:
    """A rate per grade, grades in the frame's order, each in its own colour and pattern, with 95% intervals."""
    share = df["share"] * 100
    small = df["small_n"].astype(bool).tolist()
    grades = _esc(df["grade"])
    end, text = _rate_labels(df, share)
    fig = go.Figure(
        go.Bar(
            x=grades,
            y=share,
            marker=_fill(
                [MUTED if s else GRADE_COLOURS.get(g, ACCENT) for g, s in zip(df["grade"], small, strict=True)],
                [GRADE_PATTERNS.get(g, "") for g in df["grade"]],
            ),
            error_y=_interval(df, share),
            customdata=text,
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_scatter(
        x=grades, y=end, mode="text", text=text, textposition="top center", hoverinfo="skip", showlegend=False
    )
    fig.update_yaxes(range=[0, 112], **PERCENT_TICKS)
    return _layout(fig, title, x_title, y_title, height=420)


def review_grades(df: pd.DataFrame, title: str) -> go.Figure:
    """``grade_distribution`` on the Ofsted scale, counting supervision reviews rather than audits."""
    fig = grade_distribution(df, "Ofsted", title)
    fig.update_yaxes(title_text="Share of reviews")
    for trace in fig.data:
        trace.hovertemplate = trace.hovertemplate.replace(" audits", " reviews")
    return fig


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
    fig = go.Figure()
    labels = _esc(df[label])
    for column, (name, colour, pattern) in states.items():
        values = df[column]
        across, along = ("x", "y") if horizontal else ("y", "x")
        fig.add_bar(
            name=html.escape(name),
            orientation="h" if horizontal else "v",
            marker=_fill(colour, pattern),
            text=[str(v) if v else "" for v in values],
            textposition="inside" if stacked else "outside",
            insidetextanchor="middle",
            textfont=dict(color="#262730" if colour.lower() in ("#bdbdbd", "#f0f0f0") else "white")
            if stacked
            else None,
            cliponaxis=False,
            hovertemplate=f"%{{{along}}}: %{{{across}}} {html.escape(name.lower())}<extra></extra>",
            **{across: values, along: labels},
        )
    fig.update_layout(barmode="stack" if stacked else "group", legend_traceorder="normal")
    if horizontal:
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig = _layout(fig, title, axis_title, "", height=max(300, 30 * len(df) + 150))
        fig.update_xaxes(showgrid=True, gridcolor="#e6e6e6")
        return fig
    return _layout(fig, title, "", axis_title, height=420)


# --- Projector: the meeting pack's sections, one per screen (pages/present.py) -------------------------------
# Sized for a 1920x1080 projector read from the back of a room: 40px titles, 22px text.

PROJECTOR_TITLE_SIZE = 40
PROJECTOR_TEXT_SIZE = 22
PROJECTOR_HEIGHT = 930
# About this many characters of a 40px title fit across a 1920px screen.
PROJECTOR_TITLE_CHARS = 92


def _lines(text: str, width: int) -> str:
    """Escaped text broken onto lines of at most about ``width`` characters (Plotly titles never wrap)."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(html.escape(part) for part in [*lines, line])


def projector(fig: go.Figure, height: int = PROJECTOR_HEIGHT) -> go.Figure:
    """The same figure restyled for projection: large title, axis and label text, room for a two-line title."""
    lines = str(fig.layout.title.text).count("<br>") + 1 if fig.layout.title.text else 0
    legend = sum(t.type in ("bar", "scatter") and t.showlegend is not False for t in fig.data) > 1
    fig.update_layout(
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
        legend=dict(font=dict(size=PROJECTOR_TEXT_SIZE), y=1.0, yanchor="bottom", traceorder="normal"),
        hoverlabel=dict(font_size=PROJECTOR_TEXT_SIZE),
    )
    ink = FONT["color"]
    for update in (fig.update_xaxes, fig.update_yaxes):
        update(
            title_font=dict(size=PROJECTOR_TEXT_SIZE + 2, color=ink), tickfont=dict(size=PROJECTOR_TEXT_SIZE, color=ink)
        )
    fig.update_annotations(font_size=PROJECTOR_TEXT_SIZE)
    fig.update_traces(textfont_size=PROJECTOR_TEXT_SIZE, selector=dict(type="bar"))
    fig.update_traces(textfont_size=PROJECTOR_TEXT_SIZE, selector=dict(type="scatter"))
    return fig


def pack_chart(chart, title: str) -> go.Figure:
    """A meeting-pack chart (``reports.content.Chart``) as Plotly: the pack's series, colours, patterns and labels.

    Suppressed values are None in the chart and so are simply not drawn; their categories say "n<5".
    """
    categories = [html.escape(c).replace("\n", "<br>") for c in chart.categories]
    scale = 100 if chart.percent else 1
    fig = go.Figure()
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
            fig.add_scatter(
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
            # Labels in white boxes beside each point, clear of the line and the interval bars.
            for x, y, text in zip(categories, values, labels or [], strict=False):
                if y is not None and text:
                    fig.add_annotation(
                        x=x, y=y, text=html.escape(text), showarrow=False, xanchor="left", xshift=14,
                        bgcolor="rgba(255,255,255,0.9)", font=dict(color=FONT["color"]),
                    )  # fmt: skip
            continue
        horizontal = chart.kind == "bar"
        fig.add_bar(
            name=series.name,
            x=values if horizontal else categories,
            y=categories if horizontal else values,
            orientation="h" if horizontal else "v",
            marker=_fill(series.colour, series.pattern) if series.pattern else dict(color=series.colour),
            text=labels,
            textposition="inside" if chart.kind in ("stacked_100", "stacked") else "outside",
            insidetextanchor="middle",
            # Bar text has no box: inside a bar it is white or black, whichever reads on the grade's colour.
            textfont=dict(color=text_on(series.colour) if chart.kind in ("stacked_100", "stacked") else FONT["color"]),
            cliponaxis=False,
            hovertemplate="%{fullData.name}: %{text}<extra></extra>",
        )
    if chart.kind in ("stacked_100", "stacked"):
        fig.update_layout(barmode="stack")
    elif chart.kind in ("bar", "column"):
        fig.update_layout(barmode="group")
    if chart.kind == "bar":
        _layout(fig, "", chart.y_title, chart.x_title)
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig.update_xaxes(showgrid=True, gridcolor="#e6e6e6")
    else:
        _layout(fig, "", chart.x_title, chart.y_title)
    if chart.percent:
        axis = dict(range=[0, 100 if chart.kind == "stacked_100" else 105], ticksuffix="%")
        fig.update_xaxes(**axis) if chart.kind == "bar" else fig.update_yaxes(**axis)
    fig.update_layout(title_text=_lines(title, PROJECTOR_TITLE_CHARS), uniformtext=dict(minsize=16, mode="hide"))
    return fig


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
    fig = go.Figure(
        go.Table(
            columnwidth=weights,
            header=dict(
                values=[f"<b>{_lines(c, 22)}</b>" for c in table.columns],
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
    )
    fig.update_layout(title_text=_lines(title, PROJECTOR_TITLE_CHARS), font=FONT, margin=dict(l=10, r=10, t=70, b=10))
    return fig


def text_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(fill[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "#262730"


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
    cells = df.set_index([row, column])
    z, text, hover = [], [], []
    for r in row_order:
        z_row, text_row, hover_row = [], [], []
        for c in column_order:
            if (r, c) not in cells.index:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"no {html.escape(unit)}")
                continue
            cell = cells.loc[(r, c)]
            small = bool(cell["small_n"])
            z_row.append(None if small else cell["share"] * 100)
            text_row.append(str(cell["k"]))
            share = "too few to rate" if small else f"{cell['share']:.0%}"
            hover_row.append(f"{cell['k']} of {cell['n']} {html.escape(unit)} ({share})")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    top = max([v for line in z for v in line if v is not None] or [1.0])
    fig = go.Figure(
        go.Heatmap(
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
            colorbar=dict(title=f"% of<br>{html.escape(unit)}", ticksuffix="%"),
        )
    )
    fig.update_layout(plot_bgcolor="white")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=height or max(360, 30 * len(row_order) + 160))


def change_bars(df: pd.DataFrame, label: str, change: str, text: str, title: str, x_title: str) -> go.Figure:
    """Horizontal bars of a change either side of zero (first row at the top), each labelled with ``text``.

    Rises are solid blue, falls orange with a pattern, so the direction does not rest on colour alone.
    """
    values = df[change].fillna(0)
    rises = (values >= 0).tolist()
    labels = _esc(df[label])
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=values,
            orientation="h",
            marker=_fill([ACCENT if r else "#e08214" for r in rises], ["" if r else "/" for r in rises]),
            text=_esc(df[text]),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    reach = float(values.abs().max() or 1) * 1.6
    fig.update_xaxes(range=[-reach, reach], zeroline=True, zerolinecolor="#262730", zerolinewidth=1)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = _layout(fig, title, x_title, "", height=max(300, 28 * len(df) + 150))
    fig.update_xaxes(showgrid=True, gridcolor="#e6e6e6")
    return fig


def fitted_rate_lines(df: pd.DataFrame, series: str, title: str, y_title: str, k: str = "k", n: str = "n") -> go.Figure:
    """``rate_lines`` with the axis fitted to the data, for rates that never come near 100%."""
    fig = rate_lines(df, series, title, y_title, k=k, n=n)
    top = float((df["upper"] if "upper" in df else df["share"]).max() * 100)
    fig.update_yaxes(range=[0, min(105.0, max(10.0, top * 1.15))])
    return fig
