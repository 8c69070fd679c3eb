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
        "Secret key for pseudonymising staff and child identifiers. Created (0600) only with a new warehouse; "
        "keep it outside the repository and the warehouse, and back it up: a warehouse refuses any other key.",
    ),
    Setting(
        "QA_ARCHIVE_KEY_FILE",
        str(Path.home() / ".config" / "qa-dashboard" / "archive.key"),
        "Secret key that encrypts the archived raw exports. Created (0600) with a new warehouse; back it up "
        "with the pseudonym key: without it the archive cannot be opened for a rebuild or rekey.",
    ),
    Setting(
        "QA_ARCHIVE_DAYS",
        "",
        "Days an archived export is kept after it was last loaded; empty keeps every export. Rebuild and "
        "rekey can only use the exports still kept.",
    ),
    Setting(
        "QA_SAMPLE_DIR",
        str(ROOT / "sample_data"),
        "Exports loaded when the dashboard starts with no warehouse (a generated sample is dated afresh for today).",
    ),
    Setting(
        "QA_PROFILE_DIR",
        "",
        "Folder of the council's own mapping profiles (*.toml), read after the built-in ones; "
        "by default a 'profiles' folder beside the warehouse. The Data page saves new profiles here.",
    ),
    Setting(
        "QA_REFERENCE_DIR",
        str(ROOT / "reference_data"),
        "Published DfE and Ofsted files loaded beside the sample data when the dashboard starts with no warehouse.",
    ),
    Setting(
        "QA_COUNCIL",
        "851",
        "The council the dashboard belongs to, by its LA code (3-digit, e.g. 851) or ONS code (e.g. E06000044): "
        "the Benchmarks page compares it with its statistical neighbours and England. 851 is Portsmouth, the "
        "council the sample data stands in for.",
    ),
    Setting(
        "QA_DATE_ORDER",
        "day-first",
        "How typed dates are read when no value in a column shows it and the profile sets no date_order: "
        "'day-first' (14/06/2023, as in England) or 'month-first' (6/14/2023).",
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
    Setting("QA_MAX_UNPACKED_MB", "500", "Largest size, in megabytes, that an .xlsx export may unpack to."),
    Setting(
        "QA_MAX_ZIP_RATIO",
        "100",
        "Largest ratio of unpacked to packed size for any part of an .xlsx over 1 MB (a zip bomb's is thousands).",
    ),
    Setting("QA_MAX_ROWS", "1048576", "Most data rows an export may have (Excel's own limit by default)."),
    Setting("QA_MAX_COLUMNS", "1000", "Most columns an export may have."),
    Setting("QA_MAX_CELL_KB", "128", "Longest text, in kilobytes as stored in the file, that any one cell may hold."),
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
        "Access trail (JSON lines): page views, downloads, uploads and command-line loads, with each user's "
        "e-mail; by default 'access-trail.jsonl' beside the warehouse.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name) or _BY_NAME[name].default


def path(name: str) -> Path:
    return Path(get(name)).expanduser()


def date_order() -> str:
    order = get("QA_DATE_ORDER").strip().lower()
    if order not in ("day-first", "month-first"):
        raise ValueError(f"QA_DATE_ORDER must be 'day-first' or 'month-first', not {order!r}")
    return order
