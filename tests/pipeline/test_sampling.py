"""The audit sampling draw on hand-built case lists: reproducible, stratified, every worker covered, thematic
criteria and the exclusion window applied, and uniform within a stratum over many seeds."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_pipeline.sampling import BY_STRATUM, BY_WORKER, RECENT, Criteria, draw, window_start

TODAY = dt.date(2026, 12, 1)
# Critical values of the chi-square distribution at p = 0.001 (published tables, e.g. NIST/SEMATECH 1.3.6.7.4).
CHI2_999 = {9: 27.877, 11: 31.264}


def case_list(rows: list[tuple]) -> pd.DataFrame:
    """(case_id, worker, service_area, case_type, days open, neglect flag, child) as the caselist reader gives."""
    frame = pd.DataFrame(rows, columns=["case_id", "worker", "service_area", "case_type", "days", "flag", "child"])
    return pd.DataFrame(
        {
            "case_id": frame["case_id"],
            "case_key": "K-" + frame["case_id"],
            "child_key": "C-" + frame["child"],
            "worker": frame["worker"],
            "worker_key": "S-" + frame["worker"],
            "team": "Team " + frame["worker"].str[0],
            "service_area": frame["service_area"],
            "case_type": frame["case_type"],
            "start_date": [TODAY - dt.timedelta(days=d) for d in frame["days"]],
            "source_row": range(2, len(frame) + 2),
            "flag:Neglect": frame["flag"],
        }
    )


# Two service areas; North has two case types. Workers A (3 cases), B (4), C (1, a recently audited child).
CASES = case_list([
    ("N01", "A1", "North", "Child in need", 30, "Yes", "101"),
    ("N02", "A1", "North", "Child in need", 400, "No", "102"),
    ("N03", "A1", "North", "Child protection", 90, "No", "103"),
    ("N04", "B1", "North", "Child in need", 10, "Yes", "104"),
    ("N05", "B1", "North", "Child in need", 700, "No", "105"),
    ("N06", "B1", "North", "Child protection", 200, "Yes", "106"),
    ("S01", "B1", "South", "Child in care", 50, "No", "107"),
    ("S02", "C1", "South", "Child in care", 60, "No", "108"),
])  # fmt: skip


def planned(result) -> list[str]:
    return sorted(result.planned["case_id"])


def test_the_same_seed_draws_the_same_sample_whatever_the_row_order():
    big = case_list([(f"X{i:03d}", f"W{i % 7}", "North", "Child in need", i, "No", str(i)) for i in range(200)])
    first = draw(big, Criteria(per_stratum=20, per_worker=1), 12345, set(), TODAY)
    shuffled = big.sample(frac=1, random_state=3)
    again = draw(shuffled, Criteria(per_stratum=20, per_worker=1), 12345, set(), TODAY)
    other = draw(big, Criteria(per_stratum=20, per_worker=1), 12346, set(), TODAY)
    assert planned(first) == planned(again)
    assert first.planned["chosen"].tolist() == again.planned["chosen"].tolist()
    assert planned(first) != planned(other)


def test_each_stratum_gets_its_number_or_all_it_has():
    result = draw(CASES, Criteria(per_stratum=2, per_worker=0, exclude_months=0), 1, set(), TODAY)
    counts = result.planned.groupby(["service_area", "case_type"]).size().to_dict()
    # North CIN has 4 cases, North CP 2, South CiC 2: two from each.
    assert counts == {("North", "Child in need"): 2, ("North", "Child protection"): 2, ("South", "Child in care"): 2}
    assert set(result.planned["chosen"]) == {BY_STRATUM}
    strata = result.strata().set_index(["service_area", "case_type"])
    assert strata.loc[("North", "Child in need"), ["open_cases", "eligible", "planned"]].tolist() == [4, 4, 2]


@pytest.mark.parametrize("seed", range(20))
def test_every_case_holding_worker_is_covered(seed):
    result = draw(CASES, Criteria(per_stratum=0, per_worker=1), seed, set(), TODAY)
    assert sorted(result.planned["worker"]) == ["A1", "B1", "C1"]
    assert set(result.planned["chosen"]) == {BY_WORKER}
    assert result.workers()["covered"].all()


def test_a_worker_tops_up_only_what_the_strata_left_short():
    result = draw(CASES, Criteria(per_stratum=1, per_worker=2), 7, set(), TODAY)
    per_worker = result.planned.groupby("worker").size().to_dict()
    # A1 and B1 hold at least two eligible cases each, so each ends with two or more; C1 holds one.
    assert per_worker["A1"] >= 2 and per_worker["B1"] >= 2 and per_worker["C1"] == 1
    assert (result.planned["chosen"] == BY_STRATUM).sum() == 3  # one per stratum


def test_a_recently_audited_child_is_left_out_and_its_only_worker_named_uncovered():
    result = draw(CASES, Criteria(per_stratum=5, per_worker=1), 3, {"C-108"}, TODAY)
    assert "S02" not in planned(result)
    assert result.cases.set_index("case_id").loc["S02", "left_out"] == RECENT
    workers = result.workers().set_index("worker")
    assert not workers.loc["C1", "covered"] and workers.loc["C1", "eligible"] == 0
    assert result.strata().set_index("case_type").loc["Child in care", "recently_audited"] == 1


def test_an_exclusion_window_of_no_months_leaves_no_child_out():
    result = draw(CASES, Criteria(per_stratum=5, per_worker=1, exclude_months=0), 3, {"C-108"}, TODAY)
    assert "S02" in planned(result)


def test_thematic_criteria_limit_the_cases_drawn():
    theme = Criteria(per_stratum=10, per_worker=0, case_types=("Child in need",), min_days_open=20, flag="Neglect",
                     flag_value="Yes")  # fmt: skip
    # Child in need, open 20 days or more, flagged for neglect: N01 only (N04 is open 10 days).
    assert planned(draw(CASES, theme, 9, set(), TODAY)) == ["N01"]
    longest = Criteria(per_stratum=10, per_worker=0, max_days_open=60)
    assert planned(draw(CASES, longest, 9, set(), TODAY)) == ["N01", "N04", "S01", "S02"]


@pytest.mark.parametrize(
    ("today", "months", "start"),
    [
        (dt.date(2026, 12, 1), 6, dt.date(2026, 6, 1)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 12, dt.date(2025, 1, 15)),
        (dt.date(2026, 1, 15), 0, dt.date(2026, 1, 15)),
    ],
)
def test_the_exclusion_window_starts_the_same_day_months_earlier(today, months, start):
    assert window_start(today, Criteria(exclude_months=months)) == start


@pytest.mark.parametrize(("size", "take"), [(10, 1), (12, 4)])
def test_selection_within_a_stratum_is_uniform_over_many_seeds(size, take):
    """How often each of N cases is chosen over S seeds, k at a time, against S·k/N each. One draw's inclusion
    indicators have covariance p(1-p)·N/(N-1)·(I - J/N) (sampling without replacement, p = k/N), so the sum of
    (O - E)² / (E·(1-p)·N/(N-1)) is chi-square with N-1 degrees of freedom; for k = 1 it is Pearson's statistic."""
    one_stratum = case_list([(f"Z{i:02d}", "A1", "North", "Child in need", i, "No", str(i)) for i in range(size)])
    seeds = 600
    chosen = pd.concat([draw(one_stratum, Criteria(per_stratum=take, per_worker=0), s, set(), TODAY).planned
                        for s in range(seeds)])["case_id"]  # fmt: skip
    observed = chosen.value_counts().reindex(one_stratum["case_id"], fill_value=0).to_numpy()
    p = take / size
    expected = seeds * p
    statistic = float(((observed - expected) ** 2).sum() / (expected * (1 - p) * size / (size - 1)))
    assert observed.sum() == seeds * take
    assert statistic < CHI2_999[size - 1], (statistic, observed)
    # Nor suspiciously even: a draw that took the cases in turn would give a statistic near 0 (p < 0.001 below 1.15
    # for 9 degrees of freedom, 1.83 for 11).
    assert statistic > {9: 1.152, 11: 1.834}[size - 1], (statistic, observed)


def test_the_draw_records_its_seed_criteria_and_date():
    criteria = Criteria(per_stratum=1, per_worker=1, case_types=("Child in care",))
    result = draw(CASES, criteria, 42, set(), TODAY)
    assert (result.seed, result.criteria, result.drawn_on) == (42, criteria, TODAY)
    assert '"case_types": ["Child in care"]' in criteria.to_json()
    assert np.isin(result.planned["case_type"], ["Child in care"]).all()
