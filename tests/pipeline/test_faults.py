"""Faults of the machine in one line, with nothing left behind: a full disk and a read-only folder, made
for real as a small tmpfs (root only), and drafts a killed ingest left, removed at the next start."""

import hashlib
import os
import shutil
import subprocess
import threading

import pytest

from data_pipeline import archive, cli, ingest, startup, warehouse
from tests.pipeline.exports import audit_row, xlsx

UNCHANGED = "nothing was loaded and the warehouse is unchanged"


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A one-audit warehouse (about 6 MB: DuckDB allocates blocks per table) outside any small disk."""
    monkeypatch.setenv("QA_KEY_FILE", str(tmp_path / "keys" / "pseudonym.key"))
    monkeypatch.setenv("QA_ARCHIVE_KEY_FILE", str(tmp_path / "keys" / "archive.key"))
    db = tmp_path / "built" / "qa.duckdb"
    [result] = ingest.ingest([("june.xlsx", xlsx([audit_row(1)]))], db)
    assert result.error is None
    return db


@pytest.fixture
def small_disk(tmp_path):
    """Mount a tmpfs of the size asked for; unmounted however the test ends."""
    if os.geteuid() != 0:
        pytest.skip("making a small filesystem needs root (mount -t tmpfs)")
    mounted = []

    def make(size: str):
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir(mode=0o700)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)])
        if done.returncode != 0:
            pytest.skip("this machine does not let the test mount a tmpfs")
        mounted.append(where)
        return where

    yield make
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=True)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("size", "rows"),
    [("9m", 2), ("13m", 3000)],
    ids=["full while copying the warehouse", "full while DuckDB writes the draft"],
)
def test_a_full_disk_is_one_line_and_leaves_no_draft(built, small_disk, size, rows):
    disk = small_disk(size)
    db = disk / "qa.duckdb"
    shutil.copy2(built, db)  # its 0600 mode too
    before = digest(db)
    with pytest.raises(ingest.IngestError) as caught:
        ingest.ingest([("july.xlsx", xlsx([audit_row(i) for i in range(1, rows + 1)]))], db)
    assert str(caught.value) == f"the disk holding {disk} is full; {UNCHANGED}"
    assert digest(db) == before
    assert sorted(os.listdir(disk)) == ["qa.duckdb", "qa.duckdb.lock"]


def test_a_read_only_folder_is_one_line_on_the_command_line(built, small_disk, tmp_path, capsys):
    disk = small_disk("16m")
    db = disk / "qa.duckdb"
    shutil.copy2(built, db)  # its 0600 mode too
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    export = tmp_path / "july.xlsx"
    export.write_bytes(xlsx([audit_row(2)]))
    assert cli.main(["ingest", str(export), "--db", str(db)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: {disk} is on a read-only disk; {UNCHANGED}"]
    assert cli.main(["marts", "--db", str(db)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: {disk} is on a read-only disk; {UNCHANGED}"]
    assert sorted(os.listdir(disk)) == ["qa.duckdb"]


def leftovers(db):
    """What a kill -9 during an ingest leaves: its draft, DuckDB's log of it, a half-written archive file."""
    draft = db.with_name(f".{db.name}.999999.building")
    paths = [draft, draft.with_name(draft.name + ".wal"), archive.folder(db) / ".0123abc.sealed.999999.partial"]
    for path in paths:
        path.write_bytes(b"x" * 1000)
    return paths


def test_stale_drafts_are_removed_at_the_next_start(built):
    paths = leftovers(built)
    startup.tidy(built)
    assert [p.exists() for p in paths] == [False, False, False]


def test_stale_drafts_are_removed_at_the_next_ingest(built):
    paths = leftovers(built)
    [result] = ingest.ingest([("july.xlsx", xlsx([audit_row(2)]))], built)
    assert result.error is None
    assert [p.exists() for p in paths] == [False, False, False]
    assert sorted(p.name for p in built.parent.iterdir() if p.name.startswith(".")) == []


def test_a_live_ingests_draft_is_left_alone(built):
    paths = leftovers(built)
    holding, release = threading.Event(), threading.Event()

    def live_ingest():
        with warehouse.locked(built, timeout=5):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=live_ingest)
    thread.start()
    holding.wait(5)
    try:
        startup.tidy(built)
        assert [p.exists() for p in paths] == [True, True, True]
    finally:
        release.set()
        thread.join()
