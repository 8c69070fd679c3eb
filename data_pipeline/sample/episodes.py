"""Learning Episodes: the assurance-scale practice review piloted by two service areas from April 2025."""

import numpy as np

from . import audit_forms, audits, bad, cycles, layout, messy, org, stories
from .forms import Sheet
from .rng import stream

STEM, PROFILE = "learning-episodes", "learning-episode-v1"
PILOT_AREAS = ("Children in Care", "Care Leavers")
FIRST_CYCLE = 2
SHARE = 0.12  # of the audit count
ORDER = [
    "ID", "Start time", "Completion time", "Email", "Name", "modified_time",
    "audit_date", "service_area", "team", "case_type", "worker", "child",
    *layout.practice_areas(PROFILE),
    "overall_grade", "comments.strengths", "comments.development", "comments.actions", "moderated_grade",
]  # fmt: skip
BAD_CELLS = {"grade": "overall_grade", "date": "audit_date", "area": "service_area"}


def sheet(staff: org.Org, audit_count: int, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _episodes(staff, round(audit_count * SHARE), seed, rng)
    fields = audit_forms.forms_metadata(staff, rows["auditor"], rows, rng, anonymous=0.05)
    fields.update(
        audit_date=messy.uk_dates(rows["day"], rng),
        service_area=np.array(org.AREAS, dtype=object)[rows["area"]],
        team=staff.team_names[rows["team"]],
        case_type=messy.case_types(rows["case_type"], 0.2, rng),
        worker=messy.names(staff.staff[rows["worker"]], rng),
        child=rows["child"].astype(str).astype(object),
        overall_grade=_assurance(rows["overall"], rng),
        moderated_grade=_assurance(rows["moderated"], rng),
    )
    fields.update({area: _assurance(rows["grades"][:, k], rng) for k, area in enumerate(rows["areas"])})
    fields.update(audit_forms.comments(rows["overall"] + 1, np.ones(len(rows["team"]), bool), rng))
    bad.corrupt(fields, rows["bad"], rows["day"], BAD_CELLS, bad.BAD_ASSURANCE)
    return Sheet(STEM, PROFILE, layout.lay_out(PROFILE, ORDER, fields), bad=rows["bad"])


def signed_off(staff: org.Org, audit_count: int, seed: int) -> dict:
    """The episodes the form export holds (each signed off on its audit date), drawn exactly as ``sheet`` draws them."""
    return _episodes(staff, round(audit_count * SHARE), seed, stream(seed, STEM))


def _episodes(staff: org.Org, count: int, seed: int, rng: np.random.Generator) -> dict:
    pilot = np.flatnonzero(np.isin(staff.team_area, [org.AREAS.index(a) for a in PILOT_AREAS]))
    weights = org.team_weights(staff)[pilot]
    team = rng.choice(pilot, size=count, p=weights / weights.sum())
    cycle = np.sort(rng.integers(FIRST_CYCLE, cycles.COUNT, size=count))
    day = cycles.squeeze(cycles.weekday(cycles.STARTS[cycle] + rng.integers(0, 88, size=count)), cycle)
    areas = layout.practice_areas(PROFILE)
    area = staff.team_area[team]
    quality = stories.quality_mean(staff, team, cycle, seed) + rng.normal(0.0, 1.0, count) * stories.spread(staff, team)
    scores = quality[:, None] + stories.practice_offsets(areas, area, cycle) + rng.normal(0.0, 0.5, (count, 5))
    overall = stories.assurance(scores.mean(axis=1) + rng.normal(0.0, 0.3, count))
    step = rng.choice([0, 0, 0, -1, 1], size=count)
    moderated = np.where(rng.random(count) < 0.2, np.clip(overall + step, 0, 2), -1)
    completed = cycles.at_times(day + rng.choice([0, 1, 2, 4], size=count), rng)
    edited = (rng.random(count) < 0.05) | ((moderated >= 0) & (rng.random(count) < 0.5))
    edited_on = cycles.by_then(day + rng.integers(3, 30, size=count))
    order = np.argsort(completed, kind="stable")
    rows = {
        "team": team, "area": area, "cycle": cycle, "day": day, "overall": overall,
        "moderated": np.where(edited & np.isnat(edited_on), -1, moderated),  # in an edit yet to come
        "grades": stories.assurance(scores), "worker": org.pick_workers(staff, team, rng),
        "auditor": org.pick_auditors(staff, team, rng), "case_type": org.pick_case_types(staff, team, rng),
        "child": rng.integers(100_000, 10_000_000, size=count), "completed": completed,
        "started": completed - rng.integers(600, 3600, size=count).astype("m8[s]"),
        "modified": np.where(edited, cycles.at_times(edited_on, rng), audits.NAT),
    }  # fmt: skip
    rows = {name: column[order] for name, column in rows.items()}
    rows.update(ref=np.arange(1, count + 1), areas=areas, bad=bad.choose(count, audits.KINDS, rng))
    return rows


def _assurance(ranks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return messy.spell(ranks, messy.ASSURANCE, messy.ASSURANCE_VARIANTS, 0.1, rng)
