"""What goes in the practice progress meeting pack: a list of sections, each built from read-side queries.

The PowerPoint, the PDF and the dashboard's presentation mode all draw these sections and nothing else,
so the three say the same thing. A section holds its finding (the title), alt text, and either a chart (plain
categories and series) or a table (cells already written out), plus the query result behind it.

Small numbers are suppressed here, once, exactly as in the dashboard's downloads: a percentage resting on
fewer than ``SMALL_N`` cases is blanked by ``exports.suppress_small_numbers`` and shown as "n<5", never as a
percentage; its count is left out too. Counts that are not percentages (escalations, actions) are shown.
"""

import datetime as dt
import importlib
import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from qa_read import columns as C
from qa_read import cycles, grades, moderation, overview
from qa_read.db import Warehouse
from qa_read.exports import suppress_small_numbers
from qa_read.filters import Filters, Scope
from qa_read.stats import SMALL_N
from ui.charts import HEAT_SCALE, text_on
from ui.palette import ACCENT, GRADE_COLOURS, GRADE_PATTERNS, SCALE_ORDER

log = logging.getLogger(__name__)

# Trends show at most two years: what the meeting compares, and few enough columns to read from the back.
TREND_CYCLES = 8
# Rows of a table on one slide or screen at 16 pt; longer tables continue on the next slide.
TABLE_ROWS = 9
# Teams across one table: team names wrap onto two or three lines in the columns left.
TABLE_COLUMNS = 5
# Lists (escalations, overdue actions) show the longest-waiting rows; the rest are counted in a note.
LIST_ROWS = 18
SUPPRESSED = f"n<{SMALL_N}"
MARKING = "OFFICIAL – SENSITIVE"
GOOD = ("Outstanding", "Good")

STACKED_100 = "stacked_100"  # shares per category, one series per grade, in scale order
LINE = "line"  # a rate per cycle, with optional 95% intervals
BAR = "bar"  # horizontal bars, one or more series
COLUMN = "column"  # clustered columns
STACKED = "stacked"  # stacked counts


@dataclass(frozen=True)
class Series:
    """One series of a chart. ``values`` are None where a figure is suppressed or missing."""

    name: str
    values: tuple[float | None, ...]
    colour: str = ACCENT
    pattern: str = ""  # a palette pattern: "" solid, "/" diagonal, "." dots, "x" cross
    labels: tuple[str, ...] = ()  # the data label of each point, "" for none
    lower: tuple[float | None, ...] | None = None  # 95% interval, same units as values
    upper: tuple[float | None, ...] | None = None


@dataclass(frozen=True)
class Chart:
    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    x_title: str
    y_title: str
    percent: bool = False  # values are fractions, shown as percentages


