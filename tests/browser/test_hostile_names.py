"""Data is never markup: a warehouse whose names and texts are crafted as an attacker would, loaded through the real
ingest from the sample exports, walked page by page in Chromium. No request may leave for any address but the
dashboard's own, and the crafted text must appear as text.
"""

import csv
import io
import os
import re
import urllib.parse
import zipfile
from xml.sax.saxutils import escape as xml_escape

import pytest

from tests.conftest import SAMPLE_DIR, SAMPLE_TODAY

from .conftest import PAGES, RUN_TIMEOUT, screenshot, serve, wait_for_app

OUTSIDE = "127.0.0.1:9"  # the discard port: any request to it is one the page should never have made
AREA = f"![a](http://{OUTSIDE}/area.png) Care Leavers <img src=http://{OUTSIDE}/area-img.png>"
# Exact cell values in the sample exports, and what a prober renamed them to.
HOSTILE = {
    "Care Leavers": AREA,
    "Front Door and Assessment": "[Front Door](javascript:alert(1)) **and** Assessment :red[x] $x$ :material/home:",
    "MASH": f'=HYPERLINK("http://{OUTSIDE}/h";"MASH")',
    "Pathway Team": f"<img src=http://{OUTSIDE}/team.png onerror=alert(1)> Pathway __Team__",
    "Recording": f"![t](http://{OUTSIDE}/theme.png) Recording",
}
COMMENT = f"<img src=http://{OUTSIDE}/comment.png> ![c](http://{OUTSIDE}/c.png) [x](javascript:alert(1)) **loud**"
LONG_TEXT = 60  # strings this long are free text (notes, comments, actions): the first few of a file become COMMENT


def hostile_csv(data: bytes) -> bytes:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp1252"
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([[HOSTILE.get(cell, cell) for cell in row] for row in rows])
    return out.getvalue().encode(encoding)


def hostile_xlsx(data: bytes) -> bytes:
    """Each string cell equal to a name replaced whole (headings never are), and the first long texts too."""
    replaced = {"long": 0}

    def swap(match: re.Match) -> str:
        text = match.group(2)
        for plain, crafted in HOSTILE.items():
            if text == xml_escape(plain):
                return f"{match.group(1)}{xml_escape(crafted)}</t>"
        if len(text) > LONG_TEXT and replaced["long"] < 5:
            replaced["long"] += 1
            return f"{match.group(1)}{xml_escape(COMMENT)}</t>"
        return match.group(0)

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/sharedStrings.xml" or item.filename.startswith("xl/worksheets/"):
                body = re.sub(r"(<t(?: [^>]*)?>)([^<]*)</t>", swap, body.decode("utf-8")).encode("utf-8")
            target.writestr(item, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from data_pipeline.ingest import ingest

    home = tmp_path_factory.mktemp("hostile")
    files = []
    for path in sorted(SAMPLE_DIR.iterdir()):
        if path.suffix == ".csv":
            files.append((path.name, hostile_csv(path.read_bytes())))
        elif path.suffix == ".xlsx":
            files.append((path.name, hostile_xlsx(path.read_bytes())))
    results = ingest(files, home / "qa.duckdb", today=SAMPLE_TODAY)
    assert [r.error for r in results if r.error] == []
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= {"QA_WAREHOUSE": str(home / "qa.duckdb"), "QA_TRAIL_FILE": str(home / "trail.jsonl")}
    with serve(home / "server.log", env, "--server.address=127.0.0.1") as server:
        yield server


def test_the_crafted_names_were_loaded(hostile_server):
    import duckdb

    con = duckdb.connect(str(hostile_server.log.parent / "qa.duckdb"), read_only=True)
    try:
        areas = {r[0] for r in con.execute("SELECT DISTINCT service_area FROM audits").fetchall()}
        teams = {r[0] for r in con.execute("SELECT DISTINCT team FROM audits").fetchall()}
        notes = con.execute("SELECT count(*) FROM focus_group_notes WHERE text = ?", [COMMENT]).fetchone()[0]
    finally:
        con.close()
    assert AREA in areas and HOSTILE["Pathway Team"] in teams and HOSTILE["MASH"] in teams
    assert notes >= 1


PAGE_PATHS = [p.path for p in PAGES] + [
    "/pack?" + urllib.parse.urlencode({"pack_area": AREA}),
    "/grade_trends?" + urllib.parse.urlencode({"area": AREA}),
]


@pytest.mark.parametrize("path", PAGE_PATHS, ids=[p.strip("/").split("?")[0] or "overview" for p in PAGE_PATHS])
def test_no_request_leaves_and_the_names_show_as_text(browser, hostile_server, path):
    own = urllib.parse.urlsplit(hostile_server.url).netloc
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.set_default_timeout(RUN_TIMEOUT)
        page.goto(hostile_server.url + path)
        wait_for_app(page)
        page.wait_for_timeout(500)
        outside = [u for u in requests if urllib.parse.urlsplit(u).scheme in ("http", "https", "ws", "wss")]
        outside = [u for u in outside if urllib.parse.urlsplit(u).netloc != own]
        assert outside == []
        assert page.locator(f'img[src*="{OUTSIDE}"], a[href^="javascript"]').count() == 0
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "**loud**" not in body.replace(COMMENT, "")  # the comment is either shown whole or not at all
        if path.startswith("/pack"):
            assert AREA in body, "the chosen service area is shown as written"
            screenshot(page, "hostile-pack", "1366")

    finally:
        context.close()


def test_present_shows_every_slide_title_as_text(browser, hostile_server):
    """Slide titles name service areas and teams (the probe's image loaded from one): step through them all."""
    own = urllib.parse.urlsplit(hostile_server.url).netloc
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.set_default_timeout(RUN_TIMEOUT)
        page.goto(hostile_server.url + "/present")
        wait_for_app(page)
        titles = []
        while True:
            titles.append(page.locator("h1").first.inner_text())
            if AREA in titles[-1] and sum(AREA in t for t in titles) == 1:
                screenshot(page, "hostile-present", "1920")
            if page.get_by_role("button", name="Next").first.is_disabled() or len(titles) > 40:
                break
            page.get_by_role("button", name="Next").first.click()
            wait_for_app(page)
        assert any(AREA in t for t in titles), titles
        assert [u for u in requests if urllib.parse.urlsplit(u).netloc not in (own, "")] == []
        assert page.locator(f'img[src*="{OUTSIDE}"]').count() == 0
    finally:
        context.close()
