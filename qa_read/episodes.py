"""Learning Episodes from allocation to sign-off: where each allocation stands, what is overdue and at which
step, which Outstanding or Inadequate evaluations await the head of service, the leadership team's (CSLT)
moderation sample against its target, and days from allocation to sign-off.

The stages, "stands at" and "overdue" are defined once here and in docs/data-contract.md (`learning_episodes`).
"""

import datetime as dt
import math

import pandas as pd

from qa_read.db import LIST_ROWS, Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.stats import SMALL_N

EPISODES = {"service_area": "e.service_area", "team": "e.team", "cycle": "e.cycle"}
# The guidance's stages in order: (date column, the step an episode waits for when that date is missing).
STAGES = (
    ("reflection_date", "Practitioner's reflection"),
    ("conversation_date", "Learning conversation"),
    ("observation_date", "Practice observation"),
    ("evaluation_date", "Reviewer's evaluation"),
    ("concluding_date", "Concluding meeting"),
    ("supervisor_date", "Supervisor's progress on actions"),
    ("signed_off_date", "Service manager sign-off"),
)
SIGNED_OFF = "Signed off"
STEPS = (*(f"Awaiting {label[0].lower()}{label[1:]}" for _, label in STAGES), SIGNED_OFF)
NEEDS_HOS = ("Outstanding", "Inadequate")

# step: 0-based position in STEPS; the first stage without a date, or signed off.
_STEP = "CASE WHEN signed_off_date IS NOT NULL THEN {last} {whens} END".format(
    last=len(STAGES),
    whens=" ".join(f"WHEN {column} IS NULL THEN {k}" for k, (column, _) in enumerate(STAGES)),
)
SCOPED = """
    scoped AS (
        SELECT e.*, {step} AS step,
               signed_off_date IS NULL AND due_date < ?::DATE AS overdue
        FROM learning_episodes e WHERE {where}
    )"""
BY_STEP = """
    WITH {scoped}
    SELECT step, count(*)::BIGINT AS episodes, count(*) FILTER (WHERE overdue)::BIGINT AS overdue
    FROM scoped GROUP BY step ORDER BY step
"""
OVERDUE = """
    WITH {scoped}
    SELECT episode_id, cycle, service_area, team, allocated_date, due_date, step,
           date_diff('day', due_date, ?::DATE) AS days_overdue
    FROM scoped WHERE overdue ORDER BY due_date, episode_id LIMIT ?
"""
HOS = """
    WITH {scoped}
    SELECT evaluation, hos_moderated_date IS NOT NULL AS moderated, count(*)::BIGINT AS episodes
    FROM scoped WHERE evaluation IN (?, ?) GROUP BY ALL ORDER BY ALL
"""
UNMODERATED = """
    WITH {scoped}
    SELECT episode_id, cycle, service_area, team, evaluation, evaluation_date, step
    FROM scoped WHERE evaluation IN (?, ?) AND hos_moderated_date IS NULL
    ORDER BY evaluation_date NULLS LAST, episode_id LIMIT ?
"""
CSLT = """
    WITH {scoped}
    SELECT cycle, count(*)::BIGINT AS allocated,
           count(*) FILTER (WHERE cslt_sampled)::BIGINT AS sampled,
           count(cslt_moderated_date)::BIGINT AS moderated
    FROM scoped GROUP BY cycle ORDER BY cycle
"""
SIGN_OFF_DAYS = """
    WITH {scoped}
    SELECT service_area, count(*)::BIGINT AS n,
           median(date_diff('day', allocated_date, signed_off_date))::DOUBLE AS median_days
    FROM scoped WHERE signed_off_date IS NOT NULL GROUP BY service_area ORDER BY service_area
"""


def _query(wh: Warehouse, f: Filters, template: str, today: dt.date, *tail) -> pd.DataFrame:
    where, params = f.where(EPISODES)
    return wh.query(render(template, scoped=render(SCOPED, step=_STEP, where=where)), [today, *params, *tail])


def _step_label(frame: pd.DataFrame) -> pd.DataFrame:
    frame["step"] = frame["step"].map(lambda k: STEPS[int(k)])
    return frame


@cached
def by_step(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    """Every step in order. Columns: step, episodes, overdue (not signed off and due before ``today``)."""
    found = _query(wh, f, BY_STEP, today).set_index("step")
    out = pd.DataFrame({"step": STEPS})
    out["episodes"] = [int(found["episodes"].get(k, 0)) for k in range(len(STEPS))]
    out["overdue"] = [int(found["overdue"].get(k, 0)) for k in range(len(STEPS))]
    return out


@rows_only
@cached
def overdue(wh: Warehouse, f: Filters, today: dt.date, limit: int = LIST_ROWS) -> pd.DataFrame:
    """Episodes not signed off whose completion date is before ``today``, longest overdue first.
    Columns: episode_id, cycle, service_area, team, allocated_date, due_date, step, days_overdue."""
    return _step_label(_query(wh, f, OVERDUE, today, today, limit))


@cached
def hos_moderation(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    """Outstanding and Inadequate evaluations by whether the head of service moderated them: one row per
    evaluation. Columns: evaluation, moderated, awaiting, episodes."""
    found = _query(wh, f, HOS, today, *NEEDS_HOS)
    rows = []
    for grade in NEEDS_HOS:
        mine = found[found["evaluation"] == grade].set_index("moderated")["episodes"]
        done, waiting = int(mine.get(True, 0)), int(mine.get(False, 0))
        rows.append({"evaluation": grade, "moderated": done, "awaiting": waiting, "episodes": done + waiting})
    return pd.DataFrame(rows)


@rows_only
@cached
def unmoderated(wh: Warehouse, f: Filters, today: dt.date, limit: int = LIST_ROWS) -> pd.DataFrame:
    """Outstanding or Inadequate evaluations with no head of service moderation recorded.
    Columns: episode_id, cycle, service_area, team, evaluation, evaluation_date, step."""
    return _step_label(_query(wh, f, UNMODERATED, today, *NEEDS_HOS, limit))


@cached
def cslt_sample(wh: Warehouse, f: Filters, today: dt.date, share: float) -> pd.DataFrame:
    """Per allocation (cycle allocated): allocated, sampled, moderated, target (``share`` of the allocation,
    rounded up; pages pass the setting ``QA_EPISODE_SAMPLE_SHARE``), met (moderated >= target), small_n (under
    five allocated)."""
    out = _query(wh, f, CSLT, today)
    out["target"] = [math.ceil(share * n - 1e-9) for n in out["allocated"]]
    out["met"] = out["moderated"] >= out["target"]
    out["small_n"] = out["allocated"] < SMALL_N
    return out


@cached
def sign_off_days(wh: Warehouse, f: Filters, today: dt.date) -> pd.DataFrame:
    """Days from allocation to the service manager's sign-off, by service area.
    Columns: service_area, n (signed off), median_days, small_n."""
    out = _query(wh, f, SIGN_OFF_DAYS, today)
    out["small_n"] = out["n"] < SMALL_N
    return out
