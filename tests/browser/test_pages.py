"""Every page in a real browser: it runs, draws its charts, and the URL-bound filters survive the round trip."""

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from .conftest import PAGE_IDS, PAGES, open_page, screenshot, wait_for_app

AREA = "Child Protection and Court"
HOME = next(p for p in PAGES if p.path == "/")  # the default page: the overview, with its metric cards
NAV_LINKS = '[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]'
# A common council laptop and a common meeting-room screen: every page is photographed at both for review.
SCREENS = ({"width": 1366, "height": 768}, {"width": 1920, "height": 1080})


def query(params: dict[str, list[str]]) -> str:
    return f"?{urlencode(params, doseq=True)}" if params else ""


def problems(page) -> list[str]:
    """Exceptions and error boxes Streamlit drew, its "Page not found" dialog, and JavaScript errors."""
    found = [f"exception: {text}" for text in page.locator('[data-testid="stException"]').all_inner_texts()]
    found += [f"error box: {text}" for text in page.locator('[data-testid="stAlertContentError"]').all_inner_texts()]
    found += [f"dialog: {text}" for text in page.get_by_role("dialog").filter(has_text="not found").all_inner_texts()]
    return found + [f"javascript: {error}" for error in page.errors]


def selected(page, key: str) -> list[str]:
    """The options a sidebar multiselect shows as chosen (its chips)."""
    return page.locator(f'[data-testid="stSidebar"] .st-key-{key} [data-tag]').all_inner_texts()


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def first_chart_title(page) -> str:
    return page.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_sidebar_lists_exactly_these_pages(page):
    open_page(page, "/")
    more = page.locator('[data-testid="stSidebarNavViewButton"]', has_text="more")
    if more.count():  # past ten pages Streamlit folds the rest behind "View N more"
        more.click()
    found = []
    for link in page.locator(NAV_LINKS).all():
        # The label sits beside an icon whose ligature name is text too, so read the label's own container.
        label = link.locator('[data-testid="stMarkdownContainer"]').inner_text().strip()
        found.append((urlparse(link.get_attribute("href")).path, label))
    assert found == [(p.path, p.title) for p in PAGES], "the sidebar differs from discover_pages()' reading"


# Unfiltered only: tests/app runs every page filtered too, and the tests below filter in the browser.
@pytest.mark.parametrize("spec", PAGES, ids=PAGE_IDS)
def test_page_renders(opened, spec):
    page = opened(spec)
    screenshot(page, spec.name, "default")
    shown = page.viewport_size
    try:
        for screen in SCREENS:
            page.set_viewport_size(screen)
            screenshot(page, spec.name, f"{screen['width']}x{screen['height']}")
    finally:
        page.set_viewport_size(shown)

    assert problems(page) == []
    assert page.title().strip(), "the document has no title"
    assert page.locator("h1").first.inner_text().strip(), "the page has no <h1> title"
    if spec.charts:
        assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot svg.main-svg').count(), (
            "no chart drawn (a page without charts by design goes in WITHOUT_CHARTS)"
        )
    assert params(page) == {}, "the page put filters in the address on its own"


def test_url_filter_reaches_the_sidebar_and_narrows_the_view(opened, page):
    unfiltered = opened(HOME)
    everyone = metric(unfiltered, "Audits completed")
    assert selected(unfiltered, "area") == []

    open_page(page, "/" + query({"area": [AREA]}))
    screenshot(page, "overview", "filtered")
    assert selected(page, "area") == [AREA]
    assert metric(page, "Audits completed") != everyone
    assert problems(page) == []


def test_choosing_a_filter_in_the_sidebar_updates_the_url_and_the_charts(page):
    open_page(page, "/")
    everyone = metric(page, "Audits completed")
    chart_title = first_chart_title(page)

    box = page.locator('[data-testid="stSidebar"] .st-key-area').get_by_role("combobox")
    box.click()
    box.fill(AREA)
    page.get_by_role("option", name=AREA, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]area="))
    wait_for_app(page)
    screenshot(page, "overview", "chosen-in-sidebar")

    assert params(page) == {"area": [AREA]}
    assert selected(page, "area") == [AREA]
    assert metric(page, "Audits completed") != everyone
    assert first_chart_title(page) != chart_title, "the chart was not redrawn for the new filter"
    assert problems(page) == []


def test_moving_to_another_page_keeps_the_filter(page):
    open_page(page, "/" + query({"area": [AREA]}))
    page.locator(NAV_LINKS, has_text="Grade trends").click()
    page.wait_for_url(re.compile(r"/grade_trends(\?|$)"))
    wait_for_app(page)
    screenshot(page, "grade_trends", "filtered")

    assert urlparse(page.url).path == "/grade_trends"
    assert params(page) == {"area": [AREA]}
    assert selected(page, "area") == [AREA]
    assert page.locator("h1").first.inner_text().strip() == "Grade trends"
    assert problems(page) == []
