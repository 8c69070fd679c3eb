"""What goes in the practice progress meeting pack: a list of sections, each built from read-side queries.

The PowerPoint, the PDF and the dashboard's presentation mode all draw these sections and nothing else,
so the three say the same thing. A section holds its finding (the title), alt text, and either a chart (plain
categories and series) or a table (cells already written out), plus the query result behind it.

Small numbers are suppressed here by the dashboard's downloads' rule: a percentage resting on fewer than
``SMALL_N`` cases, or counting 1 to ``SMALL_N - 1`` of them, is blanked by ``exports.suppress_small_numbers``
and shown as "n<5"; a count of 1 to 4, in a sentence, a table cell or a chart, reads "fewer than 5" or "n<5"
(``findings.words.count``, ``reports.model.Chart``). Lists of records (escalated audits waiting) are not
figures and are shown as they are; PLDs are events, not people, and are counted as they are.
"""

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd

from data_pipeline.vocab import GOOD_GRADES, SCALE_ORDER
from findings import headline as findings
from findings import words
from findings.model import Finding
from qa_read import columns as C
from qa_read import cycles, grades, moderation
from qa_read import themes as read_themes
from qa_read.db import Warehouse
from qa_read.exports import suppress_small_numbers
from qa_read.filters import Filters, Scope
from qa_read.stats import SMALL_N
from reports import benchmarks, insight
from reports.model import (  # noqa: F401 (the drawing modules read the pack's parts from here too)
    BAR,
    COLUMN,
    LINE,
    LIST_ROWS,
    MARKING,
    QUOTE_SOURCES,
    STACKED,
    STACKED_100,
    SUPPRESSED,
    TABLE_COLUMNS,
    TABLE_ROWS,
    TREND_CYCLES,
    Chart,
    Context,
    Pack,
    Section,
    Series,
    Table,
    cycle_label,
    heat_colour,
    is_dark,
    number,
    percent,
    plural,
)
from ui.palette import ACCENT, GRADE_COLOURS, GRADE_PATTERNS

log = logging.getLogger(__name__)

# -- sections ---------------------------------------------------------------------------------------------------

# What each headline figure is out of, and its short name in the table.
HEADLINE_ROWS = {
    "audits_completed": ("Audits completed", ""),
    "good_or_better": ("Good or better", "graded audits"),
    "inadequate": ("Inadequate", "graded audits"),
    "open_escalations": ("Escalations awaiting oversight", "escalated audits"),
    "overdue_actions": ("Overdue actions", "open actions"),
    "supervision_held": ("Supervision held as expected", "sessions expected"),
    "child_voice": ("Child's voice captured", "audits"),
}


def _headline_row(x: Finding) -> tuple[str, ...]:
    """(measure, figure, figure compared with, change, what it rests on); a share on n<5 reads "n<5"."""
    name, basis = HEADLINE_ROWS[x.key]
    value = words.outgoing_figure(x)
    if x.unit == "share":
        before = SUPPRESSED if x.comparison_small and x.comparison_denominator else percent(x.comparison)
        # Small: what it is out of, and "fewer than 5 of" only where that, not the whole, made it small.
        shown = not x.small or (words.is_small_count(x.numerator) and not words.is_small(x.denominator))
        of = f"{words.count(x.numerator)} of " if shown else ""
        based = f"{of}{words.count(x.denominator)} {basis}"
    else:
        before = SUPPRESSED if x.comparison_small else "" if x.comparison is None else f"{x.comparison:.0f}"
        based = f"of {words.count(x.denominator)} {basis}" if x.denominator is not None else ""
    return name, value, before, words.signed_change(x) or "", based


