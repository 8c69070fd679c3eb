"""The headline findings on the hand-built warehouse of tests/read/sample.py (counts worked out from its rows)."""

import datetime as dt

import pytest

from findings import headline
from findings.headline import KEYS
from qa_read.filters import Filters, Scope
from tests.read.sample import Q1, Q2, Q4, TODAY


def found(wh, f=None, today=TODAY):
    return {x.key: x for x in headline.headline(wh, f or Filters(), today)}


def test_latest_against_previous(wh):
    by_key = found(wh)
    assert tuple(by_key) == KEYS
    assert {x.comparison_label for k, x in by_key.items() if k != "overdue_actions"} == {Q1}
    assert {(k, x.numerator, x.denominator) for k, x in by_key.items()} == {
        ("audits_completed", 13, None),
        ("good_or_better", 5, 9),
        ("inadequate", 2, 9),
        ("open_escalations", 2, 3),
        ("overdue_actions", 2, 5),
        ("supervision_held", 12, 16),
        ("child_voice", 3, 13),
    }
    # The previous cycle: 6 audits, 3 of 5 good or better, 1 of 5 inadequate, 0 of 1 escalation waiting,
    # 2 of 4 actions overdue at 30 June, 6 of 8 sessions held, 1 of 6 audits voiced.
    assert by_key["good_or_better"].comparison == pytest.approx(3 / 5)
    assert by_key["good_or_better"].comparison_denominator == 5
    assert by_key["inadequate"].comparison == pytest.approx(1 / 5)
    assert (by_key["open_escalations"].comparison, by_key["open_escalations"].comparison_denominator) == (0, 1)
    assert (by_key["overdue_actions"].comparison, by_key["overdue_actions"].comparison_denominator) == (2, 4)
    assert by_key["overdue_actions"].comparison_label == "30 June 2025"
    assert by_key["supervision_held"].comparison == pytest.approx(6 / 8)
    assert by_key["child_voice"].comparison == pytest.approx(1 / 6)
    # 3 of 5 before gives back a count of 3: not compared. 13 audits against 6: compared.
    assert (by_key["good_or_better"].comparison_small, by_key["good_or_better"].change) == (True, None)
    assert by_key["audits_completed"].change == 7
    assert {x.as_at for x in by_key.values()} == {TODAY}


def test_overdue_depends_on_the_day(wh):
    # X6 falls due on 15 September: not overdue that day, overdue the next.
    assert found(wh, today=TODAY)["overdue_actions"].numerator == 2
    assert found(wh, today=TODAY + dt.timedelta(days=1))["overdue_actions"].numerator == 3
    # X5 fell due on 14 September.
    assert found(wh, today=dt.date(2025, 9, 14))["overdue_actions"].numerator == 1


def test_after_the_latest_cycle_ends_figures_are_as_at_its_last_day(wh):
    # 1 November: as at 30 September. Open then X1, X2, X5, X6, X7; overdue X1, X5, X6 (X2 falls due that day).
    x = found(wh, today=dt.date(2025, 11, 1))["overdue_actions"]
    assert x.as_at == dt.date(2025, 9, 30)
    assert (x.numerator, x.denominator, x.comparison, x.comparison_denominator) == (3, 5, 2, 4)
    # 3 overdue is a count of 1 to 4: written "fewer than 5", and not compared.
    assert x.sentence == "Fewer than 5 of 5 open actions overdue at 30 September 2025"


def test_the_start_of_the_range_changes_no_headline(wh):
    assert found(wh, Filters(cycle_from=Q2)) == found(wh)
    assert found(wh, Filters(cycle_from=Q2, cycle_to=Q2)) == found(wh)


def test_the_end_of_the_range_picks_the_cycle(wh):
    by_key = found(wh, Filters(cycle_to=Q1))
    assert by_key["good_or_better"].comparison_label == Q4
    # As at the end of each cycle: 30 June and 31 March 2025.
    x = by_key["overdue_actions"]
    assert (x.as_at, x.numerator, x.denominator, x.comparison, x.comparison_denominator) == (
        dt.date(2025, 6, 30),
        2,
        4,
        0,
        0,
    )


def test_a_team_filter_restricts_every_measure(wh):
    assert {(k, x.numerator, x.denominator) for k, x in found(wh, Filters(teams=("N1",))).items()} == {
        ("audits_completed", 5, None),
        ("good_or_better", 3, 4),
        ("inadequate", 0, 4),
        ("open_escalations", 0, 0),
        ("overdue_actions", 1, 2),
        ("supervision_held", 7, 8),
        ("child_voice", 2, 5),
    }


def test_small_numbers_are_flagged_and_never_compared(wh):
    x = found(wh, Filters(teams=("N2",)))["good_or_better"]
    assert (x.numerator, x.denominator, x.small, x.change) == (1, 3, True, None)
    assert "up" not in x.sentence and "down" not in x.sentence and "%" not in x.sentence
    # N2 completed 4 audits: a count of 1 to 4, small too, and written "fewer than 5".
    done = found(wh, Filters(teams=("N2",)))["audits_completed"]
    assert (done.numerator, done.small, done.change) == (4, True, None)
    assert done.sentence.startswith("Fewer than 5 audits completed")


def test_nothing_in_view_gives_no_findings(wh):
    assert headline.headline(wh, Filters(teams=("S1",), scope=Scope(teams=("N1",))), TODAY) == ()


def test_the_trend_compares_with_the_first_cycle_of_the_range(wh):
    # 2024/25 Q4 rests on one graded audit: named, never compared.
    x = headline.grade_trend(wh, Filters(), TODAY)
    assert (x.comparison_label, x.comparison_denominator, x.change) == (Q4, 1, None)
    assert (
        x.sentence == "56% of graded audits were good or better in 2025/26 Q2, too few in 2024/25 Q4 to compare (n<5)"
    )
    one = headline.grade_trend(wh, Filters(cycle_from=Q2, cycle_to=Q2), TODAY)
    assert one.comparison_label is None and one.change is None
    assert (one.numerator, one.denominator) == (5, 9)


def test_supervision_is_small_on_its_reviews_not_its_sessions(wh):
    # 2025/26 Q2: S01-S04 give both counts (S05 has none expected): 12 of 16 sessions held, but on 4 reviews.
    x = found(wh)["supervision_held"]
    assert (x.numerator, x.denominator, x.small, x.change) == (12, 16, True, None)
    assert x.sentence == "Too few supervision reviews in 2025/26 Q2 to give a percentage (n<5)"
    # 2025/26 Q1: S06 and S07, 6 of 8 sessions on 2 reviews: small too, so never compared.
    assert (x.comparison_denominator, x.comparison_small) == (8, True)


def test_the_supervision_trend_compares_with_the_first_cycle_with_reviews(wh):
    # Q2 (4 reviews) against Q1 (2 reviews): both under five, so stated as too few and never compared.
    x = headline.supervision_trend(wh, Filters(), TODAY)
    assert (x.numerator, x.denominator, x.comparison_label, x.change) == (12, 16, Q1, None)
    assert headline.supervision_trend(wh, Filters(cycle_from=Q2), TODAY).comparison_label is None
