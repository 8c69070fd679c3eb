"""Table builders: the content hash and the child rows are what their plain pandas definitions give."""

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from data_pipeline import tables

CELLS = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["Good", "Inadequate", "1", "True"]),
    st.integers(-3, 3),
    st.booleans(),
    st.floats(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.datetimes().map(lambda d: d.replace(microsecond=0)),
    st.tuples(st.sampled_from(["strengths", "wellbeing"])),
)


@st.composite
def field_frames(draw) -> pd.DataFrame:
    rows = draw(st.integers(1, 6))
    columns = {name: draw(st.lists(CELLS, min_size=rows, max_size=rows)) for name in ("a", "b", "c")}
    stamps = draw(st.lists(st.datetimes().map(lambda d: d.replace(microsecond=0)), min_size=rows, max_size=rows))
    frame = pd.DataFrame({**columns, "stamp": stamps}, dtype=object)
    frame["record_key"] = [f"CA1-{i}" for i in range(rows)]
    frame["source_row"] = range(2, rows + 2)
    return frame


@settings(deadline=None, max_examples=200)
@given(field_frames())
def test_content_hash_is_the_hash_of_every_cell_as_text(fields):
    columns = sorted(c for c in fields.columns if c not in ("source_row", "record_key"))
    expected = pd.util.hash_pandas_object(fields[columns].astype(str), index=False).map("{:016x}".format)
    assert tables._content_hash(fields).tolist() == expected.tolist()


def test_content_hash_of_an_edited_answer_differs():
    fields = pd.DataFrame({"a": ["Good", "Good"], "when": [dt.date(2026, 7, 1)] * 2, "record_key": ["x", "y"]})
    fields.loc[1, "a"] = "Inadequate"
    first, second = tables._content_hash(fields)
    assert first != second


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
