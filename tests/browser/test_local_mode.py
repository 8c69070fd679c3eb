"""Local mode (no sign-in) answers this computer only.

The dashboard is started as scripts/dashboard starts it: from the repository, with its .streamlit/config.toml
and no --server.address. It must accept a connection on 127.0.0.1, refuse one on the machine's network
address, and refuse to show anything to a browser that reached it under another host name (as through a
reverse proxy, or a DNS name pointed at it).
"""

import ipaddress
import os
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from .conftest import CHROMIUM_ARGS, RUN_TIMEOUT, chromium, serve, wait_for_app


def network_address() -> str | None:
    """An IPv4 address of this machine that is not loopback, or None."""
    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 9))  # connecting a UDP socket sends nothing; it picks the route
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        found.append(socket.gethostbyname(socket.gethostname()))
    except OSError:
        pass
    try:
        shown = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True, timeout=10).stdout
        found += re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/", shown)
    except (OSError, subprocess.SubprocessError):
        pass
    usable = [a for a in found if not ipaddress.ip_address(a).is_loopback and a != "0.0.0.0"]
    return usable[0] if usable else None


@pytest.fixture(scope="module")
def local(sample_warehouse, tmp_path_factory):
    home = tmp_path_factory.mktemp("local-mode")
    # Nothing from this environment may set the address or sign-in: the repository's config decides.
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= {"QA_WAREHOUSE": str(sample_warehouse), "QA_TRAIL_FILE": str(home / "trail.jsonl")}
    with serve(home / "server.log", env) as server:
        yield server


def test_it_answers_on_loopback_and_refuses_the_network(local):
    address = network_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try a connection on")
    port = int(local.url.rsplit(":", 1)[1])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as response:
        assert response.read().decode().strip() == "ok"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address, port), timeout=10).close()


def test_it_shows_nothing_when_reached_under_another_name(browser, local):
    """A browser that resolves a council host name to this machine gets the refusal, not the data."""
    if chromium() is None:
        pytest.skip("Chromium is not installed")
    port = int(local.url.rsplit(":", 1)[1])
    aliased = browser.browser_type.launch(
        executable_path=chromium(), args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP qa.council.test 127.0.0.1"]
    )
    try:
        page = aliased.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(RUN_TIMEOUT)
        page.goto(f"http://qa.council.test:{port}/")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "The dashboard will not run like this"
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    finally:
        aliased.close()


def test_a_proxy_on_this_computer_is_refused(browser, local):
    """nginx's default passes Host: localhost; its X-Forwarded-For is what shows the request came through it."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, extra_http_headers={"X-Forwarded-For": "203.0.113.7"}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(RUN_TIMEOUT)
        page.goto(local.url)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "The dashboard will not run like this"
        assert "through a proxy" in page.locator('[data-testid="stAlert"]').first.inner_text()
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()
    assert "local mode refused: It was reached through a proxy" in local.log.read_text(errors="replace")


def test_a_network_address_is_refused_on_the_page_and_in_the_log(browser, sample_warehouse, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env |= {"QA_WAREHOUSE": str(sample_warehouse), "QA_TRAIL_FILE": str(tmp_path / "trail.jsonl")}
    with serve(tmp_path / "server.log", env, "--server.address=0.0.0.0") as server:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        try:
            page.set_default_timeout(RUN_TIMEOUT)
            page.goto(server.url)
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "The dashboard will not run like this"
            assert page.locator('[data-testid="stMetric"]').count() == 0
        finally:
            page.close()
        assert "local mode refused: It listens on 0.0.0.0" in server.log.read_text(errors="replace")


def test_scripts_dashboard_will_not_start_local_mode_on_a_network_address():
    from tests.conftest import ROOT

    refused = subprocess.run(
        [sys.executable, "-m", "ui.startup", "--server.address", "0.0.0.0"], cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("The dashboard will not start in local mode: It listens on 0.0.0.0")
    assert refused.stderr.count("\n") == 1
    allowed = subprocess.run([sys.executable, "-m", "ui.startup"], cwd=ROOT, capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
