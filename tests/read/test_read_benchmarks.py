"""Neighbours, medians and ranks against a hand calculation from the published CSVs in reference_data/."""

import datetime as dt

import pandas as pd
import pytest

from findings import context
from qa_read import benchmarks
from qa_read.db import Warehouse


@pytest.fixture(scope="module")
def wh(sample_warehouse) -> Warehouse:
    return Warehouse(sample_warehouse)


def test_the_council_is_found_by_either_code(wh):
    # ofsted_provider_la_lookup_JT39.csv: urn 80539, la_code 851, la_code_new E06000044, Portsmouth, South East
    expected = benchmarks.Council("851", "E06000044", "Portsmouth", "South East")
    assert benchmarks.council(wh, "851") == expected
    assert benchmarks.council(wh, "E06000044") == expected
    assert benchmarks.council(wh, "999") is None


def test_neighbours_are_the_latest_models_ten_in_order(wh):
    # awk -F, '$1=="851"{for(i=5;i<=23;i+=2) printf "%s ", $i}' sn_model_2025_wide.csv
    assert benchmarks.neighbours(wh, "851")["la_code"].tolist() == [
        "373", "383", "382", "355", "852", "882", "879", "831", "390", "357",
    ]  # fmt: skip


def test_median_range_and_rank_match_a_hand_calculation(wh):
    # csww_indicators_2017_to_2025.csv, 2025, turnover_rate_fte (column 17) of Portsmouth's ten neighbours:
    # Sheffield 10.7, Leeds 7, Kirklees 10.6, Salford 10.3, Southampton 7.4, Southend-on-Sea 18.3, Plymouth 8.1,
    # Derby 7.9, Gateshead 16, Tameside 18.3. Sorted: 7, 7.4, 7.9, 8.1, 10.3 | 10.6, 10.7, 16, 18.3, 18.3,
    # so the median is (10.3 + 10.6) / 2 = 10.45, the range 7 to 18.3. Portsmouth's 13.4 is below 18.3, 18.3
    # and 16 only: 4th highest of the 11. England (National row): 11.8.
    rows = benchmarks.series(wh, "851", ("turnover_rate_fte",))
    row = rows[rows["period"] == "2025"].iloc[0]
    assert row["value"] == 13.4
    assert row["neighbours_median"] == pytest.approx(10.45)
    assert (row["neighbours_low"], row["neighbours_high"], row["neighbours_reporting"]) == (7.0, 18.3, 10)
    assert (row["rank"], row["ranked_of"]) == (4, 11)
    assert row["england"] == 11.8
    assert row["as_at"].date() == dt.date(2025, 9, 30)


def test_a_withheld_figure_is_missing_with_its_reason_and_unranked(wh):
    # csww, Portsmouth 2021 turnover_rate_fte is "x"
    rows = benchmarks.series(wh, "851", ("turnover_rate_fte",))
    row = rows[rows["period"] == "2021"].iloc[0]
    assert pd.isna(row["value"]) and pd.isna(row["rank"])
    assert (row["marker"], row["meaning"]) == ("x", "not available")


def test_inspection_history_prefers_the_official_statistics_and_keeps_the_2026_reports(wh):
    found = benchmarks.inspections(wh, "851")
    overall = found[found["judgement"] == "overall_effectiveness"]
    # the .ods: 2018-09-03 Good, 2023-05-15 Good; the scraped reports add 2026-07-06, no overall grade
    assert [d.date().isoformat() for d in overall["started"]] == ["2018-09-03", "2023-05-15", "2026-07-06"]
    assert overall["publication"].tolist() == ["ofsted_outcomes", "ofsted_outcomes", "ilacs_reports"]
    assert overall["grade"].tolist()[:2] == ["Good", "Good"]
    assert overall["marker"].tolist()[2] == "not_reported_post_reform"


def test_a_council_gone_from_the_latest_figures_says_so(wh):
    # 928 Northamptonshire split in 2021: it is in the April 2021 neighbour model only, and the 2025 workforce
    # release has no row for it (awk -F, '$1==2025 && $8=="928"' csww... prints nothing).
    assert benchmarks.neighbour_model(wh, "928") == "neighbours_2021"
    gone = benchmarks.Council("928", "E10000021", "Northamptonshire", None)
    [caseload] = context.latest(wh, gone, ("caseload_fte",))
    assert caseload.period == "2025" and caseload.finding.value is None
    assert caseload.missing_because == "no row for the council in the publication"
    assert caseload.finding.sentence.startswith("Northamptonshire: not published at 30 September 2025 (no row")
