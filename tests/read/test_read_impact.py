"""Grades before and after each PLD, and re-audited children, on a hand-built warehouse."""

import math

import duckdb
import pandas as pd
import pytest

from qa_read import impact
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from qa_read.stats import wilson_interval
from tests.read.sample import create_schema, reader

P4, Q1, Q2, Q3, Q4, N1 = "2024/25 Q4", "2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4", "2026/27 Q1"
RI, VOICE, PLANNING = "Requires improvement", "Voice of the child", "Planning and review"

# service_area, cycle, theme, held_date
PLDS = [
    ("North", Q2, "Voice of the Child", "2025-09-10"),  # matched by name, whatever the capitals
    ("North", Q3, "Pathway planning", "2025-12-10"),  # matched by the default mapping
    ("North", Q4, "Something else", "2026-03-10"),  # matched by nothing
    ("North", Q1, None, "2025-06-10"),  # no theme: not compared
    ("South", Q2, VOICE, None),  # not held: not compared
    ("East", Q2, VOICE, "2025-09-12"),  # held, but East has no audits
]
# audit_id, cycle, service_area, scale, {practice area: grade}
GRADED = [
    ("g00", P4, "North", "Ofsted", {VOICE: "Good"}),  # before the window
    ("g01", Q1, "North", "Ofsted", {VOICE: RI}),
    ("g02", Q1, "North", "Ofsted", {VOICE: "Good"}),
    ("g03", Q2, "North", "Ofsted", {VOICE: "Inadequate", PLANNING: "Good"}),
    ("g04", Q2, "North", "Ofsted", {VOICE: RI}),
    ("g05", Q3, "North", "Ofsted", {VOICE: "Good", PLANNING: RI}),
    ("g06", Q3, "North", "Ofsted", {VOICE: "Outstanding"}),
    ("g07", Q3, "North", "Ofsted", {VOICE: RI}),
    ("g08", Q4, "North", "Ofsted", {VOICE: "Good", PLANNING: "Good"}),
    ("g09", Q4, "North", "Ofsted", {VOICE: "Good"}),
    ("g10", N1, "North", "Ofsted", {VOICE: "Good", PLANNING: "Good"}),  # after the Q2 window
    ("g11", Q1, "South", "Ofsted", {VOICE: "Good"}),  # another service area
    ("g12", Q1, "South", "Ofsted", {VOICE: "Good"}),
    ("g13", Q1, "North", "Assurance", {VOICE: "High"}),  # another scale
]
# audit_id, cycle, audit_date, service_area, child_key, overall_grade
REAUDITS = [
    ("r1", Q1, "2025-05-01", "North", "C1", RI),
    ("r2", Q3, "2025-11-01", "North", "C1", "Good"),  # improved
    ("r3", Q1, "2025-05-02", "North", "C2", "Good"),
    ("r4", Q2, "2025-08-02", "North", "C2", "Good"),  # same
    ("r5", Q2, "2025-08-03", "South", "C3", "Good"),
    ("r6", Q3, "2025-11-03", "South", "C3", "Inadequate"),
    ("r7", Q4, "2026-02-03", "South", "C3", RI),  # worse than the first, whatever came between
    ("r8", Q1, "2025-05-04", "North", "C4", "Good"),  # audited once
    ("r9", Q1, "2025-05-05", "North", "C5", RI),
    ("r10", Q1, "2025-06-05", "North", "C5", "Good"),  # twice, but in one cycle
    ("r11", Q1, "2025-05-06", "North", "C6", "Good"),
    ("r12", Q2, "2025-08-06", "North", "C6", None),  # the later audit has no overall grade
]


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.executemany(
        "INSERT INTO pld_events (pld_id, service_area, cycle, theme, held_date, source_file, source_row,"
        " content_hash) VALUES ('PLD-' || ? || ' ' || ?, ?, ?, ?, ?, 'pld.csv', 2, 'h')",
        [(area, cycle, area, cycle, theme, held) for area, cycle, theme, held in PLDS],
    )
    insert = (
        "INSERT INTO audits (audit_id, form_id, instrument, scale, cycle, audit_date, service_area, child_key,"
        " overall_grade, source_file, source_row, content_hash)"
        " VALUES (?, 'form', 'Collaborative case audit', ?, ?, ?, ?, ?, ?, 'a.xlsx', 2, 'h')"
    )
    con.executemany(insert, [(a, scale, cycle, "2025-06-01", area, None, None) for a, cycle, area, scale, _ in GRADED])
    con.executemany(
        "INSERT INTO audit_grades VALUES (?, ?, ?)",
        [(a, area, grade) for a, *_, grades in GRADED for area, grade in grades.items()],
    )
    con.executemany(
        insert, [(a, "Ofsted", cycle, day, area, child, grade) for a, cycle, day, area, child, grade in REAUDITS]
    )
    return reader(con)


def periods(frame: pd.DataFrame, pld_id: str) -> dict:
    rows = frame[frame["pld_id"] == pld_id].set_index("period")
    return {p: (rows.loc[p, "n"], rows.loc[p, "k"]) for p in ("Before", "After")}


def test_themes_match_areas_by_name_then_mapping(wh):
    themes = impact.theme_practice_areas(wh, Filters()).set_index("pld_id")
    assert sorted(themes.index) == [
        "PLD-East 2025/26 Q2",
        "PLD-North 2025/26 Q2",
        "PLD-North 2025/26 Q3",
        "PLD-North 2025/26 Q4",
    ]  # held PLDs with a theme only
    assert themes.loc["PLD-North 2025/26 Q2", ["practice_area", "matched_by"]].tolist() == [VOICE, "name"]
    assert themes.loc["PLD-North 2025/26 Q3", ["practice_area", "matched_by"]].tolist() == [PLANNING, "mapping"]
    assert pd.isna(themes.loc["PLD-North 2025/26 Q4", "practice_area"])
    mapped = impact.theme_practice_areas(wh, Filters(), (("something ELSE", "Recording"),)).set_index("pld_id")
    assert mapped.loc["PLD-North 2025/26 Q4", ["practice_area", "matched_by"]].tolist() == ["Recording", "mapping"]


