"""The PLD framework's rules, at their boundaries, on small hand-built warehouses."""

import datetime as dt

import duckdb
import pytest

from qa_read import pld
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from tests.read.sample import create_schema, reader

D = dt.date
TODAY = D(2026, 1, 20)
FY, LAST_FY = "2025/26", "2024/25"

# service_area, cycle, theme, planned, held, planning meeting, multi_agency, report
LOG = [
    # North: Q1 exactly on the boundaries; Q2 a day past each; Q3 not held (though partners were lined up);
    # Q4 planned for March with nothing due yet.
    ("North", "2025/26 Q1", "Voice", D(2025, 6, 20), D(2025, 6, 20), D(2025, 5, 23), False, D(2025, 7, 4)),
    ("North", "2025/26 Q2", "Recording", D(2025, 9, 10), D(2025, 9, 10), D(2025, 8, 14), False, D(2025, 9, 25)),
    ("North", "2025/26 Q3", "Planning", D(2025, 12, 10), None, D(2025, 11, 1), True, None),
    ("North", "2025/26 Q4", "Impact", D(2026, 3, 10), None, None, None, None),
    # South: Q1 with no planning meeting or report; Q2 and Q3 never logged; Q4 held ten days ago.
    ("South", "2025/26 Q1", None, D(2025, 6, 10), D(2025, 6, 10), None, None, None),
    ("South", "2025/26 Q4", "Voice", D(2026, 1, 10), D(2026, 1, 10), D(2025, 12, 1), None, None),
    # West: three quarters held, Q4 not logged yet.
    ("West", "2025/26 Q1", "Voice", D(2025, 6, 5), D(2025, 6, 5), D(2025, 5, 1), False, D(2025, 6, 10)),
    ("West", "2025/26 Q2", "Voice", D(2025, 9, 5), D(2025, 9, 5), D(2025, 8, 1), False, D(2025, 9, 10)),
    ("West", "2025/26 Q3", "Voice", D(2025, 12, 5), D(2025, 12, 5), D(2025, 11, 1), False, D(2025, 12, 10)),
    # East: the log's first entry, so 2024/25 expects only its Q4.
    ("East", "2024/25 Q4", "Voice", D(2025, 3, 10), D(2025, 3, 10), D(2025, 2, 1), True, D(2025, 3, 20)),
]


def _warehouse(rows) -> Warehouse:
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.executemany(
        "INSERT INTO pld_events (pld_id, service_area, cycle, theme, planned_date, held_date, planning_meeting_date,"
        " multi_agency, report_date, source_file, source_row, content_hash)"
        " VALUES ('PLD-' || ? || ' ' || ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pld.csv', 2, 'h')",
        [(area, cycle, area, cycle, *rest) for area, cycle, *rest in rows],
    )
    return reader(con)


@pytest.fixture(scope="module")
def wh() -> Warehouse:
    return _warehouse(LOG)


def one(planned=None, held=None, planning=None, report=None, cycle="2025/26 Q3", today=TODAY) -> dict:
    """The judged row of a one-PLD log."""
    row = ("North", cycle, "Voice", planned, held, planning, None, report)
    return pld.pld_log(_warehouse([row]), Filters(), today).iloc[0].to_dict()


@pytest.mark.parametrize(
    "days_before,status",
    [(28, "On time"), (29, "On time"), (27, "Late"), (0, "Late"), (-1, "Late")],
)
def test_planning_meeting_needs_28_days(days_before, status):
    held = D(2025, 12, 10)
    row = one(planned=held, held=held, planning=held - dt.timedelta(days=days_before), report=held)
    assert (row["planning_status"], row["planning_days_before"]) == (status, days_before)


@pytest.mark.parametrize(
    "days_ahead,status",
    [(29, "Not yet due"), (28, "Not yet due"), (27, "Missing"), (-5, "Missing")],
)
def test_a_missing_planning_meeting_is_not_due_until_28_days_before(days_ahead, status):
    row = one(planned=TODAY + dt.timedelta(days=days_ahead), cycle="2025/26 Q4")
    assert row["planning_status"] == status


def test_planning_is_measured_against_the_planned_day_until_held():
    planned = TODAY + dt.timedelta(days=40)
    row = one(planned=planned, planning=planned - dt.timedelta(days=30), cycle="2025/26 Q4")
    assert (row["planning_status"], row["planning_days_before"]) == ("On time", 30)


@pytest.mark.parametrize("days_after,status", [(14, "On time"), (0, "On time"), (15, "Late"), (40, "Late")])
def test_report_is_due_within_14_days(days_after, status):
    held = D(2025, 12, 10)
    row = one(planned=held, held=held, planning=D(2025, 11, 1), report=held + dt.timedelta(days=days_after))
    assert (row["report_status"], row["report_days_after"]) == (status, days_after)


@pytest.mark.parametrize("held_days_ago,status", [(14, "Not yet due"), (0, "Not yet due"), (15, "Missing")])
def test_a_missing_report_is_not_due_until_14_days_after(held_days_ago, status):
    held = TODAY - dt.timedelta(days=held_days_ago)
    assert one(planned=held, held=held, planning=D(2025, 11, 1), cycle="2025/26 Q4")["report_status"] == status


@pytest.mark.parametrize(
    "planned,held,cycle,status",
    [
        (D(2025, 12, 10), D(2025, 12, 12), "2025/26 Q3", "Held"),
        (TODAY - dt.timedelta(days=1), None, "2025/26 Q4", "Not held"),
        (TODAY, None, "2025/26 Q4", "Not yet due"),
        (TODAY + dt.timedelta(days=30), None, "2025/26 Q4", "Not yet due"),
        (None, None, "2025/26 Q3", "Not held"),  # no date at all, and its quarter is over
        (None, None, "2025/26 Q4", "Not yet due"),  # no date at all, quarter still running
    ],
)
def test_held_status(planned, held, cycle, status):
    assert one(planned=planned, held=held, cycle=cycle)["held_status"] == status


