"""The pack's context slide carries exactly the figures the Benchmarks page shows: both come from
findings/context.py, and this test holds the drawn slide and the page to each other."""

import io

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from reports import pptx
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def slide_section(sample_pack):
    [section] = [s for s in sample_pack.sections if s.key == "national_context"]
    return section


@pytest.fixture(scope="module")
def page(sample_warehouse):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QA_WAREHOUSE", str(sample_warehouse))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        at.run()
        at.switch_page("pages/benchmarks.py").run()
    assert not at.exception, at.exception
    return at


def slide_text(slide) -> str:
    shapes = list(slide.shapes)
    cells = [cell.text for s in shapes if s.has_table for row in s.table.rows for cell in row.cells]
    return " ".join([s.text_frame.text for s in shapes if s.has_text_frame] + cells)


def test_the_slide_and_the_page_give_the_same_figures(slide_section, page):
    shown = page.dataframe[0].value
    page_rows = [tuple(r) for r in shown[["Measure", "Portsmouth", "Neighbours' median", "Neighbours' range",
                                          "England", "Rank"]].itertuples(index=False)]  # fmt: skip
    slide_rows = [row[:6] for row in slide_section.table.rows]
    assert slide_rows == page_rows
    assert len(slide_rows) == 9


def test_the_slide_title_is_the_pages_headline(slide_section, page):
    assert f"**{slide_section.title}**" == page.markdown[1].value.replace("\\", "")
    assert slide_section.title.startswith("Portsmouth: above its statistical neighbours' median on ")


def test_the_drawn_slide_holds_the_table_and_its_sources(sample_pack, slide_section):
    deck = Presentation(io.BytesIO(pptx.render(sample_pack)))
    texts = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        + " ".join(
            cell.text for shape in slide.shapes if shape.has_table for row in shape.table.rows for cell in row.cells
        )
        for slide in deck.slides
    ]
    drawn = [t for t in texts if slide_section.title in t]  # a table too long for one slide continues
    assert len(drawn) == len(slide_section.parts())
    for row in slide_section.table.rows:
        assert any(all(cell in slide for cell in row) for slide in drawn)
    assert all("Source: DfE, Children's social work workforce; " in slide and ": 2025." in slide for slide in drawn)
