"""What is said about actions beyond the headline count (``headline.overdue_actions``): where the overdue ones sit
and how many were done on time. The Actions page, the pack's actions slides and Present all word them here.

The small-number rule is ``words``': a count of 1 to 4 reads "fewer than 5", and timeliness resting on too few
completed actions is not given as a percentage.
"""

import pandas as pd

from findings import words


def most_overdue(group: str, overdue: int, total: int) -> str:
    """ "Children in Care has 40 of the 112 overdue actions", or "No action is overdue"."""
    if not total:
        return "No action is overdue"
    if words.is_small_count(total):
        return f"{words.FEW.capitalize()} actions are overdue"
    return f"{group} has {words.count(overdue)} of the {words.counted(total, 'overdue action')}"


def on_time(k, n, small_n: bool) -> str:
    """ "93% of 512 completed actions were done on time", from ``k`` on time of ``n`` completed with both dates."""
    if small_n or not n or words.is_small_count(k):
        return f"too few completed to judge timeliness ({words.SUPPRESSED})"
    return f"{words.percent(k / n)} of {words.counted(n, 'completed action')} were done on time"


def on_time_range(rated: pd.DataFrame, group: str) -> str:
    """ "Completed within timescale: 61% in Children in Care, 95% in Early Help": the lowest and highest of the
    groups rated on enough completed actions (``rated``: ``group``, share, k, n, small_n), lowest first."""
    rated = rated[~rated["small_n"] & ~rated["k"].map(words.is_small_count)].sort_values("share")
    ends = rated.iloc[[0, -1]].drop_duplicates() if len(rated) else rated
    shares = [f"{words.percent(r['share'])} in {r[group]}" for _, r in ends.iterrows()]
    return "Completed within timescale" + (": " + ", ".join(shares) if shares else "")
