"""Overview: the latest cycle against the one before, each figure with its denominator."""

import pandas as pd
import streamlit as st

from qa_read import exports, grades, overview
from ui import charts, filters, session, text, widgets

# A short card title, where the measure is explained, and whether a rise is bad news.
CARDS = {
    "audits_completed": ("Audits completed", "pages/grade_trends.py", False),
    "good_or_better": ("Good or better", "pages/grade_trends.py", False),
    "inadequate": ("Inadequate", "pages/grade_trends.py", True),
    "open_escalations": ("Escalations awaiting oversight", "pages/moderation.py", True),
    "overdue_actions": ("Overdue actions", "pages/actions.py", True),
    "supervision_held": ("Supervision held as expected", "pages/supervision.py", False),
    "child_voice": ("Child's voice captured", "pages/child_voice.py", False),
}


def change_text(row: dict) -> str | None:
    """The change on the previous cycle in words; a change that rounds to nothing says so."""
    if pd.isna(row["change"]):
        return None
    scaled = row["change"] * (1 if row["unit"] == "count" else 100)
    if round(scaled) == 0:
        return f"no change on {row['previous_cycle']}"
    return f"{scaled:+.0f}{'' if row['unit'] == 'count' else ' points'} on {row['previous_cycle']}"


def shown(row: dict) -> tuple[str, str | None, str]:
    """The figure, its change on the previous cycle, and its denominator in words."""
    if row["unit"] == "count":
        basis = f"out of {row['denominator']:.0f}" if pd.notna(row["denominator"]) else ""
        return f"{row['value']:.0f}", change_text(row), basis
    if pd.isna(row["value"]):
        return "–", None, "nothing to count"
    value = widgets.percent(row["value"]) + (" (small n)" if row["small_n"] else "")
    return value, change_text(row), f"{row['numerator']:.0f} of {row['denominator']:.0f}"


def card(column, row: dict) -> None:
    title, page, rise_is_bad = CARDS[row["measure"]]
    value, change, basis = shown(row)
    with column.container(border=True, height="stretch"):
        steady = isinstance(change, str) and change.startswith("no change")
        colour = "off" if steady else "inverse" if rise_is_bad else "normal"
        st.metric(title, value, change, delta_color=colour, delta_arrow="off" if steady else "auto", help=row["label"])
        st.caption(basis)
        st.page_link(page, label="Explain this", icon=":material/arrow_forward:")


def outgoing(measures: pd.DataFrame) -> exports.Outgoing:
    """The measures as they leave: counts in their own columns, each percentage on its own denominators."""
    counted = measures["unit"] == "count"
    table = measures.assign(
        count=measures["value"].where(counted), previous_count=measures["previous_value"].where(counted)
    )
    now, before = ("numerator", "denominator"), ("previous_numerator", "previous_denominator")
    rests_on = exports.on(now, "value") | exports.on(before, "previous_value") | exports.on(now + before, "change")
    return exports.figures(table, rests_on)


wh = session.warehouse()
f = filters.current()
widgets.header("Overview", wh, "How good is practice, where is it slipping, and is anyone waiting for follow-up?")

measures = overview.overview(wh, f)
latest, previous = measures["cycle"].iloc[0], measures["previous_cycle"].iloc[0]
if not isinstance(latest, str):
    widgets.empty()
    st.stop()

st.subheader(text.md(latest) + (f" compared with {text.md(previous)}" if isinstance(previous, str) else ""))
rows = [row._asdict() for row in measures.itertuples(index=False)]
for start in range(0, len(rows), 4):
    for column, row in zip(st.columns(4), rows[start : start + 4], strict=False):
        card(column, row)

trend = grades.good_or_better_by_cycle(wh, f)
if not trend.empty:
    last = trend.iloc[-1]
    title = f"{last['share']:.0%} of audits in {last['cycle']} were good or better (n={last['n']})"
    st.plotly_chart(charts.rate_trend(trend, title), width="stretch")
    st.caption(widgets.SMALL_N_NOTE)

with st.expander("The figures behind these cards"):
    table = measures[["label", "cycle", "numerator", "denominator", "value", "previous_cycle", "previous_value"]]
    st.dataframe(table, hide_index=True, width="stretch")
    widgets.downloads(outgoing(measures), "overview measures", "overview")
