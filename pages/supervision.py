"""Supervision: is it happening monthly as expected, how good is it, and what does it cover?"""

import datetime as dt

import pandas as pd
import streamlit as st

from findings import headline
from qa_read import exports, supervision
from qa_read.columns import NOT_RECORDED
from qa_read.stats import SMALL_N
from ui import charts, filters, published, session, text, widgets

RATES = exports.on(("n", "k"), "share", "lower", "upper")
HELD = exports.on(("reviews", "expected", "held"), "share")

SMALL_N_NOTE = f"Figures resting on fewer than {SMALL_N} reviews are greyed out, and suppressed in downloads."
BELOW_COLUMNS = {
    "service_area": "Service area",
    "team": "Team",
    "reviews": "Reviews",
    "expected": "Expected",
    "held": "Held",
    "share": "% held",
    "missed": "Missed",
    "good_or_better": "% good or better",
    "wellbeing": "% wellbeing",
    "small_n": f"Under {SMALL_N} reviews",
}


def team_label(df: pd.DataFrame) -> pd.Series:
    """Team names, with reviews of no team told apart by service area (one "Not recorded" row per area)."""
    return df["team"].where(df["team"] != NOT_RECORDED, "No team: " + df["service_area"])


wh = session.warehouse()
f = filters.current()
widgets.header(
    "Supervision",
    wh,
    "Supervision records reviewed each cycle: sessions held against those expected (monthly), quality and content.",
)
st.caption("Case type and audit tool do not apply to supervision reviews, so those filters are ignored here.")

by_team = supervision.compliance(wh, f, "team")
by_team.insert(2, "label", team_label(by_team))
if by_team.empty:
    widgets.empty("No supervision reviews match these filters.")
    st.stop()

threshold = (
    st.slider(
        "Flag teams holding fewer than this share of expected sessions",
        min_value=50,
        max_value=100,
        value=round(supervision.DEFAULT_THRESHOLD * 100),
        step=5,
        format="%d%%",
        key="threshold",
        bind="query-params",
    )
    / 100
)
below = supervision.below_threshold(wh, f, threshold)
held, expected = by_team["held"].sum(), by_team["expected"].sum()
left, middle, right = st.columns(3)
left.metric("Sessions held as expected", widgets.percent(held / expected if expected else None))
left.caption(f"{held} of {expected} sessions, {by_team['reviews'].sum()} reviews")
middle.metric(f"Teams below {threshold:.0%}", f"{len(below)}")
middle.caption(f"of {len(by_team)} teams (and reviews with no team) in view")
right.metric("Sessions missed in those teams", f"{below['missed'].sum()}")
published.context_cards(
    wh,
    ("caseload_fte", "turnover_rate_fte"),
    "Beside it, the council's caseloads and turnover as the DfE publishes them (the whole council, not filtered)",
)

st.subheader("Sessions held against expected")
worst = by_team.sort_values("share").iloc[0]
title = (
    f"{worst['label']} held {worst['share']:.0%} of expected sessions; "
    f"{len(below)} team{'s' if len(below) != 1 else ''} below {threshold:.0%}"
)
ordered = by_team.sort_values(["share", "label"])
st.plotly_chart(
    charts.rate_bars(ordered, "label", title, "% of expected sessions held", threshold, "held", "expected"),
    width="stretch",
)
widgets.downloads(exports.figures(by_team.drop(columns="label"), HELD), "supervision held by team", "by-team")

if below.empty:
    st.success(f"Every team held at least {threshold:.0%} of its expected sessions.", icon=":material/check:")
else:
    st.markdown(text.bold(f"Teams below {threshold:.0%}, lowest first"))
    shown = below.assign(**{c: (below[c] * 100).round() for c in ("share", "good_or_better", "wellbeing")})
    widgets.table(shown.rename(columns=BELOW_COLUMNS))
    below_rates = HELD | exports.on("reviews", "good_or_better", "wellbeing")
    widgets.downloads(exports.figures(below, below_rates), "teams below threshold", "below")

by_relationship = supervision.compliance(wh, f, "relationship")
lowest = by_relationship.sort_values("share").iloc[0]
st.plotly_chart(
    charts.rate_bars(
        by_relationship,
        "relationship",
        f"Lowest by relationship: {lowest['relationship'].lower()}, {lowest['share']:.0%} of sessions held",
        "% of expected sessions held",
        threshold,
        "held",
        "expected",
    ),
    width="stretch",
)
widgets.downloads(exports.figures(by_relationship, HELD), "supervision held by relationship", "by-relationship")

st.subheader("Over time")
by_cycle = supervision.compliance(wh, f, "cycle")
trend = headline.supervision_trend(wh, f, dt.date.today())
st.plotly_chart(
    charts.rate_lines(
        by_cycle.assign(series="Sessions held"),
        "series",
        trend.sentence if trend else "Supervision sessions held per cycle",
        "% of expected sessions held",
        k="held",
        n="expected",
    ),
    width="stretch",
)
widgets.downloads(exports.figures(by_cycle, HELD), "supervision held by cycle", "by-cycle")

quality = supervision.quality_distribution(wh, f)
if not quality.empty:
    good = quality[quality["good_or_better"]].groupby("cycle")["n"].sum() / quality.groupby("cycle")["n"].sum()
    st.plotly_chart(
        charts.review_grades(
            quality, f"Supervision graded good or better in {good.iloc[-1]:.0%} of reviews in {good.index[-1]}"
        ),
        width="stretch",
    )
    widgets.downloads(
        exports.figures(quality, exports.on(("total", "n"), "share"), plain=["rank"]),
        "supervision quality by cycle",
        "quality",
    )

st.subheader("What supervision covers")
covered = supervision.elements(wh, f)
least = covered.sort_values("share").iloc[0]
st.plotly_chart(
    charts.rate_bars(
        covered,
        "label",
        f"{least['label']} is the element least often found: {least['share']:.0%} of reviews",
        "% of reviews where the records show it",
    ),
    width="stretch",
)
widgets.downloads(exports.figures(covered, RATES), "supervision elements", "elements")

by_team_elements = supervision.elements(wh, f, "team")
by_team_elements["team"] = team_label(by_team_elements)
rated = by_team_elements[~by_team_elements["small_n"]]
gap = rated.sort_values("share").iloc[0] if not rated.empty else None
st.plotly_chart(
    charts.rate_heatmap(
        by_team_elements,
        "team",
        "label",
        f"Largest gap: {gap['label'].lower()} in {gap['team']}, {gap['share']:.0%} of {gap['n']} reviews"
        if gap is not None
        else "Elements found, by team",
        colorbar_title="% of reviews",
    ),
    width="stretch",
)
widgets.downloads(exports.figures(by_team_elements, RATES), "supervision elements by team", "elements-team")
st.caption(SMALL_N_NOTE)
