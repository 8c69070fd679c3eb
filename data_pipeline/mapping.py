"""Proposing a mapping profile for an export no profile recognises.

Each contract field is scored against each heading: by the heading's words (fuzzy, numbering and
punctuation ignored) and, for typed fields, by whether the column's answers read as that type. The best
pairs are taken greedily, one heading per field. A role that feeds a rule elsewhere (the moderated grade
feeds escalations, child safety feeds the safety figures) is proposed only when the heading names it. Every
grade-like column left over becomes a candidate area of practice and every free-text column a candidate
comment. Everything is a proposal with a confidence and sample answers, for a person to check.
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import tomli_w

from data_pipeline import normalise as n
from data_pipeline import profiles, vocab
from data_pipeline.fields import FIELDS, PERSON_NORMALISERS
from data_pipeline.headings import fold, is_quiz
from data_pipeline.profiles import Profile, ProfileError

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
    "worker_agrees": [
        "does the worker agree", "does the practitioner agree", "agree with the grading", "agree with the grades",
        "agree with the grade", "worker agrees",
    ],
    "moderated_grade": ["moderated grade", "moderation outcome", "moderation"],
    "oversight_date": ["date management oversight added", "management oversight date", "date of management oversight"],
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
}  # fmt: skip
# Fields whose answers drive a rule elsewhere: proposed only when one of their phrases is in the heading.
ROLES = {"overall_grade", "child_safe", "worker_agrees", "moderated_grade", "oversight_date"}
COMMENT_WORDS = {
    "strengths": ["what is working well", "strengths", "good practice"],
    "development": ["areas for development", "what would make practice better", "development", "improve"],
    "worker_view": ["if the worker disagrees", "practitioner's view", "disagree"],
    "actions": ["actions agreed", "actions", "next steps"],
    "comment": ["comments", "anything else"],
}
# The date each kind is counted by; a form that asks no such question is dated by Forms' Completion time.
MAIN_DATE = {
    "audit": "audit_date", "supervision": "review_date", "child_voice": "feedback_date", "focus_group": "pld_date",
    "action": "raised_date",
}  # fmt: skip
FORMS_TIMES = ("completion time", "start time")
ANSWERS = ("Yes", "No", "Partly")
NUMBERING = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+[.):]?\s*", re.I)
SUFFIX = re.compile(r"\s*[-:–]\s*(grade|rating|score|evidence|comments?)\s*$", re.I)
GRADE_WORD = re.compile(r"\b(grade|grading|rating|rate|score)\b", re.I)
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
NOT_MAPPED = ""
SAMPLES = 3
EVIDENCE_ROWS = 500
# Forms metadata nobody needs in the warehouse; "Name" is a person's name and is never loaded.
IGNORABLE = {"start time", "name", "email"}
NEVER_PROPOSED = {"start time", "name"}
FORMS_COLUMNS = {"id", "start time", "completion time", "email", "name", "last modified time"}


@dataclass(frozen=True)
class Proposal:
    target: str  # a field name, "area:<practice area>" or "comment:<topic>"
    heading: str
    confidence: float
    why: str


def clean(heading: str) -> str:
    """The words of a heading that carry meaning: numbering, 'grade' suffixes and punctuation removed."""
    return fold(SUFFIX.sub("", NUMBERING.sub("", " ".join(str(heading).split()))))


def similarity(heading: str, words: list[str]) -> float:
    text = clean(heading)
    best = 0.0
    for phrase in words:
        phrase = fold(phrase)
        if text == phrase:
            return 1.0
        contained = 0.85 if _says(text, phrase) else 0.0
        best = max(best, contained * min(1.0, 0.6 + len(phrase) / max(len(text), 1)), _ratio(text, phrase))
    return best


def says(heading: str, words: list[str]) -> bool:
    """Whether one of the phrases appears in the heading as whole words."""
    text = clean(heading)
    return any(_says(text, fold(phrase)) for phrase in words)


def _says(text: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"\b{re.escape(phrase)}\b", text) is not None


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
        "yes_no": _yes_no,
        "agrees": _yes_no,
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


def _yes_no(sample: pd.Series) -> n.Normalised:
    """Yes, partly or no, in the form's own words too ('Agree with some'): those are mapped in [answers]."""
    result = n.agrees(sample)
    own_words = sample.map(lambda cell: answer_meaning(n.cell_text(cell)) is not None)
    return result._replace(errors=result.errors.where(~own_words, None))


