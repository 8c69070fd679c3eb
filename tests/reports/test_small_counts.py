"""No count of 1 to 4 leaves in the meeting pack: not in a sentence, a table cell, a chart (its data and the
workbook behind it in the PowerPoint) or the PDF; Present draws the same sections (``pack.slides()``).

The check reads every number in the text and fails on any 1 to 4 standing alone, once the numbers that are not
counts are taken out (``NOT_COUNTS``, each named). Sections that are not figures are left out by name, as the
downloads' test leaves out the same tables: records, PLDs and published figures.
"""

import datetime as dt
import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from findings import headline as findings
from qa_read import moderation
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from reports import content, pdf, pptx
from tests.conftest import ROOT, SAMPLE_TODAY
from tests.read import sample
from tests.reports.conftest import SAMPLE_CYCLE

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Numbers in the pack that count no one, each taken out before the count of 1 to 4 is looked for.
NOT_COUNTS = (
    r"\d{4}/\d{2} Q[1-4]",  # a cycle
    rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}(, \d{{2}}:\d{{2}})?",  # a date, and the data's time
    r"\d{4}-\d{2}-\d{2}",  # a date in a record list
    r"\d+%",  # a percentage: the share rule, checked on the figures themselves below
    r"\d+\.\d+",  # Cohen's kappa
    r"\b\d+ days?\b|\b\d+ days past due\b",  # a wait, not a count of cases
    r"\(\d+ of \d+\)|\b\d+ of \d+$",  # a table continued over slides ("(1 of 2)"), the deck's slide number
    r"4 or 5 out of 5",  # the feedback form's scale
    r"1 is perfect agreement, 0 chance",
    r"\bpage \d+",  # the PDF's page number
    r"n<5|fewer than 5|Fewer than 5|1 to 4",  # the rule itself
)
# Sections that are not figures: lists of records (shown only to roles that may see rows), the PLD log (meetings,
# four a year by design), quotes (people's words), the council's published figures.
NOT_FIGURES = {"escalations_waiting", "pld", "quotes", "national_context"}
SMALL = re.compile(r"(?<![\w./-])[1-4](?![\w./%-])")


def small_counts(text: str) -> list[str]:
    """Each count of 1 to 4 in ``text``, with the words around it."""
    cleaned = text
    for pattern in NOT_COUNTS:
        cleaned = re.sub(pattern, " ", cleaned, flags=re.MULTILINE)
    return [cleaned[max(0, m.start() - 30) : m.end() + 30] for m in SMALL.finditer(cleaned)]


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        # The leaks the probe found, as the pack wrote them.
        ("2 of 3 escalated audits from 2025/26 Q2 await management oversight", 2),
        ("Moderators kept 43% of grades in 2025/26 Q2; 1 moved down and 3 up", 2),
        ("Moderators kept 3 of 7 grades in 2025/26 Q2", 1),
        ("Pathway Team has the most overdue actions (4); the longest is 12 days past due", 1),
        ("3 of 40 graded audits", 1),
        ("Share answering 4 or 5 out of 5, of those who answered the question (n: 2025/26 Q2 3, 12)", 1),
        # Not counts: a change in points is the difference of two shares.
        ("56% of graded audits were good or better in 2025/26 Q2, down 4 points on 2025/26 Q1", 0),
        ("Good or better | 56% | 60% | -4 points", 0),
        ("fewer than 5 of 36 open actions overdue at 1 December 2026", 0),
        ("Headline measures (1 of 2)", 0),
        ("0 of 36 escalated audits", 0),
    ],
)
def test_the_check_finds_counts_and_nothing_else(text, leaks):
    assert len(allowed(small_counts(text))) == leaks


def allowed(found: list[str]) -> list[str]:
    """A change in points ("up 3 points", "-2 points") is the difference of two shares, not a count."""
    return [f for f in found if not re.search(r"(up|down|[+-])\s?[1-4] points?", f)]


def counted(row, columns) -> list[str]:
    """The cells of ``row`` outside a column of days (a wait counts no one)."""
    return [cell for cell, name in zip(row, columns, strict=True) if "days" not in name.lower()]


