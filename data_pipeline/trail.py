"""The access trail: who viewed which page, downloaded what and loaded which file, and when.

The one file the dashboard itself writes (the warehouse is read-only to it), and the command line's ingests and
rebuilds too: JSON lines, appended, never rewritten. It necessarily holds each user's e-mail address; see
docs/access.md. All Streamlit sessions are threads of one process, so a thread lock orders their lines;
``fcntl.flock`` (where the platform has it) orders them against a second server process or the command line writing
the same file.
"""

import datetime as dt
import getpass
import json
import os
import threading
from pathlib import Path

import pandas as pd

from data_pipeline import settings

try:
    import fcntl
except ImportError:  # Windows: one server process, so the thread lock is enough
    fcntl = None

EVENTS = ("view", "download", "upload", "ingest", "rebuild", "denied", "sign-out")
COLUMNS = ("at", "user", "role", "event", "page", "filters", "file", "rows", "sha256", "outcome")
_LOCK = threading.Lock()


def path(db: Path | None = None) -> Path:
    """``QA_TRAIL_FILE``, by default access-trail.jsonl beside the warehouse (``db``, else ``QA_WAREHOUSE``)."""
    default = (db or settings.path("QA_WAREHOUSE")).parent / "access-trail.jsonl"
    return Path(settings.get("QA_TRAIL_FILE") or default).expanduser()


def loaded(event: str, user: str, results, role: str = "", page: str | None = None) -> None:
    """One entry per file an ingest or rebuild read (``data_pipeline.ingest.FileResult``), with its outcome."""
    for r in results:
        outcome = f"refused: {r.error}" if r.error else f"loaded {r.rows_loaded} rows, rejected {r.rows_rejected}"
        append(path(), record(event, user, role, page=page, file=r.file_name, sha256=r.sha256, outcome=outcome))


def command_line_user() -> str:
    """Who ran a command: the account's login name, marked as the command line."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "(command line)"


def record(event: str, user: str, role: str = "", **details) -> dict:
    """One trail entry, stamped now (UTC, to the second). ``details`` are page, file, rows, sha256, outcome."""
    if event not in EVENTS:
        raise ValueError(f"event must be one of {EVENTS}, not {event!r}")
    unknown = set(details) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown trail fields: {sorted(unknown)}")
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return {"at": at, "user": user, "role": role, "event": event} | {k: v for k, v in details.items() if v is not None}


def append(path: str | os.PathLike, entry: dict) -> None:
    """Append one entry as one line. The file is created readable by its owner only."""
    line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
        finally:
            os.close(fd)  # closing releases the lock


def touch(path: str | os.PathLike) -> None:
    """Open the trail for appending, as ``append`` does, and write nothing: raises OSError if it cannot."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))


def _filters_text(chosen) -> str | None:
    """``{"teams": ["N1"], "cycles": ["Q1", "Q2"]}`` as "teams: N1; cycles: Q1 to Q2"."""
    if not isinstance(chosen, dict) or not chosen:
        return None
    joiners = {"cycles": " to "}
    parts = []
    for name, value in chosen.items():
        values = value if isinstance(value, list) else [value]
        parts.append(f"{name.replace('_', ' ')}: {joiners.get(name, ', ').join(str(v) for v in values if v)}")
    return "; ".join(parts)


def read(path: str | os.PathLike) -> pd.DataFrame:
    """Every entry, newest first, with ``at`` as a UTC timestamp. A line that is not an entry is skipped."""
    entries = []
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and "at" in entry and "event" in entry:
                    entries.append(entry)
    except FileNotFoundError:
        pass
    df = pd.DataFrame(entries, columns=list(COLUMNS))
    df["at"] = pd.to_datetime(df["at"], utc=True, errors="coerce")
    df["rows"] = pd.to_numeric(df["rows"], errors="coerce").astype("Int64")
    df["filters"] = df["filters"].map(_filters_text)
    # Reversed first, so entries stamped the same second keep the newest first too.
    return df.iloc[::-1].sort_values("at", ascending=False, kind="stable", ignore_index=True)