@dataclass(frozen=True)
class Table:
    """Cells as they are shown. ``shades`` gives a cell's fill (hex) where it carries meaning, else None."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shades: tuple[tuple[str | None, ...], ...] | None = None
    widths: tuple[float, ...] | None = None  # relative column widths


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # the topic, short: "Overall grades"
    title: str  # the finding: "75% of audits good or better in 2026/27 Q2, up 4 points"
    alt: str  # what the chart or table shows, for screen readers
    chart: Chart | None = None
    table: Table | None = None
    note: str = ""  # denominators, what was suppressed, how it was counted
    data: pd.DataFrame | None = field(default=None, compare=False, repr=False)  # suppressed, as downloaded
    part: str = ""  # "2 of 3" when a long table continues over several slides

    def parts(self, rows: int = TABLE_ROWS) -> list["Section"]:
        """This section, with a long table split into slides of at most ``rows`` rows."""
        if self.table is None or len(self.table.rows) <= rows:
            return [self]
        count = -(-len(self.table.rows) // rows)
        size = -(-len(self.table.rows) // count)  # even parts: 17 rows make 9 and 8, not 9 and 8 and 0
        chunks = range(0, len(self.table.rows), size)
        out = []
        for number, start in enumerate(chunks, start=1):
            shades = self.table.shades[start : start + size] if self.table.shades else None
            table = replace(self.table, rows=self.table.rows[start : start + size], shades=shades)
            out.append(replace(self, table=table, part=f"{number} of {count}"))
        return out


@dataclass(frozen=True)
class Pack:
    cycle: str
    previous_cycle: str | None
    service_areas: tuple[str, ...]
    data_as_of: pd.Timestamp | None
    as_at: dt.date
    sections: tuple[Section, ...]
    definitions: tuple[tuple[str, str], ...]

    @property
    def areas_label(self) -> str:
        return ", ".join(self.service_areas) if self.service_areas else "All service areas"

    @property
    def data_as_of_label(self) -> str:
        return f"{self.data_as_of:%d %B %Y, %H:%M}" if self.data_as_of is not None else "no data loaded"

    @property
    def title(self) -> str:
        return f"Practice progress meeting: {self.cycle}"

    def file_name(self, extension: str) -> str:
        """``meeting-pack-2026-27-q2.pptx``, with the service area when there is just one."""
        words = [self.cycle, *self.service_areas[:1]] if len(self.service_areas) == 1 else [self.cycle]
        slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")
        return f"meeting-pack-{slug}.{extension}"

    def slides(self, rows: int = TABLE_ROWS) -> list[Section]:
        """Every section, long tables split: one entry per slide (and per presentation screen)."""
        return [part for section in self.sections for part in section.parts(rows)]


@dataclass(frozen=True)
class Context:
    """What every section builder needs: the warehouse, the chosen cycle and areas, and their filters."""

    wh: Warehouse
    cycle: str
    previous: str | None
    service_areas: tuple[str, ...]
    scope: Scope | None
    today: dt.date
    window: tuple[str, ...]  # the cycles a trend shows, ending with ``cycle``

    def filters(self, cycle_from: str | None = None) -> Filters:
        return Filters(service_areas=self.service_areas, cycle_from=cycle_from, cycle_to=self.cycle, scope=self.scope)

    @property
    def in_cycle(self) -> Filters:
        return self.filters(self.cycle)

    @property
    def trend(self) -> Filters:
        return self.filters(self.window[0])

    @property
    def as_at(self) -> dt.date:
        """The date counts of open things are taken at: the end of the cycle, or today if that is earlier."""
        return min(self.today, cycles.cycle_bounds(self.cycle)[1])


# -- formatting ------------------------------------------------------------------------------------------------


def percent(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.0%}"


def points(value, before) -> int | None:
    """Change in whole percentage points between two shares, as they are shown (rounded first)."""
    if value is None or before is None or pd.isna(value) or pd.isna(before):
        return None
    return round(value * 100) - round(before * 100)


def change_words(change: int | None, unit: str = "points") -> str:
    if change is None:
        return ""
    if change == 0:
        return "unchanged"
    one = unit.rstrip("s") if abs(change) == 1 else unit
    return f"{'up' if change > 0 else 'down'} {abs(change)} {one}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _value(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _mix(a: str, b: str, t: float) -> str:
    x = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    y = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(p + (q - p) * t):02x}" for p, q in zip(x, y, strict=True))


def heat_colour(share: float) -> str:
    """The dashboard heatmap's colour for a share (0 to 1)."""
    for (s0, c0), (s1, c1) in itertools.pairwise(HEAT_SCALE):
        if share <= s1:
            return _mix(c0, c1, (share - s0) / (s1 - s0))
    return HEAT_SCALE[-1][1]


def is_dark(colour: str) -> bool:
    """Whether white text reads better than black on ``colour``."""
    return text_on(colour) == "white"


def cycle_label(cycle: str, n, small: bool) -> str:
    """A category label with its denominator: "2026/27 Q2\\n(n=162)", or "(n<5)" when suppressed."""
    return f"{cycle}\n({SUPPRESSED})" if small else f"{cycle}\n(n={int(n)})"


