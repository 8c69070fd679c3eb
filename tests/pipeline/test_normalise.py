"""Normalisers: a parametrize table of raw cells and what they become, then hypothesis properties."""

import dataclasses
import datetime as dt
import math
import unicodedata
from functools import partial

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from data_pipeline import normalise as n
from data_pipeline import profiles, stage, vocab
from data_pipeline.fields import FIELDS
from data_pipeline.stage import Context

TODAY = dt.date(2026, 8, 1)
NAN = float("nan")


@dataclasses.dataclass(frozen=True)
class Err:
    """The cell is refused with a reason containing ``says``."""

    says: str


def one(normaliser, cell):
    result = normaliser(pd.Series([cell], dtype=object))
    return result.values.iloc[0], result.errors.iloc[0]


ofsted = partial(n.grade, scale="ofsted")
assurance = partial(n.grade, scale="assurance")
date = partial(n.date, today=TODAY)
us_date = partial(n.date, today=TODAY, day_first=False)
us_stamp = partial(n.timestamp, day_first=False)
D = dt.date
T = dt.datetime

TABLE = [
    # Ofsted grades
    (ofsted, "good ", "Good"),
    (ofsted, "GOOD", "Good"),
    (ofsted, "RI", "Requires improvement"),
    (ofsted, "Requires Improvement to be Good", "Requires improvement"),
    (ofsted, "requires improvement.", "Requires improvement"),
    (ofsted, "Exceeds good", "Outstanding"),
    (ofsted, "Outstanding", "Outstanding"),
    (ofsted, "inad", "Inadequate"),
    (ofsted, "Good-ish", Err("not on the Ofsted scale")),
    (ofsted, "High", Err("not on the Ofsted scale")),
    # assurance scale
    (assurance, "High", "High"),
    (assurance, " low assurance ", "Low"),
    (assurance, "MEDIUM", "Medium"),
    (assurance, "Good", Err("not on the Assurance scale")),
    # case types
    (n.case_type, "LAC", "Child in care"),
    (n.case_type, "CLA", "Child in care"),
    (n.case_type, "Children in Care", "Child in care"),
    (n.case_type, "looked-after child", "Child in care"),
    (n.case_type, "CIN", "Child in need"),
    (n.case_type, "CP", "Child protection"),
    (n.case_type, "Child Protection Plan", "Child protection"),
    (n.case_type, "EH", "Early Help"),
    (n.case_type, "care leavers", "Care leaver"),
    (n.case_type, "Adoption", Err("not a known case type")),
    # yes / no
    (n.yes_no, "Yes", True),
    (n.yes_no, " y ", True),
    (n.yes_no, "NO", False),
    (n.yes_no, "TRUE", True),
    (n.yes_no, True, True),
    (n.yes_no, False, False),
    (n.yes_no, "0", False),
    (n.yes_no, "maybe", Err("not a yes or no answer")),
    (n.yes_no, 1.0, True),
    # dates: typed answers are UK dd/mm/yyyy
    (date, "03/07/2026", D(2026, 7, 3)),
    (date, "07/03/2026", D(2026, 3, 7)),
    (date, "3/7/2026", D(2026, 7, 3)),
    (date, " 03/07/26 ", D(2026, 7, 3)),
    (date, "03.07.2026", D(2026, 7, 3)),
    (date, "2026-07-03", D(2026, 7, 3)),
    (date, "2026-07-03 00:00:00", D(2026, 7, 3)),
    (date, T(2026, 7, 3, 14, 30), D(2026, 7, 3)),
    (date, D(2026, 7, 3), D(2026, 7, 3)),
    (date, pd.Timestamp("2026-07-03"), D(2026, 7, 3)),
    (date, "01/08/2026", D(2026, 8, 1)),
    (date, "01/01/2000", D(2000, 1, 1)),
    (date, "31/02/2026", Err("not a real date")),
    (date, "13/13/2026", Err("not a real date")),
    (date, "02/08/2026", Err("in the future")),
    (date, T(2027, 1, 1), Err("in the future")),
    (date, "31/12/1999", Err("before 2000")),
    (date, "next Tuesday", Err("not a date like 31/01/2026")),
    (date, "2026/07/03", Err("not a date like")),
    # does the worker agree? Partly is an answer; "not discussed" is none
    (n.agrees, "Partly agree", "Partly"),
    (n.agrees, " AGREE ", "Yes"),
    (n.agrees, "Disagree", "No"),
    (n.agrees, "Not discussed", None),
    (n.agrees, "Maybe", Err("not a yes, partly or no answer")),
    (n.yes_no, "Partly", Err("a partial answer")),
    (n.yes_no, "N", False),
    # Forms' Completion time taken as a date: the time of day is dropped
    (date, "14/06/2023 10:02:33", D(2023, 6, 14)),
    (us_date, "6/14/2023 10:02 AM", D(2023, 6, 14)),
    (us_date, "8/3/2023", D(2023, 8, 3)),
    (date, "8/3/2023", D(2023, 3, 8)),
    (us_date, "14/06/2023", Err("not a real date")),
    (us_date, "someday", Err("not a date like 01/31/2026")),
    # Forms timestamps in the order the column was decided to be in (see test_dates.py)
    (us_stamp, "7/27/26 19:06:23", T(2026, 7, 27, 19, 6, 23)),
    (us_stamp, "7/27/2026 7:06 PM", T(2026, 7, 27, 19, 6)),
    (us_stamp, "7/27/26 12:00 am", T(2026, 7, 27, 0, 0)),
    (us_stamp, "3/7/26 9:00:00", T(2026, 3, 7, 9, 0)),
    (n.timestamp, "3/7/26 9:00:00", T(2026, 7, 3, 9, 0)),
    (n.timestamp, "27/7/26 19:06", T(2026, 7, 27, 19, 6)),
    (n.timestamp, "2026-07-27T19:06:23", T(2026, 7, 27, 19, 6, 23)),
    (n.timestamp, T(2026, 7, 27, 19, 6, 23), T(2026, 7, 27, 19, 6, 23)),
    (n.timestamp, D(2026, 7, 27), T(2026, 7, 27)),
    (n.timestamp, "2/30/26 10:00:00", Err("not a real date and time")),
    (n.timestamp, "teatime", Err("not a date and time")),
    # PLD cycles
    (n.cycle, "Q2 2025/26", "2025/26 Q2"),
    (n.cycle, "2025-26 Q2", "2025/26 Q2"),
    (n.cycle, "2025/2026 q2", "2025/26 Q2"),
    (n.cycle, " q2  25/26 ", "2025/26 Q2"),
    (n.cycle, "2025/26 Q2", "2025/26 Q2"),
    (n.cycle, "2025/27 Q1", Err("does not name a financial year")),
    (n.cycle, "2025/26", Err("not a cycle like")),
    (n.cycle, "Q5 2025/26", Err("not a cycle like")),
    (n.cycle, "Summer 2025", Err("not a cycle like")),
    (n.cycle, "1999/2000 Q4", "1999/00 Q4"),
    # multi-select
    (n.elements, "Strengths;Wellbeing;", ("strengths", "wellbeing")),
    (
        n.elements,
        "Training needs;Reflective discussion;Strengths discussed;",
        ("reflection", "strengths", "training_needs"),
    ),
    (n.elements, "Wellbeing;well-being;", ("wellbeing",)),
    (n.elements, " Areas for development ; ", ("development",)),
    (n.elements, "Strengths;Gossip;", Err("not a supervision element")),
    # agreement scale
    (n.agreement, "Strongly agree", 5),
    (n.agreement, "strongly disagree", 1),
    (n.agreement, "Not sure", 3),
    (n.agreement, "Neither agree nor disagree", 3),
    (n.agreement, "Agree", 4),
    (n.agreement, "4", 4),
    (n.agreement, 4, 4),
    (n.agreement, "Maybe", Err("not an agreement answer")),
    (n.agreement, "6", Err("not an agreement answer")),
    (n.agreement, 5.0, 5),
    # counts
    (n.count, "3", 3),
    (n.count, " 12 ", 12),
    (n.count, "3.0", 3),
    (n.count, 4.0, 4),
    (n.count, 0, 0),
    (n.count, "999", 999),
    (n.count, "-1", Err("between 0 and 999")),
    (n.count, "1.5", Err("between 0 and 999")),
    (n.count, "1000", Err("between 0 and 999")),
    (n.count, "lots", Err("not a number")),
    (n.count, "nan", Err("not")),
    (n.count, "inf", Err("not")),
    # free text and labels
    (n.text, "  Ask jo.bloggs@council.gov.uk today ", "Ask [email removed] today"),
    (n.text, "o'neil+qa@example.co.uk", "[email removed]"),
    (n.text, "Mum’s view – £20 a week\nfor travel", "Mum’s view – £20 a week\nfor travel"),
    (n.text, "no address @ here", "no address @ here"),
    (n.label, "  Children  in\ncare ", "Children in care"),
    # the other vocabularies
    (n.status, " complete ", "Completed"),
    (n.status, "IN PROGRESS", "Open"),
    (n.status, "no longer required", "Cancelled"),
    (n.status, "Paused", Err("not an action status")),
    (n.owner_role, "tm", "Team manager"),
    (n.owner_role, "HoS", "Head of service"),
    (n.owner_role, "Director", Err("not a known role")),
    (n.respondent, "Young person", "Child"),
    (n.respondent, "Foster carer", "Carer"),
    (n.category, "Worries", "Barriers"),
    (n.relationship, "Social worker supervised by team manager", "Practitioner by team manager"),
]


