"""The Streamlit settings the dashboard's safety depends on (.streamlit/config.toml, .gitignore)."""

import tomllib

from data_pipeline import settings
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_local_mode_listens_on_this_computer_only():
    assert CONFIG["server"]["address"] == "localhost"


def test_xsrf_and_cors_protection_stay_on():
    assert CONFIG["server"].get("enableXsrfProtection", True) is True
    assert CONFIG["server"].get("enableCORS", True) is True


def test_the_upload_limit_matches_the_pipeline_limit():
    default = next(s.default for s in settings.SETTINGS if s.name == "QA_MAX_UPLOAD_MB")
    assert CONFIG["server"]["maxUploadSize"] == int(default)


def test_users_never_see_tracebacks():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_tables_export_only_through_the_recorded_download_buttons():
    assert CONFIG["client"]["disableDataExport"] is True


def test_no_one_commits_the_sign_in_secrets():
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()
