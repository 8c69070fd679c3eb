"""Audit coverage against team rosters or configured sizes, and the spread of auditing, on a hand-built warehouse."""

import duckdb
import pandas as pd
import pytest

from qa_read import coverage
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from qa_read.stats import wilson_interval
from tests.read.sample import create_schema, reader

Q1, Q2 = "2025/26 Q1", "2025/26 Q2"  # end 30 June and 30 September 2025
SIZES = (("T3", 4), ("T4", 1))

# person_key, as_at, team, service_area, role
ROSTER = [
    ("W1", "2025-04-01", "T1", "North", "Practitioner"),
    ("W2", "2025-04-01", "T1", "North", "Senior practitioner"),
    ("W3", "2025-04-01", "T1", "North", None),
    ("M1", "2025-04-01", "T1", "North", "Team manager"),
    ("W4", "2025-04-01", "T2", "North", "Practitioner"),
    ("W5", "2025-04-01", "T2", "North", "Practitioner"),
    # T1 again in August, with a newcomer and a deputy manager (not counted).
    ("W1", "2025-08-01", "T1", "North", "Practitioner"),
    ("W2", "2025-08-01", "T1", "North", "Senior practitioner"),
    ("W3", "2025-08-01", "T1", "North", "Practitioner"),
    ("W6", "2025-08-01", "T1", "North", "Practitioner"),
    ("M1", "2025-08-01", "T1", "North", "Team Manager"),
    ("M2", "2025-08-01", "T1", "North", "Deputy team manager"),
    # T2's next roster is dated after Q2 ends, so Q2 still uses April's.
    ("W4", "2025-10-15", "T2", "North", "Practitioner"),
    ("W5", "2025-10-15", "T2", "North", "Practitioner"),
    ("W9", "2025-10-15", "T2", "North", "Practitioner"),
]
# audit_id, cycle, service_area, team, worker_key, auditor_key
AUDITS = [
    ("c1", Q1, "North", "T1", "W1", "A1"),
    ("c2", Q1, "North", "T1", "W1", "A1"),
    ("c3", Q1, "North", "T1", "W2", "A1"),
    ("c4", Q1, "North", "T1", "X9", None),  # an agency worker not on the roster
    ("c5", Q1, "North", "T2", "W4", "A3"),
    ("c6", Q1, "South", "T3", "W7", "A1"),
    ("c7", Q1, "South", "T3", "W8", "A2"),
    ("c8", Q1, "South", "T4", "W10", "A2"),
    ("c9", Q1, "South", "T4", "W11", None),
    ("c10", Q1, "South", "T5", "W12", None),
    ("d1", Q2, "North", "T1", "W6", "A1"),
    ("d2", Q2, "North", "T1", "W3", None),
    ("d3", Q2, "South", "T3", "W7", None),
]


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.executemany(
        "INSERT INTO team_roster VALUES (? || ' ' || ?, ?, ?, ?, ?, ?, 'roster.csv', 2, 'h')",
        [(person, as_at, person, as_at, *rest) for person, as_at, *rest in ROSTER],
    )
    con.executemany(
        "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, team,"
        " worker_key, auditor_key, source_file, source_row, content_hash)"
        " VALUES (?, 'form', 'Collaborative case audit', 'Ofsted', ?, '2025-06-01', ?, ?, ?, ?, 'a.xlsx', 2, 'h')",
        AUDITS,
    )
    return reader(con)


def table(wh, f=None, sizes=SIZES) -> pd.DataFrame:
    return coverage.coverage(wh, f or Filters(), sizes).set_index(["cycle", "team"])


