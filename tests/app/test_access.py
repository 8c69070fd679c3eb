"""Access control in the app (AppTest): sign-in mode's gate and navigation per role, scoped filters, the trail.

``at.secrets["auth"]`` switches sign-in mode on and ``at.user`` is who the identity provider said signed in;
tests/browser/test_sign_in.py does the same through a real OpenID Connect provider.
"""

import json
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SAMPLE_DIR, registered_pages
from ui import access

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-more-than-32-chars",
    "client_id": "qa-dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = """
[[users]]
email = "team.manager@council.example"
role = "team_manager"
teams = ["{team}"]

[[users]]
email = "viewer@council.example"
role = "viewer"

[[users]]
email = "analyst@council.example"
role = "analyst"

[[users]]
oid = "5e1f0000-aaaa-4bbb-8ccc-0000000000f1"
role = "viewer"

[[groups]]
id = "0d6c9f2a-1111-4222-8333-444455556666"
role = "service_manager"
service_areas = ["{area}"]
"""
ROW_LEVEL_PAGES = ["pages/pack.py", "pages/present.py"]
ANALYST_PAGES = ["pages/data.py", "pages/trail.py"]
PLANNER_PAGES = ["pages/sampling.py"]
# Every other page dashboard.py registers: each limited role may open all of them.
PAGES = [p for p in registered_pages() if p not in (*ROW_LEVEL_PAGES, *ANALYST_PAGES, *PLANNER_PAGES)]


@pytest.fixture(scope="module")
def names(sample_warehouse):
    """The busiest team of the sample data, its service area, and another team elsewhere."""
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT service_area, team, count(*) FROM audits WHERE team IS NOT NULL GROUP BY ALL ORDER BY 3 DESC"
        ).fetchall()
    finally:
        con.close()
    area, team, audits = rows[0]
    other = next(r[1] for r in rows if r[0] != area)
    return {"area": area, "team": team, "team_audits": audits, "other_team": other}


@pytest.fixture
def app(sample_warehouse, names, tmp_path, monkeypatch):
    roles = tmp_path / "access.toml"
    roles.write_text(ROLES.format(**names))
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("QA_ACCESS_FILE", str(roles))
    monkeypatch.setenv("QA_TRAIL_FILE", str(tmp_path / "trail.jsonl"))

    def start(user: dict | None = None, auth: dict | None = AUTH, page: str | None = None, query=None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        if auth is not None:
            at.secrets["auth"] = auth
        if user is not None:
            at.user = user
        at.query_params.update(query or {})
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    start.trail = tmp_path / "trail.jsonl"
    return start


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, **claims}


def trail(app) -> list[dict]:
    return [json.loads(line) for line in app.trail.read_text().splitlines()] if app.trail.exists() else []


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_local_mode_says_so_and_everyone_is_an_analyst(app):
    at = app(auth=None)
    assert titles(at) == ["Overview"]
    assert any(access.LOCAL_MODE_NOTE in c.value for c in at.sidebar.caption)
    for page in ANALYST_PAGES:
        assert not at.switch_page(page).run().exception


def test_an_anonymous_visitor_sees_only_the_sign_in_page(app):
    at = app(user={"is_logged_in": False})
    assert titles(at) == ["QA dashboard"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.multiselect and not at.metric
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")


def test_someone_no_rule_names_is_told_their_e_mail_and_recorded(app):
    at = app(user=signed_in("stranger@council.example"))
    assert titles(at) == ["No access yet"]
    assert [c.value for c in at.code] == ["stranger@council.example"]
    assert not at.sidebar.multiselect and not at.metric
    assert [(e["event"], e["user"]) for e in trail(app)] == [("denied", "stranger@council.example")]


@pytest.mark.parametrize(
    ("auth", "problem"),
    [
        ({**AUTH, "cookie_secret": "too-short"}, "cookie_secret"),
        ({k: v for k, v in AUTH.items() if k != "cookie_secret"}, "cookie_secret"),
        ({k: v for k, v in AUTH.items() if k != "client_secret"}, "missing client_secret"),
    ],
)
def test_sign_in_mode_refuses_to_start_when_unsafe(app, auth, problem):
    at = app(user=signed_in("analyst@council.example"), auth=auth)
    assert titles(at) == ["Sign-in is not set up safely"]
    assert problem in at.error[0].value.replace("\\", "")
    assert AUTH["client_secret"] not in at.error[0].value and "too-short" not in at.error[0].value


def test_an_unreadable_roles_file_lets_no_one_in(app, monkeypatch, tmp_path):
    monkeypatch.setenv("QA_ACCESS_FILE", str(tmp_path / "missing.toml"))
    at = app(user=signed_in("analyst@council.example"))
    assert titles(at) == ["The dashboard's access settings need attention"]
    assert not at.metric


def test_a_team_manager_sees_their_team_only_whatever_the_address_says(app, names):
    at = app(user=signed_in("Team.Manager@council.example"), query={"team": names["other_team"]})
    assert at.multiselect(key="team").options == [names["team"]]
    assert at.multiselect(key="team").value == []
    assert at.multiselect(key="area").options == [names["area"]]
    assert "team" not in at.query_params
    audits = next(m for m in at.metric if m.label == "Audits completed")
    assert int(audits.value) <= names["team_audits"]
    assert [t.value for t in at.sidebar.text] == ["Signed in as team.manager@council.example"]
    assert f"Team manager: {names['team']}" in " ".join(c.value for c in at.sidebar.caption).replace("\\", "")


@pytest.mark.parametrize("email", ["team.manager@council.example", "viewer@council.example"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_limited_roles(app, email, page):
    at = app(user=signed_in(email), page=page)
    assert titles(at), f"{page} drew no title for {email}"
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("email", ["team.manager@council.example", "viewer@council.example"])
def test_the_data_and_trail_pages_are_not_in_the_navigation(app, email):
    at = app(user=signed_in(email))
    for page in ANALYST_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_viewer_gets_figures_and_no_lists(app):
    viewer = signed_in("viewer@council.example")
    for page in ROW_LEVEL_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app(user=viewer).switch_page(page)
    at = app(user=viewer, page="pages/actions.py")
    assert at.metric and not at.dataframe, "the overdue list is withheld"
    assert any("not shown" in c.value for c in at.caption)
    at = app(user=viewer, page="pages/grade_trends.py")
    assert not at.get("form") and at.get("plotly_chart")


def test_a_group_rule_gives_its_scope(app, names):
    at = app(user=signed_in("someone@council.example", groups=["0D6C9F2A-1111-4222-8333-444455556666"]))
    assert at.multiselect(key="area").options == [names["area"]]


def test_an_analyst_gets_every_page(app):
    at = app(user=signed_in("analyst@council.example"))
    for page in [*PAGES, *ROW_LEVEL_PAGES, *ANALYST_PAGES]:
        assert not at.switch_page(page).run().exception, page


def test_page_views_are_recorded_once_per_page_change(app):
    at = app(user=signed_in("viewer@council.example"))
    at.run()  # a rerun of the same page
    at.switch_page("pages/actions.py").run()
    at.switch_page("pages/overview.py").run()
    views = [(e["event"], e["page"], e["role"]) for e in trail(app)]
    assert views == [("view", "Overview", "viewer"), ("view", "Actions", "viewer"), ("view", "Overview", "viewer")]


def test_a_view_records_its_filters_and_a_change_of_filter_is_a_new_view(app, names):
    at = app(user=signed_in("analyst@council.example"), query={"team": [names["team"]]})
    at.multiselect(key="case").set_value(["Child protection"]).run()
    at.run()  # the same page and filters: nothing new
    views = [e.get("filters") for e in trail(app) if e["event"] == "view"]
    assert views == [{"teams": [names["team"]]}, {"teams": [names["team"]], "case_types": ["Child protection"]}]
    shown = app(user=signed_in("analyst@council.example"), page="pages/trail.py").dataframe[0].value
    assert f"teams: {names['team']}; case types: Child protection" in set(shown["Filters"])


def test_the_trail_page_shows_the_trail(app):
    app(user=signed_in("viewer@council.example"))
    at = app(user=signed_in("analyst@council.example"), page="pages/trail.py")
    shown = at.dataframe[0].value
    assert set(shown["Who"]) >= {"viewer@council.example", "analyst@council.example"}
    assert {"Viewed a page"} <= set(shown["What"])


def test_uploads_are_recorded_with_their_checksum(sample_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "qa.duckdb"
    shutil.copyfile(sample_warehouse, db)
    monkeypatch.setenv("QA_WAREHOUSE", str(db))
    monkeypatch.delenv("QA_TRAIL_FILE", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/data.py").run()
    upload = SAMPLE_DIR / "pld-log.csv"
    at.file_uploader(key="uploads").set_value([(upload.name, upload.read_bytes(), "text/csv")]).run()
    at.button(key="load").click().run()
    assert not at.exception, at.exception
    entries = [json.loads(line) for line in (tmp_path / "access-trail.jsonl").read_text().splitlines()]
    loaded = [e for e in entries if e["event"] == "upload"]
    assert len(loaded) == 1 and loaded[0]["file"] == "pld-log.csv" and loaded[0]["user"] == "local"
    assert len(loaded[0]["sha256"]) == 64 and loaded[0]["outcome"].startswith("loaded")


@pytest.mark.parametrize(
    ("address", "host", "refused"),
    [
        ("localhost", "localhost:8501", False),
        ("127.0.0.1", "127.0.0.1:8501", False),
        ("::1", "[::1]:8501", False),
        ("localhost", None, False),
        ("0.0.0.0", "localhost:8501", True),
        ("", None, True),
        (None, None, True),
        ("192.0.2.10", "192.0.2.10:8501", True),
        ("localhost", "dashboard.council.example", True),
        ("localhost", "192.0.2.10:8501", True),
    ],
)
def test_local_mode_serves_this_computer_only(address, host, refused):
    headers = {"Host": host} if host else {}
    assert (access.local_mode_problem(address, headers) is not None) is refused


@pytest.mark.parametrize(
    "header",
    [
        {"X-Forwarded-For": "203.0.113.7"},
        {"x-forwarded-for": "127.0.0.1"},  # even claiming to be this computer: a proxy relayed it
        {"Forwarded": "for=203.0.113.7;proto=https"},
        {"X-Real-IP": "203.0.113.7"},
        {"X-Forwarded-Host": "qa.council.example"},
    ],
)
def test_local_mode_treats_any_forwarded_request_as_remote(header):
    """nginx on the same computer sends Host: localhost, so only its forwarding headers give it away."""
    problem = access.local_mode_problem("localhost", {"Host": "localhost:8501", **header})
    assert problem is not None and "proxy" in problem


def test_the_object_id_rule_decides_whatever_the_e_mail_says(app):
    """The roles file names this person by oid as a viewer; their e-mail is the analyst's, as after a reuse."""
    at = app(user=signed_in("analyst@council.example", oid="5E1F0000-AAAA-4BBB-8CCC-0000000000F1"))
    assert titles(at) == ["Overview"]
    assert "Viewer" in " ".join(c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data.py")
