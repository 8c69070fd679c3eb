"""The team roster: who is in each team, as HR keeps it, at two dates.

Names are the very strings the audit forms use for "Worker's name", so the pipeline gives a roster row
and an audit of the same practitioner the same key. The fictional council's teams do not change, so both
snapshots list the same people; the second exists to show that a cycle is measured against the latest
roster dated on or before its end.
"""

from pathlib import Path

import numpy as np

from . import cycles, forms, manifest, messy
from .org import AREAS, Org

STEM = "team-roster"
SENIOR_SHARE = 0.2


def sheet(org: Org, rng: np.random.Generator) -> forms.Sheet:
    """Practitioners and their team managers, once per roster date, saved as UTF-8 CSV with a BOM."""
    people = np.concatenate((org.workers, org.team_manager))
    team = np.concatenate((org.worker_team, np.arange(len(org.team_names))))
    senior = rng.random(len(org.workers)) < SENIOR_SHARE
    role = np.concatenate(
        (np.where(senior, "Senior practitioner", "Practitioner"), np.full(len(org.team_names), "Team manager"))
    ).astype(object)
    order = np.lexsort((people, team))
    people, team, role = people[order], team[order], role[order]
    as_at = (cycles.STARTS[0], cycles.STARTS[cycles.NEW_FORM_FROM])  # the first cycle's start and the new form's
    snapshots = len(as_at)
    columns = {
        "Name": np.tile(org.staff[people], snapshots),
        "Team": np.tile(org.team_names[team], snapshots),
        "Service area": np.tile(np.array(AREAS, dtype=object)[org.team_area[team]], snapshots),
        "Role": np.tile(role, snapshots),
        "As at date": messy.plain_dates(np.repeat(np.array(as_at), len(people)), rng),
    }
    return forms.Sheet(STEM, "team-roster-v1", columns, fmt="csv-utf8-bom", id_heading="")


def write_roster(out_dir: Path, org: Org, rng: np.random.Generator) -> list[tuple[str, dict]]:
    """Write team-roster.csv into ``out_dir``; return its (file name, manifest entry) like the other exports."""
    roster = sheet(org, rng)
    entries = []
    for name, start, stop in forms.parts(roster):
        forms.write_part(roster, Path(out_dir) / name, start, stop)
        entries.append((name, manifest.entry(roster, start, stop)))
    return entries