def headline(ctx: Context) -> Section | None:
    """Headline measures against the previous cycle, each with its denominator (``findings.headline``)."""
    found = findings.headline(ctx.wh, ctx.filters(), ctx.today)
    if not found:
        return None
    by_key = {x.key: x for x in found}
    good, overdue = by_key["good_or_better"], by_key["overdue_actions"]
    p = findings.period(ctx.wh, ctx.filters(), ctx.today)
    rows = tuple(_headline_row(x) for x in found)
    columns = ("Measure", p.cycle, p.previous or "Previous cycle", "Change", "Based on")
    alt = (
        f"Table of {len(rows)} headline measures for {p.cycle} against {p.previous or 'no previous cycle'}: "
        + "; ".join(f"{r[0]} {r[1] or 'none'}" + (f" ({r[4]})" if r[4] else "") for r in rows)
        + "."
    )
    note = (
        f"As at {words.date_text(good.as_at)}: counts of audits, escalations and supervision are for {p.cycle}, "
        f"overdue actions are counted on that day (the previous figure on {overdue.comparison_label or 'no day'}). "
        f"Counts of 1 to {SMALL_N - 1}, and percentages resting on or counting them, show {SUPPRESSED}."
    )
    return Section(
        "headline",
        "Headline measures",
        findings.heading(p),
        alt,
        table=Table(columns, rows, widths=(3.2, 1.6, 1.6, 1.6, 3.2)),
        note=note,
        data=findings.frame(found),
    )


def grade_distribution(ctx: Context, scale: str = "Ofsted") -> Section | None:
    """Overall grades per cycle as 100% stacked columns, grades in scale order."""
    dist = grades.grade_distribution(ctx.wh, ctx.trend, scale)
    if dist.empty:
        return None
    shown = suppress_small_numbers(dist, "total", ["n", "share"], numerator="n")
    order = SCALE_ORDER[scale]
    cycle_list = list(dict.fromkeys(shown["cycle"]))
    totals = shown.groupby("cycle", sort=False)["total"].first()
    small = totals < SMALL_N
    categories = tuple(cycle_label(c, totals[c], small[c]) for c in cycle_list)
    series = []
    for grade in order:
        part = shown[shown["grade"] == grade].set_index("cycle").reindex(cycle_list)
        values = tuple(number(v) for v in part["share"])
        series.append(
            Series(
                grade,
                values,
                GRADE_COLOURS[grade],
                GRADE_PATTERNS[grade],
                # Segments under 6% are too thin to carry a label; the legend and the table below name them.
                tuple("" if v is None or v < 0.06 else percent(v) for v in values),
            )
        )
    title = findings.good_or_better(ctx.wh, ctx.filters(), ctx.today, scale).sentence
    last = shown[shown["cycle"] == ctx.cycle]
    if not last.empty and not small[ctx.cycle]:
        spread = ", ".join(
            f"{g} {SUPPRESSED if s else percent(v)}"
            for g, v, s in zip(last["grade"], last["share"], last["suppressed"], strict=True)
        )
        described = f"In {ctx.cycle}, of {int(last['total'].iloc[0])} graded audits: {spread}."
    else:
        described = f"{ctx.cycle} has too few graded audits to show."
    alt = (
        f"100% stacked column chart of the overall grade of audits on the {scale} scale, per cycle from "
        f"{cycle_list[0]} to {cycle_list[-1]}, grades in order {', '.join(order)}. {described}"
    )
    note = (
        f"Share of audits graded on the {scale} scale, per cycle; n is the number graded. "
        f"Cycles with fewer than {SMALL_N} graded audits are left blank ({SUPPRESSED})."
    )
    chart = Chart(STACKED_100, categories, tuple(series), "Cycle", "Share of graded audits", percent=True)
    return Section(
        f"grades_{scale.lower()}",
        "Overall grades" if scale == "Ofsted" else "Learning episodes: assurance",
        title,
        alt,
        chart=chart,
        note=note,
        data=shown,
    )


def good_or_better_trend(ctx: Context, scale: str = "Ofsted") -> Section | None:
    """The good-or-better rate per cycle with its 95% Wilson interval."""
    trend = grades.good_or_better_by_cycle(ctx.wh, ctx.trend, scale)
    if trend.empty:
        return None
    shown = suppress_small_numbers(trend, "n", ["k", "share", "lower", "upper"], numerator="k")
    values = tuple(number(v) for v in shown["share"])
    series = Series(
        "Good or better",
        values,
        ACCENT,
        labels=tuple(SUPPRESSED if s else percent(v) for v, s in zip(values, shown["suppressed"], strict=True)),
        lower=tuple(number(v) for v in shown["lower"]),
        upper=tuple(number(v) for v in shown["upper"]),
    )
    categories = tuple(cycle_label(c, n, n < SMALL_N) for c, n in zip(shown["cycle"], shown["n"], strict=True))
    shown_rates = shown[~shown["suppressed"]].set_index("cycle")
    title = findings.grade_trend(ctx.wh, ctx.trend, ctx.today).sentence
    points_text = "; ".join(
        f"{c} {SUPPRESSED if s else percent(v)}"
        for c, v, s in zip(shown["cycle"], values, shown["suppressed"], strict=True)
    )
    alt = (
        "Line chart of the share of graded audits that were good or better, per cycle, with 95% intervals. "
        f"{points_text}."
    )
    note = _interval_note(shown_rates, ctx.cycle, ctx.previous)
    chart = Chart(LINE, categories, (series,), "Cycle", "% good or better", percent=True)
    return Section("trend", "Good or better over time", title, alt, chart=chart, note=note, data=shown)


