"""Learning Episodes: where each allocation stands, what is overdue and at which step, moderation by the head
of service and by the leadership team, and how long episodes take from allocation to sign-off."""

import datetime as dt

import streamlit as st

from data_pipeline import settings
from qa_read import episodes, exports
from qa_read.stats import SMALL_N
from ui import charts, filters, session, widgets

STATES = {
    "overdue": charts.ACTION_STATES["overdue"],
    "in_time": ("Within its completion date", charts.ACCENT, ""),
}
LIST_COLUMNS = {
    "episode_id": "Episode",
    "cycle": "Allocated in",
    "service_area": "Service area",
    "team": "Team",
    "allocated_date": "Allocated",
    "due_date": "Completion due",
    "step": "Stands at",
    "days_overdue": "Days overdue",
    "evaluation": "Evaluation",
    "evaluation_date": "Evaluated",
}

today = dt.date.today()
wh = session.warehouse()
f = filters.current()
widgets.header("Learning Episodes", wh, f"Every episode from allocation to sign-off, as of {today:%d %B %Y}.")
st.caption(
    "The cycle filter picks episodes by the quarter they were allocated in; episodes have no case type or audit "
    "tool, so those filters do not apply. Overdue: not signed off, and its completion date is before today."
)

steps = episodes.by_step(wh, f, today)
total = int(steps["episodes"].sum())
if not total:
    widgets.empty("No Learning Episodes match these filters.")
    st.stop()
hos = episodes.hos_moderation(wh, f, today)
signed, late = int(steps["episodes"].iloc[-1]), int(steps["overdue"].sum())
first, second, third, fourth = st.columns(4)
first.metric("Episodes allocated", f"{total}")
second.metric("Signed off", f"{signed}", help=f"{signed} of {total} episodes")
third.metric("Overdue", f"{late}", help=f"{late} of the {total - signed} episodes not yet signed off")
fourth.metric(
    "Awaiting head of service",
    f"{int(hos['awaiting'].sum())}",
    help="Outstanding or Inadequate evaluations with no head of service moderation recorded",
)

st.subheader("Where each allocation stands")
# Signed-off episodes are in the metrics: as a bar they would dwarf the steps still to be taken.
shown = steps.iloc[:-1].assign(in_time=steps["episodes"] - steps["overdue"])
busiest = shown.sort_values("overdue", ascending=False).iloc[0]
title = (
    f"{late} episodes are past their completion date; most of them ({busiest['overdue']}) are "
    f"{busiest['step'][0].lower()}{busiest['step'][1:]}"
    if late
    else f"{total - signed} episodes in progress; none is past its completion date"
)
st.plotly_chart(charts.state_bars(shown, "step", STATES, title, "Episodes"), width="stretch")
widgets.downloads(exports.figures(steps), "learning episodes by stage", "le-steps")

st.subheader("Overdue episodes")
if not f.rows:
    widgets.rows_withheld("The list of overdue episodes")
elif late:
    overdue = episodes.overdue(wh, f, today)
    st.markdown(widgets.bold(f"{late} overdue episodes, longest overdue first"))
    widgets.listed(overdue.rename(columns=LIST_COLUMNS), late)
    widgets.downloads(exports.records(overdue), "overdue learning episodes", "le-overdue")
else:
    st.success("No episode is past its completion date.", icon=":material/check:")

st.subheader("Outstanding and Inadequate evaluations: moderation by the head of service")
st.caption(
    "The reviewer talks to the head of service before evaluating practice as Outstanding or Inadequate, so the "
    "evaluation is moderated before the episode goes to the supervisor."
)
widgets.table(
    hos.rename(
        columns={
            "evaluation": "Evaluation",
            "moderated": "Moderated",
            "awaiting": "Not yet moderated",
            "episodes": "Evaluations",
        }
    )
)
widgets.downloads(exports.figures(hos), "head of service moderation", "le-hos")
waiting = int(hos["awaiting"].sum())
if waiting and f.rows:
    unmoderated = episodes.unmoderated(wh, f, today)
    st.markdown(widgets.bold(f"{waiting} evaluations with no head of service moderation recorded"))
    widgets.listed(unmoderated.rename(columns=LIST_COLUMNS), waiting)
    widgets.downloads(exports.records(unmoderated), "unmoderated evaluations", "le-unmoderated")
elif waiting:
    widgets.rows_withheld("The list of unmoderated evaluations")

st.subheader("Leadership team's moderation sample")
share = float(settings.get("QA_EPISODE_SAMPLE_SHARE"))
sample = episodes.cslt_sample(wh, f, today, share)
missed = sample[~sample["met"]]
st.caption(
    f"Target: {share:.0%} of each cycle's allocation, rounded up. The guidance asks the leadership team (CSLT) to "
    "moderate a sample of each allocation without a size; the council sets it (setting QA_EPISODE_SAMPLE_SHARE)."
)
st.plotly_chart(
    charts.state_bars(
        sample,
        "cycle",
        {
            "moderated": ("Moderated by CSLT", charts.ACCENT, ""),
            "target": ("Target", "#bdbdbd", "."),
        },
        f"CSLT moderation fell short of its target in {len(missed)} of {len(sample)} allocations"
        if len(missed)
        else f"CSLT moderation met its target in all {len(sample)} allocations",
        "Episodes",
        horizontal=False,
        stacked=False,
    ),
    width="stretch",
)
widgets.downloads(exports.figures(sample, plain=["target"]), "CSLT moderation sample", "le-cslt")

st.subheader("Days from allocation to sign-off")
days = episodes.sign_off_days(wh, f, today)
if days.empty:
    widgets.empty("No episode matching these filters has been signed off.")
else:
    view = days.assign(median_days=days["median_days"].where(~days["small_n"]))
    widgets.table(
        view.rename(
            columns={
                "service_area": "Service area",
                "n": "Signed off",
                "median_days": "Median days",
                "small_n": f"Fewer than {SMALL_N}",
            }
        )
    )
    widgets.downloads(exports.figures(days, exports.on("n", "median_days")), "days to sign-off", "le-days")
st.caption(
    f"A median resting on fewer than {SMALL_N} signed-off episodes is left blank here and in downloads; "
    "the count is still shown."
)
