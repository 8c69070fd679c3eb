"""The learning loop: has each finding been acted on, and did the action lead to an improvement?

**Findings.** Three kinds, on the Ofsted scale (the case audits, which re-examine practice; Learning Episodes
are not mixed in):

- *PLD theme*: a held PLD with a theme, matched to an area of practice as the Impact page matches it
  (``qa_read.impact.theme_practice_areas``); focus groups meet at the PLD under its theme. A theme matched to
  no area of practice cannot be followed through grades and is left out.
- *Graded low*: an area of practice in a service area and cycle with fewer than half (``LOW_SHARE``) of its
  grades good or better, on at least ``SMALL_N`` grades.
- *Escalation*: an audit in the ``escalated_audits`` mart, the one statement of the escalation rule.

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

import pandas as pd

from data_pipeline.vocab import cycle_bounds
from qa_read import columns as C
from qa_read import impact
from qa_read.db import LIST_ROWS, Warehouse, cached, rows_only
from qa_read.filters import Filters, render
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
# Linked actions per (service area, cycle, practice area): those raised from audits that graded the area below
# good (the weak_area_actions mart). last_completed only when every one is completed.
WEAK_AREAS = """
    SELECT x.service_area, x.cycle, x.practice_area, sum(x.actions)::BIGINT AS actions,
           (sum(x.actions) - sum(x.completed))::BIGINT AS open_actions,
           CASE WHEN sum(x.actions) = sum(x.completed) THEN max(x.last_completed) END AS last_completed
    FROM weak_area_actions x
    WHERE {actions} AND x.scale = ?
    GROUP BY ALL
"""
# Each escalation with its linked actions (the escalation_actions mart) and, once they are all done, the first later
# audit of the child (escalation_followups); its state as a place in STATES (bound: the positions of NO_ACTION, OPEN,
# DONE, NOT_IMPROVED, IMPROVED) and its evidence. There may be a hundred thousand, so they are counted and listed
# here rather than fetched whole.
ESCALATIONS = """
    WITH escalated AS (
        SELECT a.audit_id, a.service_area, a.cycle, a.audit_date FROM escalated_audits a WHERE {audits}
    ), linked AS (
        SELECT x.audit_id, sum(x.actions)::BIGINT AS actions,
               (sum(x.actions) - sum(x.completed))::BIGINT AS open_actions,
               CASE WHEN sum(x.actions) = sum(x.completed) THEN max(x.last_completed) END AS last_completed
        FROM escalation_actions x WHERE {actions} AND x.audit_id IN (SELECT audit_id FROM escalated)
        GROUP BY x.audit_id
    ), summary AS (
        SELECT e.*, coalesce(l.actions, 0) AS actions, coalesce(l.open_actions, 0) AS open_actions, l.last_completed
        FROM escalated e LEFT JOIN linked l USING (audit_id)
    ), later AS (
        SELECT r.*, row_number() OVER (PARTITION BY r.escalated_id ORDER BY r.reaudit_date, r.reaudit_id) AS k
        FROM summary s JOIN escalation_followups r ON r.escalated_id = s.audit_id AND r.reaudit_date > s.last_completed
    ), states AS (
        SELECT s.service_area, s.cycle, s.audit_id AS subject, s.actions, s.open_actions, s.last_completed,
               CASE WHEN s.actions = 0 THEN ? WHEN s.open_actions > 0 THEN ? WHEN l.reaudit_id IS NULL THEN ?
                    WHEN l.reaudit_escalated THEN ? ELSE ? END AS position,
               'Re-audited ' || strftime(l.reaudit_date, '%d %b %Y') || ' (' || l.reaudit_id || '): '
                   || coalesce(l.reaudit_grade, 'no grade')
                   || CASE WHEN l.reaudit_escalated THEN ', escalated again' ELSE ', not escalated' END AS evidence
        FROM summary s LEFT JOIN later l ON l.escalated_id = s.audit_id AND l.k = 1
    ), chosen AS MATERIALIZED (
        SELECT * FROM states WHERE ?::VARCHAR IS NULL OR cycle <= ?::VARCHAR
    )
    {select}