def _interval_note(rates: pd.DataFrame, cycle: str, previous: str | None) -> str:
    base = (
        f"Bars show 95% intervals (Wilson): the range the true rate is likely to lie in. Cycles with fewer than "
        f"{SMALL_N} graded audits are not plotted."
    )
    if cycle in rates.index and previous in rates.index:
        a, b = rates.loc[cycle], rates.loc[previous]
        overlap = a["lower"] <= b["upper"] and b["lower"] <= a["upper"]
        verdict = (
            "overlap, so the change may be chance"
            if overlap
            else "do not overlap, so the change is unlikely to be chance"
        )
        base += f" The intervals for {previous} and {cycle} {verdict}."
    return base


def practice_heatmap(ctx: Context, scale: str = "Ofsted") -> list[Section]:
    """Areas of practice by team in the chosen cycle: one table per service area, teams across, areas down."""
    heat = grades.practice_heatmap(ctx.wh, ctx.in_cycle, scale)
    if heat.empty:
        return []
    shown = suppress_small_numbers(heat, "n", ["k", "share", "lower", "upper"], numerator="k")
    roster = cycles.teams(ctx.wh, Filters(service_areas=ctx.service_areas, scope=ctx.scope))
    area_of = dict(zip(roster["team"], roster["service_area"], strict=True))
    shown["service_area"] = shown["team"].map(area_of).fillna(C.NOT_RECORDED)
    sections = []
    for area, part in shown.groupby("service_area", sort=True):
        teams = sorted(part["team"].unique(), key=str)
        parts = -(-len(teams) // TABLE_COLUMNS)
        size = -(-len(teams) // parts)
        chunks = [teams[i : i + size] for i in range(0, len(teams), size)]
        pooled = heat[heat["team"].isin(teams)].groupby("practice_area")[["k", "n"]].sum()
        title = f"{area}, {ctx.cycle}: {_strongest_and_weakest(pooled)}"
        for index, chunk in enumerate(chunks, start=1):
            table = _heat_table(part[part["team"].isin(chunk)], chunk)
            alt = (
                f"Table of the share of each area of practice graded good or better in {ctx.cycle}, {area}: one "
                f"column per team ({', '.join(map(str, chunk))}) and one row per area of practice. Each cell gives "
                f"the percentage and, in brackets, the number of audits graded; cells with fewer than "
                f"{SMALL_N} audits, or fewer than {SMALL_N} good or better, read {SUPPRESSED}."
            )
            sections.append(
                Section(
                    "heatmap",
                    f"Areas of practice by team: {area}",
                    title,
                    alt,
                    table=table,
                    note=(
                        f"Each cell: % of audits in {ctx.cycle} whose area of practice was graded good or better "
                        f"(number graded). Darker blue is higher; {SUPPRESSED}: fewer than {SMALL_N} graded, or "
                        f"fewer than {SMALL_N} good or better, not shown."
                    ),
                    data=part[part["team"].isin(chunk)],
                    part=f"{index} of {len(chunks)}" if len(chunks) > 1 else "",
                )
            )
    return sections


def _strongest_and_weakest(pooled: pd.DataFrame) -> str:
    pooled = pooled[(pooled["n"] >= SMALL_N) & ~pooled["k"].between(1, SMALL_N - 1)]
    if pooled.empty:
        return f"too few audits to compare areas of practice ({SUPPRESSED})"
    rate = (pooled["k"] / pooled["n"]).sort_values(kind="stable")
    best, worst = rate.index[-1], rate.index[0]
    if len(rate) == 1:
        return f"{best} {percent(rate.iloc[-1])} good or better"
    if percent(rate.iloc[-1]) == percent(rate.iloc[0]):
        return f"every area of practice {percent(rate.iloc[-1])} good or better"
    return f"{best} strongest ({percent(rate.iloc[-1])} good or better), {worst} weakest ({percent(rate.iloc[0])})"


def _heat_table(cells: pd.DataFrame, teams: list[str]) -> Table:
    by_cell = cells.set_index(["practice_area", "team"])
    rows, shades = [], []
    for area in sorted(cells["practice_area"].unique()):
        row, shade = [area], [None]
        for team in teams:
            if (area, team) not in by_cell.index:
                row.append("")
                shade.append(None)
                continue
            cell = by_cell.loc[(area, team)]
            if cell["suppressed"]:
                row.append(SUPPRESSED)
                shade.append(None)
            else:
                row.append(f"{percent(cell['share'])} ({int(cell['n'])})")
                shade.append(heat_colour(cell["share"]))
        rows.append(tuple(row))
        shades.append(tuple(shade))
    widths = (3.0, *([min(2.2, 9.3 / len(teams))] * len(teams)))
    return Table(("Area of practice", *map(str, teams)), tuple(rows), tuple(shades), widths)


ESCALATION_STATES = {
    "Oversight recorded": (ACCENT, ""),
    "Awaiting oversight": (GRADE_COLOURS["Inadequate"], "x"),
}


def escalations(ctx: Context) -> list[Section]:
    """Escalated audits per cycle by whether management oversight followed, and the list still waiting."""
    counted = moderation.escalations_by_cycle(ctx.wh, ctx.trend)
    if counted.empty:
        return []
    per_cycle = counted.pivot_table(index="cycle", columns="state", values="audits", aggfunc="sum", fill_value=0)
    # Every cycle of the window and both states, zeros too, so the columns line up with the other trends.
    cycle_list = [c for c in ctx.window if c >= counted["cycle"].min()]
    per_cycle = per_cycle.reindex(index=cycle_list, columns=list(ESCALATION_STATES), fill_value=0).astype(int)
    series = tuple(
        Series.of_counts(state, per_cycle[state], colour, pattern)
        for state, (colour, pattern) in ESCALATION_STATES.items()
    )
    awaiting = counted[counted["state"] == "Awaiting oversight"]
    waiting_count = int(awaiting["audits"].sum())
    recent = int(awaiting.loc[awaiting["cycle"] == ctx.cycle, "audits"].sum())
    if not waiting_count:
        title = "Every escalated audit has been followed by management oversight"
    else:
        title = (
            f"{words.counted(waiting_count, 'escalated audit').capitalize()} still "
            f"{'awaits' if words.count(waiting_count) == '1' else 'await'} management oversight, "
            f"{words.count(recent)} from {ctx.cycle}"
        )
    summary = moderation.escalation_summary(ctx.wh, ctx.trend).iloc[0]
    followed = round(summary["pct_with_oversight"] * summary["escalations"]) if not summary["small_n"] else None
    with_oversight = (
        SUPPRESSED
        if summary["small_n"] or words.is_small_count(followed)
        else f"{percent(summary['pct_with_oversight'])} of {summary['escalations']}"
    )
    median = summary["median_days_to_oversight"]
    note = (
        f"An audit is escalated when graded Inadequate (by auditor or moderator) or the child is not safe. "
        f"{with_oversight} escalated audits since {ctx.window[0]} were followed by oversight"
        + ("" if pd.isna(median) else f", after a median of {median:.0f} days")
        + "."
    )
    alt = (
        f"Stacked column chart of escalated audits per cycle from {cycle_list[0]} to {cycle_list[-1]}, split into "
        "oversight recorded and awaiting oversight. "
        + "; ".join(
            f"{c}: {words.count(per_cycle.loc[c, 'Oversight recorded'])} recorded, "
            f"{words.count(per_cycle.loc[c, 'Awaiting oversight'])} waiting"
            for c in cycle_list
        )
        + "."
    )
    chart = Chart(STACKED, tuple(cycle_list), series, "Cycle (of the audit)", "Escalated audits")
    sections = [Section("escalations", "Escalations and oversight", title, alt, chart=chart, note=note, data=per_cycle)]
    if waiting_count:
        # Escalations come awaiting oversight first, longest wait first.
        longest = moderation.escalations(ctx.wh, ctx.trend, ctx.today, limit=LIST_ROWS)
        listed = longest[longest["outstanding"]]
        rows = tuple(
            (
                str(r.audit_id),
                str(r.cycle),
                str(r.team if isinstance(r.team, str) else "Not recorded"),
                r.reason,
                f"{r.days_waiting:.0f}",
            )
            for r in listed.itertuples()
        )
        more = waiting_count - len(listed)
        list_title = (
            f"{words.counted(waiting_count, 'audit').capitalize()} awaiting oversight; the longest has waited "
            f"{listed['days_waiting'].iloc[0]:.0f} days"
        )
        sections.append(
            Section(
                "escalations_waiting",
                "Escalations awaiting oversight",
                list_title,
                f"Table of the {len(listed)} escalated audits waiting longest for management oversight, with "
                "audit, cycle, team, reason and days waiting.",
                table=Table(
                    ("Audit", "Cycle", "Team", "Why escalated", "Days waiting"), rows, widths=(1.4, 1.4, 2.6, 4.4, 1.4)
                ),
                note=f"Days from the audit to {ctx.today:%d %B %Y}."
                + (f" {words.count(more)} more are listed in the dashboard." if more else ""),
                data=listed,
            )
        )
    return sections


def moderation_movement(ctx: Context, scale: str = "Ofsted") -> Section | None:
    """How moderation moved grades in the chosen cycle, with the agreement rate and kappa."""
    agreement = moderation.moderation_agreement(ctx.wh, ctx.in_cycle, scale).iloc[0]
    if not agreement["n"]:
        return None
    movement = moderation.moderation_movement(ctx.wh, ctx.in_cycle, scale)
    moved = movement.set_index("direction")["n"]
    n = int(agreement["n"])
    if agreement["small_n"]:
        title = f"Too few moderated audits in {ctx.cycle} to give an agreement rate ({SUPPRESSED})"
        kappa_text = ""
    else:
        title = (
            f"Moderators kept {_kept(agreement['pct_agreement'], moved.get('Same', 0), n)} grades in {ctx.cycle}; "
            f"{words.count(moved.get('Moved down', 0))} moved down and {words.count(moved.get('Moved up', 0))} up"
        )
        kappa = agreement["kappa"]
        kappa_text = "" if pd.isna(kappa) else f" Cohen's kappa {kappa:.2f} (1 is perfect agreement, 0 chance)."
    series = Series(
        "Moderated audits",
        tuple(float(v) for v in movement["n"]),
        ACCENT,
        labels=tuple(str(v) for v in movement["n"]),
    )
    alt = (
        f"Bar chart of {words.counted(n, 'audit')} moderated in {ctx.cycle}: "
        + ", ".join(f"{d} {words.count(v)}" for d, v in zip(movement["direction"], movement["n"], strict=True))
        + "."
    )
    note = (
        f"{words.counted(n, 'audit')} on the {scale} scale graded by both auditor and moderator in {ctx.cycle}. "
        "Up means the "
        f"moderator graded better than the auditor.{kappa_text}"
    )
    chart = Chart(BAR, tuple(movement["direction"]), (series,), "", "Moderated audits")
    return Section("moderation", "Moderation", title, alt, chart=chart, note=note, data=movement)


def _kept(share, kept: int, n: int) -> str:
    """ "43% of" the grades moderators kept, or "fewer than 5 of 7" where the share would give back 1 to 4."""
    return f"{words.FEW} of {n}" if words.is_small_count(kept) else f"{percent(share)} of"


CORE: tuple[Callable[[Context], Section | list[Section] | None], ...] = (
    headline,
    grade_distribution,
    good_or_better_trend,
    practice_heatmap,
    escalations,
    moderation_movement,
)
# Sections from the insight pages, each left out (with a warning) on a warehouse too old to hold its tables;
# last, the council beside its published figures.
OPTIONAL = (
    insight.themes,
    insight.child_voice,
    insight.supervision,
    insight.actions,
    insight.pld,
    insight.impact,
    insight.loops,
    benchmarks.national_context,
)

# Sections are built side by side: most of a section's time is DuckDB's, which runs without the GIL, and each query
# has its own cursor (qa_read.db). Four threads on two cores took a pack at national scale from 2.0 s to 1.3 s.
SECTION_THREADS = 4


def _run(builder, ctx: Context) -> list[Section]:
    try:
        made = builder(ctx)
    except duckdb.CatalogException as exc:
        if builder in CORE:
            raise
        log.warning("pack: leaving out %s: %s", builder.__name__, exc)
        return []
    if made is None:
        return []
    return made if isinstance(made, list) else [made]


DEFINITIONS = (
    ("Cycle", "A financial-year quarter: 2026/27 Q2 is July to September 2026."),
    (
        "Good or better",
        f"Audits whose overall grade is {' or '.join(GOOD_GRADES['Ofsted'])}, out of all audits graded on the "
        "Ofsted scale.",
    ),
    (
        "Denominators",
        "Every percentage is given with the number it is out of: '122 of 162 graded audits', '(n=162)'.",
    ),
    (
        "Small numbers",
        f"A count of 1 to {SMALL_N - 1}, and a percentage resting on fewer than {SMALL_N} cases or counting 1 to "
        f"{SMALL_N - 1} of them, is not shown: the pack reads '{SUPPRESSED}', 'fewer than {SMALL_N}' or is blank, "
        "exactly as in the dashboard's downloads. Lists of escalated audits are records, shown as they are.",
    ),
    (
        "95% interval",
        "Wilson score interval: the range the true rate is likely to lie in, wider when fewer cases are counted.",
    ),
    (
        "Escalation",
        "An audit graded Inadequate by the auditor or moderator, or where the child is not safe; it needs "
        "management oversight.",
    ),
    ("Overdue action", "An open action past its due date, as at the date given."),
    (
        "As at",
        "Headline figures are true as at the earlier of today and the last day of their cycle; the comparison "
        "as at the last day of the cycle before.",
    ),
)


def build(
    wh: Warehouse,
    cycle: str,
    service_areas=(),
    *,
    today: dt.date | None = None,
    scope: Scope | None = None,
    quotes_from=QUOTE_SOURCES,
) -> Pack:
    """The pack for one cycle and service areas (none: all), compared with the cycle before it; its themes and
    quotes from ``quotes_from`` (some of ``qa_read.themes.SOURCES``; by default focus groups and child's voice).

    Kept in the warehouse's result cache like a query, so a rerun of the Pack or Present page that changes
    neither reuses it: a pack reads only the warehouse, and is never changed once built.
    """
    service_areas = tuple(service_areas)
    options = cycles.cycles(wh, Filters(scope=scope))["cycle"].tolist()
    if cycle not in options:
        raise ValueError(f"no data for cycle {cycle!r}; cycles with data: {', '.join(options) or 'none'}")
    today = today or dt.date.today()
    quotes_from = read_themes.check_sources(quotes_from)
    key = ("reports.content.build", cycle, service_areas, today, scope, quotes_from)
    return wh.cached(key, lambda: _build(wh, cycle, service_areas, today, scope, options, quotes_from))


def _build(
    wh: Warehouse, cycle: str, service_areas: tuple, today: dt.date, scope: Scope | None, options, quotes_from
) -> Pack:
    window = tuple(c for c in options if c <= cycle)[-TREND_CYCLES:]
    _, previous = cycles.latest_and_previous(wh, Filters(service_areas=service_areas, cycle_to=cycle, scope=scope))
    ctx = Context(wh, cycle, previous, service_areas, scope, today, window, quotes_from)
    with ThreadPoolExecutor(SECTION_THREADS) as pool:
        made = pool.map(lambda builder: _run(builder, ctx), (*CORE, *OPTIONAL))  # in order, as submitted
        sections = [section for part in made for section in part]
    return Pack(
        cycle=cycle,
        previous_cycle=previous,
        service_areas=service_areas,
        data_as_of=wh.data_as_of(),
        as_at=ctx.as_at,
        sections=tuple(sections),
        definitions=DEFINITIONS,
    )
