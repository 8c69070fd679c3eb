"""The two case-audit exports: the 2024 form up to March 2026 and the reworded form from April 2026."""

import numpy as np

from . import bad, layout, messy, phrases
from .audits import PRACTICE_AREAS
from .forms import Sheet
from .org import AREAS, Org
from .rng import stream

FORMS = (
    ("case-audit-2024-form", "case-audit-v1", 0.12),  # (file, profile, share of variant spellings)
    ("case-audit-2026-form", "case-audit-v2", 0.05),
)
ORDER = [
    "ID", "Start time", "Completion time", "Email", "Name", "modified_time",
    "audit_date", "cycle", "service_area", "team", "case_type", "worker", "child",
    *PRACTICE_AREAS,
    "overall_grade", "child_safe", "comments.strengths", "comments.development",
    "worker_agrees", "comments.worker_view", "comments.actions", "moderated_grade", "oversight_date",
]  # fmt: skip
BAD_CELLS = {"grade": "overall_grade", "date": "audit_date", "cycle": "cycle", "area": "service_area"}


def sheet(staff: Org, table: dict, seed: int, form: int) -> Sheet:
    """The export of form 0 (2024) or 1 (April 2026)."""
    stem, profile, rate = FORMS[form]
    rows = {name: column[table["form"] == form] for name, column in table.items()}
    fields = fields_for(staff, rows, rate, stream(seed, stem))
    bad.corrupt(fields, rows["bad"], rows["day"], BAD_CELLS)
    return Sheet(stem, profile, layout.lay_out(profile, ORDER, fields), bad=rows["bad"])


def forms_metadata(staff: Org, who: np.ndarray, rows: dict, rng: np.random.Generator, anonymous: float) -> dict:
    """ID, times, and the respondent's email and name (`anonymous` and blank on some)."""
    hidden = rng.random(len(who)) < anonymous
    return {
        "ID": rows["ref"].astype(object),
        "Start time": messy.us_stamps(rows["started"]),
        "Completion time": messy.us_stamps(rows["completed"]),
        "Email": np.where(hidden, "anonymous", staff.emails[who]).astype(object),
        "Name": np.where(hidden, None, staff.staff[who]),
        "modified_time": messy.us_stamps(rows["modified"]),
    }


def fields_for(staff: Org, rows: dict, rate: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    overall = rows["overall"]
    fields = forms_metadata(staff, rows["auditor"], rows, rng, anonymous=0.05)
    fields.update(
        audit_date=messy.uk_dates(rows["day"], rng),
        cycle=messy.cycle_labels(rows["cycle"], rng),
        service_area=np.array(AREAS, dtype=object)[rows["area"]],
        team=staff.team_names[rows["team"]],
        case_type=messy.case_types(rows["case_type"], 2 * rate, rng),
        worker=messy.names(staff.staff[rows["worker"]], rng),
        child=rows["child"].astype(str).astype(object),
        overall_grade=grades(overall, rate, rng),
        child_safe=messy.yes_no(rows["safe"], rate / 2, rng),
        worker_agrees=messy.yes_no(rows["agrees"], rate / 2, rng),
        moderated_grade=grades(rows["moderated"], rate / 4, rng),
        oversight_date=messy.uk_dates(rows["oversight"], rng),
    )
    fields.update({area: grades(rows["grades"][:, k], rate, rng) for k, area in enumerate(PRACTICE_AREAS)})
    fields.update(comments(overall, rows["agrees"], rng))
    return fields


def grades(ranks: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    return messy.spell(ranks, messy.OFSTED, messy.OFSTED_VARIANTS, rate, rng)


def comments(overall: np.ndarray, agrees: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """More strengths on good work, more development points and actions on weak work."""
    count = len(overall)
    fewer = (rng.random(count) < 0.35).astype(int)
    actions = phrases.compose(phrases.AUDIT_ACTIONS, np.array([1, 1, 2, 2])[overall] - fewer, rng, 0.5)
    return {
        "comments.strengths": phrases.compose(phrases.STRENGTHS, np.array([2, 2, 1, 1])[overall] - fewer, rng),
        "comments.development": phrases.compose(phrases.DEVELOPMENT, np.array([0, 1, 2, 2])[overall], rng),
        "comments.worker_view": phrases.compose(phrases.WORKER_VIEWS, (~agrees).astype(int), rng),
        "comments.actions": phrases.risky(actions, 0.03, rng),
    }