def test_a_pld_not_held_needs_no_report_and_breaks_the_rule():
    row = one(planned=D(2025, 12, 10), planning=D(2025, 11, 1))
    assert (row["held_status"], row["report_status"], row["breaks"], row["outcome"]) == (
        "Not held",
        "Not applicable",
        "not held",
        "Breaks a rule",
    )


def test_a_planned_future_pld_is_not_yet_due_not_a_failure():
    row = one(planned=TODAY + dt.timedelta(days=45), cycle="2025/26 Q4")
    assert (row["held_status"], row["planning_status"], row["report_status"]) == (
        "Not yet due",
        "Not yet due",
        "Not applicable",
    )
    assert (row["breaks"], row["outcome"]) == ("", "Not yet due")


def test_the_log_names_each_broken_rule(wh):
    log = pld.pld_log(wh, Filters(), TODAY).set_index(["service_area", "cycle"])
    assert log.loc[("North", "2025/26 Q1"), "outcome"] == "Meets every rule"
    assert log.loc[("North", "2025/26 Q2"), "breaks"] == (
        "planning meeting 27 days before (due 28 or more); report 15 days after (due within 14)"
    )
    assert log.loc[("South", "2025/26 Q1"), "breaks"] == "no planning meeting recorded; no report recorded"
    assert log.loc[("South", "2025/26 Q4"), "outcome"] == "Not yet due"
    assert log.loc[("North", "2025/26 Q2"), "financial_year"] == FY
    assert list(log.loc[("North", "2025/26 Q3"), ["partners", "held_status"]]) == ["Yes", "Not held"]


def test_held_against_the_four_expected_each_financial_year(wh):
    years = pld.pld_by_year(wh, Filters(), TODAY).set_index(["financial_year", "service_area"])
    columns = ["expected", "due", "held", "missed", "held_outcome"]
    assert years.loc[(FY, "North"), columns].tolist() == [4, 3, 2, 1, "Not met"]  # Q3 not held
    assert years.loc[(FY, "South"), columns].tolist() == [4, 3, 2, 2, "Not met"]  # Q2 and Q3 never logged
    assert years.loc[(FY, "West"), columns].tolist() == [4, 3, 3, 0, "Not yet due"]  # Q4 still to come
    assert years.loc[(FY, "East"), columns].tolist() == [4, 3, 0, 3, "Not met"]
    # The log begins in 2024/25 Q4, so that year expects one PLD, and East held it.
    assert years.loc[(LAST_FY, "East"), columns].tolist() == [1, 1, 1, 0, "Met"]
    assert years.loc[(LAST_FY, "North"), columns].tolist() == [1, 1, 0, 1, "Not met"]


def test_at_least_one_pld_a_year_with_partners(wh):
    years = pld.pld_by_year(wh, Filters(), TODAY).set_index(["financial_year", "service_area"])
    assert years.loc[(LAST_FY, "East"), ["multi_agency", "partner_outcome"]].tolist() == [1, "Met"]
    assert years.loc[(LAST_FY, "West"), ["multi_agency", "partner_outcome"]].tolist() == [0, "Not met"]
    # North lined partners up for Q3, but a PLD not held does not count; the year is not over.
    assert years.loc[(FY, "North"), ["multi_agency", "partner_outcome"]].tolist() == [0, "Not yet due"]
    assert (
        pld.pld_by_year(wh, Filters(), D(2026, 4, 1))
        .set_index(["financial_year", "service_area"])
        .loc[(FY, "North"), "partner_outcome"]
        == "Not met"
    )


def test_planning_and_report_counts_per_year(wh):
    row = pld.pld_by_year(wh, Filters(), TODAY).set_index(["financial_year", "service_area"]).loc[(FY, "North")]
    # Q1 on time, Q2 late, Q3 on time (against its planned day), Q4 not yet due.
    assert row[["planning_on_time", "planning_judged", "report_on_time", "report_judged"]].tolist() == [2, 3, 1, 2]


def test_a_cycle_range_picks_years_but_judges_them_whole(wh):
    f = Filters(cycle_from="2025/26 Q2", cycle_to="2025/26 Q3")
    assert sorted(pld.pld_log(wh, f, TODAY)["cycle"].unique()) == ["2025/26 Q2", "2025/26 Q3"]
    years = pld.pld_by_year(wh, f, TODAY)
    assert set(years["financial_year"]) == {FY}
    assert years.set_index("service_area").loc["North", ["expected", "held"]].tolist() == [4, 2]


def test_latest_complete_year(wh):
    assert pld.latest_complete_year(pld.pld_by_year(wh, Filters(), TODAY)) == LAST_FY
    assert pld.latest_complete_year(pld.pld_by_year(wh, Filters(), D(2026, 4, 2))) == FY


def test_filters_and_scope(wh):
    north = pld.pld_log(wh, Filters(scope=Scope(service_areas=("North",))), TODAY)
    assert set(north["service_area"]) == {"North"} and len(north) == 4
    assert set(pld.pld_by_year(wh, Filters(service_areas=("West",)), TODAY)["service_area"]) == {"West"}
    other = Filters(service_areas=("South",), scope=Scope(service_areas=("North",)))
    assert pld.pld_log(wh, other, TODAY).empty and pld.pld_by_year(wh, other, TODAY).empty
    # The log has no team, so a reader limited to a team sees none of it.
    assert pld.pld_log(wh, Filters(scope=Scope(teams=("N1",))), TODAY).empty


def test_financial_year():
    assert pld.financial_year("2025/26 Q2") == "2025/26"
