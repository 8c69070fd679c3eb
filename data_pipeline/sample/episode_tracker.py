"""The QA team's Learning Episode allocation tracker: every episode the form export holds, signed off on its
form's date, and the episodes still in progress, each with a date per stage it has reached (a UTF-8 CSV).

Its "LE ref" is the form's response ID, so a signed-off episode joins its evaluation form in the warehouse.
Children in Care's open episodes mostly stall at the supervisor's progress on actions, past their completion
date (``stories.STALLED_EPISODE_AREA``); some Outstanding or Inadequate evaluations await the head of service.
"""

import numpy as np

from . import bad, cycles, episodes, messy, org, stories
from .forms import Sheet
from .layout import load
from .rng import stream

STEM, PROFILE = "learning-episode-tracker", "learning-episode-tracker-v1"
STAGES = ("reflection_date", "conversation_date", "observation_date", "evaluation_date", "concluding_date",
          "supervisor_date", "signed_off_date")  # fmt: skip
EVALUATED = STAGES.index("evaluation_date")
SUPERVISOR = STAGES.index("supervisor_date")
OPEN_SHARE = 0.3  # episodes in progress, per signed-off episode
DUE_DAYS = 84  # the completion date the QA manager sets: twelve weeks on
KINDS = ("bad_date", "missing_service_area", "future_date")
# Chance of each Ofsted evaluation (Outstanding .. Inadequate) by the overall assurance (High, Medium, Low).
EVALUATION = np.array([[0.2, 0.8, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0], [0.0, 0.0, 0.7, 0.3]])


