"""The stories the sample must tell, as the handful of numbers that drive them.

Quality is a latent score per audit: higher is better, cut into grades by `ofsted` / `assurance`.
"""

import numpy as np

from . import cycles
from .org import AREAS, Org
from .rng import stream

SLIPPING_TEAM = "Safeguarding Team East"
SLIP_FROM = 5  # good for cycles 0-4, then a sharp drop
SUPERVISION_GAP_TEAM = "Assessment Team 2"
OVERDUE_AREA = "Children in Care"
LATE_PLANNING_AREA = "Disabled Children"
LATE_REPORT_AREA = "Front Door and Assessment"
NO_PARTNER_AREA = "Care Leavers"
OTHER_THEME_AREA = "Care Leavers"  # the one area whose 2025/26 Q2 PLD was not about the child's voice
STALLED_EPISODE_AREA = "Children in Care"  # its open Learning Episodes stall at the supervisor's actions
NOT_HELD = (("Disabled Children", 1), ("Front Door and Assessment", 5))

BASE, TREND, SPREAD = 0.15, 0.05, 1.0
AREA_EFFECT = dict(zip(AREAS, (0.15, -0.05, -0.05, -0.1, 0.05, 0.0)))
PRACTICE_EFFECT = {
    "Voice of the child": 0.0,
    "Assessment and analysis": 0.05,
    "Planning and review": -0.05,
    "Multi-agency working": 0.1,
    "Management oversight": -0.15,
    "Recording": -0.1,
    "Impact and outcomes": 0.0,
}
VOICE_BEFORE, VOICE_AFTER, VOICE_AFTER_UNTHEMED = -0.6, 0.3, -0.35
OFSTED_CUTS = (1.8, 0.0, -1.4)  # Outstanding / Good / Requires improvement / Inadequate
ASSURANCE_CUTS = (0.3, -1.0)  # High / Medium / Low


def quality_mean(org: Org, team: np.ndarray, cycle: np.ndarray, seed: int) -> np.ndarray:
    """Expected practice quality of each audit's team in its cycle."""
    team_effect = stream(seed, "team effects").normal(0.0, 0.2, size=len(org.team_names))
    area_effect = np.array([AREA_EFFECT[a] for a in AREAS])[org.team_area[team]]
    mean = BASE + TREND * cycle + area_effect + team_effect[team]
    slipping = team == org.team_index(SLIPPING_TEAM)
    return np.where(slipping, np.where(cycle < SLIP_FROM, 1.2, -1.2), mean)


def spread(org: Org, team: np.ndarray) -> np.ndarray:
    """Audit-to-audit scatter around the team mean; the slipping team is consistently good, then poor."""
    return np.where(team == org.team_index(SLIPPING_TEAM), 0.7, SPREAD)


def practice_offsets(names: list[str], area: np.ndarray, cycle: np.ndarray) -> np.ndarray:
    """(rows, areas of practice) shifts; the child's voice is weak until the themed PLD lands."""
    out = np.tile([PRACTICE_EFFECT[name] for name in names], (len(area), 1))
    if "Voice of the child" in names:
        unthemed = area == AREAS.index(OTHER_THEME_AREA)
        after = np.where(unthemed, VOICE_AFTER_UNTHEMED, VOICE_AFTER)
        out[:, names.index("Voice of the child")] += np.where(cycle > cycles.VOICE_PLD, after, VOICE_BEFORE)
    return out


def ofsted(score: np.ndarray) -> np.ndarray:
    """Rank on the Ofsted scale: 0 Outstanding .. 3 Inadequate."""
    return sum((score < cut).astype(int) for cut in OFSTED_CUTS)


def assurance(score: np.ndarray) -> np.ndarray:
    """Rank on the assurance scale: 0 High .. 2 Low."""
    return sum((score < cut).astype(int) for cut in ASSURANCE_CUTS)
