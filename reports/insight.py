"""Pack sections built from the insight modules: themes, child's voice, supervision, actions, PLDs, impact.

Each builder takes the pack's ``Context`` and returns sections (or none when there is nothing to say);
``content.build`` leaves one out, with a warning, on a warehouse too old to hold its tables.
The same rules hold as in ``content``: a percentage on fewer than ``SMALL_N`` cases, or counting 1 to
``SMALL_N - 1`` of them, reads "n<5"; a count of 1 to 4 reads "fewer than 5" (``findings.words.count``).
"""

import pandas as pd

from findings import actions as said
from findings import build, words
from findings import headline as findings
from qa_read import actions as read_actions
from qa_read import child_voice as read_child_voice
from qa_read import impact as read_impact
from qa_read import loop as read_loop
from qa_read import pld as read_pld
from qa_read import supervision as read_supervision
from qa_read import themes as read_themes
from qa_read.exports import suppress_small_numbers
from qa_read.filters import Filters
from qa_read.stats import SMALL_N
from reports.model import (
    BAR,
    COLUMN,
    LINE,
    LIST_ROWS,
    STACKED,
    SUPPRESSED,
    TABLE_ROWS,
    Chart,
    Context,
    Section,
    Series,
    Table,
    percent,
    plural,
)
from ui.palette import ACCENT, GRADE_COLOURS

TOP_THEMES = 6
QUOTE_CHARS = 160
PREVIOUS, THIS = "#9ecae1", ACCENT  # the previous cycle light and dotted, this one solid (as PERIOD_COLOURS)
ACTION_STATES = {  # (label, colour, pattern), as on the Actions page
    "overdue": ("Overdue", GRADE_COLOURS["Inadequate"], "x"),
    "not_due": ("Open, not yet due", "#bdbdbd", "."),
    "completed": ("Completed", ACCENT, ""),
}


def _shares(df: pd.DataFrame, denominator: str, numerator: str, columns: list[str]) -> pd.DataFrame:
    return suppress_small_numbers(df, denominator, columns, numerator=numerator)


def _label(share, suppressed: bool) -> str:
    return SUPPRESSED if suppressed else percent(share)


def _value(share, suppressed: bool) -> float | None:
    return None if suppressed or pd.isna(share) else float(share)


