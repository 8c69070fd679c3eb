"""The Audit sampling page in Chromium with the sample case list uploaded: it draws, shows no error, is axe
clean and is photographed at 1366 and 1920 wide. The plan is not saved here: the server's warehouse is shared."""

import pytest

from tests.conftest import SAMPLE_DIR

from .conftest import AXE, open_page, screenshot, wait_for_app
from .test_accessibility import AXE_RUN, BLOCKING, STREAMLIT_INTERNAL, WAIVERS, describe, select
from .test_pages import metric, problems

CASE_LIST = SAMPLE_DIR / "case-list" / "open-cases.csv"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_a_drawn_sample_renders_and_is_accessible(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, "/sampling")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(CASE_LIST))
    page.locator('[data-testid="stMetricLabel"]', has_text="Cases planned").wait_for()
    wait_for_app(page)
    screenshot(page, "sampling", f"drawn-{width}")

    assert problems(page) == []
    covered, of = metric(page, "Case-holding workers covered").split(" of ")
    assert covered == of
    assert page.get_by_role("button", name="Download CSV").count() == 1
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN, [[w.rule, w.selector] for w in WAIVERS])
    blocking = [v for v in select(violations, lambda w: w == -1) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    assert select(violations, lambda w: w >= len(STREAMLIT_INTERNAL)) == []
