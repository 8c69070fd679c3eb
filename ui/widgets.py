"""Small page furniture: the header with data freshness, measure cards, downloads, notes."""

import functools
import re

import pandas as pd
import streamlit as st

from findings.words import percent  # noqa: F401 (pages call widgets.percent)
from qa_read import columns, exports
from qa_read.db import Warehouse
from qa_read.stats import SMALL_N
from ui import trail
from ui.text import bold  # noqa: F401 (pages call widgets.bold)

SMALL_N_NOTE = (
    f"Figures resting on fewer than {SMALL_N} audits are greyed out or left blank, and suppressed in downloads."
)


def header(title: str, wh: Warehouse, intro: str = "") -> None:
    """The page's title, and when its data was loaded; ``intro`` is the page's own words (data goes through md)."""
    st.title(title)
    as_of = wh.data_as_of()
    freshness = f"Data as of {as_of:%d %B %Y, %H:%M}" if as_of is not None else "No data loaded yet"
    st.caption(f"{freshness} · {intro}" if intro else freshness)


SHOWN_ROWS = 500  # rows of a list of records drawn on screen; its download holds up to qa_read.db.LIST_ROWS
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRAIL_OFF = ":material/block: {what} off: the access trail cannot be written, and nothing leaves unrecorded."


def downloads(table: exports.Outgoing, name: str, key: str) -> None:
    """CSV and XLSX of exactly what the chart or table shows, suppressed and neutralised by ``exports``.

    The files are built only when a button is clicked: building them on every rerun cost about a tenth of
    each interaction (bench/pages.py)."""
    if not isinstance(table, exports.Outgoing):
        raise TypeError("downloads take an exports.figures(...) or exports.records(...) table")
    if not trail.writable():
        st.caption(TRAIL_OFF.format(what="Downloads are"))
        return
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    with st.container(horizontal=True):
        download("Download CSV", table.csv, f"{slug}.csv", "text/csv", f"{key}-csv", rows=table.rows)
        xlsx = functools.partial(table.xlsx, name)
        download("Download XLSX", xlsx, f"{slug}.xlsx", XLSX_MIME, f"{key}-xlsx", rows=table.rows)


def download(label: str, build, file_name: str, mime: str, key: str, rows: int | None = None, **button) -> None:
    """The dashboard's only download button. ``build`` makes the file's bytes when it is asked for (from an
    ``exports.Outgoing`` or the meeting pack); the file goes out only once the trail has recorded it."""
    deliver = trail.delivery(file_name, rows)
    if deliver is None:
        st.caption(TRAIL_OFF.format(what=f"{label} is"))
        return
    st.download_button(
        label,
        functools.partial(deliver, build),
        file_name,
        mime,
        key=key,
        icon=button.pop("icon", ":material/download:"),
        on_click="ignore",
        **button,
    )


def list_cut(shown: int, total: int, what: str = "This list") -> None:
    """Say so when a list of records stops short of all of them (qa_read.db.LIST_ROWS)."""
    if shown < total:
        st.caption(_holds(what, shown, total))


def _holds(what: str, shown: int, total: int) -> str:
    return f"{what} holds the first {shown:,} of {total:,}. Narrow the filters to see the rest."


def cut_words(fetched: int, total: int, downloaded: bool) -> str | None:
    """What to say when a list drawn at most ``SHOWN_ROWS`` long, of ``fetched`` rows read (the first of ``total``),
    stops short: None when it shows them all. ``downloaded``: whether its download holds the rows read."""
    shown = min(fetched, SHOWN_ROWS)
    if shown >= total:
        return None
    if not downloaded or fetched == shown:
        return _holds("This list", shown, total)
    if fetched >= total:
        return f"This list shows the first {shown:,} of {total:,}; its download holds them all."
    return (
        f"This list shows the first {shown:,} of {total:,}, and its download the first {fetched:,}. Narrow the "
        "filters to see the rest."
    )


def listed(rows: pd.DataFrame, total: int, downloaded: bool = True) -> None:
    """A list of records (the first ``len(rows)`` of ``total``, in the list's order) as a table of at most
    ``SHOWN_ROWS``, saying where it stops short. Thousands more rows on screen cost every rerun (about 70 ms for
    5,000 overdue actions at national scale) and are read only in the download."""
    words = cut_words(len(rows), total, downloaded)
    if words:
        st.caption(words)
    table(rows.head(SHOWN_ROWS))


def scale_picker(available, key: str) -> str:
    """Ofsted first; the assurance scale is offered only where learning-episode data exists."""
    scales = [s for s in ("Ofsted", "Assurance") if s in set(available)] or ["Ofsted"]
    if len(scales) == 1:
        return scales[0]
    return st.segmented_control("Grade scale", scales, default=scales[0], key=key) or scales[0]


def table(df: pd.DataFrame) -> None:
    """Rows as a table people read (``columns.readable``: labels, "–", Yes/No, 01 Dec 2026), text as plain text
    (st.dataframe never renders markdown or HTML)."""
    st.dataframe(columns.readable(df), hide_index=True, width="stretch")


def empty(message: str = "No audits match these filters.") -> None:
    st.info(message, icon=":material/filter_alt_off:")


def rows_withheld(what: str = "The list of individual records") -> None:
    """Said where a row-level list would be, for a reader who may see figures only."""
    st.caption(f":material/visibility_off: {what} is not shown: your role sees figures, not individual records.")
