"""The pack's context slide: the council's latest published figures beside its statistical neighbours and
England, exactly as the Benchmarks page gives them (both from findings/context.py)."""

from findings import context
from reports.content import Context, Section, Table

COLUMNS_AFTER_MEASURE = ("Neighbours' median", "Neighbours' range", "England", "Rank (1 = highest)", "Year")
WIDTHS = (3.2, 1.2, 1.2, 1.4, 1, 1, 0.7)


def rows(latest: list[context.Context]) -> tuple[tuple[str, ...], ...]:
    """One row per measure: label, the council's figure, the neighbours' median and range, England, rank, year."""
    return tuple(
        (
            c.measure.label,
            context.number(c.finding.value, c.measure),
            context.number(c.finding.comparison, c.measure),
            context.spread(c),
            context.number(c.england, c.measure),
            context.place(c),
            c.period,
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
    sources = "; ".join(dict.fromkeys(c.source for c in latest))
    table = Table(("Measure", council.name, *COLUMNS_AFTER_MEASURE), rows(latest), widths=WIDTHS)
    alt = f"Table of {council.name}'s latest published figures beside its statistical neighbours and England: " + (
        "; ".join(f"{r[0]} {r[1]} (neighbours {r[2]}, England {r[4]})" for r in table.rows)
    )
    note = (
        f"Published figures, public and the same for every service area. Sources: {sources}. Neighbours: the "
        f"council's ten statistical neighbours in the latest DfE model; rank among those with a figure. "
        "A dash: the publication withheld the figure."
    )
    return Section("national_context", "National context", context.summary(latest), alt, table=table, note=note)
