"""Peer focus group notes from each Practice Learning Day that was held."""

import numpy as np

from . import bad, cycles, layout, messy, org
from .forms import Sheet
from .note_phrases import NOTES, THEMES
from .rng import stream

STEM, PROFILE = "focus-group-notes", "focus-group-v1"
PER_PLD = (8, 16)  # notes per PLD at the default 1,200 audits; scaled with the audit count
KINDS = ("bad_date", "missing_service_area", "future_date")
CATEGORIES = ("Working well", "Barriers", "Suggestions")
CATEGORY_VARIANTS = (
    ("What is working well", "Strengths", "working well"), ("Barrier", "Worries", "Barriers to progress"),
    ("Suggestion", "Suggestions and recommendations"),
)  # fmt: skip
PLD_THEME_NOTES = {
    "Voice of the child": "voice of the child",
    "Management oversight": "management oversight",
    "Multi-agency working": "multi-agency working",
    "Recording": "recording systems",
    "Supervision and wellbeing": "supervision",
}
AREA_THEMES = {  # themes each area talks about more than the rest
    "Early Help": {"direct work tools": 2, "multi-agency working": 2, "training": 1.5},
    "Front Door and Assessment": {"caseloads": 2.5, "supervision": 2, "multi-agency working": 2},
    "Child Protection and Court": {"court work": 3, "caseloads": 2},
    "Children in Care": {"placement sufficiency": 3, "caseloads": 2, "management oversight": 1.5},
    "Care Leavers": {"placement sufficiency": 1.5, "emotional wellbeing": 2},
    "Disabled Children": {"direct work tools": 2, "multi-agency working": 1.5},
}
RARE = {"court work": 0.15, "placement sufficiency": 0.3}  # outside the areas above
ORDER = ["ID", "Start time", "Completion time", "Email", "Name", "pld_date", "cycle", "service_area",
         "pld_theme", "category", "text"]  # fmt: skip


def sheet(staff: org.Org, plds: dict, audit_count: int, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _notes(staff, plds, audit_count, rng)
    count = len(rows["day"])
    theme = rows["pld_theme"]
    fields = {
        "ID": np.arange(1, count + 1).astype(object),
        "Start time": messy.us_stamps(rows["completed"] - rng.integers(60, 600, count).astype("m8[s]")),
        "Completion time": messy.us_stamps(rows["completed"]),
        "Email": staff.emails[rows["lead"]],
        "Name": staff.staff[rows["lead"]],
        "pld_date": messy.uk_dates(rows["day"], rng),
        "cycle": messy.cycle_labels(rows["cycle"], rng),
        "service_area": np.array(org.AREAS, dtype=object)[rows["area"]],
        "pld_theme": np.where(rng.random(count) < 0.1, np.char.lower(theme.astype(str)).astype(object), theme),
        "category": messy.spell(rows["category"], CATEGORIES, CATEGORY_VARIANTS, 0.15, rng),
        "text": _texts(rows["theme"], rows["category"], rng),
    }
    bad.corrupt(fields, rows["bad"], rows["day"], {"date": "pld_date", "cycle": "cycle", "area": "service_area"})
    return Sheet(STEM, PROFILE, layout.lay_out(PROFILE, ORDER, fields), bad=rows["bad"])


def _notes(staff: org.Org, plds: dict, audit_count: int, rng: np.random.Generator) -> dict:
    """8-15 notes a PLD (scaled), led by a service manager from another area, typed up within a week."""
    held = ~np.isnat(plds["held"])
    area, cycle = (grid[held] for grid in np.indices(held.shape))
    per_pld = np.rint(rng.integers(*PER_PLD, size=len(area)) * audit_count / 1200).astype(int)
    area, cycle = np.repeat(area, per_pld), np.repeat(cycle, per_pld)
    count = len(area)
    rows = {"area": area, "cycle": cycle, "day": plds["held"][area, cycle], "pld_theme": plds["theme"][area, cycle]}
    rows["theme"] = _themes(rows, rng)
    rows["category"] = _categories(rows, rng)
    other_area = (area + rng.integers(1, len(org.AREAS), count)) % len(org.AREAS)
    rows["lead"] = staff.area_managers[other_area, rng.integers(0, 2, count)]
    rows["completed"] = cycles.at_times(rows["day"] + rng.integers(0, 8, count), rng)
    order = np.argsort(rows["completed"], kind="stable")
    rows = {name: column[order] for name, column in rows.items()}
    rows["bad"] = bad.choose(count, KINDS, rng)
    return rows


def _themes(rows: dict, rng: np.random.Generator) -> np.ndarray:
    weights = np.array([[AREA_THEMES[a].get(t, RARE.get(t, 1.0)) for t in THEMES] for a in org.AREAS])
    weights = weights[rows["area"]]
    noted = np.array([PLD_THEME_NOTES.get(p, "") for p in rows["pld_theme"]], dtype=object)
    boost = noted[:, None] == np.array(THEMES, dtype=object)
    weights = weights + 4.0 * boost
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    return np.minimum((rng.random(len(weights))[:, None] > cumulative).sum(axis=1), len(THEMES) - 1)


def _categories(rows: dict, rng: np.random.Generator) -> np.ndarray:
    """Talk about the child's voice turns from barriers to what works after the themed PLD."""
    voice = rows["theme"] == THEMES.index("voice of the child")
    after = rows["cycle"] > cycles.VOICE_PLD
    shares = np.where(voice[:, None], np.where(after[:, None], [0.5, 0.2, 0.3], [0.2, 0.5, 0.3]), [0.35, 0.35, 0.3])
    return (rng.random(len(voice))[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, 2)


def _texts(theme: np.ndarray, category: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A sentence from the bank, retyped: bullets, lower case, lost full stops, two points in one note."""
    count = len(theme)
    rolls = rng.random((count, 4)).tolist()
    picks = rng.integers(0, 1000, (count, 2)).tolist()
    extra = rng.integers(0, len(THEMES), count).tolist()
    out = []
    for t, c, roll, pick, e in zip(theme.tolist(), category.tolist(), rolls, picks, extra):
        bank = NOTES[THEMES[t]][c]
        text = bank[pick[0] % len(bank)]
        if roll[0] < 0.1:
            other = NOTES[THEMES[e]][c]
            text = f"{text}\n{other[pick[1] % len(other)]}"
        if roll[1] < 0.08:
            text = text.lower()
        if roll[2] < 0.15:
            text = text.rstrip(".")
        if roll[3] < 0.06:
            text = ("- ", "+ ", "=")[pick[1] % 3] + text
        out.append(text)
    return np.array(out, dtype=object)