"""
# The first ``limit`` in the list's order, then one row per state with its count (``findings``): one pass for both.
LISTED_AND_COUNTED = """
    SELECT *, NULL::BIGINT AS findings
    FROM (SELECT * FROM chosen ORDER BY position, cycle, service_area, subject LIMIT ?)
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, position, NULL, count(*) FROM chosen GROUP BY position
"""
COLUMNS = ["kind", "service_area", "cycle", "practice_area", "subject", "actions", "open_actions",
           "last_completed", "state", "evidence_cycle", "evidence"]  # fmt: skip


def _areas_only(f: Filters) -> Filters:
    return Filters(service_areas=f.service_areas, teams=f.teams, scope=f.scope)


def _area_findings(shares: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    low = shares[(shares["n"] >= SMALL_N) & (shares["k"] < LOW_SHARE * shares["n"])]
    low = low.assign(kind=LOW, subject=low["practice_area"])
    themes = themes.dropna(subset=["practice_area"])
    same = themes["theme"].str.strip().str.lower() == themes["practice_area"].str.lower()
    subject = themes["theme"].where(same, themes["theme"] + " (" + themes["practice_area"] + ")")
    themes = themes.assign(kind=THEME, subject=subject)
    columns = ["kind", "service_area", "cycle", "practice_area", "subject"]
    return pd.concat([themes[columns], low[columns]], ignore_index=True)


def _areas(wh: Warehouse, f: Filters) -> pd.DataFrame:
    audits, audits_p = f.where(C.AUDITS)
    shares = wh.query(render(SHARES, audits=audits), [*audits_p, SCALE])
    found = _area_findings(shares, impact.theme_practice_areas(wh, f))
    weak, weak_p = f.where(C.FILED_ACTIONS)
    linked = wh.query(render(WEAK_AREAS, actions=weak), [*weak_p, SCALE])
    found = found.merge(linked, how="left", on=["service_area", "cycle", "practice_area"])
    found["actions"] = found["actions"].fillna(0).astype(int)
    found["open_actions"] = found["open_actions"].fillna(0).astype(int)
    starts = {cycle: cycle_bounds(cycle)[0] for cycle in shares["cycle"].unique()}
    shares = shares.assign(starts=shares["cycle"].map(starts)).sort_values("cycle")
    by_area = dict(iter(shares.groupby(["service_area", "practice_area"], sort=False)))
    empty = shares.head(0)
    rows = [
        _regraded(finding, by_area.get((finding.service_area, finding.practice_area), empty))
        for finding in found.itertuples(index=False)
    ]
    states = pd.DataFrame(rows, index=found.index, columns=["state", "evidence_cycle", "evidence"])
    return pd.concat([found, states], axis=1)


def _regraded(finding, mine: pd.DataFrame) -> dict:
    """State and evidence of a theme or low grade, from ``mine``: its service area's shares for its area of
    practice, in cycle order, with each cycle's first day (``starts``). One finding at a time, as there are few."""
    if not finding.actions:
        return {"state": NO_ACTION, "evidence_cycle": None, "evidence": None}
    if finding.open_actions:
        return {"state": OPEN, "evidence_cycle": None, "evidence": None}
    after = pd.Timestamp(finding.last_completed).date()
    before = mine[mine["cycle"] == finding.cycle]
    later = mine[(mine["n"] >= SMALL_N) & (mine["starts"] > after)]
    if later.empty:
        return {"state": DONE, "evidence_cycle": None, "evidence": None}
    then = later.iloc[0]
    k0, n0 = (int(before["k"].iloc[0]), int(before["n"].iloc[0])) if len(before) else (0, 0)
    k1, n1 = int(then["k"]), int(then["n"])
    evidence = f"{k1} of {n1} grades good or better in {then['cycle']} ({k1 / n1:.0%})"
    if n0 < SMALL_N:
        return {"state": CANNOT_COMPARE, "evidence_cycle": then["cycle"],
                "evidence": f"{evidence}; {n0} grades in {finding.cycle}, too few to compare"}  # fmt: skip
    return {
        "state": IMPROVED if k1 / n1 > k0 / n0 else NOT_IMPROVED,
        "evidence_cycle": then["cycle"],
        "evidence": f"{evidence} against {k0} of {n0} in {finding.cycle} ({k0 / n0:.0%})",
    }