def answer_meaning(answer: str) -> str | None:
    """What a yes/no answer in a form's own words proposes to mean: 'Partly agree' reads as Partly."""
    words = set(fold(answer).split())
    if words & {"partly", "partially", "part", "some", "somewhat"}:
        return "Partly"
    if words & {"disagree", "disagrees", "no"}:
        return "No"
    if words & {"agree", "agrees", "yes"}:
        return "Yes"
    return None


def samples(series: pd.Series, count: int = SAMPLES) -> list[str]:
    """The first few distinct answers of a column, as text: what a person checks a proposal against."""
    answers = series[~series.map(n.blank)].map(n.cell_text)
    return answers.drop_duplicates().head(count).tolist()


def propose(
    raw: pd.DataFrame, kind: str, scale: str = "ofsted", areas: tuple[str, ...] | None = None
) -> list[Proposal]:
    """The best heading for each field of ``kind``, then practice areas and comments from what is left.
    The first rows are evidence enough, and keep the wizard quick on a large export."""
    raw = raw.head(EVIDENCE_ROWS)
    candidates = []
    offered = [h for h in raw.columns if fold(h) not in NEVER_PROPOSED and not is_quiz(h)]
    for field, spec in FIELDS[kind].items():
        for heading in offered:
            scored = _score(raw[heading], heading, field, spec.normaliser, scale)
            if scored:
                candidates.append((scored[0], field, heading, scored[1]))
    taken, proposals = set(raw.columns) - set(offered), {}
    for score, field, heading, why in sorted(candidates, key=lambda c: -c[0]):
        if score >= 0.5 and field not in proposals and heading not in taken:
            proposals[field] = Proposal(field, heading, round(score, 2), why)
            taken.add(heading)
    _date_from_completion_time(raw, kind, proposals)
    extra = _areas_and_comments(raw, kind, scale, taken, known_areas() if areas is None else areas)
    return [proposals.get(f, Proposal(f, NOT_MAPPED, 0.0, "no heading fits")) for f in FIELDS[kind]] + extra


def _score(series: pd.Series, heading: str, field: str, normaliser: str, scale: str) -> tuple[float, str] | None:
    """(confidence, why), or None where the heading gives no evidence for the field (answers alone that
    happen to read as its type, a grade or a date, never make a proposal), or a person's field is answered
    in sentences."""
    phrases = FIELD_WORDS.get(field, [field.replace("_", " ")])
    if field in ROLES and not says(heading, phrases):
        return None
    words = similarity(heading, phrases)
    if words < 0.6 or (normaliser in PERSON_NORMALISERS and _free_text(series)):
        return None
    fit = value_fit(series, normaliser, scale)
    if fit is None:
        return words, f"heading {words:.0%} alike"
    return 0.6 * words + 0.4 * fit, f"heading {words:.0%} alike; {fit:.0%} of answers read as {normaliser}"


def _date_from_completion_time(raw: pd.DataFrame, kind: str, proposals: dict[str, Proposal]) -> None:
    """A form that asks no date question is dated by when it was completed; the heading may feed both fields."""
    field = MAIN_DATE.get(kind)
    if field is None or field in proposals:
        return
    completion = [h for h in raw.columns if fold(h) == FORMS_TIMES[0]]
    if completion:
        why = "the form asks no date question, so the date is when the form was completed (Forms' Completion time)"
        proposals[field] = Proposal(field, completion[0], 0.7, why)


def date_sources(raw: pd.DataFrame) -> list[str]:
    """Headings whose answers read as dates or times, Forms' own Completion and Start time included."""
    found, raw = [], raw.head(EVIDENCE_ROWS)
    for heading in raw.columns:
        as_date = value_fit(raw[heading], "date", "ofsted") or 0.0
        as_time = value_fit(raw[heading], "timestamp", "ofsted") or 0.0
        if fold(heading) in FORMS_TIMES or max(as_date, as_time) >= 0.8:
            found.append(heading)
    return found