@pytest.mark.parametrize(("normaliser", "cell", "expected"), TABLE)
def test_normaliser_table(normaliser, cell, expected):
    value, error = one(normaliser, cell)
    if isinstance(expected, Err):
        assert value is None
        assert isinstance(error, str) and expected.says in error
    else:
        assert error is None
        assert value == expected and type(value) is type(expected)


def test_timestamp_with_offset_is_naive_or_refused():
    value, error = one(n.timestamp, "2026-07-27T19:06:23+01:00")
    assert error is not None or value.tzinfo is None


def test_a_month_first_timestamp_column_refuses_a_day_first_value():
    result = n.timestamp(pd.Series(["7/27/26 09:00:00", "27/7/26 09:00:00"], dtype=object), day_first=False)
    assert result.values.iloc[0] == T(2026, 7, 27, 9, 0)
    assert result.values.iloc[1] is None and "not a real date and time" in result.errors.iloc[1]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 31), "2025/26 Q4"),
        (D(2026, 4, 1), "2026/27 Q1"),
        (D(2026, 6, 30), "2026/27 Q1"),
        (D(2026, 7, 1), "2026/27 Q2"),
        (D(2026, 9, 30), "2026/27 Q2"),
        (D(2026, 10, 1), "2026/27 Q3"),
        (D(2025, 12, 31), "2025/26 Q3"),
        (D(2026, 1, 1), "2025/26 Q4"),
        (D(2099, 4, 1), "2099/00 Q1"),
    ],
)
def test_cycle_of_quarter_boundaries(day, expected):
    assert vocab.cycle_of(day) == expected


