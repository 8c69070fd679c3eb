"""What every chart shares: the base layout, text escaping and wrapping, fills, intervals and label text.

Layouts are plain nested dicts, merged key by key: building a figure once from dicts is several times cheaper
than Plotly's ``update_*`` calls (see ``ui/charts/__init__.py``).
"""

import html

import pandas as pd

from ui.palette import DIVERGING_SCALE, HEAT_SCALE, INK, text_on  # noqa: F401 (the charts import the scales and text_on from here)

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color=INK)
GRID = "#e6e6e6"
# Rate axes run past 100% to leave room for labels, but are ticked only up to 100%.
PERCENT_TICKS = dict(tickvals=[0, 20, 40, 60, 80, 100], ticktext=[f"{v}%" for v in range(0, 101, 20)])


def merge(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` laid over it, nested dicts merged key by key (as ``update_layout`` does)."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


TITLE_CHARS = 90  # of a 19px bold title across a chart on a 1366px screen beside the sidebar (about 900px)


def layout_dict(title: str, /, x_title: str = "", y_title: str = "", height: int = 420, **overrides) -> dict:
    """The layout every chart shares, with the chart's own ``overrides`` (nested dicts) merged over it."""
    # Streamlit's chart theme greys axis text to about 3.7:1 contrast; set it to pass WCAG AA.
    x_text = dict(title=dict(text=x_title, font=dict(color=INK)), tickfont=dict(color=INK))
    y_text = dict(title=dict(text=y_title, font=dict(color=INK)), tickfont=dict(color=INK))
    # Plotly never wraps a title: a long finding ran off the chart's right edge on a 1366px screen.
    text = wrap(title, TITLE_CHARS)
    base = dict(
        # Pinned to the top, so a second line grows down into the margin made for it, clear of the legend.
        title=dict(
            text=text, x=0, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=14), font=dict(size=19)
        ),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=70 + 24 * text.count("<br>"), b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=dict(text="")),
        hoverlabel=dict(font=dict(size=14)),
        xaxis=dict(x_text, showgrid=False),
        yaxis=dict(y_text, gridcolor=GRID),
    )
    return merge(base, overrides)


def horizontal_axes(**xaxis) -> dict:
    """Axes for horizontal bars: read top to bottom, with vertical grid lines to read their lengths against."""
    return dict(xaxis=dict(showgrid=True, gridcolor=GRID, **xaxis), yaxis=dict(autorange="reversed", showgrid=False))


def inert(value) -> str:
    """``value`` as text Plotly shows as written: the one escaping of data for charts. Plotly reads a few HTML tags
    in labels, so ``<``, ``>`` and ``&`` are escaped; quotes are not, as Plotly shows ``&quot;`` as written."""
    return html.escape(str(value), quote=False)


def esc(values) -> list[str]:
    return [inert(v) for v in values]


def wrap(label, width: int = 16) -> str:
    """An escaped label broken onto lines of about ``width`` characters: long names fit narrow columns, and
    Plotly titles never wrap by themselves."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(inert(part) for part in [*lines, line])


def label_width(count: int) -> int:
    """Characters per line for each of ``count`` category labels side by side, so they do not run into each other
    on a 1366px screen (a plot about 880px wide at 12px text): 11 PLD themes get 9, a handful keep 16."""
    return max(8, min(16, 100 // max(count, 1)))


def fill(colour, pattern) -> dict:
    """A solid fill with a white pattern laid over it (``overlay``: without it the pattern replaces the fill)."""
    return dict(color=colour, pattern=dict(shape=pattern, fillmode="overlay", fgcolor="white", size=8, solidity=0.25))


def interval(df: pd.DataFrame, share: pd.Series, colour: str = INK) -> dict | None:
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


def rate_labels(df: pd.DataFrame, share: pd.Series, k: str = "k", n: str = "n") -> tuple[list, list[str]]:
    """Where each bar's label goes (past the end of its interval, so the two never cross) and what it says."""
    end = (df["upper"] * 100 if "upper" in df else share).fillna(0).clip(lower=share.fillna(0))
    text = [
        "none" if pd.isna(s) else f" {s:.0f}% ({a} of {b})" + (" small n" if small else "")
        for a, b, s, small in zip(df[k], df[n], share, df["small_n"].astype(bool), strict=True)
    ]
    return end.tolist(), text


def label_trace(x, y, text: list[str], position: str) -> dict:
    """Text-only scatter placing each bar's label past the end of its interval, out of the hover."""
    return dict(
        type="scatter",
        name="Labels",
        x=x,
        y=y,
        mode="text",
        text=text,
        textposition=position,
        hoverinfo="skip",
        showlegend=False,
    )
