"""What goes in the pack: sections state findings, carry alt text, match their queries and suppress small numbers."""

import re

import pytest

from data_pipeline.vocab import SCALE_ORDER
from findings import headline
from qa_read import grades
from qa_read.filters import Filters
from qa_read.stats import SMALL_N
from reports import content
from tests.read import sample
from ui.palette import GRADE_COLOURS, GRADE_PATTERNS

FINDING = re.compile(r"\d|[Tt]oo few|[Ee]very")


def test_every_section_states_a_finding_and_has_alt_text(pack):
    assert pack.sections
    for section in pack.slides():
        assert FINDING.search(section.title), section.title
        assert len(section.alt) > 40, section.key
        assert (section.chart is None) != (section.table is None), section.key


def test_the_core_sections_come_first_in_order(sample_pack):
    keys = list(dict.fromkeys(s.key for s in sample_pack.sections))
    assert keys[:7] == [
        "headline",
        "grades_ofsted",
        "trend",
        "heatmap",
        "escalations",
        "escalations_waiting",
        "moderation",
    ]
    # The insight modules are all present in this repository, so their sections follow.
    assert {"themes", "child_voice", "supervision", "actions", "pld", "impact"} <= set(keys)


def test_grade_distribution_matches_its_query_and_palette(small_wh, small_pack):
    section = next(s for s in small_pack.sections if s.key == "grades_ofsted")
    dist = grades.grade_distribution(small_wh, Filters(cycle_to=sample.Q2))
    chart = section.chart
    assert chart.kind == content.STACKED_100
    assert [s.name for s in chart.series] == list(SCALE_ORDER["Ofsted"])
    for series in chart.series:
        assert series.colour == GRADE_COLOURS[series.name]
        assert series.pattern == GRADE_PATTERNS[series.name]
        expected = dist[dist["grade"] == series.name]
        for value, share, total, n in zip(
            series.values, expected["share"], expected["total"], expected["n"], strict=True
        ):
            # A grade counting 1 to 4 audits gives its count back from the total: blank too, as in downloads.
            assert value is None if total < SMALL_N or 1 <= n < SMALL_N else value == pytest.approx(share)


def test_a_cycle_under_five_audits_is_suppressed_never_a_percentage(small_pack):
    # 2024/25 Q4 has one graded audit in the hand-built warehouse.
    for key in ("grades_ofsted", "trend"):
        chart = next(s for s in small_pack.sections if s.key == key).chart
        assert chart.categories[0] == f"{sample.Q4}\n(n<{SMALL_N})"
        for series in chart.series:
            assert series.values[0] is None
            assert series.labels[0] in ("", "n<5")
            if series.lower is not None:
                assert series.lower[0] is None and series.upper[0] is None


def test_heatmap_cells_under_five_read_n_lt_5(small_pack):
    cells = [cell for s in small_pack.sections if s.key == "heatmap" for row in s.table.rows for cell in row[1:]]
    assert cells and set(cells) <= {"n<5", ""}, cells
    for section in small_pack.sections:
        if section.key == "heatmap":
            assert all(shade is None for row in section.table.shades for shade in row)


def test_headline_matches_overview_with_denominators(sample_wh, sample_pack):
    from tests.conftest import SAMPLE_TODAY

    found = {x.key: x for x in headline.headline(sample_wh, Filters(cycle_to=sample_pack.cycle), SAMPLE_TODAY)}
    table = next(s for s in sample_pack.sections if s.key == "headline").table
    rows = {r[0]: r for r in table.rows}
    good = found["good_or_better"]
    assert rows["Good or better"][1] == f"{good.value:.0%}"
    assert rows["Good or better"][4] == f"{good.numerator} of {good.denominator} graded audits"
    assert rows["Audits completed"][1] == f"{found['audits_completed'].value:.0f}"


def test_headline_suppresses_a_share_on_a_small_denominator(small_wh):
    # Only audits of South: 2 graded in 2025/26 Q2, so "good or better" rests on fewer than five.
    pack = content.build(small_wh, sample.Q2, ["South"], today=sample.TODAY)
    rows = {r[0]: r for r in next(s for s in pack.sections if s.key == "headline").table.rows}
    assert rows["Good or better"][1] == "n<5"
    assert rows["Good or better"][3] == ""
    assert rows["Good or better"][4] == "fewer than 5 graded audits"  # neither the count nor what it is out of


def test_long_tables_split_evenly():
    table = content.Table(("A",), tuple((str(i),) for i in range(17)))
    parts = content.Section("k", "H", "17 rows", "alt text", table=table).parts(9)
    assert [len(p.table.rows) for p in parts] == [9, 8]
    assert [p.part for p in parts] == ["1 of 2", "2 of 2"]


def test_an_unknown_cycle_is_refused(small_wh):
    with pytest.raises(ValueError, match="no data for cycle"):
        content.build(small_wh, "2030/31 Q1")


def test_file_names_carry_the_cycle(small_wh):
    pack = content.build(small_wh, sample.Q2, ["North"], today=sample.TODAY)
    assert pack.file_name("pptx") == "meeting-pack-2025-26-q2-north.pptx"


def test_themes_and_quotes_come_from_focus_groups_and_child_voice_by_default(sample_wh, sample_pack):
    from qa_read import themes
    from reports.model import QUOTE_SOURCES

    assert set(QUOTE_SOURCES) == {"focus_group_notes", "child_voice"}
    slide = next(s for s in sample_pack.sections if s.key == "themes")
    # The top theme is the Themes page's own count over the same sources and cycle.
    f = Filters(cycle_from=sample_pack.cycle, cycle_to=sample_pack.cycle)
    top = themes.theme_counts(sample_wh, f, QUOTE_SOURCES).iloc[0]["theme"]
    assert slide.title.startswith(f"{top} came up most")
    assert "focus group notes and child's voice" in slide.title
    quotes = next(s for s in sample_pack.sections if s.key == "quotes")
    assert all(row[2].split(":")[0] in ("Focus group notes", "Child's voice") for row in quotes.table.rows)


def test_quotes_from_can_be_chosen(small_wh):
    pack = content.build(small_wh, sample.Q2, today=sample.TODAY, quotes_from=["audit_comments"])
    quotes = next((s for s in pack.sections if s.key == "quotes"), None)
    assert quotes is None or all(row[2].startswith("Audit comments:") for row in quotes.table.rows)
    with pytest.raises(ValueError):
        content.build(small_wh, sample.Q2, today=sample.TODAY, quotes_from=["actions"])
