"""The headline figures: each one function of (warehouse, filters, today) returning a ``Finding``.

Which cycle and which date, one rule for every figure, page, Present and the pack:

- A headline describes the **latest cycle with audits within the filters** and compares it with the audit
  cycle before it. The end of the Cycles range bounds which cycle is latest; its start never changes a
  headline (it only trims trends), so a range of one cycle still compares that cycle with the one before.
- Every figure is **as at the earlier of today and the last day of its cycle**: today while the cycle runs,
  its last day once it has ended. Open and overdue actions, which carry no cycle, are counted at that date,
  and their comparison at the previous cycle's last day. The as-at date goes with the figure wherever it is shown.
- A trend's figure (``grade_trend``, ``supervision_trend``: the titles of those pages' trends) compares the
  latest cycle with the first cycle of the range instead, and states nothing to compare when the range holds one.

Reads go through ``qa_read`` (bound SQL within the reader's scope); the wording rules are in ``findings.words``.
"""

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from data_pipeline.vocab import GOOD_LABEL, cycle_bounds
from findings import words
from findings.build import make
from findings.model import SMALL_N, Finding
from qa_read import actions, cycles, exports, grades, overview, supervision
from qa_read.db import Warehouse
from qa_read.filters import Filters

KEYS = (
    "audits_completed",
    "good_or_better",
    "inadequate",
    "open_escalations",
    "overdue_actions",
    "supervision_held",
    "child_voice",
)


@dataclass(frozen=True)
class Period:
    """The cycle a headline describes, the one it is compared with, and the dates each is true at."""

    cycle: str | None
    previous: str | None
    as_at: dt.date
    previous_as_at: dt.date | None


def as_at(cycle: str, today: dt.date) -> dt.date:
    """The date a figure for ``cycle`` is true at: the earlier of today and the cycle's last day."""
    return min(today, cycle_bounds(cycle)[1])


def period(wh: Warehouse, f: Filters, today: dt.date) -> Period:
    latest, previous = cycles.latest_and_previous(wh, f)
    return Period(
        latest,
        previous,
        as_at(latest, today) if latest else today,
        as_at(previous, today) if previous else None,
    )


def heading(p: Period) -> str:
    """What the headline figures are about and when they are true, above them on the Overview and the pack."""
    compared = f" compared with {p.previous}" if p.previous else ", the first cycle with audits"
    return f"{p.cycle}{compared}, as at {words.date_text(p.as_at)}"


def _open(f: Filters) -> Filters:
    """``f`` without cycle bounds: the cycle is chosen already, and the bounds would hide the previous one."""
    return replace(f, cycle_from=None, cycle_to=None)


