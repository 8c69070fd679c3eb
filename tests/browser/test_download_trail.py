"""A download goes out only once the trail has recorded it: probed in Chromium by making the trail unwritable
between drawing the page and pressing the button."""

import json
import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import RUN_TIMEOUT, serve, wait_for_app


@pytest.fixture(scope="module")
def trail_server(sample_warehouse, tmp_path_factory):
    home = tmp_path_factory.mktemp("download-trail")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= {"QA_WAREHOUSE": str(sample_warehouse), "QA_TRAIL_FILE": str(home / "trail.jsonl")}
    with serve(home / "server.log", env, "--server.address=127.0.0.1") as server:
        yield server, home / "trail.jsonl"


def test_a_download_is_recorded_when_delivered_and_withheld_when_it_cannot_be(browser, trail_server):
    server, trail = trail_server
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    try:
        page.set_default_timeout(RUN_TIMEOUT)
        page.goto(server.url + "/actions")
        wait_for_app(page)
        views = trail.read_text().splitlines()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").first.click()
        assert download.value.suggested_filename.endswith(".csv")
        entries = [json.loads(line) for line in trail.read_text().splitlines()]
        assert len(entries) == len(views) + 1 and entries[-1]["event"] == "download"

        trail.rename(trail.with_suffix(".moved"))
        trail.mkdir()  # the trail's path is now a folder: nothing can be appended
        with pytest.raises(PlaywrightTimeoutError), page.expect_download(timeout=8_000):
            page.get_by_role("button", name="Download CSV").first.click()
        assert "refused: the access trail cannot be written" in server.log.read_text(errors="replace")
    finally:
        page.close()
