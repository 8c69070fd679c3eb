"""The two secret keys beside the warehouse, and the fingerprints that tie a warehouse to them.

The pseudonym key turns names into keyed hashes; the archive key encrypts the raw exports kept for
rebuilds. A key is never made up to replace a lost one: a new pseudonym key gives everyone new
pseudonyms, so a re-loaded roster would no longer join the audits already loaded. A key is made only
for a new warehouse. The warehouse records each key's fingerprint (a keyed hash of a fixed text, from
which the key cannot be recovered) and an ingest with any other key is refused.
"""

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_pipeline import private

KEY_BYTES = 32
FINGERPRINT_TEXT = b"qa-dashboard key fingerprint v1"
PSEUDONYM, ARCHIVE = "pseudonym", "archive"

RECORDED = "SELECT key_name, fingerprint FROM key_fingerprints"
RECORD = "INSERT OR REPLACE INTO key_fingerprints VALUES (?, ?, now()::TIMESTAMP)"
TABLE = Path(__file__).parent / "sql" / "key_fingerprints.sql"


class KeyProblem(ValueError):
    """A key is missing, empty, short, corrupt, unreadable or not the warehouse's; one line for the user."""


@dataclass(frozen=True)
class Keys:
    pseudonym: bytes = field(repr=False)  # never in a traceback or a log line
    archive: bytes = field(repr=False)


def fingerprint(key: bytes) -> str:
    return hmac.digest(key, FINGERPRINT_TEXT, "sha256").hex()


def pending(path: Path) -> Path:
    """Where ``rekey`` puts the new key until the warehouse built with it is in place."""
    return path.with_name(path.name + ".new")


def read(name: str, path: Path) -> bytes | None:
    """The key in ``path``, None when there is no such file, or a one-line refusal."""
    try:
        text = path.read_bytes().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyProblem(f"the {name} key {path} cannot be read ({exc.strerror})") from None
    if not text:
        raise KeyProblem(f"the {name} key {path} is empty; restore it from your backup")
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise KeyProblem(f"the {name} key {path} is corrupt (not the hex text the dashboard writes)") from None
    if len(key) < KEY_BYTES:
        raise KeyProblem(f"the {name} key {path} is too short ({len(key)} bytes; a key needs at least {KEY_BYTES})")
    return key


def write(path: Path, key: bytes) -> None:
    private.write(path, key.hex().encode())


def recorded(db: Path) -> dict[str, str]:
    """The fingerprints the warehouse at ``db`` was built with: empty for a new warehouse, or one built
    before fingerprints were kept."""
    if not db.exists():
        return {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute(RECORDED).fetchall())
    except duckdb.CatalogException:
        return {}
    finally:
        con.close()


def unlock(db: Path, pseudonym_path: Path, archive_path: Path, has_sealed_files: bool) -> Keys:
    """The keys for the warehouse at ``db``, checked against its fingerprints; made only when the
    warehouse is new. Call with the writer's lock held: it may finish an interrupted ``rekey``."""
    known = recorded(db)
    pseudonym = _one(PSEUDONYM, pseudonym_path, known, may_create=not db.exists())
    # The archive key guards only the sealed files: with none (a new warehouse, an archive moved away
    # because its key was lost) there is nothing a new archive key could fail to open.
    archive = _one(ARCHIVE, archive_path, known if has_sealed_files else {}, may_create=not has_sealed_files)
    return Keys(pseudonym, archive)


def record(con: duckdb.DuckDBPyConnection, keys: Keys) -> None:
    con.execute(TABLE.read_text())
    con.execute(RECORD, [PSEUDONYM, fingerprint(keys.pseudonym)])
    con.execute(RECORD, [ARCHIVE, fingerprint(keys.archive)])


def _one(name: str, path: Path, known: dict[str, str], may_create: bool) -> bytes:
    key = read(name, path)
    if key is None and not may_create:
        raise KeyProblem(
            f"the {name} key {path} is missing but the warehouse was built with one; restore it from your "
            "backup (a new key would not match the data already loaded)"
        )
    if key is None:
        key = secrets.token_bytes(KEY_BYTES)
        write(path, key)
    if name in known and not hmac.compare_digest(fingerprint(key), known[name]):
        return _finish_rekey(name, path, known[name])
    pending(path).unlink(missing_ok=True)  # left by a rekey that stopped before its warehouse was in place
    return key


def _finish_rekey(name: str, path: Path, wanted: str) -> bytes:
    """A ``rekey`` that stopped after swapping in the new warehouse but before the new key: finish it.
    Any other mismatch is refused."""
    new = read(name, pending(path))
    if new is not None and hmac.compare_digest(fingerprint(new), wanted):
        os.replace(pending(path), path)
        return new
    raise KeyProblem(
        f"the {name} key {path} is not the key this warehouse was built with (its fingerprint differs); "
        "restore the right key from your backup"
    )