def audits_completed(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    now = overview.audit_counts(wh, _open(f), p.cycle).audits
    before = overview.audit_counts(wh, _open(f), p.previous).audits if p.previous else None

    def sentence(x: Finding) -> str:
        return words.count_sentence(x, f"{words.counted(now, 'audit')} completed in {p.cycle}")

    return make(
        "audits_completed",
        "Audits completed",
        "count",
        (now, None),
        None if before is None else (before, None),
        p.as_at,
        p.previous,
        sentence,
    )


def _grade_counts(wh: Warehouse, f: Filters, cycle: str | None, scale: str, grade: str | None) -> tuple | None:
    """(audits good or better, or graded ``grade``; audits graded) in ``cycle`` on ``scale``."""
    if cycle is None:
        return None
    dist = grades.grade_distribution(wh, f, scale)
    rows = dist[dist["cycle"] == cycle]
    counted = rows["good_or_better"] if grade is None else rows["grade"] == grade
    return int(rows.loc[counted, "n"].sum()), int(rows["n"].sum())


def good_or_better(wh: Warehouse, f: Filters, today: dt.date, scale: str = "Ofsted") -> Finding | None:
    """Audits graded good or better (on the Assurance scale: high assurance) out of those graded."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    good = GOOD_LABEL[grades.check_scale(scale)]
    return make(
        "good_or_better",
        f"Audits {good}",
        "share",
        _grade_counts(wh, _open(f), p.cycle, scale, None),
        _grade_counts(wh, _open(f), p.previous, scale, None),
        p.as_at,
        p.previous,
        lambda x: words.share_sentence(x, "graded audits", f"were {good}", p.cycle),
    )


def inadequate(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    return make(
        "inadequate",
        "Audits graded inadequate",
        "share",
        _grade_counts(wh, _open(f), p.cycle, "Ofsted", "Inadequate"),
        _grade_counts(wh, _open(f), p.previous, "Ofsted", "Inadequate"),
        p.as_at,
        p.previous,
        lambda x: words.share_sentence(x, "graded audits", "were graded inadequate", p.cycle),
    )


def open_escalations(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    """Escalated audits of the cycle still awaiting management oversight, of all escalated in it."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    now = overview.audit_counts(wh, _open(f), p.cycle)
    before = overview.audit_counts(wh, _open(f), p.previous) if p.previous else None

    def sentence(x: Finding) -> str:
        waiting = "awaits" if words.count(now.awaiting_oversight) == "1" else "await"
        text = (
            f"{words.count(now.awaiting_oversight)} of {words.counted(now.escalations, 'escalated audit')} "
            f"from {p.cycle} "
            f"{waiting} management oversight"
        )
        return words.count_sentence(x, text)

    return make(
        "open_escalations",
        "Escalations awaiting oversight",
        "count",
        (now.awaiting_oversight, now.escalations),
        None if before is None else (before.awaiting_oversight, before.escalations),
        p.as_at,
        p.previous,
        sentence,
    )


def overdue_actions(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    """Open actions past their due date as at the headline's date, of all open then."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    now = _actions_at(wh, f, p.as_at)
    before = _actions_at(wh, f, p.previous_as_at) if p.previous else None

    def sentence(x: Finding) -> str:
        text = f"{words.count(now[0])} of {words.counted(now[1], 'open action')} overdue at {words.date_text(p.as_at)}"
        return words.count_sentence(x, text)

    return make(
        "overdue_actions",
        "Overdue actions",
        "count",
        now,
        before,
        p.as_at,
        words.date_text(p.previous_as_at) if p.previous else None,
        sentence,
    )


def _actions_at(wh: Warehouse, f: Filters, day: dt.date) -> tuple[int, int]:
    """(overdue, open) actions as at ``day``, whenever raised (an action's cycle is when it was raised)."""
    row = actions.summary(wh, _open(f), day).iloc[0]
    return int(row["overdue"]), int(row["open"])


def _sessions(wh: Warehouse, f: Filters, cycle: str | None) -> tuple[int, int, int] | None:
    """(sessions held, sessions expected, reviews) in ``cycle``: the Supervision page's own count."""
    if cycle is None:
        return None
    by_cycle = supervision.compliance(wh, f, "cycle").set_index("cycle")
    if cycle not in by_cycle.index:
        return 0, 0, 0
    row = by_cycle.loc[cycle]
    return int(row["held"]), int(row["expected"]), int(row["reviews"])


def supervision_held(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    """Supervision sessions held, of those expected, over the cycle's supervision reviews; small numbers are
    judged on the reviews, as on the Supervision page."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    now, before = _sessions(wh, _open(f), p.cycle), _sessions(wh, _open(f), p.previous)
    return make(
        "supervision_held",
        "Supervision sessions held as expected",
        "share",
        now[:2],
        None if before is None else before[:2],
        p.as_at,
        p.previous,
        lambda x: words.share_sentence(x, "expected supervision sessions", "were held", p.cycle, "supervision reviews"),
        cases=(now[2], None if before is None else before[2]),
    )


def supervision_trend(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    """Supervision held in the headline's cycle against the first cycle of the range with reviews (the title of
    the Supervision page's trend)."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    by_cycle = supervision.compliance(wh, f, "cycle")
    first = by_cycle["cycle"].min() if not by_cycle.empty else None
    compared = first if isinstance(first, str) and first < p.cycle else None
    now, before = _sessions(wh, _open(f), p.cycle), _sessions(wh, f, compared)
    return make(
        "supervision_trend",
        "Supervision sessions held as expected",
        "share",
        now[:2],
        None if before is None else before[:2],
        p.as_at,
        compared,
        lambda x: words.share_sentence(x, "expected supervision sessions", "were held", p.cycle, "supervision reviews"),
        cases=(now[2], None if before is None else before[2]),
    )


def child_voice(wh: Warehouse, f: Filters, today: dt.date) -> Finding | None:
    """Audits with feedback from the child or family linked, of all audits in the cycle."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    now = overview.audit_counts(wh, _open(f), p.cycle)
    before = overview.audit_counts(wh, _open(f), p.previous) if p.previous else None
    return make(
        "child_voice",
        "Audits with the child's voice captured",
        "share",
        (now.voiced, now.audits),
        None if before is None else (before.voiced, before.audits),
        p.as_at,
        p.previous,
        lambda x: words.share_sentence(x, "audits", "had the child's voice captured", p.cycle),
    )


def headline(wh: Warehouse, f: Filters, today: dt.date) -> tuple[Finding, ...]:
    """Every headline figure, in ``KEYS`` order; empty when no audit is within the filters."""
    made = (
        audits_completed(wh, f, today),
        good_or_better(wh, f, today),
        inadequate(wh, f, today),
        open_escalations(wh, f, today),
        overdue_actions(wh, f, today),
        supervision_held(wh, f, today),
        child_voice(wh, f, today),
    )
    return tuple(x for x in made if x is not None)


def grade_trend(wh: Warehouse, f: Filters, today: dt.date, scale: str = "Ofsted") -> Finding | None:
    """Good or better in the headline's cycle against the first cycle of the range (the trend's title)."""
    p = period(wh, f, today)
    if p.cycle is None:
        return None
    dist = grades.grade_distribution(wh, f, scale)
    first = dist["cycle"].min() if not dist.empty else None
    compared = first if isinstance(first, str) and first < p.cycle else None
    good = GOOD_LABEL[grades.check_scale(scale)]
    return make(
        "grade_trend",
        f"Audits {good}",
        "share",
        _grade_counts(wh, _open(f), p.cycle, scale, None),
        _grade_counts(wh, f, compared, scale, None),
        p.as_at,
        compared,
        lambda x: words.share_sentence(x, "graded audits", f"were {good}", p.cycle),
    )


def frame(found: tuple[Finding, ...]) -> pd.DataFrame:
    """The findings as a table for the page and its download: a share resting on fewer than ``SMALL_N`` cases
    (or compared with one) is blanked by the dashboard's one suppression rule; counts are shown as they are."""
    table = pd.DataFrame(
        [
            {
                "measure": x.label,
                "unit": x.unit,
                "value": x.value,
                "numerator": x.numerator,
                "denominator": x.denominator,
                "as_at": x.as_at,
                "compared_with": x.comparison_label,
                "comparison": x.comparison,
                "comparison_denominator": x.comparison_denominator,
                "change": x.change,
            }
            for x in found
        ]
    )
    # The finding has judged what is small (on its own cases: reviews for supervision); the download outlet
    # blanks it. ``rests_on`` is 0 where the finding is small, so the outlet's n<5 rule blanks that row.
    table["rests_on"] = [0 if x.small else SMALL_N for x in found]
    table["comparison_rests_on"] = [0 if x.comparison_small else SMALL_N for x in found]
    table = exports.suppress_small_numbers(table, "rests_on", ["value", "numerator", "change"])
    table = exports.suppress_small_numbers(table, "comparison_rests_on", ["comparison", "change"])
    return table.drop(columns=["unit", "rests_on", "comparison_rests_on", "suppressed"])
