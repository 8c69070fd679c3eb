"""Overview: the latest cycle against the one before, each figure with its denominator and the date it is true at.

Every figure and sentence here is a finding (``findings.headline``); the page only draws them.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from findings import headline, words
from findings.model import Finding
from qa_read import exports, grades
from ui import charts, filters, session, widgets

# A short card title, where the measure is explained, whether a rise is bad news, and what it is out of.
CARDS = {
    "audits_completed": ("Audits completed", "pages/grade_trends.py", False, ""),
    "good_or_better": ("Good or better", "pages/grade_trends.py", False, "graded audits"),
    "inadequate": ("Inadequate", "pages/grade_trends.py", True, "graded audits"),
    "open_escalations": ("Escalations awaiting oversight", "pages/moderation.py", True, "escalated audits"),
    "overdue_actions": ("Overdue actions", "pages/actions.py", True, "open actions"),
    "supervision_held": ("Supervision held as expected", "pages/supervision.py", False, "sessions expected"),
    "child_voice": ("Child's voice captured", "pages/child_voice.py", False, "audits"),
}


def shown(x: Finding) -> tuple[str, str | None, str]:
    """The figure, its change on the comparison, and what it rests on, in words."""
    _, _, _, basis = CARDS[x.key]
    change = words.signed_change(x)
    delta = None if change is None else f"{change} on {x.comparison_label}"
    # In the app, scoped to what the reader may see, a figure is given exactly and marked when small; the sentence
    # (help) is the one the pack and Present show, where a count of 1 to 4 reads "fewer than 5".
    small = " (small n)" if x.small else ""
    if x.unit == "count":
        return words.figure(x) + small, delta, f"out of {x.denominator} {basis}" if x.denominator is not None else ""
    if x.value is None:
        return "–", None, f"no {basis}"
    value = words.figure(x) + small
    return value, delta, f"{x.numerator} of {x.denominator} {basis}"


def card(column, x: Finding) -> None:
    title, page, rise_is_bad, _ = CARDS[x.key]
    value, change, basis = shown(x)
    with column.container(border=True, height="stretch"):
        steady = words.steps(x) == 0
        colour = "off" if steady else "inverse" if rise_is_bad else "normal"
        st.metric(title, value, change, delta_color=colour, delta_arrow="off" if steady else "auto", help=x.sentence)
        st.caption(basis)
        st.page_link(page, label="Explain this", icon=":material/arrow_forward:")


def outgoing(found: tuple[Finding, ...], table: pd.DataFrame) -> exports.Outgoing:
    """The figures as they leave: counts in their own columns, each percentage on its own denominators."""
    counted = pd.Series([x.unit == "count" for x in found], index=table.index)
    table = table.assign(
        count=table["value"].where(counted),
        comparison_count=table["comparison"].where(counted),
        value=table["value"].mask(counted),
        comparison=table["comparison"].mask(counted),
    )
    now, before = ("numerator", "denominator"), ("comparison_denominator",)
    rests_on = exports.on(now, "value") | exports.on(before, "comparison") | exports.on(now + before, "change")
    return exports.figures(table, rests_on)


wh = session.warehouse()
f = filters.current()
widgets.header("Overview", wh, "How good is practice, where is it slipping, and is anyone waiting for follow-up?")

today = dt.date.today()
found = headline.headline(wh, f, today)
if not found:
    widgets.empty()
    st.stop()

st.subheader(headline.heading(headline.period(wh, f, today)))
for start in range(0, len(found), 4):
    for column, x in zip(st.columns(4), found[start : start + 4], strict=False):
        card(column, x)

trend = grades.good_or_better_by_cycle(wh, f)
good = next(x for x in found if x.key == "good_or_better")
if not trend.empty:
    st.plotly_chart(charts.rate_trend(trend, good.sentence), width="stretch")
    st.caption(widgets.SMALL_N_NOTE)

with st.expander("The figures behind these cards"):
    table = headline.frame(found)
    widgets.table(table)
    widgets.downloads(outgoing(found, table), "overview measures", "overview")
