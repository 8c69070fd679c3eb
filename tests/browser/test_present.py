"""Presentation mode at projector resolution: no sidebar or chrome, one chart filling the screen, keys move."""

from urllib.parse import parse_qs, urlparse

from .conftest import open_page, screenshot, wait_for_app

CHART = '[data-testid="stPlotlyChart"]'


def slide(page) -> str:
    return parse_qs(urlparse(page.url).query).get("slide", ["1"])[0]


def test_one_chart_fills_a_1920_by_1080_screen_and_the_arrow_keys_move(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, "/present?slide=2")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    charts = [c for c in page.locator(CHART).all() if c.is_visible()]
    assert len(charts) == 1
    box = charts[0].bounding_box()
    assert box["width"] > 0.8 * 1920 and box["height"] > 0.55 * 1080, box
    screenshot(page, "present", "1920x1080")
    first_title = page.locator(f"{CHART} .gtitle, h1").first.text_content()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    assert slide(page) == "3"
    assert page.locator(f"{CHART} .gtitle, h1").first.text_content() != first_title
