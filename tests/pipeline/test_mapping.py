"""The mapping wizard's proposals on real-world-style headings, and the profiles it writes."""

import pandas as pd
import pytest

from data_pipeline import mapping
from data_pipeline.profiles import ProfileError

# (heading as councils write it, the field it should be proposed for)
HEADINGS = [
    ("3. Voice of the child", "area:Voice of the child"),
    ("Q4) Assessment: how well are needs and risks analysed? ", "area:Assessment and analysis"),
    ("Management  oversight\nand supervision - grade", "area:Management oversight"),
    ("7. Impact and outcomes for the child - grade", "area:Impact and outcomes"),
    ("Which service area is the case held in?", "service_area"),
    ("Team ", "team"),
    ("Case Type (CIN / CP / CLA / Care Leaver)", "case_type"),
    ("Date of audit (dd/mm/yyyy)", "audit_date"),
    ("Child's Mosaic ID", "child"),
    ("Name of allocated worker", "worker"),
    ("OVERALL GRADE", "overall_grade"),
    ("Is the child safe? (Yes/No)", "child_safe"),
    ("Does the worker agree with the grading?", "worker_agrees"),
    ("Moderated grade (QA team use)", "moderated_grade"),
    ("What is working well?", "comment:strengths"),
    ("Areas for development ", "comment:development"),
]
ANSWERS = {
    "area": ["Good", "Requires improvement", "Outstanding", "Good"],
    "service_area": ["Early Help", "Children in Care", "Early Help", "Care Leavers"],
    "team": ["Early Help North", "Permanence Team", "Early Help South", "Pathway Team"],
    "case_type": ["CIN", "CP", "CLA", "Care leaver"],
    "audit_date": ["03/07/2026", "14/07/2026", "21/06/2026", "01/05/2026"],
    "child": ["1001234", "1002345", "1003456", "1004567"],
    "worker": ["Sam Jones", "Priya Shah", "Ola Ade", "Tom Kerr"],
    "overall_grade": ["Good", "Inadequate", "Good", "Requires improvement"],
    "child_safe": ["Yes", "No", "Yes", "Yes"],
    "worker_agrees": ["Yes", "Yes", "No", "Yes"],
    "moderated_grade": ["Good", None, None, "Good"],
    "comment": ["Clear plan, child seen alone, lovely direct work with the family"] * 4,
}


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    columns = {"ID": ["1", "2", "3", "4"], "Start time": ["7/1/26 9:00:00"] * 4, "Email": ["anonymous"] * 4}
    for heading, target in HEADINGS:
        columns[heading] = ANSWERS[target.split(":")[0]]
    return pd.DataFrame(columns, dtype=object)


@pytest.fixture(scope="module")
def proposals(export) -> dict[str, str]:
    return {p.target: p.heading for p in mapping.propose(export, "audit") if p.heading}


@pytest.mark.parametrize(("heading", "target"), HEADINGS)
def test_each_heading_gets_its_expected_best_match(proposals, heading, target):
    assert proposals.get(target) == heading


def test_the_kind_is_guessed_from_the_headings(export):
    assert mapping.guess_kind(export) == "audit"


def test_the_id_column_is_the_response_key(proposals):
    assert proposals["response_id"] == "ID"


@pytest.mark.parametrize(
    ("heading", "cleaned"),
    [("3. Voice of the child", "voice of the child"), ("Q12) Recording - grade ", "recording"), ("  Team ", "team")],
)
def test_numbering_suffixes_and_spacing_are_ignored(heading, cleaned):
    assert mapping.clean(heading) == cleaned


def test_answers_the_scale_does_not_know_are_listed_for_the_analyst():
    raw = pd.DataFrame({"Overall": ["Good", "Meets expectations", "Meets expectations", "Exemplary"]}, dtype=object)
    assert mapping.unplaced_grades(raw, ["Overall"], "ofsted") == ["Meets expectations", "Exemplary"]


def test_a_built_profile_loads_like_a_hand_written_one(export, proposals):
    doc = mapping.build_profile(
        "audit", "council-audit-v1", "Council audit", "CX1", proposals, grades={"Meets expectations": "Good"},
        all_headings=list(export.columns),
    )  # fmt: skip
    profile = mapping.check(doc)
    assert profile.columns["service_area"] == "Which service area is the case held in?"
    assert profile.practice_areas["Voice of the child"] == "3. Voice of the child"
    assert profile.grades == {"Meets expectations": "Good"}
    assert profile.matches(list(export.columns))
    assert doc["ignore"]["headings"] == ["Start time"]


def test_a_profile_missing_a_required_field_is_refused(proposals):
    chosen = dict(proposals, service_area="")
    with pytest.raises(ProfileError, match="must map service_area"):
        mapping.check(mapping.build_profile("audit", "x-v1", "X", "X1", chosen))


def test_a_grade_mapped_off_the_scale_is_refused(proposals):
    doc = mapping.build_profile("audit", "x-v1", "X", "X1", proposals, grades={"Meets expectations": "Great"})
    with pytest.raises(ProfileError, match="onto the ofsted scale"):
        mapping.check(doc)
