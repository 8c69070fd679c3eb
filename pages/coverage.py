"""Audit coverage: has every practitioner had a collaborative audit this cycle, and who is doing the auditing?"""

import streamlit as st

from data_pipeline import settings
from findings import coverage as said
from qa_read import coverage, exports, plans
from qa_read.grades import with_interval
from qa_read.stats import SMALL_N
from ui import charts, filters, session, text, widgets

RATES = exports.on(("n", "k"), "share", "lower", "upper")

TOP_AUDITORS = 15
PLAN_COLUMNS = {
    "service_area": "service area", "team": "team", "workers": "case-holding workers",
    "workers_planned": "workers planned", "workers_audited": "workers audited in the cycle", "n": "cases planned",
    "k": "planned cases done", "share": "share done", "small_n": f"under {SMALL_N} planned",
}  # fmt: skip

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Audit coverage",
    wh,
    "Every practitioner should have a collaborative audit in the month before each PLD.",
)

try:
    sizes = coverage.team_sizes(settings.get("QA_TEAM_SIZES_FILE"))
except ValueError as exc:
    st.warning(f"Team sizes not used: {text.md(exc)}", icon=":material/warning:")
    sizes = ()
teams = coverage.coverage(wh, f, sizes)
if teams.empty:
    widgets.empty()
    st.stop()

st.subheader("Practitioners audited")
known = teams[teams["n"].notna()]
if known.empty:
    st.info(
        "No team sizes are known, so coverage cannot be worked out. Load a team roster export (Name, Team, "
        "Service area, Role, As at date) or set QA_TEAM_SIZES_FILE. Distinct workers audited are listed below.",
        icon=":material/group_off:",
    )
    widgets.table(teams[["cycle", "service_area", "team", "audited"]])
    widgets.downloads(
        exports.figures(teams[["cycle", "service_area", "team", "audited"]]), "workers audited", "audited"
    )
else:
    by_cycle = with_interval(known.groupby("cycle", as_index=False)[["k", "n"]].sum().astype({"k": int, "n": int}))
    last = by_cycle.iloc[-1]
    latest = known[known["cycle"] == last["cycle"]]
    left, middle, right = st.columns(3)
    left.metric(
        f"Practitioners audited in {text.md(last['cycle'])}",
        f"{last['k']} of {last['n']}",
        help="Across teams of known size",
    )
    middle.metric("Teams with everyone audited", f"{(latest['k'] == latest['n']).sum()} of {len(latest)}")
    right.metric("Teams with under half audited", f"{(latest['share'] < 0.5).sum()} of {len(latest)}")
    title = said.practitioners_audited(last["cycle"], last["k"], last["n"], last["small_n"])
    st.plotly_chart(charts.rate_trend(by_cycle, title, "% of practitioners audited"), width="stretch")
    widgets.downloads(exports.figures(by_cycle, RATES), "coverage by cycle", "coverage-cycle")

    title = said.lowest_team(last["cycle"], latest)
    st.plotly_chart(charts.rate_heatmap(known, "team", "cycle", title, colorbar_title="% audited"), width="stretch")
    widgets.downloads(exports.figures(known, RATES), "coverage by team", "coverage-team")
    strays = int(latest["not_on_roster"].fillna(0).sum())
    st.caption(
        "A team's size is its roster headcount on the latest roster dated on or before the cycle's end, managers "
        "left out, or else its configured size (QA_TEAM_SIZES_FILE). "
        + (f"{strays} workers audited in {last['cycle']} are not on their team's roster. " if strays else "")
        + f"Teams of fewer than {SMALL_N} practitioners are left blank here and suppressed in downloads."
    )
    unknown = teams[teams["n"].isna()]
    if not unknown.empty:
        with st.expander(f"{unknown['team'].nunique()} teams with no known size"):
            widgets.table(unknown[["cycle", "service_area", "team", "audited"]])

drawn = plans.plans(wh)
if not drawn.empty:
    st.subheader("Planned against done")
    plan_id = st.selectbox("Sampling plan", drawn["plan_id"], key="coverage_plan", help="Drawn on Audit sampling")
    plan = drawn.set_index("plan_id").loc[plan_id]
    teams_planned = plans.by_team(wh, f, plan_id)
    st.caption(
        f"Plan for {plan['cycle']} drawn on {plan['drawn_on']:%d %B %Y} with seed {plan['seed']}. A planned case is "
        f"done when its child has an audit in {plan['cycle']}; teams with fewer than {SMALL_N} planned cases "
        "are flagged small and their share suppressed in downloads."
    )
    shown = teams_planned.assign(share=teams_planned["share"].where(~teams_planned["small_n"]).round(2))
    widgets.table(shown[list(PLAN_COLUMNS)].rename(columns=PLAN_COLUMNS))
    widgets.downloads(exports.figures(teams_planned, RATES), "planned against done by team", "plan-team")
    if f.rows:
        with st.expander("Each case-holding worker, by key"):
            widgets.table(plans.by_worker(wh, f, plan_id))

st.subheader("Who does the auditing")
if not f.rows:
    widgets.rows_withheld("Audits by each auditor")
    st.stop()
summary = coverage.auditor_summary(wh, f).iloc[0]
spread = coverage.auditor_spread(wh, f)
if spread.empty:
    widgets.empty("No audits record who the auditor was.")
    st.stop()
left, middle, right = st.columns(3)
left.metric("Auditors", f"{summary['auditors']}")
middle.metric("Audits by the busiest auditor", f"{summary['busiest']}", help=f"of {summary['audits']} audits")
right.metric("Auditors working across service areas", f"{summary['across_areas']}")
title = said.auditing_spread(summary["half_by"], summary["auditors"], TOP_AUDITORS)
top = spread[spread["rank"] <= TOP_AUDITORS]
st.plotly_chart(charts.stacked_bars(top, "auditor_key", "service_area", "audits", title, "Audits"), width="stretch")
st.caption(
    "Auditors are shown by key only. "
    + (
        f"Audits recording no auditor (anonymous responses): {summary['unattributed']}."
        if summary["unattributed"]
        else ""
    )
)
widgets.downloads(
    exports.figures(spread, plain=["service_areas", "rank"]), "audits by auditor and service area", "auditors"
)
