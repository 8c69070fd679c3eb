"""Keys that cannot fail silently: every way a key can be wrong is refused in one line, and the warehouse
is left byte for byte as it was. Written as the probe was: an empty key, a short one, a changed one."""

import datetime as dt
import hashlib
import os
import stat

import duckdb
import pytest

from data_pipeline import cli, ingest, keys, startup
from tests.pipeline.exports import audit_row, xlsx

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """Keys of their own, in a folder of their own; the warehouse in another."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("QA_KEY_FILE", str(folder / "pseudonym.key"))
    monkeypatch.setenv("QA_ARCHIVE_KEY_FILE", str(folder / "archive.key"))
    return folder


@pytest.fixture
def db(tmp_path, home):
    path = tmp_path / "data" / "qa.duckdb"
    [result] = ingest.ingest([("june.xlsx", xlsx([audit_row(1), audit_row(2)]))], path, today=TODAY)
    assert result.error is None
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(db, match):
    """A second export is refused with one line matching ``match``, and the warehouse does not change."""
    before = digest(db)
    with pytest.raises(ingest.IngestError, match=match) as caught:
        ingest.ingest([("july.xlsx", xlsx([audit_row(3)]))], db, today=TODAY)
    assert "\n" not in str(caught.value)
    assert digest(db) == before
    return str(caught.value)


def test_a_new_warehouse_makes_both_keys_owner_only_and_records_their_fingerprints(db, home):
    for name in ("pseudonym.key", "archive.key"):
        key = home / name
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert len(bytes.fromhex(key.read_text())) == 32
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    con = duckdb.connect(str(db), read_only=True)
    recorded = dict(con.execute("SELECT key_name, fingerprint FROM key_fingerprints").fetchall())
    con.close()
    pseudonym = bytes.fromhex((home / "pseudonym.key").read_text())
    assert recorded["pseudonym"] == keys.fingerprint(pseudonym)
    assert pseudonym.hex() not in recorded.values()  # the fingerprint is not the key
    assert keys.fingerprint(pseudonym) != keys.fingerprint(bytes.fromhex((home / "archive.key").read_text()))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b"ab" * 16, r"too short \(16 bytes; a key needs at least 32\)"),
        (b"not hex at all, just words" * 3, "is corrupt"),
        (b"\xff\xfe" * 40, "is corrupt"),
    ],
)
def test_an_empty_short_or_corrupt_key_is_refused(db, home, content, message):
    (home / "pseudonym.key").write_bytes(content)
    assert refused(db, message).startswith("the pseudonym key ")


def test_a_key_that_cannot_be_read_is_refused(db, home):
    key = home / "archive.key"
    key.unlink()
    key.mkdir()  # root reads any file whatever its mode, but not a folder as a file
    refused(db, r"the archive key .* cannot be read \(Is a directory\)")


def test_a_changed_key_is_refused_by_its_fingerprint(db, home):
    (home / "pseudonym.key").write_text(os.urandom(32).hex())
    refused(db, "is not the key this warehouse was built with")


def test_a_missing_key_is_not_replaced_when_the_warehouse_exists(db, home):
    (home / "pseudonym.key").unlink()
    refused(db, "is missing but the warehouse was built with one")
    assert not (home / "pseudonym.key").exists()


def test_a_warehouse_from_before_fingerprints_adopts_its_key_and_then_holds_to_it(db, home):
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE key_fingerprints")
    con.close()
    [result] = ingest.ingest([("july.xlsx", xlsx([audit_row(3)]))], db, today=TODAY)
    assert result.error is None
    (home / "pseudonym.key").write_text(os.urandom(32).hex())
    refused(db, "is not the key this warehouse was built with")


def test_the_command_line_says_a_corrupt_key_in_one_line(db, home, tmp_path, capsys):
    (home / "pseudonym.key").write_text("zz" * 32)
    export = tmp_path / "july.xlsx"
    export.write_bytes(xlsx([audit_row(3)]))
    assert cli.main(["ingest", str(export), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    key = home / "pseudonym.key"
    assert err[-1] == f"error: the pseudonym key {key} is corrupt (not the hex text the dashboard writes)"
    assert not any("Traceback" in line for line in err)


def test_start_up_warns_about_a_key_others_can_read(db, home):
    assert startup.check(db) == []
    os.chmod(home / "pseudonym.key", 0o644)
    [warning] = startup.check(db)
    assert warning == (
        f"{home / 'pseudonym.key'} can be read by other users of this computer (mode 0644); "
        f"run: chmod 600 '{home / 'pseudonym.key'}'"
    )


def test_start_up_says_when_the_key_is_not_the_warehouses(db, home):
    (home / "pseudonym.key").write_text(os.urandom(32).hex())
    key = home / "pseudonym.key"
    assert startup.check(db) == [f"the pseudonym key {key} is not the key this warehouse was built with"]
