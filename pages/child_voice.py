"""Child's voice: did children, parents and carers feel listened to, and does it match the audit grades?"""

import datetime as dt

import pandas as pd
import streamlit as st

from findings import headline, words
from qa_read import child_voice, cycles
from qa_read.stats import SMALL_N
from ui import charts, filters, session, widgets
from ui.palette import GRADE_COLOURS, GRADE_PATTERNS

BREAKDOWNS = {"Respondent": "respondent", "Service area": "service_area", "Team": "team"}
PLURAL = {"Child": "children", "Parent": "parents", "Carer": "carers"}
SMALL_N_NOTE = (
    f"Figures resting on fewer than {SMALL_N} answers are greyed out or left blank, and suppressed in downloads."
)
SUPPRESS = ("n", ["k", "share", "lower", "upper"])


def counted(df: pd.DataFrame) -> tuple[int, int]:
    """(agreed, answered) over the rows of ``df``."""
    return int(df["k"].sum()), int(df["n"].sum())


def trend_title(listened: pd.DataFrame, pld_cycle: str | None) -> str:
    """The finding: agreement after the PLD on the child's voice against before it, else the last cycle against
    the first (``findings`` words the change and its small-number rule)."""
    before, after = listened[listened["cycle"] <= (pld_cycle or "")], listened[listened["cycle"] > (pld_cycle or "")]
    last_cycle = listened["cycle"].iloc[-1]
    day = headline.as_at(last_cycle, dt.date.today())
    if pld_cycle and before["n"].sum() and after["n"].sum():
        since = f"the cycles since the {pld_cycle} PLD on the child's voice"
        now, was, label = counted(after), counted(before), "the cycles up to it"
    else:
        first = listened["cycle"].iloc[0]
        since, label = last_cycle, (first if first != last_cycle else None)
        now = counted(listened[listened["cycle"] == last_cycle])
        was = counted(listened[listened["cycle"] == first]) if label else None
    return headline.make(
        "listened_to",
        "Felt listened to",
        "share",
        now,
        was,
        day,
        label,
        lambda x: words.share_sentence(x, "children and families who answered", "felt listened to", since),
    ).sentence


wh = session.warehouse()
f = filters.current()
widgets.header("Child's voice", wh, "What children, parents and carers told us: 4 or 5 out of 5 counts as agreeing.")
st.caption(
    "Case type and audit tool filter through the audit the feedback was gathered with: "
    "feedback not linked to an audit is left out when either is set."
)

counts = child_voice.responses(wh, f)
if counts.empty:
    widgets.empty("No feedback matches these filters.")
    st.stop()

trend = child_voice.agreement(wh, f, "cycle")
listened = trend[trend["question"] == "listened_to"]
total, linked = counts["responses"].sum(), counts["linked"].sum()
who = ", ".join(f"{n} {PLURAL.get(r, r)}" for r, n in zip(counts["respondent"], counts["responses"], strict=True))
left, middle, right = st.columns(3)
left.metric("Responses", f"{total}", help=who)
middle.metric("Linked to an audit", widgets.percent(linked / total), help=f"{linked} of {total} responses")
if not listened.empty:
    last = listened.iloc[-1]
    right.metric(
        f"Felt listened to, {last['cycle']}",
        widgets.percent(last["share"]) + (" (small n)" if last["small_n"] else ""),
        help=f"{last['k']} of {last['n']} who answered agreed",
    )

st.subheader("Over time")
plds = child_voice.voice_plds(wh, f)
marks = {
    row.cycle: f"PLD on the child's voice ({row.themed} of {row.held} area{'s' if row.held != 1 else ''})"
    for row in plds.itertuples()
}
st.plotly_chart(
    charts.rate_lines(
        trend,
        "label",
        trend_title(listened, next(iter(marks), None)),
        "% agreeing",
        marks,
        interval_for=dict(child_voice.QUESTIONS)["listened_to"],
    ),
    width="stretch",
)
st.caption(
    "Each point: the share of those who answered the question that agreed. Bars show the 95% interval of "
    "feeling listened to; the other questions' intervals are in the download."
)
widgets.downloads(trend, "child's voice by cycle", "trend", SUPPRESS)

st.subheader("Who said what")
label = st.segmented_control("Break down by", list(BREAKDOWNS), default="Respondent", key="voice_by") or "Respondent"
by = child_voice.agreement(wh, f, BREAKDOWNS[label])
rated = by[~by["small_n"]]
lowest = rated.loc[rated["share"].idxmin()] if not rated.empty else None
title = (
    f"Least agreement by {label.lower()}: {lowest['label'].lower()}, {lowest[BREAKDOWNS[label]]} "
    f"({lowest['share']:.0%} of {lowest['n']})"
    if lowest is not None
    else f"Agreement by {label.lower()}"
)
st.plotly_chart(
    charts.rate_heatmap(by, BREAKDOWNS[label], "label", title, colorbar_title="% agreeing"), width="stretch"
)
widgets.downloads(by, f"child's voice by {label}", "breakdown", SUPPRESS)

st.subheader("Beside the audit grades")
scale = widgets.scale_picker(cycles.instruments(wh, f)["scale"], key="voice_scale")
by_grade = child_voice.agreement_by_audit_grade(wh, f, scale)
if not by_grade["n"].sum():
    widgets.empty(f"No feedback here is linked to an audit graded on the {scale} scale.")
    st.caption(SMALL_N_NOTE)
    st.stop()

good, rest = child_voice.AUDIT_GROUPS[scale]
heard = by_grade[by_grade["question"] == "listened_to"].set_index("audit_grade")["share"]
styles = {
    good: (GRADE_COLOURS["Good"], GRADE_PATTERNS["Good"]),
    rest: (GRADE_COLOURS["Requires improvement"], GRADE_PATTERNS["Requires improvement"]),
}
st.plotly_chart(
    charts.grouped_rates(
        by_grade,
        "label",
        "audit_grade",
        styles,
        f"{widgets.percent(heard[good])} felt listened to where the audit was graded {good.lower()}, "
        f"{widgets.percent(heard[rest])} where it was {rest.lower()}",
        "% agreeing",
    ),
    width="stretch",
)
widgets.downloads(by_grade, "child's voice by audit grade", "by-grade", SUPPRESS)

voice = child_voice.agreement_by_voice_grade(wh, f, "listened_to", scale)
graded = voice[voice["n"] > 0]
if len(graded) > 1:
    best, worst = graded.iloc[0], graded.iloc[-1]
    st.plotly_chart(
        charts.grade_rates(
            voice,
            f"{best['share']:.0%} felt listened to where the audit graded the voice of the child {best['grade']}, "
            f"{worst['share']:.0%} where it was {worst['grade']}",
            f"The audit's grade for {child_voice.VOICE_AREA.lower()}",
            "% who felt listened to",
        ),
        width="stretch",
    )
    widgets.downloads(voice, "felt listened to by voice of the child grade", "voice-grade", SUPPRESS)
st.caption(SMALL_N_NOTE)