# -- sections ---------------------------------------------------------------------------------------------------

HEADLINE_BASIS = {
    "good_or_better": "graded audits",
    "inadequate": "graded audits",
    "open_escalations": "escalated audits",
    "overdue_actions": "open actions",
    "supervision_held": "sessions expected",
    "child_voice": "audits",
}
HEADLINE_NAMES = {
    "audits_completed": "Audits completed",
    "good_or_better": "Good or better",
    "inadequate": "Inadequate",
    "open_escalations": "Escalations awaiting oversight",
    "overdue_actions": "Overdue actions",
    "supervision_held": "Supervision held as expected",
    "child_voice": "Child's voice captured",
}


def headline(ctx: Context) -> Section | None:
    """Headline measures against the previous cycle, each with its denominator."""
    m = overview.overview(ctx.wh, ctx.filters(), ctx.today)
    if not isinstance(m["cycle"].iloc[0], str):
        return None
    shown = m.astype({c: float for c in ("numerator", "previous_numerator", "value", "previous_value", "change")})
    shares = shown["unit"] == "share"
    # Each percentage is suppressed on its own denominator, this cycle's and the previous one's.
    now = suppress_small_numbers(shown[shares], "denominator", ["numerator", "value", "change"])
    before = suppress_small_numbers(
        shown[shares], "previous_denominator", ["previous_numerator", "previous_value", "change"]
    )
    shown[["suppressed", "previous_suppressed"]] = False
    shown.loc[shares, ["numerator", "value", "suppressed"]] = now[["numerator", "value", "suppressed"]]
    shown.loc[shares, ["previous_numerator", "previous_value"]] = before[["previous_numerator", "previous_value"]]
    shown.loc[shares, "previous_suppressed"] = before["suppressed"]
    shown.loc[shares, "change"] = now["change"].where(~before["suppressed"])
    latest, previous = m["cycle"].iloc[0], m["previous_cycle"].iloc[0]
    previous = previous if isinstance(previous, str) else None

    rows, by_key = [], {}
    for r in shown.itertuples(index=False):
        by_key[r.measure] = r
        if r.unit == "share":
            value = SUPPRESSED if r.suppressed else percent(r.value)
            before_value = SUPPRESSED if r.previous_suppressed else percent(r.previous_value)
            change = points(r.value, r.previous_value)
            change_text = "" if change is None else f"{change:+d} points" if change else "0 points"
            basis = "" if pd.isna(r.denominator) else f"{r.denominator:.0f} {HEADLINE_BASIS[r.measure]}"
            if not r.suppressed and not pd.isna(r.numerator):
                basis = f"{r.numerator:.0f} of {basis}"
        else:
            value = "" if pd.isna(r.value) else f"{r.value:.0f}"
            before_value = "" if pd.isna(r.previous_value) else f"{r.previous_value:.0f}"
            change_text = "" if pd.isna(r.change) else f"{r.change:+.0f}"
            basis = ""
            if r.measure in HEADLINE_BASIS and not pd.isna(r.denominator):
                basis = f"of {r.denominator:.0f} {HEADLINE_BASIS[r.measure]}"
        rows.append((HEADLINE_NAMES.get(r.measure, r.label), value, before_value, change_text, basis))

    findings = []
    good = by_key.get("good_or_better")
    if good is not None and not good.suppressed and not pd.isna(good.value):
        words = change_words(points(good.value, good.previous_value))
        findings.append(f"{percent(good.value)} of audits good or better" + (f" ({words})" if words else ""))
    overdue = by_key.get("overdue_actions")
    if overdue is not None and not pd.isna(overdue.value):
        findings.append(plural(int(overdue.value), "action") + " overdue")
    waiting = by_key.get("open_escalations")
    if waiting is not None and not pd.isna(waiting.value):
        findings.append(f"{waiting.value:.0f} of {plural(int(waiting.denominator), 'escalation')} awaiting oversight")
    title = f"{latest}: " + ("; ".join(findings) if findings else f"{by_key['audits_completed'].value:.0f} audits")
    columns = ("Measure", latest, previous or "Previous cycle", "Change", "Based on")
    alt = (
        f"Table of {len(rows)} headline measures for {latest} against {previous or 'no previous cycle'}: "
        + "; ".join(f"{r[0]} {r[1] or 'none'}" + (f" ({r[4]})" if r[4] else "") for r in rows)
        + "."
    )
    note = (
        f"Counts of audits, escalations and supervision are for {latest}; overdue actions are counted as at "
        f"{ctx.as_at:%d %B %Y} (the previous figure as at the end of {previous or 'the previous cycle'}). "
        f"Percentages resting on fewer than {SMALL_N} cases show {SUPPRESSED}."
    )
    return Section(
        "headline",
        "Headline measures",
        title,
        alt,
        table=Table(columns, tuple(rows), widths=(3.2, 1.6, 1.6, 1.6, 3.2)),
        note=note,
        data=shown,
    )


