"""What the Audit coverage page says: how many practitioners had an audit, the team with the fewest, and how
concentrated auditing is. The small-number rule is ``words``': a share resting on fewer than 5 practitioners is
not given, and a count of 1 to 4 is not written out; a share is given as the page's charts give it.
"""

import pandas as pd

from findings import words


def practitioners_audited(cycle: str, k, n, small_n: bool) -> str:
    """ "62% of practitioners had an audit in 2026/27 Q2 (310 of 500)", over teams of known size."""
    if not n:
        return f"No practitioners in teams of known size in {cycle}"
    if small_n:
        return f"Too few practitioners in teams of known size in {cycle} to give a share ({words.SUPPRESSED})"
    if words.is_small_count(k):  # the share, as the chart gives it, but not the count of 1 to 4
        return f"{words.percent(k / n)} of {n} practitioners had an audit in {cycle}"
    return f"{words.percent(k / n)} of practitioners had an audit in {cycle} ({k} of {n})"


def lowest_team(cycle: str, teams: pd.DataFrame) -> str:
    """ "Lowest in 2026/27 Q2: Assessment Team 2, 33% of 9 practitioners audited": the lowest share of the teams
    large enough to rate (``teams``: team, k, n, share, small_n), the larger team on a tie, then by name."""
    rated = teams[~teams["small_n"]].sort_values(["share", "n", "team"], ascending=[True, False, True])
    if rated.empty:
        return f"Practitioners audited per team; every team in {cycle} is too small to rate"
    low = rated.iloc[0]
    return f"Lowest in {cycle}: {low['team']}, {words.percent(low['share'])} of {low['n']} practitioners audited"


def auditing_spread(half_by, auditors, busiest_shown: int) -> str:
    """ "Half of all audits were done by 6 of 40 auditors; the busiest 15 and where they audit"."""
    shown = f"the busiest {busiest_shown}" if auditors > busiest_shown else "each of them"
    if words.is_small_count(auditors):
        return f"{words.FEW.capitalize()} auditors did these audits; {shown} and where they audit"
    return (
        f"Half of all audits were done by {words.count(half_by)} of {auditors} auditors; {shown} and where they audit"
    )
