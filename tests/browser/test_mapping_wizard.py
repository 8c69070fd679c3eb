"""An analyst teaches the dashboard a form it has never seen, in the browser: upload the export, accept the
proposed mapping with corrections, save it, and the new audits appear on the grade trends page."""

import datetime as dt
import io
import os
import shutil

import pytest
import xlsxwriter

from data_pipeline.readers import read_export
from tests.conftest import SAMPLE_DIR

from .conftest import AXE, RUN_TIMEOUT, open_page, screenshot, serve, wait_for_app
from .test_accessibility import AXE_RUN, BLOCKING, WAIVERS, describe, select

RENAMED = {
    "Child ID (Mosaic)": "Child reference",
    "Is the child safe? (Yes/No)": "Child safe?",
    "Team": "Locality",  # the wizard cannot guess this one: the analyst corrects it
}
NAME = "unseen-audit-form.csv"


@pytest.fixture(scope="module")
def unseen_export(tmp_path_factory):
    """The 2026 audit form with some questions reworded, so no built-in profile recognises it."""
    source = SAMPLE_DIR / "case-audit-2026-form.xlsx"
    frame = read_export(io.BytesIO(source.read_bytes()), source.name).rename(columns=RENAMED)
    path = tmp_path_factory.mktemp("unseen") / NAME
    frame.to_csv(path, index=False)
    return path, len(frame)


@pytest.fixture(scope="module")
def analyst_server(sample_warehouse, tmp_path_factory):
    home = tmp_path_factory.mktemp("wizard")
    shutil.copyfile(sample_warehouse, home / "qa.duckdb")
    env = {**os.environ, "QA_WAREHOUSE": str(home / "qa.duckdb"), "QA_PROFILE_DIR": str(home / "profiles")}
    env["QA_TRAIL_FILE"] = str(home / "trail.jsonl")
    with serve(home / "server.log", env, "--server.address=127.0.0.1") as server:
        yield server


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_for_app(page)


def test_a_new_form_is_mapped_saved_and_its_audits_appear(browser, analyst_server, unseen_export):
    path, rows = unseen_export
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, base_url=analyst_server.url)
    page = context.new_page()
    try:
        open_page(page, "/data")
        page.get_by_role("tab", name="Map a new form").click()
        page.locator('.st-key-wizard-upload input[type="file"]').set_input_files(str(path))
        wait_for_app(page)
        choose(page, "team", "Locality")
        screenshot(page, "data-wizard", "corrected")
        page.get_by_role("button", name="Save this mapping profile").click()
        wait_for_app(page)
        screenshot(page, "data-wizard", "saved")
        page.get_by_text("Saved mapping profile unseen-audit-form-v1").wait_for()
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0

        open_page(page, "/grade_trends?tool=unseen-audit-form")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stPlotlyChart"]').count() > 0
        # A bound widget drops a value that is not among its options from the URL; this one stays.
        assert "tool=unseen-audit-form" in page.url
        screenshot(page, "grade_trends", "new-form")
    finally:
        context.close()
    assert rows > 250


# A council's audit form the dashboard has never seen, as Microsoft Forms exports it. It asks no date question
# (the date is Forms' Completion time), grades five areas of practice, one in numbers the wizard cannot take
# for grades, asks three free-text questions, and lets the worker partly agree with the grades.
QUESTIONS = [
    "ID", "Start time", "Completion time", "Email", "Name", "Service area", "Team", "Child's record number",
    "Allocated worker", "Overall grade", "Is the child safe?", "Does the worker agree with the grades?",
    "Voice of the child - grade", "Management oversight grade", "Planning and review grade",
    "Quality of assessment", "Rate the recording (1 = inadequate, 4 = outstanding)",
    "What is going well for the child?", "What needs to change?", "Next steps agreed with the worker",
]  # fmt: skip
RI, INAD, OUT = "Requires improvement", "Inadequate", "Outstanding"
EH, CIC, AE = "Early Help North", "Children in Care South", "Assessment East"
SERVICE = {EH: "Early Help", CIC: "Children in Care", AE: "Safeguarding"}
# id, completed, team, overall, safe, agrees, voice, oversight, planning, assessment, recording (1-4)
AUDITS = [
    (1, "2026-07-06", EH, "Good", "Yes", "Yes", "Good", "Good", RI, "Good", "3"),
    (2, "2026-07-20", EH, RI, "Yes", "Partly", RI, INAD, RI, "Good", "2"),
    (3, "2026-08-04", CIC, "Good", "Yes", "Yes", OUT, "Good", "Good", "Good", "4"),
    (4, "2026-08-18", CIC, OUT, "Yes", "Yes", OUT, "Good", "Good", OUT, "4"),
    (5, "2026-09-01", AE, INAD, "No", "No", INAD, INAD, INAD, RI, "1"),
    (6, "2026-09-15", AE, "Good", "Yes", "Partly", "Good", RI, "Good", "Good", "3"),
    (7, "2026-10-05", EH, "Good", "Yes", "Yes", "Good", "Good", "Good", "Good", "3"),
    (8, "2026-10-19", EH, "Good", "Yes", "Yes", "Good", RI, "Good", "Good", "3"),
    (9, "2026-11-02", CIC, RI, "Yes", "Partly", RI, RI, RI, "Good", "2"),
    (10, "2026-11-09", CIC, OUT, "Yes", "Yes", OUT, "Good", OUT, "Good", "4"),
    (11, "2026-11-16", AE, "Good", "Yes", "No", "Good", "Good", "Good", RI, "3"),
    (12, "2026-11-23", AE, RI, "Yes", "Yes", "Good", RI, RI, RI, "2"),
]
# Counted by hand from AUDITS: July to September is 2026/27 Q2, October to November Q3.
OVERALL = {
    ("2026/27 Q2", "Outstanding"): 1, ("2026/27 Q2", "Good"): 3, ("2026/27 Q2", RI): 1, ("2026/27 Q2", INAD): 1,
    ("2026/27 Q3", "Outstanding"): 1, ("2026/27 Q3", "Good"): 3, ("2026/27 Q3", RI): 2,
}  # fmt: skip
AREAS = ["Assessment and analysis", "Management oversight", "Planning and review", "Recording", "Voice of the child"]
# Recording good or better (3 = Good, 4 = Outstanding) per team: rows 1, 2, 7, 8; 3, 4, 9, 10; 5, 6, 11, 12.
RECORDING = {EH: "3 of 4", CIC: "3 of 4", AE: "2 of 4"}
FORM = "northbridge-practice-audit.xlsx"
TITLE = "northbridge-practice-audit"


