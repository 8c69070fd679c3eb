"""The collaborative case audits behind both audit forms, before any export quirks are applied."""

import numpy as np

from . import bad, cycles, org, stories
from .rng import stream

PRACTICE_AREAS = (
    "Voice of the child",
    "Assessment and analysis",
    "Planning and review",
    "Multi-agency working",
    "Management oversight",
    "Recording",
    "Impact and outcomes",
)
REAUDIT_SHARE = 0.08
KINDS = ("bad_grade", "bad_date", "missing_service_area", "future_date")
NAT = np.datetime64("NaT")


def build(staff: org.Org, plds: dict, count: int, seed: int) -> dict[str, np.ndarray]:
    """One row per audit, sorted by form then completion time; `ref` is the Forms ID within its form."""
    rng = stream(seed, "audits")
    table = _cases(staff, count, rng)
    table["area"] = staff.team_area[table["team"]]
    table["auditor"] = org.pick_auditors(staff, table["team"], rng)
    day = plds["planned"][table["area"], table["cycle"]] - rng.integers(1, 50, size=count)
    table["day"] = cycles.squeeze(cycles.weekday(day), table["cycle"])
    table.update(_grades(staff, table, seed, rng))
    table.update(_follow_up(table, rng))
    table.update(_stamps(table, rng))
    table["form"] = (table["cycle"] >= cycles.NEW_FORM_FROM).astype(int)
    order = np.lexsort((table["completed"], table["form"]))
    table = {name: column[order] for name, column in table.items()}
    table["ref"] = _refs(table["form"])
    table["bad"] = np.empty(count, dtype=object)
    for form in (0, 1):
        rows = np.flatnonzero(table["form"] == form)
        table["bad"][rows] = bad.choose(len(rows), KINDS, rng)
    return table


def _cases(staff: org.Org, count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Whose case, in which cycle; about 8% of children come back for a second audit in a later cycle."""
    first = round(count / (1 + REAUDIT_SHARE))
    cycle = np.sort(np.arange(first) % cycles.COUNT)
    team = _spread_over_teams(staff, cycle, rng)
    child = rng.choice(9_900_000, size=first, replace=False) + 100_000
    case_type = org.pick_case_types(staff, team, rng)
    worker = org.pick_workers(staff, team, rng)
    again = rng.choice(np.flatnonzero(cycle < cycles.COUNT - 1), size=count - first, replace=False)
    later = np.minimum(cycle[again] + rng.integers(1, 4, size=len(again)), cycles.COUNT - 1)
    new_worker = org.pick_workers(staff, team[again], rng)
    return {
        "cycle": np.concatenate((cycle, later)),
        "team": np.concatenate((team, team[again])),
        "child": np.concatenate((child, child[again])),
        "case_type": np.concatenate((case_type, case_type[again])),
        "worker": np.concatenate((worker, np.where(rng.random(len(again)) < 0.6, worker[again], new_worker))),
        "reaudit": np.arange(count) >= first,
    }


def _spread_over_teams(staff: org.Org, cycle: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each cycle audits every team in proportion to its size (systematic sampling), not by luck."""
    size = np.bincount(cycle, minlength=cycles.COUNT)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    within = np.arange(len(cycle)) - start[cycle]
    position = (within + rng.random(cycles.COUNT)[cycle]) / size[cycle]
    return np.searchsorted(np.cumsum(org.team_weights(staff)), position, side="right")


def _grades(staff: org.Org, table: dict, seed: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Area grades scatter around the audit's quality; the overall grade follows their average."""
    count = len(table["team"])
    quality = stories.quality_mean(staff, table["team"], table["cycle"], seed)
    quality = quality + rng.normal(0.0, 1.0, count) * stories.spread(staff, table["team"]) + 0.3 * table["reaudit"]
    offsets = stories.practice_offsets(list(PRACTICE_AREAS), table["area"], table["cycle"])
    scores = quality[:, None] + offsets + rng.normal(0.0, 0.55, offsets.shape)
    overall = stories.ofsted(scores.mean(axis=1) + rng.normal(0.0, 0.3, count))
    roll = rng.random(count)
    unsafe = ((overall == 3) & (roll < 0.38)) | ((overall == 2) & (roll < 0.012))
    disagree = rng.random(count) < np.array([0.02, 0.05, 0.17, 0.3])[overall]
    return {
        "scores": scores,
        "grades": stories.ofsted(scores),
        "overall": overall,
        "safe": ~unsafe,
        "agrees": ~disagree,
    }


def _follow_up(table: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """QA moderation on a sample, and management oversight after most escalations."""
    count = len(table["overall"])
    overall = table["overall"]
    sampled = rng.random(count) < np.where((overall == 0) | (overall == 3), 0.4, 0.11)
    step = np.where(rng.random(count) < 0.28, np.where(rng.random(count) < 0.6, 1, -1), 0)
    moderated = np.where(sampled, np.clip(overall + step, 0, 3), -1)
    escalated = (overall == 3) | ~table["safe"]
    slow_area = table["area"] == org.AREAS.index(stories.OVERDUE_AREA)
    followed = rng.random(count) < np.where(slow_area, 0.6, 0.85)
    noted = (escalated & followed) | (~escalated & (rng.random(count) < 0.02))
    oversight = cycles.by_then(cycles.weekday(table["day"] + rng.integers(2, 26, size=count)))
    return {"moderated": moderated, "oversight": np.where(noted, oversight, NAT)}


def _stamps(table: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Forms times: submitted the same day or a few days on; a few edited later, moderation among them. An edit
    after the export day has not happened, nor has the moderation it brings."""
    count = len(table["day"])
    lag = rng.choice([0, 1, 2, 3, 5, 8], size=count, p=[0.5, 0.2, 0.12, 0.08, 0.06, 0.04])
    completed = cycles.at_times(table["day"] + lag, rng)
    moderated = table["moderated"]
    edited = (rng.random(count) < 0.03) | ((moderated >= 0) & (rng.random(count) < 0.4))
    later = cycles.by_then(table["day"] + lag + rng.integers(1, 22, size=count))
    modified = cycles.at_times(later, rng)
    return {
        "started": completed - rng.integers(300, 2700, size=count).astype("m8[s]"),
        "completed": completed,
        "modified": np.where(edited, modified, np.datetime64("NaT", "s")),
        "moderated": np.where(edited & np.isnat(later), -1, moderated),
    }


def _refs(form: np.ndarray) -> np.ndarray:
    """1..n within each form, for rows already sorted by form."""
    starts = np.searchsorted(form, form, side="left")
    return np.arange(len(form)) - starts + 1


def prefixed(table: dict) -> np.ndarray:
    """Audit references as the other forms quote them: `CA1-12`, `CA2-5`."""
    prefix = np.array(["CA1-", "CA2-"], dtype=object)[table["form"]]
    return prefix + table["ref"].astype(str).astype(object)
