"""Learning Episodes at every stage: a hand-built allocation tracker ingested through the real pipeline into a
real DuckDB, and every count on the Learning Episodes page worked out by hand from the rows below.

Today is 23 November 2026. Cycle 2026/27 Q2 is July-September 2026, Q3 October-December.
"""

import csv
import datetime as dt
import io

import pytest

from data_pipeline import ingest
from qa_read import episodes
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope

TODAY = dt.date(2026, 11, 23)
CIC, CL = "Children in Care", "Care Leavers"
STAGE_HEADINGS = [
    "Practitioner's reflection assigned",
    "Learning conversation held",
    "Practice observed",
    "Evaluation recorded",
    "Concluding meeting held",
    "Supervisor's progress on actions",
    "Service manager signed off",
]
HEADINGS = [
    "LE ref", "Service area", "Team", "Practitioner", "Practice reviewer", "Child's record number",
    "Date allocated", "Completion due date", *STAGE_HEADINGS, "Overall assurance", "Overall evaluation",
    "Head of service moderation", "In CSLT moderation sample", "CSLT moderated",
]  # fmt: skip


def episode(ref, area, allocated, due, stages, signed_off=None, **answers) -> dict:
    """``stages`` dates fill the stage headings in order; the rest of them stay blank."""
    row = dict.fromkeys(HEADINGS, "")
    row.update({"LE ref": ref, "Service area": area, "Team": f"{area} Team 1", "Practitioner": f"Worker {ref}"})
    row.update({"Practice reviewer": "Pat Reviewer", "Child's record number": str(500 + ref)})
    row.update({"Date allocated": allocated, "Completion due date": due})
    row.update(zip(STAGE_HEADINGS, stages, strict=False))
    if signed_off:
        row["Service manager signed off"] = signed_off
    row.update(answers)
    return row


ALL_SIX = ["08/07/2026", "15/07/2026", "22/07/2026", "29/07/2026", "05/08/2026", "12/08/2026"]
ROWS = [
    # Signed off: E1 in 71 days, E2 in 81 (Outstanding, moderated), E10 in 61 (Inadequate, moderated).
    episode(1, CIC, "01/07/2026", "30/09/2026", ALL_SIX, "10/09/2026", **{"Overall evaluation": "Good",
            "Overall assurance": "High", "In CSLT moderation sample": "Yes", "CSLT moderated": "20/09/2026"}),
    episode(2, CIC, "06/07/2026", "30/09/2026", ALL_SIX, "25/09/2026", **{"Overall evaluation": "Outstanding",
            "Head of service moderation": "01/09/2026", "In CSLT moderation sample": "No"}),
    # Awaiting sign-off, due 15 October: 39 days overdue; Inadequate with no head of service moderation.
    episode(3, CIC, "13/07/2026", "15/10/2026", ALL_SIX, **{"Overall evaluation": "Inadequate",
            "In CSLT moderation sample": "Yes"}),
    # Reflection only, due 30 October: awaiting the learning conversation, 24 days overdue.
    episode(4, CIC, "20/07/2026", "30/10/2026", ALL_SIX[:1]),
    # Just allocated, due in December: awaiting the reflection, not overdue.
    episode(5, CIC, "03/08/2026", "15/12/2026", []),
    # Evaluated Requires improvement, due 20 November: awaiting the concluding meeting, 3 days overdue.
    episode(6, CL, "10/08/2026", "20/11/2026", ALL_SIX[:4], **{"Overall evaluation": "RI"}),
    # Q3: awaiting the observation; awaiting the evaluation and due today (not overdue); awaiting the
    # supervisor, Outstanding with no head of service moderation.
    episode(7, CL, "05/10/2026", "15/01/2027", ALL_SIX[:2]),
    episode(8, CL, "12/10/2026", "23/11/2026", ALL_SIX[:3]),
    episode(9, CL, "19/10/2026", "30/01/2027", ALL_SIX[:5], **{"Overall evaluation": "Outstanding"}),
    episode(10, CL, "01/07/2026", "30/09/2026", ALL_SIX, "31/08/2026", **{"Overall evaluation": "Inadequate",
            "Head of service moderation": "20/08/2026", "In CSLT moderation sample": "Yes",
            "CSLT moderated": "05/09/2026"}),
    # Rejected: no allocation date; an evaluation that is on no scale.
    episode(11, CL, "", "30/01/2027", []),
    episode(12, CL, "19/10/2026", "30/01/2027", ALL_SIX[:5], **{"Overall evaluation": "Brilliant"}),
]  # fmt: skip


