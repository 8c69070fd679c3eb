"""The meeting pack on a projector (pages/present.py): its charts and tables, one per screen.

Sized for a 1920x1080 projector read from the back of a room: 40px titles, 22px text."""

import plotly.graph_objects as go

from reports import fit
from ui.charts.base import FONT, INK, fill, horizontal_axes, inert, layout_dict, merge, text_on, wrap
from ui.palette import ACCENT

PROJECTOR_TITLE_SIZE = 40
PROJECTOR_TEXT_SIZE = 22
PROJECTOR_HEIGHT = 930
# About this many characters of a 40px title fit across a 1920px screen.
PROJECTOR_TITLE_CHARS = 92


def projector(fig: go.Figure, height: int | None = PROJECTOR_HEIGHT, scale: float = 1.0) -> go.Figure:
    """The figure restyled for projection: large title, axis and label text, room for a two-line title.

    ``height=None`` leaves the height to the container (Present sizes it to the window); the title is then
    pinned below the top by pixels rather than by a share of a height not yet known. ``scale`` multiplies every
    text size (and the room kept for it): Present's text size, for a 4K screen or a long room.

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
    size = round(PROJECTOR_TEXT_SIZE * scale)
    text = dict(size=size)
    axis = dict(title=dict(font=dict(size=size + 2, color=INK)), tickfont=dict(text, color=INK))
    layout = merge(
        layout,
        dict(
            font=dict(FONT, size=size),
            # Plotly anchors a multi-line title's "top" at its first line, so centre it on its known height instead.
            title=dict(
                font=dict(size=round(PROJECTOR_TITLE_SIZE * scale)),
                x=0,
                xanchor="left",
                yref="container",
                y=1 - (12 + lines * 25) / height if height else 1,
                yanchor="middle" if height else "top",
                pad=None if height else dict(t=12),
            ),
            height=height,
            margin=dict(l=20, r=20, t=round(30 + (52 * lines + (50 if legend else 10)) * scale), b=20),
            legend=dict(font=text, y=1.0, yanchor="bottom", traceorder="normal"),
            hoverlabel=dict(font=text),
            xaxis=axis,
            yaxis=axis,
        ),
    )
    if "annotations" in layout:
        layout["annotations"] = [merge(note, dict(font=text)) for note in layout["annotations"]]
    rows = dict(header=dict(font=text, height=round(44 * scale)), cells=dict(font=text, height=round(40 * scale)))
    restyle = {"bar": dict(textfont=text), "scatter": dict(textfont=text), "table": rows}
    traces = [merge(t, restyle[t["type"]]) if t["type"] in restyle else t for t in traces]
    return go.Figure(data=traces, layout=layout)


def pack_chart(chart, title: str) -> go.Figure:
    """A meeting-pack chart (``reports.content.Chart``) as Plotly: the pack's series, colours, patterns and labels.

    Suppressed values are None in the chart and so are simply not drawn; their categories say "n<5".
    """
    categories = [inert(c).replace("\n", "<br>") for c in chart.categories]
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
                    text=inert(text),
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
                marker=fill(series.colour, series.pattern) if series.pattern else dict(color=series.colour),
                text=labels,
                textposition="inside" if stacked else "outside",
                insidetextanchor="middle",
                # Bar text has no box: inside a bar it is white or black, whichever reads on the grade's colour.
                textfont=dict(color=text_on(series.colour) if stacked else INK),
                cliponaxis=False,
                hovertemplate="%{fullData.name}: %{text}<extra></extra>",
            )
        )
    overrides = dict(title=dict(text=wrap(title, PROJECTOR_TITLE_CHARS)), uniformtext=dict(minsize=16, mode="hide"))
    if stacked:
        overrides["barmode"] = "stack"
    elif chart.kind in ("bar", "column"):
        overrides["barmode"] = "group"
    if notes:
        overrides["annotations"] = notes
    percent = dict(range=[0, 100 if chart.kind == "stacked_100" else 105], ticksuffix="%") if chart.percent else {}
    if chart.kind == "bar":
        layout = layout_dict("", chart.y_title, chart.x_title, **horizontal_axes(**percent), **overrides)
    else:
        layout = layout_dict("", chart.x_title, chart.y_title, yaxis=percent, **overrides)
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
    font_colours = [[text_on(shade) for shade in column] for column in fills]
    weights = list(table.widths) if table.widths else None
    cells = dict(
        type="table",
        columnwidth=weights,
        header=dict(
            values=[f"<b>{wrap(c, fit.HEADER_CHARS)}</b>" for c in table.columns],
            fill=dict(color=ACCENT),
            font=dict(color="white", size=PROJECTOR_TEXT_SIZE),
            align="left",
            height=44,
        ),
        cells=dict(
            values=[[inert(v) for v in column] for column in columns],
            fill=dict(color=fills),
            font=dict(color=font_colours, size=PROJECTOR_TEXT_SIZE),
            align="left",
            height=40,
        ),
    )
    # Without a title of its own (Present puts the finding above it) the table starts at the top.
    top = 70 if title else 10
    layout = dict(title=dict(text=wrap(title, PROJECTOR_TITLE_CHARS)), font=FONT, margin=dict(l=10, r=10, t=top, b=10))
    return go.Figure(data=[cells], layout=layout)
