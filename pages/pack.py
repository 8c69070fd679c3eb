"""Meeting pack: the practice progress meeting's slides for one cycle, as PowerPoint or PDF, in one click."""

import datetime as dt

import streamlit as st

from qa_read import cycles, themes
from qa_read.filters import Filters
from reports import content
from ui import filters, session, text, widgets

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


# The renderers are imported when a button is clicked: python-pptx, lxml and reportlab take a third of a second
# to import, which the page's first load would otherwise wait for (docs/performance.md).
def powerpoint(pack: content.Pack) -> bytes:
    from reports import pptx

    return pptx.render(pack)


def pdf_file(pack: content.Pack) -> bytes:
    from reports import pdf

    return pdf.render(pack)


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
    # The pack's figures were suppressed when its content was built (reports.content); the files are made
    # when a button is clicked, not on every rerun.
    widgets.download(
        "Download PowerPoint",
        lambda: powerpoint(pack),
        pack.file_name("pptx"),
        PPTX_MIME,
        "pack-pptx",
        type="primary",
        icon=":material/slideshow:",
    )
    widgets.download(
        "Download PDF",
        lambda: pdf_file(pack),
        pack.file_name("pdf"),
        "application/pdf",
        "pack-pdf",
        icon=":material/picture_as_pdf:",
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

st.subheader(f"In the pack: {text.md(pack.title)}, {text.md(pack.areas_label)}")
for number, section in enumerate(slides, start=2):
    heading = section.heading + (f" ({section.part})" if section.part else "")
    st.markdown(f"{number}\\. {text.md(heading)}: {text.bold(section.title)}")
