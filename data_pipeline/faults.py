"""A failure of the machine (full disk, read-only folder, no permission) said in one line, not a traceback."""

import errno
from pathlib import Path

import duckdb

UNCHANGED = "nothing was loaded and the warehouse is unchanged"
# DuckDB reports the operating system's error as text, not as an errno.
DUCKDB_WORDS = {
    "No space left on device": errno.ENOSPC,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
}


def one_line(exc: BaseException, where: Path) -> str:
    """What went wrong writing the warehouse at ``where`` (or its archive), for the person running the ingest.
    The cause is looked for along the chain too: a rollback failing after a full disk hides the full disk."""
    chain = _chain(exc)
    cause = next((e for e in chain if _errno(e) is not None), chain[-1])
    code, path = _errno(cause), Path(getattr(cause, "filename", None) or where)
    if code == errno.ENOSPC:
        return f"the disk holding {path.parent} is full; {UNCHANGED}"
    if code == errno.EROFS:
        return f"{path.parent} is on a read-only disk; {UNCHANGED}"
    if code in (errno.EACCES, errno.EPERM):
        return f"{path} cannot be written (permission denied); {UNCHANGED}"
    reason = getattr(cause, "strerror", None) or (str(cause).splitlines() or [type(cause).__name__])[0]
    return f"{path}: {reason}; {UNCHANGED}"


def _chain(exc: BaseException) -> list[BaseException]:
    found = [exc]
    while (inner := found[-1].__cause__ or found[-1].__context__) is not None and inner not in found:
        found.append(inner)
    return found


def _errno(exc: BaseException) -> int | None:
    if isinstance(exc, OSError):
        return exc.errno
    if isinstance(exc, duckdb.Error):
        return next((code for words, code in DUCKDB_WORDS.items() if words in str(exc)), None)
    return None
