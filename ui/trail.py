"""Recording the access trail from the dashboard: page views, downloads and uploads (``qa_read.trail`` writes).

A trail that cannot be written is logged (without the user) and, in sign-in mode, stops the page: the
dashboard does not show data it cannot account for. In local mode the sidebar warns instead.
"""

import pandas as pd
import streamlit as st

from qa_read import trail
from ui import access
from ui.trail_file import path, write

_PAGE_KEY, _TITLE_KEY = "_qa_trail_page", "_qa_trail_title"


def viewed(page) -> None:
    """Record the page the reader is on, once each time they change page (not on every rerun)."""
    st.session_state[_TITLE_KEY] = page.title  # for downloads and uploads made on it
    if st.session_state.get(_PAGE_KEY) == page.url_path:
        return
    who = access.current()
    if write("view", who.email, who.role, page=page.title):
        st.session_state[_PAGE_KEY] = page.url_path
    elif access.signing_in():
        st.error(f"The access trail cannot be written ({path()}), so the dashboard shows nothing.")
        st.stop()
    else:
        st.sidebar.warning("The access trail cannot be written: see the server's log.", icon=":material/warning:")


def downloaded(file_name: str, rows: int | None = None) -> None:
    """``st.download_button`` callback: who downloaded which file, of how many rows (None: not a table)."""
    who = access.current()
    rows = None if rows is None else int(rows)
    write("download", who.email, who.role, page=_page_title(), file=file_name, rows=rows)


def uploaded(results) -> None:
    """One entry per file the Data page loaded (``data_pipeline.ingest.FileResult``), with its outcome."""
    who = access.current()
    for r in results:
        outcome = f"refused: {r.error}" if r.error else f"loaded {r.rows_loaded} rows, rejected {r.rows_rejected}"
        write("upload", who.email, who.role, page=_page_title(), file=r.file_name, sha256=r.sha256, outcome=outcome)


def entries() -> pd.DataFrame:
    """The whole trail, newest first (``qa_read.trail.read``)."""
    return trail.read(path())


def _page_title() -> str | None:
    return st.session_state.get(_TITLE_KEY)
