"""The warehouse file: its schema, the writer's lock, and snapshots swapped in whole.

Readers open the file read-only. A writer never touches it: it copies it, changes the copy and
renames the copy over the original (an atomic step on POSIX), so a reader sees the old snapshot or
the new one, never half of one. A second writer waits on the lock, then fails clearly.
"""

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

SCHEMA = Path(__file__).parent / "sql" / "schema.sql"


class Busy(RuntimeError):
    """Another ingest holds the warehouse."""


@dataclass
class Draft:
    """A connection to the copy being written. Set ``changed`` for it to replace the warehouse."""

    con: duckdb.DuckDBPyConnection
    changed: bool = False


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA.read_text())


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
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock"), lock_timeout):
        building = path.with_name(f".{path.name}.{os.getpid()}.building")
        building.unlink(missing_ok=True)
        if path.exists() and not fresh:
            shutil.copyfile(path, building)
        con = duckdb.connect(str(building))
        if fresh or not path.exists():
            create_schema(con)
        else:
            upgrade(con)
        work = Draft(con)
        try:
            yield work
            con.execute("CHECKPOINT")
            con.close()
            if work.changed:
                _publish(building, path)
        finally:
            con.close()
            building.unlink(missing_ok=True)


def _publish(building: Path, path: Path) -> None:
    with open(building, "rb") as f:
        os.fsync(f.fileno())
    os.replace(building, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def _locked(lock_path: Path, timeout: float) -> Iterator[None]:
    with open(lock_path, "a+") as handle:
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