def write_form(path) -> None:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Sheet1")
    stamp = book.add_format({"num_format": "m/d/yy h:mm:ss"})
    sheet.write_row(0, 0, QUESTIONS)
    for row, (number, day, team, overall, safe, agrees, *grades, recording) in enumerate(AUDITS, start=1):
        done = dt.datetime.fromisoformat(day) + dt.timedelta(hours=10)
        sheet.write_number(row, 0, number)
        sheet.write_datetime(row, 1, done - dt.timedelta(minutes=25), stamp)
        sheet.write_datetime(row, 2, done, stamp)
        texts = [
            f"The child's plan for case {number} is clear and visits happen",
            f"Case {number}: the chronology needs bringing up to date",
            f"Case {number}: review in six weeks",
        ]
        answers = ["anonymous", "", SERVICE[team], team, f"10{number:05d}", f"Worker {number % 4}", overall, safe,
                   agrees, *grades, recording, *texts]  # fmt: skip
        sheet.write_row(row, 3, answers)
    book.close()


@pytest.fixture(scope="module")
def northbridge(tmp_path_factory):
    path = tmp_path_factory.mktemp("northbridge") / FORM
    write_form(path)
    return path


def open_wizard(page, path) -> None:
    """Upload ``path`` to the wizard and wait for the run it starts to draw the wizard to its end."""
    page.locator('.st-key-wizard-upload input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Save this mapping profile").wait_for()
    wait_for_app(page)


def chart_data(page, index: int) -> list[dict]:
    """The traces of the page's ``index``-th Plotly chart, as the browser holds them."""
    return page.evaluate(
        """i => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')][i].data
               .map(t => ({x: t.x, y: t.y, customdata: t.customdata, name: t.name}))""",
        index,
    )


def test_a_never_seen_form_is_mapped_end_to_end_and_its_grades_appear(browser, analyst_server, northbridge):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, base_url=analyst_server.url)
    context.set_default_timeout(RUN_TIMEOUT)
    page = context.new_page()
    try:
        open_page(page, "/data")
        page.get_by_role("tab", name="Map a new form").click()
        open_wizard(page, northbridge)
        assert page.get_by_text("the form asks no date question").count() == 1
        # Four areas proposed; the one graded in numbers is added by hand, and one is renamed to a known area.
        choose(page, "Area of practice graded by: Quality of assessment", "Assessment and analysis")
        choose(page, "Add another question as an area of practice", "Rate the recording")
        choose(page, "The area of practice it grades", "Recording")
        page.get_by_role("button", name="Add area").click()
        wait_for_app(page)
        for answer, grade in (("1", INAD), ("2", RI), ("3", "Good"), ("4", OUT)):
            choose(page, f"Grade meant by: {answer}", grade)
        screenshot(page, "data-wizard", "never-seen-form")
        page.get_by_role("button", name="Save this mapping profile").click()
        wait_for_app(page)
        page.get_by_text(f"Saved mapping profile {TITLE}-v1").wait_for()
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        screenshot(page, "data-wizard", "never-seen-saved")

        open_page(page, f"/grade_trends?tool={TITLE}")
        assert page.locator('[data-testid="stException"]').count() == 0
        # a grade no audit has is a trace with no bars, whose empty customdata the browser drops
        bars = [c for trace in chart_data(page, 0) for c in trace["customdata"] or []]
        overall = {(cycle, grade): n for cycle, n, _, grade in bars if n}
        assert overall == OVERALL
        # the heatmap draws a grey trace for suppressed cells under the shares; the shares carry the hover text
        areas = next(t for t in chart_data(page, 3) if t["customdata"])
        assert areas["x"] == AREAS
        recording = {team: row[AREAS.index("Recording")] for team, row in zip(areas["y"], areas["customdata"])}
        assert recording == {team: f"{k} (too few to rate)" for team, k in RECORDING.items()}
        screenshot(page, "grade_trends", "never-seen-form")
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_the_open_wizard_fits_the_screen_and_passes_axe(browser, analyst_server, northbridge, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=analyst_server.url)
    context.set_default_timeout(RUN_TIMEOUT)
    page = context.new_page()
    try:
        open_page(page, "/data")
        page.get_by_role("tab", name="Map a new form").click()
        open_wizard(page, northbridge)
        screenshot(page, "data-wizard", f"{width}x{height}")
        main = page.locator('[data-testid="stMain"]')
        assert main.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert page.locator('[data-testid="stException"]').count() == 0
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN, [[w.rule, w.selector] for w in WAIVERS])
        blocking = [v for v in select(violations, lambda w: w == -1) if v["impact"] in BLOCKING]
        assert not blocking, describe(blocking)
    finally:
        context.close()
