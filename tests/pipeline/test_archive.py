"""The encrypted raw archive: sealed, upgraded from clear, dropped after QA_ARCHIVE_DAYS, and the key swap
of an interrupted rekey finished."""

import datetime as dt
import hashlib
import os
import time

import duckdb
import pytest

from data_pipeline import archive, cli, ingest, keys, startup
from tests.pipeline.exports import audit_row, xlsx

TODAY = dt.date(2026, 11, 23)
JUNE = xlsx([audit_row(1), audit_row(2)])
JULY = xlsx([audit_row(3)])


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_KEY_FILE", str(tmp_path / "keys" / "pseudonym.key"))
    monkeypatch.setenv("QA_ARCHIVE_KEY_FILE", str(tmp_path / "keys" / "archive.key"))
    return tmp_path / "keys"


@pytest.fixture
def db(tmp_path, home):
    path = tmp_path / "data" / "qa.duckdb"
    assert [r.error for r in ingest.ingest([("june.xlsx", JUNE)], path, today=TODAY)] == [None]
    return path


def sha(content):
    return hashlib.sha256(content).hexdigest()


def audits(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT audit_id, worker_key FROM audits ORDER BY audit_id").fetchall()
    finally:
        con.close()


def test_an_export_is_archived_sealed_and_opens_only_with_its_key(db, home):
    sealed = archive.sealed_path(db, sha(JUNE))
    assert sealed.read_bytes().startswith(archive.MAGIC) and JUNE not in sealed.read_bytes()
    key = bytes.fromhex((home / "archive.key").read_text())
    assert archive.open_export(db, key, sha(JUNE)) == JUNE
    with pytest.raises(archive.ArchiveError, match="cannot be opened with the archive key"):
        archive.open_export(db, os.urandom(32), sha(JUNE))
    tampered = bytearray(sealed.read_bytes())
    tampered[-1] ^= 1
    sealed.write_bytes(bytes(tampered))
    with pytest.raises(archive.ArchiveError, match="cannot be opened with the archive key"):
        archive.open_export(db, key, sha(JUNE))


def test_an_archive_kept_in_clear_is_sealed_at_the_next_ingest(db):
    """A warehouse from before encryption: its archive holds the export as <sha256>.xlsx."""
    archive.sealed_path(db, sha(JUNE)).unlink()
    clear = archive.folder(db) / f"{sha(JUNE)}.xlsx"
    clear.write_bytes(JUNE)  # 0644, as the version before wrote it
    assert startup.check(db) == [
        f"{clear} can be read by other users of this computer (mode 0644); run: chmod 600 '{clear}'",
        f"1 archived export(s) in {archive.folder(db)} are not encrypted yet; the next ingest or rebuild encrypts them",
    ]
    assert [r.error for r in ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)] == [None]
    assert not clear.exists()
    assert sorted(p.name for p in archive.folder(db).iterdir()) == sorted(
        [f"{sha(JUNE)}.sealed", f"{sha(JULY)}.sealed"]
    )
    before = audits(db)
    assert [r.file_name for r in ingest.rebuild(db, today=TODAY)] == ["june.xlsx", "july.xlsx"]
    assert audits(db) == before and len(before) == 3


def test_old_exports_are_dropped_and_rebuild_says_what_that_costs(db, monkeypatch, capsys):
    monkeypatch.setenv("QA_ARCHIVE_DAYS", "30")
    june = archive.sealed_path(db, sha(JUNE))
    long_ago = time.time() - 31 * 86400
    os.utime(june, (long_ago, long_ago))
    assert [r.error for r in ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)] == [None]
    assert not june.exists() and archive.sealed_path(db, sha(JULY)).exists()

    assert cli.main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1 of 2 exports, encrypted; each kept 30 days after it was archived" in out
    assert "1 dropped under QA_ARCHIVE_DAYS: rebuild and rekey refuse" in out
    with pytest.raises(ingest.IngestError, match=r"1 loaded export\(s\) are no longer archived .* e.g. june.xlsx"):
        ingest.rebuild(db, today=TODAY)
    assert len(audits(db)) == 3
    [july] = ingest.rebuild(db, today=TODAY, allow_missing=True)
    assert (july.file_name, july.rows_loaded) == ("july.xlsx", 1)
    assert [audit_id for audit_id, _ in audits(db)] == ["CA1-3"]  # june's two rows were only in june's export


def test_a_rekey_interrupted_between_the_warehouse_and_the_key_is_finished_at_the_next_ingest(db, home):
    """Rekey writes the new key beside the old, swaps the warehouse in, then the key. Stopped between the
    two swaps, the folder holds the new warehouse, the old key and the new key pending."""
    old = (home / "pseudonym.key").read_bytes()
    assert cli.main(["rekey", "--db", str(db)]) == 0
    new = (home / "pseudonym.key").read_bytes()
    assert new != old
    (home / "pseudonym.key.new").write_bytes(new)
    (home / "pseudonym.key").write_bytes(old)
    assert [r.error for r in ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)] == [None]
    assert (home / "pseudonym.key").read_bytes() == new
    assert not (home / "pseudonym.key.new").exists()
    con = duckdb.connect(str(db), read_only=True)
    recorded = con.execute("SELECT fingerprint FROM key_fingerprints WHERE key_name = 'pseudonym'").fetchone()[0]
    con.close()
    assert recorded == keys.fingerprint(bytes.fromhex(new.decode()))


def test_a_rekey_stopped_before_its_warehouse_was_in_place_leaves_the_old_pair(db, home):
    old = (home / "pseudonym.key").read_bytes()
    (home / "pseudonym.key.new").write_text(os.urandom(32).hex())
    before = audits(db)
    assert [r.error for r in ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)] == [None]
    assert (home / "pseudonym.key").read_bytes() == old and not (home / "pseudonym.key.new").exists()
    assert audits(db)[:2] == before


def test_a_lost_archive_key_is_refused_while_its_archive_is_there_and_replaced_once_it_is_moved_away(db, home):
    (home / "archive.key").unlink()
    with pytest.raises(ingest.IngestError, match=r"the archive key .* is missing"):
        ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)
    archive.folder(db).rename(db.with_name("lost-archive"))
    assert [r.error for r in ingest.ingest([("july.xlsx", JULY)], db, today=TODAY)] == [None]
    new = bytes.fromhex((home / "archive.key").read_text())
    assert archive.open_export(db, new, sha(JULY)) == JULY
    with pytest.raises(ingest.IngestError, match=r"1 loaded export\(s\) are no longer archived .* e.g. june.xlsx"):
        ingest.rebuild(db, today=TODAY)
