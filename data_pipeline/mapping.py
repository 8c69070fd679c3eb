"""Proposing a mapping profile for an export no profile recognises.

Each contract field is scored against each heading: by the heading's words (fuzzy, numbering and
punctuation ignored) and, for typed fields, by whether the column's answers read as that type. The best
pairs are taken greedily, one heading per field. Grade columns left over become areas of practice;
long free-text columns become comments. Everything is a proposal with a confidence for a person to check.
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

import pandas as pd

from data_pipeline import normalise as n
from data_pipeline import vocab
from data_pipeline.fields import FIELDS
from data_pipeline.profiles import Profile

# Words that name each field in real forms; the heading is compared with each.
FIELD_WORDS = {
    "response_id": ["id", "response id", "action ref", "reference"],
    "completion_time": ["completion time", "completed"],
    "modified_time": ["last modified time", "modified"],
    "auditor": ["email", "auditor", "practice reviewer", "reviewer"],
    "audit_date": ["date of audit", "audit date", "when did the audit take place", "date"],
    "review_date": ["date of review", "review date", "date"],
    "feedback_date": ["date of conversation", "feedback date", "date"],
    "pld_date": ["date of the practice learning day", "pld date"],
    "raised_date": ["date raised", "raised"],
    "due_date": ["due date", "due", "timescale"],
    "completed_date": ["date completed", "completed date"],
    "cycle": ["pld cycle", "cycle", "quarter", "practice learning day cycle"],
    "service_area": ["service area", "service", "area"],
    "team": ["team"],
    "case_type": ["case type", "type of case", "legal status", "category of case"],
    "worker": ["worker", "practitioner", "social worker", "worker's name", "allocated worker"],
    "child": ["child id", "child's id", "mosaic id", "lcs id", "child number", "child record number"],
    "overall_grade": ["overall grade", "overall judgement", "overall"],
    "child_safe": ["is the child safe", "child safe"],
    "worker_agrees": ["does the worker agree", "agree with the grading", "worker agrees"],
    "moderated_grade": ["moderated grade", "moderation outcome", "moderation"],
    "oversight_date": ["date management oversight added", "management oversight date", "oversight"],
    "supervisee": ["supervisee"],
    "supervisor": ["supervisor"],
    "relationship": ["supervision relationship", "relationship"],
    "sessions_expected": ["sessions expected"],
    "sessions_held": ["sessions held"],
    "quality_grade": ["quality of supervision", "quality grade"],
    "elements": ["evident in the supervision records", "elements"],
    "audit_ref": ["audit id", "audit reference", "audit ref"],
    "respondent": ["who is giving feedback", "respondent"],
    "listened_to": ["felt listened to", "listened"],
    "understood_why": ["understand why", "understood why"],
    "things_better": ["things have got better", "got better"],
    "pld_theme": ["pld theme", "theme"],
    "theme": ["theme"],
    "category": ["what kind of note", "category", "type of note"],
    "text": ["note", "comment", "text"],
    "description": ["action", "description"],
    "owner_role": ["owner", "action owner", "responsible"],
    "status": ["status"],
    "planned_date": ["date planned", "planned"],
    "held_date": ["date held", "held"],
    "planning_meeting_date": ["planning meeting date", "planning meeting"],
    "multi_agency": ["partner agencies", "multi agency"],
    "report_date": ["report shared", "report date", "report"],
}
COMMENT_WORDS = {
    "strengths": ["what is working well", "strengths", "good practice"],
    "development": ["areas for development", "what would make practice better", "development", "improve"],
    "worker_view": ["if the worker disagrees", "practitioner's view", "disagree"],
    "actions": ["actions agreed", "actions"],
    "comment": ["comments", "anything else"],
}
PRACTICE_AREAS = (
    "Voice of the child", "Assessment and analysis", "Planning and review", "Multi-agency working",
    "Management oversight", "Recording", "Impact and outcomes",
)  # fmt: skip
NUMBERING = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+[.):]?\s*", re.I)
SUFFIX = re.compile(r"\s*[-:–]\s*(grade|rating|score|evidence|comments?)\s*$", re.I)
NOT_MAPPED = ""


@dataclass(frozen=True)
class Proposal:
    target: str  # a field name, "area:<practice area>" or "comment:<topic>"
    heading: str
    confidence: float
    why: str


def clean(heading: str) -> str:
    """The words of a heading that carry meaning: numbering, 'grade' suffixes and punctuation removed."""
    return vocab.fold(SUFFIX.sub("", NUMBERING.sub("", " ".join(str(heading).split()))))


def similarity(heading: str, words: list[str]) -> float:
    text = clean(heading)
    best = 0.0
    for phrase in words:
        phrase = vocab.fold(phrase)
        if text == phrase:
            return 1.0
        contained = 0.85 if re.search(rf"\b{re.escape(phrase)}\b", text) else 0.0
        best = max(best, contained * min(1.0, 0.6 + len(phrase) / max(len(text), 1)), _ratio(text, phrase))
    return best


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def value_fit(series: pd.Series, normaliser: str, scale: str) -> float | None:
    """Share of the first answers that read as the field's type; None for untyped fields."""
    sample = series[~series.map(n.blank)].head(50)
    if sample.empty:
        return None
    checks = {
        "date": lambda s: n.date(s, dt.date.max),
        "any_date": lambda s: n.date(s, dt.date.max),
        "timestamp": n.timestamp,
        "grade": lambda s: n.grade(s, scale),
        "ofsted_grade": lambda s: n.grade(s, "ofsted"),
        "case_type": n.case_type,
        "yes_no": n.yes_no,
        "cycle": n.cycle,
        "count": n.count,
        "agreement": n.agreement,
        "respondent": n.respondent,
        "category": n.category,
        "status": n.status,
        "owner_role": n.owner_role,
        "relationship": n.relationship,
        "elements": n.elements,
    }
    if normaliser not in checks:
        return None
    return float(checks[normaliser](sample).errors.isna().mean())


