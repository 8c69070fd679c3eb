"""The domain's words are stated once in data_pipeline.vocab; the two places SQL must spell them itself (the
grade_scale rows of the schema, the raised cycle of the action_facts mart) are held to it here."""

import datetime as dt

import duckdb
import pytest

from data_pipeline import marts, vocab
from data_pipeline.warehouse import SCHEMA


def test_the_schema_grade_scale_is_the_vocabulary():
    con = duckdb.connect(":memory:")
    con.execute(SCHEMA.read_text())
    rows = con.execute("SELECT scale, grade, rank, good_or_better FROM grade_scale ORDER BY scale, rank").fetchall()
    expected = [
        (scale, grade, rank, grade in vocab.GOOD_GRADES[scale])
        for scale in sorted(vocab.SCALE_ORDER)
        for rank, grade in enumerate(vocab.SCALE_ORDER[scale], start=1)
    ]
    assert rows == expected
    assert set(vocab.GOOD_LABEL) == set(vocab.SCALE_ORDER)


def test_the_action_mart_raises_actions_in_the_vocabulary_cycle():
    con = duckdb.connect(":memory:")
    con.execute(SCHEMA.read_text())
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=d) for d in range(0, 4 * 366, 5)]
    days += [dt.date(2025, 3, 31), dt.date(2025, 4, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)]
    con.executemany(
        "INSERT INTO actions (action_id, service_area, raised_date, status, source_file, source_row, content_hash)"
        " VALUES (?, 'North', ?, 'Open', 'f', 1, 'h')",
        [(f"X{i}", day) for i, day in enumerate(days)],
    )
    con.execute((marts.FOLDER / "action_facts.sql").read_text())
    got = dict(con.execute("SELECT raised_date, raised_cycle FROM action_facts").fetchall())
    assert got == {day: vocab.cycle_of(day) for day in days}


@pytest.mark.parametrize(
    ("day", "cycle", "first", "last"),
    [
        (dt.date(2026, 4, 1), "2026/27 Q1", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 12, 31), "2026/27 Q3", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 3, 31), "2026/27 Q4", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(1999, 4, 30), "1999/00 Q1", dt.date(1999, 4, 1), dt.date(1999, 6, 30)),
    ],
)
def test_quarter_arithmetic(day, cycle, first, last):
    assert vocab.cycle_of(day) == cycle
    assert vocab.cycle_bounds(cycle) == (first, last)
