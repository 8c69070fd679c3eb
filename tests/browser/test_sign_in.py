"""Sign-in mode end to end: a real OpenID Connect provider, the real dashboard, headless Chromium.

The provider is oidc-provider-mock's Flask app, served on a free 127.0.0.1 port from a thread of this test
process. Its authorization form offers the predefined users below (each with an ``email`` and Entra-style
``groups`` claim) as buttons, and a text box for any other subject. Streamlit is started with
``--secrets.files`` pointing at a temporary secrets file whose ``[auth]`` names the provider's discovery
document, and with a temporary roles file (QA_ACCESS_FILE) and trail (QA_TRAIL_FILE). The browser opens the
dashboard at http://localhost:<port>, the redirect URI's host, so the identity cookie is sent back.
"""

import datetime as dt
import json
import os
import re
import secrets
import threading
from urllib.parse import parse_qs, urlparse

import pytest
import werkzeug.serving
from oidc_provider_mock import User
from oidc_provider_mock import app as provider_app

from findings import headline
from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope

from .conftest import RUN_TIMEOUT, free_port, screenshot, serve, wait_for_app

HEADS_GROUP = "5a0c3f6e-7d1b-4c2a-9e8f-0123456789ab"
NAV_LINKS = '[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]'
TEAM_MANAGER = "tm@council.example"
HEAD = "head@council.example"
ANALYST = "analyst@council.example"


@pytest.fixture(scope="module")
def team(sample_warehouse) -> str:
    """The sample data's busiest team, whose manager signs in."""
    wh = Warehouse(sample_warehouse)
    return wh.query("SELECT team FROM audits WHERE team IS NOT NULL GROUP BY team ORDER BY count(*) DESC").iloc[0, 0]


@pytest.fixture(scope="module")
def provider():
    """An OpenID Connect provider on 127.0.0.1: the team manager by e-mail, the head of service by group."""
    users = [
        User(sub="team-manager", claims={"email": TEAM_MANAGER, "name": "Team Manager", "groups": []}),
        User(sub="head-of-service", claims={"email": HEAD, "name": "Head of Service", "groups": [HEADS_GROUP]}),
        User(sub="analyst", claims={"email": ANALYST, "name": "An Analyst"}),
    ]
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def signing_in(provider, sample_warehouse, team, tmp_path_factory):
    """The dashboard in sign-in mode; its ``trail`` is the access trail it writes."""
    home = tmp_path_factory.mktemp("sign-in")
    port = free_port()
    secrets_file = home / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        'client_id = "qa-dashboard"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    roles = home / "access.toml"
    roles.write_text(
        f'[[users]]\nemail = "{TEAM_MANAGER}"\nrole = "team_manager"\nteams = ["{team}"]\n\n'
        f'[[users]]\nemail = "{ANALYST}"\nrole = "analyst"\n\n'
        f'[[groups]]\nid = "{HEADS_GROUP}"\nname = "Heads of service"\nrole = "head_of_service"\n'
    )
    env = {
        **os.environ,
        "QA_WAREHOUSE": str(sample_warehouse),
        "QA_ACCESS_FILE": str(roles),
        "QA_TRAIL_FILE": str(home / "trail.jsonl"),
    }
    options = ("--server.address=127.0.0.1", f"--secrets.files={secrets_file}")
    with serve(home / "server.log", env, *options, port=port, host="localhost") as server:
        server.trail = home / "trail.jsonl"
        yield server


@pytest.fixture
def tab(browser, signing_in):
    """A tab in a fresh browser context: no identity cookie from another test."""
    context = browser.new_context(viewport={"width": 1440, "height": 2000}, base_url=signing_in.url)
    context.set_default_timeout(RUN_TIMEOUT)
    context.route(re.compile(r"^https://"), lambda route: route.abort())  # the provider's pages load CSS from a CDN
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def sign_in(page, subject: str) -> None:
    """From the sign-in page through the provider's form as ``subject``, back to the dashboard."""
    page.goto("/")
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/authorize"))
    predefined = page.locator("button[name=sub]", has_text=re.compile(f"^{re.escape(subject)}$"))
    if predefined.count():
        predefined.click()
    else:
        page.locator("input[name=sub]").fill(subject)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/(\?.*)?$"))
    wait_for_app(page)


def nav_titles(page) -> list[str]:
    return [link.inner_text().split("\n")[-1].strip() for link in page.locator(NAV_LINKS).all()]


