"""Benchmarks: the council's published figures beside its statistical neighbours and England, and Ofsted's
judgements beside its own audit grades."""

import pandas as pd
import streamlit as st

from data_pipeline import settings
from data_pipeline.vocab import cycle_bounds
from findings import context
from qa_read import benchmarks, exports, grades
from ui import charts, filters, session, text, widgets

# Inspections this long before the first audit cycle are listed but not drawn beside the audits.
LOOK_BACK = pd.Timedelta(days=365)

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Benchmarks",
    wh,
    "Published DfE and Ofsted figures for the council beside its statistical neighbours and England. "
    "They are public: every role sees all of them. The sidebar's filters apply only to our own audit grades.",
)
council = context.our_council(wh)
if council is None:
    widgets.empty(
        f"No published figures name the council code {settings.get('QA_COUNCIL')} (QA_COUNCIL). Set it to your "
        "council's LA code, e.g. 851, and load the reference files: python -m data_pipeline reference FILES."
    )
    st.stop()

peers = benchmarks.neighbours(wh, council.la_code)
st.markdown(
    f"{widgets.bold(council.name)} (LA code {text.md(council.la_code)}, ONS code "
    f"{text.md(council.ons_code)}) beside its statistical neighbours: "
    + text.md(", ".join(peers["area_name"]) if not peers.empty else "none in the loaded models")
    + "."
)

st.subheader("Latest published figures")
latest = context.latest(wh, council)
st.markdown(widgets.bold(context.summary(latest)))
summary = pd.DataFrame(
    {
        "Measure": [c.measure.label for c in latest],
        council.name: [context.number(c.finding.value, c.measure) for c in latest],
        "Neighbours' median": [context.number(c.finding.comparison, c.measure) for c in latest],
        "Neighbours' range": [context.spread(c) for c in latest],
        "England": [context.number(c.england, c.measure) for c in latest],
        "Rank": [context.place(c) for c in latest],
    }
)
widgets.table(summary)
st.caption(
    f"{text.md(context.sources(latest))}. Rank: 1 is the highest figure among the council and those of its "
    "ten neighbours with a figure that year. A dash means the publication withheld the figure; the chart's "
    "sentence says why."
)

series = benchmarks.series(wh, council.la_code)
for group in ("Workforce", "Demand"):
    st.subheader(group)
    for item in (c for c in latest if c.measure.group == group):
        rows = series[series["measure"] == item.measure.key]
        years = f"{rows['period'].iloc[0]}–{rows['period'].iloc[-1]}"
        source = f"Source: DfE, {rows['title'].iloc[0]}, {years}; neighbours as in the latest DfE model"
        st.plotly_chart(
            charts.benchmark_lines(rows, council.name, item.measure.label, source, item.measure.short),
            width="stretch",
            key=f"benchmark-{item.measure.key}",
        )
        st.caption(text.md(item.finding.sentence))
# Published figures, already through the DfE's own suppression: none of them counts our own cases.
PUBLISHED = ["value", "neighbours_median", "neighbours_low", "neighbours_high", "neighbours_reporting", "england"]
widgets.downloads(
    exports.figures(series.drop(columns=["publication"]), plain=[*PUBLISHED, "rank", "ranked_of"]),
    "published figures beside neighbours and England",
    "benchmarks",
)

st.subheader("Ofsted judgements")
history = context.inspection_rows(benchmarks.inspections(wh, council.la_code))
if history.empty:
    widgets.empty(f"No ILACS inspection of {council.name} is in the loaded publications.")
    st.stop()
by_cycle = grades.good_or_better_by_cycle(wh, f)
widgets.table(context.inspection_card(history, by_cycle))
st.caption(
    "Since Ofsted's 2026 framework an ILACS inspection gives no overall effectiveness grade, only the "
    "sub-judgements; the care leavers judgement began in January 2023. Our audits: graded on the Ofsted scale, "
    "within the sidebar's filters."
)
if by_cycle.empty:
    widgets.empty("No graded audits match these filters, so there is nothing to set beside the judgements.")
    st.stop()
by_cycle["cycle_end"] = [pd.Timestamp(cycle_bounds(c)[1]) for c in by_cycle["cycle"]]
first_cycle = pd.Timestamp(cycle_bounds(by_cycle["cycle"].iloc[0])[0])
drawn = history[history["started"] >= first_cycle - LOOK_BACK]
st.plotly_chart(
    charts.judgements_beside_audits(
        by_cycle,
        drawn,
        context.audits_beside_inspections(by_cycle, drawn),
        f"Sources: our audits, {by_cycle['cycle'].iloc[0]} to {by_cycle['cycle'].iloc[-1]}; "
        + context.inspection_sources(drawn),
    ),
    width="stretch",
)
st.caption("Our audit grades keep the sidebar's filters and your role's scope; Ofsted's judgements are public.")
