"""The council's latest published figures beside its statistical neighbours and England, said once.

The Benchmarks page, the Supervision page's context and the meeting pack's context slide all take their
figures and sentences from ``latest``, so they agree. Each figure is a ``Finding`` of unit "rate" (a published
figure, shown as published: "13.4%", "16.0 cases"), compared with the neighbours' median; ``Context`` adds
England, the neighbours' range and the council's rank. Published figures rest on no count of ours, so none
is "small"; a figure the publication withholds stays missing and says why.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from data_pipeline import settings
from data_pipeline.reference.layouts import JUDGEMENTS
from data_pipeline.vocab import cycle_of
from findings.model import Finding
from findings.words import SUPPRESSED, date_text, percent
from qa_read import benchmarks
from qa_read.benchmarks import BY_KEY, Council, Measure
from qa_read.db import Warehouse


@dataclass(frozen=True)
class Context:
    finding: Finding  # the council's figure against its neighbours' median
    measure: Measure
    council: str
    period: str
    england: float | None
    neighbours_low: float | None
    neighbours_high: float | None
    neighbours_reporting: int
    rank: int | None
    ranked_of: int | None
    missing_because: str | None  # the publication's reason when the council's figure is withheld
    source: str  # "DfE, Children's social work workforce 2025"


def number(value, measure: Measure, unit: bool = True) -> str:
    """A published figure as shown: to the places the publication gives, halves rounded up, with its unit."""
    if value is None or pd.isna(value):
        return "–"
    return f"{_shown(value, measure)}{measure.short if unit else ''}"


def _shown(value: float, measure: Measure) -> Decimal:
    return Decimal(str(float(value))).quantize(Decimal(1).scaleb(-measure.decimals), rounding=ROUND_HALF_UP)


def spread(c: "Context") -> str:
    """The neighbours' lowest to highest figure, "7.0 to 18.3%", or "–" with none."""
    if c.neighbours_low is None:
        return "–"
    return f"{number(c.neighbours_low, c.measure, unit=False)} to {number(c.neighbours_high, c.measure)}"


def place(c: "Context") -> str:
    """ "4 of 11", or "–" when the council's figure is withheld."""
    return "–" if c.rank is None else f"{c.rank} of {c.ranked_of}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def our_council(wh: Warehouse) -> Council | None:
    """The council ``QA_COUNCIL`` names, or None when no loaded publication has its code."""
    return benchmarks.council(wh, settings.get("QA_COUNCIL"))


def latest(wh: Warehouse, council: Council, keys: tuple[str, ...] = tuple(BY_KEY)) -> list[Context]:
    """For each measure, the latest year England has a figure: the council's figure in context."""
    rows = benchmarks.series(wh, council.la_code, keys)
    found = []
    for key in keys:
        measure_rows = rows[rows["measure"] == key]
        if measure_rows.empty:
            continue
        row = measure_rows.iloc[-1]
        found.append(_context(row, BY_KEY[key], council))
    return found


def _context(row: pd.Series, measure: Measure, council: Council) -> Context:
    value, median = _float(row["value"]), _float(row["neighbours_median"])
    as_at = pd.Timestamp(row["as_at"]).date()
    if value is not None:
        missing = None
    elif pd.isna(row["marker"]):
        missing = "no row for the council in the publication"
    else:
        missing = f"{row['marker']}: {row['meaning']}"
    context = dict(
        measure=measure,
        council=council.name,
        period=row["period"],
        england=_float(row["england"]),
        neighbours_low=_float(row["neighbours_low"]),
        neighbours_high=_float(row["neighbours_high"]),
        neighbours_reporting=int(row["neighbours_reporting"]),
        rank=None if pd.isna(row["rank"]) else int(row["rank"]),
        ranked_of=None if pd.isna(row["ranked_of"]) else int(row["ranked_of"]),
        missing_because=missing,
        source=f"DfE, {row['title']} {row['period']}",
    )
    finding = Finding(
        key=f"context.{measure.key}",
        label=measure.label,
        unit="rate",
        value=value,
        numerator=None,
        denominator=None,
        as_at=as_at,
        comparison=median,
        comparison_label=f"statistical neighbours' median {row['period']}",
        change=None if value is None or median is None else value - median,
        small=False,
        sentence="",
    )
    made = Context(finding=finding, **context)
    return replace(made, finding=replace(finding, sentence=sentence(made)))


def sentence(c: Context) -> str:
    """ "Portsmouth: 13.4% at 30 September 2025; its statistical neighbours' median 10.5% (7.0 to 18.3%),
    England 11.8%; 4th highest of 11." """
    f, m = c.finding, c.measure
    if f.comparison is None:
        peers = "no figures for its statistical neighbours"
    else:
        peers = f"its statistical neighbours' median {number(f.comparison, m)} ({spread(c)})"
    england = f"England {number(c.england, m)}"
    if f.value is None:
        return f"{c.council}: not published at {date_text(f.as_at)} ({c.missing_because}); {peers}, {england}."
    rank = "" if c.rank is None else f"; {'the' if c.rank == 1 else ordinal(c.rank)} highest of {c.ranked_of}"
    return f"{c.council}: {number(f.value, m)} at {date_text(f.as_at)}; {peers}, {england}{rank}."