def test_values_keep_the_series_index():
    series = pd.Series(["Good", None, "bad"], index=[10, 11, 12], dtype=object)
    result = ofsted(series)
    assert list(result.values.index) == list(result.errors.index) == [10, 11, 12]


def test_a_cell_normalises_the_same_whatever_else_is_in_the_column():
    assert n.text(pd.Series([1, True], dtype=object)).values.tolist() == ["1", "True"]


# --- properties -----------------------------------------------------------------------------------

_AUDIT = next(p for p in profiles.load_all() if p.id == "case-audit-v1")
CONTEXT = Context(dataclasses.replace(_AUDIT, audit_prefix="CA1"), TODAY, bytes(32))
NAMES = sorted({spec.normaliser for kind in FIELDS.values() for spec in kind.values()} | {"grade", "ofsted_grade"})
ALL = {name: partial(CONTEXT.normalise, name) for name in NAMES} | {"assurance": assurance}

SPELLINGS = sorted(
    {
        key
        for table in (vocab.CASE_TYPE_SYNONYMS, vocab.YES_NO_SYNONYMS, vocab.STATUS_SYNONYMS, vocab.LIKERT_SYNONYMS)
        for key in table
    }
    | {"03/07/2026", "31/02/2026", "7/27/26 19:06:23", "27/7/26 09:00:00", "Q2 2025/26", "Strengths;Wellbeing;"}
)
BLANKS = [None, "", "   ", NAN, "\t\n", "\u00a0"]
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(SPELLINGS + BLANKS),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


