"""Present: the meeting pack's slides one per screen, large enough to read from the back of the room.

Left and right arrow keys (or Page Up and Page Down, which presentation clickers send) move between slides,
and the slide number is in the address (``?slide=3``), so a presenter can jump straight to one.
"""

import datetime as dt

import streamlit as st

from qa_read import cycles
from qa_read.filters import Filters
from reports import content
from ui import charts, filters, session, widgets

# Collapse the sidebar (documented), then hide it, its reopen arrow and the header for this page only.
# This styling is injected by this page alone, so the other pages keep their sidebar and header.
st.set_page_config(initial_sidebar_state="collapsed")
st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
    [data-testid="stMainBlockContainer"] {padding: 0.75rem 1.5rem 0; max-width: 100%;}
    .st-key-present-pageup, .st-key-present-pagedown {display: none;}
    </style>"""
)

# About this many characters of the heading fit on one line of a 1920px screen.
TITLE_CHARS = 80

wh = session.warehouse()
f = filters.current()
options = cycles.cycles(wh, Filters(scope=f.scope))["cycle"].tolist()[::-1]
if not options:
    widgets.empty("No data is loaded yet.")
    st.stop()
area_options = cycles.service_areas(wh, Filters(scope=f.scope))["service_area"].tolist()


def choices() -> tuple[str, list[str]]:
    """The cycle and areas: those last chosen on the Meeting pack page, else the latest and the sidebar's."""
    meeting = st.session_state.get("meeting", {})
    chosen = meeting.get("cycle")
    with st.popover("Cycle and areas", icon=":material/tune:"):
        cycle = st.selectbox(
            "Cycle",
            options,
            index=options.index(chosen) if chosen in options else 0,
            key="present_cycle",
            bind="query-params",
        )
        areas = st.multiselect(
            "Service areas",
            area_options,
            default=[a for a in meeting.get("areas", f.service_areas) if a in area_options],
            key="present_area",
            bind="query-params",
            placeholder="All service areas",
        )
    return cycle, areas


def go(step: int, count: int) -> None:
    slide = min(max(1, st.session_state.get("slide", 1) + step), count)
    st.session_state["slide"] = slide


screen = st.container()
bar = st.container(horizontal=True, vertical_alignment="center")
with bar:
    cycle, areas = choices()
quotes_from = st.session_state.get("meeting", {}).get("quotes") or content.QUOTE_SOURCES
pack = content.build(wh, cycle, areas, today=dt.date.today(), scope=f.scope, quotes_from=quotes_from)
slides = pack.slides()
count = len(slides)
# A slide number past the end (the address, or a pack that shrank) shows the last slide.
requested = st.session_state.get("slide", st.query_params.get("slide", "1"))
if not str(requested).isdigit() or not 1 <= int(requested) <= count:
    st.session_state["slide"] = count if str(requested).isdigit() and int(requested) > count else 1

with bar:
    st.button(
        "Previous", key="present-prev", on_click=go, args=(-1, count), icon=":material/arrow_back:", shortcut="Left"
    )
    number = st.pagination(count, key="slide", bind="query-params", max_visible_pages=count)
    st.button(
        "Next", key="present-next", on_click=go, args=(1, count), icon=":material/arrow_forward:", shortcut="Right"
    )
    # Clickers send Page Up and Page Down; these twins of the buttons above are hidden (see the style).
    st.button("Previous", key="present-pageup", on_click=go, args=(-1, count), shortcut="PageUp")
    st.button("Next", key="present-pagedown", on_click=go, args=(1, count), shortcut="PageDown")
    st.caption(f"{pack.cycle} · {pack.areas_label} · {content.MARKING}")

section = slides[number - 1]
with screen:
    # The finding is the page's heading (an <h1>, about 44px), above a chart that fills the rest of the screen.
    st.title(section.title, anchor=False)
    if section.chart is not None:
        figure = charts.pack_chart(section.chart, "")
    else:
        figure = charts.pack_table(section.table, "")
    title_lines = -(-len(section.title) // TITLE_CHARS)
    st.plotly_chart(
        charts.projector(figure, height=charts.PROJECTOR_HEIGHT - 60 * title_lines),
        config={"displayModeBar": False},
        alt=section.alt,
        key=f"present-{number}",
    )
    st.caption(section.note)
