"""The sidebar's global filters. Each widget is bound to a URL query parameter, so the address
shares the filtered view, and lives in the entry script, so the choice holds across pages.

The reader's scope (ui.access) limits the options offered and is part of every ``Filters`` returned, so an
address naming another team (``?team=...``) widens nothing: the bound widget drops a value that is not
among its options, and the query layer ANDs the scope in anyway.
"""

import streamlit as st

from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters
from ui import access

ALL_TOOLS = "All audit tools"
KEYS = ("area", "team", "case", "cycles", "tool")


def sidebar(wh: Warehouse) -> Filters:
    """Draw the filters, their options limited to the reader's scope, and return what they select."""
    scope = access.scope()
    base = Filters(scope=scope)
    cycle_labels = cycles.cycles(wh, base)["cycle"].tolist()
    with st.sidebar:
        st.header("Filters")
        areas = st.multiselect(
            "Service area",
            cycles.service_areas(wh, base)["service_area"].tolist(),
            key="area",
            bind="query-params",
            placeholder="All service areas",
        )
        team_options = cycles.teams(wh, Filters(service_areas=tuple(areas), scope=scope))["team"].tolist()
        st.multiselect("Team", team_options, key="team", bind="query-params", placeholder="All teams")
        st.multiselect(
            "Case type",
            cycles.case_types(wh, base)["case_type"].tolist(),
            key="case",
            bind="query-params",
            placeholder="All case types",
        )
        if len(cycle_labels) > 1:
            extent = (cycle_labels[0], cycle_labels[-1])
            st.select_slider("Cycles", cycle_labels, value=extent, key="cycles", bind="query-params")
            # The full range means "no bound": measures as at today rather than at the last cycle's end.
            st.session_state["cycle_extent"] = extent
        tools = [ALL_TOOLS, *cycles.instruments(wh, base)["instrument"].tolist()]
        st.selectbox("Audit tool", tools, key="tool", bind="query-params")
    return current()


def current() -> Filters:
    """The filters as the widgets hold them now, within the reader's scope (pages call this; the sidebar
    draws them)."""
    state = st.session_state
    cycle_range = tuple(state.get("cycles") or (None, None))
    if cycle_range == tuple(state.get("cycle_extent") or ()):
        cycle_range = (None, None)
    tool = state.get("tool")
    return Filters(
        service_areas=tuple(state.get("area") or ()),
        teams=tuple(state.get("team") or ()),
        case_types=tuple(state.get("case") or ()),
        cycle_from=cycle_range[0],
        cycle_to=cycle_range[1],
        instrument=None if tool in (None, ALL_TOOLS) else tool,
        scope=access.scope(),
    )
