"""Every finding is made here, so the change, tie and small-number rules hold for each alike; ``findings.words``
says it.
"""

from dataclasses import replace

from findings import words
from findings.model import Finding


def make(key, label, unit, now, before, day, comparison_label, sentence, cases=None) -> Finding:
    """A finding from (numerator, denominator) now and before (None: nothing to compare with), worded by
    ``sentence(finding)``; ``comparison_label`` names what it is compared with.

    A share is small when it rests on fewer than ``SMALL_N`` cases: its denominator, unless ``cases`` gives
    (cases now, cases before) to judge by instead (supervision: reviews, not the sessions they expect); or when
    its numerator is 1 to ``SMALL_N - 1``, which a share of a known denominator gives back. A count is small when
    it is 1 to ``SMALL_N - 1``. Either way it is not given where it leaves the dashboard, nor compared: the
    downloads' rule (``qa_read.exports.figures``)."""
    numerator, denominator = now
    value = _value(unit, numerator, denominator)
    comparison, comparison_denominator = (None, None) if before is None else (_value(unit, *before), before[1])
    cases_now, cases_before = cases or (denominator, comparison_denominator)
    small = _small(unit, numerator, cases_now)
    comparison_small = before is not None and _small(unit, before[0], cases_before)
    comparable = comparison is not None and not comparison_small
    change = value - comparison if comparable and value is not None else None
    finding = Finding(
        key=key,
        label=label,
        unit=unit,
        value=value,
        numerator=numerator,
        denominator=denominator,
        as_at=day,
        comparison=comparison,
        comparison_label=comparison_label if before is not None else None,
        change=change,
        small=small,
        sentence="",
        comparison_denominator=comparison_denominator,
        comparison_small=comparison_small,
    )
    said = sentence(finding)
    return replace(finding, sentence=said[:1].upper() + said[1:])  # "Fewer than 5 audits ...", never "fewer"


def _small(unit: str, numerator, cases) -> bool:
    if unit == "count":
        return words.is_small_count(numerator)
    return unit == "share" and (words.is_small(cases) or words.is_small_count(numerator))


def _value(unit: str, numerator, denominator) -> float | None:
    if unit == "count":
        return None if numerator is None else float(numerator)
    return numerator / denominator if denominator else None
