"""The mapping wizard's proposals on real-world-style headings, and the profiles it writes."""

import datetime as dt

import pandas as pd
import pytest

from data_pipeline import mapping, profiles
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


# A form the proposer has never seen: no date question, oversight graded as a practice area, free text
# under headings no comment topic names, and one area graded in numbers.
UNSEEN = {
    "ID": ["1", "2", "3", "4"],
    "Start time": ["9/1/2026 9:00:00", "9/2/2026 9:00:00", "9/3/2026 9:00:00", "9/4/2026 9:00:00"],
    "Completion time": ["9/1/2026 9:30:00", "9/2/2026 9:30:00", "9/3/2026 9:30:00", "9/4/2026 9:30:00"],
    "Name": ["Ann Bell", "Cal Dee", "Eve Fox", "Gus Hay"],
    "Service area": ["Early Help", "Children in Care", "Early Help", "Care Leavers"],
    "Management oversight grade": ["Good", "Requires improvement", "Good", "Outstanding"],
    "Quality of the family network plan": ["Good", "Inadequate", "Good", "Good"],
    "Rate the recording (1 = inadequate, 4 = outstanding)": ["3", "2", "4", "3"],
    "What has changed for the child since the last review?": [
        "Attendance at school is up and the family meets the worker weekly",
        "Little has changed; the plan is not yet being followed by the adults",
        "The child now has a settled placement and sees her brother",
        "Moved to independent living with support from the pathway team",
    ],
    "Anything the worker should do next?": [
        "Book the family network meeting before the next review",
        "Escalate the missed visits to the team manager this week",
        "Keep the sibling contact going and record the child's wishes",
        "Check the pathway plan covers money and education",
    ],
}


@pytest.fixture(scope="module")
def unseen() -> pd.DataFrame:
    return pd.DataFrame(UNSEEN, dtype=object)


@pytest.fixture(scope="module")
def unseen_proposals(unseen) -> dict[str, mapping.Proposal]:
    return {p.target: p for p in mapping.propose(unseen, "audit", areas=KNOWN_AREAS) if p.heading}


KNOWN_AREAS = ("Assessment and analysis", "Management oversight", "Recording", "Voice of the child")


def test_an_oversight_grade_is_a_practice_area_never_the_moderated_grade(unseen_proposals):
    assert "moderated_grade" not in unseen_proposals
    assert unseen_proposals["area:Management oversight"].heading == "Management oversight grade"


def test_a_grade_role_is_proposed_only_when_its_heading_names_it():
    raw = pd.DataFrame({"ID": ["1"], "Team": ["North"], "Grade after QA review": ["Good"]}, dtype=object)
    proposed = {p.target: p.heading for p in mapping.propose(raw, "audit", areas=()) if p.heading}
    assert "moderated_grade" not in proposed and "overall_grade" not in proposed
    assert proposed["area:After qa review"] == "Grade after QA review"


def test_a_form_with_no_date_question_is_dated_by_its_completion_time(unseen_proposals):
    date = unseen_proposals["audit_date"]
    assert date.heading == "Completion time"
    assert "no date question" in date.why and "Completion time" in date.why
    assert unseen_proposals["completion_time"].heading == "Completion time"


def test_a_date_question_is_preferred_to_the_completion_time(unseen):
    raw = unseen.assign(**{"Date of audit": ["01/09/2026", "02/09/2026", "03/09/2026", "04/09/2026"]})
    proposed = {p.target: p.heading for p in mapping.propose(raw, "audit", areas=KNOWN_AREAS)}
    assert proposed["audit_date"] == "Date of audit"


def test_every_date_source_is_listed(unseen):
    raw = unseen.assign(**{"Date of audit": ["01/09/2026", "02/09/2026", "03/09/2026", "04/09/2026"]})
    assert mapping.date_sources(raw) == ["Start time", "Completion time", "Date of audit"]


def test_each_free_text_question_is_proposed_as_a_comment(unseen_proposals):
    comments = {t: p.heading for t, p in unseen_proposals.items() if t.startswith("comment:")}
    assert comments == {
        "comment:what_has_changed_for": "What has changed for the child since the last review?",
        "comment:anything_the_worker_should": "Anything the worker should do next?",
    }


def test_each_graded_question_is_proposed_as_an_area(unseen_proposals):
    areas = {t: p.heading for t, p in unseen_proposals.items() if t.startswith("area:")}
    assert areas == {
        "area:Management oversight": "Management oversight grade",
        "area:Quality of the family network plan": "Quality of the family network plan",
    }
    assert unseen_proposals["area:Management oversight"].confidence == 1.0


def test_grades_in_numbers_are_not_taken_for_an_area_but_listed_once_chosen(unseen):
    heading = "Rate the recording (1 = inadequate, 4 = outstanding)"
    assert heading not in {p.heading for p in mapping.propose(unseen, "audit", areas=KNOWN_AREAS)}
    assert mapping.area_name(heading, KNOWN_AREAS) == "Recording"
    assert mapping.unplaced_grades(unseen, [heading], "ofsted") == ["3", "2", "4"]


