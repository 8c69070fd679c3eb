"""The domain's words, defined once: canonical vocabularies of the warehouse, the grade scales in order with
what counts as "good or better", the cycle (UK financial-year quarter) arithmetic, and the spellings seen in
real exports that map onto them. The write side stores these labels and the read side, the pages and the
pack import them from here; nothing re-spells them.

Keys of the synonym tables are *folded* spellings (see ``fold``); values are the canonical labels
stored in the warehouse. A spelling that folds to no key is rejected with a reason, never guessed.
"""

import datetime as dt
import re
from dataclasses import dataclass

from data_pipeline.headings import fold  # noqa: F401 -- spellings compare as headings do

OFSTED = ("Outstanding", "Good", "Requires improvement", "Inadequate")
ASSURANCE = ("High", "Medium", "Low")
SCALES = {"ofsted": OFSTED, "assurance": ASSURANCE}
SCALE_LABELS = {"ofsted": "Ofsted", "assurance": "Assurance"}
# By the scale label stored in the warehouse: grades best first, the good ones, and what they are called.
# The grade_scale table (sql/schema.sql) holds the same; tests/findings/test_domain_words.py holds them together.
SCALE_ORDER = {SCALE_LABELS[key]: grades for key, grades in SCALES.items()}
GOOD_GRADES = {"Ofsted": ("Outstanding", "Good"), "Assurance": ("High",)}
GOOD_LABEL = {"Ofsted": "good or better", "Assurance": "high assurance"}

_CYCLE = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")


def cycle_label(start_year: int, quarter: int) -> str:
    """``2025/26 Q2``: the financial year starting in April of ``start_year``, and its quarter (Q1 April to June)."""
    return f"{start_year}/{(start_year + 1) % 100:02d} Q{quarter}"