def sheet(staff: org.Org, audit_count: int, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _rows(staff, episodes.signed_off(staff, audit_count, seed), rng)
    count = len(rows["allocated"])
    fields = {
        "response_id": rows["ref"].astype(str).astype(object),
        "service_area": np.array(org.AREAS, dtype=object)[rows["area"]],
        "team": staff.team_names[rows["team"]],
        "practitioner": messy.names(staff.staff[rows["worker"]], rng),
        "reviewer": messy.names(staff.staff[rows["reviewer"]], rng),
        "child": rows["child"].astype(str).astype(object),
        "allocated_date": messy.plain_dates(rows["allocated"], rng),
        "due_date": messy.plain_dates(rows["allocated"] + DUE_DAYS, rng),
        **{stage: messy.plain_dates(rows["stages"][:, k], rng) for k, stage in enumerate(STAGES)},
        "assurance": messy.spell(rows["assurance"], messy.ASSURANCE, messy.ASSURANCE_VARIANTS, 0.05, rng),
        "evaluation": messy.spell(rows["evaluation"], messy.OFSTED, messy.OFSTED_VARIANTS, 0.05, rng),
        "hos_moderated_date": messy.plain_dates(rows["hos"], rng),
        "cslt_sampled": np.where(rows["sampled"], "Yes", np.where(rng.random(count) < 0.5, "No", None)),
        "cslt_moderated_date": messy.plain_dates(rows["cslt"], rng),
    }
    bad.corrupt(fields, rows["bad"], rows["allocated"], {"date": "allocated_date", "area": "service_area"})
    names = load(PROFILE)["columns"]
    columns = {names[field]: cells for field, cells in fields.items()}
    return Sheet(STEM, PROFILE, columns, fmt="csv-utf8-bom", id_heading=names["response_id"], bad=rows["bad"])


def _rows(staff: org.Org, signed: dict, rng: np.random.Generator) -> dict:
    """Signed-off episodes first, then those in progress, all in order of allocation."""
    done, live = _signed(signed, rng), _in_progress(staff, signed, rng)
    rows = {name: np.concatenate((done[name], live[name])) for name in done}
    order = np.argsort(rows["allocated"], kind="stable")
    rows = {name: column[order] for name, column in rows.items()}
    rows["bad"] = bad.choose(len(order), KINDS, rng)
    return rows


def _signed(signed: dict, rng: np.random.Generator) -> dict:
    count = len(signed["day"])
    sign_off = signed["day"].astype("M8[D]")
    allocated = cycles.weekday(sign_off - rng.integers(35, 110, count))
    span = (sign_off - allocated).astype(int)
    steps = np.sort(rng.random((count, len(STAGES) - 1)), axis=1)
    stages = allocated[:, None] + np.floor(steps * span[:, None]).astype("m8[D]")
    rows = _common(signed, np.arange(count), allocated, np.column_stack((stages, sign_off)), rng)
    rows["assurance"] = signed["overall"]
    rows["evaluation"] = _evaluation(signed["overall"], rng)
    rows["hos"] = _hos(rows, 0.95, rng)
    rows["sampled"] = rng.random(count) < 0.15
    cslt = sign_off + rng.integers(5, 21, count).astype("m8[D]")
    rows["cslt"] = np.where(rows["sampled"] & (rng.random(count) < 0.8) & (cslt <= cycles.EXPORT_DAY), cslt, _NAT)
    return rows


def _in_progress(staff: org.Org, signed: dict, rng: np.random.Generator) -> dict:
    count = round(len(signed["day"]) * OPEN_SHARE)
    like = rng.integers(0, len(signed["day"]), count)
    stalled = signed["area"][like] == org.AREAS.index(stories.STALLED_EPISODE_AREA)
    # Elsewhere an episode allocated more than about fourteen weeks ago has mostly been signed off.
    allocated = cycles.weekday(cycles.EXPORT_DAY - rng.integers(5, np.where(stalled, 150, 95)))
    stages = allocated[:, None] + np.cumsum(rng.integers(5, 20, (count, len(STAGES))), axis=1).astype("m8[D]")
    stall = np.where(stalled & (rng.random(count) < 0.7), SUPERVISOR, rng.integers(0, SUPERVISOR + 2, count))
    reached = np.minimum((stages[:, :-1] <= cycles.EXPORT_DAY).sum(axis=1), stall)
    stages = np.where(np.arange(len(STAGES)) < reached[:, None], stages, _NAT)
    rows = _common(signed, like, allocated, stages, rng)
    rows["ref"] = len(signed["day"]) + 1 + np.arange(count)
    rows["child"] = rng.integers(100_000, 10_000_000, count)
    evaluated = reached > EVALUATED
    rows["assurance"] = np.where(evaluated, rng.choice(3, count, p=[0.3, 0.5, 0.2]), -1)
    rows["evaluation"] = np.where(evaluated, _evaluation(np.maximum(rows["assurance"], 0), rng), -1)
    rows["hos"] = _hos(rows, 0.4, rng)
    rows["sampled"] = np.zeros(count, bool)
    rows["cslt"] = np.full(count, _NAT)
    return rows


_NAT = np.datetime64("NaT", "D")


def _common(signed: dict, pick: np.ndarray, allocated: np.ndarray, stages: np.ndarray, rng) -> dict:
    return {
        "ref": signed["ref"][pick], "area": signed["area"][pick], "team": signed["team"][pick],
        "worker": signed["worker"][pick], "reviewer": signed["auditor"][pick], "child": signed["child"][pick],
        "allocated": allocated, "stages": stages,
    }  # fmt: skip


def _evaluation(assurance: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    draws = rng.random(len(assurance))[:, None] < np.cumsum(EVALUATION[assurance], axis=1)
    return draws.argmax(axis=1)


def _hos(rows: dict, share: float, rng: np.random.Generator) -> np.ndarray:
    """Head of service moderation of Outstanding (0) and Inadequate (3) evaluations, days after the evaluation."""
    evaluated = rows["stages"][:, EVALUATED]
    moderated = np.isin(rows["evaluation"], (0, 3)) & (rng.random(len(evaluated)) < share)
    when = np.minimum(evaluated + rng.integers(1, 6, len(evaluated)).astype("m8[D]"), cycles.EXPORT_DAY)
    return np.where(moderated & ~np.isnat(evaluated), when, _NAT)
