"""Themes: what focus groups, auditors and children keep raising, how often, where, and in whose words."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from qa_read import themes
from ui import charts, filters, session, widgets

# choice -> (sources, one text, several texts)
TEXTS = {
    "Focus groups and child's voice": (themes.SPOKEN, "text", "texts"),  # what the meeting pack quotes by default
    "Focus group notes": (("focus_group_notes",), "note", "notes"),
    "Audit comments": (("audit_comments",), "comment", "comments"),
    "Child's voice": (("child_voice",), "response", "responses"),
    "All free text": (themes.SOURCES, "text", "texts"),
}
DEFAULT_TEXTS = "Focus groups and child's voice"
DIMENSIONS = {"Cycle": "cycle", "Service area": "service_area"}
# category -> (legend name, colour, pattern): what works in blues, what gets in the way in reds with a pattern.
CATEGORY_STYLES = {
    "Working well": ("Working well", "#2166ac", ""),
    "strengths": ("Strengths (audits)", "#67a9cf", ""),
    "Barriers": ("Barriers", "#b2182b", "x"),
    "development": ("Development (audits)", "#ef8a62", "x"),
    "Suggestions": ("Suggestions", "#1b7837", "/"),
    "actions": ("Actions (audits)", "#7fbc41", "/"),
    "worker_view": ("Worker's view (audits)", "#762a83", "."),
    "child voice": ("Child's voice", "#767676", "."),
}
# What gets in the way and what works, in the words of each kind of text.
BAD = {"Barriers": "barrier", "development": "area for development"}
GOOD = {"Working well": "working well", "strengths": "strength"}
ALL_CYCLES = "All cycles"
SUPPRESS = ("n", ["k", "share", "per_100"])
LINES = 4  # themes drawn at once on the trend chart (one colour, dash and marker each)
QUOTE_COLUMNS = {
    "cycle": "Cycle",
    "service_area": "Service area",
    "category": "Category",
    "text": st.column_config.TextColumn("Text", width="large"),
    "phrases": st.column_config.TextColumn("Phrase matched", help="The taxonomy phrase that counted this text"),
    "matched_text": st.column_config.TextColumn("As written", help="The words as the text wrote them"),
    "source": "Source",
    "source_id": "Record",
    "team": "Team",
}


def listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def top_of(by_category: pd.DataFrame, wanted: dict[str, str]) -> tuple[list[str], int, str] | None:
    """(themes, texts, what the category is called) of the theme(s) most often in the ``wanted`` categories."""
    # A few dozen rows: plain Python is ten times quicker here than a pandas group-by.
    sums, called = {}, {}
    for theme, category, k in zip(*(by_category[c].tolist() for c in ("theme", "category", "k")), strict=True):
        if category in wanted:
            sums[theme] = sums.get(theme, 0) + k
            called[wanted[category]] = None
    if not sums:
        return None
    most = max(sums.values())
    return sorted(t for t, k in sums.items() if k == most), int(most), " or ".join(called)


def category_title(by_category: pd.DataFrame, when: str, plural: str) -> str:
    """The most-raised barrier (ties named together), and what most often works, or else the commonest theme."""
    bad, good = top_of(by_category, BAD), top_of(by_category, GOOD)
    if bad is None:
        top, k, _ = top_of(by_category, dict.fromkeys(by_category["category"], ""))
        return f"{listed(top)} came up most {when} ({k} {plural}{' each' if len(top) > 1 else ''})"
    names, k, called = bad
    if len(names) == 1:
        title = f"{names[0]} was the most-raised {called} {when} ({k} {plural})"
    else:
        title = f"{listed(names)} were the joint most-raised {called} {when} ({k} {plural} each)"
    return title + (f"; most often {good[2]}: {listed(good[0])} ({good[1]})" if good else "")


def change_labels(change: pd.DataFrame) -> list[str]:
    pairs = zip(change["change"].round(), change["previous_per_100"], change["per_100"], strict=True)
    return [f"{c:+.0f} ({before:.0f} → {now:.0f} per 100)" if c else "no change" for c, before, now in pairs]


def change_title(change: pd.DataFrame, plural: str) -> str:
    top = change.iloc[0]
    span = f"from {top['previous_cycle']} to {top['cycle']}"
    if top["change"] <= 0:
        return f"No theme rose {span}"
    return f"{top['theme']} rose most {span}: {top['previous_per_100']:.0f} → {top['per_100']:.0f} per 100 {plural}"


wh = session.warehouse()
f = filters.current()
widgets.header("Themes", wh, "What PLD focus groups, auditors and children keep raising, from the theme taxonomy.")

choice = st.segmented_control("Texts", list(TEXTS), default=DEFAULT_TEXTS, key="theme_texts")
sources, singular, plural = TEXTS[choice or DEFAULT_TEXTS]

counts = themes.theme_counts(wh, f, sources)
total = int(counts["n"].iloc[0]) if not counts.empty else 0
if total == 0:
    no_team = (
        " Focus group notes have no team, so a team filter (or a role limited to teams) leaves none."
        if (f.teams or (f.scope and f.scope.teams)) and "focus_group_notes" in sources
        else ""
    )
    widgets.empty(f"No {plural} match these filters.{no_team}")
    st.stop()

themed = int(themes.coverage(wh, f, sources)["themed"].sum())
notes = [
    f"{themed} of {total} {plural} ({themed / total:.0%}) mention at least one theme.",
    f"A text counts once per theme; rates are per 100 {plural}, so a cycle with more of them does not look like a "
    "rise. Case type and audit tool filters do not apply here.",
]
if f.teams and "focus_group_notes" in sources:
    notes.append("Focus group notes have no team, so with a team chosen they drop out.")
st.caption(" ".join(notes))

mentioned = counts[counts["k"] > 0]
order = mentioned["theme"].tolist()
by_cycle = themes.themes_by(wh, f, "cycle", sources)
cycles = sorted(by_cycle["cycle"].unique())

st.subheader("How often each theme comes up")
by_label = st.segmented_control("By", list(DIMENSIONS), default="Cycle", key="theme_by") or "Cycle"
dimension = DIMENSIONS[by_label]
grid = by_cycle if dimension == "cycle" else themes.themes_by(wh, f, dimension, sources)
top = mentioned.iloc[0]
st.plotly_chart(
    charts.rate_grid(
        grid[grid["theme"].isin(order)],
        "theme",
        dimension,
        f"{top['theme']} came up most: in {top['k']} of {total} {plural} ({top['share']:.0%})",
        order,
        sorted(grid[dimension].unique()),
        plural,
    ),
    width="stretch",
)
st.caption(
    f"Each cell: how many {plural} mention the theme, shaded by their share of the {plural} in that column "
    f"(the share is the rate per 100). Columns with fewer than {themes.SMALL_N} {plural} are not shaded."
)
widgets.downloads(grid, f"themes by {by_label}", "themes-grid", SUPPRESS)

st.subheader("Working well, barriers and suggestions")
picked_cycle = st.selectbox("Cycle", [*reversed(cycles), ALL_CYCLES], key="theme_category_cycle")
if picked_cycle == ALL_CYCLES:
    when, narrowed = (f"in {cycles[0]} to {cycles[-1]}" if len(cycles) > 1 else f"in {cycles[0]}"), f
else:
    when, narrowed = f"in {picked_cycle}", replace(f, cycle_from=picked_cycle, cycle_to=picked_cycle)
by_category = themes.themes_by_category(wh, narrowed, sources)
if by_category.empty:
    widgets.empty(f"No {plural} {when} mention a theme.")
else:
    wide = by_category.pivot(index="theme", columns="category", values="k").fillna(0).astype("int64")
    wide = wide.assign(total=wide.sum(axis=1)).sort_values("total", ascending=False, kind="stable")
    styles = {c: style for c, style in CATEGORY_STYLES.items() if c in wide.columns}
    st.plotly_chart(
        charts.state_bars(
            wide.reset_index(),
            "theme",
            styles,
            category_title(by_category, when, plural),
            f"{plural.capitalize()} mentioning it",
        ),
        width="stretch",
    )
    widgets.downloads(by_category, f"themes by category {when}", "themes-category")

st.subheader("Rise and fall")
change = themes.theme_change(wh, f, sources)
if change.empty:
    st.info(f"Only one cycle has {plural} within these filters, so there is nothing to compare yet.")
else:
    moved = change[(change["k"] > 0) | (change["previous_k"] > 0)]
    moved = moved.assign(label=change_labels(moved))
    st.plotly_chart(
        charts.change_bars(
            moved, "theme", "change", "label", change_title(moved, plural), f"Change in {plural} per 100"
        ),
        width="stretch",
    )
    if moved["small_n"].any():
        st.caption(f"One of these cycles has fewer than {themes.SMALL_N} {plural}: read the changes with care.")
    widgets.downloads(change, "theme change", "themes-change", ("n", ["k", "per_100", "change"]))

    risers = moved.loc[moved["change"] > 0, "theme"].head(2).tolist()
    default = risers + [t for t in order if t not in risers][: LINES - len(risers)]
    picked = st.multiselect(
        f"Themes to follow (up to {LINES})", order, default=default, max_selections=LINES, key="theme_lines"
    )
    if picked:
        lines = by_cycle[by_cycle["theme"].isin(picked)].set_index("theme").loc[picked].reset_index()
        peak = lines.loc[lines["share"].idxmax()]
        st.plotly_chart(
            charts.fitted_rate_lines(
                lines,
                "theme",
                f"{peak['theme']} peaked at {peak['share']:.0%} of {plural} in {peak['cycle']}",
                f"% of {plural} mentioning it",
                k="k",
                n="n",
            ),
            width="stretch",
        )
        widgets.downloads(lines, "themes by cycle", "themes-lines", SUPPRESS)

if not f.rows:
    widgets.rows_withheld("The texts behind each theme, and emerging terms with their example texts,")
    st.stop()
st.subheader("Emerging terms")
st.caption(
    f"Words and two-word phrases in these {plural} that no theme's phrases cover yet, commonest first. Add the "
    "useful ones to the taxonomy (see docs/themes.md), run python -m data_pipeline themes, and they are counted above."
)
found = []
for column, size, heading in zip(st.columns(2), (1, 2), ("Words", "Two-word phrases"), strict=True):
    terms = themes.emerging_terms(wh, f, sources, words=size)
    found.append(terms.assign(kind=heading))
    with column:
        st.markdown(f"**{heading}**")
        st.dataframe(
            terms,
            hide_index=True,
            width="stretch",
            column_config={
                "term": "Term",
                "texts": st.column_config.NumberColumn(plural.capitalize(), help=f"{plural.capitalize()} using it"),
                "unthemed_texts": st.column_config.NumberColumn(
                    "No theme", help=f"Of those, {plural} that mention no theme at all"
                ),
                "example": st.column_config.TextColumn("Example", width="large"),
            },
        )
widgets.downloads(pd.concat(found, ignore_index=True), "emerging terms", "themes-terms")

st.subheader("What they said")
labels = {row.theme: f"{row.theme} ({row.k})" for row in mentioned.itertuples()}
left, middle, right = st.columns(3)
theme = left.selectbox("Theme", order, format_func=labels.get, key="theme_quotes")
category_options = themes.themes_by_category(wh, f, sources)
category = middle.selectbox(
    "Category",
    ["All", *sorted(category_options.loc[category_options["theme"] == theme, "category"])],
    key="theme_quote_category",
)
cycle = right.selectbox("Cycle", ["All", *reversed(cycles)], key="theme_quote_cycle")
rows = themes.quotes(
    wh,
    f,
    theme,
    sources,
    category=None if category == "All" else category,
    cycle=None if cycle == "All" else cycle,
    limit=themes.QUOTES_SHOWN,
)
# How many there are in all: the counts behind the charts, for the same theme, category and cycle.
in_cycle = themes.themes_by_category(wh, f if cycle == "All" else replace(f, cycle_from=cycle, cycle_to=cycle), sources)
counted = in_cycle[(in_cycle["theme"] == theme) & ((in_cycle["category"] == category) | (category == "All"))]
total = int(counted["k"].sum())
st.markdown(widgets.bold(f"{total:,} {plural if total != 1 else singular} mention {theme}"))
description = counts.set_index("theme").loc[theme, "description"]
if total > len(rows):
    description += (
        f" Listed: the first {len(rows):,}, newest cycle first, then by source, category, service area and team;"
        " choose a category or cycle to see others. The downloads hold the rows listed."
    )
st.caption(widgets.escape(description))
shown = rows.assign(source=rows["source_table"].map(themes.SOURCE_LABELS))
if shown["team"].isna().all():
    shown = shown.drop(columns="team")
st.dataframe(
    shown[[c for c in QUOTE_COLUMNS if c in shown]],
    hide_index=True,
    width="stretch",
    height=min(600, 38 + 35 * max(len(shown), 1)),
    column_config=QUOTE_COLUMNS,
)
widgets.downloads(rows, f"{theme} quotes", "themes-quotes")
