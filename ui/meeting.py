"""The pack a Meetings page (Meeting pack, Present) is about to show, begun before the sidebar and the page draw.

A first view after a restart builds the whole pack, about a second at national scale (docs/performance.md).
Begun here, on a thread of its own, it overlaps with drawing the rest of the run; the page's own
``content.build`` call then waits for it rather than building it twice (``qa_read.db.Warehouse.cached``).
The guess is the page's default: the cycle and areas in the address, else the latest cycle and the sidebar's
areas. A page that asks for another pack builds that one; the guess is simply not used.
"""

import datetime as dt
import logging
import threading

import streamlit as st

from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from reports import content

log = logging.getLogger(__name__)
# Each page's address keys for its cycle and service areas (the widgets' ``bind="query-params"`` keys).
PAGES = {"pack": ("pack_cycle", "pack_area"), "present": ("present_cycle", "present_area")}


def start(page: str, wh: Warehouse, scope: Scope | None) -> None:
    """Begin building the pack ``page`` (a url path) will most likely ask for; nothing for other pages."""
    if page not in PAGES:
        return
    cycle_key, area_key = PAGES[page]
    options = cycles.cycles(wh, Filters(scope=scope))["cycle"].tolist()
    cycle = st.query_params.get(cycle_key) or (options[-1] if options else None)
    if cycle not in options:
        return
    areas = tuple(st.query_params.get_all(area_key) or st.query_params.get_all("area"))
    threading.Thread(target=_build, args=(wh, cycle, areas, scope), daemon=True, name="meeting-pack").start()


def _build(wh: Warehouse, cycle: str, areas: tuple, scope: Scope | None) -> None:
    try:
        content.build(wh, cycle, areas, today=dt.date.today(), scope=scope, quotes_from=content.QUOTE_SOURCES)
    except Exception:  # the page's own call builds it again and shows what went wrong
        log.exception("building the meeting pack ahead of the page failed")
