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
    Setting(
        "QA_PROFILE_DIR",
        "",
        "Folder of the council's own mapping profiles (*.toml), read after the built-in ones; "
        "by default a 'profiles' folder beside the warehouse. The Data page saves new profiles here.",
    ),
    Setting(
        "QA_EPISODE_SAMPLE_SHARE",
        "0.1",
        "Share of each cycle's Learning Episode allocations the leadership team (CSLT) aims to moderate; the "
        "guidance asks for 'a sample' without a size, so the council sets it. The Learning Episodes page and "
        "its target line read it.",
    ),
    Setting("QA_LOCK_TIMEOUT", "120", "Seconds an ingest waits for another ingest to finish before giving up."),
    Setting("QA_MAX_UPLOAD_MB", "50", "Largest export, in megabytes, that the pipeline accepts."),
    Setting(
        "QA_CACHE_MB",
        "256",
        "Megabytes of query results the dashboard keeps per warehouse snapshot, shared by all sessions; a "
        "result over a quarter of this is not kept.",
    ),
    Setting(
        "QA_TEAM_SIZES_FILE",
        "",
        "TOML file of team = headcount, used as a team's size for audit coverage where no roster is loaded.",
    ),
    Setting(
        "QA_THEMES_FILE",
        str(ROOT / "data_pipeline" / "themes.toml"),
        "Theme taxonomy (TOML) that ingest applies to notes and comments; see docs/themes.md.",
    ),
    Setting(
        "QA_ACCESS_FILE",
        "",
        "Roles file (TOML) mapping e-mails and Entra ID groups to roles and scopes in sign-in mode; by default "
        "'access.toml' beside the warehouse. See docs/access.md.",
    ),
    Setting(
        "QA_TRAIL_FILE",
        "",
        "Access trail (JSON lines): page views, downloads and uploads, with each user's e-mail; by default "
        "'access-trail.jsonl' beside the warehouse.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name) or _BY_NAME[name].default


def path(name: str) -> Path:
    return Path(get(name)).expanduser()
