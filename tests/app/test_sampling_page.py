"""The Audit sampling page: a case list uploaded, a sample drawn and saved, and nothing clear stored or logged."""

import shutil
import time
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from qa_read.access import Access
from qa_read.filters import Scope
from tests.conftest import ROOT, SAMPLE_DIR
from ui import access, session

CASE_LIST = SAMPLE_DIR / "case-list" / "open-cases.csv"


@pytest.fixture
def sampling_page(sample_warehouse, tmp_path, monkeypatch):
    """The page on a copy of the sample warehouse, since saving a plan changes it."""
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    monkeypatch.setenv("QA_WAREHOUSE", str(db))
    monkeypatch.setenv("QA_TRAIL_FILE", str(tmp_path / "trail.jsonl"))
    session._open_warehouse.clear()  # the reader is cached per process: open this copy, not an earlier test's
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/sampling.py").run()
    assert not at.exception, at.exception
    yield at, db, tmp_path / "trail.jsonl"
    session._open_warehouse.clear()


def uploaded(at: AppTest) -> AppTest:
    at.file_uploader(key="caselist").set_value([(CASE_LIST.name, CASE_LIST.read_bytes(), "text/csv")]).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_without_a_case_list_the_page_asks_for_one(sampling_page):
    at, _, _ = sampling_page
    assert "Open case list" in at.get("file_uploader")[0].proto.label
    assert at.info, "the page should say what to upload"


def test_a_file_that_is_no_case_list_gets_one_line_and_no_draw(sampling_page):
    at, _, _ = sampling_page
    roster = SAMPLE_DIR / "team-roster.csv"
    at.file_uploader(key="caselist").set_value([(roster.name, roster.read_bytes(), "text/csv")]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["team-roster.csv: its headings are not a case list's (it needs Case ID, "
                                           "Allocated worker, Case start date)"]  # fmt: skip
    assert not at.get("metric")


def test_a_thematic_sample_draws_only_flagged_cases_of_the_chosen_type(sampling_page):
    at = uploaded(sampling_page[0])
    at.multiselect(key="case_types").set_value(["Child protection"]).run()
    at.selectbox(key="flag").set_value("Neglect").run()
    at.selectbox(key="flag_value").set_value("Yes").run()
    assert not at.exception, at.exception
    listed = at.dataframe[-1].value
    raw = pd.read_csv(CASE_LIST, dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("Case ID")
    assert len(listed) > 0 and (listed["Case type"] == "Child protection").all()
    assert (listed["Case ID"].map(raw["Neglect concern"].groupby(level=0).last()) == "Yes").all()


def test_the_case_list_is_accounted_for_and_every_worker_covered(sampling_page):
    at = uploaded(sampling_page[0])
    raw = pd.read_csv(CASE_LIST, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    # The sample's bad rows, by hand from the file: blank workers, a blank case ID, a case ID listed twice.
    blank = (raw["Allocated worker"] == "") | (raw["Case ID"] == "")
    twice = raw["Case ID"].ne("") & raw["Case ID"].duplicated(keep="last")
    assert metric(at, "Rows read") == f"{len(raw):,}"
    assert metric(at, "Rows rejected") == str(int((blank | twice).sum()))
    assert metric(at, "Open cases used") == f"{len(raw) - int((blank | twice).sum()):,}"
    workers = raw.loc[~blank & ~twice, "Allocated worker"].nunique()
    assert metric(at, "Case-holding workers covered") == f"{workers} of {workers}"


def test_saving_stores_keys_only_and_logs_no_case_id(sampling_page):
    at, db, trail = sampling_page
    at = uploaded(at)
    at.number_input(key="sampling_seed").set_value(20261201).run()
    listed = at.dataframe[-1].value  # the auditors' list, on screen in the session
    at.button(key="save_plan").click().run()
    assert not at.exception, at.exception
    assert "Saved plan" in at.success[0].value
    con = duckdb.connect(str(db), read_only=True)
    try:
        header = con.execute("SELECT seed, planned_cases FROM sample_plans").fetchall()
    finally:
        con.close()
    assert header == [(20261201, len(listed))]
    case_ids = pd.read_csv(CASE_LIST, dtype=str, keep_default_na=False, encoding="utf-8-sig")["Case ID"]
    stored, logged = db.read_bytes(), trail.read_bytes()
    leaked = [c for c in case_ids if c and (c.encode() in stored or c.encode() in logged)]
    assert leaked == []
    assert b"saved: %d cases, seed 20261201" % len(listed) in logged


def test_a_saved_plan_is_drawn_again_from_its_seed_and_criteria(sampling_page):
    at = uploaded(sampling_page[0])
    at.number_input(key="sampling_seed").set_value(777).run()
    at.number_input(key="per_stratum").set_value(3).run()
    at.button(key="save_plan").click().run()
    saved = at.dataframe[-1].value
    time.sleep(0.6)  # the reader looks for a new snapshot at most every 0.5 s (qa_read.db.Warehouse)
    at.number_input(key="sampling_seed").set_value(778).run()
    at.number_input(key="per_stratum").set_value(1).run()
    assert not at.dataframe[-1].value["Case ID"].equals(saved["Case ID"])
    plan_id = at.selectbox(key="repeat_plan").options[0]
    at.selectbox(key="repeat_plan").set_value(plan_id).run()
    assert not at.exception, at.exception
    assert (at.number_input(key="sampling_seed").value, at.number_input(key="per_stratum").value) == (777, 3)
    assert at.success[0].value == f"The same {len(saved)} cases as {plan_id}: the draw repeats exactly."
    assert at.dataframe[-1].value["Case ID"].tolist() == saved["Case ID"].tolist()


def test_audit_coverage_shows_a_saved_plan_planned_against_done(sampling_page):
    at, _, _ = sampling_page
    at = uploaded(at)
    at.button(key="save_plan").click().run()
    time.sleep(0.6)  # the reader looks for a new snapshot at most every 0.5 s (qa_read.db.Warehouse)
    at.switch_page("pages/coverage.py").run()
    assert not at.exception, at.exception
    assert "Planned against done" in [h.value for h in at.subheader]
    assert at.selectbox(key="coverage_plan").value.startswith("PLAN-")


@pytest.mark.parametrize(
    ("role", "scope", "sees"),
    [
        ("analyst", Scope(), True),
        ("head_of_service", Scope(service_areas=("Early Help",)), True),
        ("head_of_service", Scope(rows=False), False),  # figures only: no list of cases
        ("service_manager", Scope(service_areas=("Early Help",)), False),
        ("team_manager", Scope(teams=("MASH",)), False),
        ("viewer", Scope(rows=False), False),
    ],
)
def test_audit_sampling_is_for_analysts_and_heads_of_service(role, scope, sees):
    page = SimpleNamespace(url_path="sampling")
    shown = access.pages_for(Access(email="x@example.org", role=role, scope=scope, rule="test"), {"Data": [page]})
    assert (shown == {"Data": [page]}) is sees