def _clip(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def source_words(sources) -> str:
    """ "focus group notes and child's voice" """
    names = [read_themes.SOURCE_LABELS[s].lower() for s in sources]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def themes(ctx: Context) -> list[Section]:
    """The themes mentioned most in this cycle's texts from the chosen sources (the Themes page's own count),
    and a quote for each from the same sources."""
    sources = ctx.quote_sources
    counts = read_themes.theme_counts(ctx.wh, ctx.in_cycle, sources)
    counts = counts[counts["k"] > 0].head(TOP_THEMES)
    if counts.empty:
        return []
    shown = _shares(counts, "n", "k", ["k", "share", "per_100"])
    n = int(counts["n"].iloc[0])
    labels = tuple(
        SUPPRESSED if s else f"{percent(v)} ({k:.0f})"
        for v, k, s in zip(shown["share"], shown["k"], shown["suppressed"], strict=True)
    )
    series = Series(
        "Texts mentioning the theme",
        tuple(_value(v, s) for v, s in zip(shown["share"], shown["suppressed"], strict=True)),
        ACCENT,
        labels=labels,
    )
    top = shown.iloc[0]
    title = (
        f"{top['theme']} came up most in {ctx.cycle}: in {_label(top['share'], top['suppressed'])} of "
        f"{words.counted(n, 'text')} "
        f"from {source_words(sources)}"
        if not top["suppressed"]
        else f"Too few texts in {ctx.cycle} to rank themes ({SUPPRESSED})"
    )
    chart = Chart(BAR, tuple(shown["theme"]), (series,), "", "Share of texts mentioning it", percent=True)
    sections = [
        Section(
            "themes",
            "Themes",
            title,
            f"Bar chart of the themes mentioned most in {ctx.cycle}, as a share of "
            f"{words.counted(n, 'text')} "
            f"({source_words(sources)}): "
            + "; ".join(f"{t} {lab}" for t, lab in zip(shown["theme"], labels, strict=True))
            + ".",
            chart=chart,
            note=f"From {source_words(sources)}: share of the {words.counted(n, 'text')} in {ctx.cycle} that mention "
            "each theme "
            "(number of texts in brackets); a text counts once per theme.",
            data=shown,
        )
    ]
    rows, used = [], set()
    # Fewer texts are quoted than themes shown, so each theme's first that many hold one not yet quoted, unless
    # texts repeat word for word: then that theme's longer list is read.
    firsts = read_themes.first_quotes(ctx.wh, ctx.in_cycle, tuple(shown["theme"]), sources, limit=len(shown))
    for theme in shown["theme"]:
        said = firsts[firsts["theme"] == theme]
        if len(said) == len(shown) and said["text"].isin(used).all():
            said = read_themes.quotes(ctx.wh, ctx.in_cycle, theme, sources)
        said = said[~said["text"].isin(used)]  # one text can carry several themes: quote it once
        if not said.empty:
            quote = said.iloc[0]
            used.add(quote["text"])
            where = quote["team"] if isinstance(quote["team"], str) else quote["service_area"]
            source = read_themes.SOURCE_LABELS[quote["source_table"]]
            rows.append((theme, f"“{_clip(quote['text'])}”", f"{source}: {where}, {quote['category']}"))
    if rows:
        sections.append(
            Section(
                "quotes",
                "In their words",
                f"What was said about the commonest themes in {ctx.cycle}",
                "Table of one representative quote for each of the commonest themes, with where it came from.",
                table=Table(("Theme", "What was said", "From"), tuple(rows), widths=(2.2, 6.8, 3.0)),
                note=f"From {source_words(sources)}: the newest text mentioning each theme, not quoted above, as "
                "written (shortened where long).",
            )
        )
    return sections


def child_voice(ctx: Context) -> Section | None:
    """Children's and families' answers this cycle against the previous one, question by question."""
    cycles_shown = [c for c in (ctx.previous, ctx.cycle) if c]
    agreement = read_child_voice.agreement(ctx.wh, ctx.filters(cycles_shown[0]), "cycle")
    agreement = agreement[agreement["cycle"].isin(cycles_shown)]
    if agreement[agreement["cycle"] == ctx.cycle].empty:
        return None
    shown = _shares(agreement, "n", "k", ["k", "share", "lower", "upper"])
    labels = list(dict.fromkeys(shown["label"]))
    series = []
    for cycle, colour, pattern in ((ctx.previous, PREVIOUS, "."), (ctx.cycle, THIS, "")):
        if cycle is None:
            continue
        part = shown[shown["cycle"] == cycle].set_index("label").reindex(labels)
        small = part["suppressed"].fillna(True).astype(bool)
        series.append(
            Series(
                cycle,
                tuple(_value(v, s) for v, s in zip(part["share"], small, strict=True)),
                colour,
                pattern,
                tuple(_label(v, s) for v, s in zip(part["share"], small, strict=True)),
            )
        )
    now = shown[shown["cycle"] == ctx.cycle].set_index("label")
    before = shown[shown["cycle"] == ctx.previous].set_index("label")
    first = labels[0]
    counted = agreement.set_index(["cycle", "label"])[["k", "n"]]
    title = build.make(
        "child_voice_agreement",
        first,
        "share",
        tuple(int(v) for v in counted.loc[(ctx.cycle, first)]),
        tuple(int(v) for v in counted.loc[(ctx.previous, first)]) if first in before.index else None,
        ctx.as_at,
        ctx.previous,
        lambda x: words.share_sentence(x, "children and families who answered", first.lower(), ctx.cycle),
    ).sentence
    alt = (
        f"Bar chart of the share of children, parents and carers agreeing with each feedback question in "
        f"{' and '.join(cycles_shown)}: "
        + "; ".join(
            f"{s.name}: " + ", ".join(f"{q} {lab}" for q, lab in zip(labels, s.labels, strict=True)) for s in series
        )
        + "."
    )
    note = (
        f"Share answering 4 or 5 out of 5, of those who answered the question (n: {ctx.cycle} "
        + ", ".join(words.count(v) for v in now["n"])
        + f"). Fewer than {SMALL_N} answers: {SUPPRESSED}."
    )
    chart = Chart(BAR, tuple(labels), tuple(series), "", "Agreed (4 or 5 out of 5)", percent=True)
    return Section("child_voice", "Child's voice", title, alt, chart=chart, note=note, data=shown)


def supervision(ctx: Context) -> Section | None:
    """Supervision sessions held as expected, per cycle."""
    held = read_supervision.compliance(ctx.wh, ctx.trend, "cycle")
    if held.empty or ctx.cycle not in set(held["cycle"]):
        return None
    shown = _shares(held, "reviews", "held", ["held", "share"])
    values = tuple(_value(v, s) for v, s in zip(shown["share"], shown["suppressed"], strict=True))
    labels = tuple(_label(v, s) for v, s in zip(shown["share"], shown["suppressed"], strict=True))
    series = Series("Sessions held as expected", values, ACCENT, labels=labels)
    rates = shown.set_index("cycle")
    row = rates.loc[ctx.cycle]
    title = findings.supervision_held(ctx.wh, ctx.filters(), ctx.today).sentence
    categories = tuple(
        f"{c}\n({SUPPRESSED})" if r < SMALL_N else f"{c}\n({r} reviews)"
        for c, r in zip(shown["cycle"], shown["reviews"], strict=True)
    )
    alt = "Line chart of supervision sessions held as a share of those expected, per cycle: " + "; ".join(
        f"{c} {lab}" for c, lab in zip(shown["cycle"], labels, strict=True)
    )
    note = (
        f"Sessions held out of sessions expected, summed over the supervision reviews of each cycle "
        f"({row['held']:.0f} of {row['expected']:.0f} in {ctx.cycle})."
        if not row["suppressed"]
        else f"Cycles with fewer than {SMALL_N} reviews, or fewer than {SMALL_N} sessions held, read {SUPPRESSED}."
    )
    chart = Chart(LINE, categories, (series,), "Cycle", "% of sessions held", percent=True)
    return Section("supervision", "Supervision", title, alt, chart=chart, note=note, data=shown)


def actions(ctx: Context) -> list[Section]:
    """Actions from audits: completed, open and overdue by service area (or team), and where overdue sit."""
    f = ctx.filters()
    by = "team" if len(ctx.service_areas) == 1 else "service_area"
    overdue = findings.overdue_actions(ctx.wh, f, ctx.today)
    # As at the headline's date, so this slide and the headline give one overdue count.
    day = overdue.as_at if overdue else ctx.as_at
    status = read_actions.status_by(ctx.wh, f, by, day)
    if status.empty or overdue is None:
        return []
    summary = read_actions.total(status).iloc[0]
    categories = tuple(status[by].astype(str))
    counts = {
        "overdue": status["overdue"],
        "not_due": status["open"] - status["overdue"],
        "completed": status["completed"],
    }
    series = tuple(
        Series.of_counts(label, counts[key], colour, pattern) for key, (label, colour, pattern) in ACTION_STATES.items()
    )
    title = f"{overdue.sentence}; {said.on_time(summary['k'], summary['n'], summary['small_n'])}"
    alt = f"Stacked column chart of actions by {by.replace('_', ' ')}: " + "; ".join(
        f"{c}: {words.count(o)} overdue, {words.count(n)} open not yet due, {words.count(d)} completed"
        for c, o, n, d in zip(categories, counts["overdue"], counts["not_due"], counts["completed"], strict=True)
    )
    chart = Chart(STACKED, categories, series, "Team" if by == "team" else "Service area", "Actions")
    sections = [
        Section(
            "actions",
            "Actions",
            title,
            alt,
            chart=chart,
            note=f"Actions raised up to the end of {ctx.cycle}, as at {words.date_text(day)}; cancelled actions left "
            "out. On time: completed on or before the due date.",
            data=status,
        )
    ]
    by_team = read_actions.overdue_by_team(ctx.wh, f, day)
    if not by_team.empty:
        listed = by_team.head(LIST_ROWS)
        rows = tuple(
            (
                r.team,
                r.service_area,
                SUPPRESSED if words.is_small_count(r.overdue) else str(r.overdue),
                f"{r.longest:.0f}",
                str(r.oldest),
            )
            for r in listed.itertuples()
        )
        more = len(by_team) - len(listed)
        worst = by_team.iloc[0]
        sections.append(
            Section(
                "actions_overdue",
                "Overdue actions by team",
                f"{said.most_overdue(worst['team'], worst['overdue'], by_team['overdue'].sum())}; the longest is "
                f"{by_team['longest'].max():.0f} days past due",
                "Table of the teams with overdue actions, most first: team, service area, number overdue, days the "
                "longest is past due, and that action.",
                table=Table(
                    ("Team", "Service area", "Overdue", "Longest (days)", "Oldest action"),
                    rows,
                    widths=(3.2, 3.4, 1.5, 1.8, 2.4),
                ),
                note=f"As at {words.date_text(day)}."
                + (f" {more} more teams are listed in the dashboard." if more else ""),
                data=by_team,
            )
        )
    return sections


def pld(ctx: Context) -> Section | None:
    """This cycle's Practice Learning Days against the framework."""
    log = read_pld.pld_log(ctx.wh, ctx.in_cycle, ctx.today)
    if log.empty:
        return None
    rows = tuple(
        (
            r.service_area,
            r.theme if isinstance(r.theme, str) else "Not recorded",
            r.held_status,
            r.planning_status,
            r.report_status,
            r.partners,
        )
        for r in log.itertuples()
    )
    held = int((log["held_status"] == "Held").sum())
    broke = log[log["outcome"] == "Breaks a rule"]
    title = f"{held} of {plural(len(log), 'PLD')} in {ctx.cycle} held"
    title += f"; {len(broke)} broke a rule of the framework" if len(broke) else "; every rule of the framework met"
    return Section(
        "pld",
        "Practice Learning Days",
        title,
        f"Table of the {len(log)} PLDs of {ctx.cycle}: service area, theme, whether held, whether the planning "
        "meeting and the report were on time, and whether partners took part.",
        table=Table(
            ("Service area", "Theme", "Held", "Planning meeting", "Report", "Partners"),
            rows,
            widths=(3.0, 2.9, 1.5, 1.9, 1.6, 1.4),
        ),
        note="Planning meeting at least 28 days before the PLD; report within 14 days of it; a PLD with partners "
        "at least once a year.",
        data=log,
    )


def impact(ctx: Context) -> Section | None:
    """Before and after this cycle's PLD theme (or the last one whose after-period has audits)."""
    for cycle in (ctx.cycle, ctx.previous):
        if cycle is None:
            continue
        f = Filters(service_areas=ctx.service_areas, cycle_from=cycle, cycle_to=cycle, scope=ctx.scope)
        pooled = read_impact.impact_by_theme(ctx.wh, f)
        after = pooled[pooled["period"] == "After"]
        if not pooled.empty and (after["n"] > 0).any():
            break
    else:
        return None
    theme = pooled.sort_values("n", ascending=False)["theme"].iloc[0]
    pooled = pooled[pooled["theme"] == theme]
    shown = _shares(pooled, "n", "k", ["k", "share", "lower", "upper"]).set_index("period").reindex(["Before", "After"])
    area = shown["practice_area"].iloc[0]
    series = tuple(
        Series(
            period,
            (_value(shown.loc[period, "share"], bool(shown.loc[period, "suppressed"])),),
            colour,
            pattern,
            (_label(shown.loc[period, "share"], bool(shown.loc[period, "suppressed"])),),
        )
        for period, colour, pattern in (("Before", PREVIOUS, "."), ("After", THIS, ""))
    )
    before, after = shown.loc["Before"], shown.loc["After"]
    late = "" if cycle == ctx.cycle else f" {ctx.cycle}'s PLDs are too recent: no audits after them yet."
    if before["suppressed"] or after["suppressed"]:
        title = f"Too few audits to judge the {cycle} PLDs on {theme} ({SUPPRESSED})"
    else:
        on = "" if area.casefold() == theme.casefold() else f" on {area}"
        title = build.make(
            "impact",
            theme,
            "share",
            (int(after["k"]), int(after["n"])),
            (int(before["k"]), int(before["n"])),
            ctx.as_at,
            f"{percent(before['share'])} before",
            lambda x: (
                f"After the {cycle} PLDs on {theme}: {percent(x.value)} of audits good or better{on}, "
                + words.change_words(x)
            ),
        ).sentence
    alt = (
        f"Column chart of the share of '{area}' graded good or better before and after the {cycle} PLDs themed "
        f"{theme}: before {series[0].labels[0]} (n={words.count(before['n'])}), after {series[1].labels[0]} "
        f"(n={words.count(after['n'])})."
    )
    note = (
        f"{area} good or better where a PLD on {theme} was held in {cycle}: two cycles up to it against two after "
        f"(n = {words.count(before['n'])} before, {words.count(after['n'])} after).{late}"
    )
    category = area if area.casefold() == theme.casefold() else f"{area}\n(theme: {theme})"
    chart = Chart(COLUMN, (category,), series, "", "% good or better", percent=True)
    return Section("impact", "Impact of the PLD", title, alt, chart=chart, note=note, data=shown.reset_index())


LOOP_STATES = {  # the open states of qa_read.loop, worst first: (colour, pattern)
    "No action yet": (GRADE_COLOURS["Inadequate"], "x"),
    "Actions open": ("#bdbdbd", "."),
    "Actions done, not yet re-examined": (ACCENT, ""),
}


def loops(ctx: Context) -> list[Section]:
    """Loops still open: findings of cycles up to this one with no action yet, actions open, or no evidence since."""
    read = read_loop
    f = ctx.filters()
    counted = read.counts(ctx.wh, f, up_to=ctx.cycle)
    if not counted["findings"].sum():
        return []
    found = read.loops(ctx.wh, f, limit=TABLE_ROWS - 1, up_to=ctx.cycle) if f.rows else None
    kinds = (read.THEME, read.LOW, read.ESCALATION)
    grid = counted.pivot_table(index="kind", columns="state", values="findings", aggfunc="sum").reindex(kinds)
    still = int(grid[list(LOOP_STATES)].to_numpy().sum())
    series = tuple(
        Series.of_counts(state, grid[state], colour, pattern) for state, (colour, pattern) in LOOP_STATES.items()
    )
    parts = [f"{words.count(int(grid[state].sum()))} {state.lower()}" for state in LOOP_STATES]
    said = f"{words.counted(still, 'finding')} still open: " + ", ".join(parts)
    title = said[:1].upper() + said[1:] if still else "Every finding's loop is closed"
    alt = "Stacked column chart of findings still open by kind: " + "; ".join(
        f"{kind}: " + ", ".join(f"{words.count(int(grid.loc[kind, s]))} {s.lower()}" for s in LOOP_STATES)
        for kind in kinds
    )
    improved = int(grid[read.IMPROVED].sum())
    note = (
        f"PLD themes, areas under {read.LOW_SHARE:.0%} good or better (n≥{SMALL_N}) and escalations, with the actions "
        f"raised from their audits. {words.count(improved)} re-examined since and improved. See the Learning loop page."
    )
    chart = Chart(STACKED, kinds, series, "Finding", "Findings")
    sections = [Section("loops", "Loops still open", title, alt, chart=chart, note=note, data=counted)]
    if found is not None and still:
        open_ = found[found["state"].isin(list(LOOP_STATES))]
        rows = tuple(
            (r.kind, r.service_area, r.cycle, str(r.subject), r.state, _cell_count(r.open_actions))
            for r in open_.itertuples()
        )
        sections.append(
            Section(
                "loops_open",
                "Loops still open",
                f"The {words.count(len(open_))} oldest of {words.counted(still, 'open loop')}, no action first",
                f"Table of {words.counted(len(open_), 'finding')} still open with kind, service area, cycle, "
                "subject, state and actions open.",
                table=Table(
                    ("Finding", "Service area", "Cycle", "Subject", "State", "Actions open"),
                    rows,
                    widths=(1.2, 2.8, 1.5, 2.6, 2.4, 1.0),
                ),
                note=f"Findings raised up to {ctx.cycle}; the dashboard's Learning loop page lists them all.",
                data=open_,
            )
        )
    return sections


def _cell_count(n) -> str:
    """A count alone in a table cell, by the pack's rule: "n<5" for 1 to 4."""
    return SUPPRESSED if words.is_small_count(n) else str(n)