def missing(value) -> bool:
    return value is None or (not isinstance(value, tuple) and pd.isna(value))


def check(name: str, series: pd.Series) -> n.Normalised:
    """Run one normaliser; any exception is a failure that names it."""
    try:
        result = ALL[name](series)
    except Exception as exc:
        raise AssertionError(f"{name} raised {exc!r} on {series.tolist()!r}") from exc
    assert list(result.values.index) == list(result.errors.index) == list(series.index), name
    for value, error in zip(result.values, result.errors, strict=True):
        assert missing(value) or missing(error), (name, value, error)
        assert missing(error) or (isinstance(error, str) and error.strip() and "\n" not in error), (name, error)
    return result


# No deadline: pandas work per example is slow on a loaded CI machine, and time is not what these test.
PROPERTY = settings(deadline=None)


# One test runs every normaliser on each drawn column: far quicker than one hypothesis run per normaliser.
@settings(deadline=None, max_examples=50)
@given(column=st.lists(cells, max_size=8))
@example(column=[1, True, 1.0, "1", "nan ", "  "])
def test_normalisers_never_raise_and_never_set_both(column):
    series = pd.Series(column, dtype=object)
    for name in ALL:
        if name != "count":
            check(name, series)


@PROPERTY
@given(column=st.lists(cells, max_size=8))
@example(column=["nan"])
def test_count_never_raises(column):
    check("count", pd.Series(column, dtype=object))


@settings(deadline=None, max_examples=30)  # six blank spellings: 30 lists cover them all
@given(column=st.lists(st.sampled_from(BLANKS), min_size=1, max_size=6))
def test_blank_cells_give_neither_value_nor_error(column):
    for name in ALL:
        result = check(name, pd.Series(column, dtype=object))
        assert all(missing(v) for v in result.values), name
        assert all(missing(e) for e in result.errors), name


@PROPERTY
@given(st.text())
@example("Requires Improvement — to be Good!")
@example("İstanbul ß ﬁ")
def test_fold_is_idempotent_and_plain(text):
    folded = vocab.fold(text)
    assert vocab.fold(folded) == folded
    assert folded == folded.strip() and "  " not in folded
    assert all(c == " " or c.isalnum() or unicodedata.category(c).startswith("M") for c in folded)


@PROPERTY
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
@example(D(2026, 3, 31))
@example(D(2026, 4, 1))
def test_cycle_of_renormalises_to_itself(day):
    label = vocab.cycle_of(day)
    value, error = one(n.cycle, label)
    assert error is None and value == label


def test_cycle_of_earliest_accepted_date_renormalises_to_itself():
    label = vocab.cycle_of(D(2000, 1, 1))
    assert one(n.cycle, label) == (label, None)


@PROPERTY
@given(st.lists(st.sampled_from(sorted(vocab.GRADE_SYNONYMS["ofsted"])), min_size=1, max_size=5), st.data())
def test_grade_spellings_survive_case_and_padding(spellings, data):
    messy = [
        data.draw(st.sampled_from([s, s.upper(), f"  {s.title()} ", s.replace(" ", "  ") + "."])) for s in spellings
    ]
    result = ofsted(pd.Series(messy, dtype=object))
    assert result.errors.isna().all()
    assert result.values.tolist() == [vocab.GRADE_SYNONYMS["ofsted"][s] for s in spellings]