def section_text(section: content.Section) -> str:
    parts = [section.heading, section.title, section.alt, section.note]
    if section.table is not None:
        parts += [
            *section.table.columns,
            *(cell for row in section.table.rows for cell in counted(row, section.table.columns)),
        ]
    if section.chart is not None:
        parts += [*section.chart.categories, *(label for s in section.chart.series for label in s.labels)]
        parts += [s.name for s in section.chart.series]
    return "\n".join(parts)


def chart_counts(chart: content.Chart | None) -> list[float]:
    if chart is None or chart.percent:
        return []
    return [v for s in chart.series for v in s.values if v is not None and 1 <= v < 5]


def cells_of_small_counts(section: content.Section) -> list[str]:
    """Cells holding a count of 1 to 4 (a column of days counts no one)."""
    if section.table is None:
        return []
    cells = (cell for row in section.table.rows for cell in counted(row, section.table.columns))
    return [cell for cell in cells if cell.strip() in {"1", "2", "3", "4"}]


@pytest.fixture(scope="module")
def packs(small_wh, sample_wh):
    """Every group small (the hand-built warehouse, all of it and South alone) and one small team of the sample
    seen by its manager."""
    team = Scope(teams=("Early Help Schools",))
    return {
        "small": content.build(small_wh, sample.Q2, today=sample.TODAY),
        "small, South": content.build(small_wh, sample.Q2, ["South"], today=sample.TODAY),
        "one team": content.build(sample_wh, SAMPLE_CYCLE, today=SAMPLE_TODAY, scope=team),
    }


def test_the_fixture_holds_the_small_groups_the_probe_found(small_wh: Warehouse):
    # By hand from tests/read/sample.py, 2025/26 Q2: escalated A06, A07, A09, oversight only for A06; moderated
    # A02, A03 (down), A04 (up), A05, A06, A08 (up), A09 (up); open on 15 September X1, X2, X5, X6, X7, overdue X1, X5.
    found = {x.key: x for x in findings.headline(small_wh, Filters(), sample.TODAY)}
    assert (found["open_escalations"].numerator, found["open_escalations"].denominator) == (2, 3)
    assert (found["overdue_actions"].numerator, found["overdue_actions"].denominator) == (2, 5)
    moved = moderation.moderation_movement(small_wh, Filters(cycle_from=sample.Q2, cycle_to=sample.Q2), "Ofsted")
    assert dict(zip(moved["direction"], moved["n"], strict=True)) == {"Moved down": 1, "Same": 3, "Moved up": 3}


def test_a_share_that_gives_back_a_count_of_one_to_four_is_not_given(packs):
    # 3 of the 7 moderated grades kept (above): 43% would give the 3 back.
    moderation_slide = next(s for s in packs["small"].slides() if s.key == "moderation")
    assert moderation_slide.title.startswith("Moderators kept fewer than 5 of 7 grades")
    assert "%" not in moderation_slide.title


@pytest.mark.parametrize("name", ["small", "small, South", "one team"])
def test_no_section_states_a_count_of_one_to_four(packs, name):
    """What the deck, the PDF and Present all draw."""
    pack = packs[name]
    found = []
    for section in pack.slides():
        if section.key in NOT_FIGURES:
            continue
        found += [f"{section.key}: {t!r}" for t in allowed(small_counts(section_text(section)))]
        found += [f"{section.key}: chart value {v:g}" for v in chart_counts(section.chart)]
        found += [f"{section.key}: cell {c!r}" for c in cells_of_small_counts(section)]
    found += [f"definitions: {t!r}" for term in pack.definitions for t in small_counts(" ".join(term))]
    assert found == [], "\n".join(found)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def workbook_numbers(chart_part) -> list[float]:
    """The numbers in the workbook embedded behind a PowerPoint chart (what "Edit data" opens)."""
    book = zipfile.ZipFile(io.BytesIO(chart_part.chart_workbook.xlsx_part.blob))
    sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    return [
        float(c.find("x:v", ns).text)
        for c in sheet.iterfind(".//x:c", ns)
        if c.get("t") != "s" and c.find("x:v", ns) is not None
    ]


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            parts += [cell for row in rows for cell in counted(row, rows[0])]
        if shape.has_chart and shape.chart.has_title:
            parts.append(shape.chart.chart_title.text_frame.text)
        if shape.has_chart:
            parts += [str(c) for c in shape.chart.plots[0].categories]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["small", "small, South", "one team"])
