"""The learning loop: has each finding been acted on, and did the action lead to an improvement?

**Findings.** Three kinds, on the Ofsted scale (the case audits, which re-examine practice; Learning Episodes
are not mixed in):

- *PLD theme*: a held PLD with a theme, matched to an area of practice as the Impact page matches it
  (``qa_read.impact.theme_practice_areas``); focus groups meet at the PLD under its theme. A theme matched to
  no area of practice cannot be followed through grades and is left out.
- *Graded low*: an area of practice in a service area and cycle with fewer than half (``LOW_SHARE``) of its
  grades good or better, on at least ``SMALL_N`` grades.
- *Escalation*: an audit meeting the escalation rule (``qa_read.moderation.ESCALATED``).

**Linked actions.** Actions say which audit they came from (``actions.audit_id``) and nothing else about their
subject, so links go through audits. A theme or low grade on area P in service area S and cycle C is linked to
the actions raised from audits of S in C that graded P below good (the audits that found the weakness). An
escalation is linked to the actions raised from the escalated audit. Cancelled actions are not counted.

**States**, in the order heads of service see them (open loops first): *No action yet* (no linked action);
*Actions open* (a linked action is not completed); *Actions done, not yet re-examined*; then re-examined:
*Re-examined: not improved*, *Re-examined: cannot compare*, *Re-examined: improved*.

**Re-examined** means evidence dated after the last linked action was completed. For a theme or low grade:
the first cycle beginning after that date with at least ``SMALL_N`` grades of P in S. **Improved**: that
cycle's good-or-better share of P is higher than the finding cycle's; *Cannot compare* when the finding cycle
had fewer than ``SMALL_N`` grades of P. For an escalation: a later audit of the same child dated after the
last completion; **improved** when that audit does not meet the escalation rule itself.

Only the reader's service areas and teams (choices and scope) apply: a loop spans cycles, so the cycle, case
type and audit tool filters do not.
"""

import datetime as dt

import pandas as pd

from qa_read import columns as C
from qa_read import impact
from qa_read.cycles import cycle_bounds
from qa_read.db import LIST_ROWS, Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.moderation import ESCALATED
from qa_read.stats import SMALL_N

LOW_SHARE = 0.5
SCALE = "Ofsted"
THEME, LOW, ESCALATION = "PLD theme", "Graded low", "Escalation"
NO_ACTION, OPEN, DONE = "No action yet", "Actions open", "Actions done, not yet re-examined"
NOT_IMPROVED, CANNOT_COMPARE, IMPROVED = (
    "Re-examined: not improved",
    "Re-examined: cannot compare",
    "Re-examined: improved",
)
STATES = (NO_ACTION, OPEN, DONE, NOT_IMPROVED, CANNOT_COMPARE, IMPROVED)
STILL_OPEN = (NO_ACTION, OPEN, DONE)
RE_EXAMINED = (NOT_IMPROVED, CANNOT_COMPARE, IMPROVED)

SHARES = """
    SELECT a.service_area, a.cycle, a.practice_area, sum(a.n)::BIGINT AS n,
           coalesce(sum(a.n) FILTER (WHERE g.good_or_better), 0)::BIGINT AS k
    FROM practice_cube a JOIN grade_scale g ON g.scale = a.scale AND g.grade = a.grade
    WHERE {audits} AND a.scale = ?
    GROUP BY ALL
"""
ACTIONS = """
    SELECT x.action_id, x.audit_id, x.raised_date, x.completed_date
    FROM actions x WHERE {actions} AND x.status <> 'Cancelled'
"""
# The (service area, cycle, practice area) each action's audit graded below good.
WEAK_AREAS = """
    SELECT x.action_id, a.service_area, a.cycle, g.practice_area
    FROM actions x
    JOIN audits a ON a.audit_id = x.audit_id
    JOIN audit_grades g ON g.audit_id = a.audit_id
    JOIN grade_scale s ON s.scale = a.scale AND s.grade = g.grade
    WHERE {actions} AND x.status <> 'Cancelled' AND a.scale = ? AND NOT s.good_or_better
"""
ESCALATIONS = """
    SELECT a.audit_id, a.service_area, a.cycle, a.audit_date FROM escalated_audits a WHERE {audits}
"""
# Later audits of each escalated audit's child, whether they too met the escalation rule.
REAUDITS = """
    WITH later AS (
        SELECT a.audit_id AS escalated_id, r.*
        FROM escalated_audits a
        JOIN audits c ON c.audit_id = a.audit_id
        JOIN audits r ON r.child_key = c.child_key AND r.audit_date > a.audit_date
        WHERE {audits}
    )
    SELECT escalated_id, audit_id, audit_date, coalesce(moderated_grade, overall_grade) AS grade,
           {escalated_rule} AS escalated
    FROM later
"""


def _areas_only(f: Filters) -> Filters:
    return Filters(service_areas=f.service_areas, teams=f.teams, scope=f.scope)


@cached
def _frames(wh: Warehouse, f: Filters) -> dict[str, pd.DataFrame]:
    audits, audits_p = f.where(C.AUDITS)
    actions, actions_p = f.where(C.ACTIONS)
    return {
        "shares": wh.query(render(SHARES, audits=audits), [*audits_p, SCALE]),
        "themes": impact.theme_practice_areas(wh, f),
        "actions": wh.query(render(ACTIONS, actions=actions), actions_p),
        "weak": wh.query(render(WEAK_AREAS, actions=actions), [*actions_p, SCALE]),
        "escalations": wh.query(render(ESCALATIONS, audits=audits), audits_p),
        "reaudits": wh.query(render(REAUDITS, audits=audits, escalated_rule=ESCALATED), audits_p),
    }