def test_blank_helper():
    assert n.blank(NAN) and n.blank(None) and n.blank(" ") and not n.blank(0) and not n.blank(math.inf)


# --- column-wise paths agree with the per-value definitions -----------------------------------------

_DIGITS = st.one_of(st.integers(0, 40).map(str), st.integers(0, 40).map("{:02d}".format), st.sampled_from(["٣", "007"]))
_SPACE = st.sampled_from(["", " ", "\t", "\u00a0", "\n"])
STAMPS = st.builds(
    "{}{}/{}/{}{}{}:{}{}{}{}{}".format,
    _SPACE,
    _DIGITS,
    _DIGITS,
    st.sampled_from(["26", "2026", "99", "0000", "00", "123"]),
    st.sampled_from([" ", "  ", "", "\u00a0"]),
    _DIGITS,
    st.integers(0, 65).map("{:02d}".format),
    st.sampled_from(["", ":00", ":59", ":60", ":7"]),
    st.sampled_from(["", " "]),
    st.sampled_from(["", "am", "PM", "xm"]),
    _SPACE,
)


@settings(deadline=None, max_examples=300)
@given(st.lists(st.one_of(STAMPS, STAMPS, st.datetimes(), st.none(), st.text(max_size=8)), max_size=10))
@example(["7/27/26 19:06:23", "27/7/26 09:00:00", "2/30/26 10:00:00", "7/1/26 12:00 am"])
def test_timestamps_parsed_column_wise_match_the_per_value_parse(column):
    for day_first in (True, False):
        check_column_wise(column, day_first)


def check_column_wise(column, day_first):
    result = n.timestamp(pd.Series(column, dtype=object), day_first)
    for cell, value, error in zip(column, result.values, result.errors, strict=True):
        if n.blank(cell):
            assert value is None and error is None
            continue
        try:
            expected, reason = n._as_timestamp(cell, day_first), None
        except n.Bad as why:
            expected, reason = None, str(why)
        assert (value, error) == (expected, reason), cell


@settings(deadline=None, max_examples=200)
@given(st.lists(st.one_of(st.text(max_size=12), st.floats(), st.integers(), st.booleans(), st.none()), max_size=10))
@example(["  Sam  O'Brien ", "İstanbul", "ß", "\ud800", 100201.0, 1e30, -0.0])
def test_folds_and_id_texts_match_their_one_value_forms(cells):
    texts = [n.cell_text(cell) for cell in cells]
    assert list(n.folds(texts)) == [vocab.fold(text) for text in texts]
    assert list(n.id_texts(n._objects(cells))) == [n.id_text(cell) for cell in cells]


def test_label_gives_each_spelling_the_most_common_then_the_first_seen():
    column = pd.Series(["Team B", "team a", "TEAM A", "Team A", "team b", "Team A", None, "TEAM A"], dtype=object)
    expected = ["Team B", "TEAM A", "TEAM A", "TEAM A", "Team B", "TEAM A", None, "TEAM A"]
    assert n.label(column).values.tolist() == expected


# --- the content hash ---------------------------------------------------------------------------------

HASHED = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["Good", " good", "GOOD", "1", "True"]),
    st.integers(-3, 3),
    st.booleans(),
    st.floats(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.datetimes().map(lambda d: d.replace(microsecond=0)),
    st.tuples(st.sampled_from(["strengths", "wellbeing"])),
)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(HASHED, HASHED, HASHED), min_size=1, max_size=6))
def test_content_hash_is_pandas_hash_of_the_values_as_text(rows):
    raw = pd.DataFrame(rows, columns=["b", "a", "c"], dtype=object)
    results = {name: n.label(raw[name]) if name == "a" else n.by_value(raw[name], lambda c: c) for name in raw}
    values = pd.DataFrame({name: result.values for name, result in results.items()})[["a", "b", "c"]]
    expected = pd.util.hash_pandas_object(values.astype(str), index=False).map("{:016x}".format)
    assert stage.content_hash(results, raw.index).tolist() == expected.tolist()