def is_small(n) -> bool:
    return bool(pd.isna(n) or n < SMALL_N)


def grade_distribution(ctx: Context, scale: str = "Ofsted") -> Section | None:
    """Overall grades per cycle as 100% stacked columns, grades in scale order."""
    dist = grades.grade_distribution(ctx.wh, ctx.trend, scale)
    if dist.empty:
        return None
    shown = suppress_small_numbers(dist, "total", ["n", "share"])
    order = SCALE_ORDER[scale]
    cycle_list = list(dict.fromkeys(shown["cycle"]))
    totals = shown.groupby("cycle", sort=False)["total"].first()
    small = shown.groupby("cycle", sort=False)["suppressed"].first()
    categories = tuple(cycle_label(c, totals[c], small[c]) for c in cycle_list)
    series = []
    for grade in order:
        part = shown[shown["grade"] == grade].set_index("cycle").reindex(cycle_list)
        values = tuple(_value(v) for v in part["share"])
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
    rates = grades.good_or_better_by_cycle(ctx.wh, ctx.trend, scale).set_index("cycle")
    good_label = "good or better" if scale == "Ofsted" else "high assurance"
    title = _rate_finding(rates, ctx.cycle, ctx.previous, f"of audits {good_label}", "audits")
    last = shown[shown["cycle"] == ctx.cycle]
    if not last.empty and not last["suppressed"].iloc[0]:
        spread = ", ".join(f"{g} {percent(s)}" for g, s in zip(last["grade"], last["share"], strict=True))
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


def _rate_finding(rates: pd.DataFrame, cycle: str, previous: str | None, what: str, things: str) -> str:
    """ "75% of audits good or better in 2026/27 Q2, up 4 points on 2026/27 Q1", honest about small numbers."""
    if cycle not in rates.index:
        return f"No {things} in {cycle}"
    row = rates.loc[cycle]
    if is_small(row["n"]):
        return f"Too few {things} in {cycle} to give a percentage ({SUPPRESSED})"
    text = f"{percent(row['share'])} {what} in {cycle}"
    if previous in rates.index and not is_small(rates.loc[previous, "n"]):
        words = change_words(points(row["share"], rates.loc[previous, "share"]))
        text += f", {words} on {previous}" if words != "unchanged" else f", unchanged on {previous}"
    return text


def good_or_better_trend(ctx: Context, scale: str = "Ofsted") -> Section | None:
    """The good-or-better rate per cycle with its 95% Wilson interval."""
    trend = grades.good_or_better_by_cycle(ctx.wh, ctx.trend, scale)
    if trend.empty:
        return None
    shown = suppress_small_numbers(trend, "n", ["k", "share", "lower", "upper"])
    values = tuple(_value(v) for v in shown["share"])
    series = Series(
        "Good or better",
        values,
        ACCENT,
        labels=tuple(SUPPRESSED if s else percent(v) for v, s in zip(values, shown["suppressed"], strict=True)),
        lower=tuple(_value(v) for v in shown["lower"]),
        upper=tuple(_value(v) for v in shown["upper"]),
    )
    categories = tuple(
        cycle_label(c, n, s) for c, n, s in zip(shown["cycle"], shown["n"], shown["suppressed"], strict=True)
    )
    shown_rates = shown[~shown["suppressed"]].set_index("cycle")
    title = f"Good or better: {_trend_words(shown_rates, ctx.cycle)}"
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


