"""Grade trends: how grades are spread per cycle, the good-or-better rate, and where it differs."""

import datetime as dt

import streamlit as st

from data_pipeline.vocab import GOOD_LABEL
from findings import headline
from qa_read import cycles, grades
from ui import charts, filters, session, widgets

DIMENSIONS = {"Service area": "service_area", "Team": "team", "Case type": "case_type"}

wh = session.warehouse()
f = filters.current()
widgets.header("Grade trends", wh, "Overall grades per cycle, in scale order; practice areas by team.")

scale = widgets.scale_picker(cycles.instruments(wh, f)["scale"], key="scale")

distribution = grades.grade_distribution(wh, f, scale)
if distribution.empty:
    widgets.empty()
    st.stop()

trend = grades.good_or_better_by_cycle(wh, f, scale)
good_label = GOOD_LABEL[scale]
finding = headline.grade_trend(wh, f, dt.date.today(), scale)
st.subheader("Overall grades")
event = st.plotly_chart(
    charts.grade_distribution(distribution, scale, finding.sentence if finding else ""),
    width="stretch",
    on_select="rerun",
    selection_mode="points",
    key="distribution",
)
st.caption(("Click a bar segment to list the audits behind it. " if f.rows else "") + widgets.SMALL_N_NOTE)
widgets.downloads(distribution, "grade distribution", "distribution", ("total", ["n", "share"]))

points = event.selection.points if event and event.selection and f.rows else []
if points:
    cycle, grade = points[0]["customdata"][0], points[0]["customdata"][3]
    rows = grades.audits_behind_bar(wh, f, cycle, grade, scale)
    st.markdown(widgets.bold(f"{len(rows)} audits graded {grade} in {cycle}"))
    widgets.table(rows)
    widgets.downloads(rows, f"audits {grade} {cycle}", "bar-rows")

st.plotly_chart(
    charts.rate_trend(trend, f"Share {good_label} per cycle, with 95% intervals", f"% {good_label}"), width="stretch"
)
widgets.downloads(trend, f"{good_label} by cycle", "trend", ("n", ["k", "share", "lower", "upper"]))

st.subheader("Where it differs")
label = st.segmented_control("Break down by", list(DIMENSIONS), default="Team", key="breakdown") or "Team"
dimension = DIMENSIONS[label]
by = grades.good_or_better_by(wh, f, dimension, scale)
st.plotly_chart(
    charts.rate_heatmap(by, dimension, "cycle", f"Share {good_label} by {label.lower()} and cycle"), width="stretch"
)
widgets.downloads(by, f"{good_label} by {label}", "breakdown", ("n", ["k", "share", "lower", "upper"]))

st.subheader("Areas of practice by team")
heat = grades.practice_heatmap(wh, f, scale)
st.plotly_chart(
    charts.rate_heatmap(heat, "team", "practice_area", f"Share {good_label} per area of practice"), width="stretch"
)
widgets.downloads(heat, "practice area by team", "heatmap", ("n", ["k", "share", "lower", "upper"]))

if not f.rows:
    widgets.rows_withheld("The list of audits behind each cell")
    st.stop()
with st.form("cell"):
    st.markdown("**The audits behind a cell**")
    left, right = st.columns(2)
    area = left.selectbox("Area of practice", sorted(heat["practice_area"].unique()))
    team = right.selectbox("Team", sorted(heat["team"].unique()))
    shown = st.form_submit_button("Show audits")
if shown:
    rows = grades.audits_behind_cell(wh, f, area, team, scale)
    st.markdown(widgets.bold(f"{len(rows)} audits: {area}, {team}"))
    widgets.table(rows)
    widgets.downloads(rows, f"audits {area} {team}", "cell-rows")
