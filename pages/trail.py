"""Access trail: who viewed which page, downloaded what and loaded which file, and when. Analysts only."""

import datetime as dt

import streamlit as st

from qa_read import exports
from qa_read.access import ROLE_LABELS
from ui import session, trail, widgets

EVENTS = {
    "view": "Viewed a page",
    "download": "Downloaded a file",
    "upload": "Loaded an export",
    "ingest": "Loaded an export (command line)",
    "rebuild": "Rebuilt the warehouse (command line)",
    "denied": "Signed in without access",
    "sign-out": "Signed out",
}
COLUMNS = {
    "at": "When (UTC)",
    "user": "Who",
    "role": "Role",
    "event": "What",
    "page": "Page",
    "filters": "Filters",
    "file": "File",
    "rows": "Rows",
    "outcome": "Outcome",
    "sha256": "SHA-256",
}

session.warehouse()
st.title("Access trail")
st.caption(
    "Every page view (with its filters), download, upload, command-line ingest and rebuild, sign-in without "
    "access and sign-out, newest first. Times are UTC. "
    f"The trail is kept in {trail.path()} and holds each user's e-mail address: treat it as personal data."
)

entries = trail.entries()
if entries.empty:
    widgets.empty("Nothing has been recorded yet.")
    st.stop()

first, last = entries["at"].min().date(), entries["at"].max().date()
left, middle, right = st.columns([2, 2, 3])
people = left.multiselect("Who", sorted(entries["user"].dropna().unique()), placeholder="Everyone", key="trail_who")
events = middle.multiselect("What", list(EVENTS), format_func=EVENTS.get, placeholder="Everything", key="trail_what")
days = right.date_input(
    "Between", (max(first, last - dt.timedelta(days=30)), last), min_value=first, max_value=last, key="trail_days"
)
search = st.text_input("Page, file or filter contains", key="trail_search", placeholder="e.g. overdue actions")

shown = entries
if people:
    shown = shown[shown["user"].isin(people)]
if events:
    shown = shown[shown["event"].isin(events)]
if isinstance(days, tuple) and len(days) == 2:
    on = shown["at"].dt.date
    shown = shown[(on >= days[0]) & (on <= days[1])]
if search:
    text = shown["page"].fillna("") + " " + shown["file"].fillna("") + " " + shown["filters"].fillna("")
    shown = shown[text.str.contains(search, case=False, regex=False)]

counts = shown["event"].value_counts()
a, b, c, d = st.columns(4)
a.metric("Entries", f"{len(shown)}")
b.metric("People", f"{shown['user'].nunique()}")
c.metric("Downloads", f"{counts.get('download', 0)}")
d.metric("Uploads", f"{counts.get('upload', 0)}")
denied = shown.loc[shown["event"] == "denied", "user"].nunique()
if denied:
    st.warning(
        f"{denied} {'person' if denied == 1 else 'people'} signed in with no role: add them to the roles file if "
        "they should have access.",
        icon=":material/person_off:",
    )

table = shown.assign(
    at=shown["at"].dt.tz_localize(None),
    event=shown["event"].map(EVENTS).fillna(shown["event"]),
    role=shown["role"].map(ROLE_LABELS).fillna(""),
)
table = table[list(COLUMNS)].rename(columns=COLUMNS)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={COLUMNS["at"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")},
    placeholder="",
)
widgets.downloads(exports.records(table), "access trail", "trail")