def tracker_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADINGS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = tmp_path_factory.mktemp("episodes") / "qa.duckdb"
    [result] = ingest.ingest([("le-tracker.csv", tracker_csv(ROWS))], db, today=TODAY)
    return result, Warehouse(db)


def test_every_tracker_row_is_loaded_or_rejected_with_a_reason(loaded):
    result, wh = loaded
    assert (result.error, result.kind, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        None, "learning-episode-tracker-v1", 12, 10, 2)  # fmt: skip
    reasons = wh.query("SELECT record_key, reason FROM rejected_rows ORDER BY source_row")
    assert list(reasons["record_key"]) == ["LE1-11", "LE1-12"]
    assert reasons["reason"][0] == "Date allocated is blank"
    assert reasons["reason"][1].startswith("Overall evaluation: 'Brilliant' is not on the Ofsted scale")
    keys = wh.query("SELECT episode_id, practitioner_key FROM learning_episodes ORDER BY source_row")
    assert keys["episode_id"][0] == "LE1-1"  # the Learning Episode form's key: joins its audits row
    assert keys["practitioner_key"].str.startswith("S-").all()


def test_where_each_allocation_stands(loaded):
    steps = episodes.by_step(loaded[1], Filters(), TODAY).set_index("step")
    assert steps["episodes"].to_dict() == {
        "Awaiting practitioner's reflection": 1,  # E5
        "Awaiting learning conversation": 1,  # E4
        "Awaiting practice observation": 1,  # E7
        "Awaiting reviewer's evaluation": 1,  # E8
        "Awaiting concluding meeting": 1,  # E6
        "Awaiting supervisor's progress on actions": 1,  # E9
        "Awaiting service manager sign-off": 1,  # E3
        "Signed off": 3,  # E1, E2, E10
    }
    overdue = steps["overdue"]
    assert overdue[overdue > 0].to_dict() == {
        "Awaiting learning conversation": 1,
        "Awaiting concluding meeting": 1,
        "Awaiting service manager sign-off": 1,
    }


def test_overdue_episodes_longest_first_with_their_step(loaded):
    late = episodes.overdue(loaded[1], Filters(), TODAY)
    assert list(late["episode_id"]) == ["LE1-3", "LE1-4", "LE1-6"]
    assert list(late["days_overdue"]) == [39, 24, 3]
    assert list(late["step"]) == [
        "Awaiting service manager sign-off",
        "Awaiting learning conversation",
        "Awaiting concluding meeting",
    ]


def test_outstanding_and_inadequate_evaluations_with_and_without_moderation(loaded):
    hos = episodes.hos_moderation(loaded[1], Filters(), TODAY).set_index("evaluation")
    assert hos.loc["Outstanding", ["moderated", "awaiting"]].tolist() == [1, 1]  # E2; E9
    assert hos.loc["Inadequate", ["moderated", "awaiting"]].tolist() == [1, 1]  # E10; E3
    waiting = episodes.unmoderated(loaded[1], Filters(), TODAY)
    assert list(waiting["episode_id"]) == ["LE1-3", "LE1-9"]


@pytest.mark.parametrize(
    ("share", "targets", "met"),
    [(0.1, [1, 1], [True, False]), (0.3, [3, 1], [False, False])],
)
def test_leadership_moderation_sample_against_its_target(loaded, share, targets, met):
    sample = episodes.cslt_sample(loaded[1], Filters(), TODAY, share)
    assert list(sample["cycle"]) == ["2026/27 Q2", "2026/27 Q3"]
    assert list(sample["allocated"]) == [7, 3]
    assert list(sample["sampled"]) == [3, 0]  # E1, E3, E10
    assert list(sample["moderated"]) == [2, 0]  # E1, E10
    assert list(sample["target"]) == targets
    assert list(sample["met"]) == met
    assert list(sample["small_n"]) == [False, True]


def test_days_from_allocation_to_sign_off_by_service_area(loaded):
    days = episodes.sign_off_days(loaded[1], Filters(), TODAY).set_index("service_area")
    assert days.loc[CIC, ["n", "median_days"]].tolist() == [2, 76]  # 71 and 81 days
    assert days.loc[CL, ["n", "median_days"]].tolist() == [1, 61]
    assert days["small_n"].all()


def test_a_scoped_reader_sees_only_their_service_area(loaded):
    scoped = Filters(scope=Scope(service_areas=(CL,)))
    steps = episodes.by_step(loaded[1], scoped, TODAY).set_index("step")["episodes"]
    assert steps.sum() == 5 and steps["Signed off"] == 1  # E6-E10
    aggregates_only = Filters(scope=Scope(service_areas=(CL,), rows=False))
    with pytest.raises(PermissionError):
        episodes.overdue(loaded[1], aggregates_only, TODAY)
