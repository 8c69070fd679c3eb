"""The access trail file: one whole JSON line per entry, however many sessions and processes write at once."""

import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from data_pipeline import trail
from tests.conftest import ROOT

# Long enough that an unlocked write could be split, as two sessions' writes interleave.
LONG = "x" * 20_000


def test_an_entry_says_who_did_what_when():
    entry = trail.record("download", "kim@council.example", "viewer", page="Overview", file="overview.csv", rows=7)
    assert entry["event"] == "download" and entry["user"] == "kim@council.example" and entry["rows"] == 7
    assert entry["at"].endswith("+00:00")


@pytest.mark.parametrize(("event", "details"), [("delete", {}), ("view", {"password": "x"})])
def test_unknown_events_and_fields_are_refused(event, details):
    with pytest.raises(ValueError):
        trail.record(event, "kim@council.example", **details)


def test_entries_read_back_newest_first(tmp_path):
    path = tmp_path / "trail.jsonl"
    for page in ("Overview", "Actions", "Themes"):
        trail.append(path, trail.record("view", "kim@council.example", "analyst", page=page))
    read = trail.read(path)
    assert list(read["page"]) == ["Themes", "Actions", "Overview"]
    assert list(read.columns) == list(trail.COLUMNS)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, "the trail holds e-mail addresses: owner only"


def test_a_missing_trail_reads_as_empty(tmp_path):
    read = trail.read(tmp_path / "none.jsonl")
    assert read.empty and list(read.columns) == list(trail.COLUMNS)


def test_a_damaged_line_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "trail.jsonl"
    trail.append(path, trail.record("view", "kim@council.example", page="Overview"))
    with open(path, "a") as out:
        out.write('{"half a line\n[1, 2]\n')
    trail.append(path, trail.record("upload", "kim@council.example", file="a.xlsx", sha256="ab", outcome="loaded"))
    assert list(trail.read(path)["event"]) == ["upload", "view"]


def _write_many(path, writer: int, count: int) -> None:
    for i in range(count):
        trail.append(path, trail.record("view", f"writer{writer}@council.example", page=f"{i} {LONG}"))


def test_concurrent_sessions_never_interleave_lines(tmp_path):
    """Eight sessions (threads of this process) and three other processes (a second server, the CLI)."""
    path = tmp_path / "trail.jsonl"
    threads = [threading.Thread(target=_write_many, args=(path, n, 25)) for n in range(8)]
    code = (
        "import sys; from tests.read.test_read_trail import _write_many; _write_many(sys.argv[1], int(sys.argv[2]), 25)"
    )
    processes = [subprocess.Popen([sys.executable, "-c", code, str(path), str(100 + n)], cwd=ROOT) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    lines = path.read_text().splitlines()
    assert len(lines) == 11 * 25
    entries = [json.loads(line) for line in lines]  # every line whole
    for writer in [*range(8), *range(100, 103)]:
        mine = [int(e["page"].split()[0]) for e in entries if e["user"] == f"writer{writer}@council.example"]
        assert mine == list(range(25))


def test_command_line_ingests_and_rebuilds_are_recorded(tmp_path, monkeypatch):
    from data_pipeline.cli import main

    monkeypatch.setenv("QA_TRAIL_FILE", str(tmp_path / "trail.jsonl"))
    export = ROOT / "sample_data" / "pld-log.csv"
    db = tmp_path / "qa.duckdb"
    assert main(["ingest", str(export), "--db", str(db)]) == 0
    assert main(["rebuild", "--db", str(db)]) == 0
    entries = [json.loads(line) for line in (tmp_path / "trail.jsonl").read_text().splitlines()]
    assert [(e["event"], e["file"]) for e in entries] == [("ingest", "pld-log.csv"), ("rebuild", "pld-log.csv")]
    assert all(e["user"].endswith("(command line)") and len(e["sha256"]) == 64 for e in entries)
    assert entries[0]["outcome"].startswith("loaded")


def test_a_command_line_ingest_is_refused_when_the_trail_cannot_be_written(tmp_path, monkeypatch, capsys):
    from data_pipeline.cli import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("QA_TRAIL_FILE", str(blocker / "trail.jsonl"))
    db = tmp_path / "qa.duckdb"
    assert main(["ingest", str(ROOT / "sample_data" / "pld-log.csv"), "--db", str(db)]) == 2
    # start-up may warn first (the blocker is readable by others); the refusal is one error line
    [error] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert error.startswith("error: the access trail")
    assert not db.exists()
