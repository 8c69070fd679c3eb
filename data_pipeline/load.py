"""Loading staged frames into the draft warehouse: upsert by key, keep rejects, log the file.

Forms exports are cumulative, so most rows of a new export are already loaded: a row whose content
hash matches the stored one is unchanged, an edited response replaces its older version, and a row
older than the stored version is left alone. Table names come from ``tables``, never from input.
"""
# ruff: noqa: S608 -- table and column names below come from tables.MAIN_TABLE, never from input;
# every value is a bound parameter or a registered frame.

from dataclasses import dataclass

import duckdb
import pandas as pd

from data_pipeline.tables import CHILD_TABLES, MAIN_TABLE
from data_pipeline.warehouse import typed

VERDICT_SQL = """
WITH incoming AS (SELECT * FROM staged_main),
compared AS (
    SELECT
        incoming.{key} AS key,
        stored.{key} IS NULL AS is_new,
        stored.content_hash = incoming.content_hash AS same,
        {older} AS older
    FROM incoming
    LEFT JOIN {table} AS stored ON stored.{key} = incoming.{key}
),
final AS (
    SELECT key, CASE WHEN is_new THEN 'new' WHEN same OR older THEN 'unchanged' ELSE 'updated' END AS verdict
    FROM compared
)
SELECT * FROM final
"""


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def loaded(self) -> int:
        return self.new + self.updated + self.unchanged


def load(con: duckdb.DuckDBPyConnection, kind: str, frames: dict[str, pd.DataFrame]) -> Counts:
    table, key = MAIN_TABLE[kind]
    main = typed(con, table, frames[table])
    con.register("staged_main", main)
    older = "incoming.modified_at < stored.modified_at" if "modified_at" in main.column_names else "false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE verdicts AS {VERDICT_SQL.format(key=key, table=table, older=older)}")
    changing = "SELECT key FROM verdicts WHERE verdict = 'updated'"
    writing = "SELECT key FROM verdicts WHERE verdict IN ('new', 'updated')"
    for child in CHILD_TABLES.get(kind, ()):
        con.execute(f"DELETE FROM {child} WHERE audit_id IN ({changing})")
    con.execute(f"DELETE FROM {table} WHERE {key} IN ({changing})")
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged_main WHERE {key} IN ({writing})")
    for child in CHILD_TABLES.get(kind, ()):
        con.register("staged_child", typed(con, child, frames[child]))
        con.execute(f"INSERT INTO {child} BY NAME SELECT * FROM staged_child WHERE audit_id IN ({writing})")
        con.unregister("staged_child")
    con.execute("DELETE FROM rejected_rows WHERE table_name = ? AND record_key IN (SELECT key FROM verdicts)", [table])
    con.unregister("staged_main")
    found = dict(con.execute("SELECT verdict, count(*) FROM verdicts GROUP BY verdict").fetchall())
    return Counts(found.get("new", 0), found.get("updated", 0), found.get("unchanged", 0))


def save_rejects(con: duckdb.DuckDBPyConnection, kind: str, rejects: pd.DataFrame, source: str, ingest_id: int) -> None:
    if rejects.empty:
        return
    frame = rejects.assign(table_name=MAIN_TABLE[kind][0], source_file=source, ingest_id=ingest_id)
    con.register("staged_rejects", frame)
    con.execute("INSERT OR REPLACE INTO rejected_rows BY NAME SELECT * FROM staged_rejects")
    con.unregister("staged_rejects")


def next_ingest_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingest_log").fetchone()[0]


def log_file(con: duckdb.DuckDBPyConnection, entry: dict) -> None:
    columns = list(entry)
    placeholders = ", ".join("?" for _ in columns)
    con.execute(f"INSERT INTO ingest_log ({', '.join(columns)}) VALUES ({placeholders})", list(entry.values()))