def _areas_and_comments(raw: pd.DataFrame, kind: str, scale: str, taken: set, areas: tuple[str, ...]) -> list:
    if kind != "audit":
        return []
    out, topics = [], set()
    for heading in raw.columns:
        if heading in taken:
            continue
        fit = value_fit(raw[heading], "grade", scale) or 0.0
        if fit >= 0.6:
            name = area_name(heading, areas)
            out.append(Proposal(f"area:{name}", heading, round(fit, 2), f"{fit:.0%} of answers are grades"))
        elif fold(heading) not in IGNORABLE and _free_text(raw[heading]):
            topic, score = _best(heading, COMMENT_WORDS)
            if score < 0.6 or topic in topics:
                topic, score = topic_name(heading), 0.6
            topics.add(topic)
            out.append(Proposal(f"comment:{topic}", heading, round(score, 2), "free text"))
    return out


def _free_text(series: pd.Series) -> bool:
    """Answers written in sentences: several words, on average longer than a name or an e-mail address,
    and not dates."""
    answers = series[~series.map(n.blank)].map(n.cell_text).head(500)
    if answers.empty or answers.str.len().mean() <= 20 or answers.str.split().str.len().mean() < 3:
        return False
    return (value_fit(series, "date", "ofsted") or 0.0) < 0.5 and (value_fit(series, "timestamp", "") or 0.0) < 0.5


def area_name(heading: str, areas: tuple[str, ...] = ()) -> str:
    """The practice area a grade question names: a known area when its words say so, else its lead words."""
    lead = clean(re.split(r"[:?(]", NUMBERING.sub("", heading))[0]) or clean(heading)
    lead = GRADE_WORD.sub("", lead).strip() or lead
    for area in areas:
        folded = fold(area)
        if folded in clean(heading) or set(lead.split()) <= set(folded.split()):
            return area
    return lead.capitalize()


def topic_name(heading: str) -> str:
    """A comment topic from a heading's first words: 'What could the family do next?' -> 'what_could_the_family'."""
    words = clean(re.split(r"[:?(]", NUMBERING.sub("", heading))[0]).split()
    return "_".join(words[:4]) or "comment"


def known_areas() -> tuple[str, ...]:
    """Areas of practice the profiles in use already name (built in and the council's own), in name order."""
    try:
        found = profiles.load_all()
    except ProfileError:
        found = [profiles.parse(p.read_text(), str(p)) for p in sorted(profiles.BUILT_IN.glob("*.toml"))]
    return tuple(sorted({area for p in found for area in p.practice_areas}))


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
    return _unplaced(raw, headings, lambda answers: n.grade(answers, scale))


def unplaced_answers(raw: pd.DataFrame, headings: list[str]) -> list[str]:
    """Answers in yes/no columns that no spelling of yes, partly or no covers ('Agree with some'), most
    frequent first."""
    return _unplaced(raw, headings, n.agrees)


def unplaced_values(raw: pd.DataFrame, kind: str, chosen: dict[str, str]) -> dict[str, list[str]]:
    """For each chosen field read from a vocabulary (case type, status, respondent...), the answers no
    built-in spelling covers, most frequent first: what the profile's [values.<field>] would map."""
    out = {}
    for field, heading in chosen.items():
        vocabulary = getattr(FIELDS[kind].get(field), "normaliser", None)
        if heading not in raw or vocabulary not in vocab.VOCABULARIES:
            continue
        answers = raw[heading].head(EVIDENCE_ROWS)
        if vocabulary == "elements":  # each choice of a multi-select answer 'A;B;C;' on its own
            answers = answers.map(lambda cell: [] if n.blank(cell) else str(cell).split(";")).explode()
        found = _unknown(answers.reset_index(drop=True), lambda cells, v=vocabulary: n.choice(cells, v))
        if found:
            out[field] = found
    return out


def _unplaced(raw: pd.DataFrame, chosen: list[str], normaliser) -> list[str]:
    present = [h for h in chosen if h in raw]
    if not present:
        return []
    return _unknown(pd.concat([raw[h] for h in present], ignore_index=True), normaliser)


def _unknown(answers: pd.Series, normaliser) -> list[str]:
    answers = answers[~answers.map(n.blank)]
    unknown = answers[normaliser(answers).errors.notna()].map(n.cell_text)
    return unknown.value_counts().index.tolist()


