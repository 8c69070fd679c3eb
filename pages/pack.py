"""Meeting pack: the practice progress meeting's slides for one cycle, as PowerPoint or PDF, in one click."""

import datetime as dt

import streamlit as st

from qa_read import cycles, themes
from qa_read.filters import Filters
from reports import content, pdf, pptx
from ui import filters, session, trail, widgets

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Meeting pack",
    wh,
    "Slides for the practice progress meeting: this cycle against the one before, ready to edit in PowerPoint.",
)

options = cycles.cycles(wh, Filters(scope=f.scope))["cycle"].tolist()[::-1]
if not options:
    widgets.empty("No data is loaded yet.")
    st.stop()
left, right = st.columns([1, 2])
cycle = left.selectbox(
    "Cycle",
    options,
    key="pack_cycle",
    bind="query-params",
    persist_state="session",
    help="Compared with the cycle before",
)
areas = right.multiselect(
    "Service areas",
    cycles.service_areas(wh, Filters(scope=f.scope))["service_area"].tolist(),
    default=None if "pack_area" in st.session_state else list(f.service_areas),
    key="pack_area",
    bind="query-params",
    placeholder="All service areas",
)

quotes_from = st.multiselect(
    "Themes and quotes from",
    themes.SOURCES,
    default=list(content.QUOTE_SOURCES),
    format_func=themes.SOURCE_LABELS.get,
    key="pack_quotes",
    help="Audit comments carry auditors' action instructions, so they are left out unless chosen.",
) or list(content.QUOTE_SOURCES)

# The Present page starts from these choices (its own widgets carry them in its address).
st.session_state["meeting"] = {"cycle": cycle, "areas": list(areas), "quotes": quotes_from}
pack = content.build(wh, cycle, areas, today=dt.date.today(), scope=f.scope, quotes_from=quotes_from)
slides = pack.slides()

with st.container(horizontal=True):
    # ``data`` as a function: the file is made when the button is clicked, not on every rerun.
    st.download_button(
        "Download PowerPoint",
        lambda: pptx.render(pack),
        pack.file_name("pptx"),
        PPTX_MIME,
        key="pack-pptx",
        type="primary",
        icon=":material/slideshow:",
        on_click=trail.downloaded,
        args=(pack.file_name("pptx"),),
    )
    st.download_button(
        "Download PDF",
        lambda: pdf.render(pack),
        pack.file_name("pdf"),
        "application/pdf",
        key="pack-pdf",
        icon=":material/picture_as_pdf:",
        on_click=trail.downloaded,
        args=(pack.file_name("pdf"),),
    )
    st.page_link(
        "pages/present.py",
        label="Present on screen",
        icon=":material/present_to_all:",
        query_params={"present_cycle": cycle, "present_area": areas},
    )
st.caption(
    f"{len(slides) + 2} slides: a title slide, then the slides below, then notes and definitions. "
    f"Marked {content.MARKING}. " + widgets.SMALL_N_NOTE
)

st.subheader(f"In the pack: {pack.title}, {pack.areas_label}")
for number, section in enumerate(slides, start=2):
    heading = section.heading + (f" ({section.part})" if section.part else "")
    st.markdown(f"{number}\\. {widgets.escape(heading)}: {widgets.bold(section.title)}")
