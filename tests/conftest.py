"""Shared fixtures. Tests never touch the real key file or the real warehouse."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory):
    home = tmp_path_factory.mktemp("settings")
    previous = {k: os.environ.get(k) for k in ("QA_KEY_FILE", "QA_WAREHOUSE")}
    os.environ["QA_KEY_FILE"] = str(home / "pseudonym.key")
    os.environ["QA_WAREHOUSE"] = str(home / "default-warehouse.duckdb")
    yield
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