def cycle_of(day: dt.date) -> str:
    """The UK financial-year quarter of a date: April to June is Q1."""
    start = day.year if day.month >= 4 else day.year - 1
    return cycle_label(start, (day.month - 4) % 12 // 3 + 1)


def cycle_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a UK financial-year quarter: ``2025/26 Q2`` is 1 July to 30 September 2025."""
    match = _CYCLE.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a cycle label: {label!r}")
    year, quarter = int(match[1]), int(match[3])
    start = dt.date(year, 3 * quarter + 1, 1) if quarter < 4 else dt.date(year + 1, 1, 1)
    after = dt.date(start.year, start.month + 3, 1) if start.month < 10 else dt.date(start.year + 1, 1, 1)
    return start, after - dt.timedelta(days=1)


CASE_TYPES = ("Early Help", "Child in need", "Child protection", "Child in care", "Care leaver")
RESPONDENTS = ("Child", "Parent", "Carer")
NOTE_CATEGORIES = ("Working well", "Barriers", "Suggestions")
ACTION_STATUSES = ("Open", "Completed", "Cancelled")
OWNER_ROLES = ("Practitioner", "Team manager", "Service manager", "Head of service")
RELATIONSHIPS = (
    "Practitioner by team manager",
    "Team manager by service manager",
    "Service manager by head of service",
)
SUPERVISION_ELEMENTS = ("strengths", "development", "wellbeing", "reflection", "training_needs")


GRADE_SYNONYMS = {
    "ofsted": {
        "outstanding": "Outstanding",
        "exceeds good": "Outstanding",
        "exceeding good": "Outstanding",
        "good": "Good",
        "requires improvement": "Requires improvement",
        "requires improvement to be good": "Requires improvement",
        "ri": "Requires improvement",
        "ritbg": "Requires improvement",
        "inadequate": "Inadequate",
        "inad": "Inadequate",
    },
    "assurance": {
        "high": "High",
        "high assurance": "High",
        "medium": "Medium",
        "medium assurance": "Medium",
        "low": "Low",
        "low assurance": "Low",
    },
}

CASE_TYPE_SYNONYMS = {
    "early help": "Early Help",
    "eh": "Early Help",
    "family support": "Early Help",
    "cin": "Child in need",
    "child in need": "Child in need",
    "children in need": "Child in need",
    "cp": "Child protection",
    "child protection": "Child protection",
    "cpp": "Child protection",
    "child protection plan": "Child protection",
    "lac": "Child in care",
    "cla": "Child in care",
    "cic": "Child in care",
    "looked after": "Child in care",
    "looked after child": "Child in care",
    "child looked after": "Child in care",
    "children looked after": "Child in care",
    "child in care": "Child in care",
    "children in care": "Child in care",
    "care leaver": "Care leaver",
    "care leavers": "Care leaver",
    "leaving care": "Care leaver",
    # Councils' own wordings, folded: each names one case type outright ("CIN - Child in need").
    "eh early help": "Early Help",
    "early help eh": "Early Help",
    "early help assessment": "Early Help",
    "early help plan": "Early Help",
    "eha": "Early Help",
    "cin child in need": "Child in need",
    "child in need cin": "Child in need",
    "child in need plan": "Child in need",
    "cin plan": "Child in need",
    "cp child protection": "Child protection",
    "child protection cp": "Child protection",
    "cp plan": "Child protection",
    "cpp child protection plan": "Child protection",
    "child protection plan cpp": "Child protection",
    "lac looked after child": "Child in care",
    "looked after child lac": "Child in care",
    "looked after children": "Child in care",
    "cla child looked after": "Child in care",
    "child looked after cla": "Child in care",
    "cic child in care": "Child in care",
    "child in care cic": "Child in care",
    "care leaver 18": "Care leaver",
    "care leavers 18": "Care leaver",
    "care leaver 18 25": "Care leaver",
    "care leaver 18 21": "Care leaver",
    "leaving care 18": "Care leaver",
}

# Answers to a yes/no question. Only worker agreement stores "Partly"; other questions take yes or no.
ANSWERS = ("Yes", "Partly", "No")
ANSWER_SYNONYMS = {
    "yes": "Yes",
    "y": "Yes",
    "true": "Yes",
    "1": "Yes",
    "agree": "Yes",
    "agreed": "Yes",
    "yes agree": "Yes",
    "yes agreed": "Yes",
    "fully agree": "Yes",
    "no": "No",
    "n": "No",
    "false": "No",
    "0": "No",
    "disagree": "No",
    "disagreed": "No",
    "no disagree": "No",
    "partly": "Partly",
    "partially": "Partly",
    "in part": "Partly",
    "partly agree": "Partly",
    "partly agreed": "Partly",
    "partially agree": "Partly",
    "partially agreed": "Partly",
    "agree in part": "Partly",
    "some": "Partly",
    "somewhat": "Partly",
    "yes partly": "Partly",
    "yes in part": "Partly",
}
# Answers to "does the worker agree?" that say it was not asked: stored as not recorded, not rejected.
NOT_ASKED = {"n a", "na", "not applicable", "not discussed", "not asked", "not known", "unknown"}
YES_NO_SYNONYMS = {word: answer == "Yes" for word, answer in ANSWER_SYNONYMS.items() if answer != "Partly"}

RESPONDENT_SYNONYMS = {
    "child": "Child",
    "young person": "Child",
    "child or young person": "Child",
    "child young person": "Child",
    "parent": "Parent",
    "mum": "Parent",
    "dad": "Parent",
    "parent carer": "Parent",
    "carer": "Carer",
    "foster carer": "Carer",
    "kinship carer": "Carer",
}

CATEGORY_SYNONYMS = {
    "working well": "Working well",
    "what is working well": "Working well",
    "strengths": "Working well",
    "barriers": "Barriers",
    "barrier": "Barriers",
    "barriers to progress": "Barriers",
    "worries": "Barriers",
    "suggestions": "Suggestions",
    "suggestion": "Suggestions",
    "suggestions and recommendations": "Suggestions",
}

STATUS_SYNONYMS = {
    "open": "Open",
    "in progress": "Open",
    "not started": "Open",
    "ongoing": "Open",
    "completed": "Completed",
    "complete": "Completed",
    "done": "Completed",
    "closed": "Completed",
    "cancelled": "Cancelled",
    "canceled": "Cancelled",
    "no longer required": "Cancelled",
}

OWNER_ROLE_SYNONYMS = {
    "practitioner": "Practitioner",
    "social worker": "Practitioner",
    "sw": "Practitioner",
    "worker": "Practitioner",
    "family support worker": "Practitioner",
    "team manager": "Team manager",
    "tm": "Team manager",
    "service manager": "Service manager",
    "sm": "Service manager",
    "head of service": "Head of service",
    "hos": "Head of service",
}

RELATIONSHIP_SYNONYMS = {
    "practitioner by team manager": "Practitioner by team manager",
    "social worker by team manager": "Practitioner by team manager",
    "social worker supervised by team manager": "Practitioner by team manager",
    "practitioner supervised by team manager": "Practitioner by team manager",
    "team manager by service manager": "Team manager by service manager",
    "team manager supervised by service manager": "Team manager by service manager",
    "service manager by head of service": "Service manager by head of service",
    "service manager supervised by head of service": "Service manager by head of service",
}

ELEMENT_SYNONYMS = {
    "strengths": "strengths",
    "strengths discussed": "strengths",
    "areas for development": "development",
    "development": "development",
    "wellbeing": "wellbeing",
    "well being": "wellbeing",
    "staff wellbeing": "wellbeing",
    "reflection": "reflection",
    "reflective discussion": "reflection",
    "training needs": "training_needs",
    "training and development needs": "training_needs",
}

# Five-point agreement scale of the child's-voice form, stored as 1 (strongly disagree) to 5.
AGREEMENT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
LIKERT_SYNONYMS = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "not sure": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
}


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary as staging reads it: ``labels`` are what a person (and a profile's
    ``[values.<field>]`` table) calls each stored value, ``synonyms`` the built-in folded spellings."""

    what: str  # completes "'X' is not ..."
    labels: dict  # label -> stored value
    synonyms: dict


def _same(labels) -> dict:
    return {label: label for label in labels}


# By the field normaliser that reads them (data_pipeline/fields.py).
VOCABULARIES = {
    "case_type": Vocabulary("a known case type", _same(CASE_TYPES), CASE_TYPE_SYNONYMS),
    "respondent": Vocabulary("a known respondent", _same(RESPONDENTS), RESPONDENT_SYNONYMS),
    "category": Vocabulary("a note category", _same(NOTE_CATEGORIES), CATEGORY_SYNONYMS),
    "status": Vocabulary("an action status", _same(ACTION_STATUSES), STATUS_SYNONYMS),
    "owner_role": Vocabulary("a known role", _same(OWNER_ROLES), OWNER_ROLE_SYNONYMS),
    "relationship": Vocabulary("a supervision relationship", _same(RELATIONSHIPS), RELATIONSHIP_SYNONYMS),
    "agreement": Vocabulary(
        "an agreement answer", {label: at for at, label in enumerate(AGREEMENT, start=1)}, LIKERT_SYNONYMS
    ),
    "elements": Vocabulary("a supervision element", _same(SUPERVISION_ELEMENTS), ELEMENT_SYNONYMS),
    "ofsted_grade": Vocabulary("on the Ofsted scale", _same(OFSTED), GRADE_SYNONYMS["ofsted"]),
}
