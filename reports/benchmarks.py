"""The pack's context slide: the council's latest published figures beside its statistical neighbours and
England, exactly as the Benchmarks page gives them (both from findings/context.py)."""

from findings import context
from reports.model import Context, Section, Table

COLUMNS_AFTER_MEASURE = ("Neighbours' median", "Neighbours' range", "England", "Rank")
WIDTHS = (4.2, 1.5, 1.3, 1.9, 1.2, 1.1)  # the rank ("10 of 11") on one line


def rows(latest: list[context.Context]) -> tuple[tuple[str, ...], ...]:
    """One row per measure: label, the council's figure, the neighbours' median and range, England, rank."""
    return tuple(
        (
            c.measure.label,
            context.number(c.finding.value, c.measure),
            context.number(c.finding.comparison, c.measure),
            context.spread(c),
            context.number(c.england, c.measure),
            context.place(c),
        )
        for c in latest
    )


def national_context(ctx: Context) -> Section | None:
    council = context.our_council(ctx.wh)
    if council is None:
        return None
    latest = context.latest(ctx.wh, council)
    if not latest:
        return None
    table = Table(("Measure", council.name, *COLUMNS_AFTER_MEASURE), rows(latest), widths=WIDTHS)
    alt = f"Table of {council.name}'s latest published figures beside its statistical neighbours and England: " + (
        "; ".join(f"{r[0]} {r[1]} (neighbours {r[2]}, England {r[4]})" for r in table.rows)
    )
    note = (
        f"{context.sources(latest)}. Whole council. Rank: 1 = highest of the council and its 10 statistical "
        "neighbours. A dash: withheld."
    )
    return Section("national_context", "National context", context.summary(latest), alt, table=table, note=note)
