"""Day/month order decided per column from its own values; each expectation is worked from the values."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_pipeline import normalise as n
from data_pipeline.dates import DAY_FIRST, MONTH_FIRST, DateOrderError, decide


def cells(*values):
    return np.array(values, dtype=object)


@pytest.mark.parametrize(
    ("values", "order", "basis"),
    [
        # 14 > 12 in the second part: only a day can be 14, so the column is month first
        (("8/3/2023", "6/14/2023"), MONTH_FIRST, "shown by 6/14/2023"),
        # 14 > 12 in the first part
        (("08/03/2023", "14/06/2023"), DAY_FIRST, "shown by 14/06/2023"),
        # a Forms timestamp carries its time after the date
        (("7/27/26 19:06:23", "7/3/26 9:00:00"), MONTH_FIRST, "shown by 7/27/26 19:06:23"),
        # 31/13 is no date either way round, so it proves nothing; 13/5 does
        (("31/13/2026", "13/5/2026"), DAY_FIRST, "shown by 13/5/2026"),
    ],
)
def test_a_value_over_12_shows_the_order(values, order, basis):
    decided = decide("Date", cells(*values), None, DAY_FIRST)
    assert (decided.order, decided.basis) == (order, basis)


def test_an_ambiguous_column_takes_the_profile_order_then_the_setting_and_says_it_assumed():
    ambiguous = cells("8/3/2023", "1/2/2023", None)
    from_profile = decide("Date", ambiguous, MONTH_FIRST, DAY_FIRST)
    from_setting = decide("Date", ambiguous, None, DAY_FIRST)
    assert (from_profile.order, from_setting.order) == (MONTH_FIRST, DAY_FIRST)
    assert "assumed" in from_profile.basis and "date_order" in from_profile.basis
    assert "assumed" in from_setting.basis and "QA_DATE_ORDER" in from_setting.basis


def test_real_date_cells_and_iso_text_need_no_order():
    decided = decide("Date", cells(dt.datetime(2023, 6, 14), "2023-06-14", 45000.0), DAY_FIRST, MONTH_FIRST)
    assert decided.order is None and "no order needed" in decided.describe()


def test_a_column_showing_both_orders_is_refused_naming_the_heading():
    with pytest.raises(DateOrderError) as refused:
        decide("When was the visit?", cells("14/06/2023", "6/14/2023"), None, DAY_FIRST)
    assert "'When was the visit?'" in str(refused.value) and "14/06/2023" in str(refused.value)


def test_a_column_contradicting_the_profile_is_refused():
    with pytest.raises(DateOrderError, match="date_order = 'day-first'"):
        decide("Date", cells("6/14/2023"), DAY_FIRST, DAY_FIRST)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), min_size=1, max_size=12),
    st.sampled_from([DAY_FIRST, MONTH_FIRST]),
    st.booleans(),
)
def test_dates_written_one_way_round_are_read_back_as_written(days, order, padded):
    def written(day: dt.date) -> str:
        first, second = (day.day, day.month) if order == DAY_FIRST else (day.month, day.day)
        return f"{first:02d}/{second:02d}/{day.year}" if padded else f"{first}/{second}/{day.year} 10:00"

    texts = [written(day) for day in days]
    decided = decide("Date", np.array(texts, dtype=object), None, DAY_FIRST)
    shown = any(day.day > 12 for day in days)  # only a day over 12 shows which part is the day
    assert decided.order == order if shown else "assumed" in decided.basis
    if shown or order == DAY_FIRST:
        read = n.date(pd.Series(texts, dtype=object), dt.date.max, decided.day_first)
        assert read.values.tolist() == days
