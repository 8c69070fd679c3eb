"""The raw archive: every loaded export kept, encrypted, beside the warehouse so it can be rebuilt or rekeyed.

Exports hold children's and staff names, so each is sealed with AES-256-GCM (authenticated: a changed
or swapped file fails to open rather than decrypting to rubbish) under a key derived from the archive
key. A file is named by the SHA-256 of its clear content, which ingest_log records; that hash is also
bound into the seal and checked after opening. Archives written before encryption are sealed at the
next ingest or rebuild. ``QA_ARCHIVE_DAYS`` drops exports that many days after they were archived.
"""

import datetime as dt
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from data_pipeline import private

MAGIC = b"QA-ARCHIVE-AESGCM-1\n"
NONCE_BYTES = 12
SEALED = ".sealed"


class ArchiveError(ValueError):
    """An archived export cannot be opened; one line for the user."""


def folder(db: Path) -> Path:
    return db.with_name(db.stem + "-raw")


def sealed_path(db: Path, sha256: str) -> Path:
    return folder(db) / (sha256 + SEALED)


def store(db: Path, key: bytes, sha256: str, content: bytes) -> None:
    target = sealed_path(db, sha256)
    if not target.exists():
        private.folder(target.parent)
        private.write(target, seal(key, sha256, content))


def open_export(db: Path, key: bytes, sha256: str) -> bytes | None:
    """The export with this hash, or None when it is not in the archive (dropped under QA_ARCHIVE_DAYS)."""
    sealed = sealed_path(db, sha256)
    if sealed.exists():
        return unseal(key, sha256, sealed.read_bytes(), sealed)
    clear = _clear_files(db).get(sha256)
    return clear.read_bytes() if clear else None


def seal(key: bytes, sha256: str, content: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(_derive(key)).encrypt(nonce, content, sha256.encode())


def unseal(key: bytes, sha256: str, data: bytes, where: Path) -> bytes:
    head = len(MAGIC)
    nonce = data[head : head + NONCE_BYTES]
    try:
        if not data.startswith(MAGIC):
            raise InvalidTag
        content = AESGCM(_derive(key)).decrypt(nonce, data[head + NONCE_BYTES :], sha256.encode())
    except InvalidTag:
        raise ArchiveError(f"{where} cannot be opened with the archive key (another key, or a damaged file)") from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ArchiveError(f"{where} does not hold the export its name says")
    return content


def has_sealed_files(db: Path) -> bool:
    return any(folder(db).glob("*" + SEALED)) if folder(db).is_dir() else False


def clear_files(db: Path) -> list[Path]:
    """Exports archived in clear before encryption came in."""
    return sorted(_clear_files(db).values())


def seal_clear_files(db: Path, key: bytes) -> int:
    """Encrypt exports archived in clear by an older version; each clear copy goes once its sealed one is safe."""
    clear = _clear_files(db)
    for sha256, path in clear.items():
        store(db, key, sha256, path.read_bytes())
        archived = path.stat()
        os.utime(sealed_path(db, sha256), ns=(archived.st_atime_ns, archived.st_mtime_ns))  # for QA_ARCHIVE_DAYS
        path.unlink()
    return len(clear)


def prune(db: Path, days: int | None, now: dt.datetime) -> int:
    """Drop archived exports archived more than ``days`` ago; None keeps everything."""
    if days is None or not folder(db).is_dir():
        return 0
    cutoff = (now - dt.timedelta(days=days)).timestamp()
    old = [p for p in folder(db).glob("*" + SEALED) if p.stat().st_mtime < cutoff]
    for path in old:
        path.unlink()
    return len(old)


def remove_partial_files(db: Path) -> None:
    """Partial files a killed ingest left; call with the writer's lock held."""
    if folder(db).is_dir():
        for partial in folder(db).glob(".*.partial"):
            partial.unlink(missing_ok=True)


def _clear_files(db: Path) -> dict[str, Path]:
    if not folder(db).is_dir():
        return {}
    return {
        p.name.split(".")[0]: p
        for p in folder(db).iterdir()
        if p.suffix.lower() in (".xlsx", ".csv") and not p.name.startswith(".")
    }


def _derive(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"qa-dashboard archive v1").derive(key)
