"""The findings' sentences, case by case: ties, n<5, no previous cycle, one cycle, 0 and 100%, rounding once."""

import datetime as dt

import pytest

from findings import words
from findings.build import make

DAY = dt.date(2026, 11, 23)
NOW, BEFORE = "2026/27 Q2", "2026/27 Q1"


def share(now, before, label=BEFORE):
    return make(
        "good_or_better",
        "Audits good or better",
        "share",
        now,
        before,
        DAY,
        label,
        lambda x: words.share_sentence(x, "graded audits", "were good or better", NOW),
    )


def count(now, before, label=BEFORE):
    return make(
        "audits_completed",
        "Audits completed",
        "count",
        (now, None),
        None if before is None else (before, None),
        DAY,
        label,
        lambda x: words.count_sentence(x, f"{words.counted(now, 'audit')} completed in {NOW}"),
    )


@pytest.mark.parametrize(
    ("now", "before", "label", "sentence", "short"),
    [
        # 5 of 9 against 6 of 10: 55.6% - 60% = -4.4 points.
        (
            (5, 9),
            (6, 10),
            BEFORE,
            f"56% of graded audits were good or better in {NOW}, down 4 points on {BEFORE}",
            "-4 points",
        ),
        # A tie reads "no change", never "up 0" or "down from 56%".
        (
            (5, 9),
            (10, 18),
            BEFORE,
            f"56% of graded audits were good or better in {NOW}, no change on {BEFORE}",
            "no change",
        ),
        # 0.4 points apart rounds to nothing: no change, though the two are not equal.
        (
            (50, 100),
            (248, 500),
            BEFORE,
            f"50% of graded audits were good or better in {NOW}, no change on {BEFORE}",
            "no change",
        ),
        # Rounded once, from unrounded figures: 14.4% against 15.6% is down 1, though 14% and 16% differ by 2.
        (
            (13, 90),
            (14, 90),
            BEFORE,
            f"14% of graded audits were good or better in {NOW}, down 1 point on {BEFORE}",
            "-1 point",
        ),
        # Half a point rounds away from zero either way: 52.5% against 52% is up 1 (banker's rounding gives 0).
        (
            (21, 40),
            (13, 25),
            BEFORE,
            f"52% of graded audits were good or better in {NOW}, up 1 point on {BEFORE}",
            "+1 point",
        ),
        (
            (20, 40),
            (13, 25),
            BEFORE,
            f"50% of graded audits were good or better in {NOW}, down 2 points on {BEFORE}",
            "-2 points",
        ),
        # 0% and 100%, both ways.
        (
            (0, 12),
            (12, 12),
            BEFORE,
            f"0% of graded audits were good or better in {NOW}, down 100 points on {BEFORE}",
            "-100 points",
        ),
        (
            (12, 12),
            (0, 12),
            BEFORE,
            f"100% of graded audits were good or better in {NOW}, up 100 points on {BEFORE}",
            "+100 points",
        ),
        (
            (7, 7),
            (9, 9),
            BEFORE,
            f"100% of graded audits were good or better in {NOW}, no change on {BEFORE}",
            "no change",
        ),
        # n<5 now: no percentage, no direction.
        ((1, 4), (3, 5), BEFORE, f"Too few graded audits in {NOW} to give a percentage (n<5)", None),
        ((0, 0), (3, 5), BEFORE, f"No graded audits in {NOW}", None),
        # 1 to 4 of a larger group: the share would give the count back, so neither is given, nor compared.
        ((4, 40), (10, 40), BEFORE, f"Fewer than 5 of 40 graded audits were good or better in {NOW} (n<5)", None),
        (
            (6, 40),
            (10, 40),
            BEFORE,
            f"15% of graded audits were good or better in {NOW}, down 10 points on {BEFORE}",
            "-10 points",
        ),
        (
            (0, 40),
            (10, 40),
            BEFORE,
            f"0% of graded audits were good or better in {NOW}, down 25 points on {BEFORE}",
            "-25 points",
        ),
        (
            (10, 40),
            (3, 40),
            BEFORE,
            f"25% of graded audits were good or better in {NOW}, too few in {BEFORE} to compare (n<5)",
            None,
        ),
        # n<5 before: the figure, and why it is not compared.
        (
            (5, 9),
            (1, 1),
            BEFORE,
            f"56% of graded audits were good or better in {NOW}, too few in {BEFORE} to compare (n<5)",
            None,
        ),
        (
            (5, 9),
            (0, 0),
            BEFORE,
            f"56% of graded audits were good or better in {NOW}, too few in {BEFORE} to compare (n<5)",
            None,
        ),
        # No previous cycle, or one cycle selected (nothing else to compare with): the figure alone.
        ((5, 9), None, None, f"56% of graded audits were good or better in {NOW}", None),
        ((9, 9), None, None, f"100% of graded audits were good or better in {NOW}", None),
    ],
)
def test_share_sentences(now, before, label, sentence, short):
    x = share(now, before, label)
    assert x.sentence == sentence
    assert words.signed_change(x) == short


@pytest.mark.parametrize(
    ("now", "before", "label", "sentence", "short"),
    [
        (13, 6, BEFORE, f"13 audits completed in {NOW}, up 7 on {BEFORE}", "+7"),
        (6, 13, BEFORE, f"6 audits completed in {NOW}, down 7 on {BEFORE}", "-7"),
        (6, 6, BEFORE, f"6 audits completed in {NOW}, no change on {BEFORE}", "no change"),
        (0, 0, BEFORE, f"0 audits completed in {NOW}, no change on {BEFORE}", "no change"),
        # A count of 1 to 4 is not given where it could leave the dashboard, nor compared, nor compared with.
        (1, None, None, f"Fewer than 5 audits completed in {NOW}", None),
        (3, 1, BEFORE, f"Fewer than 5 audits completed in {NOW}", None),
        (13, 4, BEFORE, f"13 audits completed in {NOW}, not compared with {BEFORE} (n<5)", None),
        (5, 0, BEFORE, f"5 audits completed in {NOW}, up 5 on {BEFORE}", "+5"),
    ],
)
def test_count_sentences(now, before, label, sentence, short):
    x = count(now, before, label)
    assert x.sentence == sentence
    assert words.signed_change(x) == short


def test_change_is_from_unrounded_values():
    x = share((13, 90), (14, 90))
    assert x.change == pytest.approx(13 / 90 - 14 / 90)
    assert (x.value, x.comparison, x.denominator, x.comparison_denominator) == (13 / 90, 14 / 90, 90, 90)


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (120, "120")])
def test_counts_of_one_to_four_are_not_given(n, text):
    assert words.count(n) == text


@pytest.mark.parametrize(("denominator", "small"), [(None, True), (0, True), (4, True), (5, False), (120, False)])
def test_small_is_fewer_than_five(denominator, small):
    assert words.is_small(denominator) is small


def test_dates_read_day_month_year():
    assert words.date_text(dt.date(2026, 12, 1)) == "1 December 2026"
