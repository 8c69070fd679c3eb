"""Free-text banks for comments, joined at random so that cells carry commas, quotes and line breaks."""

import numpy as np

STRENGTHS = (
    "Clear and up-to-date assessment, with a strong analysis of risk and protective factors.",
    "The child's wishes and feelings are recorded in their own words.",
    "Good evidence of direct work, including a 'three houses' session.",
    "Chronology is up to date and used to inform the plan.",
    'Strong relationship with the family; mum said "she actually listens to us".',
    "Plan is SMART, reviewed regularly and understood by the family.",
    "Partners attend core groups consistently and contribute to the plan.",
    "Management oversight is clear, with the rationale for decisions recorded.",
    "Visits are on time, and the child is seen alone.",
    "Case summary is concise, current and easy to follow.",
    "Good use of the family network, including a family group conference.",
    "Health and education needs are well understood; the PEP is current.",
    "Worker knows the child well and described their daily routine in detail.",
    "Life story work has started and is child-centred.",
    "Risks outside the home considered, with a clear safety plan.",
    "Supervision records show reflective discussion about this child.",
    "Recording is respectful, written to the child, and free of jargon.",
    "Transition planning started early, with the young person at the centre.",
)
DEVELOPMENT = (
    "Child's voice is not evident in the last two visits; record what the child said and did.",
    "Assessment needs updating, the last one is over 12 months old.",
    'Plan actions are not time-bound, e.g. "mum to engage".',
    "Chronology has not been updated since March.",
    "No evidence of management oversight for several months.",
    "Case notes are behind, some visits recorded weeks later.",
    "Partner agencies' views are not recorded in the plan.",
    "Consider a referral to CAMHS, as worries about the child's emotional wellbeing are rising.",
    "The impact of the work on the child is not clear - what has changed?",
    "Statutory visits out of timescale in two months.",
    "Father's involvement not explored, he is not mentioned in the assessment.",
    "Direct work is described but not recorded.",
    "Supervision notes are brief and don't show reflection.",
    "Pathway plan is out of date.",
    "Safety plan does not reflect the most recent incident.",
    "Too much copy and paste between visits.",
)
WORKER_VIEWS = (
    "Worker feels the direct work was done but not yet recorded, so voice of the child should be Good.",
    "Practitioner disagrees: a caseload of 28 meant visits slipped, this is capacity, not practice.",
    "Worker says the plan was updated at the last core group, minutes not yet on the system.",
    "Feels the overall grade doesn't reflect the progress the family has made.",
    'Disagrees with the recording grade - "notes were delayed by the system outage in June".',
    "Worker thinks management oversight is there, but in supervision notes rather than case notes.",
)
AUDIT_ACTIONS = (
    "Update the chronology within 2 weeks.",
    "Complete direct work with the child before the next review, and record it in their words.",
    "TM to add management oversight by the end of the month.",
    "Refresh the assessment within 6 weeks.",
    "Convene a core group to update the plan within 10 working days.",
    "Invite health and school to the next review.",
    "Book a family group conference within 4 weeks.",
    "Update the pathway plan with the young person by the end of the quarter.",
    "Record the child's wishes and feelings at each visit, starting now.",
    "Discuss the case in supervision next week.",
)
# Cells a spreadsheet would take for formulas if it were careless.
RISKY = (
    "- chase the GP for the health assessment",
    "=discuss at panel next month",
    "+ add the missing visits to the case record",
    "@TM please review the plan",
    "-1 visit missed in May, make it up this month",
)
TRACKER_ACTIONS = (
    "Apply for a £250 Section 17 payment for school uniform.",
    "Update the child’s chronology – include the May incidents.",
    "Arrange a family group conference – contact the FGC service.",
    "Complete the child’s life story book with the carers.",
    "Request the initial health assessment, chase the GP.",
    "Add management oversight to the case record.",
    "Refresh the assessment – the last one is over 12 months old.",
    "Update the pathway plan with the young person’s views.",
    "Agree a £40 a week contribution towards travel to college.",
    "Invite school and health to the next review.",
    "Record direct work in the child’s own words.",
    "Review the safety plan after the latest incident.",
    "Hold a core group within 10 working days.",
    "Refer to the emotional wellbeing service.",
    'Discuss "staying put" with the carers, and record the outcome.',
)
CHILD_COMMENTS = (
    "My social worker always texts me back.",
    "I don't like telling my story again and again to new people.",
    "She came to my school play, that meant a lot.",
    "Meetings are too long and I don't understand the words.",
    "Things are calmer at home now.",
    "I wish I could see my brother more.",
    'Thank you for listening to me, "finally".',
    "My worker keeps changing, I've had 4 this year.",
    "We got help with food vouchers when we needed it.",
    "I want to stay with my carers.",
    "The plan makes more sense now we've written it together.",
    "Sometimes no one rings back.",
)
SUPERVISION_COMMENTS = (
    "Regular, reflective supervision; wellbeing discussed every session.",
    "Sessions cancelled in two months, due to court and sickness.",
    "Records are brief, mainly case management, with little reflection.",
    "Good use of the supervision template, actions followed up.",
    'Supervisee says they feel supported, "my manager always makes time".',
    "No training needs identified for over six months.",
    "Wellbeing not recorded, although workload is high.",
    "Case discussion is strong but development goals are missing.",
)


def compose(bank: tuple[str, ...], counts: np.ndarray, rng: np.random.Generator, newline: float = 0.2) -> np.ndarray:
    """Per row, `counts[i]` (0-2) different sentences from `bank`, joined by a space or a line break."""
    first = rng.integers(0, len(bank), len(counts))
    second = (first + rng.integers(1, len(bank), len(counts))) % len(bank)
    joints = np.where(rng.random(len(counts)) < newline, "\n", " ")
    out = [
        None if k == 0 else bank[a] if k == 1 else f"{bank[a]}{j}{bank[b]}"
        for a, b, j, k in zip(first.tolist(), second.tolist(), joints.tolist(), counts.tolist())
    ]
    return np.array(out, dtype=object)


def risky(cells: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Start a few cells with `=`, `+`, `-` or `@`."""
    rows = np.flatnonzero(rng.random(len(cells)) < rate)
    cells[rows] = np.array(RISKY, dtype=object)[rng.integers(0, len(RISKY), len(rows))]
    return cells