def propose(raw: pd.DataFrame, kind: str, scale: str = "ofsted") -> list[Proposal]:
    """The best heading for each field of ``kind``, then practice areas and comments from what is left."""
    candidates = []
    headings = [h for h in raw.columns if vocab.fold(h) not in NEVER_PROPOSED]
    for field, spec in FIELDS[kind].items():
        for heading in headings:
            score, why = _score(raw[heading], heading, field, spec.normaliser, scale)
            candidates.append((score, field, heading, why))
    taken, proposals = set(raw.columns) - set(headings), {}
    for score, field, heading, why in sorted(candidates, key=lambda c: -c[0]):
        if score >= 0.5 and field not in proposals and heading not in taken:
            proposals[field] = Proposal(field, heading, round(score, 2), why)
            taken.add(heading)
    extra = _areas_and_comments(raw, kind, scale, taken)
    return [proposals.get(f, Proposal(f, NOT_MAPPED, 0.0, "no heading fits")) for f in FIELDS[kind]] + extra


def _score(series: pd.Series, heading: str, field: str, normaliser: str, scale: str) -> tuple[float, str]:
    words = similarity(heading, FIELD_WORDS.get(field, [field.replace("_", " ")]))
    fit = value_fit(series, normaliser, scale)
    if fit is None:
        return words, f"heading {words:.0%} alike"
    return 0.6 * words + 0.4 * fit, f"heading {words:.0%} alike; {fit:.0%} of answers read as {normaliser}"


