"""Small page furniture: the header with data freshness, measure cards, downloads, notes."""

import functools
import re

import pandas as pd
import streamlit as st

from findings.words import percent  # noqa: F401 (pages call widgets.percent)
from qa_read import exports
from qa_read.db import Warehouse
from qa_read.stats import SMALL_N
from ui import trail
from ui.text import bold, escape  # noqa: F401 (pages call widgets.escape and widgets.bold)

SMALL_N_NOTE = (
    f"Figures resting on fewer than {SMALL_N} audits are greyed out or left blank, and suppressed in downloads."
)


def header(title: str, wh: Warehouse, intro: str = "") -> None:
    st.title(title)
    as_of = wh.data_as_of()
    freshness = f"Data as of {as_of:%d %B %Y, %H:%M}" if as_of is not None else "No data loaded yet"
    st.caption(f"{freshness} · {intro}" if intro else freshness)


def downloads(df: pd.DataFrame, name: str, key: str, suppress: tuple[str, list[str]] | None = None) -> None:
    """CSV and XLSX of exactly what the chart or table shows, neutralised for spreadsheets.

    ``suppress`` is (denominator column, columns to blank) for figures that rest on small numbers.
    The files, suppression included, are built only when a button is clicked: building them on every
    rerun cost about a tenth of each interaction (bench/pages.py)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        functools.partial(_file, exports.to_csv_bytes, df, suppress),
        f"{slug}.csv",
        "text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
        on_click=trail.downloaded,
        args=(f"{slug}.csv", len(df)),
    )
    right.download_button(
        "Download XLSX",
        functools.partial(_file, functools.partial(exports.to_xlsx_bytes, sheet_name=name), df, suppress),
        f"{slug}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        icon=":material/download:",
        on_click=trail.downloaded,
        args=(f"{slug}.xlsx", len(df)),
    )


def _file(write, df: pd.DataFrame, suppress: tuple[str, list[str]] | None) -> bytes:
    return write(exports.suppress_small_numbers(df, *suppress) if suppress else df)


def list_cut(shown: int, total: int, what: str = "This list") -> None:
    """Say so when a list of records stops short of all of them (qa_read.db.LIST_ROWS)."""
    if shown < total:
        st.caption(f"{what} holds the first {shown:,} of {total:,}. Narrow the filters to see the rest.")


def scale_picker(available, key: str) -> str:
    """Ofsted first; the assurance scale is offered only where learning-episode data exists."""
    scales = [s for s in ("Ofsted", "Assurance") if s in set(available)] or ["Ofsted"]
    if len(scales) == 1:
        return scales[0]
    return st.segmented_control("Grade scale", scales, default=scales[0], key=key) or scales[0]


def table(df: pd.DataFrame) -> None:
    """Rows as a table: dates as dates, text as plain text (st.dataframe never renders markdown or HTML)."""
    config = {
        column: st.column_config.DateColumn(format="YYYY-MM-DD")
        for column in df.columns
        if pd.api.types.is_datetime64_any_dtype(df[column])
    }
    st.dataframe(df, hide_index=True, width="stretch", column_config=config)


def empty(message: str = "No audits match these filters.") -> None:
    st.info(message, icon=":material/filter_alt_off:")


def rows_withheld(what: str = "The list of individual records") -> None:
    """Said where a row-level list would be, for a reader who may see figures only."""
    st.caption(f":material/visibility_off: {what} is not shown: your role sees figures, not individual records.")