def sources(latest: list[Context]) -> str:
    """ "Source: DfE, Children's social work workforce; Children in need; ...: 2025" for a table of ``latest``."""
    titles = dict.fromkeys(c.source.removeprefix("DfE, ").split(":")[0].split(" 20")[0] for c in latest)
    years = sorted({c.period for c in latest})
    return f"Source: DfE, {'; '.join(titles)}: {', '.join(years)}"


def direction(c: Context) -> int | None:
    """+1 above the neighbours' median, -1 below, 0 level, None when not compared: the two as shown (rounded
    once, halves up, to the publication's places), so a figure shown equal to the median is never above it."""
    if c.finding.change is None:
        return None
    shown, median = _shown(c.finding.value, c.measure), _shown(c.finding.comparison, c.measure)
    return (shown > median) - (shown < median)


def summary(latest: list[Context]) -> str:
    """The headline over every measure: "Portsmouth: above its statistical neighbours' median on 7 of 9 published
    measures, level on 1, below on 1"."""
    if not latest:
        return "No published figures for the council"
    directions = [d for d in map(direction, latest) if d is not None]
    name = latest[0].council
    if not directions:
        return f"{name}: no published figure to set beside its statistical neighbours"
    level = directions.count(0)
    return (
        f"{name}: above its statistical neighbours' median on {directions.count(1)} of {len(directions)} "
        f"published measures, {f'level on {level}, ' if level else ''}below on {directions.count(-1)}"
    )


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


INSPECTION_SOURCES = {
    "ofsted_outcomes": "Ofsted official statistics",
    "ilacs_reports": "Ofsted report (ILACS scrape tool)",
}
# What an inspection without a grade shows, by the publication's reason (reference_markers).
NO_GRADE = {
    "not_reported_post_reform": "No overall grade (2026 framework)",
    "inspection_pre_dates_judgement": "Not judged then",
    "data_unreadable": "Report not readable",
    "unrecognised": "Not read from the report",
    "blank": "Not given",
}


def judgement_words(grade, marker) -> str:
    """A judgement as shown: its grade, or why there is none. Never blank, never a missing-value sign."""
    if isinstance(grade, str):
        return grade
    return NO_GRADE.get(marker, "Not given")


def inspection_rows(inspections: pd.DataFrame) -> pd.DataFrame:
    """One row per inspection, a column per judgement (``JUDGEMENTS`` order), each a grade or why not."""
    if inspections.empty:
        return pd.DataFrame(columns=["started", "published", "inspection_type", "source", *JUDGEMENTS])
    words = inspections.assign(
        shown=[judgement_words(g, m) for g, m in zip(inspections["grade"], inspections["marker"], strict=True)]
    )
    table = words.pivot(
        index=["started", "published", "inspection_type", "publication"], columns="judgement", values="shown"
    )
    table = table.reindex(columns=list(JUDGEMENTS)).reset_index().rename(columns={"publication": "source"})
    table["source"] = table["source"].map(INSPECTION_SOURCES)
    return table.sort_values("started").reset_index(drop=True)


def inspection_card(history: pd.DataFrame, by_cycle: pd.DataFrame) -> pd.DataFrame:
    """``inspection_rows`` turned a quarter: a column per inspection (its month), a row per judgement, our own
    audits good or better in the quarter it began (``by_cycle``: grades.good_or_better_by_cycle), then the
    inspection's type, publication date and source, so several inspections fit across a page."""
    ours = by_cycle.set_index("cycle")
    history = history.assign(ours=[_ours_in(ours, cycle_of(d.date())) for d in history["started"]])
    card = pd.DataFrame(
        {f"{row['started']:%B %Y}": row for _, row in history.iterrows()},
        index=[*JUDGEMENTS, "ours", "inspection_type", "published", "source"],
    )
    card.loc["published"] = [f"{d:%d %B %Y}" if not pd.isna(d) else "–" for d in card.loc["published"]]
    labels = dict(JUDGEMENTS) | {
        "ours": "Our audits good or better that quarter",
        "inspection_type": "Type",
        "published": "Published",
        "source": "Source",
    }
    return card.rename(index=labels).rename_axis("Judgement").reset_index()


def _ours_in(by_cycle: pd.DataFrame, cycle: str) -> str:
    if cycle not in by_cycle.index:
        return f"No audits in {cycle}"
    row = by_cycle.loc[cycle]
    shown = SUPPRESSED if row["small_n"] else percent(row["share"])
    return f"{shown} of {row['n']} ({cycle})"


def inspection_sources(inspections: pd.DataFrame) -> str:
    """ "Ofsted official statistics 2018, 2023; Ofsted report (ILACS scrape tool) 2026"."""
    parts = []
    for source, rows in inspections.groupby("source", sort=False):
        years = ", ".join(dict.fromkeys(f"{d:%Y}" for d in rows["started"]))
        parts.append(f"{source} {years}")
    return "; ".join(parts) if parts else "no Ofsted inspection in these years"


def audits_beside_inspections(by_cycle: pd.DataFrame, inspections: pd.DataFrame) -> str:
    """The chart's finding: the latest inspection's overall judgement and our latest share good or better."""
    last = by_cycle.iloc[-1]
    ours = SUPPRESSED if last["small_n"] else percent(last["share"])
    audits = f"{ours} of our audits good or better in {last['cycle']}"
    if inspections.empty:
        return f"No Ofsted inspection in these years; {audits}"
    latest = inspections.iloc[-1]
    return f"Ofsted, {latest['started']:%B %Y}: {latest['overall_effectiveness']}; {audits}"