def _areas_and_comments(raw: pd.DataFrame, kind: str, scale: str, taken: set) -> list[Proposal]:
    if kind != "audit":
        return []
    out = []
    for heading in raw.columns:
        if heading in taken:
            continue
        fit = value_fit(raw[heading], "grade", scale) or 0.0
        if fit >= 0.8:
            out.append(
                Proposal(f"area:{area_name(heading)}", heading, round(fit, 2), f"{fit:.0%} of answers are grades")
            )
            continue
        lengths = raw[heading].dropna().map(lambda c: len(str(c)))
        if not lengths.empty and lengths.mean() > 25:
            topic, score = _best(heading, COMMENT_WORDS)
            if score >= 0.5:
                out.append(Proposal(f"comment:{topic}", heading, round(score, 2), "free text"))
    return out


def area_name(heading: str) -> str:
    """The practice area a grade question names: a known area when its words say so, else its lead words."""
    lead = clean(re.split(r"[:?(]", NUMBERING.sub("", heading))[0]) or clean(heading)
    for area in PRACTICE_AREAS:
        folded = vocab.fold(area)
        if folded in clean(heading) or set(lead.split()) <= set(folded.split()):
            return area
    return lead.capitalize()


def _best(heading: str, options: dict[str, list[str]]) -> tuple[str, float]:
    scored = [(similarity(heading, words), name) for name, words in options.items()]
    score, name = max(scored)
    return name, score


def guess_kind(raw: pd.DataFrame) -> str:
    """The kind whose required fields the headings fit best."""

    def fitted(kind: str) -> float:
        best = (max(similarity(h, FIELD_WORDS.get(f, [f])) for h in raw.columns) for f in FIELDS[kind])
        return sum(score for score in best if score >= 0.8)

    return max(FIELDS, key=fitted)


def unplaced_grades(raw: pd.DataFrame, headings: list[str], scale: str) -> list[str]:
    """Answers in grade columns that the scale's vocabulary does not know, most frequent first."""
    answers = pd.concat([raw[h] for h in headings if h in raw], ignore_index=True) if headings else pd.Series()
    answers = answers[~answers.map(n.blank)]
    result = n.grade(answers, scale)
    unknown = answers[result.errors.notna()].map(n.cell_text)
    return unknown.value_counts().index.tolist()


def build_profile(
    kind: str,
    profile_id: str,
    title: str,
    key_prefix: str,
    chosen: dict[str, str],
    scale: str = "ofsted",
    grades: dict[str, str] | None = None,
    all_headings: list[str] | None = None,
) -> dict:
    """The TOML document for a profile; ``chosen`` maps targets (fields, area:…, comment:…) to headings."""
    mapped = {t: h for t, h in chosen.items() if h}
    doc: dict = {"id": profile_id, "kind": kind, "title": title, "key_prefix": key_prefix}
    if kind == "audit":
        doc |= {"instrument": title, "scale": scale}
    identifying = [h for t, h in mapped.items() if t in ("child", "worker", "service_area", "response_id")]
    doc["detect"] = {"headings": identifying[:3] or list(mapped.values())[:3]}
    doc["columns"] = {t: h for t, h in mapped.items() if ":" not in t}
    doc["practice_areas"] = {t.split(":", 1)[1]: h for t, h in mapped.items() if t.startswith("area:")}
    doc["comments"] = {t.split(":", 1)[1]: h for t, h in mapped.items() if t.startswith("comment:")}
    if grades:
        doc["grades"] = {answer: grade for answer, grade in grades.items() if grade}
    used = set(mapped.values())
    doc["ignore"] = {"headings": [h for h in all_headings or [] if h not in used and vocab.fold(h) in IGNORABLE]}
    return doc


# Forms metadata nobody needs in the warehouse; "Name" is a person's name and is never loaded.
IGNORABLE = {"start time", "name", "email"}
NEVER_PROPOSED = {"start time", "name"}


def check(doc: dict) -> Profile:
    """Validate a proposed profile exactly as the pipeline would load it."""
    import tomli_w

    from data_pipeline.profiles import parse

    return parse(tomli_w.dumps(doc), f"profile {doc.get('id')!r}")
