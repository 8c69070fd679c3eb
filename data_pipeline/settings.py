"""Every setting the dashboard and pipeline read, declared once: name, default and help.

Settings come from environment variables, read when asked for (never at import time).
docs/settings.md lists them all; a test fails when one is undocumented.
"""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("QA_WAREHOUSE", str(ROOT / "warehouse" / "qa.duckdb"), "Path of the warehouse snapshot file."),
    Setting(
        "QA_KEY_FILE",
        str(Path.home() / ".config" / "qa-dashboard" / "pseudonym.key"),
        "Secret key for pseudonymising staff and child identifiers. Created on first use; keep it "
        "outside the repository and the warehouse, and back it up: a new key gives everyone new keys.",
    ),
    Setting("QA_SAMPLE_DIR", str(ROOT / "sample_data"), "Exports loaded when the dashboard starts with no warehouse."),
    Setting("QA_PROFILE_DIR", "", "Extra folder of mapping profiles (*.toml), read after the built-in ones."),
    Setting("QA_LOCK_TIMEOUT", "120", "Seconds an ingest waits for another ingest to finish before giving up."),
    Setting("QA_MAX_UPLOAD_MB", "50", "Largest export, in megabytes, that the pipeline accepts."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name) or _BY_NAME[name].default


def path(name: str) -> Path:
    return Path(get(name)).expanduser()
