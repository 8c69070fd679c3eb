"""The fictional council: service areas, their teams and the staff in them."""

from dataclasses import dataclass

import numpy as np

from . import people
from .rng import stream

TEAMS = {
    "Early Help": (
        "Early Help North",
        "Early Help South",
        "Early Help East",
        "Early Help West",
        "Early Help Central",
        "Early Help Schools",
    ),
    "Front Door and Assessment": (
        "MASH",
        "Assessment Team 1",
        "Assessment Team 2",
        "Assessment Team 3",
        "Assessment Team 4",
    ),
    "Child Protection and Court": (
        "Safeguarding Team North",
        "Safeguarding Team South",
        "Safeguarding Team East",
        "Safeguarding Team West",
        "Court and Proceedings Team",
        "Pre-birth and Infants Team",
    ),
    "Children in Care": (
        "Children in Care Team 1",
        "Children in Care Team 2",
        "Children in Care Team 3",
        "Permanence Team",
        "Adolescent Support Team",
    ),
    "Care Leavers": (
        "Leaving Care North",
        "Leaving Care South",
        "Pathway Team",
        "Unaccompanied Young People Team",
    ),
    "Disabled Children": (
        "Disabled Children Team 1",
        "Disabled Children Team 2",
        "Short Breaks Team",
        "Transitions Team",
    ),
}
AREAS = tuple(TEAMS)
TEAM_NAMES = tuple(team for area in AREAS for team in TEAMS[area])

# Canonical case types (vocab.CASE_TYPES) worked by each service area, with their shares.
CASE_MIX = {
    "Early Help": {"Early Help": 1.0},
    "Front Door and Assessment": {"Child in need": 0.6, "Child protection": 0.25, "Early Help": 0.15},
    "Child Protection and Court": {"Child protection": 0.6, "Child in need": 0.4},
    "Children in Care": {"Child in care": 1.0},
    "Care Leavers": {"Care leaver": 1.0},
    "Disabled Children": {"Child in need": 0.65, "Child in care": 0.35},
}
QA_AUDITORS = 4
TEAM_SIZES = {"Safeguarding Team East": 7, "Assessment Team 2": 6}  # big enough for their stories to show


@dataclass(frozen=True)
class Org:
    """Everyone is a row of `staff`; the other arrays index into it or into the team list."""

    staff: np.ndarray  # full names
    emails: np.ndarray
    team_names: np.ndarray
    team_area: np.ndarray  # area index of each team
    team_manager: np.ndarray  # staff index of each team's manager
    workers: np.ndarray  # staff indices of practitioners, grouped by team
    worker_team: np.ndarray
    area_managers: np.ndarray  # (areas, 2) staff indices of the service managers
    area_head: np.ndarray  # staff index of each area's head of service
    qa: np.ndarray  # staff indices of the QA team

    def team_index(self, name: str) -> int:
        return int(np.flatnonzero(self.team_names == name)[0])


def build(seed: int) -> Org:
    rng = stream(seed, "org")
    team_names = list(TEAM_NAMES)
    team_area = np.array([a for a, area in enumerate(AREAS) for _ in TEAMS[area]])
    team_size = rng.integers(4, 8, size=len(team_names))
    for team, size in TEAM_SIZES.items():
        team_size[team_names.index(team)] = size
    counts = (len(team_names), int(team_size.sum()), 2 * len(AREAS), len(AREAS), QA_AUDITORS)
    staff = np.array(people.names(rng, sum(counts)), dtype=object)
    starts = np.cumsum((0, *counts))
    return Org(
        staff=staff,
        emails=np.array([people.email(name) for name in staff], dtype=object),
        team_names=np.array(team_names, dtype=object),
        team_area=team_area,
        team_manager=np.arange(starts[0], starts[1]),
        workers=np.arange(starts[1], starts[2]),
        worker_team=np.repeat(np.arange(len(team_names)), team_size),
        area_managers=np.arange(starts[2], starts[3]).reshape(len(AREAS), 2),
        area_head=np.arange(starts[3], starts[4]),
        qa=np.arange(starts[4], starts[5]),
    )


def team_weights(org: Org) -> np.ndarray:
    """Share of the workforce in each team: audits fall on teams in proportion to their size."""
    sizes = np.bincount(org.worker_team, minlength=len(org.team_names))
    return sizes / sizes.sum()


def pick_workers(org: Org, team: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    sizes = np.bincount(org.worker_team, minlength=len(org.team_names))
    first = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    return org.workers[first[team] + (rng.random(len(team)) * sizes[team]).astype(int)]


def pick_auditors(org: Org, team: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A manager of another team in the same area, the area's service managers, or the QA team."""
    area = org.team_area[team]
    area_size = np.bincount(org.team_area)
    area_first = np.concatenate(([0], np.cumsum(area_size)[:-1]))
    step = 1 + (rng.random(len(team)) * (area_size[area] - 1)).astype(int)
    other = area_first[area] + (team - area_first[area] + step) % area_size[area]
    auditor = org.team_manager[other]
    roll = rng.random(len(team))
    manager = org.area_managers[area, rng.integers(0, 2, size=len(team))]
    auditor = np.where(roll < 0.2, manager, auditor)
    return np.where(roll > 0.85, org.qa[rng.integers(0, len(org.qa), size=len(team))], auditor)


def pick_case_types(org: Org, team: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Canonical case-type labels suited to each team's service area."""
    out = np.empty(len(team), dtype=object)
    area = org.team_area[team]
    for a, name in enumerate(AREAS):
        rows = np.flatnonzero(area == a)
        mix = CASE_MIX[name]
        out[rows] = rng.choice(np.array(list(mix), dtype=object), size=len(rows), p=list(mix.values()))
    return out