def test_a_persons_name_is_never_proposed(unseen):
    assert "Name" not in {p.heading for p in mapping.propose(unseen, "audit", areas=KNOWN_AREAS)}


def test_samples_are_the_first_distinct_answers(unseen):
    assert mapping.samples(unseen["Service area"]) == ["Early Help", "Children in Care", "Care Leavers"]


def test_yes_no_answers_in_the_forms_own_words_are_listed():
    answers = ["Agree with some grades", "Agree with all grades", "Agree with some grades", "Partly", "No", ""]
    raw = pd.DataFrame({"Agrees?": answers}, dtype=object)
    assert mapping.unplaced_answers(raw, ["Agrees?"]) == ["Agree with some grades", "Agree with all grades"]


def test_answers_and_a_shared_completion_time_are_written_to_the_profile(unseen_proposals):
    chosen = {t: p.heading for t, p in unseen_proposals.items()}
    doc = mapping.build_profile("audit", "unseen-v1", "Unseen", "UN1", chosen, answers={"Partly agree": "Partly"})
    assert doc["answers"] == {"Partly agree": "Partly"}
    assert doc["columns"]["audit_date"] == doc["columns"]["completion_time"] == "Completion time"
    assert mapping.check(doc).columns["audit_date"] == "Completion time"


@pytest.mark.parametrize("profile_id", ["../../../tmp/x", "a/b", "Council audit", "", "-v1", "x" * 65, "a..b/"])
def test_a_profile_id_that_is_not_a_slug_is_refused(tmp_path, profile_id):
    with pytest.raises(ProfileError, match="may hold only lower-case letters"):
        mapping.profile_path(tmp_path / "profiles", profile_id)


def test_a_profile_is_saved_inside_the_profile_folder(tmp_path, monkeypatch, unseen_proposals):
    folder = tmp_path / "profiles"
    monkeypatch.setenv("QA_PROFILE_DIR", str(folder))
    chosen = {t: p.heading for t, p in unseen_proposals.items()}
    doc = mapping.build_profile("audit", "council-audit-v1", "Council audit", "CX1", chosen)
    path = mapping.save(doc, folder, dt.date(2026, 12, 1))
    assert path == (folder / "council-audit-v1.toml").resolve()
    assert [p.id for p in profiles.load_all() if p.id == "council-audit-v1"] == ["council-audit-v1"]
    with pytest.raises(ProfileError, match="exists already"):
        mapping.save(doc, folder, dt.date(2026, 12, 1))


def test_a_profile_is_detected_by_its_own_questions_not_by_headings_every_form_has(unseen_proposals):
    chosen = {t: p.heading for t, p in unseen_proposals.items()}
    doc = mapping.build_profile("audit", "unseen-v1", "Unseen", "UN1", chosen, common=mapping.common_headings())
    # ID and Completion time come with every Forms export; "Service area" is a heading the built-in forms know.
    assert doc["detect"]["headings"] == [
        "Management oversight grade",
        "Quality of the family network plan",
        "What has changed for the child since the last review?",
    ]


def test_a_worker_agreement_question_in_the_forms_own_words_is_not_taken_for_the_worker():
    raw = pd.DataFrame(
        {"ID": ["1", "2"], "Allocated worker": ["Sam Jones", "Priya Shah"],
         "Does the worker agree with the grades?": ["Agree", "Partly agree"]},
        dtype=object,
    )  # fmt: skip
    proposed = {p.target: p.heading for p in mapping.propose(raw, "audit", areas=()) if p.heading}
    assert proposed["worker_agrees"] == "Does the worker agree with the grades?"
    assert proposed["worker"] == "Allocated worker"


@pytest.mark.parametrize(
    ("answer", "meaning"),
    [("Partly agree", "Partly"), ("Agree with some grades", "Partly"), ("Disagree", "No"), ("Agree", "Yes"),
     ("Strongly agree", "Yes"), ("Not sure", None), ("Maybe", None)],
)  # fmt: skip
def test_an_answer_in_the_forms_own_words_proposes_a_meaning(answer, meaning):
    assert mapping.answer_meaning(answer) == meaning


def test_answers_no_list_knows_are_listed_per_field_most_frequent_first():
    raw = pd.DataFrame(
        {
            "Progress": ["On hold", "Done", "Parked", "On hold", None],
            "Discussed": ["Strengths;Emotional impact;", "Wellbeing;", "Emotional impact;Caseload;", "", None],
            "Service": ["A", "B", "C", "D", "E"],
        }
    )
    chosen = {"status": "Progress", "elements": "Discussed", "service_area": "Service"}
    # "Done" is a built-in status; each choice of the multi-select is looked at on its own
    assert mapping.unplaced_values(raw, "action", {"status": "Progress", "service_area": "Service"}) == {
        "status": ["On hold", "Parked"]
    }
    assert mapping.unplaced_values(raw, "supervision", chosen) == {"elements": ["Emotional impact", "Caseload"]}