def test_before_and_after_a_pld_within_its_service_area(wh):
    rows = impact.impact_by_pld(wh, Filters())
    # Voice PLD in Q2: before = Q1 and Q2 (1 good of 4), after = Q3 and Q4 (4 good of 5). Not 2024/25 Q4,
    # not 2026/27 Q1, not South's audits, not the assurance-scale audit.
    assert periods(rows, "PLD-North 2025/26 Q2") == {"Before": (4, 1), "After": (5, 4)}
    # Pathway planning in Q3, on planning and review: before = Q2 and Q3, after = Q4 and 2026/27 Q1.
    assert periods(rows, "PLD-North 2025/26 Q3") == {"Before": (2, 1), "After": (2, 2)}
    assert periods(rows, "PLD-East 2025/26 Q2") == {"Before": (0, 0), "After": (0, 0)}
    assert "PLD-North 2025/26 Q4" not in set(rows["pld_id"])
    voice = rows[rows["pld_id"] == "PLD-North 2025/26 Q2"].set_index("period")
    assert voice.loc["Before", ["first_cycle", "last_cycle"]].tolist() == [Q1, Q2]
    assert (voice.loc["After", "lower"], voice.loc["After", "upper"]) == pytest.approx(wilson_interval(4, 5))
    assert voice["small_n"].tolist() == [True, False]
    assert list(rows["period"][:2]) == ["Before", "After"]


def test_window_of_one_cycle(wh):
    rows = impact.impact_by_pld(wh, Filters(), window=1)
    assert periods(rows, "PLD-North 2025/26 Q2") == {"Before": (2, 0), "After": (3, 2)}
    with pytest.raises(ValueError):
        impact.impact_by_pld(wh, Filters(), window=0)


def test_assurance_scale(wh):
    rows = impact.impact_by_pld(wh, Filters(), "Assurance")
    assert periods(rows, "PLD-North 2025/26 Q2") == {"Before": (1, 1), "After": (0, 0)}


def test_pooled_by_theme(wh):
    themes = impact.impact_by_theme(wh, Filters()).set_index(["theme", "period"])
    voice = themes.loc[("Voice of the Child", "Before")]
    assert voice[["plds", "n", "k"]].tolist() == [1, 4, 1]
    assert themes.loc[(VOICE, "After"), ["plds", "service_areas", "n", "k"]].tolist() == [1, 1, 0, 0]


def test_compare_gives_the_difference_and_its_interval(wh):
    rows = impact.impact_by_pld(wh, Filters())
    wide = impact.compare(rows, ["pld_id", "theme"]).set_index("pld_id")
    row = wide.loc["PLD-North 2025/26 Q2"]
    assert (row["before_n"], row["before_k"], row["after_n"], row["after_k"]) == (4, 1, 5, 4)
    assert row["difference"] == pytest.approx(4 / 5 - 1 / 4)
    (l1, u1), (l2, u2) = wilson_interval(4, 5), wilson_interval(1, 4)
    assert row["diff_lower"] == pytest.approx(0.55 - math.sqrt((0.8 - l1) ** 2 + (u2 - 0.25) ** 2))
    assert row["diff_upper"] == pytest.approx(0.55 + math.sqrt((u1 - 0.8) ** 2 + (0.25 - l2) ** 2))
    assert row["small_n"]  # four grades before
    assert math.isnan(wide.loc["PLD-East 2025/26 Q2", "difference"])


def test_filters_choose_plds_and_audits(wh):
    later = impact.impact_by_pld(wh, Filters(cycle_from=Q3))
    assert set(later["pld_id"]) == {"PLD-North 2025/26 Q3"}
    # The cycle range picks the PLD; its window still reaches back to Q2.
    assert periods(later, "PLD-North 2025/26 Q3") == {"Before": (2, 1), "After": (2, 2)}
    assert impact.impact_by_pld(wh, Filters(scope=Scope(service_areas=("South",)))).empty
    none = Filters(service_areas=("North",), scope=Scope(service_areas=("South",)))
    assert impact.theme_practice_areas(wh, none).empty and impact.impact_by_theme(wh, none).empty


def test_reaudit_changes(wh):
    changes = impact.reaudit_changes(wh, Filters())
    assert dict(zip(changes["change"], changes["n"], strict=True)) == {"Improved": 1, "Same": 1, "Worse": 1}
    assert changes["share"].sum() == pytest.approx(1)
    north = impact.reaudit_changes(wh, Filters(service_areas=("North",)))
    assert dict(zip(north["change"], north["n"], strict=True)) == {"Improved": 1, "Same": 1, "Worse": 0}


def test_reaudit_transitions(wh):
    grid = impact.reaudit_transitions(wh, Filters())
    assert len(grid) == 16
    found = {(r.first_grade, r.latest_grade): r.n for r in grid.itertuples() if r.n}
    assert found == {(RI, "Good"): 1, ("Good", "Good"): 1, ("Good", RI): 1}
    assert grid[["first_rank", "latest_rank"]].iloc[0].tolist() == [1, 1]
    assert impact.reaudit_transitions(wh, Filters(), "Assurance")["n"].sum() == 0
    assert impact.reaudit_changes(wh, Filters(scope=Scope(service_areas=("West",))))["n"].sum() == 0
