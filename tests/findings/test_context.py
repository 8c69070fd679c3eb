"""How a published figure in context is said: a parametrize table of the cases (withheld, no neighbours, ties,
rounding at the half), with no database."""

import datetime as dt

import pytest

from findings.context import Context, direction, number, ordinal, sentence, sources, summary
from findings.model import Finding
from qa_read.benchmarks import BY_KEY

TURNOVER = BY_KEY["turnover_rate_fte"]
LOOKED_AFTER = BY_KEY["rate_per_10000: Children looked after on 31 March each year"]
SEPTEMBER = dt.date(2025, 9, 30)


def made(value, median, measure=TURNOVER, rank=4, england=11.8, low=7.0, high=18.3, missing=None) -> Context:
    finding = Finding(
        key=f"context.{measure.key}",
        label=measure.label,
        unit="rate",
        value=value,
        numerator=None,
        denominator=None,
        as_at=SEPTEMBER,
        comparison=median,
        comparison_label="statistical neighbours' median 2025",
        change=None if value is None or median is None else value - median,
        small=False,
        sentence="",
    )
    return Context(
        finding=finding,
        measure=measure,
        council="Portsmouth",
        period="2025",
        england=england,
        neighbours_low=low if median is not None else None,
        neighbours_high=high if median is not None else None,
        neighbours_reporting=10 if median is not None else 0,
        rank=rank if value is not None else None,
        ranked_of=11 if value is not None else None,
        missing_because=missing,
        source="DfE, Children's social work workforce 2025",
    )


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (
            made(13.4, 10.45),
            "Portsmouth: 13.4% at 30 September 2025; its statistical neighbours' median 10.5% (7.0 to 18.3%), "
            "England 11.8%; 4th highest of 11.",
        ),
        (
            made(None, 12.9, missing="x: not available"),
            "Portsmouth: not published at 30 September 2025 (x: not available); its statistical neighbours' "
            "median 12.9% (7.0 to 18.3%), England 11.8%.",
        ),
        (
            made(13.4, None, rank=1),
            "Portsmouth: 13.4% at 30 September 2025; no figures for its statistical neighbours, England 11.8%; "
            "the highest of 11.",
        ),
        (
            made(93, 88.5, LOOKED_AFTER, rank=11, england=67, low=54, high=124),
            "Portsmouth: 93 at 30 September 2025; its statistical neighbours' median 89 (54 to 124), England 67; "
            "11th highest of 11.",
        ),
    ],
    ids=["compared", "withheld", "no-neighbours", "whole-numbers-half-up"],
)
def test_sentence(context, expected):
    assert sentence(context) == expected


@pytest.mark.parametrize(
    ("value", "shown"), [(None, "–"), (10.45, "10.5%"), (10.449, "10.4%"), (0, "0.0%"), (float("nan"), "–")]
)
def test_number_rounds_halves_up_once(value, shown):
    assert number(value, TURNOVER) == shown


@pytest.mark.parametrize(("n", "word"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th")])
def test_ordinal(n, word):
    assert ordinal(n) == word


@pytest.mark.parametrize(
    ("value", "median", "expected"),
    [(21.4, 21.35, 0), (21.45, 21.35, 1), (21.3, 21.35, -1), (21.36, 21.35, 0), (None, 21.35, None)],
    ids=["median-shown-21.4", "above", "below", "both-shown-21.4", "withheld"],
)
def test_direction_follows_what_is_shown(value, median, expected):
    # the median 21.35 is shown as 21.4% (half up): 21.4 reads level with it, 21.3 below, 21.5 above
    assert direction(made(value, median)) == expected


def test_summary_counts_above_level_and_below():
    latest = [made(13.4, 10.45), made(21.4, 21.35), made(8, 10), made(None, 12.9, missing="x: not available")]
    assert summary(latest) == (
        "Portsmouth: above its statistical neighbours' median on 1 of 3 published measures, level on 1, below on 1"
    )
    assert summary([made(8, 10)]) == (
        "Portsmouth: above its statistical neighbours' median on 0 of 1 published measures, below on 1"
    )
    assert summary([]) == "No published figures for the council"


def test_sources_name_each_publication_once_with_its_years():
    assert sources([made(13.4, 10.45), made(8, 10)]) == "Source: DfE, Children's social work workforce: 2025"
