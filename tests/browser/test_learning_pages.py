"""The Learning Episodes and Learning loop pages at the two common desktop widths: drawn, no sideways scroll,
screenshots in artifacts/screenshots/ (<page>-<width>.png) to look at."""

import pytest

from .conftest import open_page, screenshot

WIDTHS = (1366, 1920)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "name", "charts"), [("/episodes", "episodes", 2), ("/loop", "loop", 2)])
def test_learning_page_fits_the_width(browser, server, path, name, charts, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server.url)
    try:
        page = context.new_page()
        open_page(page, path)
        assert not page.locator('[data-testid="stException"]').count()
        assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').count() == charts
        sideways = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"]')]
                     .some(e => e.scrollWidth > e.clientWidth + 1)"""
        )
        assert not sideways, f"{path} scrolls sideways at {width}px"
        screenshot(page, name, str(width))
    finally:
        context.close()
