"""The warehouse file: its schema, the writer's lock, and snapshots swapped in whole.

Readers open the file read-only. A writer never touches it: it copies it, changes the copy and
renames the copy over the original (an atomic step on POSIX), so a reader sees the old snapshot or
the new one, never half of one. A second writer waits on the lock, then fails clearly.
"""

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from data_pipeline import private

SCHEMA = Path(__file__).parent / "sql" / "schema.sql"
KEY_FINGERPRINTS = SCHEMA.with_name("key_fingerprints.sql")
REFERENCE_SCHEMA = SCHEMA.with_name("reference.sql")
# Published reference data is not rebuilt from the raw exports: a fresh build carries it over as it was.
CARRIED_OVER = (
    "reference_figures", "reference_areas", "reference_neighbours", "reference_inspections", "reference_log",
)  # fmt: skip


class Busy(RuntimeError):
    """Another ingest holds the warehouse."""


@dataclass
class Draft:
    """A connection to the copy being written. Set ``changed`` for it to replace the warehouse;
    ``after_publish`` runs once it has, with the lock still held."""

    con: duckdb.DuckDBPyConnection
    changed: bool = False
    after_publish: Callable[[], None] | None = None


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA.read_text())
    con.execute(KEY_FINGERPRINTS.read_text())
    con.execute(REFERENCE_SCHEMA.read_text())


# A warehouse written before December 2026 gains the columns added since; each step is idempotent.
UPGRADES = (
    "ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS quiz_headings VARCHAR[]",
    "ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS date_orders VARCHAR[]",
    "ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS formula_cells INTEGER",
)
AGREES_AS_BOOLEAN = """
    SELECT count(*) FROM information_schema.columns
    WHERE table_name = 'audits' AND column_name = 'worker_agrees' AND data_type = 'BOOLEAN'
"""
AGREES_AS_WORDS = """
    ALTER TABLE audits ALTER worker_agrees SET DATA TYPE VARCHAR
    USING CASE WHEN worker_agrees THEN 'Yes' WHEN NOT worker_agrees THEN 'No' END
"""


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    for step in UPGRADES:
        con.execute(step)
    if con.execute(AGREES_AS_BOOLEAN).fetchone()[0]:
        con.execute(AGREES_AS_WORDS)


@contextmanager
def draft(path: Path, lock_timeout: float, fresh: bool = False) -> Iterator[Draft]:
    private.folder(path.parent)
    with locked(path, lock_timeout):
        remove_stale_drafts(path)
        building = path.with_name(f".{path.name}.{os.getpid()}.building")
        con = None
        try:
            con = _open_copy(path, building, fresh)
            work = Draft(con)
            yield work
            con.execute("CHECKPOINT")
            con.close()
            if work.changed:
                _publish(building, path)
                if work.after_publish:
                    work.after_publish()
        finally:
            if con is not None:
                con.close()
            _remove(building)


def _open_copy(path: Path, building: Path, fresh: bool) -> duckdb.DuckDBPyConnection:
    """The draft: a copy of the warehouse (or a new one), made owner-only before any data is in it."""
    if path.exists() and not fresh:
        with open(path, "rb") as source, os.fdopen(private.create(building), "wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        con = duckdb.connect(str(building))
        upgrade(con)
        return con
    con = duckdb.connect(str(building))
    os.chmod(building, private.FILE_MODE)  # DuckDB makes the file; it holds only a header so far
    create_schema(con)
    if fresh and path.exists():
        _carry_over(con, path)
    return con


def _carry_over(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
    try:
        listed = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'previous'").fetchall()
        present = {table for (table,) in listed}
        for table in (t for t in CARRIED_OVER if t in present):
            con.execute(f"INSERT INTO {table} SELECT * FROM previous.{table}")  # noqa: S608 -- constant names
    finally:
        con.execute("DETACH previous")


def _publish(building: Path, path: Path) -> None:
    with open(building, "rb") as f:
        os.fsync(f.fileno())
    os.replace(building, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_stale_drafts(path: Path) -> None:
    """Drafts a killed ingest left behind. Only ever called with the lock held, so none is live."""
    for stale in path.parent.glob(f".{path.name}.*.building*"):
        stale.unlink(missing_ok=True)


def _remove(building: Path) -> None:
    building.unlink(missing_ok=True)
    building.with_name(building.name + ".wal").unlink(missing_ok=True)


@contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """The writer's lock on the warehouse at ``path``; Busy after ``timeout`` seconds."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, private.FILE_MODE)
    with os.fdopen(fd, "r+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(
                        f"another ingest is still writing the warehouse after {timeout:.0f}s; try again later"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


ARROW_TYPES = {
    "BOOLEAN": pa.bool_(),
    "TINYINT": pa.int64(),
    "SMALLINT": pa.int64(),
    "INTEGER": pa.int64(),
    "BIGINT": pa.int64(),
    "VARCHAR": pa.string(),
}


def typed(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the type of each warehouse column, so DuckDB never guesses from a
    sample and reads the columns without going back to Python objects. Integers are given as 64-bit and
    dates as timestamps; the insert narrows them, refusing any that do not fit."""
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    )
    columns = {}
    for column, sql_type in types.items():
        if column not in frame:
            continue
        values = frame[column]
        if sql_type in ("DATE", "TIMESTAMP"):
            columns[column] = pa.array(pd.to_datetime(values, errors="raise"))
        elif sql_type == "VARCHAR" and isinstance(values.dtype, pd.CategoricalDtype):
            columns[column] = pa.array(values)  # dictionary-encoded text, which DuckDB reads as VARCHAR
        else:
            columns[column] = pa.array(values, ARROW_TYPES.get(sql_type, pa.string()), from_pandas=True)
    return pa.table(columns)
