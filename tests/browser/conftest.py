"""The real dashboard, served once per session and driven by Debian's headless Chromium through Playwright.

Every test in this folder is marked ``browser``. Without Chromium the folder is skipped, except under CI,
where a missing browser is a failure: CI must not go green by testing nothing.
"""

import ast
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Page(NamedTuple):
    name: str  # names the test and the screenshot: the page file's stem
    path: str  # its address; the default page is served at "/" only ("/overview" says "Page not found")
    title: str  # its label in the sidebar
    charts: bool = True  # whether it must draw at least one Plotly chart


# Pages that draw no Plotly chart by design. Every other page must draw at least one.
WITHOUT_CHARTS = {"data", "pack", "trail", "sampling"}


def discover_pages(entry: Path = ROOT / "dashboard.py") -> list[Page]:
    """The pages the entry script registers, read from its ``st.Page(...)`` calls in source order, so a new
    page is tested without editing this folder. test_sidebar_lists_exactly_these_pages checks the reading
    against the sidebar the browser shows."""
    from streamlit.source_util import page_icon_and_name

    calls = [
        node
        for node in ast.walk(ast.parse(entry.read_text(), str(entry)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"
    ]
    pages = []
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        try:
            source = ast.literal_eval(call.args[0])
            options = {
                k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg in ("title", "url_path", "default")
            }
        except (IndexError, ValueError) as exc:
            raise pytest.UsageError(f"{entry.name}:{call.lineno}: st.Page(...) is not literal; {exc!r}") from exc
        _, inferred = page_icon_and_name(Path(source))
        path = "" if options.get("default") else options.get("url_path", inferred).strip("/")
        stem = Path(source).stem
        title = options.get("title") or inferred.replace("_", " ")
        pages.append(Page(stem, f"/{path}", title, stem not in WITHOUT_CHARTS))
    return pages


PAGES = discover_pages()
PAGE_IDS = [p.name for p in PAGES]

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 60  # seconds
ACCESS_LOG = re.compile(r'\d - "(GET|POST|HEAD) ')
RUN_TIMEOUT = 60_000  # milliseconds for one script run to finish and its charts to draw (generous: CI is shared)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def missing(what: str, hint: str) -> None:
    """Skip the test, or fail it under CI, because ``what`` is not installed."""
    message = f"{what} is missing: {hint}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so browser tests may not be skipped)", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    # Hooks in a sub-folder conftest see the whole session's items, so pick ours by path.
    ours = [item for item in items if HERE in Path(item.path).parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    if chromium() is None and not in_ci():
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium); browser tests skipped")
        for item in ours:
            item.add_marker(skip)


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 80) -> str:
        """The end of the server's output without its access log: tracebacks and warnings."""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not ACCESS_LOG.search(line)][-lines:])


_server: Server | None = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and _server is not None and HERE in Path(item.path).parents:
        report.sections.append(("streamlit server log (tail)", _server.log_tail()))
    return report


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(log: Path, env: dict[str, str], *options: str, port: int | None = None, host: str = "127.0.0.1"):
    """The dashboard's server as scripts/dashboard starts it (``python -m ui.serve``: ``streamlit run dashboard.py``)
    from the repository with these extra command-line options, waited for until healthy, stopped on leaving.
    ``host`` is the name its ``url`` uses (the health check uses 127.0.0.1)."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "ui.serve",
        "--server.headless=true",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        *options,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=out, stderr=subprocess.STDOUT
        )
    started = Server(f"http://{host}:{port}", log, process)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{started.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy after {SERVER_START_TIMEOUT}s:\n{started.log_tail()}", pytrace=False
                )
            time.sleep(0.25)
        yield started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server(sample_warehouse, tmp_path_factory) -> Iterator[Server]:
    """The dashboard's server on a free port, on the sample warehouse; stopped after the session."""
    global _server
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "QA_WAREHOUSE": str(sample_warehouse)}
    try:
        with serve(log, env, "--server.address=127.0.0.1") as _server:
            yield _server
    finally:
        _server = None


@pytest.fixture(scope="session")
def browser():
    executable = chromium()
    if executable is None:
        missing("Chromium", "apt-get install chromium")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def context(browser, server):
    """One browser context for the session, so Streamlit's scripts are fetched once; every page load is still
    a new Streamlit session with its own state."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=server.url)
    context.set_default_timeout(RUN_TIMEOUT)
    yield context
    context.close()


def new_tab(context, server: Server):
    """A fresh tab; ``tab.errors`` collects the JavaScript errors it throws."""
    if server.process.poll() is not None:
        pytest.fail(f"the streamlit server has exited ({server.process.returncode}):\n{server.log_tail()}")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


@pytest.fixture
def page(context, server):
    """A fresh tab for a test that drives the app."""
    tab = new_tab(context, server)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def opened(context, server):
    """``opened(spec)``: the page loaded once per session in a tab of its own, shared by the checks that only
    look (rendering, screenshot, accessibility), so each page costs one script run, not one per check."""
    tabs = {}

    def get(spec: Page):
        if spec.path not in tabs:
            tab = new_tab(context, server)
            try:
                open_page(tab, spec.path)
            except BaseException:
                tab.close()
                raise
            tabs[spec.path] = tab
        return tabs[spec.path]

    yield get
    for tab in tabs.values():
        tab.close()


def wait_for_app(page) -> None:
    """Wait, boundedly, until Streamlit has finished running the script and drawn its charts."""
    app = '[data-testid="stApp"]'
    page.wait_for_selector(f'{app}[data-test-connection-state="CONNECTED"]', state="attached")
    page.wait_for_selector(f'{app}[data-test-script-state="notRunning"]', state="attached")
    page.locator('[data-testid="stStatusWidget"]').filter(has_text="Running").wait_for(state="hidden")
    page.locator('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]').first.wait_for()
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached")
    # Plotly is loaded lazily and draws after the script has finished.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .filter(chart => chart.checkVisibility())
                 .every(chart => chart.querySelector('.js-plotly-plot svg.main-svg'))"""
    )
    # Downloads and media settle; a request that never idles is no failure, the checks above are what count.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    page.wait_for_timeout(300)


def open_page(page, path_and_query: str = "/") -> None:
    """Go to ``path_and_query`` on the server (e.g. ``/grade_trends?area=A``) and wait until the run is done."""
    page.goto(path_and_query if path_and_query.startswith("/") else f"/{path_and_query}")
    wait_for_app(page)


def screenshot(page, name: str, variant: str) -> Path:
    """A full-page screenshot in artifacts/screenshots/<name>-<variant>.png.

    Streamlit scrolls inside its own container, not the document, so the viewport is stretched to the
    content's height for the shot and put back afterwards."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{variant}.png"
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
               ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
                  .map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12_000))})
    try:
        page.wait_for_timeout(500)  # charts resize to the new viewport
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(size)
    return path