def person_headings(kind: str, chosen: dict[str, str]) -> set[str]:
    """Headings chosen for people: their answers are names, never shown as samples."""
    fields = FIELDS[kind]
    return {h for t, h in chosen.items() if t in fields and fields[t].normaliser in PERSON_NORMALISERS}


def build_profile(
    kind: str,
    profile_id: str,
    title: str,
    key_prefix: str,
    chosen: dict[str, str],
    scale: str = "ofsted",
    grades: dict[str, str] | None = None,
    all_headings: list[str] | None = None,
    answers: dict[str, str] | None = None,
    common: frozenset[str] = frozenset(),
    values: dict[str, dict[str, str]] | None = None,
) -> dict:
    """The TOML document for a profile; ``chosen`` maps targets (fields, area:…, comment:…) to headings.
    ``common`` holds the folded headings other profiles know, which make poor detection headings."""
    mapped = {t: h for t, h in chosen.items() if h}
    doc: dict = {"id": profile_id, "kind": kind, "title": title, "key_prefix": key_prefix}
    if kind == "audit":
        doc |= {"instrument": title, "scale": scale}
    doc["detect"] = {"headings": _detecting(mapped, common)}
    doc["columns"] = {t: h for t, h in mapped.items() if ":" not in t}
    doc["practice_areas"] = {t.split(":", 1)[1]: h for t, h in mapped.items() if t.startswith("area:")}
    doc["comments"] = {t.split(":", 1)[1]: h for t, h in mapped.items() if t.startswith("comment:")}
    if grades:
        doc["grades"] = {answer: grade for answer, grade in grades.items() if grade}
    if answers:
        doc["answers"] = {answer: meaning for answer, meaning in answers.items() if meaning}
    if any((values or {}).values()):
        doc["values"] = {field: dict(table) for field, table in values.items() if table}
    used = set(mapped.values())
    doc["ignore"] = {"headings": [h for h in all_headings or [] if h not in used and fold(h) in IGNORABLE]}
    return doc


def _detecting(mapped: dict[str, str], common: frozenset[str]) -> list[str]:
    """Up to three headings that tell this form from others: not Forms' own columns, which every export has,
    nor headings another profile knows; the people and service area questions first."""
    ordered = sorted(mapped.items(), key=lambda item: item[0] not in ("child", "worker", "service_area"))
    headings = list(dict.fromkeys(h for _, h in ordered))
    own = [h for h in headings if fold(h) not in FORMS_COLUMNS | common]
    return (own or [h for h in headings if fold(h) not in FORMS_COLUMNS] or headings)[:3]


def common_headings() -> frozenset[str]:
    """Folded headings the profiles in use already know."""
    try:
        return frozenset(fold(h) for p in profiles.load_all() for h in p.wanted())
    except ProfileError:
        return frozenset()


def check(doc: dict) -> Profile:
    """Validate a proposed profile exactly as the pipeline would load it."""
    return profiles.parse(to_toml(doc), f"profile {doc.get('id')!r}")


def to_toml(doc: dict) -> str:
    return tomli_w.dumps(doc)


def profile_path(folder: Path, profile_id: str) -> Path:
    """Where a profile of this id is saved: a slug, resolved inside ``folder``, or refused in one line."""
    if not SLUG.match(profile_id):
        raise ProfileError(
            f"the profile id {profile_id!r} may hold only lower-case letters, digits and inner hyphens "
            "(e.g. council-audit-v1), up to 64 characters"
        )
    target = (folder / f"{profile_id}.toml").resolve()
    if target.parent != folder.resolve():
        raise ProfileError(f"the profile id {profile_id!r} does not name a file in {folder}")
    return target


def save(doc: dict, folder: Path, today: dt.date) -> Path:
    """Write a checked profile into ``folder`` (QA_PROFILE_DIR) under its id; an id in use is refused."""
    target = profile_path(folder, doc["id"])
    check(doc)
    if target.exists() or doc["id"] in {p.id for p in profiles.load_all()}:
        raise ProfileError(f"a profile called {doc['id']} exists already; choose another profile id")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# Made with the mapping wizard on {today:%d %B %Y}.\n" + to_toml(doc))
    return target
