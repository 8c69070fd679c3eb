"""Actions: are the actions agreed from audits being finished, and finished on time?"""

import datetime as dt

import pandas as pd
import streamlit as st

from findings import actions as said
from qa_read import actions, exports
from qa_read.columns import NOT_RECORDED
from qa_read.stats import SMALL_N
from ui import charts, filters, session, text, widgets

BREAKDOWNS = {"Service area": "service_area", "Team": "team", "Owner": "owner_role"}
RATES = exports.on(("n", "k"), "share", "lower", "upper")
OVERDUE_COLUMNS = {
    "action_id": "Action",
    "audit_id": "Audit",
    "service_area": "Service area",
    "team": "Team",
    "owner_role": "Owner",
    "raised_date": "Raised",
    "due_date": "Due",
    "days_overdue": "Days overdue",
    "description": "Action agreed",
}


def with_states(df: pd.DataFrame) -> pd.DataFrame:
    """Open actions split into overdue and not yet due, for the stacked bars."""
    return df.assign(not_due=df["open"] - df["overdue"])


def label_of(df: pd.DataFrame, by: str) -> pd.Series:
    """The bar label: actions with no team are told apart by service area."""
    if by != "team":
        return df[by]
    return df["team"].where(df["team"] != NOT_RECORDED, "No team: " + df["service_area"])


today = dt.date.today()
wh = session.warehouse()
f = actions.open_ended(wh, filters.current())
widgets.header("Actions", wh, f"Actions agreed from audits and elsewhere, as of today, {today:%d %B %Y}.")
st.caption(
    "Actions have no case type or audit tool, so those filters do not apply here. The cycle filter picks actions "
    "by the quarter they were raised in. Overdue: neither completed nor cancelled, and due before today."
)

by_cycle = with_states(actions.status_by(wh, f, "cycle", today))
summary = actions.total(by_cycle).iloc[0]  # the by-cycle chart's counts, summed: one reading of the actions
if not summary["actions"]:
    widgets.empty("No actions match these filters.")
    st.stop()

first, second, third, fourth = st.columns(4)
first.metric("Open", f"{summary['open']}", help=f"of {summary['actions']} actions ({summary['cancelled']} cancelled)")
second.metric("Overdue", f"{summary['overdue']}", help=f"{summary['overdue']} of {summary['open']} open actions")
third.metric("Completed", f"{summary['completed']}")
fourth.metric(
    "Completed within timescale",
    widgets.percent(summary["share"]) + (" (small n)" if summary["small_n"] else ""),
    help=f"{summary['k']} of {summary['n']} completed actions with a due date and a completion date",
)

st.subheader("Where actions are overdue")
label = (
    st.segmented_control("Break down by", list(BREAKDOWNS), default="Service area", key="actions_by") or "Service area"
)
by = BREAKDOWNS[label]
status = actions.status_by(wh, f, by, today)
status.insert(0, "label", label_of(status, by))
most = status.sort_values("overdue", ascending=False).iloc[0]
title = said.most_overdue(most["label"], most["overdue"], summary["overdue"])
st.plotly_chart(
    charts.state_bars(
        with_states(status).sort_values(["overdue", "open"], ascending=False),
        "label",
        {column: charts.ACTION_STATES[column] for column in ("overdue", "not_due", "completed")},
        title,
        "Actions",
    ),
    width="stretch",
)
widgets.downloads(exports.figures(status.drop(columns="label"), RATES), f"actions by {label}", "status")

timed = status[status["n"] > 0].sort_values("share")
if not timed.empty:
    title = said.on_time_range(timed, "label")
    st.plotly_chart(
        charts.rate_bars(timed, "label", title, "% of completed actions done by the due date"), width="stretch"
    )
    widgets.downloads(exports.figures(timed.drop(columns="label"), RATES), f"actions on time by {label}", "timescale")

st.subheader("How long open actions have waited")
ageing = actions.ageing(wh, f, today)
old = ageing.iloc[-1]
st.plotly_chart(
    charts.state_bars(
        ageing,
        "bucket",
        {
            "open": ("Open actions, by days since raised", charts.ACCENT, ""),
            "overdue": ("Overdue actions, by days past due", charts.ACTION_STATES["overdue"][1], "x"),
        },
        f"{old['open']} of {summary['open']} open actions were raised over 90 days ago; "
        f"{old['overdue']} are over 90 days past their due date",
        "Actions",
        horizontal=False,
        stacked=False,
    ),
    width="stretch",
)
widgets.downloads(exports.figures(ageing, plain=["position"]), "action ageing", "ageing")

st.subheader("By the cycle actions were raised in")
st.plotly_chart(
    charts.state_bars(
        by_cycle,
        "cycle",
        {column: charts.ACTION_STATES[column] for column in ("completed", "not_due", "overdue")},
        f"{by_cycle.iloc[-1]['overdue']} of the {by_cycle.iloc[-1]['actions']} actions raised in "
        f"{by_cycle.iloc[-1]['cycle']} are overdue",
        "Actions raised",
        horizontal=False,
    ),
    width="stretch",
)
widgets.downloads(exports.figures(by_cycle, RATES), "actions by raised cycle", "by-cycle")
trend = by_cycle[by_cycle["n"] > 0]
if not trend.empty:
    last = trend.iloc[-1]
    st.plotly_chart(
        charts.rate_trend(
            trend,
            f"{last['share']:.0%} of the actions raised in {last['cycle']} and completed were done within timescale",
            "% completed within timescale",
        ),
        width="stretch",
    )
    widgets.downloads(exports.figures(trend, RATES), "actions on time by raised cycle", "on-time-cycle")
st.caption(
    f"Timescale figures resting on fewer than {SMALL_N} completed actions are greyed out, and suppressed in downloads."
)

st.subheader("Overdue actions")
if not f.rows:
    widgets.rows_withheld("The list of overdue actions")
    st.stop()
overdue = actions.overdue(wh, f, today)
if overdue.empty:
    st.success("No action is overdue.", icon=":material/check:")
else:
    st.markdown(text.bold(f"{summary['overdue']} overdue actions, longest overdue first"))
    widgets.listed(overdue.rename(columns=OVERDUE_COLUMNS), summary["overdue"])
    widgets.downloads(exports.records(overdue), "overdue actions", "overdue")