def _trend_words(rates: pd.DataFrame, cycle: str) -> str:
    if cycle not in rates.index:
        return f"too few graded audits in {cycle} to give a percentage"
    now = rates.loc[cycle, "share"]
    first_cycle = rates.index[0]
    if first_cycle == cycle:
        return f"{percent(now)} in {cycle}"
    change = points(now, rates.loc[first_cycle, "share"])
    verb = "rose" if change > 0 else "fell" if change < 0 else "held"
    if change == 0:
        return f"held at {percent(now)} from {first_cycle} to {cycle}"
    return f"{verb} from {percent(rates.loc[first_cycle, 'share'])} in {first_cycle} to {percent(now)} in {cycle}"


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
    shown = suppress_small_numbers(heat, "n", ["k", "share", "lower", "upper"])
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
        for number, chunk in enumerate(chunks, start=1):
            table = _heat_table(part[part["team"].isin(chunk)], chunk)
            small = int(part[part["team"].isin(chunk)]["suppressed"].sum())
            alt = (
                f"Table of the share of each area of practice graded good or better in {ctx.cycle}, {area}: one "
                f"column per team ({', '.join(map(str, chunk))}) and one row per area of practice. Each cell gives "
                f"the percentage and, in brackets, the number of audits graded; {small} cells with fewer than "
                f"{SMALL_N} audits read {SUPPRESSED}."
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
                        f"(number graded). Darker blue is higher; {SUPPRESSED}: fewer than {SMALL_N}, not shown."
                    ),
                    data=part[part["team"].isin(chunk)],
                    part=f"{number} of {len(chunks)}" if len(chunks) > 1 else "",
                )
            )
    return sections


def _strongest_and_weakest(pooled: pd.DataFrame) -> str:
    pooled = pooled[pooled["n"] >= SMALL_N]
    if pooled.empty:
        return f"too few audits to compare areas of practice ({SUPPRESSED})"
    rate = (pooled["k"] / pooled["n"]).sort_values(kind="stable")
    best, worst = rate.index[-1], rate.index[0]
    if len(rate) == 1:
        return f"{best} {percent(rate.iloc[-1])} good or better"
    if points(rate.iloc[-1], rate.iloc[0]) == 0:
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
        Series(
            state,
            tuple(float(v) for v in per_cycle[state]),
            colour,
            pattern,
            tuple(str(v) if v else "" for v in per_cycle[state]),
        )
        for state, (colour, pattern) in ESCALATION_STATES.items()
    )
    awaiting = counted[counted["state"] == "Awaiting oversight"]
    waiting_count = int(awaiting["audits"].sum())
    recent = int(awaiting.loc[awaiting["cycle"] == ctx.cycle, "audits"].sum())
    if not waiting_count:
        title = "Every escalated audit has been followed by management oversight"
    else:
        title = (
            f"{plural(waiting_count, 'escalated audit')} still {'awaits' if waiting_count == 1 else 'await'} "
            f"management oversight, {recent} from {ctx.cycle}"
        )
    summary = moderation.escalation_summary(ctx.wh, ctx.trend).iloc[0]
    with_oversight = (
        SUPPRESSED if summary["small_n"] else f"{percent(summary['pct_with_oversight'])} of {summary['escalations']}"
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
            f"{c}: {per_cycle.loc[c, 'Oversight recorded']} recorded, {per_cycle.loc[c, 'Awaiting oversight']} waiting"
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
            f"{plural(waiting_count, 'audit')} awaiting oversight; the longest has waited "
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
                + (f" {more} more are listed in the dashboard." if more else ""),
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
            f"Moderators kept {percent(agreement['pct_agreement'])} of grades in {ctx.cycle}; "
            f"{moved.get('Moved down', 0)} moved down and {moved.get('Moved up', 0)} up"
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
        f"Bar chart of {n} audits moderated in {ctx.cycle}: "
        + ", ".join(f"{d} {v}" for d, v in zip(movement["direction"], movement["n"], strict=True))
        + "."
    )
    note = (
        f"{n} audits on the {scale} scale graded by both auditor and moderator in {ctx.cycle}. Up means the "
        f"moderator graded better than the auditor.{kappa_text}"
    )
    chart = Chart(BAR, tuple(movement["direction"]), (series,), "", "Moderated audits")
    return Section("moderation", "Moderation", title, alt, chart=chart, note=note, data=movement)