def _escalations(wh: Warehouse, f: Filters, select: str, up_to: str | None, *extra) -> pd.DataFrame:
    (audits, audits_p), (actions, actions_p) = f.where(C.AUDITS), f.where(C.FILED_ACTIONS)
    sql = render(ESCALATIONS, audits=audits, actions=actions, select=select)
    positions = [STATES.index(state) for state in (NO_ACTION, OPEN, DONE, NOT_IMPROVED, IMPROVED)]
    found = wh.query(sql, [*audits_p, *actions_p, *positions, up_to, up_to, *extra])
    return found.assign(state=found["position"].map(dict(enumerate(STATES)))).drop(columns="position")


@cached
def _escalation_part(wh: Warehouse, f: Filters, limit: int | None, up_to: str | None) -> tuple:
    """(the first ``limit`` escalations as listed, their count in each state)."""
    found = _escalations(wh, _areas_only(f), LISTED_AND_COUNTED, up_to, 2**62 if limit is None else limit)
    counted = found["findings"].notna()
    listed = found[~counted].assign(kind=ESCALATION, practice_area=None, evidence_cycle=None)[COLUMNS]
    return listed.reset_index(drop=True), found[counted].set_index("state")["findings"].astype(int)


@cached
def _area_loops(wh: Warehouse, f: Filters) -> pd.DataFrame:
    return _areas(wh, _areas_only(f))[COLUMNS]


def _up_to(found: pd.DataFrame, up_to: str | None) -> pd.DataFrame:
    return found if up_to is None else found[found["cycle"] <= up_to]


@rows_only
def loops(wh: Warehouse, f: Filters, limit: int | None = LIST_ROWS, up_to: str | None = None) -> pd.DataFrame:
    """Every finding with its state, open loops first (oldest first within a state), at most ``limit``; only
    those of cycles up to ``up_to``, if given. Columns: kind, service_area, cycle, practice_area, subject (theme,
    area or escalated audit id), actions, open_actions, last_completed, state, evidence_cycle, evidence."""
    # The escalations listed are the first ``limit`` in this same order, so none left out could be listed.
    listed, _ = _escalation_part(wh, f, None if limit is None else max(limit, LIST_ROWS), up_to)
    out = pd.concat([_up_to(_area_loops(wh, f), up_to), listed], ignore_index=True)
    out["last_completed"] = pd.to_datetime(out["last_completed"]).dt.date.where(out["last_completed"].notna(), None)
    out["position"] = out["state"].map(STATES.index)
    out = out.sort_values(["position", "cycle", "service_area", "subject"]).drop(columns="position")
    return out if limit is None else out.head(limit)


@cached
def counts(wh: Warehouse, f: Filters, up_to: str | None = None) -> pd.DataFrame:
    """Findings by kind and state, every state listed; only those of cycles up to ``up_to``, if given.
    Columns: kind, state, findings."""
    areas = _up_to(_area_loops(wh, f), up_to).groupby(["kind", "state"]).size()
    _, escalations = _escalation_part(wh, f, LIST_ROWS, up_to)  # the list loops() shows, so one query serves both
    escalations = escalations.set_axis(pd.MultiIndex.from_product([[ESCALATION], escalations.index]))
    grid = pd.MultiIndex.from_product([(THEME, LOW, ESCALATION), STATES], names=["kind", "state"])
    found = pd.concat([areas, escalations]).reindex(grid, fill_value=0).astype(int)
    return found.rename("findings").reset_index()
