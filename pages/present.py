"""Present: the meeting pack's slides one per screen, large enough to read from the back of the room.

Left and right arrow keys (or Page Up and Page Down, which presentation clickers send) move between slides,
and the slide number is in the address (``?slide=3``), so a presenter can jump straight to one.
"""

import datetime as dt

import streamlit as st

from qa_read import cycles
from qa_read.filters import Filters
from reports import content
from ui import charts, filters, session, text, widgets

BAR_PX = 64  # the controls bar pinned to the bottom of the screen
# The chart text's size against the pack's 22px on a 1080p projector: titles and footnotes follow the window's
# height (the style below), but a chart's text is set in pixels, so a 4K screen or a long room asks for more.
TEXT_SIZES = {"Standard": 1.0, "Large": 1.5, "Extra large": 2.0}
VISIBLE_PAGES = 7  # slide numbers shown at once: the bar fits one line of a 1280px screen

# Collapse the sidebar (documented), then hide it, its reopen arrow and the header for this page only.
# This styling is injected by this page alone, so the other pages keep their sidebar and header.
# The slide fills the window less the controls bar, which is pinned to the bottom so it is never below the fold;
# title and footnote grow with the window's height, to be read from the back of the room on any projector.
st.set_page_config(initial_sidebar_state="collapsed")
st.html(
    f"""<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {{display: none;}}
    [data-testid="stMainBlockContainer"] {{padding: 0.5rem 1.5rem 0; max-width: 100%;}}
    .st-key-present-screen {{height: calc(100vh - {BAR_PX + 12}px); flex: none !important; overflow: hidden;
        display: grid !important; grid-template-rows: auto minmax(0, 1fr) auto;
        grid-template-columns: minmax(0, 1fr);}}
    .st-key-present-screen > div {{min-height: 0; align-self: stretch;}}
    .st-key-present-screen :is([data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]) {{
        margin-bottom: 0 !important;}}
    .st-key-present-screen :is([data-testid="stFullScreenFrame"], [data-testid="stPlotlyChart"], .js-plotly-plot,
        .plot-container, .svg-container) {{height: 100% !important;}}
    .st-key-present-screen h1 {{font-size: clamp(26px, 4.2vh, 84px); line-height: 1.15; padding: 0;}}
    .st-key-present-screen [data-testid="stCaptionContainer"] p {{font-size: clamp(16px, 2.4vh, 44px);
        line-height: 1.3; margin: 0;}}
    .st-key-present-bar {{position: fixed; left: 0; right: 0; bottom: 0; height: {BAR_PX}px; padding: 0 1.5rem;
        flex-wrap: nowrap; overflow: hidden; background: white; border-top: 1px solid #ddd; z-index: 100;}}
    .st-key-present-pageup, .st-key-present-pagedown {{display: none;}}
    </style>"""
)

wh = session.warehouse()
f = filters.current()
options = cycles.cycles(wh, Filters(scope=f.scope))["cycle"].tolist()[::-1]
if not options:
    widgets.empty("No data is loaded yet.")
    st.stop()
area_options = cycles.service_areas(wh, Filters(scope=f.scope))["service_area"].tolist()


def choices() -> tuple[str, list[str], float]:
    """The cycle and areas (those last chosen on the Meeting pack page, else the latest and the sidebar's), and
    the chart text's scale."""
    meeting = st.session_state.get("meeting", {})
    chosen = meeting.get("cycle")
    with st.popover("Cycle, areas, text", icon=":material/tune:"):
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
        size = st.segmented_control(
            "Chart text",
            list(TEXT_SIZES),
            default="Standard",
            key="present_text",
            bind="query-params",
            help="Extra large doubles the chart text: for a 4K screen, or a room read from far away",
        )
    return cycle, areas, TEXT_SIZES.get(size, 1.0)


def go(step: int, count: int) -> None:
    slide = min(max(1, st.session_state.get("slide", 1) + step), count)
    st.session_state["slide"] = slide


screen = st.container(key="present-screen", gap="small")
bar = st.container(horizontal=True, vertical_alignment="center", key="present-bar")
with bar:
    st.page_link("pages/overview.py", label="Dashboard", icon=":material/close:", help="Leave the presentation")
    cycle, areas, scale = choices()
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
    number = st.pagination(count, key="slide", bind="query-params", max_visible_pages=min(count, VISIBLE_PAGES))
    st.button(
        "Next", key="present-next", on_click=go, args=(1, count), icon=":material/arrow_forward:", shortcut="Right"
    )
    # Clickers send Page Up and Page Down; these twins of the buttons above are hidden (see the style).
    st.button("Previous", key="present-pageup", on_click=go, args=(-1, count), shortcut="PageUp")
    st.button("Next", key="present-pagedown", on_click=go, args=(1, count), shortcut="PageDown")
    st.caption(f"{text.md(pack.cycle)} · {text.md(pack.areas_label)} · {content.MARKING}")

section = slides[number - 1]
with screen:
    # The finding is the slide's heading, above a chart or table that takes the height left and a footnote.
    st.title(text.md(section.title + (f" ({section.part})" if section.part else "")), anchor=False)
    if section.chart is not None:
        figure = charts.pack_chart(section.chart, "")
    else:
        figure = charts.pack_table(section.table, "")
    st.plotly_chart(
        charts.projector(figure, height=None, scale=scale),
        config={"displayModeBar": False, "responsive": True},
        height="stretch",
        alt=section.alt,
        key=f"present-{number}",
    )
    st.caption(text.md(section.note))
