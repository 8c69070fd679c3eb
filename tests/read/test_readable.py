"""Tables people read: one rule for labels, missing values, true/false and dates, checked against hand-made rows."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from qa_read.columns import MISSING, label, readable


@pytest.mark.parametrize(
    "name, expected",
    [
        ("audit_id", "Audit"),  # a listed label
        ("overall_grade", "Overall grade"),  # words from the field name
        ("days_to_oversight", "Days to oversight"),
        ("team_id", "Team"),  # an id reads as the thing it names
        ("Days overdue", "Days overdue"),  # already a label: kept
        ("Area of practice", "Area of practice"),
        ("cycle", "Cycle"),
    ],
)
def test_labels(name, expected):
    assert label(name) == expected


def test_missing_values_read_as_a_dash_and_true_false_as_yes_no():
    rows = pd.DataFrame(
        {
            "audit_id": ["CA1-1", None],
            "overall_grade": ["Good", np.nan],
            "child_safe": [True, False],
            "oversight": pd.array([True, None], dtype="boolean"),
            "days_overdue": [3, None],  # a count made float by the missing value
            "share": [0.25, None],
            "audited": [4, 5],
        }
    )
    shown = readable(rows)
    assert list(shown.columns) == [
        "Audit",
        "Overall grade",
        "Child safe",
        "Oversight",
        "Days overdue",
        "Share",
        "Audited",
    ]
    # a numeric column with a gap becomes text: Arrow (and so the browser) refuses a column of numbers and "–"
    assert shown.iloc[0].tolist() == ["CA1-1", "Good", "Yes", "Yes", "3", "0.25", 4]
    assert shown.iloc[1].tolist() == [MISSING, MISSING, "No", MISSING, MISSING, MISSING, 5]
    assert pd.api.types.is_integer_dtype(shown["Audited"]), "a whole column of numbers stays numeric"
    assert shown.map(type).nunique().max() == 1, "every column holds one type"
    assert "None" not in shown.astype(str).to_numpy() and "nan" not in shown.astype(str).to_numpy()


def test_dates_read_in_uk_form():
    rows = pd.DataFrame(
        {
            "due_date": pd.to_datetime(["2026-12-01", None]),
            "raised": [dt.date(2026, 4, 9), None],
            "modified": [dt.datetime(2026, 1, 31, 14, 5), None],
        }
    )
    shown = readable(rows)
    assert shown["Due"].tolist() == ["01 Dec 2026", MISSING]
    assert shown["Raised"].tolist() == ["09 Apr 2026", MISSING]
    assert shown["Modified"].tolist() == ["31 Jan 2026", MISSING]
