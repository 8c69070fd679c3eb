"""Learning loop: has each finding been acted on, and did the action lead to an improvement? Open loops first."""

import streamlit as st

from qa_read import exports, loop
from qa_read.stats import SMALL_N
from ui import charts, filters, session, widgets

STATES = {  # column -> (legend, colour, pattern): open loops in warm colours with patterns, closed ones cool
    loop.NO_ACTION: (loop.NO_ACTION, charts.ACTION_STATES["overdue"][1], "x"),
    loop.OPEN: (loop.OPEN, "#E69F00", "/"),
    loop.DONE: (loop.DONE, "#bdbdbd", "."),
    loop.NOT_IMPROVED: (loop.NOT_IMPROVED, "#CC79A7", ""),
    loop.CANNOT_COMPARE: (loop.CANNOT_COMPARE, "#f0f0f0", "."),
    loop.IMPROVED: (loop.IMPROVED, charts.ACCENT, ""),
}
COLUMNS = {
    "kind": "Finding",
    "service_area": "Service area",
    "cycle": "Cycle raised",
    "subject": "Theme, area or audit",
    "actions": "Actions linked",
    "open_actions": "Actions open",
    "last_completed": "Last action done",
    "state": "State",
    "evidence": "Evidence",
}

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Learning loop",
    wh,
    "Each finding, the actions raised from it, and whether practice was examined again and improved.",
)
st.caption(
    f"Findings: PLD themes, areas of practice under {loop.LOW_SHARE:.0%} good or better in a cycle (at least "
    f"{SMALL_N} grades) and escalated audits, on the Ofsted scale. Actions are linked through the audits behind a "
    "finding. Re-examined: the area's grades in the first cycle that began after the last action was done (at "
    f"least {SMALL_N} grades), or a later audit of the same child. Only the service area and team filters apply."
)

counts = loop.counts(wh, f)
grid = counts.pivot_table(index="kind", columns="state", values="findings", aggfunc="sum").reset_index()
total = int(counts["findings"].sum())
if not total:
    widgets.empty("No findings match these filters.")
    st.stop()
by_state = counts.groupby("state")["findings"].sum()
still_open = int(by_state[list(loop.STILL_OPEN)].sum())
first, second, third, fourth = st.columns(4)
first.metric("Findings", f"{total}")
second.metric("Loops still open", f"{still_open}", help="No action yet, actions open, or not yet re-examined")
third.metric(loop.NO_ACTION, f"{by_state[loop.NO_ACTION]}")
fourth.metric("Re-examined and improved", f"{by_state[loop.IMPROVED]}")

title = (
    f"{still_open} of {total} findings are still open; {by_state[loop.NO_ACTION]} have no action yet"
    if still_open
    else f"All {total} findings have been acted on and examined again"
)
opened = {state: STATES[state] for state in loop.STILL_OPEN}
st.plotly_chart(charts.state_bars(grid, "kind", opened, title, "Findings"), width="stretch")
examined = int(by_state[list(loop.RE_EXAMINED)].sum())
title = (
    f"{by_state[loop.IMPROVED]} of {examined} findings examined again had improved"
    if examined
    else "No finding has been examined again since its actions were done"
)
closed_states = {state: STATES[state] for state in loop.RE_EXAMINED}
st.plotly_chart(charts.state_bars(grid, "kind", closed_states, title, "Findings"), width="stretch")
widgets.downloads(exports.figures(counts), "learning loop by state", "loop-counts")

st.subheader("Loops still open")
if not f.rows:
    widgets.rows_withheld("The list of findings")
    st.stop()
found = loop.loops(wh, f)
open_loops = found[found["state"].isin(loop.STILL_OPEN)]
if open_loops.empty:
    st.success("Every finding has been acted on and examined again.", icon=":material/check:")
else:
    st.markdown(widgets.bold(f"{still_open} open loops: no action first, then actions open, then awaiting evidence"))
    widgets.listed(
        open_loops.drop(columns=["practice_area", "evidence_cycle", "evidence"]).rename(columns=COLUMNS), still_open
    )
    widgets.downloads(exports.records(open_loops), "loops still open", "loop-open")

st.subheader("Re-examined")
closed = found[~found["state"].isin(loop.STILL_OPEN)]
if closed.empty:
    widgets.empty("No finding has been examined again since its actions were done.")
else:
    widgets.table(closed.drop(columns=["practice_area", "evidence_cycle", "open_actions"]).rename(columns=COLUMNS))
    widgets.downloads(exports.records(closed), "re-examined findings", "loop-closed")
