"""Files only their owner can read: folders 0700, files 0600, made so from the start and checked at start-up.

The warehouse, the raw archive, the keys and the access trail are all private. A file made readable
after it was written would be readable for a moment, so files are created with the mode, not chmod-ed.
"""

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def folder(path: Path) -> Path:
    """Make ``path`` (and any missing parents) a folder; the folders made here are owner-only."""
    missing = []
    for parent in (path, *path.parents):
        if parent.exists():
            break
        missing.append(parent)
    for made in reversed(missing):
        made.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def create(path: Path) -> int:
    """A new, empty owner-only file opened for writing; fails if it exists."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to a new owner-only file beside ``path`` and rename it into place, so ``path``
    is never half-written; the partial file is removed if anything fails (a full disk, say)."""
    folder(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        with os.fdopen(create(partial), "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def loose(path: Path) -> str | None:
    """A one-line warning when ``path`` exists and its group or others may read, write or enter it."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None  # nothing there to be loose; whatever writes there says why it cannot
    if not mode & 0o077:
        return None
    fix = "700" if path.is_dir() else "600"
    return f"{path} can be read by other users of this computer (mode {mode:04o}); run: chmod {fix} '{path}'"
