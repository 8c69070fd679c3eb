"""The QA team's action tracker: actions from about 60% of audits, saved as an Excel CSV (cp1252, CRLF)."""

import numpy as np

from . import audits, bad, cycles, layout, messy, org, phrases, stories
from .forms import Sheet
from .rng import stream

STEM, PROFILE = "action-tracker", "action-tracker-v1"
KINDS = ("bad_date", "missing_service_area", "future_date")
ACTION_SHARE = np.array([0.3, 0.5, 0.85, 0.95])  # by overall grade, Outstanding .. Inadequate
SECOND = 0.12
OWNERS = ("Practitioner", "Team manager", "Service manager", "Head of service")
OWNER_VARIANTS = (("Social worker", "SW", "Worker"), ("TM", "Team Manager"), ("SM", "Service Manager"), ("HoS",))
STATUSES = ("Open", "Completed", "Cancelled")
STATUS_VARIANTS = (
    ("In progress", "In progress ", "Not started", "Ongoing"), ("complete", "Complete", "Done", "Closed"),
    ("No longer required",),
)  # fmt: skip


def sheet(table: dict, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _actions(table, rng)
    count = len(rows["raised"])
    text = phrases.compose(phrases.TRACKER_ACTIONS, rng.choice([1, 2], count, p=[0.9, 0.1]), rng, newline=0.5)
    fields = {
        "response_id": np.arange(1, count + 1).astype(str).astype(object),
        "audit_ref": audits.prefixed(rows),
        "service_area": np.array(org.AREAS, dtype=object)[rows["area"]],
        "team": rows["team_name"],
        "description": phrases.risky(text, 0.02, rng),
        "owner_role": messy.spell(rows["owner"], OWNERS, OWNER_VARIANTS, 0.3, rng),
        "raised_date": messy.plain_dates(rows["raised"], rng),
        "due_date": messy.plain_dates(rows["due"], rng),
        "completed_date": messy.plain_dates(rows["completed"], rng),
        "status": messy.spell(rows["status"], STATUSES, STATUS_VARIANTS, 0.08, rng),
    }
    bad.corrupt(fields, rows["bad"], rows["raised"], {"date": "raised_date", "area": "service_area"})
    columns = layout.lay_out(PROFILE, list(fields), fields)
    return Sheet(STEM, PROFILE, columns, fmt="csv-cp1252", id_heading=next(iter(columns)), bad=rows["bad"])


def _actions(table: dict, rng: np.random.Generator) -> dict:
    """Raised days after the audit (none yet after the export day), due 2-8 weeks on; Children in Care lets many
    run over."""
    valid = table["bad"] == ""
    with_action = np.flatnonzero(valid & (rng.random(len(valid)) < ACTION_SHARE[table["overall"]]))
    pick = np.concatenate((with_action, with_action[rng.random(len(with_action)) < SECOND]))
    raised = cycles.weekday(table["day"][pick] + rng.integers(1, 8, len(pick)))
    pick, raised = pick[raised <= cycles.EXPORT_DAY], raised[raised <= cycles.EXPORT_DAY]
    rows = {name: table[name][pick] for name in ("form", "ref", "area", "team")}
    rows["raised"] = raised
    rows["due"] = rows["raised"] + 7 * rng.integers(2, 9, len(pick))
    rows.update(_progress(rows, rng))
    rows["owner"] = rng.choice(4, size=len(pick), p=[0.55, 0.3, 0.12, 0.03])
    order = np.lexsort((rows["ref"], rows["form"], rows["raised"]))
    rows = {name: column[order] for name, column in rows.items()}
    rows["team_name"] = np.array(org.TEAM_NAMES, dtype=object)[rows["team"]]
    rows["bad"] = bad.choose(len(pick), KINDS, rng)
    return rows


def _progress(rows: dict, rng: np.random.Generator) -> dict:
    count = len(rows["raised"])
    slow = rows["area"] == org.AREAS.index(stories.OVERDUE_AREA)
    done = rng.random(count) < np.where(slow, 0.45, 0.9)
    late = rng.random(count) < np.where(slow, 0.4, 0.12)
    span = (rows["due"] - rows["raised"]).astype(int)
    on_time = rows["raised"] + (rng.random(count) * span).astype(int) + 1
    completed = np.where(late, rows["due"] + rng.integers(3, 41, count), on_time)
    done &= completed <= cycles.EXPORT_DAY
    cancelled = ~done & (rng.random(count) < 0.03)
    return {
        "completed": np.where(done, cycles.weekday(completed), audits.NAT),
        "status": np.select([done, cancelled], [1, 2], 0),
    }
