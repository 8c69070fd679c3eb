"""Child's voice feedback gathered alongside about 40% of the audits."""

import numpy as np

from . import audits, bad, cycles, layout, messy, org, phrases, stories
from .forms import Sheet
from .rng import stream

STEM, PROFILE = "child-voice", "child-voice-v1"
LINKED = 0.4  # share of audits with feedback
SECOND = 0.15  # share of those with a second respondent
BARE_REF = 0.04  # share of references to the 2024 form given as the bare number
KINDS = ("bad_date", "missing_service_area", "future_date")
LIKERT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
LIKERT_VARIANTS = (
    ("strongly disagree",), ("disagree", "Disagree "), ("Not sure", "Neutral"), ("agree", "Agree "),
    ("Strongly Agree", "strongly agree"),
)  # fmt: skip
RESPONDENTS = ("Child", "Parent", "Carer")
RESPONDENT_VARIANTS = (
    ("Young person", "Child or young person", "child"),
    ("Mum", "Dad", "Parent/carer"),
    ("Foster carer", "Kinship carer"),
)
WHO_BY_CASE = {  # shares of child / parent / carer by case type
    "Early Help": (0.45, 0.55, 0.0), "Child in need": (0.5, 0.5, 0.0), "Child protection": (0.45, 0.55, 0.0),
    "Child in care": (0.55, 0.05, 0.4), "Care leaver": (1.0, 0.0, 0.0),
}  # fmt: skip
ORDER = [
    "ID", "Start time", "Completion time", "Email", "Name", "audit_ref", "feedback_date", "service_area",
    "team", "respondent", "listened_to", "understood_why", "things_better", "comments.comment",
]  # fmt: skip
BAD_CELLS = {"date": "feedback_date", "area": "service_area"}


def sheet(staff: org.Org, table: dict, seed: int) -> Sheet:
    rng = stream(seed, STEM)
    rows = _responses(table, rng)
    count = len(rows["day"])
    hidden = rng.random(count) < 0.2
    fields = {
        "ID": np.arange(1, count + 1).astype(object),
        "Start time": messy.us_stamps(rows["completed"] - rng.integers(120, 900, count).astype("m8[s]")),
        "Completion time": messy.us_stamps(rows["completed"]),
        "Email": np.where(hidden, "anonymous", staff.emails[rows["auditor"]]).astype(object),
        "Name": np.where(hidden, None, staff.staff[rows["auditor"]]),
        "audit_ref": _refs(rows, rng),
        "feedback_date": messy.uk_dates(rows["day"], rng),
        "service_area": np.array(org.AREAS, dtype=object)[rows["area"]],
        "team": staff.team_names[rows["team"]],
        "respondent": messy.spell(rows["who"], RESPONDENTS, RESPONDENT_VARIANTS, 0.3, rng),
        "comments.comment": phrases.compose(phrases.CHILD_COMMENTS, rng.choice(2, count, p=[0.45, 0.55]), rng),
    }
    for field, score in _agreement(rows, rng).items():
        fields[field] = messy.spell(score, LIKERT, LIKERT_VARIANTS, 0.08, rng)
    bad.corrupt(fields, rows["bad"], rows["day"], BAD_CELLS)
    return Sheet(STEM, PROFILE, layout.lay_out(PROFILE, ORDER, fields), bad=rows["bad"])


def _responses(table: dict, rng: np.random.Generator) -> dict:
    """One or two respondents per linked audit, spoken to within days of it."""
    linked = np.flatnonzero((table["bad"] == "") & (rng.random(len(table["bad"])) < LINKED))
    pick = np.concatenate((linked, linked[rng.random(len(linked)) < SECOND]))
    second = np.arange(len(pick)) >= len(linked)
    rows = {name: table[name][pick] for name in ("form", "ref", "cycle", "area", "team", "auditor", "scores")}
    rows["case_type"] = table["case_type"][pick]
    day = table["day"][pick] + rng.integers(-3, 8, len(pick))
    rows["day"] = cycles.clip(cycles.weekday(day), rows["cycle"])
    rows["completed"] = cycles.at_times(rows["day"] + rng.choice([0, 0, 1, 3], len(pick)), rng)
    rows["who"] = _who(rows["case_type"], second, rng)
    order = np.argsort(rows["completed"], kind="stable")
    rows = {name: column[order] for name, column in rows.items()}
    rows["bad"] = bad.choose(len(pick), KINDS, rng)
    return rows


def _who(case_type: np.ndarray, second: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Child, parent or carer to suit the case; a second respondent is a different person."""
    shares = np.array([WHO_BY_CASE[c] for c in case_type]).reshape(-1, 3)
    who = (rng.random(len(case_type))[:, None] > np.cumsum(shares, axis=1)).sum(axis=1)
    other = np.where(shares[:, 2] > 0, 2, 1)
    return np.where(second & (who == 0), other, np.where(second, 0, np.minimum(who, 2)))


def _agreement(rows: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """1-5 agreement (0-4 here), tracking the audit's grades; feeling heard rises after the themed PLD."""
    count = len(rows["day"])
    quality = rows["scores"].mean(axis=1)
    voice = rows["scores"][:, audits.PRACTICE_AREAS.index("Voice of the child")]
    themed = (rows["cycle"] > cycles.VOICE_PLD) & (rows["area"] != org.AREAS.index(stories.OTHER_THEME_AREA))
    latent = {
        "listened_to": 2.4 + 0.45 * voice + 0.5 * themed,
        "understood_why": 2.7 + 0.3 * quality,
        "things_better": 2.3 + 0.5 * quality,
    }
    out = {
        name: np.clip(np.rint(mean + rng.normal(0.0, 0.8, count)), 0, 4).astype(int) for name, mean in latent.items()
    }
    for score in out.values():
        score[rng.random(count) < 0.03] = -1
    return out


def _refs(rows: dict, rng: np.random.Generator) -> np.ndarray:
    """`CA1-12` / `CA2-5`; a few 2024-form references typed as the bare number."""
    refs = audits.prefixed(rows)
    bare = np.flatnonzero((rows["form"] == 0) & (rng.random(len(refs)) < BARE_REF))
    refs[bare] = rows["ref"][bare].astype(str).astype(object)
    return refs