def test_the_powerpoint_states_no_count_of_one_to_four(packs, name):
    pack = packs[name]
    deck = Presentation(io.BytesIO(pptx.render(pack)))
    slides = list(deck.slides)
    found = [f"title slide: {t!r}" for t in small_counts(slide_text(slides[0]))]
    found += [f"definitions: {t!r}" for t in small_counts(slide_text(slides[-1]))]
    for section, slide in zip(pack.slides(), slides[1:-1], strict=True):
        if section.key in NOT_FIGURES:
            continue
        found += [f"{section.key}: {t!r}" for t in allowed(small_counts(slide_text(slide)))]
        for shape in slide.shapes:
            if shape.has_chart and not section.chart.percent:
                counts = [v for v in workbook_numbers(shape.chart.part) if 1 <= v < 5]
                found += [f"{section.key}: workbook value {v:g}" for v in counts]
                drawn = [v for s in shape.chart.plots[0].series for v in s.values if v is not None and 1 <= v < 5]
                found += [f"{section.key}: chart value {v:g}" for v in drawn]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", ["small", "small, South", "one team"])
def test_the_pdf_states_no_count_of_one_to_four(packs, name):
    pack = packs[name]
    pages = PdfReader(io.BytesIO(pdf.render(pack))).pages
    # The title page, one page per slide (a long one may run on, with no title), then the definitions. A line that
    # is a number alone is an axis tick or a table cell: the cells are the sections', checked above.
    titles = {flat(s.title): s.key for s in pack.slides()}
    found, key = [], "title"
    for page in pages:
        text = page.extract_text()
        key = next((k for title, k in titles.items() if title in flat(text)), key)
        if key in NOT_FIGURES:
            continue
        text = re.sub(r"^\s*\d+\s*$", " ", text, flags=re.MULTILINE)
        found += [f"{key}: {t!r}" for t in allowed(small_counts(text))]
    assert found == [], "\n".join(found)


def drawn_counts(spec: dict, percent: bool) -> list[str]:
    """Counts of 1 to 4 in a Present figure: a count chart's values, and table cells outside a column of days."""
    found = []
    for trace in spec["data"]:
        if trace.get("type") == "table":
            header = [str(h) for h in trace["header"]["values"]]
            columns = [c for c, h in zip(trace["cells"]["values"], header, strict=True) if "days" not in h.lower()]
            found += [str(v) for column in columns for v in column if str(v).strip() in {"1", "2", "3", "4"}]
        elif not percent:
            values = [v for axis in ("x", "y") for v in (trace.get(axis) or []) if isinstance(v, int | float)]
            found += [f"{v:g}" for v in values if 1 <= v < 5]
    return found


def test_present_states_no_count_of_one_to_four(sample_warehouse, monkeypatch):
    """Present, slide by slide, on the sample (whose escalations per cycle and awaiting oversight include 1 to 4)."""
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    pack = content.build(Warehouse(sample_warehouse), SAMPLE_CYCLE, today=dt.date.today())
    counted = [s for x in pack.slides() if x.chart is not None and not x.chart.percent for s in x.chart.series]
    assert any(content.SUPPRESSED in s.labels for s in counted), "no count of 1 to 4 in the sample to test on"
    found = []
    for number, section in enumerate(pack.slides(), start=1):
        if section.key in NOT_FIGURES:
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update({"present_cycle": SAMPLE_CYCLE, "slide": str(number)})
        at.run()
        at.switch_page("pages/present.py").run()
        assert not at.exception, at.exception
        text = "\n".join([*(t.value for t in at.title), *(c.value for c in at.caption)]).replace("\\", "")
        assert text.startswith(section.title)  # the slide Present shows is this section (markdown escapes dropped)
        found += [f"{section.key}: {t!r}" for t in allowed(small_counts(text))]
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        percent = section.chart is not None and section.chart.percent
        found += [f"{section.key}: drawn {v}" for v in drawn_counts(spec, percent)]
    assert found == [], "\n".join(found)
