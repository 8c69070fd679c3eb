"""What a list of records says when it stops short (ui.widgets.listed): drawn at most SHOWN_ROWS long, read at most
LIST_ROWS long, out of all the records the filters select."""

import pytest
from streamlit.testing.v1 import AppTest

from ui import widgets

SHOWN = widgets.SHOWN_ROWS


@pytest.mark.parametrize(
    "fetched,total,downloaded,expected",
    [
        (12, 12, True, None),
        (SHOWN, SHOWN, True, None),
        (5_000, 160_422, True, "This list shows the first 500 of 160,422, and its download the first 5,000. "
         "Narrow the filters to see the rest."),
        (800, 800, True, "This list shows the first 500 of 800; its download holds them all."),
        (800, 800, False, "This list holds the first 500 of 800. Narrow the filters to see the rest."),
        (300, 1_000, True, "This list holds the first 300 of 1,000. Narrow the filters to see the rest."),
    ],
)  # fmt: skip
def test_what_a_cut_list_says(fetched, total, downloaded, expected):
    assert widgets.cut_words(fetched, total, downloaded) == expected


def draw(rows: int, total: int) -> None:
    import pandas as pd

    from ui import widgets

    widgets.listed(pd.DataFrame({"action_id": [f"A{i}" for i in range(rows)]}), total)


def test_a_long_list_draws_its_first_rows_and_says_so():
    at = AppTest.from_function(draw, args=(SHOWN + 20, 9_999)).run()
    assert not at.exception
    [table] = at.dataframe
    assert len(table.value) == SHOWN and table.value.iloc[0, 0] == "A0"
    assert [c.value for c in at.caption] == [widgets.cut_words(SHOWN + 20, 9_999, True)]
