import datetime as dt

import pytest

from qa_read.filters import Filters, Scope
from qa_read.overview import MEASURES, overview
from tests.read.sample import Q1, Q2, Q4, TODAY


def measures(wh, f=None, today=TODAY):
    return overview(wh, f or Filters(), today).set_index("measure")


def pairs(df, columns):
    """{measure: (numerator, denominator)} with NaN shown as None, so whole dicts compare exactly."""
    return {key: tuple(None if v != v else v for v in df.loc[key, columns]) for key in df.index}


def test_latest_against_previous(wh):
    df = measures(wh)
    assert list(df.index) == [key for key, _, _ in MEASURES]
    assert set(df["cycle"]) == {Q2} and set(df["previous_cycle"]) == {Q1}
    assert pairs(df, ["numerator", "denominator"]) == {
        "audits_completed": (13, None),
        "good_or_better": (5, 9),
        "inadequate": (2, 9),
        "open_escalations": (2, 3),
        "overdue_actions": (2, 5),
        "supervision_held": (12, 16),
        "child_voice": (3, 13),
    }
    assert pairs(df, ["previous_numerator", "previous_denominator"]) == {
        "audits_completed": (6, None),
        "good_or_better": (3, 5),
        "inadequate": (1, 5),
        "open_escalations": (0, 1),
        "overdue_actions": (2, 4),
        "supervision_held": (6, 8),
        "child_voice": (1, 6),
    }
    assert df.loc["good_or_better", "change"] == pytest.approx(5 / 9 - 3 / 5)
    assert df.loc["audits_completed", "change"] == 7


def test_overdue_depends_on_today(wh):
    # X6 falls due on 15 September: not overdue that day, overdue the next.
    assert measures(wh, today=TODAY).loc["overdue_actions", "numerator"] == 2
    assert measures(wh, today=TODAY + dt.timedelta(days=1)).loc["overdue_actions", "numerator"] == 3
    # X5 fell due on 14 September.
    assert measures(wh, today=dt.date(2025, 9, 14)).loc["overdue_actions", "numerator"] == 1


def test_overdue_is_as_at_today_even_after_the_latest_cycle_ended(wh):
    # 1 November: X2 (due 30 September) is now overdue too; open X1, X2, X5, X6, X7.
    row = measures(wh, today=dt.date(2025, 11, 1)).loc["overdue_actions"]
    assert row[["numerator", "denominator"]].tolist() == [4, 5]
    assert row[["previous_numerator", "previous_denominator"]].tolist() == [2, 4]


def test_a_team_filter_restricts_every_measure(wh):
    df = measures(wh, Filters(teams=("N1",)))
    assert pairs(df, ["numerator", "denominator"]) == {
        "audits_completed": (5, None),
        "good_or_better": (3, 4),
        "inadequate": (0, 4),
        "open_escalations": (0, 0),
        "overdue_actions": (1, 2),
        "supervision_held": (7, 8),
        "child_voice": (2, 5),
    }


def test_small_numbers_are_flagged(wh):
    df = measures(wh, Filters(teams=("N2",)))
    assert df.loc["good_or_better", ["numerator", "denominator"]].tolist() == [1, 3]
    assert df.loc["good_or_better", "small_n"]
    assert df.loc["good_or_better", "previous_small_n"]
    assert not df.loc["audits_completed", "small_n"]


def test_cycle_range_sets_latest_but_not_previous(wh):
    df = measures(wh, Filters(cycle_from=Q2))
    assert set(df["previous_cycle"]) == {Q1}
    assert df.loc["good_or_better", "previous_value"] == pytest.approx(3 / 5)
    df = measures(wh, Filters(cycle_to=Q1))
    assert set(df["cycle"]) == {Q1} and set(df["previous_cycle"]) == {Q4}
    # Looking back, overdue actions are counted as at the end of each cycle: 30 June and 31 March 2025.
    assert df.loc["overdue_actions", ["numerator", "denominator"]].tolist() == [2, 4]
    assert df.loc["overdue_actions", ["previous_numerator", "previous_denominator"]].tolist() == [0, 0]


def test_nothing_in_view_gives_empty_measures(wh):
    df = measures(wh, Filters(teams=("S1",), scope=Scope(teams=("N1",))))
    assert df["cycle"].isna().all()
    assert df["value"].isna().all()
