"""Presentation mode at projector resolution: no sidebar or chrome, one chart filling the screen, keys move."""

import contextlib
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import SCREENSHOTS, open_page, screenshot, wait_for_app

CHART = '[data-testid="stPlotlyChart"]'


def shot(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def slide_of(url: str) -> str:
    return parse_qs(urlparse(url).query).get("slide", ["1"])[0]


def slide(page) -> str:
    return slide_of(page.url)


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


def fits(page, locator, width: int, height: int) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width + 1
        and (box["y"] + box["height"] <= height + 1)
    )


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_every_slide_fits_the_screen_with_its_controls(page, width, height):
    """Each slide's title, chart or table, footnote and the controls lie inside the window, nothing clipped;
    every slide is photographed for review (artifacts/screenshots/present-slide-NN-WxH.png)."""
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, "/present")
    seen = []
    while slide(page) not in seen:
        number = slide(page)
        seen.append(number)
        page.screenshot(path=shot(f"present-slide-{int(number):02d}-{width}x{height}"))
        title = page.locator("h1").first
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth"), f"slide {number}: title clipped"
        visible = [c for c in page.locator(CHART).all() if c.is_visible()]
        assert len(visible) == 1, f"slide {number}: {len(visible)} charts"
        box = visible[0].bounding_box()
        assert box["height"] > 0.4 * height, f"slide {number}: chart only {box['height']}px tall"
        for part in (
            title,
            visible[0],
            page.locator('.st-key-present-screen [data-testid="stCaptionContainer"]'),
            *controls(page),
        ):
            assert fits(page, part, width, height), f"slide {number}: {part} is outside the window"
        page.keyboard.press("ArrowRight")
        with contextlib.suppress(PlaywrightTimeoutError):  # the last slide stays where it is
            page.wait_for_url(lambda url, number=number: slide_of(url) != number, timeout=5_000)
        wait_for_app(page)
    assert len(seen) > 5


def controls(page):
    return [
        page.get_by_role("button", name="Previous").first,
        page.get_by_role("button", name="Next").first,
        page.get_by_role("link", name="Dashboard"),
    ]


def test_a_4k_screen_can_have_chart_text_to_match(page):
    """Titles and footnotes grow with the window by themselves; a chart's text is set in pixels, so a 3840x2160
    screen asks for Extra large, which doubles it (22px to 44px), and the slide still fits with its controls."""
    page.set_viewport_size({"width": 3840, "height": 2160})
    open_page(page, "/present?slide=2&present_text=Extra+large")
    [chart] = [c for c in page.locator(CHART).all() if c.is_visible()]
    sizes = chart.locator(".xtick text, .ytick text").evaluate_all(
        "ticks => ticks.map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize))"
    )
    assert sizes and min(sizes) >= 40, sizes
    screenshot(page, "present", "3840x2160")
    for part in (page.locator("h1").first, chart, *controls(page)):
        assert fits(page, part, 3840, 2160), f"{part} is outside the window"
