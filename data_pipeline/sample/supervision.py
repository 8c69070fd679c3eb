"""The head of service's review of supervision records, a sample per cycle.

This export's Forms times are real Excel datetime cells, unlike the other workbooks.
"""

import numpy as np

from . import bad, cycles, layout, messy, org, phrases, stories
from .forms import Sheet
from .rng import stream

STEM, PROFILE = "supervision-reviews", "supervision-review-v1"
SHARE = 0.4  # of the audit count
KINDS = ("bad_grade", "bad_date", "missing_service_area", "future_date")
RELATIONSHIPS = (
    ("Social worker supervised by team manager", "Team manager supervised by service manager",
     "Service manager supervised by head of service"),  # the wording until September 2025
    ("Practitioner by team manager", "Team manager by service manager", "Service manager by head of service"),
)  # fmt: skip
ELEMENTS = (  # (option label, share of records showing it)
    (("Strengths discussed",), 0.85),
    (("Areas for development",), 0.75),
    (("Wellbeing", "Staff wellbeing", "Well-being"), 0.72),
    (("Reflective discussion",), 0.6),
    (("Training needs", "Training and development needs"), 0.45),
)
GAP_WELLBEING = 0.12
ORDER = [
    "ID", "Start time", "Completion time", "Email", "Name",
    "review_date", "cycle", "service_area", "team", "supervisee", "supervisor", "relationship",
    "sessions_expected", "sessions_held", "quality_grade", "elements", "comments.comment",
]  # fmt: skip
BAD_CELLS = {"grade": "quality_grade", "date": "review_date", "cycle": "cycle", "area": "service_area"}


def sheet(staff: org.Org, plds: dict, audit_count: int, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _reviews(staff, plds, round(audit_count * SHARE), seed, rng)
    count = len(rows["cycle"])
    hidden = rng.random(count) < 0.05
    reviewer = staff.area_head[rows["area"]]
    newer = rows["cycle"] > cycles.VOICE_PLD
    fields = {
        "ID": np.arange(1, count + 1).astype(object),
        "Start time": messy.stamp_cells(rows["completed"] - rng.integers(300, 1800, count).astype("m8[s]")),
        "Completion time": messy.stamp_cells(rows["completed"]),
        "Email": np.where(hidden, "anonymous", staff.emails[reviewer]).astype(object),
        "Name": np.where(hidden, None, staff.staff[reviewer]),
        "review_date": messy.uk_dates(rows["day"], rng),
        "cycle": messy.cycle_labels(rows["cycle"], rng),
        "service_area": np.array(org.AREAS, dtype=object)[rows["area"]],
        "team": np.where(rows["team"] >= 0, staff.team_names[rows["team"]], None),
        "supervisee": messy.names(staff.staff[rows["supervisee"]], rng),
        "supervisor": messy.names(staff.staff[rows["supervisor"]], rng),
        "relationship": np.array(RELATIONSHIPS, dtype=object)[newer.astype(int), rows["relationship"]],
        "sessions_expected": rows["expected"].astype(str).astype(object),
        "sessions_held": rows["held"].astype(str).astype(object),
        "quality_grade": messy.spell(rows["quality"], messy.OFSTED, messy.OFSTED_VARIANTS, 0.08, rng),
        "elements": _elements(rows["gap"], rng),
        "comments.comment": phrases.compose(
            phrases.SUPERVISION_COMMENTS, rng.choice(3, count, p=[0.4, 0.45, 0.15]), rng
        ),
    }
    bad.corrupt(fields, rows["bad"], rows["day"], BAD_CELLS)
    return Sheet(STEM, PROFILE, layout.lay_out(PROFILE, ORDER, fields), bad=rows["bad"])


def _reviews(staff: org.Org, plds: dict, count: int, seed: int, rng: np.random.Generator) -> dict:
    """Mostly practitioners' supervision by their team manager, some managers' own supervision."""
    cycle = np.sort(np.arange(count) % cycles.COUNT)
    relationship = rng.choice(3, size=count, p=[0.82, 0.14, 0.04])
    worker = staff.workers[rng.integers(0, len(staff.workers), count)]
    worker_team = staff.worker_team[worker - staff.workers[0]]
    team = np.where(relationship == 0, worker_team, rng.integers(0, len(staff.team_names), count))
    area = staff.team_area[team]
    manager = staff.area_managers[area, rng.integers(0, 2, count)]
    supervisee = np.select([relationship == 0, relationship == 1], [worker, staff.team_manager[team]], manager)
    supervisor = np.select(
        [relationship == 0, relationship == 1], [staff.team_manager[team], manager], staff.area_head[area]
    )
    gap = team == staff.team_index(stories.SUPERVISION_GAP_TEAM)
    expected = rng.choice([3, 6, 2], size=count, p=[0.8, 0.15, 0.05])
    rate = np.where(gap, 0.55, rng.uniform(0.89, 0.97, size=len(staff.team_names))[team])
    day = cycles.squeeze(cycles.weekday(plds["planned"][area, cycle] - rng.integers(3, 40, count)), cycle)
    quality = stories.ofsted(0.5 - 1.0 * gap + rng.normal(0.0, 0.9, count))
    order = np.argsort(day, kind="stable")
    rows = {
        "cycle": cycle, "relationship": relationship, "team": np.where(relationship == 2, -1, team),
        "area": area, "supervisee": supervisee, "supervisor": supervisor, "gap": gap, "expected": expected,
        "held": expected - rng.binomial(expected, 1 - rate), "quality": quality, "day": day,
        "completed": cycles.at_times(day + rng.choice([0, 0, 1, 2], count), rng),
    }  # fmt: skip
    rows = {name: column[order] for name, column in rows.items()}
    rows["bad"] = bad.choose(count, KINDS, rng)
    return rows


def _elements(gap: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Forms multi-select answers: `Strengths discussed;Wellbeing;` with the trailing semicolon."""
    count = len(gap)
    parts = []
    for labels, share in ELEMENTS:
        share = np.where(gap, GAP_WELLBEING, share) if labels[0] == "Wellbeing" else share
        shown = rng.random(count) < share
        label = np.array(labels, dtype=object)[rng.choice(len(labels), count, p=_favour_first(len(labels)))]
        parts.append(np.where(shown, label + ";", ""))
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + part
    return np.where(joined == "", None, joined)


def _favour_first(count: int) -> list[float]:
    return [1.0] if count == 1 else [0.8] + [0.2 / (count - 1)] * (count - 1)
