"""Impact: what difference did each PLD make to the practice it was about, and do re-audited children do better?"""

import datetime as dt

import pandas as pd
import streamlit as st

from data_pipeline.vocab import GOOD_LABEL
from findings import build, words
from qa_read import cycles, exports, impact
from ui import charts, filters, session, text, widgets
from ui.palette import ACCENT

RATES = exports.on(("n", "k"), "share", "lower", "upper")
PLD_COUNTS = ("plds", "service_areas")  # meetings and areas, not people

PLD_KEYS = ["pld_id", "service_area", "cycle", "theme", "practice_area"]


def change_words(row) -> str:
    """'up 32 points', 'down 5 points' or 'no clear change', judged by the difference's 95% interval."""
    if pd.isna(row["difference"]):
        return "no audits after it yet" if row["after_n"] == 0 else "no audits before it"
    points = abs(row["difference"]) * 100
    if row["diff_lower"] > 0:
        return f"up {points:.0f} points"
    if row["diff_upper"] < 0:
        return f"down {points:.0f} points"
    return f"no clear change ({round(row['difference'] * 100):+d} points)"


def rate(row, side: str) -> str:
    """'43% (111 of 256)', or a dash when there is nothing to count."""
    n = row[f"{side}_n"]
    return "–" if not n else f"{row[f'{side}_share']:.0%} ({row[f'{side}_k']} of {n})"


wh = session.warehouse()
f = filters.current()
widgets.header(
    "Impact",
    wh,
    "What difference did it make? Practice graded before and after each PLD, and children audited again.",
)

scale = widgets.scale_picker(cycles.instruments(wh, f)["scale"], key="impact_scale")
good = GOOD_LABEL[scale]
window = st.segmented_control("Cycles each side of the PLD", [1, 2, 3], default=impact.WINDOW, key="impact_window")
window = window or impact.WINDOW

st.subheader("PLD themes: before and after")
by_theme = impact.impact_by_theme(wh, f, scale, window)
if by_theme.empty:
    widgets.empty("No held PLD with a theme matches these filters.")
else:
    themes = impact.themes_compared(wh, f, scale, window)
    themes["change"] = [change_words(r) for _, r in themes.iterrows()]
    best = themes.iloc[0]
    title = (
        build.make(
            "impact",
            best["theme"],
            "share",
            (int(best["after_k"]), int(best["after_n"])),
            (int(best["before_k"]), int(best["before_n"])),
            dt.date.today(),
            f"{words.percent(best['before_share'])} before",
            lambda x: words.share_sentence(
                x, "audits graded", f"were {good}", f"the cycles after the {best['theme']} PLDs"
            ),
        ).sentence
        if pd.notna(best["difference"])
        else "No PLD theme has audits after it yet"
    )
    st.plotly_chart(charts.before_after(by_theme, "theme", title, f"% {good}"), width="stretch")
    st.caption(
        "Each theme's area of practice, graded in the PLD's own service area. Before: the PLD's own cycle (its "
        "audits come in the month before it)"
        + (f" and the {window - 1} before it" if window > 1 else "")
        + f"; after: the {window} cycle{'s' if window > 1 else ''} after it. Bars show 95% intervals. "
        + widgets.SMALL_N_NOTE
    )
    widgets.downloads(exports.figures(by_theme, RATES, plain=PLD_COUNTS), "impact by theme", "impact-theme")

    shown = pd.DataFrame(
        {
            "Theme": themes["theme"],
            "Area of practice": themes["practice_area"],
            "Before": [rate(r, "before") for _, r in themes.iterrows()],
            "After": [rate(r, "after") for _, r in themes.iterrows()],
            "Change": themes["change"],
        }
    )
    widgets.table(shown)

    st.markdown("**Each theme, PLD by PLD**")
    by_pld = impact.impact_by_pld(wh, f, scale, window)
    # Only the chosen tab is drawn (a click reruns the page): drawing every theme's chart cost most of a rerun.
    tabs = st.tabs([text.md(t) for t in themes["theme"]], key="impact_theme_tab", on_change="rerun")
    for tab, (i, (_, row)) in zip(tabs, enumerate(themes.iterrows()), strict=True):
        if not tab.open:
            continue
        part = by_pld[by_pld["theme"] == row["theme"]]
        part = part.assign(label=part["service_area"] + " (" + part["cycle"] + ")")
        with tab:
            area = "" if row["practice_area"] == row["theme"] else f"{row['practice_area'].lower()} "
            title = f"{row['theme']} PLDs: {area}{good} {row['change']}"
            st.plotly_chart(charts.before_after(part, "label", title, f"% {good}"), width="stretch", key=f"impact-{i}")
            widgets.downloads(
                exports.figures(part.drop(columns="label"), RATES),
                f"impact {row['theme']}",
                f"impact-{i}",
            )

matches = impact.theme_practice_areas(wh, f)
with st.expander("How PLD themes are matched to areas of practice"):
    st.caption(
        "A theme spelled like an area of practice is compared on that area; other themes use a mapping "
        "(qa_read/impact.py, THEME_AREAS). Themes with neither are not compared."
    )
    widgets.table(matches.drop(columns="pld_id"))

st.subheader("Children audited again")
changes = impact.reaudit_changes(wh, f, scale)
total = int(changes["n"].sum())
if total == 0:
    widgets.empty("No child was audited in more than one cycle within these filters.")
    st.stop()
moved = changes.set_index("change")["n"]
title = f"{moved['Improved']} of {total} children audited again improved; {moved['Worse']} got worse"
st.plotly_chart(
    charts.counts_bar(changes, "change", "n", title, "Latest overall grade against the first", "Children", ACCENT),
    width="stretch",
)
widgets.downloads(exports.figures(changes, exports.on("n", "share")), "re-audit changes", "reaudit-changes")

transitions = impact.reaudit_transitions(wh, f, scale)
order = transitions.sort_values("first_rank")["first_grade"].unique().tolist()
stayed = int(transitions.loc[transitions["first_grade"] == transitions["latest_grade"], "n"].sum())
st.plotly_chart(
    charts.count_heatmap(
        transitions,
        "first_grade",
        "latest_grade",
        "n",
        f"{stayed} of {total} kept their first grade; cells left of the diagonal got better",
        order,
        order,
        "Latest grade",
        "First grade",
    ),
    width="stretch",
)
st.caption("A child's first audit is their earliest cycle's; their latest, the latest cycle's. Overall grades only.")
widgets.downloads(
    exports.figures(transitions, plain=["first_rank", "latest_rank"]), "re-audit transitions", "reaudit-transitions"
)
