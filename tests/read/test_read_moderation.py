import math

import pytest

from qa_read import moderation
from qa_read.filters import Filters
from tests.read.sample import Q1, Q2, Q4, TODAY


def test_escalations_list(wh):
    esc = moderation.escalations(wh, Filters(), TODAY).set_index("audit_id")
    assert sorted(esc.index) == ["A06", "A07", "A09", "B03"]
    assert esc.loc["A06", "reason"] == "graded Inadequate; moderated Inadequate; child not safe"
    assert esc.loc["A07", "reason"] == "child not safe"
    assert esc["outstanding"].to_dict() == {"A07": True, "A09": True, "B03": False, "A06": False}
    assert esc.loc["A06", "days_to_oversight"] == 9 and esc.loc["B03", "days_to_oversight"] == 14
    assert esc.loc["A07", "days_waiting"] == 31 and esc.loc["A09", "days_waiting"] == 13
    assert list(esc.index[:2]) == ["A07", "A09"]  # outstanding first


def test_escalations_stop_at_the_limit_in_the_same_order(wh):
    every = moderation.escalations(wh, Filters(), TODAY, limit=None)
    first = moderation.escalations(wh, Filters(), TODAY, limit=2)
    assert first["audit_id"].tolist() == every["audit_id"].tolist()[:2] == ["A07", "A09"]


def test_escalations_by_cycle_count_what_the_list_lists(wh):
    counted = moderation.escalations_by_cycle(wh, Filters())
    listed = moderation.escalations(wh, Filters(), TODAY, limit=None)
    listed = listed.assign(state=listed["outstanding"].map({True: "Awaiting oversight", False: "Oversight recorded"}))
    expected = listed.groupby(["cycle", "state"]).size().to_dict()
    assert counted.set_index(["cycle", "state"])["audits"].to_dict() == expected
    assert moderation.escalations_by_cycle(wh, Filters(teams=("S1",)))["audits"].sum() == 1


def test_escalation_summary(wh):
    row = moderation.escalation_summary(wh, Filters()).iloc[0]
    assert row[["escalations", "with_oversight", "outstanding"]].tolist() == [4, 2, 2]
    assert row["pct_with_oversight"] == 0.5
    assert row["median_days_to_oversight"] == 11.5
    assert row["small_n"]
    assert moderation.escalation_summary(wh, Filters(teams=("S1",))).iloc[0]["escalations"] == 1


def test_ofsted_agreement_and_kappa(wh):
    row = moderation.moderation_agreement(wh, Filters()).iloc[0]
    assert row[["n", "agreed"]].tolist() == [7, 3]
    assert row["pct_agreement"] == pytest.approx(3 / 7)
    assert row["kappa"] == pytest.approx(5 / 33)
    assert not row["small_n"]


def test_assurance_agreement_and_kappa(wh):
    row = moderation.moderation_agreement(wh, Filters(), "Assurance").iloc[0]
    assert row[["n", "agreed"]].tolist() == [3, 1]
    assert row["kappa"] == pytest.approx(0.0)
    assert row["small_n"]


def test_agreement_with_nothing_moderated(wh):
    row = moderation.moderation_agreement(wh, Filters(cycle_to=Q1)).iloc[0]
    assert row["n"] == 0 and math.isnan(row["kappa"]) and row["kappa_note"]


@pytest.mark.parametrize(
    "scale,expected",
    [
        ("Ofsted", {"Moved up": 3, "Same": 3, "Moved down": 1}),
        ("Assurance", {"Moved up": 1, "Same": 1, "Moved down": 1}),
    ],
)
def test_moderation_movement(wh, scale, expected):
    moves = moderation.moderation_movement(wh, Filters(), scale)
    assert dict(zip(moves["direction"], moves["n"], strict=True)) == expected
    assert moves["share"].sum() == pytest.approx(1)


def test_movement_lists_every_direction_even_when_empty(wh):
    moves = moderation.moderation_movement(wh, Filters(teams=("N2",), cycle_from=Q2))
    assert dict(zip(moves["direction"], moves["n"], strict=True)) == {
        "Moved up": 0,
        "Same": 2,
        "Moved down": 0,
    }


def test_worker_disagreement(wh):
    rates = moderation.worker_disagreement(wh, Filters())
    # Q2 North: A01, A02, A05 Yes; A03, A06 No; A07 Partly (counts as disagreeing); A04 unanswered
    assert rates[["cycle", "service_area", "n", "k", "partly"]].values.tolist() == [
        [Q4, "South", 1, 0, 0],
        [Q1, "North", 2, 1, 0],
        [Q1, "South", 2, 0, 0],
        [Q2, "North", 6, 3, 1],
        [Q2, "South", 1, 0, 0],
    ]
    assert rates["small_n"].tolist() == [True, True, True, False, True]
