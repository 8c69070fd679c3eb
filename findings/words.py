"""How a finding is said, one rule each, so every page, Present and the pack word a figure alike.

- A share is shown as a whole percentage; a count as a whole number.
- A change is the difference of the unrounded figures, rounded once: to whole percentage points for a share,
  to a whole number for a count. A change that rounds to nothing reads "no change".
- A share resting on fewer than ``SMALL_N`` cases (this one or the one compared with), or counting 1 to
  ``SMALL_N - 1`` of them, is never given as a percentage in a sentence nor described as up or down: it reads
  "n<5". A count of 1 to ``SMALL_N - 1`` reads "fewer than 5" and is not compared either. This is the downloads'
  rule (``qa_read.exports.figures``), so a sentence in the pack or Present gives back no more than a download.
- With nothing to compare with (no previous cycle, or the same cycle) the sentence states the figure alone.
- Dates read "1 December 2026".
"""

import datetime as dt
import math

from findings.model import SMALL_N, Finding
from qa_read.exports import is_small_count
from qa_read.stats import is_small_n

SUPPRESSED = f"n<{SMALL_N}"
FEW = f"fewer than {SMALL_N}"


def is_small(denominator) -> bool:
    """Whether a share on ``denominator`` cases is too small to give or compare (a missing one counts as small):
    the dashboard's one small-number rule, ``qa_read.stats.is_small_n``."""
    return bool(is_small_n(denominator))


def _missing(value) -> bool:
    try:
        return value is None or bool(value != value)  # NaN (and pandas' NA) is not equal to itself
    except TypeError:  # pandas' NA refuses to be a bool
        return True


def date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def percent(share) -> str:
    return "–" if _missing(share) else f"{share:.0%}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def count(n) -> str:
    """A count as it may leave the dashboard: "12", "0", or "fewer than 5" for 1 to 4."""
    return FEW if is_small_count(n) else f"{n:.0f}"


def counted(n, word: str, many: str | None = None) -> str:
    """ "12 audits", "0 audits"; for 1 to 4 "fewer than 5 audits" (never "1 audit" or "3 audits")."""
    return f"{FEW} {many or word + 's'}" if is_small_count(n) else plural(int(n), word, many)


def outgoing_figure(finding: Finding) -> str:
    """The figure as it leaves the dashboard (pack, Present): ``figure``, or "n<5" where it is small."""
    if finding.small and finding.denominator != 0:
        return SUPPRESSED
    return figure(finding)


def figure(finding: Finding) -> str:
    """The figure as shown: "56%", "112", or "–" when there is none."""
    if _missing(finding.value):
        return "–"
    return percent(finding.value) if finding.unit == "share" else f"{finding.value:.0f}"


def steps(finding: Finding) -> int | None:
    """The change in the units it is shown in (whole points or whole numbers), rounded once; None: not compared."""
    if _missing(finding.change) or finding.small:
        return None
    scaled = finding.change * 100 if finding.unit == "share" else finding.change
    return int(math.copysign(math.floor(abs(scaled) + 0.5), scaled))  # halves away from zero, both signs alike


def signed_change(finding: Finding) -> str | None:
    """The change in short, for a card or a table cell: "+3 points", "-2", "no change"; None when not compared."""
    n = steps(finding)
    if n is None:
        return None
    if n == 0:
        return "no change"
    unit = "" if finding.unit != "share" else " point" if abs(n) == 1 else " points"
    return f"{n:+d}{unit}"


def change_words(finding: Finding) -> str:
    """ "up 3 points on 2026/27 Q1", "no change on 2026/27 Q1", "too few in 2026/27 Q1 to compare (n<5)", or ""."""
    if finding.comparison_label is None or finding.small:
        return ""
    n = steps(finding)
    if n is None and finding.unit == "count":
        return f"not compared with {finding.comparison_label} ({SUPPRESSED})"
    if n is None:
        return f"too few in {finding.comparison_label} to compare ({SUPPRESSED})"
    if n == 0:
        return f"no change on {finding.comparison_label}"
    unit = "" if finding.unit != "share" else " point" if abs(n) == 1 else " points"
    return f"{'up' if n > 0 else 'down'} {abs(n)}{unit} on {finding.comparison_label}"


def share_sentence(finding: Finding, basis: str, what: str, period: str, cases: str | None = None) -> str:
    """ "56% of graded audits were good or better in 2026/27 Q2, up 3 points on 2026/27 Q1". ``cases`` names
    what small numbers are judged on, where that is not the ``basis`` (supervision reviews, not sessions)."""
    if not finding.denominator:
        return f"No {basis} in {period}"
    if finding.small and is_small_count(finding.numerator) and not is_small(finding.denominator):
        return f"{FEW.capitalize()} of {finding.denominator} {basis} {what} in {period} ({SUPPRESSED})"
    if finding.small:
        return f"Too few {cases or basis} in {period} to give a percentage ({SUPPRESSED})"
    words = change_words(finding)
    return f"{percent(finding.value)} of {basis} {what} in {period}" + (f", {words}" if words else "")


def count_sentence(finding: Finding, text: str) -> str:
    """``text`` states the count ("13 audits completed in 2026/27 Q2"); the change follows it."""
    words = change_words(finding)
    return text + (f", {words}" if words else "")