def _area_findings(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    shares = frames["shares"]
    low = shares[(shares["n"] >= SMALL_N) & (shares["k"] < LOW_SHARE * shares["n"])]
    low = low.assign(kind=LOW, subject=low["practice_area"])
    themes = frames["themes"].dropna(subset=["practice_area"])
    same = themes["theme"].str.strip().str.lower() == themes["practice_area"].str.lower()
    subject = themes["theme"].where(same, themes["theme"] + " (" + themes["practice_area"] + ")")
    themes = themes.assign(kind=THEME, subject=subject)
    columns = ["kind", "service_area", "cycle", "practice_area", "subject"]
    return pd.concat([themes[columns], low[columns]], ignore_index=True)


def _area_row(finding, frames: dict[str, pd.DataFrame]) -> dict:
    weak = frames["weak"]
    linked = weak[
        (weak["service_area"] == finding.service_area)
        & (weak["cycle"] == finding.cycle)
        & (weak["practice_area"] == finding.practice_area)
    ]["action_id"]
    row = _actions_summary(frames["actions"], linked)
    if row["state"] == DONE:
        row.update(_regraded(finding, frames["shares"], row["last_completed"]))
    return row


def _regraded(finding, shares: pd.DataFrame, after: dt.date) -> dict:
    mine = shares[(shares["service_area"] == finding.service_area) & (shares["practice_area"] == finding.practice_area)]
    before = mine[mine["cycle"] == finding.cycle]
    later = mine[(mine["n"] >= SMALL_N) & mine["cycle"].map(lambda c: cycle_bounds(c)[0] > after)]
    if later.empty:
        return {}
    then = later.sort_values("cycle").iloc[0]
    k0, n0 = (int(before["k"].iloc[0]), int(before["n"].iloc[0])) if len(before) else (0, 0)
    k1, n1 = int(then["k"]), int(then["n"])
    evidence = f"{k1} of {n1} grades good or better in {then['cycle']} ({k1 / n1:.0%})"
    if n0 < SMALL_N:
        return {"state": CANNOT_COMPARE, "evidence_cycle": then["cycle"],
                "evidence": f"{evidence}; {n0} grades in {finding.cycle}, too few to compare"}  # fmt: skip
    improved = k1 / n1 > k0 / n0
    return {
        "state": IMPROVED if improved else NOT_IMPROVED,
        "evidence_cycle": then["cycle"],
        "evidence": f"{evidence} against {k0} of {n0} in {finding.cycle} ({k0 / n0:.0%})",
    }


def _escalation_row(finding, frames: dict[str, pd.DataFrame]) -> dict:
    actions = frames["actions"]
    row = _actions_summary(actions, actions.loc[actions["audit_id"] == finding.audit_id, "action_id"])
    if row["state"] != DONE:
        return row
    reaudits = frames["reaudits"]
    later = reaudits[
        (reaudits["escalated_id"] == finding.audit_id) & (reaudits["audit_date"].dt.date > row["last_completed"])
    ]
    if later.empty:
        return row
    first = later.sort_values(["audit_date", "audit_id"]).iloc[0]
    row.update(
        state=NOT_IMPROVED if first["escalated"] else IMPROVED,
        evidence_cycle=None,
        evidence=f"Re-audited {first['audit_date']:%d %b %Y} ({first['audit_id']}): {first['grade'] or 'no grade'}"
        + (", escalated again" if first["escalated"] else ", not escalated"),
    )
    return row


def _actions_summary(actions: pd.DataFrame, linked: pd.Series) -> dict:
    mine = actions[actions["action_id"].isin(set(linked))]
    done = mine["completed_date"].notna()
    if mine.empty:
        state = NO_ACTION
    else:
        state = DONE if done.all() else OPEN
    last = mine["completed_date"].max() if len(mine) and done.all() else None
    return {
        "actions": len(mine),
        "open_actions": int((~done).sum()),
        "last_completed": None if last is None or pd.isna(last) else pd.Timestamp(last).date(),
        "state": state,
        "evidence_cycle": None,
        "evidence": None,
    }


@cached
def _loops(wh: Warehouse, f: Filters) -> pd.DataFrame:
    frames = _frames(wh, _areas_only(f))
    rows = []
    for finding in _area_findings(frames).itertuples(index=False):
        rows.append({**finding._asdict(), **_area_row(finding, frames)})
    for finding in frames["escalations"].itertuples(index=False):
        base = {"kind": ESCALATION, "service_area": finding.service_area, "cycle": finding.cycle,
                "practice_area": None, "subject": finding.audit_id}  # fmt: skip
        rows.append({**base, **_escalation_row(finding, frames)})
    columns = ["kind", "service_area", "cycle", "practice_area", "subject", "actions", "open_actions",
               "last_completed", "state", "evidence_cycle", "evidence"]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out["position"] = out["state"].map(STATES.index)
    return out.sort_values(["position", "cycle", "service_area", "subject"]).drop(columns="position")


@rows_only
def loops(wh: Warehouse, f: Filters, limit: int | None = LIST_ROWS) -> pd.DataFrame:
    """Every finding with its state, open loops first (oldest first within a state), at most ``limit``.
    Columns: kind, service_area, cycle, practice_area, subject (theme, area or escalated audit id), actions,
    open_actions, last_completed, state, evidence_cycle, evidence."""
    out = _loops(wh, f)
    return out if limit is None else out.head(limit)


@cached
def counts(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Findings by kind and state, every state listed. Columns: kind, state, findings."""
    found = _loops(wh, f).groupby(["kind", "state"]).size()
    grid = pd.MultiIndex.from_product([(THEME, LOW, ESCALATION), STATES], names=["kind", "state"])
    return found.reindex(grid, fill_value=0).rename("findings").reset_index()
