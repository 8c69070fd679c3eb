"""Table builders: the child rows are what melt, their plain pandas definition, gives."""

import pandas as pd

from data_pipeline import tables


def test_child_rows_are_the_answered_columns_stacked_column_by_column():
    fields = pd.DataFrame(
        {
            "record_key": ["CA1-1", "CA1-2"],
            "area:Recording": ["Good", None],
            "area:Voice of the child": [None, "Inadequate"],
            "comment:strengths": ["Warm", "Clear"],
        },
        dtype=object,
    )
    children = tables._audit_children(fields)
    assert children["audit_grades"].values.tolist() == [
        ["CA1-1", "Recording", "Good"],
        ["CA1-2", "Voice of the child", "Inadequate"],
    ]
    comments = [["CA1-1", "strengths", "Warm"], ["CA1-2", "strengths", "Clear"]]
    assert children["audit_comments"].values.tolist() == comments