CORE: tuple[Callable[[Context], Section | list[Section] | None], ...] = (
    headline,
    grade_distribution,
    good_or_better_trend,
    practice_heatmap,
    escalations,
    moderation_movement,
)
# (qa_read module, builder in reports.insight): sections from the insight modules, each used when its module
# imports, and left out (with a warning) on a warehouse too old to hold its tables.
OPTIONAL = (
    ("themes", "themes"),
    ("child_voice", "child_voice"),
    ("supervision", "supervision"),
    ("actions", "actions"),
    ("pld", "pld"),
    ("impact", "impact"),
    ("loop", "loops"),
)


def optional_builders() -> list[Callable[[Context], Section | list[Section] | None]]:
    from reports import insight  # it builds on this module's pieces

    builders = []
    for module, name in OPTIONAL:
        try:
            importlib.import_module(f"qa_read.{module}")
        except ImportError:
            continue
        builders.append(getattr(insight, name))
    return builders


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
        "Audits whose overall grade is Outstanding or Good, out of all audits graded on the Ofsted scale.",
    ),
    (
        "Denominators",
        "Every percentage is given with the number it is out of: '122 of 162 graded audits', '(n=162)'.",
    ),
    (
        "Small numbers",
        f"A percentage resting on fewer than {SMALL_N} cases is not shown: the pack reads '{SUPPRESSED}' or is "
        "blank, and its count is left out, exactly as in the dashboard's downloads.",
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
)


def build(
    wh: Warehouse,
    cycle: str,
    service_areas=(),
    *,
    today: dt.date | None = None,
    scope: Scope | None = None,
) -> Pack:
    """The pack for one cycle and service areas (none: all), compared with the cycle before it.

    Kept in the warehouse's result cache like a query, so a rerun of the Pack or Present page that changes
    neither reuses it: a pack reads only the warehouse, and is never changed once built.
    """
    service_areas = tuple(service_areas)
    options = cycles.cycles(wh, Filters(scope=scope))["cycle"].tolist()
    if cycle not in options:
        raise ValueError(f"no data for cycle {cycle!r}; cycles with data: {', '.join(options) or 'none'}")
    today = today or dt.date.today()
    key = ("reports.content.build", cycle, service_areas, today, scope)
    return wh.cached(key, lambda: _build(wh, cycle, service_areas, today, scope, options))


def _build(wh: Warehouse, cycle: str, service_areas: tuple, today: dt.date, scope: Scope | None, options) -> Pack:
    window = tuple(c for c in options if c <= cycle)[-TREND_CYCLES:]
    _, previous = cycles.latest_and_previous(wh, Filters(service_areas=service_areas, cycle_to=cycle, scope=scope))
    ctx = Context(wh, cycle, previous, service_areas, scope, today, window)
    sections = [section for builder in (*CORE, *optional_builders()) for section in _run(builder, ctx)]
    return Pack(
        cycle=cycle,
        previous_cycle=previous,
        service_areas=service_areas,
        data_as_of=wh.data_as_of(),
        as_at=ctx.as_at,
        sections=tuple(sections),
        definitions=DEFINITIONS,
    )
