"""The open case list on the day the exports were taken: what the Audit sampling page draws a plan from.

Workers, teams and children are the audits' own, so a plan drawn from it matches the warehouse: every
practitioner holds cases, and some children audited in the last two cycles are still open (the exclusion
window has something to leave out). A few rows are deliberately bad: no worker, no case ID, a case listed twice.
"""

from pathlib import Path

import numpy as np

from . import cycles, forms, messy
from .org import AREAS, Org, pick_case_types
from .rng import stream

FOLDER = "case-list"  # beside the exports, not among them: a case list is never ingested
STEM = "open-cases"
CASES_PER_WORKER = (6, 16)
STILL_OPEN = 0.4  # of the children audited in the last two cycles, up to one per worker
NEW_CHILDREN_FROM = 10_000_000  # above every audited child's ID
BAD = ("no_worker", "no_worker", "no_case_id", "duplicate")


def sheet(org: Org, table: dict, seed: int) -> forms.Sheet:
    rng = stream(seed, "caselist")
    recent = np.flatnonzero(table["cycle"] >= cycles.COUNT - 2)
    recent = recent[np.unique(table["child"][recent], return_index=True)[1]]
    kept = rng.choice(recent, min(round(len(recent) * STILL_OPEN), len(org.workers)), replace=False)
    per_worker = rng.integers(*CASES_PER_WORKER, size=len(org.workers))
    worker = np.concatenate((table["worker"][kept], np.repeat(org.workers, per_worker)))
    team = np.concatenate((table["team"][kept], np.repeat(org.worker_team, per_worker)))
    new = len(worker) - len(kept)
    child = np.concatenate((table["child"][kept], NEW_CHILDREN_FROM + rng.choice(900_000, new, replace=False)))
    case_type = np.concatenate((table["case_type"][kept], pick_case_types(org, team[len(kept) :], rng)))
    opened = np.concatenate(
        (table["day"][kept] - rng.integers(30, 700, len(kept)), cycles.EXPORT_DAY - rng.integers(1, 900, new))
    )
    case_id = 100_000 + rng.choice(900_000, len(worker), replace=False)
    order = np.lexsort((case_id, team))
    columns = {
        "Case ID": np.array([f"CS{i}" for i in case_id[order]], dtype=object),
        "Child ID (Mosaic)": child[order].astype(str).astype(object),
        "Allocated worker": org.staff[worker[order]],
        "Team": org.team_names[team[order]],
        "Service area": np.array(AREAS, dtype=object)[org.team_area[team[order]]],
        "Case type": messy.case_types(case_type[order], 0.05, rng),
        "Case start date": messy.plain_dates(opened[order], rng),
        "Neglect concern": messy.yes_no(rng.random(len(worker)) < 0.25, 0.0, rng),
        "Domestic abuse": messy.yes_no(rng.random(len(worker)) < 0.2, 0.0, rng),
    }
    bad = np.full(len(worker), "", dtype=object)
    rows = rng.choice(len(worker), len(BAD), replace=False)
    for row, kind in zip(rows.tolist(), BAD, strict=True):
        bad[row] = kind
        if kind == "no_worker":
            columns["Allocated worker"][row] = None
        elif kind == "no_case_id":
            columns["Case ID"][row] = None
        else:
            columns["Case ID"][row] = columns["Case ID"][row - 1 if row else row + 1]
    return forms.Sheet(STEM, "case-list-v1", columns, fmt="csv-utf8-bom", id_heading="", bad=bad)


def write(out_dir: Path, org: Org, table: dict, seed: int) -> Path:
    """Write case-list/open-cases.csv under ``out_dir``; return its path."""
    target = Path(out_dir) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    cases = sheet(org, table, seed)
    path = target / f"{STEM}.csv"
    forms.write_part(cases, path, 0, len(cases))
    return path