def test_roster_headcount_and_covered_workers(wh):
    cov = table(wh)
    columns = ["size_source", "n", "audited", "k", "not_on_roster"]
    # April's roster: three practitioners (the manager left out); W1 twice counts once; X9 is not on it.
    assert cov.loc[(Q1, "T1"), columns].tolist() == ["Roster", 3, 3, 2, 1]
    assert str(cov.loc[(Q1, "T1"), "roster_as_at"].date()) == "2025-04-01"
    assert cov.loc[(Q1, "T2"), columns].tolist() == ["Roster", 2, 1, 1, 0]
    # August's roster for Q2: four practitioners (both managers left out).
    assert cov.loc[(Q2, "T1"), columns].tolist() == ["Roster", 4, 2, 2, 0]
    # No audit in Q2, still a row; the October roster is too late for Q2.
    assert cov.loc[(Q2, "T2"), columns].tolist() == ["Roster", 2, 0, 0, 0]
    assert cov.loc[(Q1, "T1"), "service_area"] == "North"


def test_share_has_a_wilson_interval_and_small_number_flag(wh):
    row = table(wh).loc[(Q1, "T1")]
    assert row["share"] == pytest.approx(2 / 3)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson_interval(2, 3))
    assert row["small_n"]


def test_configured_sizes_where_no_roster(wh):
    cov = table(wh)
    columns = ["size_source", "n", "audited", "k"]
    assert cov.loc[(Q1, "T3"), columns].tolist() == ["Configured", 4, 2, 2]
    assert cov.loc[(Q2, "T3"), columns].tolist() == ["Configured", 4, 1, 1]
    # More audited than the configured headcount: covered is capped at it.
    assert cov.loc[(Q1, "T4"), columns].tolist() == ["Configured", 1, 2, 1]
    assert cov.loc[(Q2, "T4"), columns].tolist() == ["Configured", 1, 0, 0]
    assert cov.loc[(Q1, "T3"), "service_area"] == "South"


def test_unknown_size_gives_counts_only(wh):
    cov = table(wh)
    row = cov.loc[(Q1, "T5")]
    assert pd.isna(row["size_source"]) and pd.isna(row["n"]) and pd.isna(row["k"]) and pd.isna(row["share"])
    assert row["audited"] == 1
    assert (Q2, "T5") not in cov.index
    without = table(wh, sizes=())
    assert pd.isna(without.loc[(Q1, "T3"), "n"]) and (Q2, "T4") not in without.index


def test_filters_and_scope(wh):
    south = table(wh, Filters(service_areas=("South",)))
    assert set(south.index.get_level_values("team")) == {"T3", "T4", "T5"}
    mine = table(wh, Filters(scope=Scope(teams=("T1",))))
    assert set(mine.index.get_level_values("team")) == {"T1"}
    assert mine.loc[(Q1, "T1"), "n"] == 3
    assert table(wh, Filters(service_areas=("North",), scope=Scope(service_areas=("South",)))).empty
    assert coverage.auditor_spread(wh, Filters(scope=Scope(service_areas=("West",)))).empty


def test_auditor_spread(wh):
    spread = coverage.auditor_spread(wh, Filters())
    assert spread.values.tolist() == [
        ["A1", "North", 4, 5, 2, 1],
        ["A1", "South", 1, 5, 2, 1],
        ["A2", "South", 2, 2, 1, 2],
        ["A3", "North", 1, 1, 1, 3],
    ]


def test_auditor_summary(wh):
    row = coverage.auditor_summary(wh, Filters()).iloc[0]
    assert row.tolist() == [13, 5, 3, 1, 5, 1]
    south = coverage.auditor_summary(wh, Filters(service_areas=("South",))).iloc[0]
    assert south[["audits", "auditors", "half_by", "busiest", "across_areas"]].tolist() == [6, 2, 1, 2, 0]


def test_team_sizes_file(tmp_path):
    path = tmp_path / "teams.toml"
    path.write_text('"Team B" = 6\n"Team A" = 4\n', encoding="utf-8")
    assert coverage.team_sizes(path) == (("Team A", 4), ("Team B", 6))
    assert coverage.team_sizes("") == () and coverage.team_sizes(None) == ()
    path.write_text('"Team A" = "four"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="whole-number headcount"):
        coverage.team_sizes(path)
    with pytest.raises(ValueError, match="cannot read"):
        coverage.team_sizes(tmp_path / "missing.toml")
