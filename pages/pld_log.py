"""PLD log: are Practice Learning Days held, planned, reported and shared with partners as the framework asks?"""

import pandas as pd
import streamlit as st

from qa_read import exports, pld
from ui import charts, filters, session, text, widgets

PLD_COUNTS = (
    "expected",
    "due",
    "held",
    "missed",
    "multi_agency",
    "planning_on_time",
    "planning_judged",
    "report_on_time",
    "report_judged",
)

# Every outcome is written with a mark and words, so no cell relies on its fill colour.
MARKS = {pld.MET: "✓", pld.NOT_MET: "✗", pld.NOT_YET_DUE: "…"}
OUTCOME_STATUS = {pld.MEETS_EVERY_RULE: pld.MET, pld.BREAKS_A_RULE: pld.NOT_MET, pld.NOT_YET_DUE: pld.NOT_YET_DUE}
LIST_COLUMNS = {
    "service_area": "Service area",
    "cycle": "Cycle",
    "theme": "Theme",
    "outcome": "Outcome",
    "breaks": "Rules broken",
    "planned_date": "Planned",
    "held_date": "Held",
    "planning_meeting_date": "Planning meeting",
    "planning_days_before": "Days before",
    "report_date": "Report",
    "report_days_after": "Days after",
    "partners": "With partners",
}


def year_cell(row) -> str:
    held = f"{MARKS[row.held_outcome]} {row.held} of {row.expected} held"
    if row.held_outcome == pld.NOT_YET_DUE:
        held += " so far"
    partners = {
        pld.MET: "✓ with partners",
        pld.NOT_MET: "✗ none with partners",
        pld.NOT_YET_DUE: "… none with partners yet",
    }[row.partner_outcome]
    return f"{held}\n{partners}"


def year_status(row) -> str:
    outcomes = {row.held_outcome, row.partner_outcome}
    return pld.NOT_MET if pld.NOT_MET in outcomes else pld.NOT_YET_DUE if pld.NOT_YET_DUE in outcomes else pld.MET


def pld_cell(row) -> str:
    held = {
        pld.HELD: f"✓ held {row.held_date:%d %b}" if pd.notna(row.held_date) else "✓ held",
        pld.NOT_HELD: "✗ not held",
        pld.NOT_YET_DUE: "… not yet held",
    }[row.held_status]
    planning = {
        pld.ON_TIME: f"✓ planned {row.planning_days_before}d ahead",
        pld.LATE: f"✗ planned {row.planning_days_before}d ahead",
        pld.MISSING: "✗ no planning meeting",
        pld.NOT_YET_DUE: "… planning not due",
        pld.NOT_APPLICABLE: "– no date to plan for",
    }[row.planning_status]
    report = {
        pld.ON_TIME: f"✓ report in {row.report_days_after}d",
        pld.LATE: f"✗ report in {row.report_days_after}d",
        pld.MISSING: "✗ no report",
        pld.NOT_YET_DUE: "… report not due",
        pld.NOT_APPLICABLE: "– no report needed",
    }[row.report_status]
    return f"{held}\n{planning}\n{report}"


def worst(log: pd.DataFrame, status: str, what: str) -> str:
    """'<what> late in <area> (k of n)', for the area with most PLDs late or missing on that rule."""
    judged = log[log[status].isin([pld.ON_TIME, pld.LATE, pld.MISSING])]
    broken = judged[judged[status] != pld.ON_TIME].groupby("service_area").size()
    if broken.empty:
        return f"{what} all on time"
    area = broken.idxmax()
    return f"{what} late in {area} ({broken[area]} of {(judged['service_area'] == area).sum()})"


wh = session.warehouse()
f = filters.current()
widgets.header(
    "PLD log",
    wh,
    "Four PLDs a year in every service area, one with partner agencies; a planning meeting at least 4 weeks "
    "before and a report within 2 weeks after.",
)

log = pld.pld_log(wh, f)
if log.empty:
    widgets.empty("No PLDs in the log match these filters.")
    st.stop()
years = pld.pld_by_year(wh, f)

held = log[log["held_status"] == pld.HELD]
due = log[log["held_status"] != pld.NOT_YET_DUE]
planning = log[log["planning_status"].isin([pld.ON_TIME, pld.LATE, pld.MISSING])]
reports = log[log["report_status"].isin([pld.ON_TIME, pld.LATE, pld.MISSING])]
left, middle, right, last = st.columns(4)
left.metric("PLDs held", f"{len(held)} of {len(due)}", help="PLDs held, of those whose planned day has passed")
middle.metric(
    "Planning meetings on time",
    f"{(planning['planning_status'] == pld.ON_TIME).sum()} of {len(planning)}",
    help="At least 28 days before the PLD",
)
right.metric(
    "Reports on time", f"{(reports['report_status'] == pld.ON_TIME).sum()} of {len(reports)}", help="Within 14 days"
)
last.metric("PLDs with partner agencies", f"{int(held['multi_agency'].fillna(False).sum())} of {len(held)}")

st.subheader("Each financial year")
complete = pld.latest_complete_year(years)
if complete:
    year = years[years["financial_year"] == complete]
    title = (
        f"In {complete}, {(year['held_outcome'] == pld.MET).sum()} of {len(year)} service areas held every PLD "
        f"and {(year['partner_outcome'] == pld.MET).sum()} held one with partners"
    )
else:
    title = "No financial year in view has ended yet"
grid = years.assign(
    cell=[year_cell(r) for r in years.itertuples()], status=[year_status(r) for r in years.itertuples()]
)
st.plotly_chart(charts.status_grid(grid, "service_area", "financial_year", "status", "cell", title), width="stretch")
st.caption(
    "✓ met · ✗ not met · … not yet due. A year expects one PLD a quarter (fewer in the year the log began); the "
    "cycle range chooses which years are shown. A quarter that ended with no PLD held cannot be made up."
)
# PLDs are meetings, four a year per service area by design: their counts are of events, not of people.
widgets.downloads(exports.figures(years, plain=PLD_COUNTS), "PLDs by financial year", "pld-years")

st.subheader("Each PLD")
cells = log.assign(cell=[pld_cell(r) for r in log.itertuples()], status=log["outcome"].map(OUTCOME_STATUS))
title = f"{worst(log, 'planning_status', 'Planning')}; {worst(log, 'report_status', 'reports')}"
height = 88 * log["cycle"].nunique() + 150
st.plotly_chart(charts.status_grid(cells, "cycle", "service_area", "status", "cell", title, height), width="stretch")
st.caption(
    "✓ on time · ✗ late or missing · … not yet due. Planning is counted in days (d) before the PLD, held or else "
    "planned; reports in days after it was held."
)

show = st.segmented_control("Show", ["All PLDs", "Only PLDs that break a rule"], default="All PLDs", key="pld_show")
listed = log if show != "Only PLDs that break a rule" else log[log["outcome"] == pld.BREAKS_A_RULE]
st.markdown(text.bold(f"{len(listed)} PLDs"))
widgets.table(listed[list(LIST_COLUMNS)].rename(columns=LIST_COLUMNS))
widgets.downloads(exports.records(listed), "PLD log checked", "pld-list")
