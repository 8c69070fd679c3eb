"""Recording the access trail from the dashboard: page views, downloads and uploads (``data_pipeline.trail`` writes).

A trail that cannot be written is logged (without the user) and, in sign-in mode, stops the page: the
dashboard does not show data it cannot account for. In local mode the sidebar warns instead.
"""

import functools
import json
import logging
import time

import pandas as pd
import streamlit as st

from data_pipeline import trail
from qa_read.filters import Filters
from ui import access, text
from ui.trail_file import path, write

log = logging.getLogger(__name__)
_PAGE_KEY, _TITLE_KEY = "_qa_trail_page", "_qa_trail_title"
RECHECK = 5.0  # seconds
_WRITABLE_AT: dict[str, float] = {}  # trail path: when it was last found writable


def viewed(page, filters: Filters) -> None:
    """Record the page the reader is on and the sidebar's filters, once each time either changes (not on
    every rerun)."""
    st.session_state[_TITLE_KEY] = page.title  # for downloads and uploads made on it
    chosen = chosen_filters(filters)
    seen = (page.url_path, json.dumps(chosen, sort_keys=True))
    if st.session_state.get(_PAGE_KEY) == seen:
        return
    who = access.current()
    if write("view", who.email, who.role, page=page.title, filters=chosen or None):
        st.session_state[_PAGE_KEY] = seen
    elif access.signing_in():
        st.error(f"The access trail cannot be written ({text.md(path())}), so the dashboard shows nothing.")
        st.stop()
    else:
        st.sidebar.warning("The access trail cannot be written: see the server's log.", icon=":material/warning:")


def chosen_filters(f: Filters) -> dict:
    """The filters the reader chose (those left at "all" are left out), as the trail records them."""
    chosen = {
        "service_areas": list(f.service_areas),
        "teams": list(f.teams),
        "case_types": list(f.case_types),
        "cycles": [f.cycle_from, f.cycle_to] if f.cycle_from or f.cycle_to else [],
        "tool": f.instrument,
    }
    return {name: value for name, value in chosen.items() if value}


def delivery(file_name: str, rows: int | None = None):
    """For a download button: a function that builds the file and records its delivery, or None when the
    trail cannot be written now (the button is then not offered).

    Streamlit runs a download's ``data`` function on its own thread, outside the session, when the reader
    asks for the file; who and where are taken now. Should the trail fail by then, the function raises and
    no file is served (the reader sees that the download failed)."""
    if not writable():
        return None
    who, rows = access.current(), None if rows is None else int(rows)
    return functools.partial(deliver, who.email, who.role, _page_title(), file_name, rows)


def deliver(user: str, role: str, page: str | None, file_name: str, rows: int | None, build) -> bytes:
    """Build the file, record its delivery, and hand it over; raise ``TrailUnwritable`` if it cannot be recorded."""
    data = build()
    if not write("download", user, role, page=page, file=file_name, rows=rows):
        raise TrailUnwritable(f"{file_name} refused: the access trail cannot be written")
    return data


class TrailUnwritable(RuntimeError):
    """A file was asked for, but its delivery could not be recorded: it is not served."""


def writable() -> bool:
    """Whether an entry could be appended now (the file is opened for appending, nothing is written).

    Only whether download buttons are drawn: a file goes out once its delivery is recorded (``delivery``),
    however this answered. So a trail found writable is taken as writable for ``RECHECK`` seconds, rather than
    opened again for each of a page's buttons on every rerun."""
    where = str(path())
    if time.monotonic() - _WRITABLE_AT.get(where, -RECHECK) < RECHECK:
        return True
    try:
        trail.touch(where)
    except OSError as exc:
        _WRITABLE_AT.pop(where, None)
        log.warning("cannot write the access trail %s: %s", where, exc.strerror or exc)
        return False
    _WRITABLE_AT[where] = time.monotonic()
    return True


def uploaded(results) -> None:
    """One entry per file the Data page loaded (``data_pipeline.ingest.FileResult``), with its outcome."""
    who = access.current()
    try:
        trail.loaded("upload", who.email, results, who.role, _page_title())
    except OSError as exc:
        log.warning("cannot write the access trail %s: %s", path(), exc.strerror or exc)


def entries() -> pd.DataFrame:
    """The whole trail, newest first (``data_pipeline.trail.read``)."""
    return trail.read(path())


def _page_title() -> str | None:
    return st.session_state.get(_TITLE_KEY)
