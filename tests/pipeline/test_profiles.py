"""A profile's [values.<field>] tables: checked when the profile loads, applied before the built-in spellings."""

from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import normalise as n
from data_pipeline.profiles import ProfileError, parse

ACTIONS = """
id = "council-actions"
kind = "action"
title = "Council actions"
key_prefix = "CA9"
[detect]
headings = ["Ref"]
[columns]
response_id = "Ref"
service_area = "Service"
raised_date = "Raised"
status = "Progress"
owner_role = "Who"
"""


def test_a_values_table_is_read_per_field():
    profile = parse(
        ACTIONS + '[values.status]\n"On hold" = "Open"\n[values.owner_role]\n"Senior practitioner" = "Practitioner"\n'
    )
    assert profile.values == {"status": {"On hold": "Open"}, "owner_role": {"Senior practitioner": "Practitioner"}}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        # the right-hand side must be a label of the field's vocabulary (vocab.ACTION_STATUSES)
        (
            '[values.status]\n"On hold" = "Paused"',
            "council.toml: [values.status] must map answers onto Open, Completed, Cancelled, not 'On hold' = 'Paused'",
        ),
        ('[values.status]\n"On hold" = 1', "[values.status] must map answers onto Open, Completed, Cancelled"),
        (
            '[values.case_type]\n"LAC" = "Child in care"',
            "council.toml: [values.case_type]: action profiles have no field called case_type",
        ),
        ('[values.service_area]\n"CSC" = "Children"', "[values.service_area]: service_area is not read from a list"),
        ('[values.status]\n"x" = "Open"\n[values.due_date]\n"x" = "y"', "due_date is not read from a list"),
    ],
)
def test_a_wrong_values_table_is_refused_in_one_line_naming_profile_table_and_value(table, message):
    with pytest.raises(ProfileError) as refused:
        parse(ACTIONS + table, "council.toml")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_grades_and_answers_keep_their_own_tables():
    audit = ACTIONS.replace('kind = "action"', 'kind = "audit"\nscale = "ofsted"').replace(
        'raised_date = "Raised"\nstatus = "Progress"\nowner_role = "Who"', 'audit_date = "Date"'
    )
    with pytest.raises(
        ProfileError, match=r"\[values.child_safe\]: the answers of child_safe are mapped in \[answers\]"
    ):
        parse(audit + '[values.child_safe]\n"Ydy" = "Yes"')
    with pytest.raises(ProfileError, match=r"the answers of overall_grade are mapped in \[grades\]"):
        parse(audit + '[values.overall_grade]\n"Meets" = "Good"')


def test_a_values_table_that_is_not_a_table_is_refused():
    with pytest.raises(ProfileError, match=r"council\.toml: not a valid mapping profile"):
        parse('values = "status"\n' + ACTIONS, "council.toml")


@pytest.mark.parametrize(
    ("vocabulary", "own", "cell", "stored"),
    [
        ("respondent", {"Grandparent": "Carer"}, "grandparent", "Carer"),
        ("category", {"Even better if": "Suggestions"}, "Even better if…", "Suggestions"),
        ("relationship", {"SW / TM": "Practitioner by team manager"}, "sw tm", "Practitioner by team manager"),
        ("agreement", {"Yes, a lot": "Strongly agree"}, "Yes, a lot", 5),  # stored 1 to 5
        ("agreement", {"Agree": "Strongly agree"}, "agree", 5),  # the profile's word wins over the built-in 4
        ("elements", {"Emotional impact": "wellbeing"}, "Strengths;Emotional impact;", ("strengths", "wellbeing")),
        ("ofsted_grade", {"Meets expectations": "Good"}, "meets expectations", "Good"),
    ],
)
def test_a_values_table_maps_the_forms_own_words(vocabulary, own, cell, stored):
    result = n.choice(pd.Series([cell]), vocabulary, own, "field")
    assert (result.values[0], result.errors[0]) == (stored, None)


def test_a_word_neither_list_knows_is_rejected_naming_the_table():
    result = n.choice(pd.Series(["Grandparent"]), "respondent", {}, "respondent")
    assert result.errors[0] == (
        "'Grandparent' is not a known respondent (Child, Parent, Carer); map it in [values.respondent]"
    )


def test_the_documented_worked_example_is_a_valid_profile():
    doc = (Path(__file__).parents[2] / "docs" / "profiles.md").read_text()
    example = doc.split("## A worked example", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    profile = parse(example, "docs/profiles.md")
    assert profile.values == {"case_type": {"Section 17": "Child in need"}}