def team_options(page, typed: str = "") -> list[str]:
    """The sidebar Team filter's options, as its dropdown offers them after typing ``typed`` (the list shows
    the first ten or so, so look a long list up by typing)."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Team")
    box.click()
    if typed:
        box.fill(typed)
    page.wait_for_timeout(500)
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    box.fill("")
    page.keyboard.press("Escape")
    return [o for o in options if o not in ("Select all", "No results")]


def chosen_teams(page) -> list[str]:
    return page.locator('[data-testid="stSidebar"] .st-key-team [data-tag]').all_inner_texts()


def audits_completed(page) -> int:
    return metric(page, "Audits completed")


def expected_audits(sample_warehouse, scope: Scope) -> int:
    return headline.audits_completed(Warehouse(sample_warehouse), Filters(scope=scope), dt.date.today()).numerator


def metric(page, label: str) -> int:
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return int(card.locator('[data-testid="stMetricValue"]').inner_text())


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def trail(server) -> list[dict]:
    return [json.loads(line) for line in server.trail.read_text().splitlines()]


def test_the_sign_in_page_is_all_an_anonymous_visitor_gets(tab):
    tab.goto("/")
    wait_for_app(tab)
    screenshot(tab, "sign-in", "anonymous")
    assert tab.get_by_role("button", name="Sign in").is_visible()
    assert tab.locator(NAV_LINKS).count() == 0
    assert tab.locator('[data-testid="stMetric"]').count() == 0
    tab.goto("/grade_trends")
    wait_for_app(tab)
    assert tab.get_by_role("button", name="Sign in").is_visible()
    assert tab.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert tab.errors == []


def test_a_team_manager_sees_their_team_only(tab, signing_in, sample_warehouse, team):
    sign_in(tab, "team-manager")
    screenshot(tab, "sign-in", "team-manager")
    assert TEAM_MANAGER in sidebar_text(tab) and f"Team manager: {team}" in sidebar_text(tab)
    assert "Data" not in nav_titles(tab) and "Access trail" not in nav_titles(tab)
    assert "Overview" in nav_titles(tab) and "Meeting pack" in nav_titles(tab)
    assert team_options(tab) == [team]
    mine = expected_audits(sample_warehouse, Scope(teams=(team,)))
    assert audits_completed(tab) == mine < expected_audits(sample_warehouse, Scope())

    # An address naming another team widens nothing: the filter drops it, the figures stay the team's.
    other = other_team(sample_warehouse, team)
    assert team_options(tab, other) == []
    tab.goto(f"/?team={other.replace(' ', '+')}")
    wait_for_app(tab)
    assert chosen_teams(tab) == []
    assert "team" not in parse_qs(urlparse(tab.url).query)
    assert audits_completed(tab) == mine

    # The Data page is not there to open: Streamlit says so and shows the default page.
    tab.goto("/data")
    wait_for_app(tab)
    assert tab.get_by_role("dialog").filter(has_text="not found").count() == 1
    assert tab.get_by_role("tab", name="Load exports").count() == 0
    assert tab.locator("h1").first.inner_text() == "Overview"
    tab.keyboard.press("Escape")
    tab.get_by_role("dialog").wait_for(state="detached")

    tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    end_session = tab.get_by_role("button", name="End session")  # the provider's own sign-out form
    end_session.click()
    tab.wait_for_url(re.compile(r"^http://localhost:\d+/(\?.*)?$"))
    wait_for_app(tab)
    assert tab.get_by_role("button", name="Sign in").is_visible()
    assert not [c for c in tab.context.cookies() if c["name"].startswith("_streamlit_user")]
    tab.goto("/")
    wait_for_app(tab)
    assert tab.get_by_role("button", name="Sign in").is_visible(), "signed out for good, not just this page"

    events = [(e["event"], e.get("page")) for e in trail(signing_in) if e["user"] == TEAM_MANAGER]
    assert ("view", "Overview") in events and ("sign-out", None) in events
    assert tab.errors == []


def test_a_head_of_service_sees_everything_but_the_data_page(tab, sample_warehouse, team):
    sign_in(tab, "head-of-service")
    assert HEAD in sidebar_text(tab) and "Head of service: all service areas" in sidebar_text(tab)
    assert "Data" not in nav_titles(tab) and "Access trail" not in nav_titles(tab)
    every = cycles.teams(Warehouse(sample_warehouse), Filters())["team"].tolist()
    assert team_options(tab) == every[: len(team_options(tab))]
    other = other_team(sample_warehouse, team)
    assert team_options(tab, other) == [other]
    assert audits_completed(tab) == expected_audits(sample_warehouse, Scope())
    # The same address that the team manager could not use does choose the team here.
    tab.goto(f"/?team={other.replace(' ', '+')}")
    wait_for_app(tab)
    assert chosen_teams(tab) == [other]
    assert audits_completed(tab) == expected_audits(sample_warehouse, Scope(teams=(other,)))
    assert tab.errors == []


def other_team(sample_warehouse, team: str) -> str:
    """A busy team in another service area than ``team``'s."""
    teams = Warehouse(sample_warehouse).query(
        "SELECT service_area, team FROM audits WHERE team IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC"
    )
    area = teams.loc[teams["team"] == team, "service_area"].iloc[0]
    return teams.loc[teams["service_area"] != area, "team"].iloc[0]


def test_someone_without_a_role_is_told_so(tab, signing_in):
    sign_in(tab, "stranger@council.example")
    assert tab.locator("h1").first.inner_text() == "No access yet"
    assert "stranger@council.example" in tab.locator('[data-testid="stCode"]').inner_text()
    assert tab.locator('[data-testid="stMetric"]').count() == 0
    assert ("denied", "stranger@council.example") in [(e["event"], e["user"]) for e in trail(signing_in)]


def test_an_analyst_reads_the_access_trail(tab, signing_in):
    sign_in(tab, "analyst")
    assert "Data" in nav_titles(tab) and "Access trail" in nav_titles(tab)
    tab.locator(NAV_LINKS, has_text="Access trail").click()
    wait_for_app(tab)
    screenshot(tab, "sign-in", "trail")
    assert tab.locator("h1").first.inner_text() == "Access trail"
    # The table is a canvas: check the figures above it against the file it reads.
    entries = trail(signing_in)
    assert ("view", "Access trail") in [(e["event"], e.get("page")) for e in entries if e["user"] == ANALYST]
    assert metric(tab, "People") == len({e["user"] for e in entries})
    assert metric(tab, "Entries") == len(entries)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "access-trail.csv"
    wait_for_app(tab)
    downloads = [e for e in trail(signing_in) if e["event"] == "download"]
    assert downloads and downloads[-1]["user"] == ANALYST and downloads[-1]["file"] == "access-trail.csv"
    assert downloads[-1]["page"] == "Access trail" and downloads[-1]["rows"] >= 1
    assert tab.errors == []
